// Money as integer units of PayPal's smallest amount + ISO 4217 code. PayPal wire amounts are decimal strings
// whose number of decimals depends on the currency (https://developer.paypal.com/api/rest/reference/currency-codes/):
// HUF, JPY and TWD take none ("value":"1500"). The rule lives with the ISO 4217 table in
// @ppc/proxy-service/minor-units, so the emulator and the proxy cannot disagree.
import { isoMinorUnitsOrUndefined, paypalDecimals } from '@ppc/proxy-service/minor-units';

export function exponent(currency: string): number {
  // A code ISO does not list is refused by the operation's own currency check; 2 keeps parsing total.
  return isoMinorUnitsOrUndefined(currency) === undefined ? 2 : paypalDecimals(currency);
}

/** Parses a PayPal decimal string into minor units; null when malformed or too precise for the currency. */
export function parseAmount(value: unknown, currency: string): number | null {
  if (typeof value !== 'string' || !/^\d{1,10}(\.\d{1,3})?$/.test(value)) return null;
  const [whole = '0', frac = ''] = value.split('.');
  const exp = exponent(currency);
  if (frac.length > exp && /[1-9]/.test(frac.slice(exp))) return null;
  return Number(whole) * 10 ** exp + Number((frac + '000').slice(0, exp) || '0');
}

export function formatAmount(minor: number, currency: string): string {
  const exp = exponent(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (exp === 0) return `${sign}${abs}`;
  const s = String(abs).padStart(exp + 1, '0');
  return `${sign}${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

export function money(minor: number, currency: string): { currency_code: string; value: string } {
  return { currency_code: currency, value: formatAmount(minor, currency) };
}

/** Payouts and v1 sales use `{currency, value}` instead of `{currency_code, value}`. */
export function moneyV1(minor: number, currency: string): { currency: string; value: string } {
  return { currency, value: formatAmount(minor, currency) };
}

/** Converts minor units between currencies with a decimal rate string, rounding half up; no floats. */
export function convert(minor: number, from: string, to: string, rate: string): number {
  const [w = '0', f = ''] = rate.split('.');
  const scale = 10n ** BigInt(f.length);
  const r = BigInt(w) * scale + BigInt(f || '0');
  const shift = exponent(to) - exponent(from);
  let num = BigInt(minor) * r;
  let den = scale;
  if (shift > 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  return Number((num * 2n + den) / (2n * den));
}

/** Percentage fee in basis points plus a fixed part, rounded half up. */
export function fee(minor: number, basisPoints: number, fixedMinor: number): number {
  return Math.floor((minor * basisPoints + 5000) / 10000) + fixedMinor;
}
