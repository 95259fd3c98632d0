// DataversePort over the Web API: dynamics-web-api (with msal-node client credentials through onTokenRefresh)
// for get/query/update; the $batch change set is built here (see change-set.ts for why). Every HTTP request
// goes through one ThrottleGate (429 pause + concurrency cap) and one retry loop: decideRetry with layer
// 'dataverse' (retry/retry-table.ts says which failure classes get a quick second attempt here).
import { DynamicsWebApi } from 'dynamics-web-api';
import { AppError, errors } from '../../errors.ts';
import { decideRetry } from '../../retry/retry-policy.ts';
import { INLINE } from '../../retry/retry-table.ts';
import {
  API_PATH,
  buildBatch,
  buildChangeSet,
  buildReadBatch,
  parseBatchItems,
  parseBatchResponse,
  toResult,
  type ResponsePart,
} from './change-set.ts';
import { dataverseError, fromThrown, parseErrorBody, SERVICE, THROTTLE_CODES } from './dataverse-errors.ts';
import { ThrottleGate } from './throttle-gate.ts';
import { createTokenProvider } from './token-provider.ts';
import type {
  BatchItem,
  BatchItemOutcome,
  BatchOp,
  ChangeSetResult,
  DataverseClientOptions,
  DataversePort,
  DataverseStats,
  GateLoad,
} from './types.ts';

/** The port of one application user, with its gate's load (what a pool of users balances on). */
export interface DataverseClient extends DataversePort {
  batch(items: BatchItem[]): Promise<BatchItemOutcome[]>;
  load(): GateLoad;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** "contacts(ppc_paypalpayerid='X')" → { collection: "contacts", key: "ppc_paypalpayerid='X'" } */
export function splitRecordPath(path: string): { collection: string; key: string } {
  const m = /^\/?([A-Za-z_][A-Za-z0-9_]*)\((.+)\)$/.exec(path.trim());
  if (!m) throw errors.validation(`not a Dataverse record path: ${path}`, { path });
  return { collection: m[1] as string, key: encodeUnsafe(m[2] as string) };
}

// Key values and query options go into the request line verbatim, so characters outside the URL-safe set
// (spaces, non-ASCII, #, &, +) are percent-encoded; OData's own punctuation (' = , ( ) $ :) is kept.
function encodeUnsafe(s: string): string {
  return s.replace(/[^A-Za-z0-9\-_.~'=,()*!:@$/%]/g, (ch) => encodeURIComponent(ch));
}

export function encodeQuery(odataQuery: string): string {
  return odataQuery
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return encodeUnsafe(pair);
      const value = pair.slice(eq + 1);
      let decoded = value;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        // a literal '%' that is not an escape: encode the value as it is
      }
      return `${pair.slice(0, eq)}=${encodeURIComponent(decoded)}`;
    })
    .join('&');
}

