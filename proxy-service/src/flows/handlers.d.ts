import type { Sql } from '../adapters/store/store.ts';
import type { Logger } from '../logger.ts';
import { type PayPalAction } from './paypal-actions.ts';
export interface HandlerContext {
    inboxId: string;
    eventId: string;
    eventType: string;
    action: PayPalAction;
    attempt: number;
    event: unknown;
    store: Sql;
    log: Logger;
}
export type Handler = (ctx: HandlerContext) => Promise<void>;
export type Handlers = Record<PayPalAction, Handler>;
export declare const recordRun: Handler;
/** Every action mapped to recordRun, with the given flows plugged in over it. */
export declare function buildHandlers(flows?: Partial<Handlers>): Handlers;
