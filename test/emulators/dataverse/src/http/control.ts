// Control API under /_emulator/ only (never mixed with Dataverse paths): reset, seed, tokens for
// interactive users, counters, webhook delivery log, fault injection, limits and clock.
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../clock.ts';
import { currencyId, insertRaw, seedCurrencies, seedUser } from '../seed.ts';
import type { CurrencySeed } from '../seed.ts';
import type { EmulatorState } from '../state.ts';
import type { EntityMeta } from '../metadata/model.ts';
import { APPLICATION_USER, INTERACTIVE_USERS } from '../users.ts';
import type { SeedUser } from '../users.ts';
import { json } from './types.ts';
import type { ApiResponse } from './types.ts';
import { readSolutionZip } from '../metadata/solution-zip.ts';
import { normalizeError } from '../errors.ts';

export interface ProductSeed {
  productnumber: string;
  name: string;
  price?: number;
  quantityonhand?: number;
  currency?: string;
}

export interface SeedRequest {
  currencies?: CurrencySeed[];
  products?: ProductSeed[];
  users?: SeedUser[];
}

export async function issueUserToken(
  state: EmulatorState,
  user: string,
): Promise<{ access_token: string; token_type: string; expires_in: number } | undefined> {
  const all = [APPLICATION_USER, ...INTERACTIVE_USERS, ...state.config.users];
  const u = all.find((x) => x.key === user || x.systemuserid === user || x.email === user);
  if (!u) return undefined;
  const token = state.tokens.issue(
    { oid: u.azureObjectId, aud: state.orgUrl, iss: `${state.orgUrl}/${state.config.tenantId}/v2.0`, name: u.fullname },
    state.config.clock.now(),
  );
  return { access_token: token, token_type: 'Bearer', expires_in: 3599 };
}

export async function handleControl(
  state: EmulatorState,
  method: string,
  path: string,
  body: string,
): Promise<ApiResponse> {
  const parse = (): Record<string, unknown> => (body ? (JSON.parse(body) as Record<string, unknown>) : {});
  try {
    switch (`${method} ${path}`) {
      case 'POST /_emulator/reset':
        await state.reset();
        return json(200, { ok: true });
      case 'POST /_emulator/seed':
        return json(200, await seed(state, parse() as SeedRequest));
      case 'POST /_emulator/token': {
        const t = await issueUserToken(state, String(parse().user ?? ''));
        return t ? json(200, t) : json(404, { error: 'unknown user' });
      }
      case 'GET /_emulator/users':
        return json(
          200,
          [APPLICATION_USER, ...INTERACTIVE_USERS, ...state.config.users].map(({ clientSecret: _s, ...u }) => u),
        );
      case 'GET /_emulator/counters':
        return json(200, {
          ...state.limiter.counters,
          operations: state.counters.operations,
          operationsByUser: state.counters.byUser,
          webhookDeliveries: state.deliveries.length,
          process: { cpuUsage: process.cpuUsage(), rss: process.memoryUsage().rss },
        });
      case 'GET /_emulator/webhooks':
        return json(200, state.deliveries);
      case 'DELETE /_emulator/webhooks':
        state.deliveries.length = 0;
        return json(200, { ok: true });
      case 'POST /_emulator/faults': {
        const b = parse();
        state.faults.push({
          status: Number(b.status ?? 0),
          remaining: Number(b.count ?? 1),
          latencyMs: Number(b.latencyMs ?? 0),
          pathPrefix: typeof b.path === 'string' ? b.path : undefined,
        });
        return json(200, { faults: state.faults });
      }
      case 'DELETE /_emulator/faults':
        state.faults.length = 0;
        return json(200, { ok: true });
      case 'GET /_emulator/limits':
        return json(200, state.limiter.limits);
      case 'POST /_emulator/limits':
        state.limiter.limits = { ...state.limiter.limits, ...(parse() as object) };
        return json(200, state.limiter.limits);
      case 'POST /_emulator/clock': {
        const clock = state.config.clock;
        if (!(clock instanceof ManualClock))
          return json(409, { error: 'the emulator runs on the system clock; pass a ManualClock to control time' });
        const b = parse();
        if (typeof b.advanceMs === 'number') clock.advance(b.advanceMs);
        if (typeof b.setMs === 'number') clock.set(b.setMs);
        return json(200, { now: clock.now() });
      }
      case 'POST /_emulator/service-endpoints': {
        const b = parse() as { name?: string; url?: string; headers?: Record<string, string> };
        return json(200, { updated: await configureEndpoints(state, b) });
      }
      case 'POST /_emulator/import-solution': {
        const b = parse();
        const { uniqueName, content } = readSolutionZip(Buffer.from(String(b.zipBase64 ?? ''), 'base64'));
        await state.importSolution(content);
        return json(200, { uniqueName, entities: content.entities.map((e) => e.logicalName) });
      }
      default:
        return json(404, { error: `unknown control route ${method} ${path}` });
    }
  } catch (e) {
    const err = normalizeError(e);
    return json(err.httpStatus, err.body());
  }
}