export function createDataverseClient(options: DataverseClientOptions): DataverseClient {
  const orgUrl = options.url.replace(/\/+$/, '');
  const apiUrl = `${orgUrl}${API_PATH}`;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const pageSize = options.pageSize ?? 500;
  const timeoutMs = options.timeoutMs ?? INLINE.timeoutMs;
  const retryOptions = {
    random,
    ...(options.maxAttempts === undefined ? {} : { attempts: options.maxAttempts }),
  };
  const gate = new ThrottleGate(options.maxConcurrency ?? 8, sleep, options.now ?? Date.now);
  const token = options.tokenProvider ?? createTokenProvider({ ...options, orgUrl });
  const counters: DataverseStats = { requests: 0, operations: 0, throttled: {} };
  const dwa = new DynamicsWebApi({
    serverUrl: orgUrl,
    dataApi: { version: '9.2' },
    onTokenRefresh: token,
    propagateErrors: true,
    // per attempt; a timed-out request ends as a reset socket, a network failure
    timeout: timeoutMs,
  });

  /** Sends one HTTP request (carrying `operations` operations) through the gate, retrying retryable failures. */
  async function call<T>(operations: number, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await gate.run(async () => {
          counters.requests++;
          counters.operations += operations;
          try {
            return await send();
          } catch (e) {
            const err = fromThrown(e);
            // too many in flight for this user: lower the cap to what the server is still working on,
            // before this slot is handed to a waiting request
            if (err.httpStatus === 429 && err.details?.dataverseCode === THROTTLE_CODES.concurrency)
              gate.limitTo(gate.active - 1);
            throw err;
          }
        });
      } catch (e) {
        const err = fromThrown(e);
        const decision = decideRetry(err, 'dataverse', attempt, retryOptions);
        // one fresh token, then the same request again; a second 401 is a real authorisation problem
        if (err.failure === 'unauthorized' && decision.retry) token.invalidate();
        if (err.httpStatus === 429) {
          const code = typeof err.details?.dataverseCode === 'string' ? err.details.dataverseCode : 'unknown';
          counters.throttled[code] = (counters.throttled[code] ?? 0) + 1;
          // limits are per user: every caller of this client waits out Retry-After, not only this one,
          // also when this request leaves the wait to the job queue
          gate.close(err.retryAfterMs ?? (decision.retry ? decision.delayMs : 0));
          // a pool of application users sends the request again through another user's gate
          if (options.handOffThrottled) throw err;
          if (decision.retry) continue; // the gate holds the next attempt until the pause is over
        }
        if (!decision.retry) throw err;
        if (decision.delayMs > 0) await sleep(decision.delayMs);
      }
    }
  }

  /** POSTs one multipart $batch and returns its parts; a refused batch (429, 401, 5xx…) throws before any part. */
  async function postBatch(built: { contentType: string; body: string }, prefer?: string) {
    const { contentType, text } = await postMultipart(built, prefer);
    return parseBatchResponse(contentType, text);
  }

  async function postMultipart(built: { contentType: string; body: string }, prefer?: string) {
    const res = await fetch(`${apiUrl}$batch`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await token()}`,
        'Content-Type': built.contentType,
        Accept: 'application/json',
        'OData-MaxVersion': '4.0',
        'OData-Version': '4.0',
        ...(prefer ? { Prefer: prefer } : {}),
      },
      body: built.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    if (!contentType?.toLowerCase().startsWith('multipart/')) {
      if (!res.ok) throw dataverseError(res.status, parseErrorBody(text), res.headers);
      throw errors.remote(SERVICE, 502, `unexpected $batch response content type ${contentType ?? '(none)'}`);
    }
    return { contentType, text };
  }

  /** A failed part of a change set as the AppError of that change set, naming its operation. */
  function changeSetError(failed: ResponsePart, ops: BatchOp[], contentIds: string[]) {
    const index = failed.contentId === undefined ? -1 : contentIds.indexOf(failed.contentId);
    const op = index >= 0 ? ops[index] : undefined;
    return dataverseError(failed.status, parseErrorBody(failed.body), failed.headers, {
      operationIndex: index >= 0 ? index : undefined,
      operation: op ? `${op.method} ${op.url}` : undefined,
      contentId: failed.contentId,
    });
  }

  async function sendBatch(items: BatchItem[]): Promise<BatchItemOutcome[]> {
    const built = buildBatch(orgUrl, items);
    // continue-on-error: a failed change set (or a 404 GET) must not stop the other payments' items
    const { contentType, text } = await postMultipart(built, 'odata.continue-on-error');
    const answers = parseBatchItems(contentType, text);
    if (answers.length !== items.length)
      throw errors.remote(SERVICE, 502, `$batch answered ${answers.length} items for ${items.length} sent`);
    return items.map((item, i): BatchItemOutcome => {
      const answer = answers[i]!;
      const parts = 'parts' in answer ? answer.parts : [answer.part];
      if ('get' in item) {
        const part = parts[0]!;
        if (part.status === 404) return { record: null };
        if (part.status >= 400)
          return {
            error: dataverseError(part.status, parseErrorBody(part.body), part.headers, {
              operation: `GET ${item.get}`,
            }),
          };
        return { record: part.body ? (JSON.parse(part.body) as Record<string, unknown>) : {} };
      }
      const ids = built.contentIds[i]!;
      // a failed change set answers with one error response in its place (rolled back as a whole)
      const failed = parts.find((p) => p.status >= 400);
      if (failed) return { error: changeSetError(failed, item.changeSet, ids) };
      if (parts.length !== item.changeSet.length)
        return {
          error: errors.remote(
            SERVICE,
            502,
            `$batch answered ${parts.length} parts for ${item.changeSet.length} operations`,
          ),
        };
      return { results: parts.map(toResult) };
    });
  }

  async function sendChangeSet(ops: BatchOp[]): Promise<ChangeSetResult[]> {
    const built = buildChangeSet(orgUrl, ops);
    const parts = await postBatch(built);
    const failed = parts.find((p) => p.status >= 400);
    // without odata.continue-on-error Dataverse stops at the failing operation and rolls the change set back
    if (failed) throw changeSetError(failed, ops, built.contentIds);
    if (parts.length !== ops.length) {
      throw errors.remote(SERVICE, 502, `$batch answered ${parts.length} parts for ${ops.length} operations`);
    }
    return parts.map(toResult);
  }

  async function sendReadBatch(paths: string[]): Promise<(Record<string, unknown> | null)[]> {
    // A missing record (404) must not stop the other reads: Dataverse stops a batch at its first error otherwise.
    const parts = await postBatch(buildReadBatch(orgUrl, paths), 'odata.continue-on-error');
    if (parts.length !== paths.length)
      throw errors.remote(SERVICE, 502, `$batch answered ${parts.length} parts for ${paths.length} reads`);
    return parts.map((part, i) => {
      if (part.status === 404) return null;
      if (part.status >= 400)
        throw dataverseError(part.status, parseErrorBody(part.body), part.headers, {
          operationIndex: i,
          operation: `GET ${paths[i]}`,
        });
      return part.body ? (JSON.parse(part.body) as Record<string, unknown>) : {};
    });
  }

  return {
    async batch(items: BatchItem[]) {
      if (items.length === 0) return [];
      const operations = items.reduce((n, it) => n + ('get' in it ? 1 : it.changeSet.length), 0);
      if (operations > 1000) throw errors.validation(`a $batch holds at most 1000 operations, got ${operations}`);
      return call(operations, () => sendBatch(items));
    },

    load() {
      return { pending: gate.active + gate.queued, pausedMs: gate.pausedMs(), cap: gate.concurrency };
    },

    async readBatch(paths: string[]) {
      if (paths.length === 0) return [];
      return call(paths.length, () => sendReadBatch(paths));
    },

    async get<T = Record<string, unknown>>(path: string, select?: string[]) {
      const { collection, key } = splitRecordPath(path);
      try {
        return await call(1, () =>
          dwa.retrieve<T & { '@odata.etag'?: string }>({ collection, key, ...(select?.length ? { select } : {}) }),
        );
      } catch (e) {
        if (e instanceof AppError && e.httpStatus === 404) return null;
        throw e;
      }
    },

    async query<T = Record<string, unknown>>(
      entitySet: string,
      odataQuery: string,
      maxRecords = Number.POSITIVE_INFINITY,
    ) {
      const query = encodeQuery(odataQuery);
      // Dataverse ignores $top when odata.maxpagesize is sent (query/page-results.md), so page only without $top
      const hasTop = /(^|&)\$top=/i.test(query);
      const size = Math.max(1, Math.min(pageSize, maxRecords));
      const out: T[] = [];
      let link: string | undefined = `${apiUrl}${entitySet}${query ? `?${query}` : ''}`;
      while (link !== undefined && out.length < maxRecords) {
        const url: string = link;
        const page = await call(1, () =>
          dwa.retrieveMultiple<T>({ collection: entitySet, ...(hasTop ? {} : { maxPageSize: size }) }, url),
        );
        out.push(...page.value);
        link = page.oDataNextLink;
      }
      return out.length > maxRecords ? out.slice(0, maxRecords) : out;
    },

    async changeSet(ops: BatchOp[]) {
      if (ops.length === 0) return [];
      if (ops.length > 1000) throw errors.validation(`a change set holds at most 1000 operations, got ${ops.length}`);
      return call(ops.length, () => sendChangeSet(ops));
    },

    async update(path: string, body: Record<string, unknown>, ifMatch = '*') {
      const { collection, key } = splitRecordPath(path);
      await call(1, () => dwa.update({ collection, key, data: body, ifmatch: ifMatch }));
    },

    stats() {
      return { requests: counters.requests, operations: counters.operations, throttled: { ...counters.throttled } };
    },
  };
}
