// In-memory state of one emulated PayPal merchant account. Plain JSON so it can be written to a state file.
export interface Payer {
  payerId: string;
  givenName: string;
  surname: string;
  email: string;
  countryCode: string;
  address?: Record<string, string>;
}

export interface Order {
  id: string;
  intent: 'CAPTURE' | 'AUTHORIZE';
  status: 'CREATED' | 'APPROVED' | 'COMPLETED' | 'VOIDED';
  purchaseUnits: Array<Record<string, unknown>>;
  /** Amount per purchase unit in minor units. */
  amounts: Array<{ minor: number; currency: string }>;
  payer?: Payer;
  createTime: string;
  updateTime: string;
  captureIds: string[];
}

export interface Conversion {
  rate: string;
  receivableCurrency: string;
  receivableMinor: number;
  feeInReceivableMinor: number;
}

export interface Capture {
  id: string;
  orderId: string;
  referenceId: string;
  status: 'COMPLETED' | 'PENDING' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'FAILED';
  statusReason?: string;
  currency: string;
  grossMinor: number;
  feeMinor: number;
  conversion?: Conversion;
  invoiceId?: string;
  customId?: string;
  createTime: string;
  updateTime: string;
  refundedMinor: number;
  refundIds: string[];
  payer?: Payer;
  disputed: boolean;
  reversed: boolean;
}

export interface Refund {
  id: string;
  captureId: string;
  status: 'COMPLETED' | 'PENDING' | 'FAILED' | 'CANCELLED';
  currency: string;
  grossMinor: number;
  feeMinor: number;
  totalRefundedMinor: number;
  invoiceId?: string;
  customId?: string;
  noteToPayer?: string;
  createTime: string;
  updateTime: string;
  /** True for a PayPal-initiated reversal (chargeback/dispute lost), false for a merchant refund. */
  reversal: boolean;
}

export interface Webhook {
  id: string;
  url: string;
  eventTypes: string[];
}

export interface WebhookEvent {
  id: string;
  event_version: string;
  create_time: string;
  resource_type: string;
  resource_version?: string;
  event_type: string;
  summary: string;
  resource: Record<string, unknown>;
  links: Array<{ href: string; rel: string; method: string }>;
}

export interface DeliveryAttempt {
  attempt: number;
  time: string;
  transmissionId: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  webhookId: string;
  url: string;
  /** The exact bytes sent. */
  body: string;
  state: 'PENDING' | 'SUCCESS' | 'RETRYING' | 'FAILED' | 'HELD';
  attempts: DeliveryAttempt[];
  lastHeaders?: Record<string, string>;
  nextAttemptAt?: string;
  duplicateOf?: string;
}

/** One balance or non-balance row, the common source of Transaction Search and the STL/TRR reports. */
export interface LedgerEntry {
  transactionId: string;
  referenceId?: string;
  referenceIdType?: 'ODR' | 'TXN' | 'SUB' | 'PAP';
  eventCode: string;
  initiationTime: string;
  updatedTime: string;
  currency: string;
  /** Signed, from the merchant's point of view. */
  amountMinor: number;
  /** Signed fee (negative when charged). */
  feeMinor: number;
  status: 'S' | 'P' | 'V' | 'D' | 'F';
  invoiceId?: string;
  customId?: string;
  payer?: Payer;
  subject?: string;
  note?: string;
  /** Withdrawals (T0400): the bank's reference of the transfer ("Bank Reference ID" in the STL/TRR layouts). */
  bankReferenceId?: string;
  balanceAffecting: boolean;
}

export interface IdempotencyRecord {
  expiresAt: number;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Set for creates: replay re-reads this resource with the latest state. */
  resource?: { kind: string; id: string };
}

export interface State {
  tokens: Record<string, { clientId: string; expiresAt: number }>;
  orders: Record<string, Order>;
  captures: Record<string, Capture>;
  refunds: Record<string, Refund>;
  webhooks: Record<string, Webhook>;
  events: WebhookEvent[];
  deliveries: Delivery[];
  ledger: LedgerEntry[];
  idempotency: Record<string, IdempotencyRecord>;
  /** Outcomes forced on the next captures (control API): COMPLETED | PENDING | DECLINED. */
  nextCaptureOutcomes: Array<{ status: 'COMPLETED' | 'PENDING' | 'DECLINED' | 'INSTRUMENT_DECLINED'; reason?: string }>;
  disputes: Record<string, Record<string, unknown>>;
  payoutBatches: Record<string, Record<string, unknown>>;
  payoutItems: Record<string, Record<string, unknown>>;
  senderBatchIds: Record<string, { batchId: string; at: number }>;
  products: Record<string, Record<string, unknown>>;
  plans: Record<string, Record<string, unknown>>;
  subscriptions: Record<string, Record<string, unknown>>;
  subscriptionTransactions: Record<string, Array<Record<string, unknown>>>;
  nextRenewalOutcomes: Array<'COMPLETED' | 'DECLINED'>;
  nextPayoutItemOutcomes: string[];
  /** v1 sales (subscription renewals) and their refunds. */
  sales: Record<string, Sale>;
}

export interface Sale {
  id: string;
  subscriptionId: string;
  currency: string;
  amountMinor: number;
  feeMinor: number;
  refundedMinor: number;
  createTime: string;
  updateTime: string;
  customId?: string;
  refundIds: string[];
  /** PayPal reversed it (PAYMENT.SALE.REVERSED). */
  reversed?: boolean;
}

export function emptyState(): State {
  return {
    tokens: {},
    orders: {},
    captures: {},
    refunds: {},
    webhooks: {},
    events: [],
    deliveries: [],
    ledger: [],
    idempotency: {},
    nextCaptureOutcomes: [],
    disputes: {},
    payoutBatches: {},
    payoutItems: {},
    senderBatchIds: {},
    products: {},
    plans: {},
    subscriptions: {},
    subscriptionTransactions: {},
    nextRenewalOutcomes: [],
    nextPayoutItemOutcomes: [],
    sales: {},
  };
}
