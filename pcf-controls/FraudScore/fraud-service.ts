// Reads the fraud score of a PayPal transaction (or of a sales order's transaction) with the open fraud
// alert behind it, and records a reviewer's verdict on that alert.
import type { DataService, Row } from '../shared/data-service';
import { guid, num, str } from '../shared/data-service';
import type { FormRecord } from '../shared/form-record';
import type { FraudBand } from '../shared/fraud';
import { bandOf, parseReasons } from '../shared/fraud';
import {
  AlertType,
  Common,
  FraudAlert,
  FraudAlertStatus,
  SalesOrderFraud,
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
  alert?: { id: string; state: AlertState };
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

async function scoredRow(
  data: DataService,
  record: FormRecord,
): Promise<{ row: Row; transactionId?: string } | undefined> {
  if (record.entityName === Tables.transaction) {
    const row = await data.retrieve(Tables.transaction, record.id, [
      Transaction.fraudScore,
      Transaction.riskBand,
      Transaction.fraudReasons,
    ]);
    return { row, transactionId: record.id };
  }
  const order = await data.retrieve(record.entityName, record.id, [
    SalesOrderFraud.score,
    SalesOrderFraud.transactionValue,
  ]);
  const transactionId = str(order, SalesOrderFraud.transactionValue);
  if (!transactionId)
    return num(order, SalesOrderFraud.score) === undefined
      ? undefined
      : { row: { [Transaction.fraudScore]: order[SalesOrderFraud.score] } };
  const row = await data.retrieve(Tables.transaction, transactionId, [
    Transaction.fraudScore,
    Transaction.riskBand,
    Transaction.fraudReasons,
  ]);
  return { row, transactionId };
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
      const alerts = await data.retrieveMultiple(
        Tables.fraudAlert,
        `$select=${FraudAlert.id},${Common.statusCode},${FraudAlert.reasons}&$filter=${owner} and ${FraudAlert.alertType} eq ${AlertType.FraudScore}&$orderby=createdon desc&$top=1`,
      );
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
