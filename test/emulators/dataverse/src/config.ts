// Emulator configuration: every key has a default; createServer(config) takes a partial.
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { ServiceProtectionLimits } from './limits.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { EMULATOR_TENANT_ID } from './users.ts';
import type { SeedUser } from './users.ts';

export interface DataverseEmulatorConfig {
  /** listen address (default 127.0.0.1) */
  host: string;
  /** listen port; 0 = any free port (default 0) */
  port: number;
  /** postgres://… to use PostgreSQL; default: in-memory PGlite */
  databaseUrl?: string;
  /** PostgreSQL schema for the tables when databaseUrl is set (default `dataverse`) */
  schema: string;
  /** unpacked solution folder (SolutionPackager layout); null = standard tables only */
  solutionDir: string | URL | null;
  /** service protection limits (defaults: api-limits.md) */
  limits: ServiceProtectionLimits;
  clock: Clock;
  tenantId: string;
  organizationName: string;
  /** webhook POST timeout (Dataverse: 60 s) */
  webhookTimeoutMs: number;
  /** extra users to seed */
  users: SeedUser[];
  /** maximum request body (bytes) before 413 */
  maxBodyBytes: number;
}

export const DEFAULT_SOLUTION_DIR = new URL('../../../../solution/src/', import.meta.url);

export function resolveConfig(partial: Partial<DataverseEmulatorConfig> = {}): DataverseEmulatorConfig {
  return {
    host: partial.host ?? '127.0.0.1',
    port: partial.port ?? 0,
    databaseUrl: partial.databaseUrl,
    schema: partial.schema ?? 'dataverse',
    solutionDir: partial.solutionDir === undefined ? DEFAULT_SOLUTION_DIR : partial.solutionDir,
    limits: {
      ...DEFAULT_LIMITS,
      ...(partial.limits ?? {}),
      costMs: { ...DEFAULT_LIMITS.costMs, ...(partial.limits?.costMs ?? {}) },
    },
    clock: partial.clock ?? systemClock,
    tenantId: partial.tenantId ?? EMULATOR_TENANT_ID,
    organizationName: partial.organizationName ?? 'emulator',
    webhookTimeoutMs: partial.webhookTimeoutMs ?? 60_000,
    users: partial.users ?? [],
    maxBodyBytes: partial.maxBodyBytes ?? 32 * 1024 * 1024,
  };
}
