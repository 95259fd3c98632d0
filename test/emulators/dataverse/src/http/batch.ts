// $batch executor: change sets are one database transaction each (all or nothing), Content-ID
// references ($n) resolve to earlier results in the same change set, GETs are not allowed inside
// change sets, at most 1000 requests, and without `Prefer: odata.continue-on-error` processing stops
// at the first failure (execute-batch-operations-using-web-api.md).
import { randomUUID } from 'node:crypto';
import type { OpContext } from '../data/context.ts';
import { API_PATH } from '../data/context.ts';
import { Errors, normalizeError } from '../errors.ts';
import type { DataverseError } from '../errors.ts';
import { parseBatch, renderBatch } from './multipart.ts';
import type { HttpPart, PartResponse, ResponseItem } from './multipart.ts';
import type { ApiRequest, ApiResponse } from './types.ts';
import { parsePrefer } from './types.ts';

export const MAX_BATCH_REQUESTS = 1000;

export interface BatchEnv {
  orgUrl: string;
  transaction<T>(fn: (ctx: OpContext) => Promise<T>): Promise<T>;
  handle(req: ApiRequest, ctx: OpContext): Promise<ApiResponse>;
  /** charged per executed operation (service protection execution time) */
  onOperation(method: string): void;
}

function toApiRequest(part: HttpPart, contentIds: Map<string, string>): ApiRequest {
  let url = part.url;
  const ref = /^\$(\d+)(.*)$/.exec(url);
  if (ref) {
    const target = contentIds.get(ref[1] as string);
    if (!target) throw Errors.contentIdMissing(`$${ref[1]}`);
    url = `${target}${ref[2]}`;
  }
  const api = url.indexOf(API_PATH);
  let rel = api >= 0 ? url.slice(api + API_PATH.length) : url.replace(/^\/+/, '');
  if (rel.startsWith('api/data/v9.2/')) rel = rel.slice('api/data/v9.2/'.length);
  const q = rel.indexOf('?');
  const path = q >= 0 ? rel.slice(0, q) : rel;
  const query = new URLSearchParams(q >= 0 ? rel.slice(q + 1) : '');
  let body = part.body;
  if (body) {
    body = body.replace(/"\$(\d+)"/g, (whole, n: string) => {
      const target = contentIds.get(n);
      if (!target) throw Errors.contentIdMissing(`$${n}`);
      return JSON.stringify(target);
    });
  }
  return { method: part.method, path: decodeURIComponent(path), query, headers: part.headers, body };
}

function errorPart(e: DataverseError, contentId?: string): PartResponse {
  return {
    contentId,
    status: e.httpStatus,
    headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0', ...e.headers },
    body: JSON.stringify(e.body()),
  };
}

function okPart(r: ApiResponse, contentId?: string): PartResponse {
  // a 204 part names the record twice, as in the response of execute-batch-operations-using-web-api.md:
  // `Location: …/tasks(<id>)` and `OData-EntityId: …/tasks(<id>)`
  const entityId = r.headers['OData-EntityId'];
  const headers = entityId && !r.headers.Location ? { Location: entityId, ...r.headers } : r.headers;
  return { contentId, status: r.status, headers, body: r.body };
}

export async function executeBatch(env: BatchEnv, headers: Record<string, string>, body: string): Promise<ApiResponse> {
  const parts = parseBatch(body, headers['content-type']);
  const total = parts.reduce((n, p) => n + (p.kind === 'changeset' ? p.requests.length : 1), 0);
  if (total > MAX_BATCH_REQUESTS) throw Errors.batchTooLarge();
  const continueOnError = parsePrefer(headers.prefer).continueOnError;
  const items: ResponseItem[] = [];
  let failed = false;
  for (const part of parts) {
    if (part.kind === 'changeset') {
      const responses: PartResponse[] = [];
      try {
        await env.transaction(async (ctx) => {
          const contentIds = new Map<string, string>();
          for (const r of part.requests) {
            try {
              if (r.method.toUpperCase() === 'GET') {
                throw Errors.badPayload('GET requests are not allowed inside a change set.');
              }
              env.onOperation(r.method);
              const res = await env.handle(toApiRequest(r, contentIds), ctx);
              if (r.contentId && res.headers['OData-EntityId'])
                contentIds.set(r.contentId, res.headers['OData-EntityId']);
              else if (r.contentId && res.headers.Location) {
                const loc = res.headers.Location;
                if (loc) contentIds.set(r.contentId, loc);
              }
              responses.push(okPart(res, r.contentId));
            } catch (e) {
              throw Object.assign(normalizeError(e), { contentId: r.contentId });
            }
          }
        });
        items.push({ kind: 'changeset', responses });
      } catch (e) {
        const err = normalizeError(e);
        items.push({ kind: 'single', response: errorPart(err, (e as { contentId?: string }).contentId) });
        failed = true;
        if (!continueOnError) break;
      }
      continue;
    }
    try {
      env.onOperation(part.method);
      const res = await env.transaction((ctx) => env.handle(toApiRequest(part, new Map()), ctx));
      items.push({ kind: 'single', response: okPart(res, part.contentId) });
    } catch (e) {
      items.push({ kind: 'single', response: errorPart(normalizeError(e), part.contentId) });
      failed = true;
      if (!continueOnError) break;
    }
  }
  const boundary = `batchresponse_${randomUUID()}`;
  return {
    status: failed && !continueOnError ? 400 : 200,
    headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}`, 'OData-Version': '4.0' },
    body: renderBatch(boundary, items, () => randomUUID()),
  };
}
