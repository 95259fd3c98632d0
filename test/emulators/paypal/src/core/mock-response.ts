// Negative testing as PayPal's sandbox does it
// (https://developer.paypal.com/tools/sandbox/negative-testing/request-headers/): a request carrying
// `PayPal-Mock-Response: {"mock_application_codes": "<CODE>"}` answers the error the operation documents for
// that code, instead of running. The codes an operation may answer, with their status and description, are
// read from PayPal's own OpenAPI specs (the per-operation error schemas, e.g. payments_payment_v2.json
// `captures.refund-422`), so every documented issue of every operation can be forced. A code the operation
// does not document is ignored, as the sandbox does ("If you do not use the specific test values, the service
// returns the actual API responses"). Payouts document no issue codes in their spec; their error names come
// from the Payouts test-values page (https://developer.paypal.com/api/payouts/test-values), which PayPal
// triggers with `items[0].note` = ERRPYOnnn; both routes lead to the same errors here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errors, PayPalError } from './errors.ts';

type Json = Record<string, unknown>;

const SPEC_DIR = fileURLToPath(new URL('../../../../../proxy-service/src/adapters/paypal/openapi/', import.meta.url));

/** The error name PayPal answers for each status of a documented issue. */
const NAME_BY_STATUS: Record<number, string> = {
  400: 'INVALID_REQUEST',
  403: 'NOT_AUTHORIZED',
  404: 'RESOURCE_NOT_FOUND',
  409: 'RESOURCE_CONFLICT',
  422: 'UNPROCESSABLE_ENTITY',
};
const MESSAGE_BY_STATUS: Record<number, string> = {
  400: 'Request is not well-formed, syntactically incorrect, or violates schema.',
  403: 'Authorization failed due to insufficient permissions.',
  404: 'The specified resource does not exist.',
  409: 'The server has detected a conflict while processing this request.',
  422: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
};

interface Documented {
  status: number;
  description?: string;
}

interface Operation {
  method: string;
  regex: RegExp;
  issues: Map<string, Documented>;
}

/** Every `{issue: enum}` under a schema, with the description enum next to it when the spec pins one. */
function collectIssues(node: unknown, status: number, into: Map<string, Documented>, seen = new Set<unknown>()): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  const n = node as Json;
  const props = n.properties as Json | undefined;
  const issue = props?.issue as Json | undefined;
  if (Array.isArray(issue?.enum)) {
    const description = (props?.description as Json | undefined)?.enum;
    for (const code of issue.enum as string[])
      if (!into.has(code))
        into.set(code, {
          status,
          ...(Array.isArray(description) ? { description: String(description[0]) } : {}),
        });
  }
  for (const v of Object.values(n)) collectIssues(v, status, into, seen);
}

function resolve(spec: Json, node: unknown): unknown {
  if (!node || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => resolve(spec, n));
  const n = node as Json;
  if (typeof n.$ref === 'string' && n.$ref.startsWith('#/')) {
    const target = n.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((o, k) => (o as Json | undefined)?.[k], spec);
    return resolve(spec, target);
  }
  return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, resolve(spec, v)]));
}

let operations: Operation[] | undefined;

function load(): Operation[] {
  const ops: Operation[] = [];
  for (const file of readdirSync(SPEC_DIR).filter((f) => f.endsWith('.json'))) {
    const spec = JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')) as Json;
    for (const [template, item] of Object.entries(spec.paths as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item)) {
        const responses = (op as Json).responses as Record<string, unknown> | undefined;
        if (!responses) continue;
        const issues = new Map<string, Documented>();
        for (const [status, response] of Object.entries(responses)) {
          const code = Number(status);
          if (NAME_BY_STATUS[code]) collectIssues(resolve(spec, response), code, issues);
        }
        ops.push({
          method: method.toUpperCase(),
          regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
          issues,
        });
      }
    }
  }
  return ops;
}

