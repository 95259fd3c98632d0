// Names the proxy and the solution must agree on (webhook header, environment variables, endpoint/steps).
import { stableGuid } from './guid.ts';

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
