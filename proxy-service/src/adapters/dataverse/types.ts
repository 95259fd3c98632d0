// The Dataverse port the flows are written against (ARCHITECTURE.md §2, §4). Paths are relative to
// /api/data/v9.2/ and use Dataverse's own URL forms (entity sets, alternate keys, Content-ID "$n").
import type { AppError } from '../../errors.ts';

export type BatchOp = {
  method: 'POST' | 'PATCH' | 'DELETE';
  /** Relative to /api/data/v9.2/, e.g. "contacts", "contacts(ppc_paypalpayerid='ABC')", "ppc_paypaltransactions(ppc_paypalid='X')", or "$1" for a Content-ID reference */
  url: string;
  body?: Record<string, unknown>;
  /** referenced later as "$<id>" in url or in "x@odata.bind": "$<id>"; Dataverse resolves only numeric ids */
  contentId?: string;
  /** '*' or an ETag (PATCH = update only / optimistic concurrency) */
  ifMatch?: string;
  /** '*' (PATCH = create only) */
  ifNoneMatch?: string;
};

export interface ChangeSetResult {
  status: number;
  /** from OData-EntityId: the GUID for creates, the key expression for upserts by alternate key */
  entityId?: string;
  /** the full OData-EntityId URL */
  entityUrl?: string;
  etag?: string;
}

/** One entry of a mixed $batch: a GET (record path or "set?query"), or one payment's change set. */
export type BatchItem = { get: string } | { changeSet: BatchOp[] };

/** What one item of a mixed $batch came to: the record (null on 404) or collection `{ value }`, the change
 * set's per-op results, or the error of that item alone (a failed change set was rolled back; the others were not). */
export type BatchItemOutcome =
  { record: Record<string, unknown> | null } | { results: ChangeSetResult[] } | { error: AppError };

export interface DataverseStats {
  /** HTTP requests sent to the Web API, retries and throttled attempts included */
  requests: number;
  /** operations carried by those requests (a change set of n ops counts n) */
  operations: number;
  /** 429 answers received, by Dataverse error code */
  throttled: Record<string, number>;
}

export interface DataversePort {
  /** GET one record by id or alternate key path ("contacts(ppc_paypalpayerid='X')"); null on 404. Returns the body incl. @odata.etag. */
  get<T = Record<string, unknown>>(path: string, select?: string[]): Promise<(T & { '@odata.etag'?: string }) | null>;
  /** GET a collection with an OData query string ("$select=...&$filter=...&$top=1"); follows nextLink up to maxRecords. */
  query<T = Record<string, unknown>>(entitySet: string, odataQuery: string, maxRecords?: number): Promise<T[]>;
  /** One $batch with ONE change set holding all ops, atomic; returns per-op status + entity id (from OData-EntityId) in order. Throws AppError on failure (the whole set rolled back) with the failing op index in details. */
  changeSet(ops: BatchOp[]): Promise<ChangeSetResult[]>;
  /** Several GETs (records by id/key, or collection queries "set?$filter=…") in ONE $batch request: null for a 404 record; a collection answers { value: [...] }. */
  readBatch(paths: string[]): Promise<(Record<string, unknown> | null)[]>;
  /** Single PATCH with If-Match (for quantityonhand decrement with retry on 412). */
  update(path: string, body: Record<string, unknown>, ifMatch?: string): Promise<void>;
  /** Counters for benchmarks: HTTP requests and operations sent. */
  stats(): DataverseStats;
  /** GETs and change sets of several payments in ONE $batch with odata.continue-on-error: an item's failure is
   * its own outcome and does not touch the others. A refusal of the whole request (429, 5xx, 401) throws. */
  batch?(items: BatchItem[]): Promise<BatchItemOutcome[]>;
}

/** A client's view of its own service protection gate, for spreading load over application users. */
export interface GateLoad {
  /** requests in flight plus those waiting for a slot */
  pending: number;
  /** ms until a Retry-After pause ends (0: open) */
  pausedMs: number;
  /** current concurrency cap */
  cap: number;
}

export interface DataverseClientOptions {
  /** organization URL, e.g. https://contoso.crm.dynamics.com (Web API at `${url}/api/data/v9.2/`) */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Entra tenant; authority defaults to https://login.microsoftonline.com/<tenantId> */
  tenantId?: string;
  authority?: string;
  /** msal-node Configuration overrides, merged over the defaults (`auth` merged key by key), e.g. `{ auth: msalAuthorityOptions(emulatorUrl) }` */
  msal?: object;
  /** requests in flight at once for this client (default 8; Dataverse allows 52 per user) */
  maxConcurrency?: number;
  /** attempts per request inside the client instead of the retry table's (tests and benchmarks) */
  maxAttempts?: number;
  /** per HTTP attempt (default INLINE.timeoutMs) */
  timeoutMs?: number;
  /** bearer tokens instead of msal-node's client credentials (tests against a scripted server) */
  tokenProvider?: { (): Promise<string>; invalidate(): void };
  /** page size asked for by query() (default 500) */
  pageSize?: number;
  /** a 429 closes this client's gate and is thrown at once instead of retried here: a pool of application
   * users moves the request to another user (default false) */
  handOffThrottled?: boolean;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}
