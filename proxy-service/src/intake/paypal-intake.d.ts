import type { IncomingHttpHeaders } from 'node:http';
import type { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { RejectReason, WebhookVerifier } from './verification.ts';
export type IntakeResult = {
    status: 'accepted';
    inboxId: string;
} | {
    status: 'duplicate';
} | {
    status: 'ignored';
    inboxId: string;
} | {
    status: 'invalid';
    message: string;
} | {
    status: 'rejected';
    reason: RejectReason;
};
export interface PayPalIntakeDeps {
    store: Store;
    boss: PgBoss;
    verifier: WebhookVerifier;
    metrics: Metrics;
    log: Logger;
}
export declare function createPayPalIntake(deps: PayPalIntakeDeps): (raw: Buffer, headers: IncomingHttpHeaders) => Promise<IntakeResult>;
export type PayPalIntake = ReturnType<typeof createPayPalIntake>;
