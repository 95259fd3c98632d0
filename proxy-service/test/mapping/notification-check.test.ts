// The body of a webhook against PayPal's own answer for the resource: agreeing bodies are booked as PayPal
// answers, each disagreeing field and an unknown id (404) are a suspected forgery with nothing booked.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { ChangeSetResult } from '../../src/adapters/dataverse/types.ts';
import type { BatchOp } from '../../src/adapters/dataverse/types.ts';
import type { PayPalCapture, PayPalDispute, PayPalRefund } from '../../src/adapters/paypal/types.ts';
import { AppError } from '../../src/errors.ts';
import { verifiedDispute, verifiedPayment, verifiedRefund, type TruthDeps } from '../../src/flows/paypal-truth.ts';
import { createLogger } from '../../src/logger.ts';
import { AlertType } from '../../src/mapping/dataverse-values.ts';
import { disputeFacts } from '../../src/mapping/dispute-plan.ts';
import { paymentStatusReachable } from '../../src/mapping/notification-check.ts';
import { captureFacts, saleFacts } from '../../src/mapping/payment-facts.ts';
import { refundFacts } from '../../src/mapping/refund-plan.ts';
import { fixturePath } from '../support/paths.ts';

const saved = (name: string) =>
  JSON.parse(readFileSync(fixturePath('paypal-webhooks', `${name}.json`), 'utf8')) as { resource: never };
/** PayPal's saved PAYMENT.CAPTURE.COMPLETED resource: what GET /v2/payments/captures/{id} answers. */
const CAPTURE: PayPalCapture = saved('PAYMENT.CAPTURE.COMPLETED').resource;
const REFUND: PayPalRefund = saved('PAYMENT.CAPTURE.REFUNDED').resource;
const DISPUTE: PayPalDispute = saved('CUSTOMER.DISPUTE.CREATED').resource;

class NotFound extends AppError {
  constructor() {
    super({ code: 'paypal_RESOURCE_NOT_FOUND', message: 'not found', failure: 'rejected', httpStatus: 404 });
  }
}

function harness(answer: { capture?: unknown; refund?: unknown; dispute?: unknown }) {
  const alerts: BatchOp[] = [];
  const counted: string[] = [];
  const reads: string[] = [];
  const found = async <T>(kind: string, id: string, value: unknown) => {
    reads.push(`${kind} ${id}`);
    if (value === undefined) throw new NotFound();
    return value as T;
  };
  const deps: TruthDeps = {
    paypal: {
      getCapture: (id) => found('capture', id, answer.capture),
      getSale: (id) => found('sale', id, undefined),
      getRefund: (id) => found('refund', id, answer.refund),
      getDispute: (id) => found('dispute', id, answer.dispute),
    },
    dataverse: {
      changeSet: async (ops: BatchOp[]) => {
        alerts.push(...ops);
        return [] as ChangeSetResult[];
      },
    } as unknown as TruthDeps['dataverse'],
    counter: { inc: ({ event_type }) => counted.push(event_type) },
  };
  const ctx = (eventType: string) => ({ eventId: 'WH-TEST-1', eventType, log: createLogger('silent') });
  return { deps, ctx, alerts, counted, reads };
}

