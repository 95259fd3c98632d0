// CUSTOMER.DISPUTE.CREATED|UPDATED|RESOLVED → ppc_dispute and the hold on its transaction (one change set).
import type { DataversePort } from '../adapters/dataverse/types.ts';
import { odataString, scalarText } from '../mapping/dataverse-values.ts';
import { disputeFacts, planDispute } from '../mapping/dispute-plan.ts';
import type { Handler } from './handlers.ts';
import type { ReferenceDataSource } from './reference-data.ts';
import { verifiedDispute, type TruthDeps } from './paypal-truth.ts';
import { documentState } from './refund-lookups.ts';
import type { DisputeLedger } from '../fraud/disputes.ts';

export function disputeChanged(deps: {
  dataverse: DataversePort;
  reference: ReferenceDataSource;
  paypal: TruthDeps<'getDispute'>['paypal'];
  forgeryCounter?: TruthDeps['counter'];
  /** fraud scoring's dispute ratio (fraud/disputes.ts): each verified dispute counted once in the proxy's store */
  disputes?: DisputeLedger;
}): Handler {
  return async (ctx) => {
    const event = ctx.event as { id: string; event_type: string; resource?: unknown };
    // The body is a notification: PayPal's answer for the dispute is what is recorded.
    const dispute = await verifiedDispute(
      { dataverse: deps.dataverse, paypal: deps.paypal, counter: deps.forgeryCounter },
      ctx,
      disputeFacts(event.resource ?? {}),
    );
    if (deps.disputes && dispute.captureId)
      await deps.disputes.record(ctx.store, {
        disputeId: dispute.disputeId,
        paypalId: dispute.captureId,
        openedAt: dispute.createTime ?? dispute.updateTime,
        ...(dispute.stage ? { stage: dispute.stage } : {}),
      });
    const dv = deps.dataverse;
    const [ref, existing, txns] = await Promise.all([
      deps.reference.get(),
      dv.get<{ statecode: number }>(`ppc_disputes(ppc_paypaldisputeid=${odataString(dispute.disputeId)})`, [
        'ppc_disputeid',
        'statecode',
      ]),
      dispute.captureId
        ? dv.query<Record<string, unknown>>(
            'ppc_paypaltransactions',
            `$select=ppc_paypaltransactionid,_ppc_invoiceid_value,_ppc_salesorderid_value,_ppc_contactid_value&$filter=ppc_paypalid eq ${odataString(dispute.captureId)}&$top=1`,
            1,
          )
        : Promise.resolve([]),
    ]);
    const t = txns[0];
    const [invoiceState, orderState] = await Promise.all([
      t?._ppc_invoiceid_value
        ? documentState(dv, `invoices(${scalarText(t._ppc_invoiceid_value)})`)
        : Promise.resolve(undefined),
      t?._ppc_salesorderid_value
        ? documentState(dv, `salesorders(${scalarText(t._ppc_salesorderid_value)})`)
        : Promise.resolve(undefined),
    ]);
    const currencyId = dispute.amount ? ref.currencyId(dispute.amount.currency) : undefined;
    const ops = planDispute({
      eventId: event.id,
      eventType: event.event_type,
      dispute,
      ...(existing ? { existing: { statecode: Number(existing.statecode) } } : {}),
      ...(t
        ? {
            transaction: {
              id: String(t.ppc_paypaltransactionid),
              ...(t._ppc_invoiceid_value ? { invoiceId: scalarText(t._ppc_invoiceid_value) } : {}),
              ...(t._ppc_salesorderid_value ? { orderId: scalarText(t._ppc_salesorderid_value) } : {}),
              ...(t._ppc_contactid_value ? { contactId: scalarText(t._ppc_contactid_value) } : {}),
              ...(invoiceState ? { invoiceState } : {}),
              ...(orderState ? { orderState } : {}),
            },
          }
        : {}),
      ...(currencyId ? { currencyId } : {}),
    });
    if (ops.length) await dv.changeSet(ops);
    ctx.log.info(
      { disputeId: dispute.disputeId, status: dispute.status, linked: !!t, operations: ops.length },
      'dispute recorded',
    );
  };
}
