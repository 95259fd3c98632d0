// Cross-references: lookups, form controls, web resources, steps, roles. Each finding names file and element.
import { error, warning, type Diagnostic } from '../diagnostics.ts';
import { attrsOf, child, childrenOf, entityAttributes, findAll, isKnownTable, tagOf, textOf, type SourceIndex } from './context.ts';

export function checkRelationships(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const related = new Set<string>();
  for (const [p, root] of ix.docs) {
    if (!p.startsWith('Other/Relationships/')) continue;
    for (const r of childrenOf(root).filter((c) => tagOf(c) === 'EntityRelationship')) {
      const name = attrsOf(r)['@_Name'] ?? '?';
      const el = `EntityRelationship[@Name='${name}']`;
      const referenced = textOf(child(r, 'ReferencedEntityName')).toLowerCase();
      const referencing = textOf(child(r, 'ReferencingEntityName')).toLowerCase();
      const attribute = textOf(child(r, 'ReferencingAttributeName')).toLowerCase();
      if (!isKnownTable(ix, referenced)) out.push(error(p, `${el}/ReferencedEntityName`, `lookup ${referencing}.${attribute} targets table "${referenced}", which is neither in the solution nor a standard table`));
      if (!isKnownTable(ix, referencing)) out.push(error(p, `${el}/ReferencingEntityName`, `table "${referencing}" is not in the solution`));
      else if (ix.attributes.has(referencing) && !ix.attributes.get(referencing)!.has(attribute))
        out.push(error(p, `${el}/ReferencingAttributeName`, `column ${referencing}.${attribute} does not exist`));
      related.add(`${referencing}.${attribute}`);
    }
  }
  for (const [table, file] of ix.entityFiles) {
    const root = ix.docs.get(file)!;
    for (const a of entityAttributes(root)) {
      if (textOf(child(a, 'Type')) !== 'lookup' || textOf(child(a, 'IsCustomField')) !== '1') continue;
      const name = textOf(child(a, 'LogicalName'));
      if (!related.has(`${table}.${name}`)) out.push(error(file, `attribute[@PhysicalName='${name}']`, `lookup ${table}.${name} has no EntityRelationship, so its target table is unknown`));
    }
  }
  return out;
}

export function checkForms(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const controlNames = new Set((ix.controls ?? []).map((c) => c.name));
  for (const [p, root] of ix.docs) {
    const m = /^Entities\/([^/]+)\/FormXml\//.exec(p);
    if (!m) continue;
    const table = m[1]!.toLowerCase();
    const columns = ix.attributes.get(table) ?? new Set<string>();
    for (const c of findAll([root], 'control')) {
      const a = attrsOf(c);
      const field = a['@_datafieldname'];
      if (field && !columns.has(field.toLowerCase())) out.push(error(p, `control[@id='${a['@_id'] ?? ''}']`, `binds column "${field}", which ${table} does not have in the solution`));
    }
    for (const cc of findAll([root], 'customControl')) {
      const name = attrsOf(cc)['@_name'];
      if (!name || controlNames.has(name)) continue;
      if (ix.controls === undefined) out.push(warning(p, `customControl[@name='${name}']`, 'PCF control not packed (pcf-controls output missing); the form falls back to the default control'));
      else out.push(error(p, `customControl[@name='${name}']`, `PCF control "${name}" is not in the solution (built controls: ${[...controlNames].join(', ') || 'none'})`));
    }
    for (const lib of findAll([root], 'Library')) {
      const name = attrsOf(lib)['@_name'] ?? '';
      if (!ix.webResources.has(name)) out.push(error(p, `Library[@name='${name}']`, `web resource "${name}" is not in the solution`));
    }
  }
  return out;
}

export function checkWebResourceRefs(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [p, root] of ix.docs) {
    if (!p.endsWith('RibbonDiff.xml') && !p.startsWith('AppModuleSiteMaps/') && !p.startsWith('AppModules/')) continue;
    for (const fn of findAll([root], 'JavaScriptFunction')) {
      const lib = (attrsOf(fn)['@_Library'] ?? '').replace(/^\$webresource:/, '');
      if (!ix.webResources.has(lib)) out.push(error(p, `JavaScriptFunction[@FunctionName='${attrsOf(fn)['@_FunctionName'] ?? ''}']`, `web resource "${lib}" is not in the solution`));
    }
    for (const sub of findAll([root], 'SubArea')) {
      const entity = attrsOf(sub)['@_Entity'];
      if (entity && !isKnownTable(ix, entity)) out.push(error(p, `SubArea[@Id='${attrsOf(sub)['@_Id'] ?? ''}']`, `table "${entity}" is not in the solution`));
    }
  }
  return out;
}

export function checkSteps(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const cust = ix.docs.get('Other/Customizations.xml');
  const endpoints = new Set(
    (cust ? findAll([cust], 'ServiceEndpoint') : []).map((e) => (attrsOf(e)['@_ServiceEndpointId'] ?? '').toLowerCase()),
  );
  for (const [p, root] of ix.docs) {
    if (!p.startsWith('SdkMessageProcessingSteps/')) continue;
    const handler = child(root, 'EventHandler');
    const id = textOf(handler ? child(handler, 'ServiceEndpointId') ?? handler : undefined).toLowerCase();
    if (!endpoints.has(id)) out.push(error(p, 'SdkMessageProcessingStep/EventHandler', `service endpoint ${id || '(none)'} is not in Other/Customizations.xml <ServiceEndpoints>`));
    const entity = textOf(child(root, 'PrimaryEntity'));
    if (!isKnownTable(ix, entity)) out.push(error(p, 'SdkMessageProcessingStep/PrimaryEntity', `table "${entity}" is not in the solution`));
    const filtering = textOf(child(root, 'FilteringAttributes'));
    for (const f of filtering.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (ix.attributes.has(entity) && !ix.attributes.get(entity)!.has(f)) out.push(error(p, 'SdkMessageProcessingStep/FilteringAttributes', `column ${entity}.${f} does not exist`));
    }
  }
  return out;
}

const PRIVILEGE = /^prv(Create|Read|Write|Delete|Append|AppendTo|Assign|Share)(.+)$/;

export function checkRoles(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [p, root] of ix.docs) {
    if (!p.startsWith('Roles/')) continue;
    for (const priv of findAll([root], 'RolePrivilege')) {
      const name = attrsOf(priv)['@_name'] ?? '';
      const level = attrsOf(priv)['@_level'] ?? '';
      const m = PRIVILEGE.exec(name);
      if (!['Basic', 'Local', 'Deep', 'Global'].includes(level)) out.push(error(p, `RolePrivilege[@name='${name}']`, `level "${level}" is not Basic, Local, Deep or Global`));
      // AppendTo is matched before Append by the regex's alternation order only if listed first; handle explicitly.
      const table = m ? (name.startsWith('prvAppendTo') ? name.slice('prvAppendTo'.length) : m[2]!) : '';
      if (table.startsWith('ppc_') && !ix.entityFiles.has(table.toLowerCase())) out.push(error(p, `RolePrivilege[@name='${name}']`, `privilege on table "${table}", which is not in the solution`));
    }
  }
  return out;
}
