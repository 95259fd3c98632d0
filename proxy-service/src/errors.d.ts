export interface AppErrorInit {
    code: string;
    message: string;
    retryable: boolean;
    httpStatus?: number;
    /** Milliseconds the remote side asked us to wait (Retry-After). */
    retryAfterMs?: number;
    cause?: unknown;
    details?: Record<string, unknown>;
}
export declare class AppError extends Error {
    readonly code: string;
    readonly retryable: boolean;
    readonly httpStatus: number;
    readonly retryAfterMs: number | undefined;
    readonly details: Record<string, unknown> | undefined;
    constructor(init: AppErrorInit);
}
export declare const errors: {
    validation: (message: string, details?: Record<string, unknown>) => AppError;
    /** A remote API answered; retryable when it is throttling (429) or failing (5xx), not for 4xx. */
    remote: (service: string, status: number, message: string, retryAfterMs?: number, details?: Record<string, unknown>) => AppError;
    network: (service: string, cause: unknown) => AppError;
    notFound: (what: string) => AppError;
};
/** Normalises any throwable: AppErrors pass through, network failures become retryable, anything else is a non-retryable bug. */
export declare function toAppError(err: unknown): AppError;