/** Payouts error names (test-values page) → status; messages as PayPal's Payouts errors read. */
const PAYOUT_ERRORS: Record<string, { status: number; message: string }> = {
  SENDER_RESTRICTED: { status: 403, message: 'Authorization error occurred' },
  SENDER_EMAIL_UNCONFIRMED: { status: 403, message: 'Authorization error occurred' },
  AUTHORIZATION_ERROR: { status: 403, message: 'Authorization error occurred' },
  INSUFFICIENT_FUNDS: { status: 422, message: 'Sender does not have sufficient funds. Please add funds and retry.' },
  INTERNAL_ERROR: { status: 500, message: 'An internal service error has occurred' },
  VALIDATION_ERROR: { status: 400, message: 'Invalid request - see details' },
  REQUIRED_SCOPE_MISSING: { status: 403, message: 'Access token does not have required scope' },
  SENDER_LOCKED: { status: 403, message: 'Authorization error occurred' },
  USER_BUSINESS_ERROR: { status: 422, message: 'User business error' },
  RATE_LIMIT_VALIDATION: { status: 429, message: 'Rate limit exceeded' },
  REQUEST_TIMEOUT_EXCEEDED: { status: 504, message: 'Request timed out' },
  SYNC_MODE_NOT_APPLICABLE: { status: 400, message: 'Sync mode is not applicable' },
  NON_HOLDING_CURRENCY: { status: 422, message: 'The sender does not hold a balance in the payout currency' },
  PREVIOUS_REQUEST_IN_PROGRESS: { status: 409, message: 'A previous request is in progress' },
  CIP_NOT_VERIFIED: { status: 403, message: 'Authorization error occurred' },
};

/** The Payouts sandbox test values of `items[0].note` (https://developer.paypal.com/api/payouts/test-values). */
export const PAYOUT_TEST_VALUES: Record<string, string> = {
  ERRPYO001: 'SENDER_RESTRICTED',
  ERRPYO002: 'SENDER_EMAIL_UNCONFIRMED',
  ERRPYO003: 'AUTHORIZATION_ERROR',
  ERRPYO005: 'INSUFFICIENT_FUNDS',
  ERRPYO006: 'INTERNAL_ERROR',
  ERRPYO010: 'VALIDATION_ERROR',
  ERRPYO011: 'REQUIRED_SCOPE_MISSING',
  ERRPYO012: 'SENDER_LOCKED',
  ERRPYO014: 'USER_BUSINESS_ERROR',
  ERRPYO035: 'RATE_LIMIT_VALIDATION',
  ERRPYO036: 'REQUEST_TIMEOUT_EXCEEDED',
  ERRPYO037: 'SYNC_MODE_NOT_APPLICABLE',
  ERRPYO038: 'NON_HOLDING_CURRENCY',
  ERRPYO039: 'PREVIOUS_REQUEST_IN_PROGRESS',
  ERRPYO040: 'CIP_NOT_VERIFIED',
};

/** A Payouts error in its own body shape: name, message, debug_id, information_link (no details). */
export function payoutError(name: string): PayPalError | undefined {
  const e = PAYOUT_ERRORS[name];
  if (!e) return undefined;
  return new PayPalError(e.status, name, e.message, [], {
    informationLink: 'https://developer.paypal.com/docs/api/payments.payouts-batch/v1/#errors',
  });
}

/** The codes of a `PayPal-Mock-Response` header value, or none when it is absent or not the documented JSON. */
export function mockCodes(header: string | undefined): string[] {
  if (!header) return [];
  try {
    const parsed = JSON.parse(header) as Json;
    const codes = parsed.mock_application_codes;
    return typeof codes === 'string' ? codes.split(',').map((c) => c.trim()) : [];
  } catch {
    return [];
  }
}

/** The error a mocked request answers on this operation, or undefined when the code is not documented there. */
export function mockedError(method: string, path: string, header: string | undefined): PayPalError | undefined {
  for (const code of mockCodes(header)) {
    if (path === '/v1/payments/payouts' && method === 'POST') {
      const e = payoutError(code);
      if (e) return e;
    }
    operations ??= load();
    const op = operations.find((o) => o.method === method && o.regex.test(path));
    const documented = op?.issues.get(code);
    if (documented?.status === 404) return errors.notFound('id', path.split('/').pop() ?? '');
    if (documented) {
      const status = documented.status;
      return new PayPalError(status, NAME_BY_STATUS[status]!, MESSAGE_BY_STATUS[status]!, [
        { issue: code, ...(documented.description ? { description: documented.description } : {}) },
      ]);
    }
    // Common to every operation (the specs' shared error responses).
    if (code === 'INTERNAL_SERVER_ERROR') return errors.internal();
    if (code === 'PERMISSION_DENIED') return errors.notAuthorized();
    if (code === 'INVALID_RESOURCE_ID') return errors.notFound('id', path.split('/').pop() ?? '');
    if (code === 'PREVIOUS_REQUEST_IN_PROGRESS') return errors.inProgress();
    if (code === 'RATE_LIMIT_REACHED') return errors.rateLimited(1);
  }
  return undefined;
}
