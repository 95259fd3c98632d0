// BILLING.SUBSCRIPTION.CREATED / ACTIVATED / UPDATED / SUSPENDED / CANCELLED / EXPIRED / PAYMENT.FAILED: the
// event only names the subscription; its facts are re-read from PayPal (GET /v1/billing/subscriptions/{id}
// and its plan) and the ppc_subscription row is upserted by its alternate key with PayPal's current state, so
// events in any order, and twice, converge to PayPal's state (mapping/subscriptions/subscription-plan.ts).
// A subscription id PayPal does not know is a forged notification (paypal-truth.ts), nothing written.
import type { BatchOp, DataversePort } from '../../adapters/dataverse/types.ts';
import type { PayPalPlan, PayPalSubscription } from '../../adapters/paypal/types.ts';
import { errors } from '../../errors.ts';
import { decimalToMinor, isoDateTime, odataString, scalarText } from '../../mapping/dataverse-values.ts';
import { money } from '../../mapping/money.ts';
import {
  customerSubscriptionSummary,
  planFacts,
  subscriptionFacts,
  subscriptionRow,
  type PlanFacts,
  type SubscriptionFacts,
} from '../../mapping/subscriptions/subscription-plan.ts';
import { dunningNotice, planHistory, type RowBefore } from '../../mapping/subscriptions/subscription-changes.ts';
import type { Handler, HandlerContext } from '../handlers.ts';
import type { KeyedLocks } from '../keyed-locks.ts';
import { readResource, reportForgery, type ForgeryReporting } from '../paypal-truth.ts';
import type { ReferenceDataSource } from '../reference-data.ts';

export interface SubscriptionReads {
  getSubscription(id: string): Promise<PayPalSubscription>;
  getPlan(id: string): Promise<PayPalPlan>;
}

export interface SyncDeps {
  dataverse: DataversePort;
  paypal: SubscriptionReads;
  reference: ReferenceDataSource;
  locks: KeyedLocks;
  forgeryCounter?: ForgeryReporting['counter'];
}

export const subscriptionLockKey = (id: string) => `subscription:${id}`;

export interface SyncedSubscription {
  rowId: string;
  facts: SubscriptionFacts;
  plan: PlanFacts;
  customer?: { table: 'contact' | 'account'; id: string };
}

type Ctx = Pick<HandlerContext, 'eventId' | 'eventType' | 'log'>;

/** Reads a subscription and its plan from PayPal; undefined when PayPal does not know the subscription. */
export async function readSubscription(
  paypal: SubscriptionReads,
  id: string,
): Promise<{ facts: SubscriptionFacts; plan: PlanFacts } | undefined> {
  const raw = await readResource(() => paypal.getSubscription(id));
  if (!raw) return undefined;
  const facts = subscriptionFacts(raw);
  const plan = planFacts(await paypal.getPlan(facts.planId));
  return { facts, plan };
}

/**
 * Upserts the row of subscription `id` from PayPal's state now (with customer and product links), under the
 * subscription's lock. Returns the row id and what PayPal said.
 */
