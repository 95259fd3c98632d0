export interface PayPalAddress {
    address_line_1?: string;
    address_line_2?: string;
    address_line_3?: string;
    admin_area_1?: string;
    admin_area_2?: string;
    postal_code?: string;
    country_code?: string;
}
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
export declare function standardizeAddress(a: PayPalAddress | undefined): StandardAddress | undefined;
/** Dataverse address columns (`address1_line1` …) for a standard address. */
export declare function toDataverseAddress(prefix: 'address1' | 'billto' | 'shipto', a: StandardAddress | undefined): Record<string, string>;
