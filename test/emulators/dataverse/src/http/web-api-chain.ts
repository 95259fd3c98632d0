// The Web API middleware chain, in order:
//   1. fault injection (/_emulator/faults)      4. service protection limits (per user)
//   2. bearer token → systemuser (401)          5. route: $batch | $metadata | EntityDefinitions |
//   3. CallerObjectId impersonation                WhoAmI | ImportSolution | entity operations
//   6. charge execution time, rate-limit headers
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.ts';
import { API_PATH } from '../data/context.ts';
import { DataverseError, Errors, normalizeError } from '../errors.ts';
import { csdl, entityDefinition } from '../metadata/csdl.ts';
import { createEntityKey } from '../metadata/entity-keys.ts';
import type { KeyDefinition } from '../metadata/entity-keys.ts';
import { readSolutionZip } from '../metadata/solution-zip.ts';
import { parseKeyPredicate, splitEntityPath } from '../data/references.ts';
import { ORGANIZATION_ID, ROOT_BUSINESS_UNIT } from '../seed.ts';
import type { EmulatorState } from '../state.ts';
import { executeBatch } from './batch.ts';
import { empty, json, parsePrefer } from './types.ts';
import type { ApiRequest, ApiResponse } from './types.ts';
import { handleEntityRequest } from './web-api.ts';
import { solutionImportRoute } from './solution-import.ts';

function errorResponse(e: DataverseError, req?: ApiRequest): ApiResponse {
  if (e.httpStatus === 401) return { status: 401, headers: { ...e.headers }, body: '' };
  const annotations = parsePrefer(req?.headers.prefer).annotations?.('Microsoft.PowerApps.CDS.ErrorDetails') ?? false;
  return json(e.httpStatus, e.body(annotations), e.headers);
}

async function authenticate(state: EmulatorState, req: ApiRequest): Promise<Principal> {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  const unauthorized = (reason: string): DataverseError =>
    new DataverseError(401, '0x8004a101', `Authentication failed: ${reason}`, {
      'WWW-Authenticate': `Bearer authorization_uri=${state.orgUrl}/${state.config.tenantId}/oauth2/authorize, resource_id=${state.orgUrl}/`,
    });
  if (!m) throw unauthorized('no bearer token');
  const claims = state.tokens.verify(m[1] as string, state.config.clock.now());
  if (typeof claims === 'string') throw unauthorized(claims);
  const userId = await state.userByAadObjectId(claims.oid);
  const principal = userId ? await state.principal(userId) : undefined;
  if (!principal) throw unauthorized('the token does not belong to a user in this environment');
  return principal;
}

/** CallerObjectId (Entra object id) impersonation, impersonate-another-user-web-api.md. */
async function impersonate(state: EmulatorState, req: ApiRequest, caller: Principal): Promise<Principal> {
  const oid = req.headers.callerobjectid;
  const sid = req.headers.mscrmcallerid;
  if (!oid && !sid) return caller;
  const id = oid ? await state.userByAadObjectId(oid.toLowerCase()) : sid?.toLowerCase();
  const p = id ? await state.principal(id) : undefined;
  if (!p) throw Errors.invalidArgument(`The user to impersonate (${oid ?? sid}) does not exist.`);
  return p;
}

function isWrite(method: string): boolean {
  return method.toUpperCase() !== 'GET';
}

