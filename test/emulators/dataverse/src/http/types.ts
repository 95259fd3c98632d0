// The request/response shapes shared by the HTTP server and the $batch executor, so a request
// inside a batch goes through exactly the same handler as a standalone one.
export interface ApiRequest {
  method: string;
  /** path below /api/data/v9.2/, without query string, URL-decoded per segment */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export interface Prefer {
  returnRepresentation: boolean;
  annotations: boolean;
  maxPageSize?: number;
  continueOnError: boolean;
}

/** Prefer header (compose-http-requests-handle-errors.md, page-results.md, execute-batch-operations). */
export function parsePrefer(header: string | undefined): Prefer {
  const p: Prefer = { returnRepresentation: false, annotations: false, continueOnError: false };
  if (!header) return p;
  for (const raw of header.split(',')) {
    const part = raw.trim();
    const [k, v] = part.split('=').map((s) => s.trim());
    if (k === 'return' && v === 'representation') p.returnRepresentation = true;
    else if (k === 'odata.include-annotations') p.annotations = true;
    else if (k === 'odata.maxpagesize' && v) p.maxPageSize = Number(v);
    else if (k === 'odata.continue-on-error') p.continueOnError = true;
  }
  return p;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0', ...headers },
    body: JSON.stringify(body),
  };
}

export function empty(status: number, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'OData-Version': '4.0', ...headers } };
}
