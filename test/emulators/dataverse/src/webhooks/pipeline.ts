// Runs registered webhook steps (sdkmessageprocessingstep → serviceendpoint, contract 8) for
// Create/Update/Delete/SetState. Sync steps (mode 0) are POSTed inside the transaction and a failure
// rolls the operation back; async steps (mode 1) are queued and sent only after commit, failures
// recorded as system jobs (asyncoperation statuscode 31). 60 s timeout; one retry on 502/503/504
// (use-webhooks.md, register-web-hook.md).
import { randomUUID } from 'node:crypto';
import type { OpContext, Pipeline, PipelineEvent } from '../data/context.ts';
import { Errors } from '../errors.ts';
import { parseXml, children, attrOf } from '../metadata/xml.ts';
import { remoteExecutionContext } from './remote-context.ts';
import type { ContextInfo, StepInfo } from './remote-context.ts';

const STEP_TABLES = new Set([
  'sdkmessageprocessingstep',
  'sdkmessageprocessingstepimage',
  'serviceendpoint',
  'sdkmessagefilter',
  'sdkmessage',
]);
const MAX_BODY = 256 * 1024;

interface RegisteredStep extends StepInfo {
  message: string;
  entity: string | null;
  filteringAttributes: string[];
  rank: number;
  endpointId: string;
  url: string;
  authType: number | null;
  authValue: string | null;
}

export interface Delivery {
  id: string;
  at: string;
  stepId: string;
  stepName: string;
  endpointId: string;
  url: string;
  message: string;
  entity: string;
  recordId: string;
  mode: number;
  attempts: number;
  httpStatus?: number;
  outcome: 'succeeded' | 'failed';
  error?: string;
  body: Record<string, unknown>;
}

export interface PipelineOptions {
  info: () => Omit<ContextInfo, 'userId' | 'userAadObjectId' | 'correlationId' | 'depth' | 'nowMs'>;
  /** organization host sent as x-ms-dynamics-organization (e.g. contoso.crm.dynamics.com; here 127.0.0.1:port) */
  organizationHost: () => string;
  timeoutMs: number;
  log: Delivery[];
  recordAsyncFailure: (step: RegisteredStep, ev: PipelineEvent, error: string, nowMs: number) => Promise<void>;
  /** pending async deliveries, so tests and reset can wait for them */
  pending: Set<Promise<void>>;
}

export class WebhookPipeline implements Pipeline {
  private cache: RegisteredStep[] | undefined;
  private readonly opts: PipelineOptions;
  constructor(opts: PipelineOptions) {
    this.opts = opts;
  }

  invalidate(): void {
    this.cache = undefined;
  }

  private async steps(ctx: OpContext): Promise<RegisteredStep[]> {
    if (this.cache) return this.cache;
    const r = await ctx.tx.query<Record<string, unknown>>(
      `SELECT s.sdkmessageprocessingstepid AS id, s.name, s.stage, s.mode, s.rank, s.filteringattributes,
              m.name AS message, f.primaryobjecttypecode AS entity,
              e.serviceendpointid AS endpointid, e.url, e.authtype, e.authvalue
         FROM "t_sdkmessageprocessingstep" s
         JOIN "t_sdkmessage" m ON m.sdkmessageid = s.sdkmessageid
         LEFT JOIN "t_sdkmessagefilter" f ON f.sdkmessagefilterid = s.sdkmessagefilterid
         JOIN "t_serviceendpoint" e ON e.serviceendpointid = s.eventhandler
        WHERE s.statecode = 0 AND e.contract = 8`,
    );
    const images = await ctx.tx.query<Record<string, unknown>>(
      `SELECT sdkmessageprocessingstepid AS stepid, entityalias, name, imagetype, attributes FROM "t_sdkmessageprocessingstepimage"`,
    );
    this.cache = r.rows.map((s) => ({
      id: String(s.id),
      name: String(s.name ?? ''),
      stage: Number(s.stage ?? 40),
      mode: Number(s.mode ?? 0),
      rank: Number(s.rank ?? 1),
      message: String(s.message),
      entity: s.entity ? String(s.entity) : null,
      filteringAttributes: String(s.filteringattributes ?? '')
        .split(',')
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
      endpointId: String(s.endpointid),
      url: String(s.url ?? ''),
      authType: s.authtype === null || s.authtype === undefined ? null : Number(s.authtype),
      authValue: s.authvalue === null || s.authvalue === undefined ? null : String(s.authvalue),
      images: images.rows
        .filter((i) => i.stepid === s.id)
        .map((i) => ({
          alias: String(i.entityalias ?? i.name ?? 'Image'),
          imageType: Number(i.imagetype ?? 1),
          attributes: i.attributes ? String(i.attributes) : undefined,
        })),
    }));
    return this.cache;
  }

  async listens(ctx: OpContext, message: string, entity: string): Promise<boolean> {
    if (STEP_TABLES.has(entity)) return true;
    return (await this.steps(ctx)).some((s) => s.message === message && (s.entity === null || s.entity === entity));
  }

