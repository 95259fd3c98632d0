// Validates emulator responses against the response schemas of PayPal's own OpenAPI 3.0 specs
// (proxy-service/src/adapters/paypal/openapi, the copies the proxy's types are generated from) with ajv. OpenAPI 3.0 adaptations: ajv's `nullable` support, unknown
// keywords (example, discriminator, x-*) ignored (strict: false), PayPal's custom formats accepted,
// local "#/..." refs rewritten to "<spec file>#/...". The reporting spec's server bug
// (servers = .../v1/reporting while paths already start with /v1/reporting) does not matter here:
// we match on paths only, never on server + path.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

/** One copy in the repository: next to the proxy's generated types (see SOURCES.md there). */
export const SPEC_DIR = fileURLToPath(
  new URL('../../../../../proxy-service/src/adapters/paypal/openapi/', import.meta.url),
);

interface Operation {
  spec: string;
  method: string;
  template: string;
  regex: RegExp;
  params: number;
  responses: Record<string, Json>;
}

const PAYPAL_FORMATS = [
  'ppaas_common_currency_code_v2',
  'ppaas_date_time_v3',
  'ppaas_common_percentage_v2',
  'merchant_common_email_address_v2',
  'ppaas_payer_id_v3',
  'ppaas_date_notime_v2',
  'ppaas_common_country_code_v2',
  'payer_v1',
  'ppaas_common_language_v3',
  'ppaas_common_email_address_v2',
  'ppaas_ip_address_v1',
  'binary',
  'phone',
];

function rewriteRefs(node: unknown, spec: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, spec));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${spec}${v}` : rewriteRefs(v, spec);
  }
  return out;
}

export interface ContractResult {
  method: string;
  path: string;
  status: number;
  operation?: string;
  errors: string[];
}

export class Contract {
  private readonly ajv: Ajv;
  private readonly ops: Operation[] = [];
  private readonly specs = new Map<string, Json>();
  private readonly cache = new Map<string, ValidateFunction>();
  /** "METHOD template status" of every validated response. */
  readonly covered = new Set<string>();

  constructor() {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, unicodeRegExp: false });
    const addFormats =
      (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
    (addFormats as unknown as (a: Ajv) => void)(this.ajv);
    for (const f of PAYPAL_FORMATS) this.ajv.addFormat(f, true);
    for (const file of readdirSync(SPEC_DIR).filter((f) => f.endsWith('.json'))) {
      const spec = JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')) as Json;
      this.specs.set(file, spec);
      this.ajv.addSchema({ $id: file, components: rewriteRefs(spec.components, file) } as Json);
      for (const [template, item] of Object.entries(spec.paths as Record<string, Json>)) {
        for (const [method, op] of Object.entries(item)) {
          if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
          const params = (template.match(/\{[^}]+\}/g) ?? []).length;
          const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
          this.ops.push({
            spec: file,
            method: method.toUpperCase(),
            template,
            regex,
            params,
            responses: (op as Json).responses as Record<string, Json>,
          });
        }
      }
    }
    this.ops.sort((a, b) => a.params - b.params);
  }

  find(method: string, path: string): Operation | undefined {
    return this.ops.find((o) => o.method === method && o.regex.test(path));
  }

  validate(method: string, path: string, status: number, body: unknown): ContractResult {
    const op = this.find(method, path);
    if (!op) return { method, path, status, errors: [`no operation in the specs for ${method} ${path}`] };
    const operation = `${op.method} ${op.template}`;
    let response = op.responses[String(status)] ?? op.responses.default;
    if (!response)
      return { method, path, status, operation, errors: [`status ${status} not documented for ${operation}`] };
    const spec = this.specs.get(op.spec)!;
    if (typeof response.$ref === 'string') {
      const name = response.$ref.split('/').pop()!;
      response = ((spec.components as Json).responses as Record<string, Json>)[name]!;
    }
    let content = response.content as Record<string, { schema?: Json }> | undefined;
    // Some specs list an error status with a description only (e.g. payments v2 "500"); the body shape
    // is then the operation's `default` error response.
    if (!content && status >= 400 && op.responses.default) {
      let d = op.responses.default;
      if (typeof d.$ref === 'string')
        d = ((spec.components as Json).responses as Record<string, Json>)[d.$ref.split('/').pop()!]!;
      content = d.content as Record<string, { schema?: Json }> | undefined;
    }
    const schema = content?.['application/json']?.schema;
    this.covered.add(`${operation} ${status}`);
    if (!schema) {
      return {
        method,
        path,
        status,
        operation,
        errors: body === undefined || body === '' ? [] : [`${operation} ${status} has no body in the spec`],
      };
    }
    const key = `${op.spec}|${operation}|${status}|${op.responses[String(status)] ? 's' : 'd'}`;
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema, op.spec) as Json);
      this.cache.set(key, validate);
    }
    const ok = validate(body);
    return {
      method,
      path,
      status,
      operation,
      errors: ok
        ? []
        : (validate.errors ?? [])
            .slice(0, 8)
            .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`),
    };
  }

  /** Validates every recorded response; paths that no spec describes are returned separately. */
  validateAll(responses: Array<{ method: string; path: string; status: number; body: unknown }>): {
    failures: ContractResult[];
    unspecified: string[];
  } {
    const failures: ContractResult[] = [];
    const unspecified = new Set<string>();
    for (const r of responses) {
      if (!this.find(r.method, r.path)) {
        unspecified.add(`${r.method} ${r.path.replace(/CERT-[\w-]+/, 'CERT-{id}')}`);
        continue;
      }
      const res = this.validate(r.method, r.path, r.status, r.body);
      if (res.errors.length)
        failures.push({ ...res, details: (r.body as { details?: unknown } | undefined)?.details } as ContractResult);
    }
    return { failures, unspecified: [...unspecified] };
  }
}

let shared: Contract | undefined;
export function contract(): Contract {
  shared ??= new Contract();
  return shared;
}

/** Paths served by the emulator that none of the 9 saved specs describes (OAuth and the cert URL). */
export const OUTSIDE_SPECS = [/^POST \/v1\/oauth2\/token$/, /^GET \/v1\/notifications\/certs\/CERT-\{id\}$/];

/** Throws with a readable list when any recorded response breaks its schema. */
export function assertContract(
  responses: Array<{ method: string; path: string; status: number; body: unknown }>,
): number {
  const { failures, unspecified } = contract().validateAll(responses);
  const stray = unspecified.filter((u) => !OUTSIDE_SPECS.some((re) => re.test(u)));
  if (failures.length || stray.length) {
    throw new Error(
      `contract violations:\n${failures.map((f) => `${f.method} ${f.path} ${f.status} (${f.operation}) ${JSON.stringify((f as { details?: unknown }).details ?? '')}: ${f.errors.join('; ')}`).join('\n')}\n${stray.map((s) => `not in any spec: ${s}`).join('\n')}`,
    );
  }
  return responses.length;
}
