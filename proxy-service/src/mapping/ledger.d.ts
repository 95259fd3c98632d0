import { type Money } from './money.ts';
import type { PaymentFacts } from './payment-facts.ts';
export interface LedgerLine {
    lineNo: number;
    purpose: number;
    side: number;
    accountCode: string;
    amount: Money;
    /** in base currency; undefined when no exchange rate was available */
    base?: Money;
    description: string;
}
export interface Posting {
    lines: LedgerLine[];
    /** rate used for the base amounts of the payment itself (PayPal's when it gave one) */
    rate?: string;
    grossBase?: Money;
    feeBase?: Money;
    netBase?: Money;
    fxMissing: boolean;
}
export interface PostingRules {
    baseCurrency: string;
    /** account code for a purpose in a currency (falls back to currency "XXX"), undefined when unmapped */
    account(purpose: number, currency: string): string | undefined;
    /** booking rate from → to on a date (ppc_fxrate), as decimal text */
    fxRate(from: string, to: string, date: string): string | undefined;
}
export declare function postPayment(facts: PaymentFacts, rules: PostingRules, sign?: 1 | -1): Posting;
/** Σ debits − Σ credits per currency, in payment currency and in base: both must be zero. */
export declare function imbalance(lines: LedgerLine[]): Record<string, number>;
