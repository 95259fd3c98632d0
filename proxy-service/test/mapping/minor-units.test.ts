// The one minor-units table: ISO 4217 for our amounts, PayPal's exceptions only for PayPal's API, and every
// workspace that converts amounts gives the same answer as this module.
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CURRENCIES } from '@ppc/dataverse-emulator';
import { paypalAmountDecimals } from '@ppc/paypal-emulator';
import { decimalsOf } from '../../src/mapping/money.ts';
import {
  isoMinorUnits,
  isoMinorUnitsOrUndefined,
  isoPublishDate,
  paypalDecimals,
} from '../../src/mapping/minor-units.ts';

// Currencies the earlier hand-written tables disagreed on, with ISO 4217 List One's minor units.
const ISO: [string, number][] = [
  ['PYG', 0],
  ['IQD', 3],
  ['LYD', 3],
  ['CLF', 4],
  ['UYW', 4],
  ['HUF', 2],
  ['TWD', 2],
  ['JPY', 0],
  ['KRW', 0],
  ['BHD', 3],
  ['USD', 2],
];

describe('minor units', () => {
  it.each(ISO)('ISO 4217 gives %s %d minor units', (code, digits) => {
    expect(isoMinorUnits(code)).toBe(digits);
    expect(isoMinorUnits(code.toLowerCase())).toBe(digits);
  });

  it('comes from a dated ISO 4217 list and refuses unknown codes', () => {
    expect(isoPublishDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(isoMinorUnitsOrUndefined('ABC')).toBeUndefined();
    expect(() => isoMinorUnits('ABC')).toThrow(RangeError);
  });

  it("applies PayPal's no-decimals rule to HUF, JPY and TWD only", () => {
    expect(['HUF', 'JPY', 'TWD', 'USD', 'EUR', 'PYG', 'IQD'].map(paypalDecimals)).toEqual([0, 0, 0, 2, 2, 0, 3]);
  });

  it.each(ISO)('every workspace gives %s the same minor units', (code, digits) => {
    // proxy mapping (ISO), PayPal emulator (PayPal's rule), Dataverse emulator's currency precision (ISO)
    expect(decimalsOf(code)).toBe(digits);
    expect(paypalAmountDecimals(code)).toBe(paypalDecimals(code));
  });

  it("the Dataverse emulator's currencies carry ISO precision", () => {
    for (const c of DEFAULT_CURRENCIES)
      expect([c.isocurrencycode, c.currencyprecision]).toEqual([c.isocurrencycode, isoMinorUnits(c.isocurrencycode)]);
  });
});
