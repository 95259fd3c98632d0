// "Reconcile now" from D365 (reconciliation/run-request.ts): the step's event → the day is run by the reconciler
// (runDay, the code of POST /admin/reconciliation/run) for the run's date and currency scope, the result written
// back on the run. Only a PayPal Finance user, read from the event's InitiatingUserId and Dataverse's roles (never
// a column); pressing twice runs once; a late copy of the event after the answer runs nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataversePort } from '../../src/adapters/dataverse/types.ts';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { loadConfig } from '../../src/config.ts';
import type { HandlerContext } from '../../src/flows/handlers.ts';
import { createLogger } from '../../src/logger.ts';
import type { DayRun, Reconciler } from '../../src/reconciliation/reconciler.ts';
import { reconcileNowRequested } from '../../src/reconciliation/run-request.ts';
import { ReconciliationRunStatus, ReconciliationSource, ROLE_FINANCE, ROLE_REFUND_AGENT } from '@ppc/solution';
import { testEnv } from '../support/test-proxy.ts';

const FINANCE = '5f0c7a6e-0000-4000-8000-000000000006';
const AGENT = '5f0c7a6e-0000-4000-8000-000000000004';
const ADMIN = '5f0c7a6e-0000-4000-8000-000000000001';
const RUN = '0b7c2a51-1d2e-4f00-9a00-00000000aa01';

