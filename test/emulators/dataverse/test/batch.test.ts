// Atomic change sets: a change set with one failing operation leaves no trace of the others.
// Plus $batch rules from execute-batch-operations-using-web-api.md: Content-ID references, unknown
// references, GET outside change sets only, continue-on-error, the 1000-request cap.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '../src/index.ts';
import { api, startEmulator, unique } from './helpers.ts';

let em: DataverseEmulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.close();
});

interface Op {
  method: string;
  url: string;
  body?: unknown;
  contentId?: string;
}

function httpPart(op: Op): string[] {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (op.contentId) lines.push(`Content-ID: ${op.contentId}`);
  lines.push('', `${op.method} ${op.url} HTTP/1.1`);
  if (op.body !== undefined) lines.push('Content-Type: application/json; type=entry');
  lines.push('', op.body === undefined ? '' : JSON.stringify(op.body));
  return lines;
}

/** Builds a multipart/mixed $batch body: arrays are change sets, single ops stand alone. */
function batch(items: (Op | Op[])[]): { body: string; contentType: string } {
  const b = `batch_${unique('b')}`;
  const out: string[] = [];
  items.forEach((item, i) => {
    out.push(`--${b}`);
    if (Array.isArray(item)) {
      const cs = `changeset_${i}`;
      out.push(`Content-Type: multipart/mixed; boundary=${cs}`, '');
      for (const op of item) out.push(`--${cs}`, ...httpPart(op));
      out.push(`--${cs}--`);
    } else out.push(...httpPart(item));
  });
  out.push(`--${b}--`, '');
  return { body: out.join('\r\n'), contentType: `multipart/mixed; boundary=${b}` };
}

async function send(items: (Op | Op[])[], headers: Record<string, string> = {}) {
  const { body, contentType } = batch(items);
  return api(em, 'POST', '$batch', { body, headers: { 'Content-Type': contentType, ...headers } });
}

async function count(filter: string, set = 'ppc_samples'): Promise<number> {
  const r = await api(em, 'GET', `${set}/$count?$filter=${encodeURIComponent(filter)}`);
  return Number(r.text);
}

describe('$batch', () => {
  it('commits a change set and resolves Content-ID references ($1) in URLs and bindings', async () => {
    const name = unique('ok');
    const r = await send([
      [
        { method: 'POST', url: '/api/data/v9.2/contacts', body: { lastname: name }, contentId: '1' },
        {
          method: 'POST',
          url: 'ppc_samples',
          body: { ppc_name: name, 'ppc_ContactId@odata.bind': '$1' },
          contentId: '2',
        },
        { method: 'PATCH', url: '$1', body: { firstname: 'Ada' }, contentId: '3' },
      ],
      { method: 'GET', url: `contacts?$filter=lastname eq '${name}'&$select=fullname` },
    ]);
    expect(`${r.status} ${r.text}`).toMatch(/^200 /);
    expect(r.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
    expect(r.text).toMatch(/--changesetresponse_/);
    expect((r.text.match(/HTTP\/1.1 204 No Content/g) ?? []).length).toBe(3);
    expect(r.text).toContain(`"fullname":"Ada ${name}"`);
    expect(await count(`ppc_name eq '${name}'`)).toBe(1);
  });

  it('rolls back the whole change set when one operation fails', async () => {
    const name = unique('atomic');
    const r = await send([
      [
        { method: 'POST', url: 'contacts', body: { lastname: name }, contentId: '1' },
        { method: 'POST', url: 'ppc_samples', body: { ppc_name: name, ppc_externalid: name } },
        { method: 'POST', url: 'ppc_samples', body: { ppc_name: name, ppc_kind: 7 } },
      ],
    ]);
    expect(r.status).toBe(400);
    expect(r.text).toContain('0x8004431a');
    expect(await count(`ppc_name eq '${name}'`)).toBe(0);
    expect(await count(`lastname eq '${name}'`, 'contacts')).toBe(0);
  });

  it('rejects an undeclared Content-ID reference', async () => {
    const r = await send([
      [{ method: 'POST', url: 'ppc_samples', body: { ppc_name: 'x', 'ppc_ContactId@odata.bind': '$9' } }],
    ]);
    expect(r.status).toBe(400);
    expect(r.text).toContain("Content-ID Reference: '$9' does not exist in the batch context.");
  });

  it('rejects GET inside a change set', async () => {
    const r = await send([[{ method: 'GET', url: 'ppc_samples' }]]);
    expect(r.status).toBe(400);
  });

  it('stops at the first error by default and continues with odata.continue-on-error', async () => {
    const a = unique('stop');
    const stop = await send([
      { method: 'POST', url: 'ppc_samples', body: { ppc_name: a, ppc_kind: 1 } },
      { method: 'POST', url: 'ppc_samples', body: { ppc_name: a } },
    ]);
    expect(stop.status).toBe(400);
    expect(await count(`ppc_name eq '${a}'`)).toBe(0);
    const b = unique('cont');
    const cont = await send(
      [
        { method: 'POST', url: 'ppc_samples', body: { ppc_name: b, ppc_kind: 1 } },
        { method: 'POST', url: 'ppc_samples', body: { ppc_name: b } },
      ],
      { Prefer: 'odata.continue-on-error' },
    );
    expect(cont.status).toBe(200);
    expect(cont.text).toContain('HTTP/1.1 400 Bad Request');
    expect(await count(`ppc_name eq '${b}'`)).toBe(1);
  });

  it('refuses more than 1000 requests', async () => {
    const ops: Op[] = Array.from({ length: 1001 }, () => ({ method: 'GET', url: 'ppc_samples?$top=1' }));
    const r = await send(ops);
    expect(r.status).toBe(400);
    expect(r.json().error).toMatchObject({
      message: 'The number of requests in the batch exceeded the limit of 1000.',
    });
  });
});