export async function handleWebApi(state: EmulatorState, req: ApiRequest): Promise<ApiResponse> {
  const requestId = randomUUID();
  const fault = state.faults.find((f) => f.remaining > 0 && (!f.pathPrefix || req.path.startsWith(f.pathPrefix)));
  if (fault) {
    fault.remaining--;
    if (fault.status === 429)
      return withId(
        errorResponse(Errors.tooManyRequests(state.limiter.limits.requests, state.limiter.limits.windowSeconds, 1)),
        requestId,
      );
    if (fault.status >= 400)
      return withId(
        errorResponse(new DataverseError(fault.status, '0x80040216', `Injected fault ${fault.status}.`)),
        requestId,
      );
  }
  let principal: Principal;
  try {
    principal = await authenticate(state, req);
  } catch (e) {
    return withId(errorResponse(normalizeError(e)), requestId);
  }
  let ticket: { release: (ms: number) => void };
  try {
    ticket = state.limiter.admit(principal.systemuserid);
  } catch (e) {
    return withId(errorResponse(normalizeError(e)), requestId);
  }
  let charge = 0;
  const costs = state.limiter.limits.costMs;
  const countOp = (method: string): void => {
    charge += isWrite(method) ? costs.write : costs.read;
    state.counters.operations++;
    state.counters.byUser[principal.systemuserid] = (state.counters.byUser[principal.systemuserid] ?? 0) + 1;
  };
  try {
    // injected latency holds the request inside the limiter, like a slow server does
    if (fault && fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
    const user = await impersonate(state, req, principal);
    const res = await route(state, req, user, countOp);
    Object.assign(res.headers, state.limiter.remaining(principal.systemuserid));
    return withId(res, requestId);
  } catch (e) {
    return withId(errorResponse(normalizeError(e), req), requestId);
  } finally {
    ticket.release(charge);
  }
}

function withId(res: ApiResponse, id: string): ApiResponse {
  res.headers['REQ_ID'] = id;
  res.headers['x-ms-service-request-id'] = id;
  return res;
}

async function route(
  state: EmulatorState,
  req: ApiRequest,
  user: Principal,
  countOp: (m: string) => void,
): Promise<ApiResponse> {
  const path = req.path.replace(/\/+$/, '');
  const method = req.method.toUpperCase();
  if (path === '') {
    countOp('GET');
    return json(200, {
      '@odata.context': `${state.orgUrl}${API_PATH}$metadata`,
      value: [...state.model.entities.values()].map((e) => ({
        name: e.entitySetName,
        kind: 'EntitySet',
        url: e.entitySetName,
      })),
    });
  }
  if (path === '$metadata') {
    countOp('GET');
    return {
      status: 200,
      headers: { 'Content-Type': 'application/xml', 'OData-Version': '4.0' },
      body: csdl(state.model),
    };
  }
  if (path === '$batch') {
    if (method !== 'POST') throw Errors.methodNotAllowed(method);
    return executeBatch(
      {
        orgUrl: state.orgUrl,
        transaction: (fn) => state.transaction(user, fn),
        handle: (r, ctx) => handleEntityRequest(r, ctx),
        onOperation: countOp,
      },
      req.headers,
      req.body,
    );
  }
  if (path === 'WhoAmI' || path === 'WhoAmI()') {
    countOp('GET');
    // a function called with POST (troubleshoot web-api-client-errors "No HTTP resource was found")
    if (method !== 'GET') throw Errors.noHttpResource(`${state.orgUrl}${API_PATH}${path}`);
    return json(200, {
      '@odata.context': `${state.orgUrl}${API_PATH}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: ROOT_BUSINESS_UNIT,
      UserId: user.systemuserid,
      OrganizationId: ORGANIZATION_ID,
    });
  }
  if (path.startsWith('EntityDefinitions')) {
    countOp(method);
    if (method === 'POST' && /^EntityDefinitions\([^/]*\)\/Keys$/.test(path)) return createKey(state, path, req, user);
    if (method !== 'GET') throw Errors.methodNotAllowed(method);
    return entityDefinitions(state, path, req);
  }
  const importing = await solutionImportRoute(state, req, user, path, method, countOp);
  if (importing) return importing;
  if (path === 'ImportSolution' || path === 'Microsoft.Dynamics.CRM.ImportSolution') {
    if (method !== 'POST') throw Errors.methodNotAllowed(method);
    countOp('POST');
    requireCustomizer(user, 'prvImportCustomizations');
    let body: { CustomizationFile?: string };
    try {
      body = JSON.parse(req.body || '{}') as { CustomizationFile?: string };
    } catch {
      throw Errors.badPayload('The request body is not valid JSON.');
    }
    if (!body.CustomizationFile) throw Errors.badPayload("The parameter 'CustomizationFile' is missing.");
    const { content } = readSolutionZip(Buffer.from(body.CustomizationFile, 'base64'));
    await state.importSolution(content);
    return empty(204);
  }
  countOp(method);
  if (method === 'POST' && (await isSingleStatementCreate(state, user, path, req.body))) {
    // one INSERT is atomic on its own: skip BEGIN/COMMIT (two database round trips per request)
    return state.read(user, (ctx) => handleEntityRequest(req, ctx));
  }
  if (method !== 'GET' && (method === 'POST' || method === 'PATCH' || method === 'DELETE' || method === 'PUT')) {
    // writes may change roles or users
    const res = await state.transaction(user, (ctx) => handleEntityRequest(req, ctx));
    if (/^(systemusers|roles)\b/.test(path)) state.invalidatePrincipals();
    return res;
  }
  return state.read(user, (ctx) => handleEntityRequest(req, ctx));
}

const MULTI_STATEMENT_TABLES = new Set([
  'transactioncurrency',
  'salesorderdetail',
  'invoicedetail',
  'serviceendpoint',
  'sdkmessage',
  'sdkmessagefilter',
  'sdkmessageprocessingstep',
  'sdkmessageprocessingstepimage',
  'systemuser',
  'role',
]);

/**
 * A create that can only ever write one row: a plain entity set, a flat body (no deep insert, no
 * collection binds), a table without derived writes, and no webhook step listening to Create on it.
 */
async function isSingleStatementCreate(
  state: EmulatorState,
  user: Principal,
  path: string,
  body: string,
): Promise<boolean> {
  if (path.includes('(') || path.includes('/')) return false;
  const e = state.model.bySetName.get(path);
  if (!e || MULTI_STATEMENT_TABLES.has(e.logicalName)) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body || '{}');
  } catch {
    return false;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
  if (Object.values(parsed).some((v) => v !== null && typeof v === 'object')) return false;
  return !(await state.read(user, (ctx) => state.pipeline.listens(ctx, 'Create', e.logicalName)));
}

function requireCustomizer(user: Principal, privilege: string): void {
  if (!user.isAdministrator && !user.roles.includes('System Customizer')) {
    throw Errors.privilegeDenied(user.systemuserid, privilege, 0);
  }
}

function tableOfDefinition(state: EmulatorState, segment: string) {
  const { key } = splitEntityPath(segment);
  const pred = key ? parseKeyPredicate(key) : undefined;
  const e = pred
    ? [...state.model.entities.values()].find((x) =>
        pred.kind === 'alternate'
          ? x.logicalName === pred.values.LogicalName
          : entityDefinition(state.model, x, false).MetadataId === pred.id,
      )
    : undefined;
  if (!e) throw Errors.segmentNotFound(segment);
  return e;
}

/** POST EntityDefinitions(...)/Keys: 204 + OData-EntityId of the new key (define-alternate-keys-entity). */
async function createKey(state: EmulatorState, path: string, req: ApiRequest, user: Principal): Promise<ApiResponse> {
  requireCustomizer(user, 'prvCreateEntityKey');
  const segment = path.slice(0, path.indexOf('/'));
  const e = tableOfDefinition(state, segment);
  let body: KeyDefinition;
  try {
    body = JSON.parse(req.body || '{}') as KeyDefinition;
  } catch {
    throw Errors.badPayload('The request body is not valid JSON.');
  }
  const { metadataId } = await createEntityKey(state.db, e, body);
  return empty(204, { 'OData-EntityId': `${state.orgUrl}${API_PATH}${segment}/Keys(${metadataId})` });
}

function entityDefinitions(state: EmulatorState, path: string, req: ApiRequest): ApiResponse {
  const segs = path.split('/');
  const { key } = splitEntityPath(segs[0] as string);
  const withAttributes = (req.query.get('$expand') ?? '').includes('Attributes') || segs[1] === 'Attributes';
  if (!key) {
    return json(200, {
      '@odata.context': `${state.orgUrl}${API_PATH}$metadata#EntityDefinitions`,
      value: [...state.model.entities.values()].map((e) => entityDefinition(state.model, e, withAttributes)),
    });
  }
  const pred = parseKeyPredicate(key);
  const e = [...state.model.entities.values()].find((x) =>
    pred.kind === 'alternate'
      ? x.logicalName === pred.values.LogicalName
      : entityDefinition(state.model, x, false).MetadataId === pred.id,
  );
  if (!e) throw Errors.segmentNotFound(segs[0] as string);
  const def = entityDefinition(state.model, e, true);
  if (segs[1]?.startsWith('Attributes')) {
    // Attributes, Attributes(LogicalName='x'), Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata
    const attrs = def.Attributes as { LogicalName: string; AttributeType: string }[];
    const attrKey = splitEntityPath(segs[1]).key;
    if (attrKey) {
      const k = parseKeyPredicate(attrKey);
      const one = attrs.find((a) => k.kind === 'alternate' && a.LogicalName === k.values.LogicalName);
      if (!one) throw Errors.segmentNotFound(segs[1]);
      return json(200, {
        '@odata.context': `${state.orgUrl}${API_PATH}$metadata#EntityDefinitions('${e.logicalName}')/Attributes/$entity`,
        ...one,
      });
    }
    const cast = /^Microsoft\.Dynamics\.CRM\.(\w+)AttributeMetadata$/.exec(segs[2] ?? '')?.[1];
    const value = cast ? attrs.filter((a) => a.AttributeType === cast) : attrs;
    return json(200, {
      '@odata.context': `${state.orgUrl}${API_PATH}$metadata#EntityDefinitions('${e.logicalName}')/Attributes`,
      value,
    });
  }
  if (!withAttributes) delete def.Attributes;
  return json(200, { '@odata.context': `${state.orgUrl}${API_PATH}$metadata#EntityDefinitions/$entity`, ...def });
}
