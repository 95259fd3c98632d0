// `npm run dlq` reads the store the sandbox writes: a payment that Dataverse keeps refusing is dead-lettered
// by a stack on the sandbox's resolved data directory, seen through /admin with the sandbox's admin token,
// then listed by the root dlq script run from another folder once the stack has stopped.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminTokenFor } from '../src/admin-token.ts';
import { buyerPays } from '../src/buyer.ts';
import { pollUntil } from '../src/poll.ts';
import { REPO_ROOT, sandboxSettings } from '../src/sandbox-settings.ts';
import { startLocalStack, type LocalStack } from '../src/stack.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'ppc-sandbox-'));
chmodSync(dataDir, 0o755); // run as root, the embedded server runs as the postgres OS user, which must reach it
const env = { SANDBOX_DATA_DIR: dataDir };
const settings = sandboxSettings(env);
const adminToken = adminTokenFor(settings.dataDir, {});
let stack: LocalStack | undefined;

beforeAll(async () => {
  stack = await startLocalStack({
    store: settings.store,
    proxyEnv: { ADMIN_TOKEN: adminToken, JOB_MAX_ATTEMPTS: '1' },
  });
});
afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dead letters of the sandbox', () => {
  it('are listed by npm run dlq from the same data directory', async () => {
    const s = stack!;
    // Every Dataverse Web API request from now on is refused (400: not retryable): the capture is dead-lettered.
    const fault = await fetch(`${s.dataverse.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ status: 400, count: 100_000 }),
    });
    expect(fault.ok).toBe(true);
    const purchase = await buyerPays(s.paypal.url, await s.paypalToken(), {
      currency: 'USD',
      items: [{ sku: 'SKU-CAP', name: 'Cap', quantity: 1, unitValue: '12.00' }],
    });
    const [letter] = await pollUntil(
      async () => {
        const res = await fetch(`${s.proxyUrl}/admin/dead-letters`, {
          headers: { authorization: `Bearer ${adminToken}` },
        });
        if (!res.ok) throw new Error(`admin answered ${res.status}`);
        const { value } = (await res.json()) as { value: { id: string }[] };
        return value.length ? value : undefined;
      },
      { timeoutMs: 20_000, what: `the dead letter of capture ${purchase.captureId}` },
    );
    await s.close(); // the embedded store has one owner at a time
    stack = undefined;

    const { stdout } = await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'scripts/dlq.ts'), 'list'], {
      cwd: tmpdir(),
      // The proxy port of this env is free (the stack above listened on a random one).
      env: { ...process.env, ...env, PORT: '1', DATABASE_URL: '' },
    });
    expect(stdout).toContain(letter!.id);
    expect(stdout).toContain('1 dead letter(s)');
  });
});
