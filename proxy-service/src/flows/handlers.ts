// What runs for each action: the registry of business flows. An action without a flow here is not
// consumed: its events are parked (queue/parked-events.ts) and run once a start registers its flow.
import type { Sql } from '../adapters/store/store.ts';
import type { Logger } from '../logger.ts';
import type { EventAction } from './event-actions.ts';

export interface HandlerContext {
  inboxId: string;
  eventId: string;
  eventType: string;
  action: EventAction;
  attempt: number;
  /** Set when this run replays a dead letter (an admin or a Retry from D365 asked for it): its id. */
  replayOf?: string;
  event: unknown;
  store: Sql;
  log: Logger;
}

export type Handler = (ctx: HandlerContext) => Promise<void>;
/** Only the actions whose flow exists (and whose target systems are configured). */
export type Handlers = Partial<Record<EventAction, Handler>>;

/** A handler that records each run in handler_runs: the queue's own tests count runs with it. */
export const recordRun: Handler = async (ctx) => {
  await ctx.store.query(`INSERT INTO handler_runs (inbox_id, action, attempt) VALUES ($1::bigint, $2, $3)`, [
    ctx.inboxId,
    ctx.action,
    ctx.attempt,
  ]);
};

/** The registry of the given flows, without the actions they leave out. */
export function buildHandlers(flows: Handlers = {}): Handlers {
  return Object.fromEntries(Object.entries(flows).filter(([, h]) => h !== undefined));
}
