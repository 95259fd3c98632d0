// Money is an integer number of minor units plus an ISO 4217 currency code, everywhere in our code.
// Conversion to PayPal's strings and Dataverse's decimals happens only here. Never floats for money.
import type { PayPalMoney, PayPalWire } from '../adapters/paypal/types.ts';
import { errors } from '../errors.ts';
import { isoMinorUnitsOrUndefined, paypalDecimals } from './minor-units.ts';

export interface Money {
  currency: string;
  /** Integer minor units (cents; yen; fils). Safe up to 2^53. */
  minor: number;
}

/** ISO 4217 minor units of `currency` (minor-units.ts); an unknown code is a validation error. */
export function decimalsOf(currency: string): number {
  const d = isoMinorUnitsOrUndefined(currency);
  if (d === undefined) throw errors.validation(`"${currency}" is not an ISO 4217 currency code`);
  return d;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal amount (PayPal's `value`, Dataverse text) exactly into ISO minor units. More decimals than
 * the currency has is an error. PayPal's whole-number HUF/TWD amounts ("1500") parse as 150000 minor units.
 */
export function parseAmount(value: string, currency: string): Money {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw errors.validation(`amount "${value}" is not a decimal number`);
  const decimals = decimalsOf(currency);
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals)
    throw errors.validation(`amount ${value} has more decimals than ${currency} allows (${decimals})`);
  const minor = Number(m[2]) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw errors.validation(`amount ${value} ${currency} is too large`);
  return { currency: currency.toUpperCase(), minor: m[1] ? -minor : minor };
}

export const money = (minor: number, currency: string): Money => {
  if (!Number.isSafeInteger(minor)) throw errors.validation(`minor units must be an integer, got ${minor}`);
  return { minor, currency: currency.toUpperCase() };
};

/** Major-unit decimal string with exactly the currency's ISO decimals (Dataverse, messages). */
export function formatAmount(m: Money): string {
  return formatMinor(m.minor, decimalsOf(m.currency));
}

function formatMinor(minor: number, d: number): string {
  const abs = Math.abs(minor);
  const s = String(abs).padStart(d + 1, '0');
  const text = d ? `${s.slice(0, -d)}.${s.slice(-d)}` : s;
  return minor < 0 ? `-${text}` : text;
}

/**
 * PayPal's wire value: the currency's decimals in PayPal's API (minor-units.ts: none for HUF, JPY, TWD). An
 * amount PayPal cannot express (e.g. 1500.50 HUF) is an error rather than a silently rounded refund.
 */
export function formatPayPalAmount(m: Money): string {
  const shift = decimalsOf(m.currency) - paypalDecimals(m.currency);
  const unit = 10 ** shift;
  if (m.minor % unit !== 0)
    throw errors.validation(`${formatAmount(m)} ${m.currency} has decimals PayPal does not accept for ${m.currency}`);
  return formatMinor(m.minor / unit, decimalsOf(m.currency) - shift);
}

export const toPayPal = (m: Money) => ({ currency_code: m.currency, value: formatPayPalAmount(m) });
export const fromPayPal = (a: PayPalWire<PayPalMoney> | undefined): Money | undefined =>
  a?.currency_code && a.value !== undefined ? parseAmount(a.value, a.currency_code) : undefined;

/** A Dataverse decimal/money column value. JSON numbers are decimal text on the wire; the string round-trips exactly. */
export const toDataverse = (m: Money): number => Number(formatAmount(m));

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw errors.validation(`cannot combine ${a.currency} and ${b.currency}`);
}
export const add = (a: Money, b: Money): Money => (sameCurrency(a, b), money(a.minor + b.minor, a.currency));
export const subtract = (a: Money, b: Money): Money => (sameCurrency(a, b), money(a.minor - b.minor, a.currency));
export const isZero = (m: Money) => m.minor === 0;

const RATE_SCALE = 10n ** 12n;
/** A rate as a scaled integer (12 decimal places), parsed from its decimal text without floats. */
export function parseRate(rate: string | number): bigint {
  const text = typeof rate === 'number' ? rate.toString() : rate.trim();
  const m = /^(\d+)(?:\.(\d{1,12})\d*)?$/.exec(text);
  if (!m) throw errors.validation(`exchange rate "${rate}" is not a positive decimal`);
  const value = BigInt(m[1]!) * RATE_SCALE + BigInt((m[2] ?? '').padEnd(12, '0'));
  if (value === 0n) throw errors.validation('exchange rate is zero');
  return value;
}

/** Converts at `rate` (units of `to` per 1 unit of from), rounding half away from zero to the target's minor unit. */
export function convert(m: Money, rate: string | number, to: string): Money {
  const r = parseRate(rate);
  const shift = decimalsOf(to) - decimalsOf(m.currency);
  // minor_to = minor_from × rate × 10^(dTo − dFrom)
  let num = BigInt(m.minor) * r;
  let den = RATE_SCALE;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  const sign = num < 0n ? -1n : 1n;
  const abs = num < 0n ? -num : num;
  const rounded = (abs * 2n + den) / (2n * den);
  return money(Number(sign * rounded), to);
}
