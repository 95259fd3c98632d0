// The harness's server-side view of the Dataverse emulator: users and their tokens (control API),
// entity set names ($metadata), users' privileges (RetrieveUserPrivileges), and a forwarder for the
// browser's Web API calls.
import type { RolePrivilege } from './privileges.ts';

export interface EmulatorUser {
  key: string;
  systemuserid: string;
  fullname: string;
  roles: string[];
}

export interface DataverseLink {
  url: string;
  users(): Promise<EmulatorUser[]>;
  token(userKey: string): Promise<string>;
  /** logical name → entity set name */
  entitySets(): Promise<Record<string, string>>;
  /** RetrieveUserPrivileges for a user, asked as the administrator (the host reads them, not the user) */
  userPrivileges(systemuserid: string): Promise<RolePrivilege[]>;
}

async function ok(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

export function linkDataverse(dataverseUrl: string): DataverseLink {
  const url = dataverseUrl.replace(/\/+$/, '');
  let sets: Promise<Record<string, string>> | undefined;
  const link: DataverseLink = {
    url,
    async users() {
      const all = (await (await ok(await fetch(`${url}/_emulator/users`), 'list users')).json()) as (EmulatorUser & {
        applicationId?: string;
      })[];
      return all.filter((u) => !u.applicationId);
    },
    async token(userKey) {
      const response = await ok(
        await fetch(`${url}/_emulator/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ user: userKey }),
        }),
        `token for ${userKey}`,
      );
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async userPrivileges(systemuserid) {
      const token = await link.token('admin');
      const response = await ok(
        await fetch(
          `${url}/api/data/v9.2/systemusers(${systemuserid})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`,
          {
            headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
          },
        ),
        `privileges of ${systemuserid}`,
      );
      return ((await response.json()) as { RolePrivileges: RolePrivilege[] }).RolePrivileges;
    },
    entitySets() {
      sets ??= (async () => {
        const token = await link.token('admin');
        const xml = await (
          await ok(
            await fetch(`${url}/api/data/v9.2/$metadata`, { headers: { Authorization: `Bearer ${token}` } }),
            '$metadata',
          )
        ).text();
        const map: Record<string, string> = {};
        for (const m of xml.matchAll(/<EntitySet\s+Name="([^"]+)"\s+EntityType="[^"]*?\.([^".]+)"/g))
          map[m[2]!] = m[1]!;
        return map;
      })();
      return sets;
    },
  };
  return link;
}
