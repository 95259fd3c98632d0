// Column (field) security, as Microsoft documents it:
// - A secured column (AttributeMetadata.IsSecured) can be read or set only by System Administrators and by the
//   users and teams of a field security profile whose field permission allows it ("When a column is secured,
//   only people who have the system administrator security role can read or set the value",
//   learn.microsoft.com/power-apps/developer/data-platform/column-level-security#provide-access-to-secured-columns).
// - Permissions are CanRead / CanCreate / CanUpdate, each 0 Not Allowed or 4 Allowed (same page).
// - Setting a secured column without the permission fails: create with AttributePrivilegeCreateIsMissing
//   (0x8004F502), update with AttributePermissionUpdateIsMissingDuringUpdate (0x8004F507), both 403 Forbidden
//   (learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes and
//   .../webapi/compose-http-requests-handle-errors#identify-status-codes).
// - Reading without CanRead: the row comes back, the column's value does not (the apps show "********",
//   learn.microsoft.com/power-platform/admin/field-level-security); the emulator returns null.
// Not modelled: team membership of profiles, field sharing (PrincipalObjectAttributeAccess), masking rules, and
// secured columns inside $expand-ed related rows.
import { Errors } from '../errors.ts';
import type { EntityMeta } from '../metadata/model.ts';
import { attrOf, child, children, text, type XmlNode } from '../metadata/xml.ts';
import type { Queryable } from '../storage/database.ts';
import type { OpContext, Row } from './context.ts';

const ALLOWED = 4;

export interface FieldPermission {
  entity: string;
  attribute: string;
  canRead: boolean;
  canCreate: boolean;
  canUpdate: boolean;
}

export interface FieldSecurityProfile {
  id: string;
  name: string;
  permissions: FieldPermission[];
}

export const FIELD_SECURITY_DDL = [
  'CREATE TABLE IF NOT EXISTS dv_fieldpermissions (profilename text, entity text, attribute text, canread boolean, cancreate boolean, canupdate boolean, PRIMARY KEY (profilename, entity, attribute))',
  // systemuserprofiles_association, by profile name (the seed names profiles the way it names roles)
  'CREATE TABLE IF NOT EXISTS dv_userfieldprofiles (systemuserid uuid, profilename text, PRIMARY KEY (systemuserid, profilename))',
];
export const FIELD_SECURITY_DROP = [
  'DROP TABLE IF EXISTS dv_fieldpermissions',
  'DROP TABLE IF EXISTS dv_userfieldprofiles',
];

/** `<FieldSecurityProfiles>` of customizations.xml (CustomizationsSolution.xsd FieldSecurityProfilesType). */
export function parseFieldSecurityProfiles(el: XmlNode | undefined): FieldSecurityProfile[] {
  return children(el, 'FieldSecurityProfile').map((p) => ({
    id: (attrOf(p, 'fieldsecurityprofileid') ?? '').replace(/[{}]/g, '').toLowerCase(),
    name: attrOf(p, 'name') ?? '',
    permissions: children(child(p, 'FieldPermissions'), 'FieldPermission').map((f) => ({
      entity: (text(f, 'EntityName') ?? '').toLowerCase(),
      attribute: (text(f, 'AttributeName') ?? '').toLowerCase(),
      canRead: Number(text(f, 'CanRead')) === ALLOWED,
      canCreate: Number(text(f, 'CanCreate')) === ALLOWED,
      canUpdate: Number(text(f, 'CanUpdate')) === ALLOWED,
    })),
  }));
}

export async function seedFieldPermissions(tx: Queryable, profiles: readonly FieldSecurityProfile[]): Promise<void> {
  for (const p of profiles)
    for (const f of p.permissions)
      await tx.query(
        `INSERT INTO dv_fieldpermissions (profilename, entity, attribute, canread, cancreate, canupdate) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (profilename, entity, attribute) DO UPDATE SET canread = EXCLUDED.canread, cancreate = EXCLUDED.cancreate, canupdate = EXCLUDED.canupdate`,
        [p.name, f.entity, f.attribute, f.canRead, f.canCreate, f.canUpdate],
      );
}

/** Adds a user to a profile (what the admin does in Power Platform admin center after import). */
export async function addUserToProfile(tx: Queryable, systemuserid: string, profileName: string): Promise<void> {
  await tx.query(
    'INSERT INTO dv_userfieldprofiles (systemuserid, profilename) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [systemuserid, profileName],
  );
}

const securedOf = (e: EntityMeta) => [...e.attributes.values()].filter((a) => a.isSecured).map((a) => a.logicalName);

type Access = 'canread' | 'cancreate' | 'canupdate';

/** The secured columns of `e` the caller's profiles allow for `access`. */
async function allowed(ctx: OpContext, e: EntityMeta, access: Access): Promise<Set<string>> {
  const r = await ctx.tx.query<{ attribute: string }>(
    `SELECT DISTINCT fp.attribute FROM dv_userfieldprofiles m JOIN dv_fieldpermissions fp ON fp.profilename = m.profilename
     WHERE m.systemuserid = $1 AND fp.entity = $2 AND fp.${access}`,
    [ctx.user.systemuserid, e.logicalName],
  );
  return new Set(r.rows.map((x) => x.attribute));
}

/** Refuses a create or update that sets a secured column the caller may not set. `written`: logical names. */
export async function checkSecuredWrite(
  ctx: OpContext,
  e: EntityMeta,
  written: readonly string[],
  op: 'create' | 'update',
): Promise<void> {
  if (ctx.user.isAdministrator) return;
  const secured = securedOf(e).filter((a) => written.includes(a));
  if (!secured.length) return;
  const ok = await allowed(ctx, e, op === 'create' ? 'cancreate' : 'canupdate');
  const denied = secured.find((a) => !ok.has(a));
  if (denied === undefined) return;
  throw op === 'create'
    ? Errors.attributePrivilegeCreateIsMissing(e.logicalName, denied)
    : Errors.attributePermissionUpdateIsMissingDuringUpdate(e.logicalName, denied);
}

/** Blanks the secured columns the caller may not read (storage rows, before formatting). */
export async function maskSecuredReads(ctx: OpContext, e: EntityMeta, rows: Row[]): Promise<void> {
  if (ctx.user.isAdministrator || !rows.length) return;
  const secured = securedOf(e);
  if (!secured.length) return;
  const ok = await allowed(ctx, e, 'canread');
  const hidden = secured.filter((a) => !ok.has(a));
  for (const row of rows) for (const a of hidden) if (a in row) row[a] = null;
}
