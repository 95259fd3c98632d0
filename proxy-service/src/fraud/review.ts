// The review loop: a PayPal Finance user sets a fraud alert to Marked Safe or Confirmed Fraud (the FraudScore
// control's buttons, or the form) → the solution's async Update step on ppc_fraudalert statuscode → this job.
// The reviewer is the event's InitiatingUserId (mapping/four-eyes.ts actingUser), never a column, and must hold
// PayPal Finance; otherwise the alert goes back to Under Review with the refusal in its notes and nothing else
// changes. Marked Safe releases the order's (and invoice's) fraud hold; Confirmed Fraud keeps it and opens a Draft
// credit memo for the payment's amount, so the refund goes the refund flow's way (a Refund Agent requests it,
// four-eyes above the threshold, PayPal-Request-Id = memo id): nothing here moves money. Both record reviewer and
// time on the alert and become a label in the proxy's database (fraud_labels) for the next `train`.
import { ROLE_FINANCE } from '@ppc/solution';
import type { DataversePort } from '../adapters/dataverse/types.ts';
import type { Sql } from '../adapters/store/store.ts';
import { AppError } from '../errors.ts';
import { approvalRecordUser } from './review-values.ts';
import { postImageValue, userRoles, type ApprovalEvent } from '../flows/approvals.ts';
import type { Handler } from '../flows/handlers.ts';
import { actingUser } from '../mapping/four-eyes.ts';
import { recordId } from '../mapping/ids.ts';
import { CreditMemoOrigin, scalarText } from '../mapping/dataverse-values.ts';
import { AlertType, FraudAlertStatus, RefundReason } from '@ppc/solution';
import { saveLabel } from './store.ts';

export interface FraudReviewDeps {
  dataverse: DataversePort;
  store: Sql;
  now?: () => Date;
}

type ReviewEvent = ApprovalEvent & { PrimaryEntityId: string };
type Row = Record<string, unknown>;

export const FRAUD_ALERT_KEY_PREFIX = 'fraud|';

export function fraudReviewed(deps: FraudReviewDeps): Handler {
  const now = deps.now ?? (() => new Date());
  return async (ctx) => {
    const event = ctx.event as ReviewEvent;
    const alertId = event.PrimaryEntityId;
    const verdict = Number(postImageValue(event, 'statuscode'));
    if (verdict !== FraudAlertStatus.MarkedSafe && verdict !== FraudAlertStatus.ConfirmedFraud) {
      ctx.log.info({ alertId, statuscode: verdict }, 'fraud alert update is not a verdict; nothing to do');
      return;
    }
    const alert = await deps.dataverse.get<Row>(`ppc_fraudalerts(${alertId})`, [
      'ppc_alertkey',
      'ppc_alerttype',
      'statuscode',
      'ppc_reviewnotes',
      '_ppc_transactionid_value',
      '_ppc_salesorderid_value',
    ]);
    if (!alert)
      throw new AppError({ code: 'not_found', message: `fraud alert ${alertId} not found`, failure: 'rejected' });
    if (Number(alert.statuscode) !== verdict) {
      ctx.log.info({ alertId }, 'fraud alert changed again since this event; the later event decides');
      return;
    }
    const user = actingUser(event);
    const roles = user ? await userRoles(deps.dataverse, user) : [];
    const refusal = !user
      ? 'the review does not name the user who made it (no InitiatingUserId)'
      : !roles.includes(ROLE_FINANCE)
        ? `the reviewer does not hold the ${ROLE_FINANCE} role`
        : undefined;
    const notes = alert.ppc_reviewnotes ? scalarText(alert.ppc_reviewnotes) : undefined;
    if (refusal) {
      await deps.dataverse.changeSet([
        {
          method: 'PATCH',
          url: `ppc_fraudalerts(${alertId})`,
          body: {
            statecode: 0,
            statuscode: FraudAlertStatus.UnderReview,
            ppc_reviewnotes: `Review refused: ${refusal}.${notes ? `\n${notes}` : ''}`.slice(0, 2000),
            'ppc_reviewedby@odata.bind': null,
            ppc_reviewedon: null,
          },
          ifMatch: '*',
        },
      ]);
      ctx.log.warn({ alertId, user }, `fraud review refused: ${refusal}`);
      return;
    }
    const reviewer = user!;
    const at = now();
    const key = alert.ppc_alertkey ? scalarText(alert.ppc_alertkey) : '';
    const ops = [
      {
        method: 'PATCH' as const,
        url: `ppc_fraudalerts(${alertId})`,
        body: approvalRecordUser(reviewer, at),
        ifMatch: '*',
      },
    ];
    // Only score alerts carry a payment verdict (forged notifications, reversals… are reviewed without one).
    if (Number(alert.ppc_alerttype) !== AlertType.FraudScore || !key.startsWith(FRAUD_ALERT_KEY_PREFIX)) {
      await deps.dataverse.changeSet(ops);
      return;
    }
    const paypalId = key.slice(FRAUD_ALERT_KEY_PREFIX.length);
    const txnId = alert._ppc_transactionid_value ? scalarText(alert._ppc_transactionid_value) : undefined;
    const orderId = alert._ppc_salesorderid_value ? scalarText(alert._ppc_salesorderid_value) : undefined;
    const txn = txnId
      ? await deps.dataverse.get<Row>(`ppc_paypaltransactions(${txnId})`, [
          'ppc_grossamount',
          '_transactioncurrencyid_value',
          '_ppc_invoiceid_value',
        ])
      : null;
    const invoiceId = txn?._ppc_invoiceid_value ? scalarText(txn._ppc_invoiceid_value) : undefined;
    const safe = verdict === FraudAlertStatus.MarkedSafe;
    if (safe) {
      if (orderId)
        ops.push({ method: 'PATCH', url: `salesorders(${orderId})`, body: { ppc_fraudhold: false }, ifMatch: '*' });
    }
    await deps.dataverse.changeSet(ops);
    if (!safe && txn && invoiceId) {
      // The refund path: a Draft credit memo for the whole payment, created once (If-None-Match: *).
      try {
        await deps.dataverse.changeSet([
          {
            method: 'PATCH',
            url: `ppc_creditmemos(${recordId('creditmemo', `fraud|${paypalId}`)})`,
            ifNoneMatch: '*',
            body: {
              ppc_name: `Confirmed fraud: ${paypalId}`.slice(0, 200),
              ppc_amount: Number(txn.ppc_grossamount),
              ppc_origin: CreditMemoOrigin.Dynamics365,
              ppc_reasoncode: RefundReason.Other,
              ppc_reason: `Confirmed fraud (Payment Alert ${alertId})${notes ? `: ${notes}` : ''}`.slice(0, 2000),
              'transactioncurrencyid@odata.bind': `/transactioncurrencies(${scalarText(txn._transactioncurrencyid_value)})`,
              'ppc_invoiceid@odata.bind': `/invoices(${invoiceId})`,
              'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${txnId})`,
            },
          },
        ]);
      } catch (err) {
        if (!(err instanceof AppError && err.httpStatus === 412)) throw err;
      }
    }
    await saveLabel(deps.store, {
      paypalId,
      label: safe ? 0 : 1,
      alertId,
      reviewer,
      reviewedAt: at,
      ...(notes ? { notes } : {}),
    });
    ctx.log.info({ alertId, paypalId, verdict: safe ? 'safe' : 'fraud' }, 'fraud review recorded');
  };
}
