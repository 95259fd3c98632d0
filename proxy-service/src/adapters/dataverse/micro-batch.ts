// Micro-batching: the reads and change sets of several payments travel in one $batch request. Service
// protection counts every HTTP request against 6,000 per 5 minutes per user but charges execution time per
// operation (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits), so putting several
// payments in one request keeps the request count from being the binding limit.
//
// Each payment keeps its own change set: Dataverse runs each change set as one transaction and, with
// `Prefer: odata.continue-on-error`, goes on with the next item after a failed one
// (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api),
// so one payment's failure is that payment's error alone; the others are committed.
//
// A batch is sent when it is full (operations or items) or when its first item has waited `maxWaitMs`. While
// `maxInFlight` batches are already on the wire the next one keeps collecting until a slot frees: that wait
// is the one a request would spend in the gate's queue anyway, and it grows the batch instead of the request
// count. Under light load an item waits at most maxWaitMs.
import type { AppError } from '../../errors.ts';
import type { BatchItem, BatchItemOutcome, BatchOp, ChangeSetResult, DataversePort } from './types.ts';

export interface MicroBatchOptions {
  /** longest wait of an item before its batch is sent (when a slot is free) */
  maxWaitMs: number;
  /** operations per $batch (Dataverse allows 1,000) */
  maxOperations: number;
  /** batches on the wire at once (e.g. one per application user) */
  maxInFlight: number;
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void } | number;
  clearTimer?: (t: ReturnType<NonNullable<MicroBatchOptions['setTimer']>>) => void;
}

interface Waiting {
  item: BatchItem;
  size: number;
  resolve: (o: BatchItemOutcome) => void;
  reject: (e: unknown) => void;
}

export interface MicroBatcher {
  submit(item: BatchItem): Promise<BatchItemOutcome>;
  /** sends what is collected now (shutdown, tests) */
  flush(): void;
  /** items collected and not yet sent */
  readonly waiting: number;
  readonly stats: { batches: number; items: number };
}

export function createMicroBatcher(
  send: (items: BatchItem[]) => Promise<BatchItemOutcome[]>,
  options: MicroBatchOptions,
): MicroBatcher {
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((t: unknown) => clearTimeout(t as Parameters<typeof clearTimeout>[0]));
  const maxOps = Math.max(1, Math.min(1000, options.maxOperations));
  const queue: Waiting[] = [];
  let queuedOps = 0;
  let inFlight = 0;
  let timer: ReturnType<typeof setTimer> | undefined;
  /** the first waiting item has waited maxWaitMs: send as soon as a slot is free */
  let due = false;
  const stats = { batches: 0, items: 0 };

  const startTimer = () => {
    if (timer !== undefined || queue.length === 0) return;
    timer = setTimer(() => {
      timer = undefined;
      due = true;
      pump();
    }, options.maxWaitMs);
    if (typeof timer === 'object') timer.unref?.();
  };

  function take(): Waiting[] {
    const out: Waiting[] = [];
    let ops = 0;
    while (queue.length && (out.length === 0 || ops + queue[0]!.size <= maxOps)) {
      const w = queue.shift()!;
      ops += w.size;
      out.push(w);
    }
    queuedOps -= ops;
    return out;
  }

  function pump(): void {
    while (inFlight < options.maxInFlight && queue.length && (due || queuedOps >= maxOps)) {
      const batch = take();
      if (queue.length === 0) due = false;
      if (timer !== undefined && queue.length === 0) {
        clearTimer(timer);
        timer = undefined;
      }
      inFlight++;
      stats.batches++;
      stats.items += batch.length;
      send(batch.map((w) => w.item))
        .then(
          (outcomes) => batch.forEach((w, i) => w.resolve(outcomes[i]!)),
          (err: unknown) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          inFlight--;
          pump();
        });
    }
    startTimer();
  }

  return {
    stats,
    get waiting() {
      return queue.length;
    },
    submit(item) {
      return new Promise<BatchItemOutcome>((resolve, reject) => {
        const size = 'get' in item ? 1 : item.changeSet.length;
        queue.push({ item, size, resolve, reject });
        queuedOps += size;
        pump();
      });
    },
    flush() {
      due = true;
      pump();
    },
  };
}

/** The flows' port with reads and change sets micro-batched; everything else goes straight to `inner`. */
export function withMicroBatching(
  inner: DataversePort & { batch(items: BatchItem[]): Promise<BatchItemOutcome[]> },
  options: MicroBatchOptions,
): DataversePort & { batcher: MicroBatcher } {
  const batcher = createMicroBatcher((items) => inner.batch(items), options);
  const fail = (o: BatchItemOutcome): o is { error: AppError } => 'error' in o;
  return {
    ...inner,
    batcher,
    get: inner.get.bind(inner),
    query: inner.query.bind(inner),
    update: inner.update.bind(inner),
    stats: inner.stats.bind(inner),
    batch: inner.batch.bind(inner),
    async readBatch(paths: string[]) {
      const outcomes = await Promise.all(paths.map((get) => batcher.submit({ get })));
      return outcomes.map((o) => {
        if (fail(o)) throw o.error;
        return 'record' in o ? o.record : null;
      });
    },
    async changeSet(ops: BatchOp[]): Promise<ChangeSetResult[]> {
      if (ops.length === 0) return [];
      const o = await batcher.submit({ changeSet: ops });
      if (fail(o)) throw o.error;
      return 'results' in o ? o.results : [];
    },
  };
}
