// One $batch request holding one change set (multipart/mixed, execute-batch-operations-using-web-api.md),
// built by hand: dynamics-web-api's batch API takes collection/key pairs and returns parsed bodies, but a
// change set here needs raw relative URLs ("$1", alternate-key upserts with If-Match/If-None-Match) and per-op
// status, OData-EntityId and ETag, plus the Content-ID of the failing operation. Pure functions: no I/O.
import { randomUUID } from 'node:crypto';
import type { BatchOp, ChangeSetResult } from './types.ts';

export const API_PATH = '/api/data/v9.2/';

export interface BuiltChangeSet {
  contentType: string;
  body: string;
  /** Content-ID sent for each op, in order (caller's own, or assigned so a failure can be traced to its op) */
  contentIds: string[];
}

/** Content-IDs: the caller's where given; the others numbered after the highest numeric one so "$n" stays unambiguous. */
export function assignContentIds(ops: BatchOp[]): string[] {
  const given = ops.map((o) => o.contentId);
  const seen = new Set<string>();
  for (const id of given) {
    if (id === undefined) continue;
    if (seen.has(id)) throw new Error(`duplicate contentId '${id}' in change set`);
    seen.add(id);
  }
  let next = Math.max(0, ...given.filter((id): id is string => id !== undefined && /^\d+$/.test(id)).map(Number)) + 1;
  return given.map((id) => {
    if (id !== undefined) return id;
    while (seen.has(String(next))) next++;
    const assigned = String(next++);
    seen.add(assigned);
    return assigned;
  });
}

