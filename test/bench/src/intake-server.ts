// Runs the server under test in its own thread (own event loop), apart from the load generator.
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { OfflineVerifier, createProxy, loadConfig, parsePemChain } from '@ppc/proxy-service';

const data = workerData as {
  kind: 'baseline' | 'proxy';
  env: Record<string, string>;
  caPem: string;
  leafPem: string;
  certUrl: string;
};
let stop: () => Promise<void>;
let url: string;
/** Events stored but not yet run to an outcome by the workers (0 for the baseline). */
let backlog: () => Promise<number> = async () => 0;
/** The embedded PostgreSQL server's postmaster pid, when this scenario runs one. */
let postmaster: () => number | undefined = () => undefined;

if (data.kind === 'baseline') {
  // The floor: an express route that only parses JSON.
  const app = express();
  app.post('/webhooks/paypal', express.json({ limit: '1mb' }), (req, res) => {
    res.json({ status: typeof req.body?.id === 'string' ? 'accepted' : 'invalid' });
  });
  const server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = () => new Promise((r) => server.close(() => r()));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'ppc-bench-'));
  chmodSync(dir, 0o755); // run as root, the embedded PostgreSQL runs as the postgres OS user
  const config = loadConfig({ STORE_DATA_DIR: join(dir, 'store'), LOG_LEVEL: 'silent', ...data.env });
  const proxy = await createProxy(config, {
    verifier: new OfflineVerifier({
      webhookId: config.paypalWebhookId,
      certUrlAllowlist: config.paypalCertUrlAllowlist,
      subjectPattern: new RegExp(config.paypalCertSubjectPattern),
      anchors: [new X509Certificate(data.caPem)],
      certificates: {
        chain: async (u) =>
          u === data.certUrl ? parsePemChain(data.leafPem) : Promise.reject(new Error('unknown cert url')),
        issuer: async () => Promise.reject(new Error('no AIA')),
      },
    }),
  });
  url = await proxy.listen(0, '127.0.0.1');
  backlog = async () =>
    (
      await proxy.store.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbox_events WHERE status IN ('received', 'processing', 'retrying')`,
      )
    ).rows[0]!.n;
  postmaster = () => {
    try {
      return Number(readFileSync(join(dir, 'store', 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  };
  stop = async () => {
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

parentPort!.on('message', (m) => {
  if (m === 'stop') void stop().then(() => parentPort!.postMessage({ stopped: true }));
  if (m === 'backlog') void backlog().then((n) => parentPort!.postMessage({ backlog: n }));
});
parentPort!.postMessage({ url, postmaster: postmaster() });
