import { type Express } from 'express';
import type { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import type { PayPalIntake } from '../intake/paypal-intake.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
export interface AppDeps {
    store: Store;
    boss: PgBoss;
    intake: PayPalIntake;
    metrics: Metrics;
    log: Logger;
    adminToken: string | undefined;
    webhookBodyLimitBytes: number;
    /** True once SIGTERM arrived: intake answers 503 so PayPal redelivers to another replica or later. */
    draining: () => boolean;
}
export declare function createApp(deps: AppDeps): Express;
