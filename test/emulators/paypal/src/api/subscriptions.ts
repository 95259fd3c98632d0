// Subscriptions v1 (billing_subscriptions_v1.json): plans and subscriptions.
// Advancing the emulator clock bills renewals (v1 sale + PAYMENT.SALE.COMPLETED with billing_agreement_id);
// failed payments (forced through the control API) are retried after 5 days as PayPal's default retry
// does, and the subscription is SUSPENDED once failed_payments_count reaches payment_failure_threshold.
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import { errors } from '../core/errors.ts';
import { fee, formatAmount, money, parseAmount } from '../core/money.ts';
import { feeRule } from './captures.ts';
import { recordLedger } from './ledger.ts';
import { getProduct } from './products.ts';

type Json = Record<string, unknown>;
const RETENTION_MS = 72 * 3_600_000; // Subscriptions: PayPal-Request-Id kept 72 h
const RETRY_MS = 5 * 86_400_000;
const UNIT_MS: Record<string, number> = { DAY: 86_400_000, WEEK: 7 * 86_400_000 };

interface Plan {
  id: string;
  productId: string;
  name: string;
  description?: string;
  status: 'CREATED' | 'ACTIVE' | 'INACTIVE';
  billingCycles: Json[];
  paymentPreferences: Json;
  taxes?: Json;
  currency: string;
  createTime: string;
  updateTime: string;
}

interface Subscription {
  id: string;
  planId: string;
  status: 'APPROVAL_PENDING' | 'APPROVED' | 'ACTIVE' | 'SUSPENDED' | 'CANCELLED' | 'EXPIRED';
  statusNote?: string;
  statusUpdateTime: string;
  subscriber: Json;
  customId?: string;
  shippingAmount?: Json;
  autoRenewal: boolean;
  startTime: string;
  createTime: string;
  updateTime: string;
  cyclesCompleted: number;
  nextBillingTime?: string;
  lastPayment?: { minor: number; time: string };
  failedCount: number;
  lastFailed?: { minor: number; time: string; retry?: string };
  outstandingMinor: number;
}

// The plan attributes PayPal's update-plan call may replace (billing_subscriptions_v1.json, plans.patch).
const PLAN_PATCHABLE = [
  '/description',
  '/name',
  '/payment_preferences/auto_bill_outstanding',
  '/payment_preferences/payment_failure_threshold',
  '/payment_preferences/setup_fee',
  '/payment_preferences/setup_fee_failure_action',
  '/taxes/percentage',
];

const plans = (emu: Emulator) => emu.state.plans as unknown as Record<string, Plan>;
const subs = (emu: Emulator) => emu.state.subscriptions as unknown as Record<string, Subscription>;

function regularCycle(plan: Plan): Json {
  return plan.billingCycles.find((c) => c.tenure_type === 'REGULAR') ?? plan.billingCycles[0]!;
}

function priceMinor(plan: Plan): number {
  const price = ((regularCycle(plan).pricing_scheme as Json)?.fixed_price as Json) ?? {};
  return parseAmount(price.value, plan.currency) ?? 0;
}

