// The collector alone (no I/O): when a batch leaves, what it holds, and whose promise gets which outcome.
import { describe, expect, it } from '@jest/globals';
import { createMicroBatcher } from '../../../src/adapters/dataverse/micro-batch.ts';
import { buildBatch } from '../../../src/adapters/dataverse/change-set.ts';
import type { BatchItem, BatchItemOutcome } from '../../../src/adapters/dataverse/types.ts';
import { errors } from '../../../src/errors.ts';

function harness(options: { maxOperations?: number; maxInFlight?: number } = {}) {
  const timers: (() => void)[] = [];
  const sent: { items: BatchItem[]; answer: (o: BatchItemOutcome[]) => void; fail: (e: unknown) => void }[] = [];
  const batcher = createMicroBatcher((items) => new Promise((answer, fail) => sent.push({ items, answer, fail })), {
    maxWaitMs: 20,
    maxOperations: options.maxOperations ?? 100,
    maxInFlight: options.maxInFlight ?? 1,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => undefined,
  });
  const fire = () => timers.splice(0).forEach((fn) => fn());
  return { batcher, sent, fire };
}

const turn = () => new Promise((r) => setImmediate(r));
const set = (n: number): BatchItem => ({
  changeSet: Array.from({ length: n }, (_, i) => ({ method: 'PATCH' as const, url: `contacts(${i})`, body: {} })),
});

describe('micro-batch collector', () => {
  it('sends what arrived within the wait as one batch, and each caller gets its own outcome', async () => {
    const { batcher, sent, fire } = harness();
    const a = batcher.submit({ get: 'contacts(1)' });
    const b = batcher.submit(set(3));
    const c = batcher.submit(set(2));
    expect(sent).toHaveLength(0);
    fire();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.items).toHaveLength(3);
    const refused = errors.validation('too long');
    sent[0]!.answer([{ record: { contactid: '1' } }, { error: refused }, { results: [] }]);
    expect(await a).toEqual({ record: { contactid: '1' } });
    expect(await b).toEqual({ error: refused });
    expect(await c).toEqual({ results: [] });
  });

  it('sends at once when full, never more operations than allowed, one batch on the wire at a time', async () => {
    const { batcher, sent, fire } = harness({ maxOperations: 5 });
    void batcher.submit(set(3));
    void batcher.submit(set(3)); // 6 ≥ 5: the first goes now, alone
    expect(sent.map((s) => s.items.length)).toEqual([1]);
    void batcher.submit(set(2));
    fire(); // due, but the one slot is taken: the rest keeps collecting
    expect(sent).toHaveLength(1);
    sent[0]!.answer([{ results: [] }]);
    await turn();
    expect(sent.map((s) => s.items.length)).toEqual([1, 2]);
  });

  it('a refused request (e.g. 429 after retries) fails every caller in it', async () => {
    const { batcher, sent, fire } = harness();
    const a = batcher.submit(set(1));
    const b = batcher.submit({ get: 'x' });
    fire();
    const err = errors.remote('dataverse', 503, 'down');
    sent[0]!.fail(err);
    await expect(a).rejects.toBe(err);
    await expect(b).rejects.toBe(err);
  });
});

describe('mixed $batch body', () => {
  it('numbers Content-IDs batch-wide and rewrites each change set’s own $n references', () => {
    let n = 0;
    const built = buildBatch(
      'https://org.crm.dynamics.com',
      [
        {
          changeSet: [
            { method: 'POST', url: 'salesorders', body: {}, contentId: '1' },
            { method: 'PATCH', url: '$1', body: {} },
          ],
        },
        { get: 'contacts(1)' },
        {
          changeSet: [
            { method: 'POST', url: 'salesorders', body: {}, contentId: '1' },
            { method: 'PATCH', url: 'x(1)', body: { 'a@odata.bind': '$1' } },
          ],
        },
      ],
      () => `id${++n}`,
    );
    expect(built.contentIds).toEqual([['1', '2'], [], ['3', '4']]);
    expect(built.body).toContain('PATCH $1 HTTP/1.1');
    expect(built.body).toContain('{"a@odata.bind":"$3"}');
    expect(built.body.match(/Content-Type: multipart\/mixed; boundary=changeset_/g)).toHaveLength(2);
  });
});
