// multipart/mixed for $batch (execute-batch-operations-using-web-api.md): parts are
// `application/http` requests or nested change sets; responses mirror that structure.
import { Errors } from '../errors.ts';

export interface HttpPart {
  kind: 'request';
  contentId?: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface ChangeSetPart {
  kind: 'changeset';
  requests: HttpPart[];
}

export type BatchPart = HttpPart | ChangeSetPart;

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  return m?.[2];
}

function splitHead(text: string): { headers: Record<string, string>; rest: string } {
  const normalized = text.replace(/^\r?\n/, '');
  const idx = normalized.search(/\r?\n\r?\n/);
  const headText = idx < 0 ? normalized : normalized.slice(0, idx);
  const rest = idx < 0 ? '' : normalized.slice(idx).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of headText.split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return { headers, rest };
}

function splitParts(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const pieces = body.split(delimiter);
  pieces.shift(); // preamble
  const parts: string[] = [];
  for (const p of pieces) {
    if (p.startsWith('--')) break; // close delimiter
    parts.push(p);
  }
  return parts;
}

function parseHttp(text: string, mimeHeaders: Record<string, string>): HttpPart {
  const { headers: _mime, rest } = { headers: mimeHeaders, rest: text };
  const trimmed = rest.replace(/^\s+/, '');
  const lineEnd = trimmed.search(/\r?\n/);
  const requestLine = (lineEnd < 0 ? trimmed : trimmed.slice(0, lineEnd)).trim();
  const m = /^([A-Z]+)\s+(.+?)(\s+HTTP\/\d\.\d)?$/.exec(requestLine);
  if (!m) throw Errors.badPayload(`Invalid request line in batch: '${requestLine}'`);
  const after = lineEnd < 0 ? '' : trimmed.slice(lineEnd);
  const { headers, rest: body } = splitHead(after);
  void _mime;
  return {
    kind: 'request',
    contentId: mimeHeaders['content-id'],
    method: m[1] as string,
    url: m[2] as string,
    headers,
    body: body.replace(/\r?\n$/, '').trim(),
  };
}

export function parseBatch(body: string, contentType: string | undefined): BatchPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw Errors.badPayload('The batch request must have a multipart/mixed Content-Type with a boundary.');
  return splitParts(body, boundary).map((raw) => {
    const { headers, rest } = splitHead(raw);
    const ct = headers['content-type'] ?? '';
    if (ct.toLowerCase().startsWith('multipart/mixed')) {
      const inner = boundaryOf(ct);
      if (!inner) throw Errors.badPayload('Change set without boundary.');
      return {
        kind: 'changeset',
        requests: splitParts(rest, inner).map((r) => {
          const h = splitHead(r);
          return parseHttp(h.rest, h.headers);
        }),
      } satisfies ChangeSetPart;
    }
    return parseHttp(rest, headers);
  });
}

export interface PartResponse {
  contentId?: string;
  status: number;
  headers: Record<string, string>;
  body?: string;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function renderPart(r: PartResponse): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (r.contentId) lines.push(`Content-ID: ${r.contentId}`);
  lines.push('', `HTTP/1.1 ${r.status} ${REASONS[r.status] ?? ''}`);
  for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
  lines.push('', r.body ?? '');
  return lines.join('\r\n');
}

export type ResponseItem =
  { kind: 'single'; response: PartResponse } | { kind: 'changeset'; responses: PartResponse[] };

export function renderBatch(boundary: string, items: ResponseItem[], makeId: () => string): string {
  const out: string[] = [];
  for (const item of items) {
    out.push(`--${boundary}`);
    if (item.kind === 'single') out.push(renderPart(item.response));
    else {
      const cs = `changesetresponse_${makeId()}`;
      const inner = item.responses.map((r) => `--${cs}\r\n${renderPart(r)}`).join('\r\n');
      out.push(`Content-Type: multipart/mixed; boundary=${cs}\r\n\r\n${inner}\r\n--${cs}--`);
    }
  }
  out.push(`--${boundary}--`, '');
  return out.join('\r\n');
}
