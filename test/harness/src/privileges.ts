// What context.utils.hasEntityPrivilege answers for a user: the privileges of the user's roles, read
// from the solution's role XML (solution/src/Roles/*.xml, the same files the Dataverse emulator loads).
// Roles the solution does not ship get what the emulator grants them (test/emulators/dataverse/src/seed.ts).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

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

export interface UserPrivileges {
  /** System Administrator: every privilege */
  all: boolean;
  /** table logical name → privilege type numbers */
  tables: Record<string, number[]>;
}

const STANDARD_SALES = ['account', 'contact', 'salesorder', 'salesorderdetail', 'invoice', 'invoicedetail'];

export function parsePrivilegeName(name: string): [table: string, type: number] | undefined {
  const match = /^prv(AppendTo|Append|Create|Read|Write|Delete|Assign|Share)(.+)$/.exec(name);
  if (!match) return undefined;
  const type = PRIVILEGE_TYPES[match[1]!.toLowerCase()];
  return type === undefined ? undefined : [match[2]!.toLowerCase(), type];
}

export async function readSolutionRoles(rolesDir: string): Promise<Map<string, [string, number][]>> {
  const roles = new Map<string, [string, number][]>();
  for (const file of (await readdir(rolesDir)).filter((f) => f.endsWith('.xml'))) {
    const xml = await readFile(join(rolesDir, file), 'utf8');
    const name = /<Role\b[^>]*\bname="([^"]+)"/.exec(xml)?.[1];
    if (!name) continue;
    const privileges = [...xml.matchAll(/<RolePrivilege\s+name="([^"]+)"/g)]
      .map((m) => parsePrivilegeName(m[1]!))
      .filter((p) => p !== undefined);
    roles.set(name, privileges);
  }
  return roles;
}

export function privilegesFor(
  roleNames: readonly string[],
  solutionRoles: Map<string, [string, number][]>,
): UserPrivileges {
  const result: UserPrivileges = { all: false, tables: {} };
  const add = (table: string, type: number): void => {
    const list = (result.tables[table] ??= []);
    if (!list.includes(type)) list.push(type);
  };
  for (const role of roleNames) {
    if (role === 'System Administrator') result.all = true;
    const fromSolution = solutionRoles.get(role);
    if (fromSolution) for (const [table, type] of fromSolution) add(table, type);
    else if (role === 'Salesperson')
      for (const table of STANDARD_SALES) for (const type of [1, 2, 3, 4, 7, 8]) add(table, type);
  }
  for (const list of Object.values(result.tables)) list.sort((a, b) => a - b);
  return result;
}
