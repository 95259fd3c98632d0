// Duplicate schema names: two components (or two columns of one table) with the same name fail import.
import { error, type Diagnostic } from '../diagnostics.ts';
import {
  attrsOf,
  child,
  childrenOf,
  entityAttributes,
  entityNameOf,
  findAll,
  tagOf,
  textOf,
  type SourceIndex,
} from './context.ts';

export function checkDuplicates(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, string>();
  const claim = (kind: string, name: string, file: string, element: string): void => {
    const key = `${kind}:${name.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined)
      out.push(error(file, element, `duplicate ${kind} schema name "${name}" (also in ${first})`));
    else seen.set(key, file);
  };
  for (const [p, root] of ix.docs) {
    if (/^Entities\/[^/]+\/Entity\.xml$/.test(p)) {
      claim('table', entityNameOf(root), p, 'Entity/Name');
      const table = entityNameOf(root);
      for (const a of entityAttributes(root)) {
        const name = textOf(child(a, 'LogicalName'));
        claim(`column of ${table}`, name, p, `attribute[@PhysicalName='${attrsOf(a)['@_PhysicalName'] ?? name}']`);
      }
      const info = child(root, 'EntityInfo');
      const entity = info ? child(info, 'entity') : undefined;
      const set = entity ? child(entity, 'EntitySetName') : undefined;
      if (set) claim('entity set', textOf(set), p, 'EntitySetName');
    } else if (p.startsWith('Other/Relationships/')) {
      for (const r of childrenOf(root).filter((c) => tagOf(c) === 'EntityRelationship'))
        claim(
          'relationship',
          attrsOf(r)['@_Name'] ?? '',
          p,
          `EntityRelationship[@Name='${attrsOf(r)['@_Name'] ?? ''}']`,
        );
    } else if (p.startsWith('Roles/')) {
      claim('role', attrsOf(root)['@_name'] ?? '', p, 'Role/@name');
      claim('component id', attrsOf(root)['@_id'] ?? p, p, 'Role/@id');
    } else if (p.startsWith('WebResources/') && p.endsWith('.data.xml')) {
      claim('web resource', textOf(child(root, 'Name')), p, 'WebResource/Name');
    } else if (p.startsWith('environmentvariabledefinitions/')) {
      claim(
        'environment variable',
        attrsOf(root)['@_schemaname'] ?? '',
        p,
        'environmentvariabledefinition/@schemaname',
      );
    } else if (/\/FormXml\//.test(p)) {
      for (const f of findAll([root], 'formid')) claim('component id', textOf(f), p, 'systemform/formid');
    } else if (/\/SavedQueries\//.test(p)) {
      for (const q of findAll([root], 'savedqueryid')) claim('component id', textOf(q), p, 'savedquery/savedqueryid');
    } else if (p.startsWith('Workflows/') && p.endsWith('.data.xml')) {
      claim('component id', attrsOf(root)['@_WorkflowId'] ?? '', p, 'Workflow/@WorkflowId');
      claim('workflow', attrsOf(root)['@_Name'] ?? '', p, 'Workflow/@Name');
    } else if (p.startsWith('SdkMessageProcessingSteps/')) {
      claim(
        'component id',
        attrsOf(root)['@_SdkMessageProcessingStepId'] ?? '',
        p,
        'SdkMessageProcessingStep/@SdkMessageProcessingStepId',
      );
      claim('step', attrsOf(root)['@_Name'] ?? '', p, 'SdkMessageProcessingStep/@Name');
    }
  }
  return out;
}
