import { Counter, Gauge, Histogram, Registry } from 'prom-client';
export declare function createMetrics(options?: {
    defaultMetrics?: boolean;
}): {
    registry: Registry<"text/plain; version=0.0.4; charset=utf-8">;
    received: Counter<"source">;
    verified: Counter<"source">;
    rejected: Counter<"reason" | "source">;
    duplicates: Counter<"source">;
    unknownTypes: Counter<"event_type" | "source">;
    jobOutcomes: Counter<"outcome" | "queue">;
    queueDepth: Gauge<"state" | "queue">;
    deadLetters: Gauge<string>;
    intakeSeconds: Histogram<"source">;
    jobSeconds: Histogram<"action" | "queue">;
};
export type Metrics = ReturnType<typeof createMetrics>;
