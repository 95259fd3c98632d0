// The emulator's live state: database, model (standard tables + solution), principals, webhook
// pipeline, limiter. Owns transactions so that async webhook steps run only after commit.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { deeper, depthOf } from './auth/principal.ts';
import type { Depth, Principal } from './auth/principal.ts';
import { TokenIssuer } from './auth/tokens.ts';
import type { DataverseEmulatorConfig } from './config.ts';
import { emptyCache } from './data/context.ts';
import type { OpContext } from './data/context.ts';
import { Limiter } from './limits.ts';
import { buildModel } from './metadata/model-builder.ts';
import type { Model } from './metadata/model.ts';
import { emptySolution, merge, readUnpackedSolution } from './metadata/solution-reader.ts';
import type { SolutionContent } from './metadata/solution-reader.ts';
import {
  ORGANIZATION_ID,
  ROOT_BUSINESS_UNIT,
  applySolutionData,
  insertRaw,
  seedBaseline,
  seedFilters,
  seedUser,
} from './seed.ts';
import { openDatabase } from './storage/database.ts';
import type { Database, Queryable } from './storage/database.ts';
import { col, createSchema, dropSchema, sqlType, tableName, typeColumn } from './storage/schema.ts';
import { isView } from './storage/activity-views.ts';
import { generated } from './storage/schema.ts';
import { WebhookPipeline } from './webhooks/pipeline.ts';
import type { Delivery } from './webhooks/pipeline.ts';
import { APPLICATION_USER, INTERACTIVE_USERS } from './users.ts';

export interface Fault {
  status: number;
  remaining: number;
  latencyMs: number;
  pathPrefix?: string;
}

export class EmulatorState {
  readonly config: DataverseEmulatorConfig;
  db!: Database;
  model!: Model;
  solution: SolutionContent = emptySolution();
  /** solutions imported through ImportSolution since start/reset */
  imported: SolutionContent[] = [];
  readonly tokens: TokenIssuer;
  readonly limiter: Limiter;
  readonly deliveries: Delivery[] = [];
  readonly pendingWebhooks = new Set<Promise<void>>();
  readonly faults: Fault[] = [];
  readonly counters = { operations: 0, byUser: {} as Record<string, number> };
  pipeline!: WebhookPipeline;
  orgUrl = '';
  private principals = new Map<string, Principal>();
  private usersByObjectId = new Map<string, string>();
  readonly cache = emptyCache();

  constructor(config: DataverseEmulatorConfig) {
    this.config = config;
    this.tokens = new TokenIssuer(config.tenantId);
    this.limiter = new Limiter(config.limits, config.clock);
  }

  async init(): Promise<void> {
    this.db = await openDatabase(this.config.databaseUrl, this.config.schema);
    this.solution = await this.readSolution();
    this.model = buildModel(this.solution);
    this.pipeline = new WebhookPipeline({
      info: () => ({
        organizationId: ORGANIZATION_ID,
        organizationName: this.config.organizationName,
        businessUnitId: ROOT_BUSINESS_UNIT,
      }),
      organizationHost: () => (this.orgUrl ? new URL(this.orgUrl).host : 'localhost'),
      timeoutMs: this.config.webhookTimeoutMs,
      log: this.deliveries,
      pending: this.pendingWebhooks,
      recordAsyncFailure: (step, ev, error, nowMs) =>
        this.recordSystemJob(step.id, step.name, ev.entity.logicalName, ev.id, error, nowMs),
    });
    if (this.config.databaseUrl) await dropSchema(this.db, this.model);
    await this.createAndSeed();
  }

  private async readSolution(): Promise<SolutionContent> {
    const dir = this.config.solutionDir;
    if (dir === null) return emptySolution();
    return readUnpackedSolution(typeof dir === 'string' ? dir : fileURLToPath(dir));
  }

  private async createAndSeed(): Promise<void> {
    await createSchema(this.db, this.model);
    const now = new Date(this.config.clock.now()).toISOString();
    await this.db.transaction((tx) => seedBaseline(tx, this.model, this.solution, now, this.config.users));
    this.invalidatePrincipals();
    this.cache.baseCurrencyId = undefined;
    this.cache.rates.clear();
  }

  async reset(): Promise<void> {
    await Promise.allSettled([...this.pendingWebhooks]);
    await dropSchema(this.db, this.model);
    this.imported = [];
    this.model = buildModel(this.solution);
    this.pipeline.invalidate();
    await this.createAndSeed();
    this.limiter.reset();
    this.deliveries.length = 0;
    this.faults.length = 0;
    this.counters.operations = 0;
    this.counters.byUser = {};
  }

  invalidatePrincipals(): void {
    this.principals.clear();
    this.usersByObjectId.clear();
  }

