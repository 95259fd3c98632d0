// Reads the fraud score of a PayPal transaction (or of a sales order's transaction) with the open fraud
// alert behind it, and records a reviewer's verdict on that alert.
import type { DataService, Row } from '../shared/data-service';
import { date, guid, num, str } from '../shared/data-service';
import { linkedCapture } from '../PaymentStatus/payment-service';
import type { FormRecord } from '../shared/form-record';
import type { FraudBand } from '../shared/fraud';
import { bandOf, parseReasons } from '../shared/fraud';
import {
  AlertType,
  Common,
  FORMATTED,
  FraudAlert,
  FraudAlertStatus,
  State,
  Tables,
  Transaction,
} from '../shared/names';

export type AlertState = 'new' | 'underReview' | 'closed' | 'confirmedFraud' | 'markedSafe';
export type Verdict = 'safe' | 'fraud';

export interface FraudView {
  score: number;
  band: FraudBand;
  reasons: string[];
  alert?: { id: string; state: AlertState; reviewedBy?: string; reviewedOn?: Date; notes?: string };
}

export interface FraudService {
  /** null when the payment has not been scored */
  load(record: FormRecord): Promise<FraudView | null>;
  review(alertId: string, verdict: Verdict, notes: string): Promise<void>;
}

const ALERT_STATES = new Map<number, AlertState>([
  [FraudAlertStatus.New, 'new'],
  [FraudAlertStatus.UnderReview, 'underReview'],
  [FraudAlertStatus.Closed, 'closed'],
  [FraudAlertStatus.ConfirmedFraud, 'confirmedFraud'],
  [FraudAlertStatus.MarkedSafe, 'markedSafe'],
]);

const SCORE_COLUMNS = [Transaction.id, Transaction.fraudScore, Transaction.riskBand, Transaction.fraudReasons];

/**
 * The scored transaction: the form's own, or for a sales order the capture whose ppc_salesorderid points to the
 * order (order-to-cash links the transaction to the order, not the order to the transaction; the same lookup
 * PaymentStatus follows, so both controls show the same payment).
 */
async function scoredRow(
  data: DataService,
  record: FormRecord,
): Promise<{ row: Row; transactionId?: string } | undefined> {
  if (record.entityName === Tables.transaction) {
    const row = await data.retrieve(Tables.transaction, record.id, SCORE_COLUMNS);
    return { row, transactionId: record.id };
  }
  const row = await linkedCapture(data, record, SCORE_COLUMNS.join(','));
  return row ? { row, transactionId: guid(String(row[Transaction.id])) } : undefined;
}

export function createFraudService(data: DataService, now: () => Date = () => new Date()): FraudService {
  return {
    async load(record) {
      const scored = await scoredRow(data, record);
      const score = scored && num(scored.row, Transaction.fraudScore);
      if (!scored || score === undefined) return null;
      const owner = scored.transactionId
        ? `${FraudAlert.transactionValue} eq ${guid(scored.transactionId)}`
        : `${FraudAlert.salesOrderValue} eq ${guid(record.id)}`;
      // a user who may read payments but not alerts (Refund Agent) sees the score without its review
      const alerts = await data
        .retrieveMultiple(
          Tables.fraudAlert,
          `$select=${FraudAlert.id},${Common.statusCode},${FraudAlert.reasons},${FraudAlert.reviewedByValue},${FraudAlert.reviewedOn},${FraudAlert.reviewNotes},${Common.modifiedByValue}&$filter=${owner} and ${FraudAlert.alertType} eq ${AlertType.FraudScore}&$orderby=createdon desc&$top=1`,
        )
        .catch(() => []);
      const alert = alerts[0];
      const reasons = parseReasons(
        str(scored.row, Transaction.fraudReasons) ?? (alert && str(alert, FraudAlert.reasons)),
      );
      return {
        score,
        band: bandOf(score, num(scored.row, Transaction.riskBand)),
        reasons,
        alert: alert && {
          id: String(alert[FraudAlert.id]),
          state: ALERT_STATES.get(num(alert, Common.statusCode) ?? FraudAlertStatus.New) ?? 'new',
          reviewedBy:
            str(alert, `${FraudAlert.reviewedByValue}${FORMATTED}`) ??
            str(alert, `${Common.modifiedByValue}${FORMATTED}`),
          reviewedOn: date(alert, FraudAlert.reviewedOn),
          notes: str(alert, FraudAlert.reviewNotes),
        },
      };
    },

    async review(alertId, verdict, notes) {
      await data.update(Tables.fraudAlert, alertId, {
        [Common.stateCode]: State.Inactive,
        [Common.statusCode]: verdict === 'safe' ? FraudAlertStatus.MarkedSafe : FraudAlertStatus.ConfirmedFraud,
        [FraudAlert.reviewNotes]: notes,
        [FraudAlert.reviewedOn]: now().toISOString(),
      });
    },
  };
}
