// The activity model: activitypointer and activityparty are read-only views over the activity tables the emulator
// hosts (task; any other table with Microsoft's activity shape joins them by itself).
//
// Microsoft: "activitypointer" is the Activity table, "Task performed, or to be performed, by a user"; every
// activity type (task, email, …) shares its activityid with an activitypointer row, and activitytypecode names the
// type (reference/entities/activitypointer.md: messages Retrieve, RetrieveMultiple and Rollup only, so it is
// read, never written, through the Web API). activityparty ("Person or group associated with an activity",
// reference/entities/activityparty.md: message RetrieveMultiple only) holds the parties. The emulator gives a task
// two: its owner (participationtypemask 9 Owner) and, when set, its regarding record (8 Regarding), masks as
// learn.microsoft.com/power-apps/developer/data-platform/activityparty-entity defines them. Which parties a real org
// records for a task is not stated on the pages read here: that choice is the emulator's (README, Limitations).
//
// As views the rows can never drift from the activity rows: a task created, changed or deleted in any way (Web
// API, $batch, CreateMultiple, solution data) is at once what activitypointers/activityparties return.
import type { AttributeMeta, EntityMeta, Model } from '../metadata/model.ts';
import { col, sqlType, tableName, typeColumn } from './schema.ts';

export const VIEW_TABLES = new Set(['activitypointer', 'activityparty']);

export function isView(e: EntityMeta): boolean {
  return VIEW_TABLES.has(e.logicalName);
}

/** Tables with Microsoft's activity shape: primary key activityid and an activitytypecode column. */
export function activityTables(model: Model): EntityMeta[] {
  return [...model.entities.values()].filter(
    (e) => !isView(e) && e.primaryIdAttribute === 'activityid' && e.attributes.has('activitytypecode'),
  );
}

/** `activitytypecode` of an activity table: its own logical name, kept by the database on every write path. */
export function activityTypeCode(e: EntityMeta, a: AttributeMeta): string | undefined {
  if (a.logicalName !== 'activitytypecode' || a.type !== 'entityname' || isView(e)) return undefined;
  return e.primaryIdAttribute === 'activityid' ? e.logicalName : undefined;
}

const nullOf = (a: AttributeMeta): string => `NULL::${sqlType(a)}`;
const literal = (s: string): string => `'${s.replace(/'/g, "''")}'::text`;

/** The source table's value for a view column (same name), cast to the view's type; NULL when it has none. */
function valueFrom(s: EntityMeta, a: AttributeMeta): string {
  const sa = s.attributes.get(a.logicalName);
  return sa ? `CAST(${col(a.logicalName)} AS ${sqlType(a)})` : nullOf(a);
}

/** The `<lookup>__type` column of a polymorphic view column, from the source lookup `name`. */
function lookupType(s: EntityMeta, name: string): string {
  const sa = s.attributes.get(name);
  if (!sa?.targets) return 'NULL::text';
  const tc = typeColumn(sa);
  if (tc) return col(tc);
  return `CASE WHEN ${col(name)} IS NULL THEN NULL ELSE ${literal(sa.targets[0] as string)} END`;
}

function pointerSelect(view: EntityMeta, s: EntityMeta): string {
  const cols: string[] = [];
  for (const a of view.attributes.values()) {
    const value = a.logicalName === 'activitytypecode' ? literal(s.logicalName) : valueFrom(s, a);
    cols.push(`${value} AS ${col(a.logicalName)}`);
    const tc = typeColumn(a);
    if (tc) cols.push(`${lookupType(s, a.logicalName)} AS ${col(tc)}`);
  }
  return `SELECT ${cols.join(', ')} FROM ${tableName(s)}`;
}

/** One party row per (activity, role): the owner (9) and the regarding record (8). */
const PARTIES: { mask: number; column: string }[] = [
  { mask: 9, column: 'ownerid' },
  { mask: 8, column: 'regardingobjectid' },
];

function partySelects(view: EntityMeta, s: EntityMeta): string[] {
  const out: string[] = [];
  for (const p of PARTIES) {
    if (!s.attributes.has(p.column)) continue;
    const cols: string[] = [];
    for (const a of view.attributes.values()) {
      let value: string;
      if (a.logicalName === view.primaryIdAttribute)
        value = `md5(${col('activityid')}::text || ':${p.mask}')::uuid`; // stable id per activity and role
      else if (a.logicalName === 'activityid') value = col('activityid');
      else if (a.logicalName === 'partyid') value = col(p.column);
      else if (a.logicalName === 'participationtypemask') value = String(p.mask);
      else if (['createdon', 'modifiedon', 'createdby', 'modifiedby', 'versionnumber'].includes(a.logicalName))
        value = valueFrom(s, a);
      else value = nullOf(a);
      cols.push(`${value} AS ${col(a.logicalName)}`);
      const tc = typeColumn(a);
      if (tc) cols.push(`${a.logicalName === 'partyid' ? lookupType(s, p.column) : 'NULL::text'} AS ${col(tc)}`);
    }
    out.push(`SELECT ${cols.join(', ')} FROM ${tableName(s)} WHERE ${col(p.column)} IS NOT NULL`);
  }
  return out;
}

/** `CREATE OR REPLACE VIEW` for activitypointer / activityparty over the model's activity tables. */
export function viewDdl(model: Model, view: EntityMeta): string {
  const sources = activityTables(model);
  const selects =
    view.logicalName === 'activitypointer'
      ? sources.map((s) => pointerSelect(view, s))
      : sources.flatMap((s) => partySelects(view, s));
  if (selects.length === 0) {
    // no activity table hosted: an empty view with the right columns
    const cols = [...view.attributes.values()].flatMap((a) => {
      const tc = typeColumn(a);
      return [`${nullOf(a)} AS ${col(a.logicalName)}`, ...(tc ? [`NULL::text AS ${col(tc)}`] : [])];
    });
    selects.push(`SELECT ${cols.join(', ')} WHERE false`);
  }
  return `CREATE OR REPLACE VIEW ${tableName(view)} AS ${selects.join(' UNION ALL ')}`;
}
