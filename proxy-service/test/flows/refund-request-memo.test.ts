// A credit memo without a currency is a broken record (Dataverse gives every record with money columns one: the
// creator's or the organization's base currency). Its refund request is refused as not retryable, naming the
// cause, and PayPal is never called; before, such a memo was silently read as USD.
import { describe, expect, it, jest } from '@jest/globals';
import pino from 'pino';
import type { DataversePort } from '../../src/adapters/dataverse/types.ts';
import { AppError } from '../../src/errors.ts';
import { refundRequested, type RefundRequestDeps } from '../../src/flows/refund-request.ts';
import type { HandlerContext } from '../../src/flows/handlers.ts';

const MEMO_ID = '6f1c2a34-0000-4000-8000-000000000001';

function memoRow(currency: string | undefined): Record<string, unknown> {
  return {
    ppc_creditmemoid: MEMO_ID,
    statuscode: 0,
    ppc_amount: 12.5,
    ...(currency ? { transactioncurrencyid: { isocurrencycode: currency } } : {}),
  };
}

async function run(currency: string | undefined) {
  const refundCapture = jest.fn<RefundRequestDeps['paypal']['refundCapture']>();
  const dataverse = {
    query: async () => [memoRow(currency)],
  } as unknown as DataversePort;
  const deps = {
    dataverse,
    reference: {} as RefundRequestDeps['reference'],
    captureLock: async (_key: string, fn: () => Promise<unknown>) => fn(),
    paypal: { refundCapture, getRefund: jest.fn(), refundSale: jest.fn() },
  } as unknown as RefundRequestDeps;
  const ctx = {
    inboxId: '1',
    eventId: 'e1',
    eventType: 'Update:ppc_creditmemo',
    action: 'refund.requested',
    attempt: 1,
    event: { PrimaryEntityId: MEMO_ID, PostEntityImages: [] },
    store: {},
    log: pino({ level: 'silent' }),
  } as unknown as HandlerContext;
  const outcome = await refundRequested(deps)(ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { outcome, refundCapture };
}

describe('refund request: the credit memo currency', () => {
  it('a memo without a currency is refused as not retryable, naming the cause; PayPal is not called', async () => {
    const { outcome, refundCapture } = await run(undefined);
    expect(outcome).toBeInstanceOf(AppError);
    expect((outcome as AppError).retryable).toBe(false);
    expect((outcome as AppError).message).toMatch(/has no currency/);
    expect(refundCapture).not.toHaveBeenCalled();
  });

  it('a memo with a currency is read (here: not in a refundable state, so nothing to do)', async () => {
    const { outcome, refundCapture } = await run('EUR');
    expect(outcome).toBeUndefined();
    expect(refundCapture).not.toHaveBeenCalled();
  });
});
