// The naive baseline for `bench o2c`: every operation its own HTTP request (no $batch, no change set,
// no atomicity), every read its own GET: what a connector without batching sends.
import type { BatchOp, DataversePort } from '@ppc/proxy-service';

export function naiveDataverse(inner: DataversePort): DataversePort {
  return {
    ...inner,
    get: inner.get.bind(inner),
    query: inner.query.bind(inner),
    update: inner.update.bind(inner),
    stats: inner.stats.bind(inner),
    async readBatch(paths) {
      const out: (Record<string, unknown> | null)[] = [];
      for (const p of paths) out.push(...(await inner.readBatch([p])));
      return out;
    },
    async changeSet(ops) {
      const urls = new Map<string, string>();
      const resolve = (v: string) => v.replace(/^\$(\d+)/, (m, id: string) => urls.get(id) ?? m);
      const results = [];
      for (const op of ops) {
        const body = op.body
          ? Object.fromEntries(
              Object.entries(op.body).map(([k, v]) => [
                k,
                k.endsWith('@odata.bind') && typeof v === 'string' ? resolve(v) : v,
              ]),
            )
          : undefined;
        // Deep-inserted lines keep their own binds; those never reference Content-IDs.
        const single: BatchOp = { ...op, url: resolve(op.url).replace(/^\//, ''), ...(body ? { body } : {}) };
        delete single.contentId;
        const [r] = await inner.changeSet([single]);
        if (op.contentId && r?.entityUrl) urls.set(op.contentId, `/${r.entityUrl.split('/api/data/v9.2/')[1]}`);
        results.push(r!);
      }
      return results;
    },
  };
}