async function refused(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('payment (capture) body vs PayPal', () => {
  const body = captureFacts(CAPTURE);

  it("books PayPal's answer when the body agrees, and raises nothing", async () => {
    const h = harness({ capture: { ...CAPTURE, seller_receivable_breakdown: undefined } });
    const booked = await verifiedPayment(h.deps, h.ctx('PAYMENT.CAPTURE.COMPLETED'), body);
    // PayPal's answer, not the body: this answer has no fee breakdown.
    expect(booked.fee.minor).toBe(0);
    expect(booked.gross).toEqual(body.gross);
    expect(h.reads).toEqual([`capture ${body.paypalId}`]);
    expect(h.alerts).toEqual([]);
    expect(h.counted).toEqual([]);
  });

  it('a late event for a capture refunded since is not a disagreement: booked with the status it reports', async () => {
    const h = harness({ capture: { ...CAPTURE, status: 'REFUNDED', update_time: '2022-09-01T00:00:00Z' } });
    const booked = await verifiedPayment(h.deps, h.ctx('PAYMENT.CAPTURE.COMPLETED'), body);
    expect(booked.status).toBe('COMPLETED');
    expect(booked.updateTime).toBe(body.updateTime);
    expect(h.alerts).toEqual([]);
  });

  const cases: [string, Partial<Record<keyof PayPalCapture, unknown>>, string][] = [
    ['id', { id: 'OTHERCAPTURE0001' }, 'id'],
    [
      'amount',
      { amount: { currency_code: 'USD', value: '4321.00' }, seller_receivable_breakdown: undefined },
      'amount',
    ],
    [
      'currency',
      { amount: { currency_code: 'EUR', value: '30.00' }, seller_receivable_breakdown: undefined },
      'currency',
    ],
    ['status', { status: 'PENDING' }, 'status'],
    ['linked order', { supplementary_data: { related_ids: { order_id: 'OTHERORDER' } }, links: [] }, 'link'],
    ['invoice', { invoice_id: 'INV-OTHER' }, 'reference'],
  ];
  it.each(cases)(
    'a body that disagrees on %s is a suspected forgery: alert, counter, nothing returned',
    async (_n, change, field) => {
      const h = harness({ capture: { ...CAPTURE, ...change } });
      const err = await refused(verifiedPayment(h.deps, h.ctx('PAYMENT.CAPTURE.COMPLETED'), body));
      expect(err.code).toBe('webhook_forgery_suspected');
      expect(err.retryable).toBe(false);
      expect(err.message).toContain(field);
      expect(h.counted).toEqual(['PAYMENT.CAPTURE.COMPLETED']);
      expect(h.alerts).toEqual([
        expect.objectContaining({
          method: 'PATCH',
          url: "ppc_fraudalerts(ppc_alertkey='forgery:WH-TEST-1')",
          body: expect.objectContaining({
            ppc_alerttype: AlertType.ForgedNotification,
            ppc_reasons: JSON.stringify([`body_disagrees:${field}`]),
          }),
        }),
      ]);
    },
  );

  it('a capture PayPal does not know (404) is a suspected forgery', async () => {
    const h = harness({});
    const err = await refused(verifiedPayment(h.deps, h.ctx('PAYMENT.CAPTURE.COMPLETED'), body));
    expect(err.code).toBe('webhook_forgery_suspected');
    expect(h.counted).toEqual(['PAYMENT.CAPTURE.COMPLETED']);
    expect(h.alerts[0]!.body).toMatchObject({ ppc_reasons: JSON.stringify(['capture_unknown_to_paypal']) });
  });

  it('other PayPal failures are not forgeries: they pass up for the retry table', async () => {
    const h = harness({});
    h.deps.paypal.getCapture = () =>
      Promise.reject(
        new AppError({ code: 'paypal_unavailable', message: '503', failure: 'unavailable', httpStatus: 503 }),
      );
    const err = await refused(verifiedPayment(h.deps, h.ctx('PAYMENT.CAPTURE.COMPLETED'), body));
    expect(err.code).toBe('paypal_unavailable');
    expect(h.alerts).toEqual([]);
  });
});

describe('refund, reversal and dispute bodies vs PayPal', () => {
  it("a refund is booked as PayPal's refund; a different amount or capture is a forgery", async () => {
    const body = refundFacts(REFUND);
    expect(
      (await verifiedRefund(harness({ refund: REFUND }).deps, harness({}).ctx('PAYMENT.CAPTURE.REFUNDED'), body))
        .refundId,
    ).toBe(body.refundId);
    for (const [change, field] of [
      [{ amount: { currency_code: 'USD', value: '999.00' }, seller_payable_breakdown: undefined }, 'amount'],
      [{ links: [{ rel: 'up', href: 'https://api.paypal.com/v2/payments/captures/ANOTHER' }] }, 'link'],
    ] as const) {
      const h = harness({ refund: { ...REFUND, ...change } });
      expect((await refused(verifiedRefund(h.deps, h.ctx('PAYMENT.CAPTURE.REFUNDED'), body))).message).toContain(field);
    }
    const unknown = harness({});
    await refused(verifiedRefund(unknown.deps, unknown.ctx('PAYMENT.CAPTURE.REFUNDED'), body));
    expect(unknown.alerts[0]!.body).toMatchObject({ ppc_reasons: JSON.stringify(['refund_unknown_to_paypal']) });
  });

  it('a reversal needs its capture reversed or refunded at PayPal', async () => {
    const reversal = refundFacts(REFUND, 'reversal');
    const parent = { ...CAPTURE, id: reversal.parentId };
    const completed = harness({ capture: parent });
    const err = await refused(verifiedRefund(completed.deps, completed.ctx('PAYMENT.CAPTURE.REVERSED'), reversal));
    expect(err.message).toContain('status');
    expect(completed.reads).toEqual([`capture ${reversal.parentId}`]);
    const reversed = harness({ capture: { ...parent, status: 'REFUNDED' } });
    expect(await verifiedRefund(reversed.deps, reversed.ctx('PAYMENT.CAPTURE.REVERSED'), reversal)).toEqual(reversal);
  });

  it("a dispute is recorded as PayPal's dispute; a body claiming it resolved when PayPal has it open is a forgery", async () => {
    const body = disputeFacts(DISPUTE);
    const h = harness({ dispute: { ...DISPUTE, status: 'UNDER_REVIEW' } });
    expect((await verifiedDispute(h.deps, h.ctx('CUSTOMER.DISPUTE.CREATED'), body)).status).toBe('UNDER_REVIEW');
    const resolved = harness({ dispute: DISPUTE });
    const err = await refused(
      verifiedDispute(resolved.deps, resolved.ctx('CUSTOMER.DISPUTE.RESOLVED'), { ...body, status: 'RESOLVED' }),
    );
    expect(err.message).toContain('status');
  });
});

describe('v1 sale body vs PayPal', () => {
  it("keeps the body's invoice reference where PayPal's sale answer has none (the v1 sale schema lacks it)", async () => {
    const body = saleFacts({
      id: 'SALE1',
      state: 'completed',
      amount: { total: '20.00', currency: 'USD' },
      invoice_number: 'INV-9',
    });
    const h = harness({});
    h.deps.paypal.getSale = async () => ({
      id: 'SALE1',
      state: 'completed',
      amount: { total: '20.00', currency: 'USD' },
      parent_payment: 'PAYID-1',
      create_time: '2026-01-01T00:00:00Z',
    });
    expect((await verifiedPayment(h.deps, h.ctx('PAYMENT.SALE.COMPLETED'), body)).invoiceRef).toBe('INV-9');
    h.deps.paypal.getSale = async () => ({
      id: 'SALE1',
      state: 'completed',
      amount: { total: '2000.00', currency: 'USD' },
      parent_payment: 'PAYID-1',
      create_time: '2026-01-01T00:00:00Z',
    });
    expect((await refused(verifiedPayment(h.deps, h.ctx('PAYMENT.SALE.COMPLETED'), body))).message).toContain('amount');
  });
});

describe('capture status lifecycle', () => {
  it('only statuses PayPal can move on to from the reported one', () => {
    expect(paymentStatusReachable('PENDING', 'REFUNDED')).toBe(true);
    expect(paymentStatusReachable('COMPLETED', 'COMPLETED')).toBe(true);
    expect(paymentStatusReachable('COMPLETED', 'PENDING')).toBe(false);
    expect(paymentStatusReachable('DECLINED', 'COMPLETED')).toBe(false);
    expect(paymentStatusReachable('REFUNDED', 'PARTIALLY_REFUNDED')).toBe(false);
  });
});
