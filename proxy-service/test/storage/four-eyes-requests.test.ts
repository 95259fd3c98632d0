// The requester an approval is checked against lives in the proxy's own database: recorded, replaced by a new
// request, forgotten on a refused one, and independent per subject and record.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/adapters/store/open-store.ts';
import { forgetRequest, recordedRequester, recordRequest } from '../../src/adapters/store/four-eyes-requests.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { loadConfig } from '../../src/config.ts';
import { testEnv } from '../support/test-proxy.ts';

let store: Store;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-foureyes-'));
  store = await openStore(loadConfig(testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite') })));
});
afterAll(async () => {
  await store?.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('four-eyes requests kept by the proxy', () => {
  it('records the requester, a new request replaces it, a refused one forgets it', async () => {
    const memo = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    expect(await recordedRequester(store, 'refund', memo)).toBeUndefined();
    await recordRequest(store, 'refund', memo, first.toUpperCase(), new Date('2026-11-27T10:00:00Z'));
    expect(await recordedRequester(store, 'refund', memo)).toBe(first);
    await recordRequest(store, 'refund', memo, second, new Date('2026-11-27T11:00:00Z'));
    expect(await recordedRequester(store, 'refund', memo)).toBe(second);
    await forgetRequest(store, 'refund', memo);
    expect(await recordedRequester(store, 'refund', memo)).toBeUndefined();
  });

  it('keeps subjects apart: a payout request is not a refund request for the same id', async () => {
    const id = randomUUID();
    const requester = randomUUID();
    await recordRequest(store, 'payout', id, requester, new Date());
    expect(await recordedRequester(store, 'refund', id)).toBeUndefined();
    expect(await recordedRequester(store, 'payout', id)).toBe(requester);
  });
});
