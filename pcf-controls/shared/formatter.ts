// Numbers, dates and money are formatted by the platform (context.formatting follows the user's settings:
// formatCurrency applies the user's currency pattern to the currency's own symbol, formatDateYearMonth the
// user's month-and-year pattern); components only see this interface so tests can pass a deterministic one.
import type { Money } from './money';
import { currencyDecimals, currencySymbol, toMajor } from './money';

export interface Formatter {
  /** in the user's currency format with the currency's symbol from its Dataverse record, e.g. "$55.00" / "55,00 €" */
  money(value: Money): string;
  integer(value: number): string;
  /** ratio 0..1 → "2.2%" / "2,2 %" as the user's percent pattern places the symbol */
  percent(ratio: number): string;
  date(value: Date): string;
  dateTime(value: Date): string;
  /** "December 2026" / "Dezember 2026" */
  month(value: Date): string;
}

/** The subset of userSettings.numberFormattingInfo the formatter reads. */
export interface PercentFormat {
  percentPositivePattern?: number;
  percentSymbol?: string;
}

/**
 * .NET NumberFormatInfo.PercentPositivePattern, which userSettings.numberFormattingInfo carries:
 * 0 "n %", 1 "n%", 2 "%n", 3 "% n" (learn.microsoft.com/dotnet/api/system.globalization.numberformatinfo.percentpositivepattern).
 */
function placePercent(number: string, info: PercentFormat | undefined): string {
  const symbol = info?.percentSymbol || '%';
  switch (info?.percentPositivePattern) {
    case 0:
      return `${number}\u00a0${symbol}`;
    case 2:
      return `${symbol}${number}`;
    case 3:
      return `${symbol}\u00a0${number}`;
    default:
      return `${number}${symbol}`;
  }
}

export function createFormatter(formatting: ComponentFramework.Formatting, percentFormat?: PercentFormat): Formatter {
  return {
    money: (value) => {
      const decimals = currencyDecimals(value.currency);
      return formatting.formatCurrency(toMajor(value.minor, value.currency), decimals, currencySymbol(value.currency));
    },
    integer: (value) => formatting.formatInteger(value),
    percent: (ratio) => placePercent(formatting.formatDecimal(ratio * 100, 1), percentFormat),
    date: (value) => formatting.formatDateShort(value),
    dateTime: (value) => formatting.formatDateShort(value, true),
    month: (value) => formatting.formatDateYearMonth(value),
  };
}
