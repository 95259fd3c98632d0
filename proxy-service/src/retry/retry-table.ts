// The one retry table: per failure class, whether it is retryable and how many attempts each layer makes.
// Layers nest (job → order-to-cash re-plan → PayPal call / Dataverse request), so their attempts are chosen
// together: the inline layers only make a quick second attempt within one job, never a long wait; the job
// queue owns the long backoff. The worst case per event is the product, computed here and printed in the
// README ("Retries"), which a test compares with this file.
import type { FailureClass } from './failure-class.ts';

export type RetryLayer = 'paypal' | 'dataverse' | 'replan' | 'queue';

export interface ClassRule {
  retryable: boolean;
  /** what answers with it, for the README */
  what: string;
  /** Attempts, the first included, of one PayPal call / one Dataverse request / one order-to-cash change set
   * (1: that layer does not retry it, the error goes up). */
  paypal: number;
  dataverse: number;
  replan: number;
  /** the job queue retries it, up to JOB_MAX_ATTEMPTS */
  queue: boolean;
  /** the answer may carry Retry-After, honoured as the least wait */
  retryAfter: boolean;
}

export const RETRY_TABLE: Readonly<Record<FailureClass, ClassRule>> = {
  throttled: {
    retryable: true,
    what: 'PayPal 429 (API or token endpoint), a Dataverse 429 without a service protection code',
    paypal: 2,
    dataverse: 2,
    replan: 1,
    queue: true,
    retryAfter: true,
  },
  service_protection: {
    retryable: true,
    what: 'Dataverse 429 service protection (0x80072322, 0x80072321, 0x80072326); the per-user gate pauses every request',
    paypal: 1,
    dataverse: 3,
    replan: 1,
    queue: true,
    retryAfter: true,
  },
  unavailable: {
    retryable: true,
    what: 'PayPal or Dataverse 5xx, 408',
    paypal: 2,
    dataverse: 2,
    replan: 1,
    queue: true,
    retryAfter: true,
  },
  network: {
    retryable: true,
    what: 'no answer: connection refused/reset, DNS, per-attempt timeout',
    paypal: 2,
    dataverse: 2,
    replan: 1,
    queue: true,
    retryAfter: false,
  },
  in_progress: {
    retryable: true,
    what: 'PayPal 409 PREVIOUS_REQUEST_IN_PROGRESS (same PayPal-Request-Id)',
    paypal: 2,
    dataverse: 1,
    replan: 1,
    queue: true,
    retryAfter: false,
  },
  conflict: {
    retryable: true,
    what: 'Dataverse 412: a record read changed, or was created meanwhile',
    paypal: 1,
    dataverse: 1,
    replan: 3,
    queue: true,
    retryAfter: false,
  },
  not_yet_recorded: {
    retryable: true,
    what: 'the payment a refund or reversal belongs to is not in Dataverse yet',
    paypal: 1,
    dataverse: 1,
    replan: 1,
    queue: true,
    retryAfter: false,
  },
  unauthorized: {
    retryable: false,
    what: 'PayPal or Dataverse 401, token refused: one fresh token, then a dead letter',
    paypal: 2,
    dataverse: 2,
    replan: 1,
    queue: false,
    retryAfter: false,
  },
  rejected: {
    retryable: false,
    what: 'any other 4xx, our validation',
    paypal: 1,
    dataverse: 1,
    replan: 1,
    queue: false,
    retryAfter: false,
  },
  bug: {
    retryable: false,
    what: 'anything unexpected',
    paypal: 1,
    dataverse: 1,
    replan: 1,
    queue: false,
    retryAfter: false,
  },
};

/** Backoff of the inline layers (PayPal call, Dataverse request): a quick second attempt, never a long wait. */
export const INLINE = {
  baseMs: 250,
  maxMs: 1_000,
  /** A longer Retry-After is not slept through inline: the error goes to the queue, which waits it out. */
  maxWaitMs: 5_000,
  /** per HTTP attempt, PayPal and Dataverse */
  timeoutMs: 30_000,
} as const;