export function subscriptionSyncer(deps: SyncDeps) {
  return async (ctx: Ctx, id: string, eventId: string): Promise<SyncedSubscription> =>
    deps.locks.run([subscriptionLockKey(id)], async () => {
      const read = await readSubscription(deps.paypal, id);
      if (!read)
        return reportForgery(
          { dataverse: deps.dataverse, ...(deps.forgeryCounter ? { counter: deps.forgeryCounter } : {}) },
          ctx,
          { kind: 'subscription', id },
          [],
        );
      const { facts, plan } = read;
      const ref = await deps.reference.get();
      const currencyId = ref.currencyId(plan.price.currency);
      if (!currencyId) throw errors.validation(`currency ${plan.price.currency} is not enabled in Dataverse`);
      const existing = await lookUpRow(deps.dataverse, facts, plan);
      const ops: BatchOp[] = [];
      let customerRef: { table: 'contact' | 'account'; ref: string } | undefined;
      if (existing.customer) {
        customerRef = { table: existing.customer.table, ref: `/${existing.customer.table}s(${existing.customer.id})` };
        if (facts.subscriber.payerId && !existing.customer.payerId)
          ops.push({
            method: 'PATCH',
            url: `${existing.customer.table}s(${existing.customer.id})`,
            body: { ppc_paypalpayerid: facts.subscriber.payerId },
            ifMatch: '*',
          });
      } else if (facts.subscriber.payerId) {
        // The same customer rule as order-to-cash: a payer without a record becomes a contact keyed by payer id.
        ops.push({
          method: 'PATCH',
          url: `contacts(ppc_paypalpayerid=${odataString(facts.subscriber.payerId)})`,
          body: {
            ...(facts.subscriber.givenName ? { firstname: facts.subscriber.givenName } : {}),
            lastname: facts.subscriber.surname ?? facts.subscriber.email ?? `PayPal payer ${facts.subscriber.payerId}`,
            ...(facts.subscriber.email ? { emailaddress1: facts.subscriber.email } : {}),
          },
          contentId: '1',
        });
        customerRef = { table: 'contact', ref: '$1' };
      }
      const body = subscriptionRow({
        facts,
        plan,
        ...(existing.row ? { existing: existing.row } : {}),
        eventId,
        ...(customerRef ? { customer: customerRef } : {}),
        ...(existing.productId ? { productId: existing.productId } : {}),
        currencyId,
      });
      // A dunning notice once per stage (the flow triggers on ppc_dunningnoticekey, written only when it changes)
      // and a plan/price change recorded, in the same write as the state they describe.
      const notice = dunningNotice(facts, plan, existing.row);
      if (notice)
        Object.assign(body, {
          ppc_dunningnotice: notice.notice,
          ppc_dunningnoticekey: notice.key,
          ppc_dunningnoticeon: notice.on,
        });
      const history = planHistory(facts, plan, existing.row);
      if (history) body.ppc_planhistory = history;
      ops.push({ method: 'PATCH', url: `ppc_subscriptions(ppc_paypalsubscriptionid=${odataString(id)})`, body });
      const results = await deps.dataverse.changeSet(ops);
      const rowId =
        existing.row?.id ??
        results.at(-1)?.entityId ??
        String(
          (
            await deps.dataverse.get<{ ppc_subscriptionid: string }>(
              `ppc_subscriptions(ppc_paypalsubscriptionid=${odataString(id)})`,
              ['ppc_subscriptionid'],
            )
          )?.ppc_subscriptionid,
        );
      const customerId =
        existing.customer ??
        (customerRef && facts.subscriber.payerId
          ? await createdContact(deps.dataverse, facts.subscriber.payerId)
          : undefined);
      if (customerId) await summarizeForCustomer(deps.dataverse, customerId);
      ctx.log.info(
        { subscriptionId: id, status: facts.status, dunning: body.ppc_dunningstate, notice: notice?.key, rowId },
        'subscription mirrored from PayPal',
      );
      return { rowId: guidOf(rowId), facts, plan, ...(customerId ? { customer: customerId } : {}) };
    });
}

async function createdContact(dv: DataversePort, payerId: string) {
  const c = await dv.get<{ contactid: string }>(`contacts(ppc_paypalpayerid=${odataString(payerId)})`, ['contactid']);
  return c ? { table: 'contact' as const, id: scalarText(c.contactid) } : undefined;
}