export async function seed(state: EmulatorState, req: SeedRequest): Promise<Record<string, unknown>> {
  const now = new Date(state.config.clock.now()).toISOString();
  const products: Record<string, string> = {};
  await state.db.transaction(async (tx) => {
    if (req.currencies) await seedCurrencies(tx, state.model, req.currencies, now);
    for (const u of req.users ?? []) await seedUser(tx, state.model, u, now);
    const productE = state.model.entities.get('product') as EntityMeta;
    const pplE = state.model.entities.get('productpricelevel') as EntityMeta;
    for (const p of req.products ?? []) {
      const existing = await tx.query<{ id: string }>(
        `SELECT productid AS id FROM "t_product" WHERE productnumber = $1`,
        [p.productnumber],
      );
      if (existing.rows[0]) {
        products[p.productnumber] = existing.rows[0].id;
        continue;
      }
      const cur = await currencyId(tx, p.currency ?? 'USD');
      const id = await insertRaw(
        tx,
        productE,
        {
          productid: randomUUID(),
          productnumber: p.productnumber,
          name: p.name,
          price: p.price ?? null,
          quantityonhand: p.quantityonhand ?? 0,
          transactioncurrencyid: cur,
          exchangerate: 1,
          defaultuomid: '5f0c7a6e-0000-4000-8000-0000000000d2',
          defaultuomscheduleid: '5f0c7a6e-0000-4000-8000-0000000000d1',
          pricelevelid: '5f0c7a6e-0000-4000-8000-0000000000d3',
          productstructure: 1,
        },
        now,
      );
      if (p.price !== undefined) {
        await insertRaw(
          tx,
          pplE,
          {
            productid: id,
            pricelevelid: '5f0c7a6e-0000-4000-8000-0000000000d3',
            uomid: '5f0c7a6e-0000-4000-8000-0000000000d2',
            amount: p.price,
            transactioncurrencyid: cur,
            exchangerate: 1,
          },
          now,
        );
      }
      products[p.productnumber] = id;
    }
  });
  state.invalidatePrincipals();
  state.cache.baseCurrencyId = undefined;
  state.cache.rates.clear();
  return { products };
}

/**
 * What an admin does after importing the solution: point the webhook service endpoint(s) at the proxy and
 * set the HttpHeader secret (AuthValue is write-only and never exported, register-web-hook.md), then turn on the
 * steps that use them (the solution ships them disabled; `npm run deploy` does the same through the Web API).
 */
export async function configureEndpoints(
  state: EmulatorState,
  b: { name?: string; url?: string; headers?: Record<string, string> },
): Promise<number> {
  const esc = (v: string): string => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const authvalue = b.headers
    ? `<settings>${Object.entries(b.headers)
        .map(([k, v]) => `<setting name="${esc(k)}" value="${esc(v)}" />`)
        .join('')}</settings>`
    : undefined;
  const r = await state.db.query(
    `UPDATE "t_serviceendpoint" SET url = COALESCE($1, url), authvalue = COALESCE($2, authvalue), authtype = CASE WHEN $2::text IS NULL THEN authtype ELSE 5 END,
            versionnumber = nextval('dv_version') WHERE contract = 8 AND ($3::text IS NULL OR name = $3)`,
    [b.url ?? null, authvalue ?? null, b.name ?? null],
  );
  await state.db.query(
    `UPDATE "t_sdkmessageprocessingstep" SET statecode = 0, statuscode = 1, versionnumber = nextval('dv_version')
      WHERE statecode = 1 AND eventhandler IN (SELECT serviceendpointid FROM "t_serviceendpoint"
        WHERE contract = 8 AND url IS NOT NULL AND authvalue IS NOT NULL AND ($1::text IS NULL OR name = $1))`,
    [b.name ?? null],
  );
  state.pipeline.invalidate();
  return r.affectedRows ?? 0;
}
