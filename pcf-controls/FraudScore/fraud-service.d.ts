import type { DataService } from '../shared/data-service';
import type { FormRecord } from '../shared/form-record';
import type { FraudBand } from '../shared/fraud';
export type AlertState = 'new' | 'underReview' | 'closed' | 'confirmedFraud' | 'markedSafe';
export type Verdict = 'safe' | 'fraud';
export interface FraudView {
    score: number;
    band: FraudBand;
    reasons: string[];
    alert?: {
        id: string;
        state: AlertState;
    };
}
export interface FraudService {
    /** null when the payment has not been scored */
    load(record: FormRecord): Promise<FraudView | null>;
    review(alertId: string, verdict: Verdict, notes: string): Promise<void>;
}
export declare function createFraudService(data: DataService, now?: () => Date): FraudService;
