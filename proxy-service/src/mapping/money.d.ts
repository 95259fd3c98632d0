export interface Money {
    currency: string;
    /** Integer minor units (cents; yen; fils). Safe up to 2^53. */
    minor: number;
}
export declare function decimalsOf(currency: string): number;
/** Parses PayPal's `{currency_code, value}` string amount exactly. More decimals than the currency has is an error. */
export declare function parseAmount(value: string, currency: string): Money;
export declare const money: (minor: number, currency: string) => Money;
/** Major-unit decimal string with exactly the currency's decimals: PayPal's wire format. */
export declare function formatAmount(m: Money): string;
export declare const toPayPal: (m: Money) => {
    currency_code: string;
    value: string;
};
export declare const fromPayPal: (a: {
    currency_code?: string;
    value?: string;
} | undefined) => Money | undefined;
/** A Dataverse decimal/money column value. JSON numbers are decimal text on the wire; the string round-trips exactly. */
export declare const toDataverse: (m: Money) => number;
export declare const add: (a: Money, b: Money) => Money;
export declare const subtract: (a: Money, b: Money) => Money;
export declare const isZero: (m: Money) => boolean;
/** A rate as a scaled integer (12 decimal places), parsed from its decimal text without floats. */
export declare function parseRate(rate: string | number): bigint;
/** Converts at `rate` (units of `to` per 1 unit of from), rounding half away from zero to the target's minor unit. */
export declare function convert(m: Money, rate: string | number, to: string): Money;
