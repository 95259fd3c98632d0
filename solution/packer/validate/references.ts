// Cross-references: lookups, form controls, web resources, steps, roles. Each finding names file and element.
import { error, warning, type Diagnostic } from '../diagnostics.ts';
import {
  attrsOf,
  child,
  childrenOf,
  entityAttributes,
  findAll,
  isKnownTable,
  tagOf,
  textOf,
  type SourceIndex,
} from './context.ts';
import { parseOrdered, type ONode } from '../lib/ordered.ts';

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
      if (!isKnownTable(ix, referenced))
        out.push(
          error(
            p,
            `${el}/ReferencedEntityName`,
            `lookup ${referencing}.${attribute} targets table "${referenced}", which is neither in the solution nor a standard table`,
          ),
        );
      if (!isKnownTable(ix, referencing))
        out.push(error(p, `${el}/ReferencingEntityName`, `table "${referencing}" is not in the solution`));
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
      if (!related.has(`${table}.${name}`))
        out.push(
          error(
            file,
            `attribute[@PhysicalName='${name}']`,
            `lookup ${table}.${name} has no EntityRelationship, so its target table is unknown`,
          ),
        );
    }
  }
  return out;
}

/** Property names (and which are required) declared by a built control's ControlManifest.xml. */
interface ManifestProps {
  all: Set<string>;
  required: Set<string>;
  /** property → data types it accepts (of-type, or the types of its of-type-group) */
  types: Map<string, Set<string>>;
}

function manifestProperties(ix: SourceIndex): Map<string, ManifestProps> {
  const out = new Map<string, ManifestProps>();
  for (const c of ix.controls ?? []) {
    const bytes = c.files.get('ControlManifest.xml');
    const props: ManifestProps = { all: new Set(), required: new Set(), types: new Map() };
    if (bytes) {
      const doc = parseOrdered(new TextDecoder().decode(bytes));
      const groups = new Map(
        findAll(doc, 'type-group').map(
          (g) => [attrsOf(g)['@_name'] ?? '', new Set(findAll([g], 'type').map(textOf))] as const,
        ),
      );
      for (const prop of findAll(doc, 'property')) {
        const a = attrsOf(prop);
        const name = a['@_name'] ?? '';
        props.all.add(name);
        if (a['@_required'] === 'true' && a['@_usage'] === 'bound') props.required.add(name);
        const types = a['@_of-type'] ? new Set([a['@_of-type']]) : groups.get(a['@_of-type-group'] ?? '');
        if (types) props.types.set(name, types);
      }
    }
    out.set(c.name, props);
  }
  return out;
}

/** Relationship schema name → its two tables; table → ids of its views (savedqueryid, braces and case dropped). */
function relationshipsAndViews(ix: SourceIndex) {
  const relationships = new Map<string, { referenced: string; referencing: string }>();
  const views = new Map<string, Set<string>>();
  const norm = (id: string) => id.replace(/[{}]/g, '').toLowerCase();
  for (const [p, root] of ix.docs) {
    if (p.startsWith('Other/Relationships/'))
      for (const r of childrenOf(root).filter((c) => tagOf(c) === 'EntityRelationship'))
        relationships.set(attrsOf(r)['@_Name'] ?? '', {
          referenced: textOf(child(r, 'ReferencedEntityName')).toLowerCase(),
          referencing: textOf(child(r, 'ReferencingEntityName')).toLowerCase(),
        });
    const v = /^Entities\/([^/]+)\/SavedQueries\//.exec(p);
    if (v) {
      const table = v[1]!.toLowerCase();
      for (const q of findAll([root], 'savedqueryid'))
        views.set(table, new Set([...(views.get(table) ?? []), norm(textOf(q))]));
    }
  }
  return { relationships, views, norm };
}

/** A subgrid shows the target's rows related to the form's row: the relationship must join the two tables in that
 * direction (form table referenced, target referencing), and the view must be one of the target's. */
