// Money columns carry their currency as a lookup to transactioncurrency; the ISO code and its precision are
// read once per id (or per code, for a currency named by its code); precision and symbol are remembered for
// shared/money.ts.
import type { DataService, Row } from './data-service';
import { str } from './data-service';
import type { Money } from './money';
import { rememberCurrencyPrecision, rememberCurrencySymbol, toMinor } from './money';
import { Common, Currency, Tables } from './names';

export interface CurrencyResolver {
  /** ISO code of the row's transactioncurrencyid */
  codeOf(row: Row): Promise<string>;
  /** Reads the precision of a currency named by its ISO code (e.g. the organisation's base currency). */
  load(code: string): Promise<string>;
}

export function createCurrencyResolver(data: DataService, fallback = 'USD'): CurrencyResolver {
  const cache = new Map<string, Promise<string>>();
  const remember = (row: Row | undefined, code: string): string => {
    const decimals = row?.[Currency.precision];
    if (typeof decimals === 'number') rememberCurrencyPrecision(code, decimals);
    const symbol = row?.[Currency.symbol];
    if (typeof symbol === 'string') rememberCurrencySymbol(code, symbol);
    return code;
  };
  return {
    codeOf(row) {
      const id = str(row, Common.currencyValue);
      if (!id) return Promise.resolve(fallback);
      let code = cache.get(id);
      if (!code) {
        code = data
          .retrieve(Tables.currency, id, [Currency.isoCode, Currency.precision, Currency.symbol])
          .then((c) => remember(c, str(c, Currency.isoCode) ?? fallback));
        cache.set(id, code);
      }
      return code;
    },
    load(code) {
      const key = `code:${code.toUpperCase()}`;
      let loaded = cache.get(key);
      if (!loaded) {
        loaded = data
          .retrieveMultiple(
            Tables.currency,
            `$select=${Currency.isoCode},${Currency.precision},${Currency.symbol}&$filter=${Currency.isoCode} eq '${code.replace(/'/g, "''")}'&$top=1`,
          )
          .then((rows) => remember(rows[0], code))
          .catch(() => code);
        cache.set(key, loaded);
      }
      return loaded;
    },
  };
}

/** A Dataverse money/decimal column (major units) as Money; undefined when the column is empty. */
export function moneyOf(row: Row, column: string, currency: string): Money | undefined {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return { minor: toMinor(value, currency), currency };
}
