// "Unusual hour" in the merchant's time zone (FRAUD_TIME_ZONE, an IANA name, validated, default UTC): hours by Intl,
// so daylight saving time moves with the merchant's clock; the profile `train` learns is in the same local hours.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { FEATURES, featureVector, type MerchantProfile, type PaymentSignals } from '../../src/fraud/features.ts';
import { checkModel } from '../../src/fraud/model.ts';
import { loadModel } from '../../src/fraud/scorer.ts';
import { isTimeZone, localHour } from '../../src/fraud/time-zone.ts';
import { train, type TrainingRow } from '../../src/fraud/train.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { buildFlows, fraudScorer } from '../../src/proxy.ts';
import { testEnv } from '../support/test-proxy.ts';

const HOUR = FEATURES.indexOf('unusual_hour');
const payment = (at: string, paypalId = `TZ-${at}`): PaymentSignals => ({
  paypalId,
  at,
  amountMinor: 4500,
  currency: 'EUR',
  decimals: 2,
  declined: false,
  source: 'paypal',
  payerId: `PAYER-${paypalId}`,
  payerCountry: 'DE',
  shipCountry: 'DE',
  sellerProtection: 'ELIGIBLE',
  customer: { paymentCount: 2, refundRatio: 0 },
});

describe('local hour', () => {
  it('follows daylight saving time (Berlin: CET +1 in winter, CEST +2 in summer; New York across the switch)', () => {
    expect(localHour('2026-01-15T01:30:00Z', 'Europe/Berlin')).toBe(2);
    expect(localHour('2026-07-01T00:30:00Z', 'Europe/Berlin')).toBe(2);
    // US daylight saving time starts 2026-03-08 at 02:00 EST (07:00 UTC)
    expect(localHour('2026-03-08T06:30:00Z', 'America/New_York')).toBe(1);
    expect(localHour('2026-03-08T07:30:00Z', 'America/New_York')).toBe(3);
    expect(localHour('2026-07-01T00:30:00Z', 'UTC')).toBe(0);
    expect(localHour('2026-07-01T00:30:00Z')).toBe(0);
  });

  it('a quarter-hour offset (Kathmandu +05:45) changes the hour within a UTC hour, cache or not', () => {
    expect(localHour('2026-01-01T00:14:59Z', 'Asia/Kathmandu')).toBe(5);
    expect(localHour('2026-01-01T00:15:00Z', 'Asia/Kathmandu')).toBe(6);
    expect(localHour('2026-01-01T00:14:00Z', 'Asia/Kathmandu')).toBe(5);
  });

  it('only IANA names are time zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('+02:00 ; DROP')).toBe(false);
  });
});

describe('FRAUD_TIME_ZONE', () => {
  it('defaults to UTC, takes an IANA name, refuses anything else at start', () => {
    expect(loadConfig(testEnv()).fraudTimeZone).toBe('UTC');
    expect(loadConfig(testEnv({ FRAUD_TIME_ZONE: 'Europe/Berlin' })).fraudTimeZone).toBe('Europe/Berlin');
    expect(() => loadConfig(testEnv({ FRAUD_TIME_ZONE: 'Berlin' }))).toThrow(ConfigError);
    expect(() => loadConfig(testEnv({ FRAUD_TIME_ZONE: 'Berlin' }))).toThrow(/FRAUD_TIME_ZONE/);
  });
});

