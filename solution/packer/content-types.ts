// [Content_Types].xml as in Microsoft-built zips: Default by extension, Override for ControlManifest.xml.
import { toXml } from './lib/xml.ts';
import { error, type Diagnostic } from './diagnostics.ts';

/** Extensions a solution zip may carry and their content types (what Dataverse exports use). */
export const KNOWN_CONTENT_TYPES: Readonly<Record<string, string>> = {
  xml: 'text/xml',
  js: 'application/octet-stream',
  json: 'application/octet-stream',
  txt: 'application/octet-stream',
  resx: 'application/octet-stream',
  css: 'application/octet-stream',
  html: 'application/octet-stream',
  htm: 'application/octet-stream',
  png: 'application/octet-stream',
  svg: 'application/octet-stream',
  gif: 'application/octet-stream',
  jpg: 'application/octet-stream',
  ico: 'application/octet-stream',
  xsl: 'application/octet-stream',
  map: 'application/octet-stream',
};

export function extensionOf(path: string): string {
  const name = path.split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export interface ContentTypes {
  defaults: Map<string, string>;
  overrides: Map<string, string>;
}

export function contentTypesFor(paths: readonly string[]): ContentTypes {
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  for (const p of paths) {
    const ext = extensionOf(p);
    const type = KNOWN_CONTENT_TYPES[ext];
    if (type) defaults.set(ext, type);
    if (p.startsWith('Controls/') && p.endsWith('/ControlManifest.xml'))
      overrides.set(`/${p}`, 'application/octet-stream');
  }
  return { defaults, overrides };
}

/** Does [Content_Types] cover the entry (by Override part name or Default extension)? */
export function covers(ct: ContentTypes, path: string): boolean {
  return ct.overrides.has(`/${path}`) || ct.defaults.has(extensionOf(path));
}

export function renderContentTypes(ct: ContentTypes): string {
  return toXml({
    Types: {
      '@_xmlns': 'http://schemas.openxmlformats.org/package/2006/content-types',
      Default: [...ct.defaults]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([Extension, ContentType]) => ({ '@_Extension': Extension, '@_ContentType': ContentType })),
      Override: [...ct.overrides]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([PartName, ContentType]) => ({ '@_PartName': PartName, '@_ContentType': ContentType })),
    },
  });
}

export function contentTypesXml(paths: readonly string[]): { xml: string; diagnostics: Diagnostic[] } {
  const ct = contentTypesFor(paths);
  const diagnostics = paths
    .filter((p) => !covers(ct, p))
    .map((p) =>
      error(
        p,
        '[Content_Types].xml/Default',
        `no content type for "${p}" (extension ".${extensionOf(p)}"); rename it or add the extension to KNOWN_CONTENT_TYPES`,
      ),
    );
  return { xml: renderContentTypes(ct), diagnostics };
}
