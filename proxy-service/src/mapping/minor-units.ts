// How many decimals a currency's amounts have: the one table every workspace asks (exported as
// @ppc/proxy-service/minor-units). Two rules, kept apart:
// - ISO 4217 minor units (List One, from the maintained `currency-codes` package; its data date is
//   `isoPublishDate`). Our Money is integer minor units in this scale, and Dataverse decimals use it.
// - PayPal's API amounts: PayPal accepts no decimals for HUF, JPY and TWD, although ISO gives HUF and TWD
//   two (developer.paypal.com/api/rest/reference/currency-codes/: "This currency does not support decimals.
//   If you pass a decimal amount, an error occurs."). Only PayPal wire amounts (the proxy's PayPal mapping in
//   money.ts, the PayPal emulator) use this rule.
import { data, publishDate } from 'currency-codes';

const ISO = new Map(data.map((c) => [c.code, c.digits]));

/** Date of the ISO 4217 list the table comes from. */
export const isoPublishDate: string = publishDate;

/** ISO 4217 minor units of `currency` (USD 2, JPY 0, KWD 3, CLF 4); undefined for a code ISO does not list. */
export function isoMinorUnitsOrUndefined(currency: string): number | undefined {
  return ISO.get(currency.toUpperCase());
}

/** ISO 4217 minor units of `currency`; an unknown code is an error, never a guess. */
export function isoMinorUnits(currency: string): number {
  const digits = isoMinorUnitsOrUndefined(currency);
  if (digits === undefined) throw new RangeError(`"${currency}" is not an ISO 4217 currency code`);
  return digits;
}

/** Currencies PayPal's API takes without decimals although ISO 4217 gives them some (see the page above). */
export const PAYPAL_ZERO_DECIMAL: ReadonlySet<string> = new Set(['HUF', 'JPY', 'TWD']);

/** Decimals of a PayPal API amount in `currency`: PayPal's exceptions, otherwise ISO 4217. */
export function paypalDecimals(currency: string): number {
  return PAYPAL_ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : isoMinorUnits(currency);
}
