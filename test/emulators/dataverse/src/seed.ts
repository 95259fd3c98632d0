// Baseline data every environment has (business unit, SDK messages and filters, currencies, unit
// group, price list, roles and users) plus the solution's data components (roles, service
// endpoints, steps, environment variables).
import { randomUUID } from 'node:crypto';
import { isoMinorUnits } from '@ppc/proxy-service/minor-units';
import { depthOf, privilegeKey } from './auth/principal.ts';
import type { EntityMeta, Model } from './metadata/model.ts';
import type { SolutionContent } from './metadata/solution-reader.ts';
import type { Queryable } from './storage/database.ts';
import { col, tableName } from './storage/schema.ts';
import { APPLICATION_USER, INTERACTIVE_USERS } from './users.ts';
import type { SeedUser } from './users.ts';
import { addUserToProfile, seedFieldPermissions } from './data/field-security.ts';

export const ROOT_BUSINESS_UNIT = '5f0c7a6e-0000-4000-8000-0000000000b1';
export const ORGANIZATION_ID = '5f0c7a6e-0000-4000-8000-0000000000f1';
export const SYSTEM_USER = '5f0c7a6e-0000-4000-8000-000000000000';

export const MESSAGES = [
  'Create',
  'Update',
  'Delete',
  'SetState',
  'SetStateDynamicEntity',
  'Retrieve',
  'RetrieveMultiple',
  'Associate',
  'Disassociate',
  'CreateMultiple',
  'UpdateMultiple',
  'UpsertMultiple',
];

/** sdkmessage ids are the same in every Dataverse organization; solution step XML references them. */
export const WELL_KNOWN_MESSAGE_IDS: Record<string, string> = {
  Create: '9ebdbb1b-ea3e-db11-86a7-000a3a5473e8',
  Delete: 'a1bdbb1b-ea3e-db11-86a7-000a3a5473e8',
  SetState: '1cbebb1b-ea3e-db11-86a7-000a3a5473e8',
  SetStateDynamicEntity: '1dbebb1b-ea3e-db11-86a7-000a3a5473e8',
  Update: '20bebb1b-ea3e-db11-86a7-000a3a5473e8',
  Retrieve: 'f2bdbb1b-ea3e-db11-86a7-000a3a5473e8',
  RetrieveMultiple: '03bebb1b-ea3e-db11-86a7-000a3a5473e8',
};

export interface CurrencySeed {
  isocurrencycode: string;
  currencyname: string;
  currencysymbol: string;
  currencyprecision: number;
  exchangerate: number | string;
}

/** A currency record as Dataverse creates it: precision defaults to the ISO 4217 minor units. */
const currency = (
  isocurrencycode: string,
  currencyname: string,
  currencysymbol: string,
  exchangerate: number | string,
): CurrencySeed => ({
  isocurrencycode,
  currencyname,
  currencysymbol,
  currencyprecision: isoMinorUnits(isocurrencycode),
  exchangerate,
});

export const DEFAULT_CURRENCIES: CurrencySeed[] = [
  currency('USD', 'US Dollar', '$', 1),
  currency('EUR', 'Euro', '€', '0.92'),
  currency('GBP', 'Pound Sterling', '£', '0.79'),
  currency('JPY', 'Yen', '¥', '150'),
  currency('CAD', 'Canadian Dollar', 'CA$', '1.36'),
];

const STANDARD_SALES = ['account', 'contact', 'salesorder', 'salesorderdetail', 'invoice', 'invoicedetail'];
const STANDARD_READ = [
  'product',
  'pricelevel',
  'productpricelevel',
  'uom',
  'uomschedule',
  'transactioncurrency',
  'systemuser',
  'businessunit',
  'role',
  'environmentvariabledefinition',
  'environmentvariablevalue',
];
const ALL = ['create', 'read', 'write', 'delete', 'append', 'appendto'];