/** Adds one billing interval (DAY/WEEK exact; MONTH/YEAR by calendar, in UTC). */
function addInterval(iso: string, frequency: Json): string {
  const unit = String(frequency.interval_unit);
  const count = Number(frequency.interval_count ?? 1);
  const d = new Date(iso);
  if (UNIT_MS[unit]) return new Date(d.getTime() + UNIT_MS[unit]! * count).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (unit === 'MONTH') d.setUTCMonth(d.getUTCMonth() + count);
  else d.setUTCFullYear(d.getUTCFullYear() + count);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function renderPlan(emu: Emulator, p: Plan): Json {
  return {
    id: p.id,
    product_id: p.productId,
    name: p.name,
    status: p.status,
    ...(p.description ? { description: p.description } : {}),
    billing_cycles: p.billingCycles,
    payment_preferences: p.paymentPreferences,
    ...(p.taxes ? { taxes: p.taxes } : {}),
    quantity_supported: false,
    create_time: p.createTime,
    update_time: p.updateTime,
    links: [{ href: emu.link(`/v1/billing/plans/${p.id}`), rel: 'self', method: 'GET' }],
  };
}

function renderSubscription(emu: Emulator, s: Subscription): Json {
  const plan = plans(emu)[s.planId]!;
  const cycle = regularCycle(plan);
  const total = Number(cycle.total_cycles ?? 0);
  const self = emu.link(`/v1/billing/subscriptions/${s.id}`);
  const links: Json[] = [{ href: self, rel: 'self', method: 'GET' }];
  if (s.status === 'APPROVAL_PENDING')
    links.unshift({
      href: emu.link(`/webapps/billing/subscriptions?ba_token=BA-${s.id.slice(2)}`),
      rel: 'approve',
      method: 'GET',
    });
  if (s.status === 'ACTIVE')
    links.push(
      { href: `${self}/suspend`, rel: 'suspend', method: 'POST' },
      { href: `${self}/cancel`, rel: 'cancel', method: 'POST' },
    );
  if (s.status === 'SUSPENDED') links.push({ href: `${self}/activate`, rel: 'activate', method: 'POST' });
  return {
    status: s.status,
    ...(s.statusNote ? { status_change_note: s.statusNote } : {}),
    status_update_time: s.statusUpdateTime,
    id: s.id,
    plan_id: s.planId,
    start_time: s.startTime,
    quantity: '1',
    ...(s.shippingAmount ? { shipping_amount: s.shippingAmount } : {}),
    subscriber: s.subscriber,
    // billing_subscriptions_v1.json subscription.auto_renewal: renew at the end of the last cycle (default false).
    auto_renewal: s.autoRenewal,
    ...(s.status === 'APPROVAL_PENDING'
      ? {}
      : {
          billing_info: {
            outstanding_balance: money(s.outstandingMinor, plan.currency),
            cycle_executions: [
              {
                tenure_type: 'REGULAR',
                sequence: Number(cycle.sequence ?? 1),
                cycles_completed: s.cyclesCompleted,
                cycles_remaining: total ? Math.max(0, total - s.cyclesCompleted) : 0,
                // Pricing schemes are never revised in the emulator: version 1, as the plan's pricing_scheme.
                current_pricing_scheme_version: 1,
                total_cycles: total,
              },
            ],
            ...(s.lastPayment
              ? { last_payment: { amount: money(s.lastPayment.minor, plan.currency), time: s.lastPayment.time } }
              : {}),
            ...(s.nextBillingTime && (s.status === 'ACTIVE' || s.status === 'SUSPENDED')
              ? { next_billing_time: s.nextBillingTime }
              : {}),
            failed_payments_count: s.failedCount,
            ...(s.lastFailed
              ? {
                  last_failed_payment: {
                    amount: money(s.lastFailed.minor, plan.currency),
                    time: s.lastFailed.time,
                    reason_code: 'PAYMENT_DENIED',
                    ...(s.lastFailed.retry ? { next_payment_retry_time: s.lastFailed.retry } : {}),
                  },
                }
              : {}),
          },
        }),
    ...(s.customId ? { custom_id: s.customId } : {}),
    plan_overridden: false,
    create_time: s.createTime,
    update_time: s.updateTime,
    links,
  };
}

function emitSub(emu: Emulator, type: string, s: Subscription): void {
  emu.emit(
    `BILLING.SUBSCRIPTION.${type}`,
    'subscription',
    '2.0',
    `Subscription ${type.toLowerCase().replace('.', ' ')}`,
    renderSubscription(emu, s),
  );
}

function setStatus(emu: Emulator, s: Subscription, status: Subscription['status'], note?: string): void {
  s.status = status;
  s.statusUpdateTime = emu.nowIso();
  s.updateTime = s.statusUpdateTime;
  if (note) s.statusNote = note;
}

function transactionsOf(emu: Emulator, id: string): Json[] {
  return (emu.state.subscriptionTransactions[id] ??= []);
}

/** Renewals arrive as a v1 sale (payments_payment_v1) carrying billing_agreement_id = the subscription id. */
function emitSale(
  emu: Emulator,
  s: Subscription,
  id: string,
  amount: number,
  feeMinor: number,
  currency: string,
  at: string,
): void {
  emu.emit(
    'PAYMENT.SALE.COMPLETED',
    'sale',
    undefined,
    `Payment completed for ${formatAmount(amount, currency)} ${currency}`,
    {
      id,
      state: 'completed',
      amount: {
        total: formatAmount(amount, currency),
        currency,
        details: { subtotal: formatAmount(amount, currency) },
      },
      payment_mode: 'INSTANT_TRANSFER',
      protection_eligibility: 'ELIGIBLE',
      protection_eligibility_type: 'ITEM_NOT_RECEIVED_ELIGIBLE,UNAUTHORIZED_PAYMENT_ELIGIBLE',
      transaction_fee: { value: formatAmount(feeMinor, currency), currency },
      billing_agreement_id: s.id,
      ...(s.customId ? { custom: s.customId } : {}),
      create_time: at,
      update_time: at,
      links: [
        { href: emu.link(`/v1/payments/sale/${id}`), rel: 'self', method: 'GET' },
        { href: emu.link(`/v1/payments/sale/${id}/refund`), rel: 'refund', method: 'POST' },
      ],
    },
  );
}

/** One billing attempt: a completed sale or a failed payment. */
function bill(emu: Emulator, s: Subscription, at: string): void {
  const plan = plans(emu)[s.planId]!;
  const amount = priceMinor(plan) + s.outstandingMinor;
  const outcome = emu.state.nextRenewalOutcomes.shift() ?? 'COMPLETED';
  const payerName = (s.subscriber.name as Json | undefined) ?? { given_name: 'John', surname: 'Doe' };
  const payerEmail = String(s.subscriber.email_address ?? 'buyer@example.com');
  const id = emu.random.paypalId();
  if (outcome === 'COMPLETED') {
    const rule = feeRule(emu, plan.currency);
    const feeMinor = fee(amount, rule.basisPoints, rule.fixedMinor);
    transactionsOf(emu, s.id).push({
      status: 'COMPLETED',
      id,
      amount_with_breakdown: {
        gross_amount: money(amount, plan.currency),
        fee_amount: money(feeMinor, plan.currency),
        net_amount: money(amount - feeMinor, plan.currency),
      },
      payer_name: payerName,
      payer_email: payerEmail,
      time: at,
    });
    emu.state.sales[id] = {
      id,
      subscriptionId: s.id,
      currency: plan.currency,
      amountMinor: amount,
      feeMinor,
      refundedMinor: 0,
      createTime: at,
      updateTime: at,
      refundIds: [],
      ...(s.customId ? { customId: s.customId } : {}),
    };
    s.cyclesCompleted++;
    s.lastPayment = { minor: amount, time: at };
    s.outstandingMinor = 0;
    s.failedCount = 0;
    delete s.lastFailed;
    s.nextBillingTime = addInterval(s.nextBillingTime ?? at, regularCycle(plan).frequency as Json);
    recordLedger(emu, {
      transactionId: id,
      referenceId: s.id,
      referenceIdType: 'SUB',
      eventCode: 'T0002',
      initiationTime: at,
      updatedTime: at,
      currency: plan.currency,
      amountMinor: amount,
      feeMinor: -feeMinor,
      status: 'S',
      balanceAffecting: true,
      ...(s.customId ? { customId: s.customId } : {}),
      payer: {
        payerId: emu.random.accountId(),
        givenName: String(payerName.given_name ?? ''),
        surname: String(payerName.surname ?? ''),
        email: payerEmail,
        countryCode: 'US',
      },
    });
    emitSale(emu, s, id, amount, feeMinor, plan.currency, at);
    const total = Number(regularCycle(plan).total_cycles ?? 0);
    if (total && s.cyclesCompleted >= total) {
      setStatus(emu, s, 'EXPIRED');
      emitSub(emu, 'EXPIRED', s);
    }
    return;
  }
  s.failedCount++;
  const retry = new Date(Date.parse(at) + RETRY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  s.lastFailed = { minor: amount, time: at, retry };
  transactionsOf(emu, s.id).push({
    status: 'DECLINED',
    id,
    amount_with_breakdown: { gross_amount: money(amount, plan.currency) },
    payer_name: payerName,
    payer_email: payerEmail,
    time: at,
  });
  recordLedger(emu, {
    transactionId: id,
    referenceId: s.id,
    referenceIdType: 'SUB',
    eventCode: 'T0002',
    initiationTime: at,
    updatedTime: at,
    currency: plan.currency,
    amountMinor: amount,
    feeMinor: 0,
    status: 'D',
    balanceAffecting: false,
  });
  emitSub(emu, 'PAYMENT.FAILED', s);
  const threshold = Number((plan.paymentPreferences.payment_failure_threshold as number | undefined) ?? 0);
  if (threshold && s.failedCount >= threshold) {
    // The amount due stays outstanding; the merchant can capture it, then reactivate.
    s.outstandingMinor = priceMinor(plan);
    s.nextBillingTime = addInterval(s.nextBillingTime ?? at, regularCycle(plan).frequency as Json);
    delete s.lastFailed.retry;
    setStatus(emu, s, 'SUSPENDED', 'Payment failure threshold reached');
    emitSub(emu, 'SUSPENDED', s);
  } else {
    s.nextBillingTime = retry;
  }
}

function renewalJob(emu: Emulator): (now: Date) => void {
  return (now) => {
    for (const s of Object.values(subs(emu))) {
      let guard = 0;
      while (
        s.status === 'ACTIVE' &&
        s.nextBillingTime &&
        Date.parse(s.nextBillingTime) <= now.getTime() &&
        guard++ < 1000
      )
        bill(emu, s, s.nextBillingTime);
    }
  };
}

function need<T>(v: T | undefined, field: string, id: string): T {
  if (!v) throw errors.notFound(field, id);
  return v;
}

function reasonOf(body: unknown, required: boolean): string | undefined {
  const r = (body as Json | undefined)?.reason;
  if (r === undefined && !required) return undefined;
  // The specs' 400 schemas for suspend/cancel/activate only list INVALID_STRING_MAX_LENGTH as a detail,
  // so a missing reason is a plain INVALID_REQUEST.
  if (typeof r !== 'string' || !r.length) throw errors.invalidRequest();
  if (r.length > 128)
    throw errors.invalidField('/reason', r, 'body', 'INVALID_STRING_MAX_LENGTH', 'The value of a field is too long.');
  return r;
}

const statusInvalid = (action: string, should: string) =>
  errors.unprocessable(
    'SUBSCRIPTION_STATUS_INVALID',
    `Invalid subscription status for ${action} action; subscription status should be ${should}.`,
  );

export function subscriptionRoutes(emu: Emulator): Route[] {
  emu.clockJobs.push(renewalJob(emu));
  const sub = (id: string) => need(subs(emu)[id], 'subscription_id', id);
  return [
    {
      method: 'POST',
      pattern: '/v1/billing/plans',
      idempotencyMs: RETENTION_MS,
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        if (typeof b.product_id !== 'string') throw errors.missingField('/product_id');
        getProduct(emu, b.product_id);
        if (typeof b.name !== 'string') throw errors.missingField('/name');
        const cycles = Array.isArray(b.billing_cycles) ? (b.billing_cycles as Json[]) : [];
        if (!cycles.length) throw errors.missingField('/billing_cycles');
        if (!b.payment_preferences) throw errors.missingField('/payment_preferences');
        const regular = cycles.find((c) => c.tenure_type === 'REGULAR');
        const price = ((regular?.pricing_scheme as Json | undefined)?.fixed_price as Json | undefined) ?? undefined;
        const currency = typeof price?.currency_code === 'string' ? price.currency_code : undefined;
        if (!regular || !currency || parseAmount(price?.value, currency) === null)
          throw errors.missingField('/billing_cycles/pricing_scheme/fixed_price');
        const now = emu.nowIso();
        const p: Plan = {
          id: `P-${emu.random.chars(24)}`,
          productId: b.product_id,
          name: b.name,
          ...(typeof b.description === 'string' ? { description: b.description } : {}),
          status: b.status === 'CREATED' || b.status === 'INACTIVE' ? b.status : 'ACTIVE',
          billingCycles: cycles.map((c) => ({
            ...c,
            pricing_scheme: { version: 1, ...(c.pricing_scheme as Json), create_time: now, update_time: now },
          })),
          ...(b.taxes && typeof b.taxes === 'object' ? { taxes: b.taxes as Json } : {}),
          paymentPreferences: {
            auto_bill_outstanding: true,
            setup_fee_failure_action: 'CANCEL',
            payment_failure_threshold: 0,
            ...(b.payment_preferences as Json),
          },
          currency,
          createTime: now,
          updateTime: now,
        };
        plans(emu)[p.id] = p;
        emu.emit('BILLING.PLAN.CREATED', 'plan', '2.0', 'A billing plan was created', renderPlan(emu, p));
        return {
          status: 201,
          body: renderPlan(emu, p),
          minimal: {
            id: p.id,
            product_id: p.productId,
            name: p.name,
            status: p.status,
            create_time: p.createTime,
            links: renderPlan(emu, p).links,
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/billing/plans',
      handler: ({ query }) => {
        const productId = query.get('product_id');
        const list = Object.values(plans(emu)).filter((p) => !productId || p.productId === productId);
        const size = Math.min(20, Math.max(1, Number(query.get('page_size') ?? 10) || 10));
        const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
        return {
          status: 200,
          body: {
            plans: list.slice((page - 1) * size, page * size).map((p) => renderPlan(emu, p)),
            total_items: list.length,
            total_pages: Math.ceil(list.length / size),
            links: [{ href: emu.link(`/v1/billing/plans?page_size=${size}&page=${page}`), rel: 'self', method: 'GET' }],
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/billing/plans/:id',
      handler: ({ params }) => ({
        status: 200,
        body: renderPlan(emu, need(plans(emu)[params.id!], 'plan_id', params.id!)),
      }),
    },
    {
      // Update plan (billing_subscriptions_v1.json, PATCH /v1/billing/plans/{id}): a JSON Patch of `replace`
      // operations on the attributes PayPal lets change; answers 204 and sends BILLING.PLAN.UPDATED.
      method: 'PATCH',
      pattern: '/v1/billing/plans/:id',
      handler: ({ params, body }) => {
        const p = need(plans(emu)[params.id!], 'plan_id', params.id!);
        if (!Array.isArray(body) || !body.length)
          throw errors.invalidField('/', body, 'body', 'INVALID_JSON_POINTER_FORMAT');
        for (const [i, raw] of (body as Json[]).entries()) {
          const path = String(raw.path ?? '');
          if (raw.op !== 'replace' && raw.op !== 'add')
            throw errors.invalidField(`/${i}/op`, raw.op, 'body', 'INVALID_PATCH_OPERATION');
          if (!PLAN_PATCHABLE.includes(path))
            throw errors.invalidField(`/${i}/path`, path, 'body', 'INVALID_PARAMETER_VALUE');
          if (path === '/description') p.description = String(raw.value);
          else if (path === '/name') p.name = String(raw.value);
          else if (path === '/taxes/percentage')
            p.taxes = { inclusive: false, ...p.taxes, percentage: String(raw.value) };
          else p.paymentPreferences[path.slice('/payment_preferences/'.length)] = raw.value;
        }
        p.updateTime = emu.nowIso();
        emu.emit('BILLING.PLAN.UPDATED', 'plan', '2.0', 'A billing plan was updated', renderPlan(emu, p));
        return { status: 204 };
      },
    },
    ...(['activate', 'deactivate'] as const).map((action): Route => ({
      method: 'POST',
      pattern: `/v1/billing/plans/:id/${action}`,
      handler: ({ params }) => {
        const p = need(plans(emu)[params.id!], 'plan_id', params.id!);
        p.status = action === 'activate' ? 'ACTIVE' : 'INACTIVE';
        p.updateTime = emu.nowIso();
        emu.emit(
          action === 'activate' ? 'BILLING.PLAN.ACTIVATED' : 'BILLING.PLAN.DEACTIVATED',
          'plan',
          '2.0',
          `A billing plan was ${action}d`,
          renderPlan(emu, p),
        );
        return { status: 204 };
      },
    })),
    {
      method: 'POST',
      pattern: '/v1/billing/subscriptions',
      idempotencyMs: RETENTION_MS,
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        if (typeof b.plan_id !== 'string') throw errors.missingField('/plan_id');
        const plan = need(plans(emu)[b.plan_id], 'plan_id', b.plan_id);
        if (plan.status !== 'ACTIVE')
          throw errors.unprocessable('PLAN_STATUS_INVALID', 'Invalid plan status. The plan must be active.');
        const now = emu.nowIso();
        const s: Subscription = {
          id: `I-${emu.random.chars(12)}`,
          planId: plan.id,
          status: 'APPROVAL_PENDING',
          statusUpdateTime: now,
          subscriber: (b.subscriber as Json | undefined) ?? {},
          ...(typeof b.custom_id === 'string' ? { customId: b.custom_id } : {}),
          ...(b.shipping_amount && typeof b.shipping_amount === 'object'
            ? { shippingAmount: b.shipping_amount as Json }
            : {}),
          autoRenewal: b.auto_renewal === true,
          startTime: typeof b.start_time === 'string' ? b.start_time : now,
          createTime: now,
          updateTime: now,
          cyclesCompleted: 0,
          failedCount: 0,
          outstandingMinor: 0,
        };
        subs(emu)[s.id] = s;
        emitSub(emu, 'CREATED', s);
        const full = renderSubscription(emu, s);
        return {
          status: 201,
          body: full,
          minimal: {
            id: s.id,
            status: s.status,
            status_update_time: s.statusUpdateTime,
            create_time: s.createTime,
            links: full.links,
          },
          resource: { kind: 'subscription', id: s.id },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/billing/subscriptions/:id',
      handler: ({ params }) => ({ status: 200, body: renderSubscription(emu, sub(params.id!)) }),
    },
    {
      method: 'POST',
      pattern: '/v1/billing/subscriptions/:id/suspend',
      handler: ({ params, body }) => {
        const s = sub(params.id!);
        const reason = reasonOf(body, true);
        if (s.status !== 'ACTIVE') throw statusInvalid('suspend', 'active');
        setStatus(emu, s, 'SUSPENDED', reason);
        emitSub(emu, 'SUSPENDED', s);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/billing/subscriptions/:id/cancel',
      handler: ({ params, body }) => {
        const s = sub(params.id!);
        const reason = reasonOf(body, true);
        if (s.status !== 'ACTIVE' && s.status !== 'SUSPENDED') throw statusInvalid('cancel', 'active or suspended');
        setStatus(emu, s, 'CANCELLED', reason);
        emitSub(emu, 'CANCELLED', s);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/billing/subscriptions/:id/activate',
      handler: ({ params, body }) => {
        const s = sub(params.id!);
        const reason = reasonOf(body, false);
        if (s.status !== 'SUSPENDED') throw statusInvalid('activate', 'suspended');
        if (s.outstandingMinor > 0)
          throw errors.unprocessable(
            'SUBSCRIPTION_CANNOT_BE_ACTIVATED',
            'Subscription cannot be activated after payment failure threshold has reached.',
          );
        setStatus(emu, s, 'ACTIVE', reason);
        s.failedCount = 0;
        emitSub(emu, 'ACTIVATED', s);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/billing/subscriptions/:id/capture',
      idempotencyMs: RETENTION_MS,
      handler: ({ params, body }) => {
        const s = sub(params.id!);
        const plan = plans(emu)[s.planId]!;
        const b = (body ?? {}) as Json;
        if (typeof b.note !== 'string') throw errors.missingField('/note');
        const amount = (b.amount as Json | undefined) ?? {};
        const minor = parseAmount(amount.value, plan.currency);
        if (minor === null || minor <= 0 || minor > s.outstandingMinor)
          throw errors.unprocessable(
            'ZERO_OUTSTANDING_BALANCE',
            'Current outstanding balance should be greater than zero.',
          );
        const at = emu.nowIso();
        const rule = feeRule(emu, plan.currency);
        const feeMinor = fee(minor, rule.basisPoints, rule.fixedMinor);
        const id = emu.random.paypalId();
        const txn = {
          status: 'COMPLETED',
          id,
          amount_with_breakdown: {
            gross_amount: money(minor, plan.currency),
            fee_amount: money(feeMinor, plan.currency),
            net_amount: money(minor - feeMinor, plan.currency),
          },
          time: at,
        };
        transactionsOf(emu, s.id).push(txn);
        // The captured balance is a payment on the subscription like a renewal: a v1 sale and its
        // PAYMENT.SALE.COMPLETED with billing_agreement_id (refundable through /v1/payments/sale/{id}/refund).
        emu.state.sales[id] = {
          id,
          subscriptionId: s.id,
          currency: plan.currency,
          amountMinor: minor,
          feeMinor,
          refundedMinor: 0,
          createTime: at,
          updateTime: at,
          refundIds: [],
          ...(s.customId ? { customId: s.customId } : {}),
        };
        s.outstandingMinor -= minor;
        s.lastPayment = { minor, time: at };
        s.updateTime = at;
        recordLedger(emu, {
          transactionId: id,
          referenceId: s.id,
          referenceIdType: 'SUB',
          eventCode: 'T0002',
          initiationTime: at,
          updatedTime: at,
          currency: plan.currency,
          amountMinor: minor,
          feeMinor: -feeMinor,
          status: 'S',
          balanceAffecting: true,
        });
        emitSale(emu, s, id, minor, feeMinor, plan.currency, at);
        return { status: 202 };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/billing/subscriptions/:id/revise',
      handler: ({ params, body }) => {
        const s = sub(params.id!);
        const planId = (body as Json | undefined)?.plan_id;
        if (typeof planId !== 'string') throw errors.missingField('/plan_id');
        need(plans(emu)[planId], 'plan_id', planId);
        if (s.status !== 'ACTIVE' && s.status !== 'SUSPENDED')
          throw statusInvalid('patch', 'either active or suspended');
        s.planId = planId;
        s.updateTime = emu.nowIso();
        emitSub(emu, 'UPDATED', s);
        return {
          status: 200,
          body: {
            plan_id: planId,
            plan_overridden: false,
            links: [{ href: emu.link(`/v1/billing/subscriptions/${s.id}`), rel: 'self', method: 'GET' }],
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/billing/subscriptions/:id/transactions',
      handler: ({ params, query }) => {
        const s = sub(params.id!);
        const start = query.get('start_time');
        const end = query.get('end_time');
        if (!start) throw errors.missingField('start_time', 'query');
        if (!end) throw errors.missingField('end_time', 'query');
        const from = Date.parse(start);
        const to = Date.parse(end);
        if (Number.isNaN(from) || Number.isNaN(to))
          throw errors.invalidField('start_time', start, 'query', 'INVALID_PARAMETER_SYNTAX');
        const list = transactionsOf(emu, s.id).filter(
          (t) => Date.parse(String(t.time)) >= from && Date.parse(String(t.time)) <= to,
        );
        const self = emu.link(`/v1/billing/subscriptions/${s.id}/transactions?start_time=${start}&end_time=${end}`);
        return {
          status: 200,
          body: {
            transactions: list,
            total_items: list.length,
            total_pages: 1,
            links: [{ href: self, rel: 'self', method: 'GET' }],
          },
        };
      },
    },
  ];
}

const bad = (message: string, status = 400) => ({ status, body: { error: message } });

export function subscriptionControlRoutes(emu: Emulator): Route[] {
  emu.renderers.set('subscription', (id) => renderSubscription(emu, subs(emu)[id]!));
  return [
    {
      method: 'POST',
      pattern: '/_emulator/subscriptions/:id/approve',
      handler: ({ params, body }) => {
        const s = subs(emu)[params.id!];
        if (!s) return bad('unknown subscription', 404);
        if (s.status !== 'APPROVAL_PENDING') return bad(`subscription is ${s.status}`, 409);
        const b = (body ?? {}) as Json;
        s.subscriber = {
          ...s.subscriber,
          ...(b.email ? { email_address: b.email } : {}),
          ...(b.given_name ? { name: { given_name: b.given_name, surname: b.surname ?? '' } } : {}),
          payer_id: emu.random.accountId(),
        };
        setStatus(emu, s, 'ACTIVE');
        emitSub(emu, 'ACTIVATED', s);
        // The first cycle is billed at activation (no trial cycles in the emulator's billing).
        s.nextBillingTime = emu.nowIso();
        bill(emu, s, s.nextBillingTime);
        return { status: 200, body: renderSubscription(emu, s) };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/subscriptions/next-payment-outcomes',
      handler: ({ body }) => {
        const list = (body as Json)?.outcomes;
        if (!Array.isArray(list) || list.some((o) => o !== 'COMPLETED' && o !== 'DECLINED'))
          return bad('outcomes: array of COMPLETED | DECLINED');
        emu.state.nextRenewalOutcomes.push(...(list as Array<'COMPLETED' | 'DECLINED'>));
        return { status: 200, body: { queued: emu.state.nextRenewalOutcomes } };
      },
    },
  ];
}
