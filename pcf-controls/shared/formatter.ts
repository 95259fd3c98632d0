// Numbers, dates and money are formatted by the platform (context.formatting follows the user's settings);
// components only see this interface so tests can pass a deterministic one.
import type { Money } from './money';
import { currencyDecimals, toMajor } from './money';

export interface Formatter {
  money(value: Money): string;
  integer(value: number): string;
  /** ratio 0..1 → "12.5 %" in the user's number format */
  percent(ratio: number): string;
  date(value: Date): string;
  dateTime(value: Date): string;
}

export function createFormatter(formatting: ComponentFramework.Formatting): Formatter {
  return {
    money: (value) =>
      `${formatting.formatDecimal(toMajor(value.minor, value.currency), currencyDecimals(value.currency))} ${value.currency}`,
    integer: (value) => formatting.formatInteger(value),
    percent: (ratio) => `${formatting.formatDecimal(ratio * 100, 1)} %`,
    date: (value) => formatting.formatDateShort(value),
    dateTime: (value) => formatting.formatDateShort(value, true),
  };
}
