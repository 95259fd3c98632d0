import type { DataService } from '../shared/data-service';
import type { FormRecord } from '../shared/form-record';
import type { FraudBand } from '../shared/fraud';
import type { Money } from '../shared/money';
export type PaymentStatusKey = 'pending' | 'completed' | 'declined' | 'refunded' | 'partiallyRefunded' | 'reversed' | 'onHold' | 'failed' | 'unknown';
export interface Amounts {
    gross: Money;
    fee: Money;
    net: Money;
}
export interface TimelineEntry {
    kind: 'capture' | 'refund' | 'reversal';
    at?: Date;
    amount: Money;
    paypalId?: string;
}
export interface PaymentView {
    paypalId: string;
    status: PaymentStatusKey;
    amounts: Amounts;
    /** the same amounts in the organisation's base currency, when it differs */
    base?: Amounts;
    timeline: TimelineEntry[];
    dispute?: {
        status: string;
        amount?: Money;
    };
    fraud?: {
        score: number;
        band: FraudBand;
    };
}
export interface PaymentService {
    /** null when the record has no PayPal payment yet (empty state) */
    load(record: FormRecord): Promise<PaymentView | null>;
}
export declare function createPaymentService(data: DataService): PaymentService;
