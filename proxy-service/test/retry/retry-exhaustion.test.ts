// Each failure class, exhausted through the real retry layers: the job worker (queue/inbox-worker.ts) runs the
// real flows over the real PayPal and Dataverse clients, against a scripted HTTP server on loopback that
// fails every request in the way of the class. Sleeps and random are injected, so nothing waits. The
// attempts counted at each layer, and in total per event, must equal the retry table (retry/retry-table.ts),
// the same numbers the README prints.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Job, PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDataverseClient } from '../../src/adapters/dataverse/client.ts';
import { createPayPalClient } from '../../src/adapters/paypal/client.ts';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { buildHandlers, type Handler } from '../../src/flows/handlers.ts';
import { KeyedLocks, paymentLock } from '../../src/flows/keyed-locks.ts';
import { orderToCash } from '../../src/flows/order-to-cash.ts';
import type { ReferenceDataSource } from '../../src/flows/reference-data.ts';
import { refundFromPayPal } from '../../src/flows/refund-from-paypal.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { insertInboxEvents } from '../../src/queue/inbox.ts';
import { createInboxWorker } from '../../src/queue/inbox-worker.ts';
import type { InboxJob } from '../../src/queue/job-queue.ts';
import { DEFAULT_STATUS_MAP } from '../../src/mapping/status-map.ts';
import type { FailureClass } from '../../src/retry/failure-class.ts';
import { INLINE, worstCase, type QueuePolicy } from '../../src/retry/retry-table.ts';

/** The defaults of JOB_MAX_ATTEMPTS, RETRY_BASE_MS and RETRY_MAX_MS, as the README's table is computed. */
const QUEUE: QueuePolicy = { maxAttempts: 8, baseMs: 1000, maxMs: 300_000 };

type Reply = (req: IncomingMessage, body: string, res: ServerResponse) => void;
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** What the scripted server answers, per route; every request is counted by route. */
const script: { paypalOrder?: Reply; paypalRefund?: Reply; dataverseBatch?: Reply; dataverseQuery?: Reply } = {};
const hits = new Map<string, number>();
/** What PayPal answers for the resource of the event being run. */
let paypalResource: Record<string, unknown> = {};
const requestIds: string[] = [];
let server: Server;
let url: string;

const ORDER = {
  id: 'ORDER-1',
  status: 'COMPLETED',
  payer: { payer_id: 'PAYERRETRY01', email_address: 'retry@example.com', name: { given_name: 'R', surname: 'T' } },
  purchase_units: [
    { items: [{ name: 'Mug', sku: 'SKU-MUG', quantity: '1', unit_amount: { currency_code: 'USD', value: '10.00' } }] },
  ],
};

