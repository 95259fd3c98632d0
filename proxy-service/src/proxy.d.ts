import type { Store } from './adapters/store/store.ts';
import type { Config } from './config.ts';
import type { DataversePort } from './adapters/dataverse/types.ts';
import { type PayPalClient } from './adapters/paypal/index.ts';
import { type Handlers } from './flows/handlers.ts';
import { type CertificateSource } from './intake/certificate-source.ts';
import type { WebhookVerifier } from './intake/verification.ts';
import { type Logger } from './logger.ts';
export interface ProxyOverrides {
    log?: Logger;
    store?: Store;
    verifier?: WebhookVerifier;
    certificates?: CertificateSource;
    clock?: () => Date;
    handlers?: Partial<Handlers>;
    random?: () => number;
    /** Start the job workers (default true). */
    workers?: boolean;
    dataverse?: DataversePort;
    paypal?: PayPalClient;
}
/** The business flows, when Dataverse and PayPal are configured; otherwise every action only records that it ran. */
export declare function buildFlows(config: Config, overrides: ProxyOverrides): {
    flows: Partial<Handlers>;
    dataverse?: DataversePort;
    paypal?: PayPalClient;
};
export declare function buildVerifier(config: Config, overrides: ProxyOverrides, webhookId?: () => string | undefined): WebhookVerifier;
export declare function createProxy(config: Config, overrides?: ProxyOverrides): Promise<{
    app: import("express").Express;
    store: Store;
    boss: import("pg-boss").PgBoss;
    worker: {
        run: (job: import("pg-boss").Job<import("./queue/job-queue.ts").InboxJob>) => Promise<import("./queue/inbox-worker.ts").JobOutcome>;
        start(options: {
            concurrency: number;
            pollingSeconds: number;
            batchSize?: number;
        }): Promise<void>;
        stop(): Promise<void>;
    };
    metrics: {
        registry: import("prom-client").Registry<"text/plain; version=0.0.4; charset=utf-8">;
        received: import("prom-client").Counter<"source">;
        verified: import("prom-client").Counter<"source">;
        rejected: import("prom-client").Counter<"reason" | "source">;
        duplicates: import("prom-client").Counter<"source">;
        unknownTypes: import("prom-client").Counter<"event_type" | "source">;
        jobOutcomes: import("prom-client").Counter<"outcome" | "queue">;
        queueDepth: import("prom-client").Gauge<"state" | "queue">;
        deadLetters: import("prom-client").Gauge<string>;
        intakeSeconds: import("prom-client").Histogram<"source">;
        jobSeconds: import("prom-client").Histogram<"action" | "queue">;
    };
    log: Logger;
    dataverse: DataversePort | undefined;
    paypal: PayPalClient | undefined;
    /** The webhook id PayPal signs with, as setup registered it. */
    setWebhookId(id: string): Promise<void>;
    webhookId: () => string | undefined;
    listen(port?: number, host?: string): Promise<string>;
    /** Graceful stop: intake answers 503, in-flight jobs finish (up to the timeout), then the store closes. */
    stop(): Promise<void>;
}>;
export type Proxy = Awaited<ReturnType<typeof createProxy>>;
