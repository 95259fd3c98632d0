// Replay defences on top of PayPal's signature: a transmission id is one message (other bytes under a seen id are
// rejected, CRC-preserving forgeries included), and paypal-transmission-time must lie in the window that
// covers PayPal's redeliveries (a genuine redelivery, even one carrying its first attempt's time, passes).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { loadConfig } from '../../src/config.ts';
import { createInboxWriter } from '../../src/intake/inbox-writer.ts';
import { OfflineVerifier } from '../../src/intake/offline-verifier.ts';
import {
  checkTransmissionTime,
  DAY_MS,
  TRANSMISSION_MAX_AGE_MS,
  TRANSMISSION_MAX_SKEW_MS,
} from '../../src/intake/replay-guard.ts';
import { FILLER, withCrc } from '../support/crc-forgery.ts';
import { signedDeliveries } from '../support/fixtures.ts';
import { signDelivery, waitFor } from '@ppc/test-support';
import { post, startTestProxy, TEST_CERT_URL, TEST_WEBHOOK_ID, testPki, type TestPki } from '../support/test-proxy.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('the transmission-time window', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  const at = (offsetMs: number) => checkTransmissionTime({ transmissionTime: iso(now.getTime() + offsetMs) }, now);

  it('covers PayPal redeliveries (3 days of retries, resends of the last 30 days) and refuses older times', () => {
    expect(at(-3 * DAY_MS).ok).toBe(true);
    expect(at(-30 * DAY_MS).ok).toBe(true);
    expect(at(-TRANSMISSION_MAX_AGE_MS + 1000).ok).toBe(true);
    expect(at(-TRANSMISSION_MAX_AGE_MS - 1000)).toMatchObject({ ok: false, reason: 'transmission_time_out_of_range' });
    expect(at(-330 * DAY_MS)).toMatchObject({ ok: false, reason: 'transmission_time_out_of_range' });
  });

  it('allows a little clock skew into the future, not more', () => {
    expect(at(TRANSMISSION_MAX_SKEW_MS - 1000).ok).toBe(true);
    expect(at(TRANSMISSION_MAX_SKEW_MS + 1000)).toMatchObject({ ok: false, reason: 'transmission_time_out_of_range' });
  });

  it.each(['Sun, 02 Aug 2026 19:33:35 GMT', '2026-06-15', '1781524800', '2026-06-15T12:00:00', ''])(
    'refuses the time %j (PayPal sends RFC 3339)',
    (value) => {
      expect(checkTransmissionTime({ transmissionTime: value }, now)).toMatchObject({
        ok: false,
        reason: 'transmission_time_invalid',
      });
    },
  );
});

describe('replays through POST /webhooks/paypal (test PKI)', () => {
  let t: Awaited<ReturnType<typeof startTestProxy>>;
  let pki: TestPki;
  let hook: string;
  const count = async (eventId: string) =>
    Number(
      (
        await t.proxy.store.query<{ n: string }>(`SELECT count(*) AS n FROM inbox_events WHERE event_id = $1`, [
          eventId,
        ])
      ).rows[0]!.n,
    );
  const event = (id: string, amount = '10.00') =>
    JSON.stringify({
      id,
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
      resource: { id: 'CAP-1', amount: { value: amount } },
    });

  beforeAll(async () => {
    pki = await testPki();
    t = await startTestProxy();
    hook = `${t.url}/webhooks/paypal`;
  });
  afterAll(async () => {
    await t?.proxy.stop();
  });

  it('accepts a redelivery with the same transmission id and bytes as a duplicate', async () => {
    const body = event(`WH-${randomUUID()}`);
    const headers = pki.sign(body);
    expect((await post(hook, body, headers)).body).toEqual({ status: 'accepted' });
    expect((await post(hook, body, headers)).body).toEqual({ status: 'duplicate' });
  });

  it('rejects a seen transmission id with another body, validly signed or not, and stores nothing for it', async () => {
    const transmissionId = randomUUID();
    const first = event(`WH-${randomUUID()}`);
    expect((await post(hook, first, pki.sign(first, { transmissionId }))).body).toEqual({ status: 'accepted' });
    const otherId = `WH-${randomUUID()}`;
    const other = event(otherId, '4321.00');
    const res = await post(hook, other, pki.sign(other, { transmissionId }));
    expect(res.status).toBe(400);
    expect(res.body?.error).toMatchObject({ code: 'verification_failed' });
    expect(await count(otherId)).toBe(0);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/ppc_webhooks_rejected_total\{source="paypal",reason="transmission_replayed"\} [1-9]/);
  });

  it('rejects a CRC-preserving forgery sent with the genuine headers, also when both arrive at once', async () => {
    const genuine = event(`WH-${randomUUID()}`);
    const headers = pki.sign(genuine);
    const forgedId = `WH-${randomUUID()}`;
    const forged = withCrc(
      JSON.stringify({ id: forgedId, event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: 'CAP-9', pad: FILLER } }),
      crc32(Buffer.from(genuine)),
    );
    const [a, b] = await Promise.all([post(hook, genuine, headers), post(hook, forged, headers)]);
    // Whichever the group commit takes first is the transmission; the other is a replay with other bytes.
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    if (a.status === 200) expect(await count(forgedId)).toBe(0);
  });

  it('forgets transmission ids once the time window has passed them, and keeps the ones inside it', async () => {
    const [old, recent] = [randomUUID(), randomUUID()];
    await t.proxy.store.query(
      `INSERT INTO paypal_transmissions (transmission_id, body_sha256, transmission_time)
       VALUES ($1, '\\x00', now() - interval '40 days'), ($2, '\\x00', now() - interval '20 days')`,
      [old, recent],
    );
    const writer = createInboxWriter({
      store: t.proxy.store,
      boss: t.proxy.boss,
      queue: 'inbound-events',
      log: t.proxy.log,
    });
    const body = Buffer.from(event(`WH-${randomUUID()}`));
    await writer.write({
      source: 'paypal',
      eventId: `WH-${randomUUID()}`,
      eventType: 'X.UNKNOWN',
      knownType: false,
      payload: {},
      rawBody: body,
      transmission: { id: randomUUID(), time: new Date() },
    });
    // The writer forgets after its commit: poll until it has.
    const kept = async () =>
      (
        await t.proxy.store.query<{ transmission_id: string }>(
          `SELECT transmission_id FROM paypal_transmissions WHERE transmission_id = ANY($1)`,
          [[old, recent]],
        )
      ).rows.map((r) => r.transmission_id);
    await waitFor(async () => (await kept()).length === 1, 5_000, 'the old transmission id forgotten');
    expect(await kept()).toEqual([recent]);
  });

  it('rejects a validly signed delivery whose transmission time is 11 months old, and one from the future', async () => {
    for (const time of [new Date(Date.now() - 330 * DAY_MS), new Date(Date.now() + 2 * 3_600_000)]) {
      const id = `WH-${randomUUID()}`;
      const body = event(id);
      const headers = signDelivery(Buffer.from(body), {
        webhookId: TEST_WEBHOOK_ID,
        certUrl: TEST_CERT_URL,
        key: pki.leaf.privateKey,
        time,
      });
      const res = await post(hook, body, headers);
      expect(res.status).toBe(400);
      expect(await count(id)).toBe(0);
    }
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/reason="transmission_time_out_of_range"\} 2/);
  });
});