  async run(ctx: OpContext, ev: PipelineEvent): Promise<void> {
    if (STEP_TABLES.has(ev.entity.logicalName)) {
      this.invalidate();
      ctx.afterCommit.push(() => this.invalidate());
      return;
    }
    const steps = (await this.steps(ctx))
      .filter((s) => s.message === ev.message && (s.entity === null || s.entity === ev.entity.logicalName))
      .filter(
        (s) =>
          ev.message !== 'Update' ||
          s.filteringAttributes.length === 0 ||
          s.filteringAttributes.some((a) => a in ev.target),
      )
      .sort((a, b) => a.stage - b.stage || a.rank - b.rank);
    for (const step of steps) {
      const info: ContextInfo = {
        ...this.opts.info(),
        userId: ctx.user.systemuserid,
        userAadObjectId: ctx.user.azureObjectId,
        correlationId: ctx.correlationId,
        depth: ctx.depth,
        nowMs: ctx.clock.now(),
      };
      const body = remoteExecutionContext(ev, step, info);
      if (step.mode === 0) {
        const d = await this.deliver(step, ev, body);
        if (d.outcome === 'failed') {
          throw Errors.pluginFailed(`Webhook step '${step.name}' failed: ${d.error ?? `HTTP ${d.httpStatus}`}`);
        }
      } else {
        ctx.afterCommit.push(() => {
          const p = this.deliver(step, ev, body).then(async (d) => {
            if (d.outcome === 'failed')
              await this.opts.recordAsyncFailure(step, ev, d.error ?? `HTTP ${d.httpStatus}`, info.nowMs);
          });
          const tracked = p.catch(() => undefined).finally(() => this.opts.pending.delete(tracked));
          this.opts.pending.add(tracked);
        });
      }
    }
  }

  private async deliver(step: RegisteredStep, ev: PipelineEvent, body: Record<string, unknown>): Promise<Delivery> {
    const url = new URL(step.url);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'x-ms-dynamics-organization': this.opts.organizationHost(),
      'x-ms-dynamics-entity-name': ev.entity.logicalName,
      'x-ms-dynamics-request-name': ev.message,
      'x-ms-correlation-request-id': String(body.CorrelationId),
    };
    applyAuth(step, url, headers);
    let payload = JSON.stringify(body);
    if (Buffer.byteLength(payload) > MAX_BODY) {
      payload = JSON.stringify({
        ...body,
        ParentContext: null,
        InputParameters: [],
        PreEntityImages: [],
        PostEntityImages: [],
      });
      headers['x-ms-dynamics-msg-size-exceeded'] = 'true';
    }
    const d: Delivery = {
      id: randomUUID(),
      at: new Date().toISOString(),
      stepId: step.id,
      stepName: step.name,
      endpointId: step.endpointId,
      url: step.url,
      message: ev.message,
      entity: ev.entity.logicalName,
      recordId: ev.id,
      mode: step.mode,
      attempts: 0,
      outcome: 'failed',
      body,
    };
    for (let attempt = 1; attempt <= 2; attempt++) {
      d.attempts = attempt;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers,
          body: payload,
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        d.httpStatus = res.status;
        if (res.ok) {
          d.outcome = 'succeeded';
          break;
        }
        d.error = `HTTP ${res.status}`;
        if (![502, 503, 504].includes(res.status)) break;
      } catch (e) {
        d.error = e instanceof Error ? e.message : String(e);
        break;
      }
    }
    this.opts.log.push(d);
    // keep the inspection log bounded for long benchmark runs
    if (this.opts.log.length > 10_000) this.opts.log.splice(0, this.opts.log.length - 10_000);
    return d;
  }
}

/** AuthValue: WebhookKey = the key (`?code=`); HttpHeader / HttpQueryString = `<settings><setting name value/></settings>`. */
function applyAuth(step: RegisteredStep, url: URL, headers: Record<string, string>): void {
  if (!step.authValue) return;
  if (step.authType === 4) {
    url.searchParams.set('code', step.authValue);
    return;
  }
  const pairs = settings(step.authValue);
  if (step.authType === 5) for (const [k, v] of pairs) headers[k] = v;
  if (step.authType === 6) for (const [k, v] of pairs) url.searchParams.set(k, v);
}

function settings(value: string): [string, string][] {
  if (value.trim().startsWith('<')) {
    const doc = parseXml(value);
    const root = (doc.settings ?? {}) as Record<string, unknown>;
    return children(root, 'setting').map(
      (s) => [attrOf(s, 'name') ?? '', attrOf(s, 'value') ?? ''] as [string, string],
    );
  }
  return value
    .split(/\r?\n/)
    .map((l) => l.split(':'))
    .filter((p) => p.length >= 2)
    .map((p) => [String(p[0]).trim(), p.slice(1).join(':').trim()] as [string, string]);
}

export type { RegisteredStep };
