// Who is calling and what their security roles allow. Privileges are per table
// (prvCreate/prvRead/prvWrite/prvDelete/prvAppend/prvAppendTo + table), as in role XML
// `<RolePrivilege name="prvCreateppc_creditmemo" level="Global"/>`, with their depth. Writing a lookup needs
// Append on the row written and AppendTo on the row it points at (power-platform/admin/security-roles-privileges).
import { Errors } from '../errors.ts';
import type { EntityMeta } from '../metadata/model.ts';

export type Access = 'Create' | 'Read' | 'Write' | 'Delete' | 'Append' | 'AppendTo';

/** Privilege depth, role XML `level` (learn.microsoft.com/power-platform/admin/security-roles-privileges). */
export type Depth = 'Basic' | 'Local' | 'Deep' | 'Global';
const DEPTHS: Depth[] = ['Basic', 'Local', 'Deep', 'Global'];

export function depthOf(level: string | undefined): Depth {
  return DEPTHS.find((d) => d.toLowerCase() === (level ?? '').toLowerCase()) ?? 'Global';
}

/** The deeper of two depths (a user holding a privilege through several roles gets the deepest). */
export function deeper(a: Depth | undefined, b: Depth): Depth {
  return a && DEPTHS.indexOf(a) > DEPTHS.indexOf(b) ? a : b;
}

export interface Principal {
  systemuserid: string;
  azureObjectId?: string;
  fullname: string;
  roles: string[];
  isAdministrator: boolean;
  privileges: Set<string>;
  /** privilege key → depth; absent entries are Global */
  depths?: Map<string, Depth>;
}

const PRIV = /^prv(AppendTo|Append|Create|Read|Write|Delete|Assign|Share)(.+)$/i;

/** Privilege names that do not follow the table name (systemuser's are prvReadUser, prvWriteUser, …). */
const PRIVILEGE_TABLE_ALIASES: Record<string, string> = { user: 'systemuser', activity: 'activitypointer' };

/** Normalises `prvCreateppc_CreditMemo` → `create:ppc_creditmemo`. */
export function privilegeKey(name: string): string | undefined {
  const m = PRIV.exec(name);
  if (!m) return undefined;
  const table = (m[2] as string).toLowerCase();
  return `${(m[1] as string).toLowerCase()}:${PRIVILEGE_TABLE_ALIASES[table] ?? table}`;
}

/**
 * Line-item tables have no privileges of their own: Dataverse checks the parent document's. Activities share the
 * Activity privileges (prvCreateActivity, prvReadActivity, …: the security role editor's single "Activity" row covers
 * task and every other activity type, and activitypointer/activityparty are read with them).
 */
const PRIVILEGE_OWNER: Record<string, string> = {
  salesorderdetail: 'salesorder',
  invoicedetail: 'invoice',
  task: 'activitypointer',
  activityparty: 'activitypointer',
};

/**
 * Tables whose security role entry has no Append / Append To privilege (Currency lists Create, Read, Write
 * and Delete only in the security role editor), so pointing a lookup at them needs no AppendTo.
 */
const NO_APPEND_PRIVILEGES = new Set(['transactioncurrency']);

/**
 * Checks a privilege on a table; with `row`, also its depth on a user-owned table: Basic reaches only the
 * user's own rows. Local and Deep reach the user's business unit (and below); the emulator has one business
 * unit, so they reach every row like Global.
 */
export function checkPrivilege(p: Principal, access: Access, e: EntityMeta, row?: { ownerid?: unknown }): void {
  if (p.isAdministrator) return;
  const table = PRIVILEGE_OWNER[e.logicalName] ?? e.logicalName;
  if ((access === 'AppendTo' || access === 'Append') && NO_APPEND_PRIVILEGES.has(table)) return;
  const key = `${access.toLowerCase()}:${table}`;
  if (!p.privileges.has(key)) throw Errors.privilegeDenied(p.systemuserid, `prv${access}${table}`, e.objectTypeCode);
  if (row && ownOnly(p, access, e) && row.ownerid !== undefined && row.ownerid !== p.systemuserid) {
    throw Errors.privilegeDenied(p.systemuserid, `prv${access}${table}`, e.objectTypeCode);
  }
}

/** Whether the principal reaches only its own rows of this table for this access (Basic depth, user-owned). */
export function ownOnly(p: Principal, access: Access, e: EntityMeta): boolean {
  if (p.isAdministrator || e.ownership !== 'UserOwned' || !e.attributes.has('ownerid')) return false;
  const table = PRIVILEGE_OWNER[e.logicalName] ?? e.logicalName;
  return p.depths?.get(`${access.toLowerCase()}:${table}`) === 'Basic';
}
