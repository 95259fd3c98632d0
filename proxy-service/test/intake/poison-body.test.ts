// Bodies PostgreSQL's jsonb cannot hold (NUL, lone surrogates, deep nesting, bytes that are not UTF-8, numbers
// beyond numeric): stored as bytes and dead-lettered with their reason, each alone, never failing the valid
// events that share their group commit, and never written to the log.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@ppc/test-support';
import { MAX_JSON_DEPTH, readJsonBody } from '../../src/intake/json-body.ts';
import { createLogger } from '../../src/logger.ts';
import { post, startTestProxy, testPki, type TestPki } from '../support/test-proxy.ts';

const SECRET = 'test-dataverse-webhook-secret-0123';
const MARK = 'POISONMARK';
let t: Awaited<ReturnType<typeof startTestProxy>>;
let pki: TestPki;
let hook: string;
const logLines: string[] = [];

/** A PayPal capture event as JSON text; `extra` is spliced in verbatim so it can hold what JSON.stringify would not write. */
const eventText = (id: string, extra = '') =>
  `{"id":"${id}","event_version":"1.0","event_type":"PAYMENT.CAPTURE.COMPLETED","resource_type":"capture",` +
  `"resource":{"id":"CAP-${id}","custom_id":"valid-${MARK}-${id}"${extra}}}`;

const rows = async <T>(sql: string, params: unknown[]) => (await t.proxy.store.query<T>(sql, params)).rows;

beforeAll(async () => {
  pki = await testPki();
  t = await startTestProxy({
    env: { DATAVERSE_WEBHOOK_SECRET: SECRET },
    overrides: { log: createLogger('debug', { write: (line: string) => void logLines.push(line) }) },
  });
  hook = `${t.url}/webhooks/paypal`;
});
afterAll(async () => {
  await t?.proxy.stop();
});