/**
 * Roles every D365 Sales environment has before any solution is imported: System Administrator (every
 * privilege), System Customizer (customizations; ImportSolution) and Sales' Salesperson (its sales tables,
 * reference data read). The product's roles (Integration Service, PayPal Finance, Refund Agent, Payout
 * Approver, …) come only from the solution: a user whose role the solution lacks gets no privileges, as in
 * a real environment.
 */
export function platformRoles(): { name: string; privileges: string[] }[] {
  const grant = (tables: string[], access: string[]): string[] => tables.flatMap((t) => access.map((a) => `${a}:${t}`));
  return [
    { name: 'System Administrator', privileges: [] },
    { name: 'System Customizer', privileges: [] },
    { name: 'Salesperson', privileges: [...grant(STANDARD_SALES, ALL), ...grant(STANDARD_READ, ['read', 'appendto'])] },
  ];
}

export async function insertRaw(
  tx: Queryable,
  e: EntityMeta,
  values: Record<string, unknown>,
  nowIso: string,
): Promise<string> {
  const v: Record<string, unknown> = {
    createdon: nowIso,
    modifiedon: nowIso,
    createdby: SYSTEM_USER,
    modifiedby: SYSTEM_USER,
    ...values,
  };
  if (e.attributes.has('ownerid') && v.ownerid === undefined) v.ownerid = SYSTEM_USER;
  if (e.attributes.has('statecode') && v.statecode === undefined) {
    v.statecode = 0;
    v.statuscode = e.attributes.get('statecode')?.options?.find((o) => o.value === 0)?.defaultStatus ?? 1;
  }
  const id = String(v[e.primaryIdAttribute] ?? randomUUID());
  v[e.primaryIdAttribute] = id;
  const cols = Object.keys(v);
  await tx.query(
    `INSERT INTO ${tableName(e)} (${[...cols, 'versionnumber'].map(col).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}, nextval('dv_version'))
     ON CONFLICT (${col(e.primaryIdAttribute)}) DO NOTHING`,
    Object.values(v),
  );
  return id;
}

function entity(model: Model, name: string): EntityMeta {
  return model.entities.get(name) as EntityMeta;
}

export async function seedBaseline(
  tx: Queryable,
  model: Model,
  solution: SolutionContent,
  nowIso: string,
  users: SeedUser[],
): Promise<void> {
  await insertRaw(tx, entity(model, 'businessunit'), { businessunitid: ROOT_BUSINESS_UNIT, name: 'emulator' }, nowIso);
  await insertRaw(
    tx,
    entity(model, 'systemuser'),
    { systemuserid: SYSTEM_USER, fullname: 'SYSTEM', businessunitid: ROOT_BUSINESS_UNIT, accessmode: 4 },
    nowIso,
  );
  await seedMessages(tx, model, nowIso);
  await seedRoles(tx, model, solution, nowIso);
  await applySolutionData(tx, model, solution, nowIso);
  for (const u of [APPLICATION_USER, ...INTERACTIVE_USERS, ...users]) await seedUser(tx, model, u, nowIso);
  await seedCurrencies(tx, model, DEFAULT_CURRENCIES, nowIso);
  const schedule = await insertRaw(
    tx,
    entity(model, 'uomschedule'),
    { uomscheduleid: '5f0c7a6e-0000-4000-8000-0000000000d1', name: 'Default Unit', baseuomname: 'Primary Unit' },
    nowIso,
  );
  await insertRaw(
    tx,
    entity(model, 'uom'),
    {
      uomid: '5f0c7a6e-0000-4000-8000-0000000000d2',
      name: 'Primary Unit',
      uomscheduleid: schedule,
      quantity: 1,
      isschedulebaseuom: true,
    },
    nowIso,
  );
  const usd = await currencyId(tx, 'USD');
  await insertRaw(
    tx,
    entity(model, 'pricelevel'),
    { pricelevelid: '5f0c7a6e-0000-4000-8000-0000000000d3', name: 'Default Price List', transactioncurrencyid: usd },
    nowIso,
  );
}

