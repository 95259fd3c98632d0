// The request/response shapes shared by the HTTP server and the $batch executor, so a request
// inside a batch goes through exactly the same handler as a standalone one.
import type { AnnotationFilter } from '../data/format.ts';

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
  /** undefined when the request did not ask for annotations */
  annotations?: AnnotationFilter;
  /** the odata.include-annotations value as sent, echoed in Preference-Applied */
  annotationsValue?: string;
  maxPageSize?: number;
  continueOnError: boolean;
}

/** Splits on commas outside double quotes: `odata.include-annotations="a,b",return=representation`. */
function splitPreferences(header: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let cur = '';
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * OData 4.01 Protocol §8.2.8.4 include-annotations: a comma-separated list of terms, `*` or `Namespace.*`
 * wildcards, a leading `-` excludes. Dataverse documents the terms it emits (query/select-columns.md
 * "Formatted values", query/count-rows.md totalrecordcount, web-api-navigation-properties.md lookup annotations).
 */
export function annotationFilter(value: string): AnnotationFilter {
  const terms = value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const matches = (term: string, name: string): boolean =>
    term === '*' || term === name || (term.endsWith('.*') && name.startsWith(term.slice(0, -1)));
  return (name) => {
    if (terms.some((t) => t.startsWith('-') && matches(t.slice(1), name))) return false;
    return terms.some((t) => !t.startsWith('-') && matches(t, name));
  };
}

/** Prefer header (compose-http-requests-handle-errors.md, page-results.md, execute-batch-operations). */
export function parsePrefer(header: string | undefined): Prefer {
  const p: Prefer = { returnRepresentation: false, continueOnError: false };
  if (!header) return p;
  for (const part of splitPreferences(header)) {
    const eq = part.indexOf('=');
    const k = (eq < 0 ? part : part.slice(0, eq)).trim();
    const v = eq < 0 ? undefined : part.slice(eq + 1).trim();
    if (k === 'return' && v === 'representation') p.returnRepresentation = true;
    else if (k === 'odata.include-annotations' && v) {
      p.annotationsValue = v.replace(/^"|"$/g, '');
      p.annotations = annotationFilter(p.annotationsValue);
    } else if (k === 'odata.maxpagesize' && v) p.maxPageSize = Number(v);
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