describe('readJsonBody', () => {
  it.each([
    ['a NUL escape', '{"a":"x\\u0000y"}', 'nul_character'],
    ['a NUL in a key', '{"x\\u0000":1}', 'nul_character'],
    ['a lone high surrogate', '{"a":"\\ud800"}', 'lone_surrogate'],
    ['a lone low surrogate', '{"a":"x\\udc00"}', 'lone_surrogate'],
    ['nesting past the limit', '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1), 'too_deep'],
  ])('names %s', (_name, text, reason) => {
    expect(readJsonBody(Buffer.from(text))).toMatchObject({ ok: true, poison: reason });
  });

  it('names bytes that are not UTF-8 and still parses the JSON around them', () => {
    const raw = Buffer.concat([Buffer.from('{"id":"a","x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    expect(readJsonBody(raw)).toMatchObject({ ok: true, poison: 'invalid_utf8', value: { id: 'a' } });
  });

  it('keeps a valid body as its text, a surrogate pair and nesting at the limit included', () => {
    // The object and MAX_JSON_DEPTH - 1 arrays inside it: MAX_JSON_DEPTH levels.
    const nested = '['.repeat(MAX_JSON_DEPTH - 1) + ']'.repeat(MAX_JSON_DEPTH - 1);
    const text = `{"a":"\\ud83d\\ude00","n":${nested}}`;
    const body = readJsonBody(Buffer.from(text));
    expect(body).toMatchObject({ ok: true, text });
    expect(body).not.toHaveProperty('poison');
  });

  it('parses a million levels without a stack overflow', () => {
    const text = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(readJsonBody(Buffer.from(text))).toMatchObject({ ok: true, poison: 'too_deep' });
  });

  it('refuses text that is not JSON, or JSON with a raw control character in a string', () => {
    expect(readJsonBody(Buffer.from('{"a":'))).toEqual({ ok: false, message: 'body is not valid JSON' });
    expect(readJsonBody(Buffer.from('{"a":"x\u0000y"}'))).toEqual({ ok: false, message: 'body is not valid JSON' });
  });
});

describe('a poison event among valid ones', () => {
  it('1 poison among 20 valid, sent at once: 20 accepted and queued, the poison one stored and dead-lettered, nothing of either in the log', async () => {
    const valid = Array.from({ length: 20 }, () => eventText(`WH-${randomUUID()}`));
    const poisonId = `WH-${randomUUID()}`;
    // What the PayPal emulator accepted in a custom_id, signed as PayPal would sign it.
    const poison = eventText(poisonId, `,"note":"memo\\u0000x-${MARK}-secret"`);
    const sent = [...valid.slice(0, 10), poison, ...valid.slice(10)];
    const results = await Promise.all(sent.map((body) => post(hook, body, pki.sign(body))));

    expect(results.map((r) => r.status)).toEqual(sent.map(() => 200));
    expect(results.filter((r) => r.body?.status === 'accepted')).toHaveLength(20);
    expect(results[10]!.body).toEqual({ status: 'dead_lettered' });

    const ids = valid.map((v) => (JSON.parse(v) as { id: string }).id);
    await waitFor(
      async () =>
        (
          await rows<{ n: number }>(
            `SELECT count(*)::int AS n FROM inbox_events WHERE event_id = ANY($1) AND status = 'processed'`,
            [ids],
          )
        )[0]!.n === 20,
      15_000,
      'the 20 valid events processed',
    );

    const [stored] = await rows<{ status: string; payload: unknown; raw_body: Uint8Array; last_error: string }>(
      `SELECT status, payload, raw_body, last_error FROM inbox_events WHERE event_id = $1`,
      [poisonId],
    );
    expect(stored).toMatchObject({ status: 'dead', payload: null, last_error: 'poison_body: nul_character' });
    expect(Buffer.from(stored!.raw_body).equals(Buffer.from(poison))).toBe(true);
    const letters = await rows<{ error_code: string; last_error: string; attempts: number }>(
      `SELECT d.error_code, d.last_error, d.attempts FROM dead_letters d JOIN inbox_events i ON i.id = d.inbox_id WHERE i.event_id = $1`,
      [poisonId],
    );
    expect(letters).toEqual([
      {
        error_code: 'poison_body: nul_character',
        last_error: expect.stringContaining('NUL') as unknown as string,
        attempts: 0,
      },
    ]);

    const log = logLines.join('');
    expect(log).toContain('stored as bytes and dead-lettered');
    expect(log).not.toContain(MARK);
    expect(log).not.toContain('memo');
  });

  it('a body the database refuses (a number beyond numeric) fails alone: stored as bytes, dead-lettered, its batch stored, no payload or database detail logged', async () => {
    const valid = Array.from({ length: 20 }, () => eventText(`WH-${randomUUID()}`));
    const refusedId = `WH-${randomUUID()}`;
    const refused = eventText(refusedId, `,"amount":1e1000000,"note":"${MARK}"`);
    const sent = [refused, ...valid];
    const before = logLines.length;
    const results = await Promise.all(sent.map((body) => post(hook, body, pki.sign(body))));
    expect(results.map((r) => r.status)).toEqual(sent.map(() => 200));
    expect(results.slice(1).every((r) => r.body?.status === 'accepted')).toBe(true);
    expect(results[0]!.body).toEqual({ status: 'dead_lettered' });

    const [stored] = await rows<{ status: string; payload: unknown; raw_body: Uint8Array; last_error: string }>(
      `SELECT status, payload, raw_body, last_error FROM inbox_events WHERE event_id = $1`,
      [refusedId],
    );
    expect(stored).toMatchObject({ status: 'dead', payload: null, last_error: 'poison_body: database_rejected' });
    expect(Buffer.from(stored!.raw_body).toString()).toBe(refused);

    const log = logLines.slice(before).join('');
    expect(log).toContain('database refused an event body');
    expect(log).toContain('"code":"22003"');
    expect(log).not.toContain(MARK);
    expect(log).not.toContain('1e1000000');
  });

  it.each([
    ['a lone surrogate', `,"note":"\\udfff${MARK}"`, 'lone_surrogate'],
    [
      'nesting past the limit',
      `,"deep":${'['.repeat(MAX_JSON_DEPTH + 5)}"${MARK}"${']'.repeat(MAX_JSON_DEPTH + 5)}`,
      'too_deep',
    ],
  ])('stores a signed event with %s and dead-letters it; a redelivery is a duplicate', async (_name, extra, reason) => {
    const id = `WH-${randomUUID()}`;
    const body = eventText(id, extra);
    expect((await post(hook, body, pki.sign(body))).body).toEqual({ status: 'dead_lettered' });
    expect((await post(hook, body, pki.sign(body))).body).toEqual({ status: 'duplicate' });
    const stored = await rows<{ last_error: string }>(`SELECT last_error FROM inbox_events WHERE event_id = $1`, [id]);
    expect(stored).toEqual([{ last_error: `poison_body: ${reason}` }]);
  });

  it('stores bytes that are not UTF-8 exactly as received', async () => {
    const id = `WH-${randomUUID()}`;
    const body = Buffer.concat([
      Buffer.from(`{"id":"${id}","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"note":"`),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}}'),
    ]);
    expect((await post(hook, body, pki.sign(body))).body).toEqual({ status: 'dead_lettered' });
    const [stored] = await rows<{ raw_body: Uint8Array }>(`SELECT raw_body FROM inbox_events WHERE event_id = $1`, [
      id,
    ]);
    expect(Buffer.from(stored!.raw_body).equals(body)).toBe(true);
  });

  it('does not store a poison body whose signature does not verify', async () => {
    const id = `WH-${randomUUID()}`;
    const body = eventText(id, `,"note":"\\u0000"`);
    const res = await post(hook, body, pki.sign(body.replace('CAP-', 'CAQ-')));
    expect(res.status).toBe(400);
    expect(await rows(`SELECT 1 FROM inbox_events WHERE event_id = $1`, [id])).toEqual([]);
  });

  it('refuses to replay a poison dead letter (nothing a handler could read) and replay-all still ends', async () => {
    const admin = { authorization: 'Bearer test-admin-token-0123456789' };
    const list = (await (await fetch(`${t.url}/admin/dead-letters`, { headers: admin })).json()) as {
      value: { id: string; error_code: string }[];
    };
    const letter = list.value.find((d) => d.error_code.startsWith('poison_body'))!;
    const one = await fetch(`${t.url}/admin/dead-letters/${letter.id}/replay`, { method: 'POST', headers: admin });
    expect(one.status).toBe(409);
    expect(await one.json()).toEqual({ id: letter.id, replayed: false, reason: 'not_replayable' });
    const all = await fetch(`${t.url}/admin/dead-letters/replay`, { method: 'POST', headers: admin });
    expect(all.status).toBe(200);
    const results = ((await all.json()) as { value: { reason?: string }[] }).value;
    expect(results.length).toBe(list.value.length);
    expect(results.every((r) => r.reason === 'not_replayable')).toBe(true);
  });
});

describe('Dataverse bodies', () => {
  it('stores and dead-letters a RemoteExecutionContext holding a NUL, answering 200 so Dataverse stops retrying', async () => {
    const op = randomUUID();
    const body =
      `{"MessageName":"Update","PrimaryEntityName":"ppc_creditmemo","PrimaryEntityId":"${randomUUID()}",` +
      `"OperationId":"${op}","InputParameters":[{"key":"Target","value":"a\\u0000${MARK}"}]}`;
    const res = await post(`${t.url}/webhooks/dataverse`, body, { 'x-ppc-webhook-secret': SECRET });
    expect(res).toEqual({ status: 200, body: { status: 'dead_lettered' } });
    const stored = await rows<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM inbox_events WHERE source = 'dataverse' AND event_id = $1`,
      [op],
    );
    expect(stored).toEqual([{ status: 'dead', last_error: 'poison_body: nul_character' }]);
    expect(logLines.join('')).not.toContain(MARK);
  });
});