/** A Retry-After longer than this is treated as a misbehaving server and capped. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** The job queue's policy: JOB_MAX_ATTEMPTS, RETRY_BASE_MS, RETRY_MAX_MS (config.ts). */
export interface QueuePolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/** Attempts this layer makes of a failure of this class, the first included. */
export function attemptsAt(failure: FailureClass, layer: RetryLayer, queue: QueuePolicy): number {
  const rule = RETRY_TABLE[failure];
  if (layer === 'queue') return rule.queue ? queue.maxAttempts : 1;
  return rule[layer];
}

/** The backoff ceiling before retry number `attempt` (full jitter draws the wait uniformly below it). */
export function backoffCeiling(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}

export interface WorstCase {
  paypal: number;
  dataverse: number;
  replan: number;
  queue: number;
  /** attempts of the failing request per event: inline × re-plan × jobs */
  perEvent: number;
  /** every backoff at its ceiling, timeouts in full, no Retry-After */
  ms: number;
  /** as ms, with every answer asking a Retry-After at the cap (inline 5 s, queue 1 h); undefined when the class has none */
  msWithRetryAfter: number | undefined;
}

/** The most attempts and the longest time one event can spend on one class of failure before it is done or dead-lettered. */
export function worstCase(failure: FailureClass, queue: QueuePolicy): WorstCase {
  const rule = RETRY_TABLE[failure];
  const inline = Math.max(rule.paypal, rule.dataverse);
  const jobs = attemptsAt(failure, 'queue', queue);
  // conflicts re-plan at once and a 401 retries with a fresh token at once: no wait inline
  const waitsInline = failure !== 'conflict' && failure !== 'unauthorized';
  const perJob = (retryAfterCap: number) => {
    let ms = failure === 'network' ? inline * INLINE.timeoutMs : 0;
    if (waitsInline)
      for (let n = 1; n < inline; n++) ms += Math.max(backoffCeiling(n, INLINE.baseMs, INLINE.maxMs), retryAfterCap);
    return ms;
  };
  const total = (inlineCap: number, queueCap: number) => {
    let ms = jobs * perJob(inlineCap);
    for (let n = 1; n < jobs; n++) ms += Math.max(backoffCeiling(n, queue.baseMs, queue.maxMs), queueCap);
    return ms;
  };
  return {
    paypal: rule.paypal,
    dataverse: rule.dataverse,
    replan: rule.replan,
    queue: jobs,
    perEvent: inline * rule.replan * jobs,
    ms: total(0, 0),
    msWithRetryAfter: rule.retryAfter ? total(INLINE.maxWaitMs, MAX_RETRY_AFTER_MS) : undefined,
  };
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', rest ? `${rest} s` : ''].filter(Boolean).join(' ');
}

/** The README's retry table for this queue policy (the defaults: `npm run -w @ppc/proxy-service retry-doc`). */
export function retryTableMarkdown(queue: QueuePolicy): string {
  const n = (x: number) => (x > 1 ? String(x) : '–');
  const rows = (Object.keys(RETRY_TABLE) as FailureClass[]).map((failure) => {
    const rule = RETRY_TABLE[failure];
    const w = worstCase(failure, queue);
    return `| \`${failure}\` | ${rule.what} | ${rule.retryable ? 'yes' : 'no'} | ${n(w.paypal)} | ${n(w.dataverse)} | ${n(w.replan)} | ${n(w.queue)} | ${w.perEvent} | ${formatDuration(w.ms)} | ${w.msWithRetryAfter === undefined ? '–' : formatDuration(w.msWithRetryAfter)} |`;
  });
  return [
    '| failure class | what | retryable | PayPal call | Dataverse request | order-to-cash re-plan | job queue | attempts per event | worst-case time | with Retry-After at its cap |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
