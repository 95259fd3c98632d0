import { describe, expect, it } from '@jest/globals';
import { currencyDecimals, parseAmount, rememberCurrencyPrecision, toMajor, toMinor } from '../../shared/money';

describe('money', () => {
  // what the currency resolver reads from the transactioncurrency records
  rememberCurrencyPrecision('JPY', 0);
  rememberCurrencyPrecision('KWD', 3);
  rememberCurrencyPrecision('BHD', 3);
  rememberCurrencyPrecision('PYG', 0);

  it("uses the precision of the currency's Dataverse record, Dataverse's default 2 before it is read", () => {
    expect([
      currencyDecimals('jpy'),
      currencyDecimals('KWD'),
      currencyDecimals('PYG'),
      currencyDecimals('EUR'),
    ]).toEqual([0, 3, 0, 2]);
    rememberCurrencyPrecision('XTS', 7); // outside Dataverse's 0..4: ignored
    expect(currencyDecimals('XTS')).toBe(2);
  });

  it('converts Dataverse decimals without float noise', () => {
    expect(toMinor(0.1 + 0.2, 'USD')).toBe(30);
    expect(toMinor(19.99, 'EUR')).toBe(1999);
    expect(toMinor(5000, 'JPY')).toBe(5000);
    expect(toMinor(1.2345, 'BHD')).toBe(1235);
    expect(toMajor(1999, 'EUR')).toBe(19.99);
  });

  it.each([
    ['12.34', 'EUR', '.', { ok: true, minor: 1234 }],
    ['12,34', 'EUR', ',', { ok: true, minor: 1234 }],
    ['1 234.5', 'USD', '.', { ok: true, minor: 123450 }],
    ['.5', 'USD', '.', { ok: true, minor: 50 }],
    ['1000', 'JPY', '.', { ok: true, minor: 1000 }],
    ['1000.0', 'JPY', '.', { ok: false, error: 'decimals' }],
    ['1.2345', 'KWD', '.', { ok: false, error: 'decimals' }],
    ['-5', 'EUR', '.', { ok: false, error: 'format' }],
    ['1e3', 'EUR', '.', { ok: false, error: 'format' }],
    ['0.00', 'EUR', '.', { ok: false, error: 'positive' }],
    ['  ', 'EUR', '.', { ok: false, error: 'required' }],
  ])('parses "%s" %s (separator %s)', (text, currency, separator, expected) => {
    expect(parseAmount(text, currency, separator)).toEqual(expected);
  });
});