/** Writes the customer's subscriptions summary (account/contact ppc_subscriptionstatus, shown on their forms). */
async function summarizeForCustomer(dv: DataversePort, customer: { table: 'contact' | 'account'; id: string }) {
  const rows = await dv.query<Record<string, unknown>>(
    'ppc_subscriptions',
    `$select=ppc_paypalsubscriptionid,ppc_paypalstatus,ppc_dunningstate,ppc_amountdue,ppc_dunningsince&$expand=transactioncurrencyid($select=isocurrencycode)&$filter=_ppc_${customer.table}id_value eq ${customer.id}`,
    50,
  );
  const summary = customerSubscriptionSummary(
    rows.map((r) => {
      const currency = String(
        (r.transactioncurrencyid as { isocurrencycode?: string } | undefined)?.isocurrencycode ?? 'USD',
      );
      return {
        id: scalarText(r.ppc_paypalsubscriptionid),
        status: scalarText(r.ppc_paypalstatus ?? ''),
        dunning: Number(r.ppc_dunningstate),
        due: money(decimalToMinor(r.ppc_amountdue, currency), currency),
        ...(isoDateTime(r.ppc_dunningsince) ? { since: isoDateTime(r.ppc_dunningsince)! } : {}),
      };
    }),
  );
  await dv.update(`${customer.table}s(${customer.id})`, { ppc_subscriptionstatus: summary }, '*');
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const guidOf = (s: string) => GUID.exec(s)?.[0] ?? s;

interface ExistingForRow {
  row?: RowBefore & { id: string };
  customer?: { table: 'contact' | 'account'; id: string; payerId?: string };
  productId?: string;
}

/** The row, the customer (payer id, then e-mail on contacts) and the D365 product (productnumber = PayPal catalog product id), in one $batch. */
async function lookUpRow(dv: DataversePort, s: SubscriptionFacts, plan: PlanFacts): Promise<ExistingForRow> {
  const reads = [
    `ppc_subscriptions?$select=ppc_subscriptionid,ppc_dunningsince,ppc_dunningnoticekey,ppc_planid,ppc_amount,ppc_quantity,ppc_planhistory&$expand=transactioncurrencyid($select=isocurrencycode)&$filter=ppc_paypalsubscriptionid eq ${odataString(s.id)}&$top=1`,
    `products?$select=productid&$filter=productnumber eq ${odataString(plan.productId)}&$top=1`,
  ];
  const payer = s.subscriber;
  if (payer.payerId)
    reads.push(
      `accounts?$select=accountid,ppc_paypalpayerid&$filter=ppc_paypalpayerid eq ${odataString(payer.payerId)}&$top=1`,
    );
  const contactFilter = [
    payer.payerId ? `ppc_paypalpayerid eq ${odataString(payer.payerId)}` : undefined,
    payer.email ? `emailaddress1 eq ${odataString(payer.email)}` : undefined,
  ].filter(Boolean);
  if (contactFilter.length)
    reads.push(
      `contacts?$select=contactid,emailaddress1,ppc_paypalpayerid&$filter=${contactFilter.join(' or ')}&$top=10`,
    );
  const answers = await dv.readBatch(reads);
  const rows = (i: number) => (answers[i] as { value?: Record<string, unknown>[] } | null)?.value ?? [];
  const out: ExistingForRow = {};
  const row = rows(0)[0];
  if (row) {
    const currency = scalarText(
      (row.transactioncurrencyid as { isocurrencycode?: string } | undefined)?.isocurrencycode ?? plan.price.currency,
    );
    const text = (v: unknown) => (v === null || v === undefined || v === '' ? undefined : scalarText(v));
    out.row = {
      id: scalarText(row.ppc_subscriptionid),
      ...(isoDateTime(row.ppc_dunningsince) ? { dunningSince: isoDateTime(row.ppc_dunningsince)! } : {}),
      ...(text(row.ppc_dunningnoticekey) ? { noticeKey: text(row.ppc_dunningnoticekey)! } : {}),
      ...(text(row.ppc_planid) ? { planId: text(row.ppc_planid)! } : {}),
      ...(text(row.ppc_amount) !== undefined
        ? { amount: money(decimalToMinor(row.ppc_amount, currency), currency) }
        : {}),
      ...(typeof row.ppc_quantity === 'number' ? { quantity: row.ppc_quantity } : {}),
      ...(text(row.ppc_planhistory) ? { planHistory: text(row.ppc_planhistory)! } : {}),
    };
  }
  const product = rows(1)[0];
  if (product) out.productId = scalarText(product.productid);
  const account = payer.payerId ? rows(2)[0] : undefined;
  const contacts = contactFilter.length ? rows(payer.payerId ? 3 : 2) : [];
  const byPayer = contacts.find((c) => payer.payerId && c.ppc_paypalpayerid === payer.payerId);
  const byEmail = contacts.find(
    (c) => payer.email && scalarText(c.emailaddress1 ?? '').toLowerCase() === payer.email && !c.ppc_paypalpayerid,
  );
  if (account) out.customer = { table: 'account', id: scalarText(account.accountid), payerId: payer.payerId! };
  else if (byPayer ?? byEmail) {
    const c = (byPayer ?? byEmail)!;
    out.customer = {
      table: 'contact',
      id: scalarText(c.contactid),
      ...(c.ppc_paypalpayerid ? { payerId: scalarText(c.ppc_paypalpayerid) } : {}),
    };
  }
  return out;
}

/** The subscription id of a BILLING.SUBSCRIPTION.* event (resource.id, I-…). */
export function subscriptionIdOf(event: { resource?: unknown }): string {
  const id = (event.resource as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string' || !/^I-[A-Z0-9]{4,64}$/i.test(id))
    throw errors.validation('subscription event without a subscription id (resource.id I-…)');
  return id;
}

export function subscriptionChanged(deps: SyncDeps): Handler {
  const sync = subscriptionSyncer(deps);
  return async (ctx) => {
    const event = ctx.event as { id: string; resource?: unknown };
    await sync(ctx, subscriptionIdOf(event), event.id);
  };
}