let store: Store;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-recon-now-'));
  store = await openStore(loadConfig(testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite') })));
});
afterAll(async () => {
  await store?.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** A run row and the users' roles in Dataverse; updates apply to the row (the proxy re-reads it). */
function world(row: Record<string, unknown>) {
  const state: Record<string, unknown> = { ppc_reconciliationrunid: RUN, ...row };
  const updates: Record<string, unknown>[] = [];
  const roles: Record<string, string[]> = {
    [FINANCE]: [ROLE_FINANCE],
    [AGENT]: [ROLE_REFUND_AGENT],
    [ADMIN]: ['System Administrator'],
  };
  const dv = {
    get: async () => ({ ...state }),
    query: async (set: string, q: string) => {
      if (set !== 'systemusers') return [];
      const id = /systemuserid eq ([0-9a-f-]+)/.exec(q)?.[1] ?? '';
      return [{ systemuserroles_association: (roles[id] ?? []).map((name) => ({ name })) }];
    },
    update: async (path: string, body: Record<string, unknown>) => {
      expect(path).toBe(`ppc_reconciliationruns(${RUN})`);
      updates.push(body);
      Object.assign(state, body);
    },
  } as unknown as DataversePort;
  return { dv, state, updates };
}

function fakeReconciler() {
  const calls: Parameters<Reconciler['runDay']>[0][] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const result = (req: { date: string; currency?: string }): DayRun => ({
    date: req.date,
    ...(req.currency ? { currency: req.currency } : {}),
    noReport: true,
    catchUp: { listed: 3, missing: ['CAPMISSED'], enqueued: ['CAPMISSED'], already: [] },
    closed: [],
    notes: [],
  });
  const reconciler = {
    runDay: async (req: Parameters<Reconciler['runDay']>[0]) => {
      calls.push(req);
      if (gate) await gate;
      return result(req);
    },
  } as unknown as Reconciler;
  return {
    reconciler,
    calls,
    hold() {
      gate = new Promise((r) => (release = r));
    },
    release() {
      release?.();
      gate = undefined;
    },
  };
}

let inbox = 100;
const event = (user: string | undefined, requested = true) => ({
  MessageName: 'Update',
  PrimaryEntityName: 'ppc_reconciliationrun',
  PrimaryEntityId: RUN,
  ...(user ? { InitiatingUserId: user } : {}),
  // the step's run-as account: never taken as the requester
  UserId: FINANCE,
  PostEntityImages: [{ key: 'PostImage', value: { Attributes: [{ key: 'ppc_runrequested', value: requested }] } }],
});
const ctx = (ev: unknown): HandlerContext => ({
  inboxId: String(++inbox),
  eventId: `evt-${inbox}`,
  eventType: 'Update:ppc_reconciliationrun',
  action: 'reconciliationrun.run_requested',
  attempt: 1,
  event: ev,
  store,
  log: createLogger('silent'),
});

const onDemand = {
  ppc_rundate: '2026-06-01',
  ppc_source: ReconciliationSource.OnDemand,
  ppc_currencyscope: 'usd',
  ppc_runrequested: true,
};

describe('Reconcile now from D365', () => {
  it("runs the run's day and currency for a PayPal Finance user and writes the result back on the run", async () => {
    const w = world(onDemand);
    const r = fakeReconciler();
    await reconcileNowRequested({ store, dataverse: w.dv, reconciler: r.reconciler })(ctx(event(FINANCE)));
    expect(r.calls).toEqual([{ date: '2026-06-01', currency: 'USD', runId: RUN }]);
    expect(w.updates[0]).toMatchObject({ statecode: 0, statuscode: ReconciliationRunStatus.Running });
    expect(w.state).toMatchObject({
      ppc_runrequested: false,
      statecode: 1,
      statuscode: ReconciliationRunStatus.Completed,
      ppc_rowsread: 3,
      ppc_caughtupcount: 1,
    });
    expect(String(w.state.ppc_totalsjson)).toMatch(/No settlement report for 2026-06-01 .*1 caught up now/);
  });

  it("the attacker's version: a user without PayPal Finance (even a System Administrator), or no initiating user, runs nothing", async () => {
    for (const user of [AGENT, ADMIN, undefined]) {
      const w = world(onDemand);
      const r = fakeReconciler();
      await reconcileNowRequested({ store, dataverse: w.dv, reconciler: r.reconciler })(ctx(event(user)));
      expect(r.calls).toEqual([]);
      expect(w.state).toMatchObject({
        ppc_runrequested: false,
        statecode: 1,
        statuscode: ReconciliationRunStatus.Failed,
        ppc_errormessage: expect.stringMatching(
          user ? /only a user with the PayPal Finance role/ : /does not name the user who made it/,
        ),
      });
    }
  });

  it('pressed twice runs once; a late copy of the event after the answer runs nothing; a new press runs again', async () => {
    await store.query('DELETE FROM recon_run_requests');
    const w = world({ ...onDemand, ppc_currencyscope: null });
    const r = fakeReconciler();
    const handler = reconcileNowRequested({ store, dataverse: w.dv, reconciler: r.reconciler });
    r.hold();
    const first = handler(ctx(event(FINANCE)));
    await new Promise((resolve) => setImmediate(resolve));
    // the second press arrives while the first runs (the flag is still set on the row)
    const second = handler(ctx(event(FINANCE)));
    await waitUntil(() => r.calls.length >= 1);
    await second;
    r.release();
    await first;
    expect(r.calls).toEqual([{ date: '2026-06-01', runId: RUN }]);
    // Dataverse delivers the first event again later: the request was answered (flag cleared)
    await handler(ctx(event(FINANCE)));
    expect(r.calls).toHaveLength(1);
    // our own write that cleared the flag fires the step too: not a request
    await handler(ctx(event(FINANCE, false)));
    expect(r.calls).toHaveLength(1);
    // finance presses again later: a new run
    w.state.ppc_runrequested = true;
    await handler(ctx(event(FINANCE)));
    expect(r.calls).toHaveLength(2);
    const { rows } = await store.query<{ runs: number; status: string }>(
      `SELECT runs, status FROM recon_run_requests WHERE run_id = $1::uuid`,
      [RUN],
    );
    expect(rows).toEqual([{ runs: 2, status: 'done' }]);
  });

  it('a request on a settlement run keeps its state when refused; an invalid currency scope is explained', async () => {
    const settlement = world({ ...onDemand, ppc_source: ReconciliationSource.SettlementReport, statecode: 1 });
    const r = fakeReconciler();
    await reconcileNowRequested({ store, dataverse: settlement.dv, reconciler: r.reconciler })(ctx(event(AGENT)));
    expect(settlement.updates).toEqual([
      { ppc_runrequested: false, ppc_errormessage: expect.stringMatching(/refused/) },
    ]);
    const bad = world({ ...onDemand, ppc_currencyscope: 'US$' });
    await reconcileNowRequested({ store, dataverse: bad.dv, reconciler: r.reconciler })(ctx(event(FINANCE)));
    expect(r.calls).toEqual([]);
    expect(bad.state.ppc_errormessage).toMatch(/three-letter currency code/);
  });
});

async function waitUntil(f: () => boolean) {
  for (let i = 0; i < 1000 && !f(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!f()) throw new Error('condition not reached');
}