function checkSubgrid(
  ix: SourceIndex,
  p: string,
  table: string,
  c: ONode,
  known: ReturnType<typeof relationshipsAndViews>,
) {
  const out: Diagnostic[] = [];
  const params = child(c, 'parameters');
  const param = (name: string) => (params ? textOf(child(params, name)) : '');
  const el = `control[@id='${attrsOf(c)['@_id'] ?? ''}']/parameters`;
  const target = param('TargetEntityType').toLowerCase();
  const relationship = param('RelationshipName');
  const viewId = param('ViewId');
  if (!target || !isKnownTable(ix, target))
    out.push(
      error(
        p,
        `${el}/TargetEntityType`,
        `subgrid shows table "${target}", which is neither in the solution nor a standard table`,
      ),
    );
  if (relationship) {
    const r = known.relationships.get(relationship);
    if (!r)
      out.push(error(p, `${el}/RelationshipName`, `subgrid relationship "${relationship}" is not in the solution`));
    else if (r.referenced !== table || r.referencing !== target)
      out.push(
        error(
          p,
          `${el}/RelationshipName`,
          `subgrid relationship "${relationship}" joins ${r.referenced} (1) to ${r.referencing} (N), not ${table} to ${target}`,
        ),
      );
  }
  if (viewId && ix.entityFiles.has(target) && !known.views.get(target)?.has(known.norm(viewId)))
    out.push(error(p, `${el}/ViewId`, `subgrid view ${viewId} is not a view of ${target}`));
  return out;
}

export function checkForms(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const controlNames = new Set((ix.controls ?? []).map((c) => c.name));
  const properties = manifestProperties(ix);
  const known = relationshipsAndViews(ix);
  for (const [p, root] of ix.docs) {
    const m = /^Entities\/([^/]+)\/FormXml\//.exec(p);
    if (!m) continue;
    const table = m[1]!.toLowerCase();
    const columns = ix.attributes.get(table) ?? new Set<string>();
    for (const c of findAll([root], 'control')) {
      const a = attrsOf(c);
      if (a['@_indicationOfSubgrid'] === 'true') out.push(...checkSubgrid(ix, p, table, c, known));
      const field = a['@_datafieldname'];
      if (field && !columns.has(field.toLowerCase()))
        out.push(
          error(
            p,
            `control[@id='${a['@_id'] ?? ''}']`,
            `binds column "${field}", which ${table} does not have in the solution`,
          ),
        );
    }
    for (const cc of findAll([root], 'customControl')) {
      const name = attrsOf(cc)['@_name'];
      const declared = name ? properties.get(name) : undefined;
      if (name && declared) {
        const params = child(cc, 'parameters');
        const given = params ? childrenOf(params).map(tagOf) : [];
        const el = `customControl[@name='${name}'][@formFactor='${attrsOf(cc)['@_formFactor'] ?? ''}']/parameters`;
        for (const g of given)
          if (!declared.all.has(g))
            out.push(
              error(
                p,
                el,
                `parameter "${g}" is not a property of ${name} (ControlManifest.xml declares: ${[...declared.all].join(', ')})`,
              ),
            );
        for (const r of declared.required)
          if (!given.includes(r)) out.push(error(p, el, `required bound property "${r}" of ${name} is not bound`));
        for (const param of params ? childrenOf(params) : []) {
          const column = textOf(param);
          const type = attrsOf(param)['@_type'];
          const accepted = declared.types.get(tagOf(param));
          if (type && accepted && !accepted.has(type))
            out.push(
              error(
                p,
                `${el}/${tagOf(param)}`,
                `type ${type} is not accepted by ${name}.${tagOf(param)} (accepts ${[...accepted].join(', ')})`,
              ),
            );
          if (attrsOf(param)['@_static'] !== 'true' && column && !columns.has(column.toLowerCase()))
            out.push(
              error(
                p,
                `${el}/${tagOf(param)}`,
                `binds column "${column}", which ${table} does not have in the solution`,
              ),
            );
        }
      }
      if (!name || controlNames.has(name)) continue;
      if (ix.controls === undefined)
        out.push(
          warning(
            p,
            `customControl[@name='${name}']`,
            'PCF control not packed (pcf-controls output missing); the form falls back to the default control',
          ),
        );
      else
        out.push(
          error(
            p,
            `customControl[@name='${name}']`,
            `PCF control "${name}" is not in the solution (built controls: ${[...controlNames].join(', ') || 'none'})`,
          ),
        );
    }
    for (const lib of findAll([root], 'Library')) {
      const name = attrsOf(lib)['@_name'] ?? '';
      if (!ix.webResources.has(name))
        out.push(error(p, `Library[@name='${name}']`, `web resource "${name}" is not in the solution`));
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
      if (!ix.webResources.has(lib))
        out.push(
          error(
            p,
            `JavaScriptFunction[@FunctionName='${attrsOf(fn)['@_FunctionName'] ?? ''}']`,
            `web resource "${lib}" is not in the solution`,
          ),
        );
    }
    for (const sub of findAll([root], 'SubArea')) {
      const entity = attrsOf(sub)['@_Entity'];
      if (entity && !isKnownTable(ix, entity))
        out.push(error(p, `SubArea[@Id='${attrsOf(sub)['@_Id'] ?? ''}']`, `table "${entity}" is not in the solution`));
    }
  }
  return out;
}

