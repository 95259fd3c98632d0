// RetrieveUserPrivileges (bound function on systemuser, MS docs reference/web-api/retrieveuserprivileges):
// what a PCF host's `utils.hasEntityPrivilege` needs. Privileges come back as prv<Access><table> names
// with the deepest depth any of the user's roles grants; System Administrators get every privilege on every
// table at Global depth.
import { createHash } from 'node:crypto';
import { checkPrivilege, deeper, depthOf } from '../auth/principal.ts';
import type { Depth } from '../auth/principal.ts';
import type { EntityMeta } from '../metadata/model.ts';
import type { OpContext, Row } from './context.ts';

const ACCESS = ['create', 'read', 'write', 'delete', 'append', 'appendto', 'assign', 'share'];
const CASED: Record<string, string> = {
  create: 'Create',
  read: 'Read',
  write: 'Write',
  delete: 'Delete',
  append: 'Append',
  appendto: 'AppendTo',
  assign: 'Assign',
  share: 'Share',
};

function privilegeId(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function retrieveUserPrivileges(ctx: OpContext, systemuser: EntityMeta, userId: string): Promise<Row> {
  checkPrivilege(ctx.user, 'Read', systemuser);
  const roles = await ctx.tx.query<{ name: string }>(
    `SELECT r.name FROM dv_userroles ur JOIN "t_role" r ON r.roleid = ur.roleid WHERE ur.systemuserid = $1`,
    [userId],
  );
  const depths = new Map<string, Depth>();
  if (roles.rows.some((r) => r.name === 'System Administrator')) {
    for (const t of ctx.model.entities.keys()) for (const a of ACCESS) depths.set(`${a}:${t}`, 'Global');
  } else {
    const r = await ctx.tx.query<{ privilege: string; depth: string }>(
      `SELECT p.privilege, p.depth FROM dv_userroles ur JOIN dv_roleprivileges p ON p.roleid = ur.roleid WHERE ur.systemuserid = $1`,
      [userId],
    );
    for (const x of r.rows) depths.set(x.privilege, deeper(depths.get(x.privilege), depthOf(x.depth)));
  }
  const keys = [...depths.keys()];
  const businessUnit = await ctx.tx.query<{ bu: string }>(
    `SELECT businessunitid AS bu FROM "t_systemuser" WHERE systemuserid = $1`,
    [userId],
  );
  return {
    '@odata.context': `${ctx.orgUrl}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse`,
    RolePrivileges: keys.sort().map((k) => {
      const [access, table] = k.split(':') as [string, string];
      const name = `prv${CASED[access] ?? access}${table}`;
      return {
        Depth: depths.get(k) ?? 'Global',
        PrivilegeId: privilegeId(name),
        BusinessUnitId: businessUnit.rows[0]?.bu ?? null,
        PrivilegeName: name,
      };
    }),
  };
}
