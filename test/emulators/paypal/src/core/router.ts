// Minimal method + path-template router; `:name` segments become params.
import type { IncomingHttpHeaders } from 'node:http';
import type { Emulator } from '../emulator.ts';

export interface RequestContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  rawBody: Buffer;
  emu: Emulator;
  clientId?: string;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Body for `Prefer: return=minimal` (the route's default unless representation is asked for). */
  minimal?: unknown;
  /** What an idempotent replay re-reads to answer with the latest state. */
  resource?: { kind: string; id: string };
  /** Non-JSON body (e.g. a PEM certificate). */
  text?: { contentType: string; data: string };
}

export interface Route {
  method: string;
  pattern: string;
  handler: (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;
  /** Bearer token required (default true). */
  auth?: boolean;
  /** PayPal-Request-Id retention for this API; absent = header ignored. */
  idempotencyMs?: number;
  /** Status of a replayed create (200 where the spec allows it, else the original). */
  replayStatus?: number;
  /** Requests with the same lock key cannot run concurrently (409 PREVIOUS_REQUEST_IN_PROGRESS). */
  lockKey?: (ctx: RequestContext) => string | undefined;
}

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

export class Router {
  private readonly compiled: Compiled[] = [];

  add(routes: Route[]): void {
    for (const route of routes) {
      const names: string[] = [];
      const src = route.pattern
        .split('/')
        .map((seg) => {
          if (seg.startsWith(':')) {
            names.push(seg.slice(1));
            return '([^/]+)';
          }
          return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      this.compiled.push({ route, regex: new RegExp(`^${src}/?$`), names });
    }
  }

  list(): Array<{ method: string; pattern: string }> {
    return this.compiled.map((c) => ({ method: c.route.method, pattern: c.route.pattern }));
  }

  match(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | undefined {
    let pathMatched = false;
    for (const c of this.compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')));
      return { route: c.route, params };
    }
    return pathMatched ? { methodNotAllowed: true } : undefined;
  }
}