export function checkSteps(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const cust = ix.docs.get('Other/Customizations.xml');
  const endpoints = new Set(
    (cust ? findAll([cust], 'ServiceEndpoint') : []).map((e) =>
      (attrsOf(e)['@_ServiceEndpointId'] ?? '').toLowerCase(),
    ),
  );
  for (const [p, root] of ix.docs) {
    if (!p.startsWith('SdkMessageProcessingSteps/')) continue;
    const handler = child(root, 'EventHandler');
    const id = textOf(handler ? (child(handler, 'ServiceEndpointId') ?? handler) : undefined).toLowerCase();
    if (!endpoints.has(id))
      out.push(
        error(
          p,
          'SdkMessageProcessingStep/EventHandler',
          `service endpoint ${id || '(none)'} is not in Other/Customizations.xml <ServiceEndpoints>`,
        ),
      );
    const entity = textOf(child(root, 'PrimaryEntity'));
    if (!isKnownTable(ix, entity))
      out.push(error(p, 'SdkMessageProcessingStep/PrimaryEntity', `table "${entity}" is not in the solution`));
    const filtering = textOf(child(root, 'FilteringAttributes'));
    for (const f of filtering
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (ix.attributes.has(entity) && !ix.attributes.get(entity)!.has(f))
        out.push(error(p, 'SdkMessageProcessingStep/FilteringAttributes', `column ${entity}.${f} does not exist`));
    }
  }
  return out;
}

// AppendTo before Append: alternation takes the first branch that matches.
const PRIVILEGE = /^prv(AppendTo|Append|Create|Read|Write|Delete|Assign|Share)(.+)$/;

export function checkRoles(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [p, root] of ix.docs) {
    if (!p.startsWith('Roles/')) continue;
    for (const priv of findAll([root], 'RolePrivilege')) {
      const name = attrsOf(priv)['@_name'] ?? '';
      const level = attrsOf(priv)['@_level'] ?? '';
      const m = PRIVILEGE.exec(name);
      if (!['Basic', 'Local', 'Deep', 'Global'].includes(level))
        out.push(error(p, `RolePrivilege[@name='${name}']`, `level "${level}" is not Basic, Local, Deep or Global`));
      const table = m ? m[2]! : '';
      if (table.startsWith('ppc_') && !ix.entityFiles.has(table.toLowerCase()))
        out.push(
          error(p, `RolePrivilege[@name='${name}']`, `privilege on table "${table}", which is not in the solution`),
        );
    }
  }
  return out;
}

/** Views: every fetch attribute/condition/order and layout cell names a column of the view's table. */
export function checkViews(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [p, root] of ix.docs) {
    const m = /^Entities\/([^/]+)\/SavedQueries\//.exec(p);
    if (!m) continue;
    const table = m[1]!.toLowerCase();
    const columns = ix.attributes.get(table);
    if (!columns) continue;
    for (const fetch of findAll([root], 'fetch')) {
      for (const e of findAll([fetch], 'entity')) {
        const name = (attrsOf(e)['@_name'] ?? '').toLowerCase();
        if (name !== table)
          out.push(error(p, `fetch/entity[@name='${name}']`, `view of ${table} queries another table`));
      }
      for (const tag of ['attribute', 'condition', 'order']) {
        for (const a of findAll([fetch], tag)) {
          const col = (attrsOf(a)['@_attribute'] ?? attrsOf(a)['@_name'] ?? '').toLowerCase();
          if (col && !columns.has(col))
            out.push(
              error(
                p,
                `fetch//${tag}[@${tag === 'attribute' ? 'name' : 'attribute'}='${col}']`,
                `column ${table}.${col} does not exist`,
              ),
            );
        }
      }
    }
    for (const cell of findAll([root], 'cell')) {
      const col = (attrsOf(cell)['@_name'] ?? '').toLowerCase();
      if (col && !columns.has(col))
        out.push(error(p, `layoutxml//cell[@name='${col}']`, `column ${table}.${col} does not exist`));
    }
  }
  return out;
}

