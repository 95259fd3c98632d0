// What every data operation gets: the open transaction, the model, the caller and the clock,
// plus the hooks that run webhook steps and the work to do once the transaction commits.
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import type { EntityMeta, Model } from '../metadata/model.ts';
import type { Queryable } from '../storage/database.ts';

export type Row = Record<string, unknown>;

export type PipelineMessage = 'Create' | 'Update' | 'Delete' | 'SetState' | 'SetStateDynamicEntity';

export interface PipelineEvent {
  message: PipelineMessage;
  entity: EntityMeta;
  id: string;
  /** attributes the request wrote (logical names, storage values) */
  target: Row;
  pre?: Row;
  post?: Row;
}

export interface Pipeline {
  /** Runs sync steps now (a failure throws and rolls back) and queues async steps for after commit. */
  run(ctx: OpContext, event: PipelineEvent): Promise<void>;
  /** whether any step listens to this message on this table (lets writes skip reading the row back) */
  listens(ctx: OpContext, message: PipelineMessage, entity: string): Promise<boolean>;
}

/** Per-emulator lookups that rarely change (cleared whenever a transactioncurrency row is written). */
export interface DataCache {
  baseCurrencyId?: string | null;
  rates: Map<string, unknown>;
}

export function emptyCache(): DataCache {
  return { rates: new Map() };
}

export interface OpContext {
  cache: DataCache;
  tx: Queryable;
  model: Model;
  user: Principal;
  clock: Clock;
  orgUrl: string;
  pipeline?: Pipeline;
  afterCommit: (() => void)[];
  correlationId: string;
  depth: number;
  /** called after commit when role assignments changed (principal caches) */
  onSecurityChange?: () => void;
}

export const API_PATH = '/api/data/v9.2/';
