// No event lost to a crash: kill -9 of a real proxy process after its 2xx but before the job ran; after a
// restart its job runs exactly once (this process has no Dataverse, so the run parks the event for the flow
// a configured start will bring). Also: SIGTERM drains and exits cleanly.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/adapters/store/open-store.ts';
import { loadConfig } from '../../src/config.ts';
import { signDelivery } from '@ppc/test-support';
import { spawnProxy } from '../support/spawn-proxy.ts';
import { testEnv, testPki, TEST_WEBHOOK_ID } from '../support/test-proxy.ts';
import { waitFor } from '@ppc/test-support';

let certServer: Server;
let certUrl: string;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), 'ppc-crash-'));
  writeFileSync(join(dir, 'ca.pem'), pki.ca.pem);
  certServer = createServer((req, res) => {
    if (req.url === '/v1/notifications/certs/CERT-crash') res.end(pki.leaf.pem);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => certServer.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(certServer.address() as AddressInfo).port}/v1/notifications/certs/`;
  certUrl = `${base}CERT-crash`;
  env = testEnv({
    PGLITE_DATA_DIR: join(dir, 'pglite'),
    PAYPAL_CERT_URL_ALLOWLIST: base,
    PAYPAL_EXTRA_CA_FILE: join(dir, 'ca.pem'),
    EXIT_ON_SIGTERM: 'true',
    LOG_LEVEL: 'warn',
  });
});

afterAll(async () => {
  await new Promise((r) => certServer?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** Jobs that ran to an outcome: without Dataverse configured, an event's run parks it. */
const processedCount = async (url: string) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/ppc_jobs_total\{queue="inbound-events",outcome="parked"\} (\d+)/.exec(text)?.[1] ?? 0);
};

describe('a real proxy process', () => {
  it('processes an acknowledged event exactly once after kill -9 and restart', async () => {
    const pki = await testPki();
    const body = JSON.stringify({
      id: `WH-${randomUUID()}`,
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
      resource_type: 'capture',
      resource: { id: 'CAP-CRASH' },
    });

    // First life: intake only, so the job cannot have run when the process dies.
    const first = await spawnProxy({ ...env, PROXY_ROLE: 'intake' });
    const res = await fetch(`${first.url}/webhooks/paypal`, {
      method: 'POST',
      body,
      headers: signDelivery(Buffer.from(body), { webhookId: TEST_WEBHOOK_ID, certUrl, key: pki.leaf.privateKey }),
    });
    expect(res.status).toBe(200);
    expect(await processedCount(first.url)).toBe(0);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    // Second life: a full replica on the same store picks the job up.
    const second = await spawnProxy({ ...env, PROXY_ROLE: 'all' });
    await waitFor(async () => (await processedCount(second.url)) === 1, 30_000, 'the event to be processed');
    // SIGTERM: drains and exits 0.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const store = await openStore(loadConfig(env));
    try {
      const { rows } = await store.query<{ status: string; runs: number }>(
        `SELECT i.status, (SELECT count(*)::int FROM handler_runs r WHERE r.inbox_id = i.id) AS runs FROM inbox_events i WHERE i.event_id = $1`,
        [(JSON.parse(body) as { id: string }).id],
      );
      expect(rows).toEqual([{ status: 'parked', runs: 0 }]);
    } finally {
      await store.close();
    }
  });

  it('refuses to start with a clear message when the configuration is bad', async () => {
    await expect(spawnProxy({ ...env, PORT: 'eighty', ADMIN_TOKEN: 'short' })).rejects.toThrow(
      /exited with 78[\s\S]*PORT: .*got "eighty"[\s\S]*ADMIN_TOKEN: /,
    );
  });
});
