import { describe, expect, it } from '@jest/globals';
import { standardizeAddress, toDataverseAddress } from '../../src/mapping/address.ts';

describe('standardizeAddress', () => {
  it('cleans whitespace, upper-cases state codes and formats US ZIP+4', () => {
    expect(
      standardizeAddress({
        address_line_1: '  2211   N First  St ',
        admin_area_2: 'San Jose',
        admin_area_1: 'ca',
        postal_code: '951312021',
        country_code: 'us',
      }),
    ).toEqual({
      line1: '2211 N First St',
      line2: undefined,
      line3: undefined,
      city: 'San Jose',
      stateOrProvince: 'CA',
      postalCode: '95131-2021',
      countryCode: 'US',
      country: 'United States of America',
      standardized: true,
    });
  });

  it.each([
    ['GB', 'sw1a1aa', 'SW1A 1AA'],
    ['CA', 'k1a0b1', 'K1A 0B1'],
    ['NL', '1012ab', '1012 AB'],
    ['JP', '1000001', '100-0001'],
    ['DE', '10115', '10115'],
    ['US', '95131', '95131'],
  ])('formats a %s postal code %s as %s', (country, postal, expected) => {
    expect(standardizeAddress({ country_code: country, postal_code: postal })?.postalCode).toBe(expected);
  });

  it('keeps but flags what it cannot standardise', () => {
    expect(standardizeAddress({ country_code: 'US', postal_code: 'ABCDE' })).toMatchObject({
      postalCode: 'ABCDE',
      standardized: false,
    });
    expect(standardizeAddress({ country_code: 'XX' })).toMatchObject({
      countryCode: undefined,
      country: 'XX',
      standardized: false,
    });
    expect(standardizeAddress(undefined)).toBeUndefined();
  });

  it('maps to Dataverse address columns, leaving out empty ones', () => {
    expect(
      toDataverseAddress(
        'address1',
        standardizeAddress({ admin_area_2: 'Berlin', postal_code: '10115', country_code: 'DE' }),
      ),
    ).toEqual({
      address1_city: 'Berlin',
      address1_postalcode: '10115',
      address1_country: 'Germany',
    });
  });
});
