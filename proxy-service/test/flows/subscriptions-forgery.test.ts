// The attacker's versions of the subscription money paths: a PAYMENT.SALE.REVERSED whose amount PayPal does not
// confirm, or whose id PayPal does not know, and a renewal that names another subscription than PayPal's sale does.
// Each is a suspected forgery: one Payment Alert, nothing booked, the job rejected (dead letter, not retried).
import { describe, expect, it } from '@jest/globals';
import type { BatchOp, DataversePort } from '../../src/adapters/dataverse/types.ts';
import { AppError, errors } from '../../src/errors.ts';
import type { HandlerContext } from '../../src/flows/handlers.ts';
import { KeyedLocks, paymentLock } from '../../src/flows/keyed-locks.ts';
import type { ReferenceDataSource } from '../../src/flows/reference-data.ts';
import { subscriptionRenewal } from '../../src/flows/subscriptions/renewal.ts';
import { saleReversed } from '../../src/flows/subscriptions/sale-reversal.ts';
import { createLogger } from '../../src/logger.ts';

function fakeDataverse() {
  const sets: BatchOp[][] = [];
  const port = {
    changeSet: async (ops: BatchOp[]) => {
      sets.push(ops);
      return ops.map(() => ({ status: 204 }));
    },
    get: async () => null,
    query: async () => [],
    readBatch: async (paths: string[]) => paths.map(() => ({ value: [] })),
    update: async () => undefined,
    stats: () => ({ requests: 0, operations: 0, throttled: {} }),
  } as unknown as DataversePort;
  return { port, sets };
}
const reference = {
  get: async () => {
    throw new Error('reference data must not be read for a forged event');
  },
} as unknown as ReferenceDataSource;
const ctx = (event: unknown, eventType: string): HandlerContext => ({
  inboxId: '1',
  eventId: (event as { id: string }).id,
  eventType,
  action: 'sale.reversed',
  attempt: 1,
  event,
  store: undefined as never,
  log: createLogger('silent'),
});
const reversal = (total: string) => ({
  id: 'WH-R1',
  event_type: 'PAYMENT.SALE.REVERSED',
  resource: { id: 'REV1', state: 'completed', amount: { total, currency: 'USD' }, update_time: '2026-03-01T00:00:00Z' },
});
const forged = async (run: Promise<void>) => {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('webhook_forgery_suspected');
  expect((err as AppError).failure).toBe('rejected');
};
const onlyAlert = (sets: BatchOp[][]) => {
  expect(sets).toHaveLength(1);
  expect(sets[0]!.map((o) => o.url.split('(')[0])).toEqual(['ppc_fraudalerts']);
};

describe('PAYMENT.SALE.REVERSED, the attacker’s version', () => {
  const locks = new KeyedLocks();
  const flow = (answer: () => Promise<unknown>) => {
    const dv = fakeDataverse();
    const handler = saleReversed({
      dataverse: dv.port,
      reference,
      captureLock: paymentLock(locks),
      paypal: { getSaleRefund: answer as never },
    });
    return { dv, handler };
  };
  it('an amount PayPal does not confirm: alert, nothing booked', async () => {
    const { dv, handler } = flow(async () => ({
      id: 'REV1',
      state: 'completed',
      sale_id: 'S1',
      amount: { total: '0.49', currency: 'USD' },
    }));
    await forged(handler(ctx(reversal('-100.00'), 'PAYMENT.SALE.REVERSED')));
    onlyAlert(dv.sets);
  });
  it('an id PayPal does not know (404): alert, nothing booked', async () => {
    const { dv, handler } = flow(async () => {
      throw errors.notFound('refund REV1');
    });
    await forged(handler(ctx(reversal('-0.49'), 'PAYMENT.SALE.REVERSED')));
    onlyAlert(dv.sets);
  });
});

describe('a renewal naming another subscription than PayPal’s sale', () => {
  it('is refused before anything is read from Dataverse or written but the alert', async () => {
    const dv = fakeDataverse();
    const sale = {
      id: 'SALE1',
      state: 'completed',
      amount: { total: '9.99', currency: 'USD' },
      billing_agreement_id: 'I-REALOWNER1',
      create_time: '2026-03-01T00:00:00Z',
      update_time: '2026-03-01T00:00:00Z',
    };
    const paypal = {
      getSale: async () => sale,
      getCapture: async () => {
        throw new Error('not a capture');
      },
      getSubscription: async () => {
        throw new Error('must not be read');
      },
      getPlan: async () => {
        throw new Error('must not be read');
      },
    };
    const handler = subscriptionRenewal({
      dataverse: dv.port,
      reference,
      locks: new KeyedLocks(),
      paypal: paypal as never,
    });
    const event = {
      id: 'WH-S1',
      event_type: 'PAYMENT.SALE.COMPLETED',
      resource: { ...sale, billing_agreement_id: 'I-VICTIM0001' },
    };
    await forged(handler(ctx(event, 'PAYMENT.SALE.COMPLETED')));
    onlyAlert(dv.sets);
  });
});
