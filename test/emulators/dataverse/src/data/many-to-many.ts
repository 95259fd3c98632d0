// N:N relationships the product needs. Only systemuserroles_association (systemuser ⇄ role), stored in
// dv_userroles, which is how code reads a user's security roles:
// `systemusers(<id>)?$expand=systemuserroles_association($select=name)` or
// `roles?$filter=systemuserroles_association/any(u:u/systemuserid eq <id>)`.
import type { EntityMeta, Model } from '../metadata/model.ts';

export interface ManyToMany {
  name: string;
  intersect: string;
  /** entity logical name → its column in the intersect table */
  sides: Record<string, string>;
}

export const MANY_TO_MANY: ManyToMany[] = [
  {
    name: 'systemuserroles_association',
    intersect: 'dv_userroles',
    sides: { systemuser: 'systemuserid', role: 'roleid' },
  },
];

/** For a navigation on `from`: the N:N, the other table and the intersect columns. */
export function manyToMany(
  model: Model,
  from: EntityMeta,
  navigation: string,
): { rel: ManyToMany; other: EntityMeta; fromColumn: string; otherColumn: string } | undefined {
  const rel = MANY_TO_MANY.find((r) => r.name === navigation && from.logicalName in r.sides);
  if (!rel) return undefined;
  const otherName = Object.keys(rel.sides).find((k) => k !== from.logicalName) as string;
  const other = model.entities.get(otherName);
  if (!other) return undefined;
  return { rel, other, fromColumn: rel.sides[from.logicalName] as string, otherColumn: rel.sides[otherName] as string };
}