function requestUrl(orgUrl: string, url: string): string {
  // "$1" and "$1/…" are Content-ID references and must stay as they are
  if (url.startsWith('$')) return url;
  // the request line must not carry spaces or non-ASCII: percent-encode those, keep OData punctuation
  const safe = url.replace(/^\/+/, '').replace(/[^A-Za-z0-9\-_.~'=,()*!:@$/%?&]/g, (ch) => encodeURIComponent(ch));
  return `${orgUrl.replace(/\/+$/, '')}${API_PATH}${safe}`;
}

export function buildChangeSet(orgUrl: string, ops: BatchOp[], makeId: () => string = randomUUID): BuiltChangeSet {
  const batch = `batch_${makeId()}`;
  const changeset = `changeset_${makeId()}`;
  const contentIds = assignContentIds(ops);
  const lines: string[] = [`--${batch}`, `Content-Type: multipart/mixed; boundary=${changeset}`, ''];
  ops.forEach((op, i) => {
    lines.push(
      `--${changeset}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      `Content-ID: ${contentIds[i]}`,
      '',
    );
    lines.push(`${op.method} ${requestUrl(orgUrl, op.url)} HTTP/1.1`);
    if (op.ifMatch) lines.push(`If-Match: ${op.ifMatch}`);
    if (op.ifNoneMatch) lines.push(`If-None-Match: ${op.ifNoneMatch}`);
    if (op.body !== undefined) lines.push('Content-Type: application/json; type=entry', '', JSON.stringify(op.body));
    else lines.push('');
  });
  lines.push(`--${changeset}--`, `--${batch}--`, '');
  return { contentType: `multipart/mixed; boundary=${batch}`, body: lines.join('\r\n'), contentIds };
}

export interface ResponsePart {
  contentId?: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

function boundaryOf(contentType: string | null | undefined): string | undefined {
  const m = /boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  return m?.[2];
}

function splitHead(text: string): { head: string[]; rest: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text.split(/\r?\n/).filter((l) => l !== ''), rest: '' };
  return {
    head: text
      .slice(0, m.index)
      .split(/\r?\n/)
      .filter((l) => l !== ''),
    rest: text.slice(m.index + m[0].length),
  };
}

function headerMap(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const c = line.indexOf(':');
    if (c > 0) out[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return out;
}

/** Flattens a $batch response (nested change-set responses included) into its HTTP parts, in order. */
export function parseBatchResponse(contentType: string | null | undefined, body: string): ResponsePart[] {
  return parseBatchItems(contentType, body).flatMap((item) => ('parts' in item ? item.parts : [item.part]));
}

/** One top-level item of a $batch response: a change set's nested responses, or one HTTP response (a GET, or
 * the single error response that stands for a failed change set). */
export type ResponseItem = { parts: ResponsePart[] } | { part: ResponsePart };

/** The top-level items of a $batch response, in request order (execute-batch-operations-using-web-api.md). */
export function parseBatchItems(contentType: string | null | undefined, body: string): ResponseItem[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error(`not a multipart response: ${contentType ?? '(no content type)'}`);
  const out: ResponseItem[] = [];
  const segments = body.split(`--${boundary}`).slice(1);
  for (const segment of segments) {
    if (segment.startsWith('--')) break;
    const { head, rest } = splitHead(segment.replace(/^\r?\n/, ''));
    const mime = headerMap(head);
    if ((mime['content-type'] ?? '').toLowerCase().startsWith('multipart/mixed')) {
      out.push({ parts: parseBatchResponse(mime['content-type'], rest) });
      continue;
    }
    const http = splitHead(rest);
    const statusLine = http.head[0] ?? '';
    const status = Number(/^HTTP\/\d\.\d\s+(\d{3})/.exec(statusLine)?.[1] ?? NaN);
    if (Number.isNaN(status)) throw new Error(`unparseable batch response part: ${statusLine.slice(0, 80)}`);
    out.push({
      part: {
        contentId: mime['content-id'],
        status,
        headers: headerMap(http.head.slice(1)),
        body: http.rest.replace(/\r?\n$/, ''),
      },
    });
  }
  return out;
}

/** OData-EntityId "…/contacts(<guid>)" → { entityId: "<guid>", entityUrl }. */
export function toResult(part: ResponsePart): ChangeSetResult {
  const entityUrl = part.headers['odata-entityid'] ?? part.headers.location;
  const etag = part.headers.etag ?? part.headers['odata-etag'];
  const entityId = entityUrl ? /\(([^()]*)\)\s*$/.exec(entityUrl)?.[1] : undefined;
  return {
    status: part.status,
    ...(entityId !== undefined ? { entityId } : {}),
    ...(entityUrl ? { entityUrl } : {}),
    ...(etag ? { etag } : {}),
  };
}

/** A $batch of GET requests (no change set): several reads in one HTTP request (execute-batch-operations-using-web-api.md). */
export function buildReadBatch(
  orgUrl: string,
  paths: string[],
  makeId: () => string = randomUUID,
): { contentType: string; body: string } {
  const batch = `batch_${makeId()}`;
  const lines: string[] = [];
  for (const path of paths) {
    lines.push(`--${batch}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '');
    lines.push(
      `GET ${requestUrl(orgUrl, path)} HTTP/1.1`,
      'Accept: application/json',
      'Prefer: odata.include-annotations="*"',
      '',
    );
  }
  lines.push(`--${batch}--`, '');
  return { contentType: `multipart/mixed; boundary=${batch}`, body: lines.join('\r\n') };
}

/** One entry of a mixed $batch: a GET (record path or collection query), or a change set of one payment. */
export type BatchItem = { get: string } | { changeSet: BatchOp[] };

export interface BuiltBatch {
  contentType: string;
  body: string;
  /** per item: the Content-IDs sent for a change set's ops (batch-wide unique), [] for a GET */
  contentIds: string[][];
}

const REF = /^\$(\d+)(?=\/|$)/;

/** Renames the numeric Content-IDs of one change set (and its "$n" references in URLs and @odata.bind values). */
function renumber(ops: BatchOp[], ids: string[], rename: Map<string, string>): BatchOp[] {
  const swap = (v: string) => v.replace(REF, (m, id: string) => (rename.has(id) ? `$${rename.get(id)}` : m));
  return ops.map((op, i) => {
    const body = op.body
      ? Object.fromEntries(
          Object.entries(op.body).map(([k, v]) => [
            k,
            k.endsWith('@odata.bind') && typeof v === 'string' ? swap(v) : v,
          ]),
        )
      : undefined;
    return { ...op, url: swap(op.url), contentId: ids[i] as string, ...(body ? { body } : {}) };
  });
}

/**
 * Several GETs and change sets in ONE $batch (execute-batch-operations-using-web-api.md): each change set is
 * its own transaction, so one payment's failure rolls back only its own operations; sent with
 * `Prefer: odata.continue-on-error` the items after a failed one still run. Content-IDs are made unique across
 * the whole batch (numeric ones renumbered, their "$n" references with them), as OData's multipart format asks
 * (OData v4.0 part 1, 11.7.3.1); a change set's references stay inside it.
 */
export function buildBatch(orgUrl: string, items: BatchItem[], makeId: () => string = randomUUID): BuiltBatch {
  const batch = `batch_${makeId()}`;
  const lines: string[] = [];
  const contentIds: string[][] = [];
  let next = 1;
  for (const item of items) {
    if ('get' in item) {
      contentIds.push([]);
      lines.push(`--${batch}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '');
      lines.push(
        `GET ${requestUrl(orgUrl, item.get)} HTTP/1.1`,
        'Accept: application/json',
        'Prefer: odata.include-annotations="*"',
        '',
      );
      continue;
    }
    const own = assignContentIds(item.changeSet);
    const rename = new Map<string, string>();
    const ids = own.map((id) => {
      const unique = /^\d+$/.test(id) ? String(next++) : `${contentIds.length}-${id}`;
      rename.set(id, unique);
      return unique;
    });
    contentIds.push(ids);
    const changeset = `changeset_${makeId()}`;
    lines.push(`--${batch}`, `Content-Type: multipart/mixed; boundary=${changeset}`, '');
    for (const op of renumber(item.changeSet, ids, rename)) {
      lines.push(
        `--${changeset}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        `Content-ID: ${op.contentId}`,
        '',
      );
      lines.push(`${op.method} ${requestUrl(orgUrl, op.url)} HTTP/1.1`);
      if (op.ifMatch) lines.push(`If-Match: ${op.ifMatch}`);
      if (op.ifNoneMatch) lines.push(`If-None-Match: ${op.ifNoneMatch}`);
      if (op.body !== undefined) lines.push('Content-Type: application/json; type=entry', '', JSON.stringify(op.body));
      else lines.push('');
    }
    lines.push(`--${changeset}--`);
  }
  lines.push(`--${batch}--`, '');
  return { contentType: `multipart/mixed; boundary=${batch}`, body: lines.join('\r\n'), contentIds };
}
