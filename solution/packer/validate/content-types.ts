// Independent check of the assembled zip: [Content_Types].xml must cover every entry.
import { error, type Diagnostic } from '../diagnostics.ts';
import { asArray, parseXml, type XmlNode } from '../lib/xml.ts';
import { extensionOf } from '../content-types.ts';

export function checkContentTypes(entries: ReadonlyArray<readonly [string, Uint8Array]>): Diagnostic[] {
  const ct = entries.find(([p]) => p === '[Content_Types].xml');
  if (!ct) return [error('[Content_Types].xml', '(zip root)', 'missing')];
  const types = parseXml(new TextDecoder().decode(ct[1]))['Types'] as XmlNode | undefined;
  const defaults = new Set(asArray(types?.['Default']).map((d) => String(d['@_Extension']).toLowerCase()));
  const overrides = new Set(asArray(types?.['Override']).map((o) => String(o['@_PartName'])));
  return entries
    .filter(([p]) => p !== '[Content_Types].xml' && !overrides.has(`/${p}`) && !defaults.has(extensionOf(p)))
    .map(([p]) =>
      error(
        p,
        '[Content_Types].xml/Default',
        `no Default for extension ".${extensionOf(p)}" and no Override for "/${p}"`,
      ),
    );
}
