// Every <RootComponent> in Solution.xml must resolve to a component in the source (or a built PCF control).
import { error, type Diagnostic } from '../diagnostics.ts';
import { attrsOf, child, childrenOf, findAll, tagOf, textOf, type SourceIndex } from './context.ts';

const norm = (id: string): string => id.replace(/[{}]/g, '').toLowerCase();

export function componentIds(ix: SourceIndex): Map<number, Set<string>> {
  const m = new Map<number, Set<string>>();
  const add = (type: number, v: string): void => {
    if (!m.has(type)) m.set(type, new Set());
    m.get(type)!.add(
      type === 1 || type === 61 || type === 62 || type === 80 || type === 380 || type === 66
        ? v.toLowerCase()
        : norm(v),
    );
  };
  for (const t of ix.entityFiles.keys()) add(1, t);
  for (const [p, root] of ix.docs) {
    if (p.startsWith('Roles/')) add(20, attrsOf(root)['@_id'] ?? '');
    else if (/\/FormXml\//.test(p)) for (const f of findAll([root], 'formid')) add(60, textOf(f));
    else if (/\/SavedQueries\//.test(p)) for (const q of findAll([root], 'savedqueryid')) add(26, textOf(q));
    else if (p.startsWith('WebResources/') && p.endsWith('.data.xml')) add(61, textOf(child(root, 'Name')));
    else if (p.startsWith('Workflows/') && p.endsWith('.data.xml')) add(29, attrsOf(root)['@_WorkflowId'] ?? '');
    else if (p.startsWith('SdkMessageProcessingSteps/')) add(92, attrsOf(root)['@_SdkMessageProcessingStepId'] ?? '');
    else if (p.startsWith('AppModuleSiteMaps/')) add(62, textOf(child(root, 'SiteMapUniqueName')));
    else if (p.startsWith('AppModules/')) add(80, textOf(child(root, 'UniqueName')));
    else if (p.startsWith('environmentvariabledefinitions/')) add(380, attrsOf(root)['@_schemaname'] ?? '');
    else if (p === 'Other/Customizations.xml') {
      for (const e of findAll([root], 'ServiceEndpoint')) add(95, attrsOf(e)['@_ServiceEndpointId'] ?? '');
      // Field security profile: solution component type 70.
      for (const f of findAll([root], 'FieldSecurityProfile')) add(70, attrsOf(f)['@_fieldsecurityprofileid'] ?? '');
    }
  }
  for (const c of ix.controls ?? []) add(66, c.name);
  return m;
}

export function checkRootComponents(ix: SourceIndex): Diagnostic[] {
  const sol = ix.docs.get('Other/Solution.xml');
  if (!sol) return [];
  const manifest = child(sol, 'SolutionManifest');
  const roots = manifest ? child(manifest, 'RootComponents') : undefined;
  const ids = componentIds(ix);
  const out: Diagnostic[] = [];
  const referenced = new Map<number, Set<string>>();
  for (const rc of roots ? childrenOf(roots).filter((c) => tagOf(c) === 'RootComponent') : []) {
    const a = attrsOf(rc);
    const type = Number(a['@_type']);
    const key = a['@_id'] ? norm(a['@_id']) : (a['@_schemaName'] ?? '').toLowerCase();
    if (!referenced.has(type)) referenced.set(type, new Set());
    referenced.get(type)!.add(key);
    if (type === 66 && ix.controls === undefined) continue; // reported once by the packer as a warning
    if (!ids.get(type)?.has(key))
      out.push(
        error(
          'Other/Solution.xml',
          `RootComponent[@type='${type}'][@${a['@_id'] ? 'id' : 'schemaName'}='${a['@_id'] ?? a['@_schemaName'] ?? ''}']`,
          'does not resolve to a component in the solution source',
        ),
      );
  }
  // Forms and views of a table included with behavior 0 ("include subcomponents") travel with it.
  const fullTables = new Set(
    (roots ? childrenOf(roots) : [])
      .filter((c) => attrsOf(c)['@_type'] === '1' && attrsOf(c)['@_behavior'] === '0')
      .map((c) => (attrsOf(c)['@_schemaName'] ?? '').toLowerCase()),
  );
  const covered = new Set<string>();
  for (const [p, root] of ix.docs) {
    const m = /^Entities\/([^/]+)\/(FormXml|SavedQueries)\//.exec(p);
    if (m && fullTables.has(m[1]!.toLowerCase()))
      for (const f of [...findAll([root], 'formid'), ...findAll([root], 'savedqueryid')]) covered.add(norm(textOf(f)));
  }
  for (const [type, set] of ids) {
    if (type === 66) continue; // controls are added as root components by the packer
    for (const id of set) {
      if ((type === 60 || type === 26) && covered.has(id)) continue;
      if (!referenced.get(type)?.has(id))
        out.push(
          error(
            'Other/Solution.xml',
            'RootComponents',
            `component type ${type} "${id}" is in the source but not a RootComponent (it would not be imported)`,
          ),
        );
    }
  }
  return out;
}
