import { z } from 'zod';
interface KeySpec<S extends z.ZodType> {
    env: string;
    doc: string;
    schema: S;
    secret?: boolean;
}
export declare const configKeys: {
    readonly host: KeySpec<z.ZodDefault<z.ZodString>>;
    readonly port: KeySpec<z.ZodDefault<z.ZodCoercedNumber<unknown>>>;
    readonly logLevel: KeySpec<z.ZodDefault<z.ZodEnum<{
        debug: "debug";
        error: "error";
        fatal: "fatal";
        warn: "warn";
        info: "info";
        trace: "trace";
        silent: "silent";
    }>>>;
    readonly databaseUrl: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly databaseSchema: KeySpec<z.ZodDefault<z.ZodString>>;
    readonly pgliteDataDir: KeySpec<z.ZodDefault<z.ZodString>>;
    readonly adminToken: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly webhookBodyLimitBytes: KeySpec<z.ZodDefault<z.ZodCoercedNumber<unknown>>>;
    readonly paypalWebhookId: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly paypalVerificationMode: KeySpec<z.ZodDefault<z.ZodEnum<{
        offline: "offline";
        postback: "postback";
    }>>>;
    readonly paypalCertUrlAllowlist: KeySpec<z.ZodDefault<z.ZodPipe<z.ZodString, z.ZodTransform<string[], string>>>>;
    readonly paypalCertSubjectPattern: KeySpec<z.ZodDefault<z.ZodString>>;
    readonly paypalExtraCaFile: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly paypalCertAiaHosts: KeySpec<z.ZodDefault<z.ZodPipe<z.ZodString, z.ZodTransform<string[], string>>>>;
    readonly paypalApiBaseUrl: KeySpec<z.ZodDefault<z.ZodString>>;
    readonly paypalClientId: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly paypalClientSecret: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly publicUrl: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly dataverseUrl: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly dataverseClientId: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly dataverseClientSecret: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly dataverseTenantId: KeySpec<z.ZodOptional<z.ZodString>>;
    readonly dataverseMsalAuthJson: KeySpec<z.ZodOptional<z.ZodPipe<z.ZodString, z.ZodTransform<Record<string, unknown>, string>>>>;
    readonly dataverseMaxConcurrency: KeySpec<z.ZodDefault<z.ZodCoercedNumber<unknown>>>;
    readonly jobMaxAttempts: KeySpec<z.ZodDefault<z.ZodCoercedNumber<unknown>>>;
    readonly retryBaseMs: KeySpec<z.ZodDefault<z.ZodCoercedNumber<unknown>>>;
    readonly retryMaxMs: KeySpec<z.ZodDefault<z.ZodCoercedNumber<unknown>>>;
    readonly workerConcurrency: KeySpec<z.ZodDefault<z.ZodCoercedNumber<unknown>>>;
    readonly queuePollingSeconds: KeySpec<z.ZodDefault<z.ZodCoercedNumber<unknown>>>;
    readonly shutdownTimeoutMs: KeySpec<z.ZodDefault<z.ZodCoercedNumber<unknown>>>;
    readonly role: KeySpec<z.ZodDefault<z.ZodEnum<{
        all: "all";
        intake: "intake";
    }>>>;
    readonly exitOnSigterm: KeySpec<z.ZodDefault<z.ZodPipe<z.ZodEnum<{
        0: "0";
        1: "1";
        true: "true";
        false: "false";
    }>, z.ZodTransform<boolean, "0" | "1" | "true" | "false">>>>;
};
type Keys = typeof configKeys;
export type Config = Readonly<{
    [K in keyof Keys]: z.output<Keys[K]['schema']>;
}>;
export declare class ConfigError extends Error {
    readonly code = "config_invalid";
    readonly problems: string[];
    constructor(problems: string[]);
}
/** Reads every key from `env`, validates it, and returns a frozen Config or throws one ConfigError naming each bad key. */
export declare function loadConfig(env?: Record<string, string | undefined>): Config;
/** The config as it may be logged: secrets replaced, a database URL reduced to its host. */
export declare function redactedConfig(config: Config): Record<string, unknown>;
/** Markdown table of every key, for the README (`npm run -w proxy-service config-doc`). */
export declare function configTable(): string;
export {};
