// Column (field) security: every field permission of a profile names a column of the solution that is secured,
// with permission values Dataverse knows, and no secured column is of a type Dataverse cannot secure.
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

/** `field_security_permission_type`: 0 Not Allowed, 4 Allowed (learn.microsoft.com/power-apps/developer/data-platform/column-level-security). */
const PERMISSION_VALUES = new Set(['0', '4']);
const PERMISSIONS = ['CanRead', 'CanUpdate', 'CanCreate'] as const;
/**
 * "Columns that can't be secured include: … Lookup columns … Primary name columns … System columns like
 * createdon, modifiedon, statecode, and statuscode" (learn.microsoft.com/power-platform/admin/field-level-security).
 */
const UNSECURABLE_TYPES = new Set(['lookup', 'customer', 'owner', 'primarykey', 'state', 'status']);

/** table → column → IsSecured, from the Entity.xml files. */
function securedColumns(ix: SourceIndex): Map<string, Map<string, boolean>> {
  const out = new Map<string, Map<string, boolean>>();
  for (const [p, root] of ix.docs) {
    if (!/^Entities\/[^/]+\/Entity\.xml$/.test(p)) continue;
    const cols = new Map<string, boolean>();
    for (const a of entityAttributes(root))
      cols.set(textOf(child(a, 'LogicalName')).toLowerCase(), textOf(child(a, 'IsSecured')) === '1');
    out.set(entityNameOf(root), cols);
  }
  return out;
}

export function checkFieldSecurity(ix: SourceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [p, root] of ix.docs) {
    if (!/^Entities\/[^/]+\/Entity\.xml$/.test(p)) continue;
    for (const a of entityAttributes(root)) {
      if (textOf(child(a, 'IsSecured')) !== '1') continue;
      const type = textOf(child(a, 'Type')).toLowerCase();
      const name = textOf(child(a, 'LogicalName'));
      if (UNSECURABLE_TYPES.has(type))
        out.push(
          error(
            p,
            `attribute[@PhysicalName='${attrsOf(a)['@_PhysicalName'] ?? name}']/IsSecured`,
            `column ${name} is a ${type} column: Dataverse cannot secure it (column-level security)`,
          ),
        );
    }
  }
  const customizations = ix.docs.get('Other/Customizations.xml');
  if (!customizations) return out;
  const secured = securedColumns(ix);
  const FILE = 'Other/Customizations.xml';
  for (const profile of findAll([customizations], 'FieldSecurityProfile')) {
    const name = attrsOf(profile)['@_name'] ?? '';
    const at = `FieldSecurityProfile[@name='${name}']`;
    const perms = child(profile, 'FieldPermissions');
    const seen = new Set<string>();
    for (const fp of perms ? childrenOf(perms).filter((c) => tagOf(c) === 'FieldPermission') : []) {
      const table = textOf(child(fp, 'EntityName')).toLowerCase();
      const column = textOf(child(fp, 'AttributeName')).toLowerCase();
      const el = `${at}/FieldPermissions/FieldPermission[EntityName='${table}'][AttributeName='${column}']`;
      const cols = secured.get(table);
      if (!cols) out.push(error(FILE, el, `table ${table} is not in the solution`));
      else if (!cols.has(column)) out.push(error(FILE, el, `column ${table}.${column} is not in the solution`));
      else if (!cols.get(column))
        out.push(
          error(FILE, el, `column ${table}.${column} is not secured (IsSecured 0): the permission has no effect`),
        );
      if (seen.has(`${table}.${column}`))
        out.push(error(FILE, el, `profile "${name}" has two permissions for ${table}.${column}`));
      seen.add(`${table}.${column}`);
      for (const k of PERMISSIONS) {
        const v = textOf(child(fp, k));
        if (!PERMISSION_VALUES.has(v))
          out.push(error(FILE, `${el}/${k}`, `${k} is "${v}": field permissions are 0 (Not Allowed) or 4 (Allowed)`));
      }
    }
  }
  return out;
}
