// Who is calling and what their security roles allow. Privileges are per table
// (prvCreate/prvRead/prvWrite/prvDelete/prvAppend/prvAppendTo + table), as in role XML
// `<RolePrivilege name="prvCreateppc_creditmemo" level="Global"/>`. Writing a lookup needs Append on the
// row written and AppendTo on the row it points at (power-platform/admin/security-roles-privileges).
import { Errors } from '../errors.ts';
import type { EntityMeta } from '../metadata/model.ts';

export type Access = 'Create' | 'Read' | 'Write' | 'Delete' | 'Append' | 'AppendTo';

export interface Principal {
  systemuserid: string;
  azureObjectId?: string;
  fullname: string;
  roles: string[];
  isAdministrator: boolean;
  privileges: Set<string>;
}

const PRIV = /^prv(AppendTo|Append|Create|Read|Write|Delete|Assign|Share)(.+)$/i;

/** Privilege names that do not follow the table name (systemuser's are prvReadUser, prvWriteUser, …). */
const PRIVILEGE_TABLE_ALIASES: Record<string, string> = { user: 'systemuser' };

/** Normalises `prvCreateppc_CreditMemo` → `create:ppc_creditmemo`. */
export function privilegeKey(name: string): string | undefined {
  const m = PRIV.exec(name);
  if (!m) return undefined;
  const table = (m[2] as string).toLowerCase();
  return `${(m[1] as string).toLowerCase()}:${PRIVILEGE_TABLE_ALIASES[table] ?? table}`;
}

/** Line-item tables have no privileges of their own: Dataverse checks the parent document's. */
const PRIVILEGE_OWNER: Record<string, string> = { salesorderdetail: 'salesorder', invoicedetail: 'invoice' };

/**
 * Tables whose security role entry has no Append / Append To privilege (Currency lists Create, Read, Write
 * and Delete only in the security role editor), so pointing a lookup at them needs no AppendTo.
 */
const NO_APPEND_PRIVILEGES = new Set(['transactioncurrency']);

export function checkPrivilege(p: Principal, access: Access, e: EntityMeta): void {
  if (p.isAdministrator) return;
  const table = PRIVILEGE_OWNER[e.logicalName] ?? e.logicalName;
  if ((access === 'AppendTo' || access === 'Append') && NO_APPEND_PRIVILEGES.has(table)) return;
  if (p.privileges.has(`${access.toLowerCase()}:${table}`)) return;
  throw Errors.privilegeDenied(p.systemuserid, `prv${access}${table}`, e.objectTypeCode);
}
