// References a build must resolve before an import can work in a real org: cloud flows → connection references,
// environment variables, trigger tables and columns; role privileges → a table that exists, with a verb that table
// has (Microsoft tables included); parental relationships → a parent whose ownership a child can follow.
import { error, type Diagnostic } from '../diagnostics.ts';
import type { FileTree } from '../source.ts';
import {
  attrsOf,
  child,
  childrenOf,
  findAll,
  isKnownEntitySet,
  isKnownTable,
  tagOf,
  textOf,
  type SourceIndex,
} from './context.ts';

/**
 * Microsoft tables a role of this solution may grant: privilege entity name (the `<X>` of `prvRead<X>`) and
 * ownership, from each table's Microsoft Learn reference page (learn.microsoft.com/power-apps/developer/data-platform/
 * reference/entities/<table>: "OwnershipType"). User/team-owned tables have Assign and Share privileges; organization-
 * and business-owned tables do not.
 */
export const PLATFORM_PRIVILEGE_TABLES: Readonly<
  Record<string, { privilegeEntity: string; ownership: 'UserOwned' | 'OrganizationOwned' | 'BusinessOwned' }>
> = {
  account: { privilegeEntity: 'Account', ownership: 'UserOwned' },
  contact: { privilegeEntity: 'Contact', ownership: 'UserOwned' },
  salesorder: { privilegeEntity: 'SalesOrder', ownership: 'UserOwned' },
  invoice: { privilegeEntity: 'Invoice', ownership: 'UserOwned' },
  product: { privilegeEntity: 'Product', ownership: 'OrganizationOwned' },
  transactioncurrency: { privilegeEntity: 'TransactionCurrency', ownership: 'OrganizationOwned' },
  pricelevel: { privilegeEntity: 'PriceLevel', ownership: 'OrganizationOwned' },
  uom: { privilegeEntity: 'UoM', ownership: 'OrganizationOwned' },
  systemuser: { privilegeEntity: 'User', ownership: 'BusinessOwned' },
  team: { privilegeEntity: 'Team', ownership: 'BusinessOwned' },
  role: { privilegeEntity: 'Role', ownership: 'BusinessOwned' },
  environmentvariabledefinition: { privilegeEntity: 'EnvironmentVariableDefinition', ownership: 'UserOwned' },
  environmentvariablevalue: { privilegeEntity: 'EnvironmentVariableValue', ownership: 'UserOwned' },
  businessunit: { privilegeEntity: 'BusinessUnit', ownership: 'BusinessOwned' },
  organization: { privilegeEntity: 'Organization', ownership: 'OrganizationOwned' },
};

const PRIVILEGE = /^prv(AppendTo|Append|Create|Read|Write|Delete|Assign|Share)(.+)$/;
const OWNER_VERBS = new Set(['Assign', 'Share']);

function ownershipOf(ix: SourceIndex, table: string): string | undefined {
  const file = ix.entityFiles.get(table);
  if (file) {
    const info = child(ix.docs.get(file)!, 'EntityInfo');
    const entity = info ? child(info, 'entity') : undefined;
    const mask = entity ? textOf(child(entity, 'OwnershipTypeMask')) : '';
    if (mask) return mask === 'OrgOwned' ? 'OrganizationOwned' : mask;
  }
  return PLATFORM_PRIVILEGE_TABLES[table]?.ownership;
}

export function checkPrivileges(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byPrivilegeEntity = new Map<string, string>();
  for (const t of ix.entityFiles.keys()) if (t.startsWith('ppc_')) byPrivilegeEntity.set(t, t);
  for (const [t, p] of Object.entries(PLATFORM_PRIVILEGE_TABLES)) byPrivilegeEntity.set(p.privilegeEntity, t);
  for (const [p, root] of ix.docs) {
    if (!p.startsWith('Roles/')) continue;
    for (const priv of findAll([root], 'RolePrivilege')) {
      const name = attrsOf(priv)['@_name'] ?? '';
      const el = `RolePrivilege[@name='${name}']`;
      const m = PRIVILEGE.exec(name);
      if (!m) {
        out.push(error(p, el, `"${name}" is not prv<Create|Read|Write|Delete|Append|AppendTo|Assign|Share><table>`));
        continue;
      }
      const verb = m[1]!;
      const table = byPrivilegeEntity.get(m[2]!);
      if (!table && m[2]!.startsWith('ppc_')) continue; // checkRoles reports a custom table that is not shipped
      if (!table) {
        out.push(
          error(
            p,
            el,
            `no table has privilege entity "${m[2]}" (custom tables use their logical name; Microsoft tables their privilege name, e.g. prvReadSalesOrder)`,
          ),
        );
        continue;
      }
      const ownership = ownershipOf(ix, table);
      if (OWNER_VERBS.has(verb) && ownership !== 'UserOwned')
        out.push(error(p, el, `${table} is ${ownership ?? 'not user-owned'}: it has no ${verb} privilege`));
    }
  }
  return out;
}

