// What context.utils.hasEntityPrivilege answers for a user: the privileges Dataverse itself reports for
// that user through RetrieveUserPrivileges (learn.microsoft.com/power-apps/developer/data-platform/webapi/
// reference/retrieveuserprivileges), so the form shows what the environment enforces, never a copy.

/** PropertyHelper.Types.PrivilegeType numbering (componentframework.d.ts). */
const PRIVILEGE_TYPES: Record<string, number> = {
  create: 1,
  read: 2,
  write: 3,
  delete: 4,
  assign: 5,
  share: 6,
  append: 7,
  appendto: 8,
};

/** Privilege names that do not follow the table name (systemuser's are prvReadUser, prvWriteUser, …). */
const TABLE_ALIASES: Record<string, string> = { user: 'systemuser' };

export interface UserPrivileges {
  /** System Administrator: every privilege */
  all: boolean;
  /** table logical name → privilege type numbers */
  tables: Record<string, number[]>;
}

/** One entry of RetrieveUserPrivilegesResponse.RolePrivileges. */
export interface RolePrivilege {
  PrivilegeName: string;
  Depth?: string;
}

export function parsePrivilegeName(name: string): [table: string, type: number] | undefined {
  const match = /^prv(AppendTo|Append|Create|Read|Write|Delete|Assign|Share)(.+)$/.exec(name);
  if (!match) return undefined;
  const type = PRIVILEGE_TYPES[match[1]!.toLowerCase()];
  const table = match[2]!.toLowerCase();
  return type === undefined ? undefined : [TABLE_ALIASES[table] ?? table, type];
}

export function privilegesFrom(rolePrivileges: readonly RolePrivilege[], isAdministrator: boolean): UserPrivileges {
  const result: UserPrivileges = { all: isAdministrator, tables: {} };
  for (const p of rolePrivileges) {
    const parsed = parsePrivilegeName(p.PrivilegeName);
    if (!parsed) continue;
    const list = (result.tables[parsed[0]] ??= []);
    if (!list.includes(parsed[1])) list.push(parsed[1]);
  }
  for (const list of Object.values(result.tables)) list.sort((a, b) => a - b);
  return result;
}