export async function currencyId(tx: Queryable, iso: string): Promise<string | undefined> {
  const r = await tx.query<{ id: string }>(
    `SELECT transactioncurrencyid AS id FROM "t_transactioncurrency" WHERE isocurrencycode = $1`,
    [iso],
  );
  return r.rows[0]?.id;
}

export async function seedCurrencies(
  tx: Queryable,
  model: Model,
  currencies: CurrencySeed[],
  nowIso: string,
): Promise<void> {
  for (const c of currencies) {
    if (await currencyId(tx, c.isocurrencycode)) continue;
    await insertRaw(tx, entity(model, 'transactioncurrency'), { ...c }, nowIso);
  }
}

async function seedMessages(tx: Queryable, model: Model, nowIso: string): Promise<void> {
  const msg = entity(model, 'sdkmessage');
  const filter = entity(model, 'sdkmessagefilter');
  const ids = new Map<string, string>();
  for (const m of MESSAGES)
    ids.set(m, await insertRaw(tx, msg, { name: m, sdkmessageid: WELL_KNOWN_MESSAGE_IDS[m] ?? randomUUID() }, nowIso));
  await seedFilters(tx, model, ids, filter, nowIso);
}

export async function seedFilters(
  tx: Queryable,
  model: Model,
  ids: Map<string, string> | undefined,
  filter: EntityMeta,
  nowIso: string,
): Promise<void> {
  const messageIds =
    ids ??
    new Map(
      (await tx.query<{ name: string; id: string }>(`SELECT name, sdkmessageid AS id FROM "t_sdkmessage"`)).rows.map(
        (r) => [r.name, r.id],
      ),
    );
  const existing = new Set(
    (
      await tx.query<{ k: string }>(
        `SELECT sdkmessageid::text || ':' || primaryobjecttypecode AS k FROM "t_sdkmessagefilter"`,
      )
    ).rows.map((r) => r.k),
  );
  for (const e of model.entities.values()) {
    for (const m of ['Create', 'Update', 'Delete', 'SetState', 'SetStateDynamicEntity']) {
      const mid = messageIds.get(m);
      if (!mid || existing.has(`${mid}:${e.logicalName}`)) continue;
      await insertRaw(tx, filter, { sdkmessageid: mid, primaryobjecttypecode: e.logicalName }, nowIso);
    }
  }
}

async function seedRoles(tx: Queryable, model: Model, solution: SolutionContent, nowIso: string): Promise<void> {
  const roleE = entity(model, 'role');
  const fromSolution = new Map(solution.roles.map((r) => [r.name, r]));
  for (const builtIn of platformRoles()) {
    if (fromSolution.has(builtIn.name)) continue;
    const id = await insertRaw(tx, roleE, { name: builtIn.name, businessunitid: ROOT_BUSINESS_UNIT }, nowIso);
    for (const p of builtIn.privileges) {
      await tx.query('INSERT INTO dv_roleprivileges (roleid, privilege) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        id,
        p,
      ]);
    }
  }
}

export async function seedUser(tx: Queryable, model: Model, u: SeedUser, nowIso: string): Promise<void> {
  await insertRaw(
    tx,
    entity(model, 'systemuser'),
    {
      systemuserid: u.systemuserid,
      fullname: u.fullname,
      internalemailaddress: u.email,
      domainname: u.email,
      azureactivedirectoryobjectid: u.azureObjectId,
      applicationid: u.applicationId ?? null,
      accessmode: u.applicationId ? 4 : 0,
      businessunitid: ROOT_BUSINESS_UNIT,
      isdisabled: false,
    },
    nowIso,
  );
  for (const profile of u.fieldSecurityProfiles ?? []) await addUserToProfile(tx, u.systemuserid, profile);
  for (const roleName of u.roles) {
    const r = await tx.query<{ id: string }>(`SELECT roleid AS id FROM "t_role" WHERE name = $1`, [roleName]);
    for (const row of r.rows) {
      await tx.query('INSERT INTO dv_userroles (systemuserid, roleid) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        u.systemuserid,
        row.id,
      ]);
    }
  }
}