/** A parental relationship (assign/share/reparent cascade) needs a user-owned parent for a user-owned child. */
export function checkParentalOwnership(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [p, root] of ix.docs) {
    if (!p.startsWith('Other/Relationships/')) continue;
    for (const r of childrenOf(root).filter((c) => tagOf(c) === 'EntityRelationship')) {
      if (textOf(child(r, 'CascadeAssign')) !== 'Cascade') continue;
      const parent = textOf(child(r, 'ReferencedEntityName')).toLowerCase();
      const childTable = textOf(child(r, 'ReferencingEntityName')).toLowerCase();
      const po = ownershipOf(ix, parent);
      const co = ownershipOf(ix, childTable);
      if (co === 'UserOwned' && po !== 'UserOwned')
        out.push(
          error(
            p,
            `EntityRelationship[@Name='${attrsOf(r)['@_Name'] ?? '?'}']/CascadeAssign`,
            `parental relationship from ${po ?? 'unknown-ownership'} ${parent} to user-owned ${childTable}: assign/share cannot cascade from a parent without an owner`,
          ),
        );
    }
  }
  return out;
}

function walk(v: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(v)) for (const x of v) walk(x, visit);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      visit(k, x);
      walk(x, visit);
    }
}

/** Connection references declared in Other/Customizations.xml. */
export function connectionReferences(ix: SourceIndex): Set<string> {
  const cust = ix.docs.get('Other/Customizations.xml');
  const refs = cust ? findAll([cust], 'connectionreference') : [];
  return new Set(refs.map((r) => attrsOf(r)['@_connectionreferencelogicalname'] ?? '').filter(Boolean));
}

export function environmentVariables(tree: FileTree): Set<string> {
  const out = new Set<string>();
  for (const p of tree.keys()) {
    const m = /^environmentvariabledefinitions\/([^/]+)\/environmentvariabledefinition\.xml$/.exec(p);
    if (m) out.add(m[1]!);
  }
  return out;
}

/** Every flow's connection references, environment variable parameters, tables and columns resolve. */
export function checkFlowReferences(tree: FileTree, ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const refs = connectionReferences(ix);
  const vars = environmentVariables(tree);
  for (const [p, bytes] of tree) {
    if (!p.startsWith('Workflows/') || !p.endsWith('.json')) continue;
    let doc: { properties?: { connectionReferences?: Record<string, unknown>; definition?: unknown } };
    try {
      doc = JSON.parse(new TextDecoder().decode(bytes)) as typeof doc;
    } catch {
      continue; // checkFlows reports invalid JSON
    }
    const props = doc.properties ?? {};
    for (const [key, ref] of Object.entries(props.connectionReferences ?? {})) {
      const name = (ref as { connection?: { connectionReferenceLogicalName?: string } }).connection
        ?.connectionReferenceLogicalName;
      if (!name || !refs.has(name))
        out.push(
          error(
            p,
            `/properties/connectionReferences/${key}`,
            `connection reference "${name ?? '(none)'}" is not declared in Other/Customizations.xml <connectionreferences>`,
          ),
        );
    }
    const definition = props.definition as { parameters?: Record<string, { metadata?: { schemaName?: string } }> };
    for (const [param, def] of Object.entries(definition?.parameters ?? {})) {
      const schema = def.metadata?.schemaName;
      if (schema && !vars.has(schema))
        out.push(
          error(
            p,
            `/properties/definition/parameters/${param}`,
            `environment variable "${schema}" has no environmentvariabledefinitions/${schema}/environmentvariabledefinition.xml`,
          ),
        );
    }
    const tables: string[] = [];
    walk(definition, (key, value) => {
      if (typeof value !== 'string') return;
      if (key === 'subscriptionRequest/entityname' || key === 'entityName') {
        tables.push(value);
        // the trigger names a table by its logical name, the row actions by its entity set name
        const known = key === 'entityName' ? isKnownEntitySet(ix, value) : isKnownTable(ix, value);
        if (!known) out.push(error(p, key, `table "${value}" is neither in the solution nor a standard table`));
      }
    });
    walk(definition, (key, value) => {
      if (key !== 'subscriptionRequest/filteringattributes' || typeof value !== 'string') return;
      for (const column of value
        .split(',')
        .map((c) => c.trim().toLowerCase())
        .filter(Boolean))
        for (const t of tables)
          if (ix.attributes.has(t) && !ix.attributes.get(t)!.has(column))
            out.push(error(p, key, `column ${t}.${column} does not exist`));
    });
  }
  return out;
}