/** App module: its tables, forms, views, site map and roles must be in the solution (or standard tables). */
export function checkAppModules(ix: SourceIndex, ids: Map<number, Set<string>>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const norm = (v: string): string => v.replace(/[{}]/g, '').toLowerCase();
  for (const [p, root] of ix.docs) {
    if (!p.startsWith('AppModules/')) continue;
    for (const c of findAll([root], 'AppModuleComponent')) {
      const a = attrsOf(c);
      const type = Number(a['@_type']);
      const key = a['@_id'] ? norm(a['@_id']) : (a['@_schemaName'] ?? '').toLowerCase();
      const ok = type === 1 ? isKnownTable(ix, key) : (ids.get(type)?.has(key) ?? false);
      if (!ok)
        out.push(
          error(
            p,
            `AppModuleComponent[@type='${type}'][@${a['@_id'] ? 'id' : 'schemaName'}='${a['@_id'] ?? a['@_schemaName'] ?? ''}']`,
            'is not in the solution',
          ),
        );
    }
    for (const r of findAll([root], 'Role')) {
      const id = norm(attrsOf(r)['@_id'] ?? '');
      if (!ids.get(20)?.has(id))
        out.push(
          error(p, `AppModuleRoleMaps/Role[@id='${attrsOf(r)['@_id'] ?? ''}']`, 'security role is not in the solution'),
        );
    }
  }
  return out;
}

/** Ribbon: buttons → commands → rules and labels must resolve (built-in `Mscrm.*` rules are the platform's). */
export function checkRibbons(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [p, root] of ix.docs) {
    if (!p.endsWith('RibbonDiff.xml')) continue;
    const commands = new Set(findAll([root], 'CommandDefinition').map((c) => attrsOf(c)['@_Id'] ?? ''));
    const rules = root ? child(root, 'RuleDefinitions') : undefined;
    const enable = new Set(rules ? findAll([rules], 'EnableRule').map((r) => attrsOf(r)['@_Id'] ?? '') : []);
    const display = new Set(rules ? findAll([rules], 'DisplayRule').map((r) => attrsOf(r)['@_Id'] ?? '') : []);
    const labels = new Set(findAll([root], 'LocLabel').map((l) => attrsOf(l)['@_Id'] ?? ''));
    for (const b of findAll([root], 'Button')) {
      const a = attrsOf(b);
      if (!commands.has(a['@_Command'] ?? ''))
        out.push(
          error(p, `Button[@Id='${a['@_Id'] ?? ''}']`, `command "${a['@_Command'] ?? ''}" has no CommandDefinition`),
        );
      for (const attr of ['@_LabelText', '@_Alt', '@_ToolTipTitle']) {
        const v = a[attr];
        if (v?.startsWith('$LocLabels:') && !labels.has(v.slice('$LocLabels:'.length)))
          out.push(
            error(p, `Button[@Id='${a['@_Id'] ?? ''}']/@${attr.slice(2)}`, `LocLabel "${v.slice(11)}" is not defined`),
          );
      }
    }
    for (const cmd of findAll([root], 'CommandDefinition')) {
      const id = attrsOf(cmd)['@_Id'] ?? '';
      for (const [tag, defined] of [
        ['EnableRules', enable],
        ['DisplayRules', display],
      ] as const) {
        const list = child(cmd, tag);
        for (const r of list ? childrenOf(list) : []) {
          const rid = attrsOf(r)['@_Id'] ?? '';
          if (!rid.startsWith('Mscrm.') && !defined.has(rid))
            out.push(
              error(p, `CommandDefinition[@Id='${id}']/${tag}`, `rule "${rid}" is not defined in RuleDefinitions`),
            );
        }
      }
    }
  }
  return out;
}