/** Roles, service endpoints, steps (+ images) and environment variables from a solution. */
export async function applySolutionData(
  tx: Queryable,
  model: Model,
  solution: SolutionContent,
  nowIso: string,
): Promise<void> {
  await seedFieldPermissions(tx, solution.fieldSecurityProfiles);
  const roleE = entity(model, 'role');
  for (const r of solution.roles) {
    const existing = await tx.query<{ id: string }>(`SELECT roleid AS id FROM "t_role" WHERE name = $1`, [r.name]);
    const id =
      existing.rows[0]?.id ??
      (await insertRaw(
        tx,
        roleE,
        { roleid: r.id || randomUUID(), name: r.name, businessunitid: ROOT_BUSINESS_UNIT },
        nowIso,
      ));
    for (const p of r.privileges) {
      const key = privilegeKey(p.name);
      if (key)
        await tx.query(
          'INSERT INTO dv_roleprivileges (roleid, privilege, depth) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [id, key, depthOf(p.level)],
        );
    }
  }
  for (const se of solution.serviceEndpoints) {
    await insertRaw(
      tx,
      entity(model, 'serviceendpoint'),
      {
        serviceendpointid: se.id || randomUUID(),
        name: se.name,
        contract: se.contract,
        url: se.url ?? null,
        authtype: se.authType ?? null,
        messageformat: se.messageFormat ?? 2,
        userclaim: se.userClaim ?? 1,
      },
      nowIso,
    );
  }
  for (const s of solution.steps) {
    const byId = /^\{?[0-9a-f]{8}-/i.test(s.message);
    const msg = (
      await tx.query<{ id: string }>(
        byId
          ? `SELECT sdkmessageid AS id FROM "t_sdkmessage" WHERE sdkmessageid = $1`
          : `SELECT sdkmessageid AS id FROM "t_sdkmessage" WHERE name = $1`,
        [byId ? s.message.replace(/[{}]/g, '').toLowerCase() : s.message],
      )
    ).rows[0]?.id;
    const filter = (
      await tx.query<{ id: string }>(
        `SELECT sdkmessagefilterid AS id FROM "t_sdkmessagefilter" WHERE sdkmessageid = $1 AND primaryobjecttypecode = $2`,
        [msg, s.primaryEntity],
      )
    ).rows[0]?.id;
    const stepId = await insertRaw(
      tx,
      entity(model, 'sdkmessageprocessingstep'),
      {
        sdkmessageprocessingstepid: s.id || randomUUID(),
        name: s.name,
        sdkmessageid: msg ?? null,
        sdkmessagefilterid: filter ?? null,
        eventhandler: s.serviceEndpointId || null,
        filteringattributes: s.filteringAttributes ?? null,
        stage: s.stage,
        mode: s.mode,
        rank: s.rank,
        ...(s.stateCode === 1 ? { statecode: 1, statuscode: 2 } : {}),
      },
      nowIso,
    );
    for (const img of s.images) {
      await insertRaw(
        tx,
        entity(model, 'sdkmessageprocessingstepimage'),
        {
          sdkmessageprocessingstepid: stepId,
          name: img.name,
          entityalias: img.alias,
          imagetype: img.imageType,
          attributes: img.attributes ?? null,
          messagepropertyname: img.messagePropertyName ?? 'Target',
        },
        nowIso,
      );
    }
  }
  for (const v of solution.environmentVariables) {
    const exists = await tx.query(`SELECT 1 FROM "t_environmentvariabledefinition" WHERE schemaname = $1`, [
      v.schemaName,
    ]);
    if (exists.rows.length) continue;
    await insertRaw(
      tx,
      entity(model, 'environmentvariabledefinition'),
      {
        schemaname: v.schemaName,
        displayname: v.displayName ?? v.schemaName,
        type: v.type ?? 100000000,
        defaultvalue: v.defaultValue ?? null,
      },
      nowIso,
    );
  }
}
