// What runs for each action. Until a business flow is plugged in (order-to-cash, refunds, …), an action
// records that it ran, so an event already travels intake → inbox → job → handler → done or dead letter.
import type { Sql } from '../adapters/store/store.ts';
import type { Logger } from '../logger.ts';
import { ALL_ACTIONS, type EventAction } from './event-actions.ts';

export interface HandlerContext {
  inboxId: string;
  eventId: string;
  eventType: string;
  action: EventAction;
  attempt: number;
  event: unknown;
  store: Sql;
  log: Logger;
}

export type Handler = (ctx: HandlerContext) => Promise<void>;
export type Handlers = Record<EventAction, Handler>;

export const recordRun: Handler = async (ctx) => {
  await ctx.store.query(`INSERT INTO handler_runs (inbox_id, action, attempt) VALUES ($1::bigint, $2, $3)`, [
    ctx.inboxId,
    ctx.action,
    ctx.attempt,
  ]);
};

/** Every action mapped to recordRun, with the given flows plugged in over it. */
export function buildHandlers(flows: Partial<Handlers> = {}): Handlers {
  return Object.fromEntries(ALL_ACTIONS.map((a) => [a, flows[a] ?? recordRun])) as Handlers;
}
