// HTTP front: one middleware chain for every vendor route —
// record → fault injection → route match → bearer auth → body parsing → idempotency (PayPal-Request-Id)
// → PayPal-Mock-Response (sandbox negative testing) → per-resource lock → injected latency → handler → Prefer
// → response (+ PayPal-Debug-Id header).
// Control routes (/_emulator/...) skip auth, faults and idempotency.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from './emulator.ts';
import { errors, PayPalError } from './core/errors.ts';
import { mockedError } from './core/mock-response.ts';
import type { HandlerResult, RequestContext, Router } from './core/router.ts';

export function createHandler(emu: Emulator, api: Router, control: Router) {
  const handle = chain(emu, api, control);
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      // Last resort: never leave a connection hanging on an emulator bug.
      console.error('[paypal-emulator]', e);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          name: 'INTERNAL_SERVER_ERROR',
          message: 'An internal server error occurred.',
          debug_id: 'emulator',
        }),
      );
    });
  };
}

function chain(emu: Emulator, api: Router, control: Router) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const isControl = path.startsWith('/_emulator/') || path === '/_emulator';
    const debugId = emu.debugId();
    let result: HandlerResult;
    const rawBody = await readBody(req);
    try {
      result = isControl
        ? await handleControl(emu, control, method, path, url.searchParams, req, rawBody)
        : await handleApi(emu, api, method, path, url.searchParams, req, rawBody);
    } catch (e) {
      const err = e instanceof PayPalError ? e : errors.internal();
      if (!(e instanceof PayPalError)) console.error('[paypal-emulator]', e);
      result = { status: err.httpStatus, body: err.body(debugId, path), headers: err.headers };
    }
    if (!isControl && emu.config.recordResponses) {
      emu.responses.push({ method, path, status: result.status, body: result.body });
      if (emu.responses.length > 5000) emu.responses.shift();
    }
    const headers: Record<string, string> = { 'paypal-debug-id': debugId, ...(result.headers ?? {}) };
    if (result.text) {
      res.writeHead(result.status, { ...headers, 'content-type': result.text.contentType });
      res.end(result.text.data);
    } else if (result.body === undefined || result.status === 204) {
      res.writeHead(result.status, headers);
      res.end();
    } else {
      res.writeHead(result.status, { ...headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(result.body));
    }
    if (method !== 'GET') emu.persist();
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer): unknown {
  if (!raw.length) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw errors.malformedJson();
  }
}

async function handleControl(
  emu: Emulator,
  control: Router,
  method: string,
  path: string,
  query: URLSearchParams,
  req: IncomingMessage,
  rawBody: Buffer,
): Promise<HandlerResult> {
  const m = control.match(method, path);
  if (!m || 'methodNotAllowed' in m) return { status: 404, body: { error: 'unknown control route' } };
  const ctx: RequestContext = {
    method,
    path,
    params: m.params,
    query,
    headers: req.headers,
    body: parseJson(rawBody),
    rawBody,
    emu,
  };
  return m.route.handler(ctx);
}

async function handleApi(
  emu: Emulator,
  api: Router,
  method: string,
  path: string,
  query: URLSearchParams,
  req: IncomingMessage,
  rawBody: Buffer,
): Promise<HandlerResult> {
  // Injected faults come first: a real 429/5xx happens before PayPal looks at the request.
  const fired = emu.faults.take(method, path);
  const latency = fired.reduce((ms, f) => ms + (f.latencyMs ?? 0), 0);
  const failing = fired.find((f) => f.status);

  const m = api.match(method, path);
  if (!m) throw errors.routeNotFound();
  if ('methodNotAllowed' in m)
    throw new PayPalError(405, 'METHOD_NOT_SUPPORTED', 'The server does not implement the requested HTTP method.');
  const { route, params } = m;

  const ctx: RequestContext = { method, path, params, query, headers: req.headers, body: undefined, rawBody, emu };
  if (route.auth !== false) ctx.clientId = authenticate(emu, req.headers.authorization);
  if (failing) {
    if (latency) await sleep(latency);
    throw errors.forStatus(failing.status ?? 500, failing.retryAfterSeconds);
  }
  // Negative testing: the mocked error replaces the operation, after authentication, as in the sandbox.
  const mocked = mockedError(method, path, header(req, 'paypal-mock-response'));
  if (mocked) throw mocked;
  const contentType = String(req.headers['content-type'] ?? '');
  if (rawBody.length && route.auth !== false && method !== 'GET' && !contentType.includes('json'))
    throw errors.unsupportedMediaType();
  ctx.body = contentType.includes('json') || route.auth !== false ? parseJson(rawBody) : undefined;

  // PayPal-Request-Id: a replay returns the first result with the resource's latest state
  // (https://developer.paypal.com/reference/guidelines/idempotency/).
  const requestId = route.idempotencyMs ? header(req, 'paypal-request-id') : undefined;
  if (requestId !== undefined && (requestId.length < 1 || requestId.length > 108))
    throw errors.invalidField('PayPal-Request-Id', requestId, 'header');
  const idemKey = requestId ? `${ctx.clientId}|${method}|${path}|${requestId}` : undefined;
  if (idemKey) {
    const prior = emu.state.idempotency[idemKey];
    if (prior && prior.expiresAt > emu.clock.now().getTime()) {
      const latest = prior.resource ? emu.renderers.get(prior.resource.kind)?.(prior.resource.id) : undefined;
      const body = latest ?? prior.body;
      return applyPrefer(req, {
        status: route.replayStatus ?? prior.status,
        body,
        headers: prior.headers,
        minimal: latest ? minimalOf(body) : undefined,
      });
    }
    if (emu.inflight.has(idemKey)) throw errors.inProgress();
  }
  const lock = route.lockKey?.(ctx);
  if (lock && emu.inflight.has(lock)) throw errors.inProgress();
  const held = [idemKey, lock].filter((k): k is string => !!k);
  for (const k of held) emu.inflight.add(k);
  try {
    if (latency) await sleep(latency);
    const result = await route.handler(ctx);
    if (idemKey && result.status < 300) {
      emu.state.idempotency[idemKey] = {
        expiresAt: emu.clock.now().getTime() + (route.idempotencyMs ?? 0),
        status: result.status,
        body: result.body,
        headers: result.headers ?? {},
        ...(result.resource ? { resource: result.resource } : {}),
      };
    }
    return applyPrefer(req, result);
  } finally {
    for (const k of held) emu.inflight.delete(k);
  }
}

/** `Prefer: return=minimal` (the default) answers id, status and links; `return=representation` the full resource. */
function applyPrefer(req: IncomingMessage, result: HandlerResult): HandlerResult {
  if (result.minimal === undefined) return result;
  const prefer = header(req, 'prefer') ?? '';
  return prefer.includes('return=representation') ? result : { ...result, body: result.minimal };
}

export function minimalOf(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const b = body as Record<string, unknown>;
  return { id: b.id, status: b.status, links: b.links };
}

function authenticate(emu: Emulator, authorization: string | undefined): string {
  const m = /^Bearer (.+)$/i.exec(authorization ?? '');
  const token = m?.[1] ? emu.state.tokens[m[1]] : undefined;
  if (!token || token.expiresAt <= emu.clock.now().getTime()) throw errors.authenticationFailure();
  return token.clientId;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
