// Pure: unpacked source tree (+ built PCF controls) → the entries of a solution zip, in the layout of a
// Microsoft-built zip (reference/dataverse.md §2.1–2.5): solution.xml, customizations.xml, [Content_Types].xml
// at the root, Controls/<name>/…, WebResources/…, Workflows/…, environmentvariabledefinitions/….
import type { FileTree, PcfControl } from './source.ts';
import { error, type Diagnostic } from './diagnostics.ts';
import {
  buildOrdered,
  child,
  childrenOf,
  el,
  parseOrdered,
  rootOf,
  tagOf,
  textNode,
  textOf,
  withChildren,
  type ONode,
} from './lib/ordered.ts';
import { xmlError } from './lib/xml.ts';
import { contentTypesXml } from './content-types.ts';

/** Child order of <ImportExportXml> in CustomizationsSolution.xsd (9.0.0.2090). */
const CUSTOMIZATIONS_ORDER = [
  'Entities',
  'Roles',
  'Workflows',
  'FieldSecurityProfiles',
  'Templates',
  'RibbonDiffXml',
  'EntityMaps',
  'EntityRelationships',
  'OrganizationSettings',
  'optionsets',
  'Dashboards',
  'WebResources',
  'CustomControls',
  'SolutionPluginAssemblies',
  'SdkMessageProcessingSteps',
  'ServiceEndpoints',
  'AppModuleSiteMaps',
  'AppModules',
  'EntityDataProviders',
  'EntityDataSources',
  'Languages',
];

export interface Assembled {
  entries: [string, Uint8Array][];
  diagnostics: Diagnostic[];
  /** Parsed source documents by path (for validation). */
  docs: Map<string, ONode>;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b).replace(/^\uFEFF/, '');

export function parseSources(tree: FileTree): { docs: Map<string, ONode>; diagnostics: Diagnostic[] } {
  const docs = new Map<string, ONode>();
  const diagnostics: Diagnostic[] = [];
  for (const [path, bytes] of tree) {
    if (!path.endsWith('.xml')) continue;
    const text = decode(bytes);
    const problem = xmlError(text);
    if (problem) {
      diagnostics.push(error(path, '(document)', `malformed XML: ${problem}`));
      continue;
    }
    try {
      docs.set(path, rootOf(parseOrdered(text), path));
    } catch (e) {
      diagnostics.push(error(path, '(document)', (e as Error).message));
    }
  }
  return { docs, diagnostics };
}

function under(
  docs: Map<string, ONode>,
  prefix: string,
  test: (rest: string) => boolean = () => true,
): [string, ONode][] {
  return [...docs].filter(([p]) => p.startsWith(prefix) && test(p.slice(prefix.length)));
}

function assembleEntity(table: string, entity: ONode, docs: Map<string, ONode>): ONode {
  const forms = new Map<string, ONode[]>();
  for (const [p, root] of under(
    docs,
    `Entities/${table}/FormXml/`,
    (r) => r.endsWith('.xml') && !r.endsWith('_managed.xml'),
  )) {
    const type = p.split('/')[3]!;
    forms.set(type, [...(forms.get(type) ?? []), ...childrenOf(root).filter((c) => tagOf(c) === 'systemform')]);
  }
  const formXml = [...forms].sort(([a], [b]) => a.localeCompare(b)).map(([type, list]) => el('forms', list, { type }));
  const queries = under(docs, `Entities/${table}/SavedQueries/`).flatMap(([, root]) =>
    childrenOf(root).filter((c) => tagOf(c) === 'savedquery'),
  );
  const ribbon = docs.get(`Entities/${table}/RibbonDiff.xml`);
  const children = childrenOf(entity).map((c) => {
    switch (tagOf(c)) {
      case 'FormXml':
        return el('FormXml', formXml);
      case 'SavedQueries':
        return el('SavedQueries', [el('savedqueries', queries)]);
      case 'RibbonDiffXml':
        return el('RibbonDiffXml', ribbon ? childrenOf(ribbon) : []);
      default:
        return c;
    }
  });
  return withChildren(entity, children);
}