describe('a real PayPal delivery (saved, byte-exact)', () => {
  const d = signedDeliveries().find((x) => x.name === 'PAYMENT.CAPTURE.COMPLETED')!;
  let now = d.sentAt;
  let t: Awaited<ReturnType<typeof startTestProxy>>;
  let hook: string;

  beforeAll(async () => {
    const cert = new X509Certificate(d.certPem);
    const defaults = loadConfig({});
    const clock = () => now;
    t = await startTestProxy({
      overrides: {
        clock,
        verifier: new OfflineVerifier({
          webhookId: d.webhookId,
          certUrlAllowlist: defaults.paypalCertUrlAllowlist,
          subjectPattern: new RegExp(defaults.paypalCertSubjectPattern),
          anchors: [cert],
          certificates: {
            chain: async () => [cert],
            issuer: async () => {
              throw new Error('offline');
            },
          },
          clock,
        }),
      },
    });
    hook = `${t.url}/webhooks/paypal`;
  });
  afterAll(async () => {
    await t?.proxy.stop();
  });

  it('is accepted when redelivered with its original time and signature at the end of PayPal’s 3 days of retries', async () => {
    now = new Date(d.sentAt.getTime() + 3 * DAY_MS);
    expect(await post(hook, d.body, d.headers)).toEqual({ status: 200, body: { status: 'accepted' } });
    now = new Date(d.sentAt.getTime() + 30 * DAY_MS);
    expect((await post(hook, d.body, d.headers)).body).toEqual({ status: 'duplicate' });
  });

  it('rejects a CRC-preserving forgery of it under its genuine headers', async () => {
    const forged = withCrc(
      JSON.stringify({
        id: 'WH-FORGED0000000000-000000000000000',
        event_type: 'PAYMENT.CAPTURE.COMPLETED',
        resource: { id: '99X99999XX999999X', amount: { currency_code: 'USD', value: '4321.00' }, pad: FILLER },
      }),
      crc32(d.body),
    );
    const { 'content-length': _length, ...headers } = d.headers;
    const res = await post(hook, forged, headers);
    expect(res.status).toBe(400);
    const rows = await t.proxy.store.query(`SELECT 1 FROM inbox_events WHERE event_id = $1`, [
      'WH-FORGED0000000000-000000000000000',
    ]);
    expect(rows.rows).toEqual([]);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/reason="transmission_replayed"\} 1/);
  });

  it('rejects the genuine delivery replayed 40 days after it was sent (its certificate still valid)', async () => {
    now = new Date(d.sentAt.getTime() + 40 * DAY_MS);
    const res = await post(hook, d.body, d.headers);
    expect(res.status).toBe(400);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/reason="transmission_time_out_of_range"\} 1/);
  });
});
