// Money inside the controls is integer minor units + ISO 4217 code. Dataverse returns decimals in major
// units; they are converted here, once, at the data-service edge. A currency's decimals are Dataverse's own:
// transactioncurrency.currencyprecision of the currency record the amount's lookup points to (read by
// shared/currency.ts and remembered here), so the controls carry no currency table of their own and agree
// with the money columns Dataverse stores
// (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/transactioncurrency#BKMK_CurrencyPrecision).

export interface Money {
  /** integer minor units (cents, yen, fils) */
  minor: number;
  /** ISO 4217 code, upper case */
  currency: string;
}

const precision = new Map<string, number>();

/** Records a currency's decimals as its Dataverse transactioncurrency record gives them. */
export function rememberCurrencyPrecision(currency: string, decimals: number): void {
  if (Number.isInteger(decimals) && decimals >= 0 && decimals <= 4) precision.set(currency.toUpperCase(), decimals);
}

const symbols = new Map<string, string>();

/** Records a currency's symbol as its Dataverse transactioncurrency record gives it (currencysymbol). */
export function rememberCurrencySymbol(currency: string, symbol: string): void {
  if (symbol.trim() !== '') symbols.set(currency.toUpperCase(), symbol.trim());
}

/** The currency's symbol from its Dataverse record; the ISO code until that record is read. */
export function currencySymbol(currency: string): string {
  return symbols.get(currency.toUpperCase()) ?? currency.toUpperCase();
}

/** Decimals of `currency` from its Dataverse record; 2 (Dataverse's default precision) until that record is read. */
export function currencyDecimals(currency: string): number {
  return precision.get(currency.toUpperCase()) ?? 2;
}

/** Dataverse decimal (major units) → minor units; rounding removes binary float noise like 0.1 + 0.2. */
export function toMinor(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyDecimals(currency));
}

/** Minor → major units, only for display and for the Web API payload. */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** currencyDecimals(currency);
}

export type AmountParseResult =
  { ok: true; minor: number } | { ok: false; error: 'required' | 'format' | 'decimals' | 'positive' };

/**
 * Parses what a user typed ("12.34", "12,34", "1 234.5") into minor units without floating point:
 * the digits are split on the user's decimal separator and joined as an integer string.
 */
export function parseAmount(text: string, currency: string, decimalSeparator = '.'): AmountParseResult {
  const trimmed = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (trimmed === '') return { ok: false, error: 'required' };
  const separators = new Set([decimalSeparator, '.']);
  let intPart = trimmed;
  let fraction = '';
  for (const sep of separators) {
    const at = trimmed.lastIndexOf(sep);
    if (at >= 0) {
      intPart = trimmed.slice(0, at);
      fraction = trimmed.slice(at + 1);
      break;
    }
  }
  if (!/^\d+$/.test(intPart || '0') || !/^\d*$/.test(fraction)) return { ok: false, error: 'format' };
  const decimals = currencyDecimals(currency);
  if (fraction.length > decimals) return { ok: false, error: 'decimals' };
  const minor = Number((intPart || '0') + fraction.padEnd(decimals, '0'));
  if (!Number.isSafeInteger(minor)) return { ok: false, error: 'format' };
  if (minor <= 0) return { ok: false, error: 'positive' };
  return { ok: true, minor };
}
