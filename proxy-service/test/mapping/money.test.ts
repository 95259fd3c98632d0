import { describe, expect, it } from '@jest/globals';
import {
  add,
  convert,
  decimalsOf,
  formatAmount,
  fromPayPal,
  money,
  parseAmount,
  subtract,
  toDataverse,
  toPayPal,
} from '../../src/mapping/money.ts';

describe('money', () => {
  it("knows each currency's ISO 4217 minor unit, and refuses a code ISO does not list", () => {
    expect(['USD', 'jpy', 'HUF', 'TWD', 'KWD', 'PYG', 'IQD', 'LYD', 'CLF', 'UYW'].map(decimalsOf)).toEqual([
      2, 0, 2, 2, 3, 0, 3, 3, 4, 4,
    ]);
    expect(() => decimalsOf('ABC')).toThrow('not an ISO 4217 currency code');
  });

  it.each([
    ['30.00', 'USD', 3000],
    ['30', 'USD', 3000],
    ['0.1', 'EUR', 10],
    ['1500', 'JPY', 1500],
    ['1500.00', 'JPY', 1500],
    ['-2.51', 'USD', -251],
    ['12.345', 'KWD', 12345],
    ['90071992547409.91', 'USD', 9007199254740991],
  ])('parses %s %s exactly as %d minor units', (value, currency, minor) => {
    expect(parseAmount(value, currency)).toEqual({ currency, minor });
  });

  it.each([
    ['1500.5', 'JPY'],
    ['1.001', 'USD'],
    ['abc', 'USD'],
    ['1e3', 'USD'],
    ['', 'USD'],
    ['900719925474099.12', 'USD'],
  ])('rejects %s %s', (value, currency) => {
    expect(() => parseAmount(value, currency)).toThrow();
  });

  it("formats back to PayPal strings with the currency's decimals", () => {
    expect(formatAmount(money(3000, 'USD'))).toBe('30.00');
    expect(formatAmount(money(5, 'USD'))).toBe('0.05');
    expect(formatAmount(money(-251, 'USD'))).toBe('-2.51');
    expect(formatAmount(money(1500, 'JPY'))).toBe('1500');
    expect(toPayPal(money(12345, 'KWD'))).toEqual({ currency_code: 'KWD', value: '12.345' });
    expect(fromPayPal({ currency_code: 'EUR', value: '96.80' })).toEqual({ currency: 'EUR', minor: 9680 });
    expect(toDataverse(money(3001, 'USD'))).toBe(30.01);
  });

  it("sends HUF, JPY and TWD to PayPal without decimals (PayPal's rule), keeping ISO minor units inside", () => {
    expect(fromPayPal({ currency_code: 'HUF', value: '1500' })).toEqual({ currency: 'HUF', minor: 150000 });
    expect(toPayPal(money(150000, 'HUF'))).toEqual({ currency_code: 'HUF', value: '1500' });
    expect(toPayPal(money(-9900, 'TWD'))).toEqual({ currency_code: 'TWD', value: '-99' });
    expect(toPayPal(money(1500, 'JPY'))).toEqual({ currency_code: 'JPY', value: '1500' });
    expect(formatAmount(money(150000, 'HUF'))).toBe('1500.00');
    expect(() => toPayPal(money(150050, 'HUF'))).toThrow('decimals PayPal does not accept');
  });

  it('adds and subtracts only within one currency', () => {
    expect(add(money(1, 'USD'), money(2, 'USD'))).toEqual(money(3, 'USD'));
    expect(subtract(money(3000, 'USD'), money(154, 'USD'))).toEqual(money(2846, 'USD'));
    expect(() => add(money(1, 'USD'), money(1, 'EUR'))).toThrow('cannot combine USD and EUR');
  });

  it('converts between currencies exactly, rounding half away from zero', () => {
    expect(convert(money(10000, 'EUR'), '1.0850', 'USD')).toEqual(money(10850, 'USD'));
    expect(convert(money(1, 'USD'), '0.5', 'EUR')).toEqual(money(1, 'EUR')); // 0.5 cent → 1
    expect(convert(money(-1, 'USD'), '0.5', 'EUR')).toEqual(money(-1, 'EUR'));
    expect(convert(money(10000, 'USD'), '149.735', 'JPY')).toEqual(money(14974, 'JPY')); // 100 USD → ¥14,973.5 → ¥14,974
    expect(convert(money(15000, 'JPY'), '0.0066667', 'USD')).toEqual(money(10000, 'USD'));
    expect(convert(money(3333, 'USD'), '1', 'USD')).toEqual(money(3333, 'USD'));
    expect(() => convert(money(1, 'USD'), '0', 'EUR')).toThrow('zero');
    expect(() => convert(money(1, 'USD'), '-1', 'EUR')).toThrow();
  });
});
