// One SQL table per Dataverse table, one column per attribute, alternate keys as unique indexes.
import type { AttributeMeta, EntityMeta, Model } from '../metadata/model.ts';
import type { Queryable } from './database.ts';
import { FIELD_SECURITY_DDL, FIELD_SECURITY_DROP } from '../data/field-security.ts';
import { activityTypeCode, isView, viewDdl } from './activity-views.ts';

export function tableName(e: EntityMeta): string {
  return `"t_${e.logicalName}"`;
}

export function col(name: string): string {
  return `"${name.replace(/"/g, '')}"`;
}

export function sqlType(a: AttributeMeta): string {
  switch (a.type) {
    case 'uniqueidentifier':
    case 'lookup':
    case 'customer':
    case 'owner':
      return 'uuid';
    case 'string':
    case 'memo':
    case 'entityname':
      return 'text';
    case 'integer':
    case 'picklist':
    case 'state':
    case 'status':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'decimal':
    case 'money':
      return 'numeric';
    case 'double':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return 'timestamptz';
  }
}

/** Polymorphic lookups (customer) also store the target table, like Dataverse's `<col>type` attribute. */
export function typeColumn(a: AttributeMeta): string | undefined {
  return a.type === 'customer' || (a.targets?.length ?? 0) > 1 ? `${a.logicalName}__type` : undefined;
}

/**
 * Columns the platform computes: money `_base` twins (value / exchangerate, dataverse.md §4) and
 * contact fullname. Generated columns keep them right on every write path, batch or not.
 */
export function generated(e: EntityMeta, a: AttributeMeta): string {
  if (a.type === 'money' && a.logicalName.endsWith('_base')) {
    const source = a.logicalName.slice(0, -'_base'.length);
    if (e.attributes.has(source) && e.attributes.has('exchangerate')) {
      return ` GENERATED ALWAYS AS (ROUND(${col(source)} / NULLIF(${col('exchangerate')}, 0), 4)) STORED`;
    }
  }
  const typeCode = activityTypeCode(e, a);
  if (typeCode) return ` GENERATED ALWAYS AS ('${typeCode}') STORED`;
  if (e.logicalName === 'contact' && a.logicalName === 'fullname') {
    return ` GENERATED ALWAYS AS (NULLIF(TRIM(COALESCE(${col('firstname')}, '') || ' ' || COALESCE(${col('lastname')}, '')), '')) STORED`;
  }
  return '';
}

export function isGenerated(e: EntityMeta, a: AttributeMeta): boolean {
  return generated(e, a) !== '';
}

export function tableDdl(e: EntityMeta): string[] {
  const cols: string[] = [];
  for (const a of e.attributes.values()) {
    const pk = a.logicalName === e.primaryIdAttribute ? ' PRIMARY KEY' : '';
    cols.push(`${col(a.logicalName)} ${sqlType(a)}${pk}${generated(e, a)}`);
    const tc = typeColumn(a);
    if (tc) cols.push(`${col(tc)} text`);
  }
  const stmts = [`CREATE TABLE IF NOT EXISTS ${tableName(e)} (${cols.join(', ')})`];
  for (const k of e.keys) {
    stmts.push(
      `CREATE UNIQUE INDEX IF NOT EXISTS "uk_${e.logicalName}_${k.name}" ON ${tableName(e)} (${k.attributes.map(col).join(', ')})`,
    );
  }
  for (const a of e.attributes.values()) {
    if (a.type === 'lookup' || a.type === 'customer') {
      stmts.push(
        `CREATE INDEX IF NOT EXISTS "ix_${e.logicalName}_${a.logicalName}" ON ${tableName(e)} (${col(a.logicalName)})`,
      );
    }
  }
  return stmts;
}

export async function createSchema(db: Queryable, model: Model, beforeIndexes?: () => Promise<void>): Promise<void> {
  const stmts = ['CREATE SEQUENCE IF NOT EXISTS dv_version START 1000'];
  const indexes: string[] = [];
  for (const e of model.entities.values()) {
    if (isView(e)) continue;
    const [table, ...rest] = tableDdl(e);
    stmts.push(table as string);
    indexes.push(...rest);
  }
  for (const e of model.entities.values()) if (isView(e)) stmts.push(viewDdl(model, e));
  stmts.push(
    'CREATE TABLE IF NOT EXISTS dv_userroles (systemuserid uuid, roleid uuid, PRIMARY KEY (systemuserid, roleid))',
  );
  stmts.push(
    // depth as in role XML: Basic (own rows), Local, Deep, Global
    "CREATE TABLE IF NOT EXISTS dv_roleprivileges (roleid uuid, privilege text, depth text NOT NULL DEFAULT 'Global', PRIMARY KEY (roleid, privilege))",
  );
  stmts.push(...FIELD_SECURITY_DDL);
  await db.exec(stmts.join(';\n'));
  // existing tables may need new columns (solution import) before their key indexes can exist
  if (beforeIndexes) await beforeIndexes();
  await db.exec(indexes.join(';\n'));
}

export async function dropSchema(db: Queryable, model: Model): Promise<void> {
  const stmts = [
    'DROP SEQUENCE IF EXISTS dv_version',
    'DROP TABLE IF EXISTS dv_userroles',
    'DROP TABLE IF EXISTS dv_roleprivileges',
    ...FIELD_SECURITY_DROP,
  ];
  for (const e of model.entities.values()) if (isView(e)) stmts.push(`DROP VIEW IF EXISTS ${tableName(e)}`);
  for (const e of model.entities.values()) if (!isView(e)) stmts.push(`DROP TABLE IF EXISTS ${tableName(e)}`);
  await db.exec(stmts.join(';\n'));
}
