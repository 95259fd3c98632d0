// PayPal adapter: typed REST client (generated from PayPal's OpenAPI specs), token cache, typed errors.
export { createPayPalClient } from './client.ts';
export type {
  CaptureSubscriptionRequest,
  PayPalClient,
  PayPalClientOptions,
  RefundCaptureRequest,
  RefundSaleRequest,
} from './client.ts';
export { payPalTokenProvider } from './oauth.ts';
export type { PayPalCredentials, TokenProvider } from './oauth.ts';
export { createPayPalFetch, REQUEST_ID_HEADER, type TransportOptions } from './transport.ts';
export { payPalError, payPalErrorDetails, payPalNetworkError } from './paypal-error.ts';
export type { PayPalErrorDetail, PayPalErrorDetails } from './paypal-error.ts';
export type * from './types.ts';
