// Money columns carry their currency as a lookup to transactioncurrency; the ISO code is read once per id.
import type { DataService, Row } from './data-service';
import { str } from './data-service';
import type { Money } from './money';
import { toMinor } from './money';
import { Common, Currency, Tables } from './names';

export interface CurrencyResolver {
  /** ISO code of the row's transactioncurrencyid */
  codeOf(row: Row): Promise<string>;
}

export function createCurrencyResolver(data: DataService, fallback = 'USD'): CurrencyResolver {
  const cache = new Map<string, Promise<string>>();
  return {
    codeOf(row) {
      const id = str(row, Common.currencyValue);
      if (!id) return Promise.resolve(fallback);
      let code = cache.get(id);
      if (!code) {
        code = data.retrieve(Tables.currency, id, [Currency.isoCode]).then((c) => str(c, Currency.isoCode) ?? fallback);
        cache.set(id, code);
      }
      return code;
    },
  };
}

/** A Dataverse money/decimal column (major units) as Money; undefined when the column is empty. */
export function moneyOf(row: Row, column: string, currency: string): Money | undefined {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return { minor: toMinor(value, currency), currency };
}