export function assemble(tree: FileTree, controls: readonly PcfControl[], managed: boolean): Assembled {
  const { docs, diagnostics } = parseSources(tree);
  const entries: [string, Uint8Array][] = [];
  const sections = new Map<string, ONode[]>();
  const add = (section: string, nodes: ONode[]): void => {
    sections.set(section, [...(sections.get(section) ?? []), ...nodes]);
  };

  for (const [p, entity] of under(docs, 'Entities/', (r) => /^[^/]+\/Entity\.xml$/.test(r))) {
    add('Entities', [assembleEntity(p.split('/')[1]!, entity, docs)]);
  }
  add(
    'Roles',
    under(docs, 'Roles/').map(([, r]) => r),
  );
  add(
    'EntityRelationships',
    under(docs, 'Other/Relationships/').flatMap(([, r]) =>
      childrenOf(r).filter((c) => tagOf(c) === 'EntityRelationship'),
    ),
  );
  add(
    'SdkMessageProcessingSteps',
    under(docs, 'SdkMessageProcessingSteps/').map(([, r]) => r),
  );
  add(
    'AppModuleSiteMaps',
    under(docs, 'AppModuleSiteMaps/', (r) => r.endsWith('/AppModuleSiteMap.xml')).map(([, r]) => r),
  );
  add(
    'AppModules',
    under(docs, 'AppModules/', (r) => r.endsWith('/AppModule.xml')).map(([, r]) => r),
  );

  for (const [p, meta] of under(docs, 'WebResources/', (r) => r.endsWith('.data.xml'))) {
    add('WebResources', [meta]);
    const content = tree.get(p.slice(0, -'.data.xml'.length));
    const fileName = textOf(child(meta, 'FileName')).replace(/^\//, '');
    if (!content)
      diagnostics.push(error(p, 'WebResource/FileName', `content file ${p.slice(0, -'.data.xml'.length)} is missing`));
    else entries.push([fileName, content]);
  }
  for (const [p, meta] of under(docs, 'Workflows/', (r) => r.endsWith('.data.xml'))) {
    add('Workflows', [meta]);
    const jsonPath = p.slice(0, -'.data.xml'.length);
    const content = tree.get(jsonPath);
    if (!content) diagnostics.push(error(p, 'Workflow/JsonFileName', `flow definition ${jsonPath} is missing`));
    else entries.push([textOf(child(meta, 'JsonFileName')).replace(/^\//, '') || jsonPath, content]);
  }
  for (const [p, bytes] of tree) if (p.startsWith('environmentvariabledefinitions/')) entries.push([p, bytes]);

  for (const c of controls) {
    add('CustomControls', [
      el('CustomControl', [
        el('Name', [textNode(c.name)]),
        el('FileName', [textNode(`/Controls/${c.name}/ControlManifest.xml`)]),
      ]),
    ]);
    for (const [rel, bytes] of c.files) entries.push([`Controls/${c.name}/${rel}`, bytes]);
  }

  const custRoot = docs.get('Other/Customizations.xml');
  const solRoot = docs.get('Other/Solution.xml');
  if (!custRoot) diagnostics.push(error('Other/Customizations.xml', 'ImportExportXml', 'missing'));
  if (!solRoot) diagnostics.push(error('Other/Solution.xml', 'ImportExportXml', 'missing'));
  if (!custRoot || !solRoot) return { entries, diagnostics, docs };

  const existing = new Map(childrenOf(custRoot).map((c) => [tagOf(c), c] as const));
  const ordered = [...new Set([...CUSTOMIZATIONS_ORDER, ...existing.keys()])];
  const custChildren = ordered.flatMap((tag) => {
    const produced = sections.get(tag);
    const kept = existing.get(tag);
    if (produced && produced.length) return [el(tag, [...(kept ? childrenOf(kept) : []), ...produced])];
    return kept ? [kept] : [];
  });
  const customizations = buildOrdered([withChildren(custRoot, custChildren)]);

  const manifest = child(solRoot, 'SolutionManifest');
  if (!manifest) {
    diagnostics.push(error('Other/Solution.xml', 'SolutionManifest', 'missing'));
    return { entries, diagnostics, docs };
  }
  const manifestChildren = childrenOf(manifest).map((c) => {
    if (tagOf(c) === 'Managed') return el('Managed', [textNode(managed ? '1' : '0')]);
    if (tagOf(c) === 'RootComponents') {
      const extra = controls.map((ctl) => el('RootComponent', [], { type: '66', schemaName: ctl.name, behavior: '0' }));
      return el('RootComponents', [...childrenOf(c), ...extra]);
    }
    return c;
  });
  const solution = buildOrdered([withChildren(solRoot, [withChildren(manifest, manifestChildren)])]);

  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const all: [string, Uint8Array][] = [
    ['solution.xml', utf8(solution)],
    ['customizations.xml', utf8(customizations)],
    ...entries,
  ];
  const ct = contentTypesXml(all.map(([p]) => p));
  diagnostics.push(...ct.diagnostics);
  all.splice(2, 0, ['[Content_Types].xml', utf8(ct.xml)]);
  return { entries: all, diagnostics, docs };
}
