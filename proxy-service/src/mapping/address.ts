// Standardises a PayPal address (developer.paypal.com/api/rest "address_portable") for Dataverse's
// address1_* columns: ISO 3166 country (code checked, English name written), whitespace collapsed,
// state codes upper-cased where they are codes, postal codes in each country's own format.
import type { PayPalAddressPortable, PayPalWire } from '../adapters/paypal/types.ts';
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

countries.registerLocale(en);

/** A portable address as PayPal sends it (Orders v2 `address_portable`). */
export type PayPalAddress = PayPalWire<PayPalAddressPortable>;

export interface StandardAddress {
  line1?: string;
  line2?: string;
  line3?: string;
  city?: string;
  stateOrProvince?: string;
  postalCode?: string;
  countryCode?: string;
  country?: string;
  /** false when something could not be standardised (unknown country, malformed postal code) */
  standardized: boolean;
}

const clean = (s: string | undefined) => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
};

/** Postal code formats of the countries most PayPal merchants sell to; others are only trimmed and upper-cased. */
const POSTAL: Record<string, (p: string) => string | undefined> = {
  US: (p) => /^(\d{5})(?:-?(\d{4}))?$/.exec(p.replace(/\s/g, ''))?.slice(1).filter(Boolean).join('-'),
  CA: (p) => /^([A-Z]\d[A-Z])\s*(\d[A-Z]\d)$/.exec(p)?.slice(1).join(' '),
  GB: (p) => /^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$/.exec(p)?.slice(1).join(' '),
  NL: (p) => /^(\d{4})\s*([A-Z]{2})$/.exec(p)?.slice(1).join(' '),
  DE: (p) => (/^\d{5}$/.test(p) ? p : undefined),
  FR: (p) => (/^\d{5}$/.test(p) ? p : undefined),
  ES: (p) => (/^\d{5}$/.test(p) ? p : undefined),
  IT: (p) => (/^\d{5}$/.test(p) ? p : undefined),
  AU: (p) => (/^\d{4}$/.test(p) ? p : undefined),
  JP: (p) => /^(\d{3})-?(\d{4})$/.exec(p)?.slice(1).join('-'),
  BR: (p) => /^(\d{5})-?(\d{3})$/.exec(p)?.slice(1).join('-'),
  PL: (p) => /^(\d{2})-?(\d{3})$/.exec(p)?.slice(1).join('-'),
  SE: (p) => /^(\d{3})\s*(\d{2})$/.exec(p)?.slice(1).join(' '),
};
const STATE_CODES = new Set(['US', 'CA', 'AU', 'BR', 'MX', 'IN']);

export function standardizeAddress(a: PayPalAddress | undefined): StandardAddress | undefined {
  if (!a) return undefined;
  let standardized = true;
  const code = clean(a.country_code)?.toUpperCase();
  const countryKnown = code !== undefined && countries.isValid(code);
  if (code && !countryKnown) standardized = false;
  const rawPostal = clean(a.postal_code)?.toUpperCase();
  let postalCode = rawPostal;
  const format = code ? POSTAL[code] : undefined;
  if (rawPostal && format) {
    const formatted = format(rawPostal);
    if (formatted) postalCode = formatted;
    else standardized = false;
  }
  const state = clean(a.admin_area_1);
  return {
    line1: clean(a.address_line_1),
    line2: clean(a.address_line_2),
    line3: clean(a.address_line_3),
    city: clean(a.admin_area_2),
    stateOrProvince: state && code && STATE_CODES.has(code) && state.length <= 3 ? state.toUpperCase() : state,
    postalCode,
    countryCode: countryKnown ? code : undefined,
    country: countryKnown ? countries.getName(code, 'en', { select: 'official' }) : code,
    standardized,
  };
}

/** Dataverse address columns (`address1_line1` …) for a standard address. */
export function toDataverseAddress(
  prefix: 'address1' | 'billto' | 'shipto',
  a: StandardAddress | undefined,
): Record<string, string> {
  if (!a) return {};
  const out: Record<string, string | undefined> = {
    [`${prefix}_line1`]: a.line1,
    [`${prefix}_line2`]: a.line2,
    [`${prefix}_line3`]: a.line3,
    [`${prefix}_city`]: a.city,
    [`${prefix}_stateorprovince`]: a.stateOrProvince,
    [`${prefix}_postalcode`]: a.postalCode,
    [`${prefix}_country`]: a.country,
  };
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, string] => e[1] !== undefined));
}
