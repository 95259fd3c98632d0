import type { RoleDef, Verb } from '../model/roles.ts';
import { privilegeName } from '../model/roles.ts';
import type { XmlNode } from '../lib/xml.ts';

const VERBS: readonly Verb[] = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo', 'Assign', 'Share'];

export function roleXml(role: RoleDef): XmlNode {
  const privileges = Object.entries(role.grants)
    .flatMap(([table, grants]) =>
      VERBS.filter((v) => grants[v]).map((v) => ({ '@_name': privilegeName(v, table), '@_level': grants[v]! })),
    )
    .sort((a, b) => a['@_name'].localeCompare(b['@_name']));
  return {
    Role: {
      '@_id': `{${role.id}}`,
      '@_name': role.name,
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      // Managed property: customers copy a role to change it; the shipped privileges stay ours.
      IsCustomizable: 0,
      RolePrivileges: { RolePrivilege: privileges },
    },
  };
}
