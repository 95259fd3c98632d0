// Names the proxy and the solution must agree on (webhook header, environment variables, endpoint/steps).
import { stableGuid } from './guid.ts';
import { PaymentStatus, TransactionStatus } from './options.ts';

/** HttpHeader auth of the service endpoint: AuthValue `<settings><setting name="x-ppc-webhook-secret" value="…"/></settings>`. */
export const WEBHOOK_SECRET_HEADER = 'x-ppc-webhook-secret';

/** serviceendpointid of "PayPal Connector Proxy" (stable across builds). */
export const SERVICE_ENDPOINT_ID = stableGuid('serviceendpoint:proxy');

/** Environment variable schema names (environmentvariabledefinition.schemaname). */
export const EnvVar = {
  ProxyBaseUrl: 'ppc_ProxyBaseUrl',
  BaseCurrency: 'ppc_BaseCurrency',
  FraudAlertThreshold: 'ppc_FraudAlertThreshold',
  FraudHoldThreshold: 'ppc_FraudHoldThreshold',
  RefundApprovalThreshold: 'ppc_RefundApprovalThreshold',
  PayoutItemLimit: 'ppc_PayoutItemLimit',
  FallbackProductNumber: 'ppc_FallbackProductNumber',
  StatusMap: 'ppc_StatusMap',
  FinanceAlertEmail: 'ppc_FinanceAlertEmail',
  AdminAlertEmail: 'ppc_AdminAlertEmail',
} as const;

/**
 * The shipped value of ppc_StatusMap: PayPal capture/sale status → ppc_paypaltransaction status reason
 * ("transaction") and → salesorder/invoice ppc_paymentstatus ("paymentStatus"). The proxy reads the admin's
 * value and falls back to this one when none is set (proxy-service/src/mapping/status-map.ts).
 */
export const DEFAULT_STATUS_MAP = {
  transaction: {
    COMPLETED: TransactionStatus.Completed,
    PENDING: TransactionStatus.Pending,
    DECLINED: TransactionStatus.Declined,
    FAILED: TransactionStatus.Failed,
    PARTIALLY_REFUNDED: TransactionStatus.PartiallyRefunded,
    REFUNDED: TransactionStatus.Refunded,
    REVERSED: TransactionStatus.Reversed,
  },
  paymentStatus: {
    COMPLETED: PaymentStatus.Paid,
    PENDING: PaymentStatus.Pending,
    DECLINED: PaymentStatus.Declined,
    FAILED: PaymentStatus.Declined,
    PARTIALLY_REFUNDED: PaymentStatus.PartiallyRefunded,
    REFUNDED: PaymentStatus.Refunded,
    REVERSED: PaymentStatus.Reversed,
  },
} as const;
