import { pino, type Logger } from 'pino';
export declare const REDACT_PATHS: string[];
export declare function createLogger(level: string, destination?: pino.DestinationStream): Logger;
export type { Logger };