  async principal(systemuserid: string): Promise<Principal | undefined> {
    const cached = this.principals.get(systemuserid);
    if (cached) return cached;
    const u = await this.db.query<{ fullname: string; aad: string | null }>(
      `SELECT fullname, azureactivedirectoryobjectid AS aad FROM "t_systemuser" WHERE systemuserid = $1 AND COALESCE(isdisabled, false) = false`,
      [systemuserid],
    );
    const user = u.rows[0];
    if (!user) return undefined;
    const roles = await this.db.query<{ roleid: string; name: string }>(
      `SELECT r.roleid, r.name FROM dv_userroles ur JOIN "t_role" r ON r.roleid = ur.roleid WHERE ur.systemuserid = $1`,
      [systemuserid],
    );
    const privs = await this.db.query<{ privilege: string; depth: string }>(
      `SELECT p.privilege, p.depth FROM dv_userroles ur JOIN dv_roleprivileges p ON p.roleid = ur.roleid WHERE ur.systemuserid = $1`,
      [systemuserid],
    );
    const depths = new Map<string, Depth>();
    for (const r of privs.rows) depths.set(r.privilege, deeper(depths.get(r.privilege), depthOf(r.depth)));
    const p: Principal = {
      systemuserid,
      azureObjectId: user.aad ?? undefined,
      fullname: user.fullname,
      roles: roles.rows.map((r) => r.name),
      isAdministrator: roles.rows.some((r) => r.name === 'System Administrator'),
      privileges: new Set(privs.rows.map((r) => r.privilege)),
      depths,
    };
    this.principals.set(systemuserid, p);
    return p;
  }

  async userByAadObjectId(oid: string): Promise<string | undefined> {
    const cached = this.usersByObjectId.get(oid);
    if (cached) return cached;
    const r = await this.db.query<{ id: string }>(
      `SELECT systemuserid AS id FROM "t_systemuser" WHERE azureactivedirectoryobjectid = $1`,
      [oid],
    );
    if (r.rows[0]) this.usersByObjectId.set(oid, r.rows[0].id);
    return r.rows[0]?.id;
  }

  /** Runs a read without an explicit transaction (one statement snapshot per query). */
  async read<T>(user: Principal, fn: (ctx: OpContext) => Promise<T>): Promise<T> {
    return fn({
      cache: this.cache,
      tx: this.db,
      model: this.model,
      user,
      clock: this.config.clock,
      orgUrl: this.orgUrl,
      pipeline: this.pipeline,
      afterCommit: [],
      correlationId: randomUUID(),
      depth: 1,
    });
  }

  /** Runs fn in one transaction; queued async webhook deliveries start only after commit. */
  async transaction<T>(user: Principal, fn: (ctx: OpContext) => Promise<T>): Promise<T> {
    const afterCommit: (() => void)[] = [];
    const result = await this.db.transaction((tx) =>
      fn({
        cache: this.cache,
        tx,
        model: this.model,
        user,
        clock: this.config.clock,
        orgUrl: this.orgUrl,
        pipeline: this.pipeline,
        afterCommit,
        correlationId: randomUUID(),
        depth: 1,
        onSecurityChange: () => this.invalidatePrincipals(),
      }),
    );
    for (const f of afterCommit) f();
    return result;
  }

  async waitForWebhooks(): Promise<void> {
    while (this.pendingWebhooks.size) await Promise.allSettled([...this.pendingWebhooks]);
  }

  private async recordSystemJob(
    stepId: string,
    stepName: string,
    entity: string,
    recordId: string,
    error: string,
    nowMs: number,
  ): Promise<void> {
    const e = this.model.entities.get('asyncoperation');
    if (!e) return;
    const now = new Date(nowMs).toISOString();
    await this.db.transaction((tx) =>
      insertRaw(
        tx,
        e,
        {
          name: stepName,
          operationtype: 1,
          statecode: 3,
          statuscode: 31,
          message: error,
          friendlymessage: `Webhook delivery failed: ${error}`,
          owningextensionid: stepId,
          primaryentitytype: entity,
          regardingobjectid: recordId,
          completedon: now,
          ownerid: APPLICATION_USER.systemuserid,
        },
        now,
      ),
    );
  }

  /** Applies an imported solution: new tables/columns/keys, roles, endpoints, steps; one transaction. */
  async importSolution(content: SolutionContent): Promise<void> {
    const all = {
      ...this.solution,
      entities: [...this.solution.entities],
      relationships: [...this.solution.relationships],
      roles: [...this.solution.roles],
      serviceEndpoints: [...this.solution.serviceEndpoints],
      steps: [...this.solution.steps],
      environmentVariables: [...this.solution.environmentVariables],
    };
    for (const s of this.imported) merge(all, s);
    merge(all, content);
    const next = buildModel(all);
    const now = new Date(this.config.clock.now()).toISOString();
    await this.db.transaction(async (tx) => {
      await createSchema(tx, next, () => migrateColumns(tx, next));
      await seedFilters(tx, next, undefined, next.entities.get('sdkmessagefilter') as never, now);
      await applySolutionData(tx, next, content, now);
      // seeded users get roles the solution just brought (assignment is by role name)
      for (const u of [APPLICATION_USER, ...INTERACTIVE_USERS, ...this.config.users]) await seedUser(tx, next, u, now);
    });
    this.imported.push(content);
    this.model = next;
    this.pipeline.invalidate();
    this.invalidatePrincipals();
  }
}

async function migrateColumns(tx: Queryable, model: Model): Promise<void> {
  const stmts: string[] = [];
  for (const e of model.entities.values()) {
    if (isView(e)) continue; // activitypointer/activityparty: views (storage/activity-views.ts)
    for (const a of e.attributes.values()) {
      stmts.push(
        `ALTER TABLE ${tableName(e)} ADD COLUMN IF NOT EXISTS ${col(a.logicalName)} ${sqlType(a)}${generated(e, a)}`,
      );
      const tc = typeColumn(a);
      if (tc) stmts.push(`ALTER TABLE ${tableName(e)} ADD COLUMN IF NOT EXISTS ${col(tc)} text`);
    }
  }
  await tx.exec(stmts.join(';\n'));
}