function route(req: IncomingMessage): string {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/v1/oauth2/token') return 'paypal token';
  if (path.startsWith('/v2/checkout/orders/')) return 'paypal order';
  // The flows read the event's resource from PayPal before booking it: PayPal's answer is the event's resource.
  if (req.method === 'GET' && /^\/v2\/payments\/(captures|refunds)\/[^/]+$/.test(path)) return 'paypal resource';
  if (path.endsWith('/refund')) return 'paypal refund';
  if (path.endsWith('/$batch')) return 'dataverse $batch';
  return 'dataverse query';
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const r = route(req);
      hits.set(r, (hits.get(r) ?? 0) + 1);
      if (r === 'paypal token') return json(res, 200, { access_token: 'pp-token', expires_in: 3600 });
      if (r === 'paypal resource') return json(res, 200, paypalResource);
      if (r === 'paypal refund') requestIds.push(String(req.headers['paypal-request-id']));
      const reply =
        r === 'paypal order'
          ? (script.paypalOrder ?? ((_q, _b, s) => json(s, 200, ORDER)))
          : r === 'paypal refund'
            ? script.paypalRefund
            : r === 'dataverse $batch'
              ? script.dataverseBatch
              : (script.dataverseQuery ?? ((_q, _b, s) => json(s, 200, { value: [] })));
      if (!reply) return json(res, 500, { message: `no script for ${r}` });
      reply(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let store: Store;
beforeAll(async () => {
  store = await openStore({ databaseUrl: undefined, databaseSchema: 'public', pgliteDataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

/** A multipart $batch answer with one part per request part, each with the given status line. */
function batchAnswer(res: ServerResponse, requestBody: string, statusLine: string, body = '') {
  const parts = Math.max(1, requestBody.split(/\r?\n/).filter((l) => /^(GET|POST|PATCH|DELETE) /.test(l)).length);
  const b = 'batchresponse_retry';
  const one = `--${b}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n${statusLine}\r\nContent-Type: application/json\r\n\r\n${body}\r\n`;
  res.writeHead(200, { 'content-type': `multipart/mixed; boundary=${b}` });
  res.end(`${one.repeat(parts)}--${b}--\r\n`);
}

const reference: ReferenceDataSource = {
  invalidate: () => undefined,
  get: async () => ({
    baseCurrency: 'USD',
    currencyId: () => '00000000-0000-0000-0000-0000000000aa',
    priceLevelId: () => '00000000-0000-0000-0000-0000000000bb',
    defaultUomId: '00000000-0000-0000-0000-0000000000cc',
    fallbackProductNumber: 'PAYPAL-MISC',
    statusMap: { ok: true, map: DEFAULT_STATUS_MAP },
    account: () => '1000',
    fxRate: () => '1',
    envVars: {},
  }),
};

interface Counted {
  jobs: number;
  /** requests per route over the whole event */
  hits: Record<string, number>;
  /** waits the clients slept (inline backoff, Retry-After, the 429 gate) */
  inlineSleeps: number[];
  /** delays the queue scheduled between jobs */
  queueDelays: number[];
  tokenRefreshes: number;
  deadLetter: string | undefined;
}

/** Runs one event through the worker until it is processed or dead-lettered, counting every attempt. */
async function exhaust(eventType: string, resource: Record<string, unknown>): Promise<Counted> {
  hits.clear();
  requestIds.length = 0;
  paypalResource = resource;
  const inlineSleeps: number[] = [];
  const sleep = async (ms: number) => {
    inlineSleeps.push(ms);
  };
  let tokenRefreshes = 0;
  const dvToken = Object.assign(async () => 'dv-token', {
    invalidate: () => {
      tokenRefreshes++;
    },
  });
  const random = () => 0.999999;
  const paypal = createPayPalClient({ baseUrl: url, clientId: 'id', clientSecret: 'secret', random, sleep });
  const dataverse = createDataverseClient({
    url,
    clientId: 'id',
    clientSecret: 's',
    tokenProvider: dvToken,
    random,
    sleep,
  });
  const locks = new KeyedLocks();
  const o2c = orderToCash({ dataverse, paypal, reference, locks });
  const lock = paymentLock(locks);
  // A refund from D365 reduced to its PayPal call: the memo id is the PayPal-Request-Id of every attempt.
  const refundCall: Handler = async (ctx) => {
    await paypal.refundCapture('CAPTURE-1', { amount: { currency_code: 'USD', value: '1.00' } }, `memo-${ctx.eventId}`);
  };
  const sent: { data: InboxJob; startAfter: Date }[] = [];
  const boss = {
    send: async (_queue: string, data: InboxJob, options: { startAfter: Date }) => {
      sent.push({ data, startAfter: options.startAfter });
      return randomUUID();
    },
  } as unknown as PgBoss;
  const worker = createInboxWorker({
    boss,
    store,
    queue: 'inbound-events',
    handlers: buildHandlers({
      'capture.completed': o2c,
      'capture.refunded': refundFromPayPal({ dataverse, reference, captureLock: lock, paypal }),
      'creditmemo.refund_requested': refundCall,
    }),
    policy: QUEUE,
    metrics: createMetrics(),
    log: createLogger('silent'),
    random,
  });
  const eventId = `WH-${randomUUID()}`;
  const source = eventType.includes(':') ? 'dataverse' : 'paypal';
  const [inboxId] = await insertInboxEvents(store, [
    { source, eventId, eventType, knownType: true, payload: { id: eventId, event_type: eventType, resource } },
  ]);
  let job: InboxJob = { inboxId: inboxId!, attempt: 1 };
  let jobs = 0;
  const queueDelays: number[] = [];
  for (;;) {
    jobs++;
    const before = Date.now();
    const outcome = await worker.run({ id: randomUUID(), name: 'inbound-events', data: job } as Job<InboxJob>);
    if (outcome !== 'retried') break;
    const next = sent.at(-1)!;
    queueDelays.push(next.startAfter.getTime() - before);
    job = next.data;
  }
  const { rows } = await store.query<{ error_code: string }>(
    `SELECT error_code FROM dead_letters WHERE inbox_id = $1::bigint`,
    [inboxId],
  );
  return {
    jobs,
    hits: Object.fromEntries(hits),
    inlineSleeps,
    queueDelays,
    tokenRefreshes,
    deadLetter: rows[0]?.error_code,
  };
}

const capture = () => ({
  id: `CAP${randomUUID().slice(0, 8)}`,
  status: 'COMPLETED',
  amount: { currency_code: 'USD', value: '10.00' },
  supplementary_data: { related_ids: { order_id: 'ORDER-1' } },
});
const refund = () => ({
  id: `REF${randomUUID().slice(0, 8)}`,
  status: 'COMPLETED',
  amount: { currency_code: 'USD', value: '1.00' },
  links: [{ rel: 'up', href: `${url}/v2/payments/captures/CAPNOTHERE` }],
});

const paypalFails =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_q, _b, res) =>
    json(res, status, body, headers);
const resetSocket: Reply = (req) => req.socket.destroy();

describe('every failure class, exhausted through the real layers, costs what the retry table says', () => {
  beforeAll(() => {
    // jobs reach Dataverse only for the Dataverse cases; a read batch that answers "nothing yet" by default
    script.dataverseBatch = (_q, body, res) => batchAnswer(res, body, 'HTTP/1.1 404 Not Found');
  });

  const paypalCases: [FailureClass, Reply][] = [
    ['throttled', paypalFails(429, { name: 'RATE_LIMIT_REACHED', message: 'slow down' }, { 'retry-after': '1' })],
    ['unavailable', paypalFails(503, { name: 'SERVICE_UNAVAILABLE', message: 'down' })],
    ['network', resetSocket],
    ['rejected', paypalFails(404, { name: 'RESOURCE_NOT_FOUND', message: 'no such order' })],
  ];
  it.each(paypalCases)('%s at PayPal (order-to-cash reads the order)', async (failure, reply) => {
    script.paypalOrder = reply;
    const c = await exhaust('PAYMENT.CAPTURE.COMPLETED', capture());
    script.paypalOrder = undefined;
    const w = worstCase(failure, QUEUE);
    expect(c.jobs).toBe(w.queue);
    expect(c.hits['paypal order']).toBe(w.perEvent);
    expect(c.hits['paypal order']).toBe(w.paypal * w.queue);
    expect(c.hits['dataverse $batch']).toBeUndefined();
    expect(c.deadLetter).toMatch(/^paypal_/);
    expect(c.inlineSleeps).toHaveLength((w.paypal - 1) * w.queue);
    expect(Math.max(0, ...c.inlineSleeps)).toBeLessThanOrEqual(INLINE.maxWaitMs);
    expect(c.queueDelays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(w.ms);
  });

  it('unauthorized at PayPal: one fresh token, then a dead letter', async () => {
    script.paypalOrder = paypalFails(401, { name: 'AUTHENTICATION_FAILURE', message: 'expired' });
    const c = await exhaust('PAYMENT.CAPTURE.COMPLETED', capture());
    script.paypalOrder = undefined;
    const w = worstCase('unauthorized', QUEUE);
    expect({ jobs: c.jobs, order: c.hits['paypal order'], tokens: c.hits['paypal token'] }).toEqual({
      jobs: 1,
      order: w.perEvent,
      tokens: 2,
    });
    expect(c.deadLetter).toBe('paypal_AUTHENTICATION_FAILURE');
  });

  it('in_progress: PayPal still processing the same PayPal-Request-Id; every attempt of every job re-sends that id', async () => {
    script.paypalRefund = paypalFails(409, {
      name: 'UNPROCESSABLE_ENTITY',
      message: 'in progress',
      details: [{ issue: 'PREVIOUS_REQUEST_IN_PROGRESS' }],
    });
    const c = await exhaust('Update:ppc_creditmemo', { PrimaryEntityId: 'memo' });
    const w = worstCase('in_progress', QUEUE);
    expect(c.jobs).toBe(w.queue);
    expect(c.hits['paypal refund']).toBe(w.perEvent);
    expect(new Set(requestIds).size).toBe(1);
    expect(requestIds).toHaveLength(w.perEvent);
  });

  const dataverseCases: [FailureClass, Reply][] = [
    [
      'service_protection',
      (_q, _b, res) =>
        json(
          res,
          429,
          { error: { code: '0x80072322', message: 'Number of requests exceeded the limit' } },
          { 'retry-after': '1' },
        ),
    ],
    ['unavailable', (_q, _b, res) => json(res, 503, { error: { code: '0x80040216', message: 'down' } })],
    ['network', resetSocket],
    ['unauthorized', (_q, _b, res) => json(res, 401, { error: { code: '0x80048306', message: 'token expired' } })],
    ['rejected', (_q, _b, res) => json(res, 400, { error: { code: '0x80040203', message: 'bad request' } })],
  ];
  it.each(dataverseCases)('%s at Dataverse (order-to-cash reads)', async (failure, reply) => {
    const previous = script.dataverseBatch;
    script.dataverseBatch = reply;
    const c = await exhaust('PAYMENT.CAPTURE.COMPLETED', capture());
    script.dataverseBatch = previous;
    const w = worstCase(failure, QUEUE);
    expect(c.jobs).toBe(w.queue);
    expect(c.hits['dataverse $batch']).toBe(w.perEvent);
    expect(c.hits['dataverse $batch']).toBe(w.dataverse * w.queue);
    expect(c.tokenRefreshes).toBe(failure === 'unauthorized' ? 1 : 0);
    expect(c.deadLetter).toMatch(/^dataverse_/);
  });

  it('conflict: every change set answers 412; order-to-cash re-plans, then the queue retries', async () => {
    const previous = script.dataverseBatch;
    let changeSets = 0;
    script.dataverseBatch = (_q, body, res) => {
      if (!body.includes('changeset_')) return batchAnswer(res, body, 'HTTP/1.1 404 Not Found');
      changeSets++;
      return batchAnswer(
        res,
        body,
        'HTTP/1.1 412 Precondition Failed',
        JSON.stringify({ error: { code: '0x80060882', message: 'changed' } }),
      );
    };
    const c = await exhaust('PAYMENT.CAPTURE.COMPLETED', capture());
    script.dataverseBatch = previous;
    const w = worstCase('conflict', QUEUE);
    expect(c.jobs).toBe(w.queue);
    expect(changeSets).toBe(w.perEvent);
    expect(changeSets).toBe(w.dataverse * w.replan * w.queue);
    // each change set is planned from a fresh read
    expect(c.hits['dataverse $batch']).toBe(2 * changeSets);
    expect(c.inlineSleeps).toEqual([]);
    expect(c.deadLetter).toBe('dataverse_412 (attempts exhausted)');
  });

  it('not_yet_recorded: a refund whose capture is not in Dataverse is only retried by the queue', async () => {
    const c = await exhaust('PAYMENT.CAPTURE.REFUNDED', refund());
    const w = worstCase('not_yet_recorded', QUEUE);
    expect(c.jobs).toBe(w.queue);
    expect(c.hits['dataverse query']).toBe(w.perEvent);
    expect(c.deadLetter).toBe('capture_not_recorded (attempts exhausted)');
  });

  it('bug: an answer we cannot read is dead-lettered at once', async () => {
    script.paypalOrder = (_q, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "ORDER-1", ');
    };
    const c = await exhaust('PAYMENT.CAPTURE.COMPLETED', capture());
    script.paypalOrder = undefined;
    expect({ jobs: c.jobs, order: c.hits['paypal order'] }).toEqual({
      jobs: 1,
      order: worstCase('bug', QUEUE).perEvent,
    });
    expect(c.deadLetter).toBe('unexpected');
  });
});
