// Several application users against the emulator (limits per user, as Dataverse counts them): requests spread
// over the users, and a user that is throttled hands its work to another without waiting out its Retry-After.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  APPLICATION_USER,
  applicationUsers,
  createServer,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  msalAuthorityOptions,
  type DataverseEmulator,
} from '@ppc/dataverse-emulator';
import { createDataverseClient, type DataverseClient } from '../../../src/adapters/dataverse/client.ts';
import { createUserPool } from '../../../src/adapters/dataverse/user-pool.ts';
import { control, unique } from './emulator-client.ts';

const extra = applicationUsers(2);
let dv: DataverseEmulator;

beforeAll(async () => {
  dv = await createServer({ port: 0, users: extra });
});
afterAll(async () => {
  await dv?.close();
});

function poolOf(sleeps: number[]) {
  const users: DataverseClient[] = [
    { clientId: EMULATOR_CLIENT_ID, clientSecret: EMULATOR_CLIENT_SECRET },
    ...extra.map((u) => ({ clientId: u.clientId!, clientSecret: u.clientSecret! })),
  ].map((c) =>
    createDataverseClient({
      url: dv.url,
      ...c,
      msal: { auth: msalAuthorityOptions(dv.url, dv.tenantId) },
      maxConcurrency: 4,
      handOffThrottled: true,
      // a Retry-After pause never ends here: a request that waited for it instead of moving to another user
      // would never finish
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise<void>(() => undefined);
      },
    }),
  );
  return createUserPool(users);
}

type Counters = { byUser: Record<string, { requests: number }> };

describe('several application users', () => {
  it('spreads requests over the users and moves a throttled user’s work to another', async () => {
    const sleeps: number[] = [];
    const pool = poolOf(sleeps);
    const ids = [APPLICATION_USER.systemuserid, ...extra.map((u) => u.systemuserid)];
    const before = (await control(dv, 'GET', 'counters')) as Counters;
    const tag = unique('pool');
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        pool.changeSet([{ method: 'PATCH', url: `contacts(ppc_paypalpayerid='${tag}${i}')`, body: { lastname: 'P' } }]),
      ),
    );
    const spread = (await control(dv, 'GET', 'counters')) as Counters;
    const delta = ids.map((id) => (spread.byUser[id]?.requests ?? 0) - (before.byUser[id]?.requests ?? 0));
    // each user carried part of the load (token requests are not Web API requests)
    for (const n of delta) expect(n).toBeGreaterThanOrEqual(5);
    expect(delta.reduce((a, b) => a + b, 0)).toBe(30);

    // the first user has no requests left in its window: its 429 closes its gate and the work moves on
    await control(dv, 'POST', 'limits', { perUser: { [APPLICATION_USER.systemuserid]: { requests: 0 } } });
    try {
      const moved = unique('moved');
      const results = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          pool.changeSet([
            { method: 'PATCH', url: `contacts(ppc_paypalpayerid='${moved}${i}')`, body: { lastname: 'M' } },
          ]),
        ),
      );
      expect(results).toHaveLength(9);
      expect(pool.stats().throttled['0x80072322']).toBeGreaterThanOrEqual(1);
      // the throttled user's gate was closed for its Retry-After; the other users took the work meanwhile
      expect(sleeps.length).toBeGreaterThanOrEqual(1);
      expect(pool.load().pausedMs).toBe(0);
      const rows = await pool.query('contacts', `$select=lastname&$filter=startswith(ppc_paypalpayerid,'${moved}')`);
      expect(rows).toHaveLength(9);
    } finally {
      await control(dv, 'POST', 'limits', { perUser: {} });
    }
  });
});