describe('unusual hour in the merchant’s time zone', () => {
  // a shop in Berlin busy 09:00–20:00 local time, quiet at night
  const berlin: MerchantProfile = {
    hourShare: Array.from({ length: 24 }, (_, h) => (h >= 9 && h < 20 ? 0.08 : 0.12 / 13)),
    highValueMajor: 200,
    timeZone: 'Europe/Berlin',
  };
  const utc: MerchantProfile = { ...berlin, timeZone: undefined };

  it('the same local time reads the same in summer and winter; the UTC hour would not', () => {
    // 09:30 in Berlin: 08:30 UTC in winter, 07:30 UTC in summer
    const winter = featureVector(payment('2026-01-15T08:30:00Z'), {}, berlin)[HOUR]!;
    const summer = featureVector(payment('2026-07-15T07:30:00Z'), {}, berlin)[HOUR]!;
    expect(winter).toBe(0);
    expect(summer).toBe(0);
    expect(featureVector(payment('2026-07-15T07:30:00Z'), {}, utc)[HOUR]).toBeGreaterThan(1);
    // 03:00 in Berlin is unusual, whatever the season
    expect(featureVector(payment('2026-07-15T01:00:00Z'), {}, berlin)[HOUR]).toBeGreaterThan(1);
  });

  it('train learns the hour profile in local hours and records the zone; a model with a bogus zone is refused', () => {
    // 300 payments at 10:xx Berlin time over a year (08:xx or 09:xx UTC depending on the season)
    const rows: TrainingRow[] = Array.from({ length: 300 }, (_, k) => {
      const day = new Date(Date.UTC(2026, 0, 1) + k * 86_400_000);
      const utcHour = localHour(Date.UTC(2026, 0, 1, 9) + k * 86_400_000, 'Europe/Berlin') === 10 ? 9 : 8;
      day.setUTCHours(utcHour, 15);
      return {
        x: new Array<number>(FEATURES.length).fill(0),
        at: day.toISOString(),
        amountMajor: 40,
        firstPurchase: false,
      };
    });
    const m = train(rows, { source: 'test', timeZone: 'Europe/Berlin', now: new Date('2026-12-01T00:00:00Z') });
    expect(m.profile.timeZone).toBe('Europe/Berlin');
    const top = m.profile.hourShare.indexOf(Math.max(...m.profile.hourShare));
    expect(top).toBe(10);
    expect(m.profile.hourShare[10]).toBeGreaterThan(0.8);
    const inUtc = train(rows, { source: 'test', now: new Date('2026-12-01T00:00:00Z') });
    expect(inUtc.profile.timeZone).toBeUndefined();
    expect(inUtc.profile.hourShare[10]).toBeLessThan(0.01);
    expect(() => checkModel({ ...m, profile: { ...m.profile, timeZone: 'Nowhere/Land' } })).toThrow(/time zone/);
  });
});

describe('the proxy’s scorer uses FRAUD_TIME_ZONE', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(loadConfig(testEnv()));
  });
  afterAll(async () => {
    await store?.close();
  });

  it('a payment at 10:00 UTC is night for the shipped (UTC) profile, but 02:00, busy time, in Los Angeles', async () => {
    const model = loadModel();
    // the shipped model's shop is busy 14:00–04:00 UTC: 03:00 UTC busy, 10:00 UTC quiet
    expect(model.profile.hourShare[3]!).toBeGreaterThan(model.profile.hourShare[10]! * 3);
    const hourOf = async (env: Record<string, string>, id: string) => {
      const scorer = fraudScorer(loadConfig(testEnv(env)), store);
      await scorer.score({
        ...payment('2026-01-15T10:00:00Z', id),
        currency: 'USD',
        payerCountry: 'US',
        shipCountry: 'US',
      });
      const { rows } = await store.query<{ features: number[] }>(
        `SELECT features FROM fraud_scores WHERE paypal_id = $1`,
        [id],
      );
      return Number(rows[0]!.features[HOUR]);
    };
    // 10:00 UTC in January is 02:00 in Los Angeles (PST, −8): at the profile's hour 2, busy
    const la = await hourOf({ FRAUD_TIME_ZONE: 'America/Los_Angeles' }, 'TZ-LA');
    const utc = await hourOf({}, 'TZ-UTC');
    expect(utc).toBeGreaterThan(1);
    expect(la).toBe(0);
  });

  it('warns at start when the model’s hour profile is in another zone than FRAUD_TIME_ZONE', () => {
    const warnings = (zone?: string) => {
      const lines: string[] = [];
      const log = createLogger('warn', { write: (l: string) => lines.push(l) });
      buildFlows(
        loadConfig(testEnv(zone ? { FRAUD_TIME_ZONE: zone } : {})),
        { dataverse: {} as never, paypal: {} as never, store },
        { metrics: createMetrics(), log },
      );
      return lines.filter((l) => l.includes('hour profile'));
    };
    expect(warnings()).toEqual([]); // the shipped model is in UTC
    const [line] = warnings('Europe/Berlin');
    expect(JSON.parse(line!)).toMatchObject({ modelTimeZone: 'UTC', fraudTimeZone: 'Europe/Berlin' });
  });
});
