import { type Money } from './money.ts';
export declare const TransactionKind: {
    readonly Capture: 416500000;
    readonly Sale: 416500001;
    readonly Refund: 416500002;
    readonly Reversal: 416500003;
};
export declare const TransactionStatus: {
    readonly Pending: {
        readonly statecode: 0;
        readonly statuscode: 1;
    };
    readonly Completed: {
        readonly statecode: 0;
        readonly statuscode: 416500010;
    };
    readonly PartiallyRefunded: {
        readonly statecode: 0;
        readonly statuscode: 416500011;
    };
    readonly Refunded: {
        readonly statecode: 0;
        readonly statuscode: 416500012;
    };
    readonly Reversed: {
        readonly statecode: 0;
        readonly statuscode: 416500013;
    };
    readonly OnHold: {
        readonly statecode: 0;
        readonly statuscode: 416500014;
    };
    readonly Declined: {
        readonly statecode: 1;
        readonly statuscode: 2;
    };
    readonly Failed: {
        readonly statecode: 1;
        readonly statuscode: 416500015;
    };
};
export declare const PaymentStatusChoice: {
    readonly None: 416500290;
    readonly Pending: 416500291;
    readonly Paid: 416500292;
    readonly PartiallyRefunded: 416500293;
    readonly Refunded: 416500294;
    readonly Declined: 416500295;
    readonly Reversed: 416500296;
    readonly Disputed: 416500297;
};
export declare const InvoiceState: {
    readonly Active: 0;
    readonly Paid: 2;
};
export declare const InvoiceStatus: {
    readonly New: 1;
    readonly Complete: 100001;
    readonly Partial: 100002;
};
export declare const LedgerPurpose: {
    readonly Clearing: 416500240;
    readonly FeeExpense: 416500241;
    readonly FxGain: 416500242;
    readonly FxLoss: 416500243;
    readonly Receivable: 416500244;
    readonly Refunds: 416500245;
    readonly Chargeback: 416500246;
    readonly ChargebackFee: 416500247;
};
export declare const LedgerSide: {
    readonly Debit: 416500260;
    readonly Credit: 416500261;
};
export declare const LedgerSourceType: {
    readonly Capture: 416500270;
    readonly Refund: 416500271;
    readonly Reversal: 416500272;
};
export declare const PurposeName: Record<number, string>;
/** A Dataverse decimal (number or text, any number of decimals) as minor units of `currency`, rounded half away from zero. */
export declare function decimalToMinor(value: unknown, currency: string): number;
export declare const toDecimal: (minor: number, currency: string) => number;
export declare const moneyValue: (m: Money) => number;
/** OData string literal: single quotes doubled. */
export declare const odataString: (s: string) => string;
