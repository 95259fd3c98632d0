// HTTP front: CORS (the PCF harness calls from another origin), the Entra-like token and discovery
// endpoints, the control API, and the Web API under /api/data/v9.2/.
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { openIdConfiguration } from '../auth/tokens.ts';
import { Errors } from '../errors.ts';
import type { EmulatorState } from '../state.ts';
import { APPLICATION_USER } from '../users.ts';
import { handleControl } from './control.ts';
import { json } from './types.ts';
import type { ApiResponse } from './types.ts';
import { handleWebApi } from './web-api-chain.ts';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, Accept, OData-Version, OData-MaxVersion, Prefer, If-Match, If-None-Match, CallerObjectId, MSCRMCallerID, MSCRM.SolutionUniqueName, MSCRM.BypassCustomPluginExecution',
  'Access-Control-Expose-Headers': 'OData-EntityId, Preference-Applied, ETag, Location, Retry-After, REQ_ID',
};

async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, r: ApiResponse): void {
  res.writeHead(r.status, { ...CORS, ...r.headers });
  res.end(r.body ?? '');
}

const API_PREFIX = '/api/data/v9.2/';

export function createHttp(state: EmulatorState): Server {
  const server = createHttpServer((req, res) => {
    void handle(state, req, res).catch((e: unknown) => {
      send(res, json(500, { error: { code: '0x80040216', message: e instanceof Error ? e.message : String(e) } }));
    });
  });
  // Idle keep-alive sockets are closed by the client first (undici: 4 s), not by this server: a solution import
  // keeps the event loop busy for seconds, and a server-side close racing the client's next request on the
  // same socket shows up as ECONNRESET in the client.
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'OPTIONS') return send(res, { status: 204, headers: {} });
  const url = new URL(req.url ?? '/', 'http://emulator');
  const body = await readBody(req, state.config.maxBodyBytes);
  if (body === undefined) {
    const e = Errors.tooLarge();
    return send(res, json(413, e.body()));
  }
  const path = url.pathname;
  if (path.startsWith('/_emulator/')) return send(res, await handleControl(state, method, path, body));
  if (path === '/api/data/v9.2' || path.startsWith(API_PREFIX)) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const rawPath = path.length > API_PREFIX.length ? path.slice(API_PREFIX.length) : '';
    return send(
      res,
      await handleWebApi(state, { method, path: decodeURIComponent(rawPath), query: url.searchParams, headers, body }),
    );
  }
  const tenant = state.config.tenantId;
  if (path === `/${tenant}/oauth2/v2.0/token` && method === 'POST') return send(res, await token(state, body));
  if (
    (path === `/${tenant}/v2.0/.well-known/openid-configuration` ||
      path === `/${tenant}/.well-known/openid-configuration`) &&
    method === 'GET'
  ) {
    const base = req.headers['x-forwarded-proto'] === 'https' ? state.orgUrl.replace(/^http:/, 'https:') : state.orgUrl;
    return send(res, json(200, openIdConfiguration(base, tenant)));
  }
  if (path.endsWith('/discovery/instance') && method === 'GET') {
    const host = new URL(state.orgUrl).host;
    return send(
      res,
      json(200, {
        tenant_discovery_endpoint: `${state.orgUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      }),
    );
  }
  if (path === '/' && method === 'GET') {
    return send(
      res,
      json(200, {
        name: 'ppc Dataverse emulator',
        api: `${state.orgUrl}${API_PREFIX}`,
        authority: `${state.orgUrl}/${tenant}`,
      }),
    );
  }
  send(res, json(404, { error: { code: '0x8006088a', message: `Resource not found for the segment '${path}'.` } }));
}

/** Client-credentials grant (Entra v2 token endpoint). Errors follow Entra's `{error, error_description}`. */
async function token(state: EmulatorState, body: string): Promise<ApiResponse> {
  const form = new URLSearchParams(body);
  const fail = (status: number, error: string, description: string): ApiResponse =>
    json(status, {
      error,
      error_description: description,
      error_codes: [status === 401 ? 7000215 : 900144],
      timestamp: new Date().toISOString(),
    });
  if (form.get('grant_type') !== 'client_credentials') {
    return fail(
      400,
      'unsupported_grant_type',
      'AADSTS70003: The app requested an unsupported grant type. Only client_credentials is supported by the emulator.',
    );
  }
  const clientId = form.get('client_id');
  const secret = form.get('client_secret');
  const users = [APPLICATION_USER, ...state.config.users].filter((u) => u.clientId);
  const u = users.find((x) => x.clientId === clientId);
  if (!u)
    return fail(
      400,
      'unauthorized_client',
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`,
    );
  if (u.clientSecret !== secret) return fail(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
  const scope = form.get('scope') ?? '';
  const token = state.tokens.issue(
    {
      oid: u.azureObjectId,
      appid: u.clientId,
      aud: scope.replace(/\/\.default$/, ''),
      iss: `${state.orgUrl}/${state.config.tenantId}/v2.0`,
    },
    state.config.clock.now(),
  );
  return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
}
