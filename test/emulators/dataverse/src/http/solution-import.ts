// Solution import as an ALM tool drives it (Microsoft Learn, "Import solutions" / Web API reference):
//   POST ImportSolutionAsync  { CustomizationFile, OverwriteUnmanagedCustomizations, PublishWorkflows, … }
//     → 200 { AsyncOperationId, ImportJobKey }             (webapi/reference/importsolutionasync)
//   POST StageAndUpgradeAsync { CustomizationFile, … }       (webapi/reference/stageandupgradeasync)
//     → 200 { AsyncOperationId, ImportJobKey }; applies a higher version of an installed managed solution in place
//   GET asyncoperations(<id>)?$select=statecode,statuscode,message
//     statecode 3 Completed with statuscode 30 Succeeded | 31 Failed (reference/entities/asyncoperation)
// The import itself runs after the response (the caller polls). Rules enforced before anything changes, as
// Dataverse does: a managed solution cannot be imported over the unmanaged one of the same name (or the reverse),
// a lower version than the installed one is refused, StageAndUpgrade needs the solution installed and a higher
// version. The installed solution is a `solution` row (uniquename, version, ismanaged); flows become `workflow`
// rows (category 5) in the state the XML ships them (StateCode/StatusCode), connection references
// `connectionreference` rows without a connection. Re-importing keeps rows that exist (an admin's endpoint URL,
// a step turned on, variable values, all data): the admin's changes are the layer above the managed one.
import { randomUUID } from 'node:crypto';
import { unzipSync } from 'fflate';
import type { Principal } from '../auth/principal.ts';
import { API_PATH } from '../data/context.ts';
import { Errors } from '../errors.ts';
import { readSolutionZip } from '../metadata/solution-zip.ts';
import { attrOf, child, children, parseXml, text, type XmlNode } from '../metadata/xml.ts';
import { insertRaw } from '../seed.ts';
import type { EmulatorState } from '../state.ts';
import type { Queryable } from '../storage/database.ts';
import { json } from './types.ts';
import type { ApiRequest, ApiResponse } from './types.ts';

const ACTIONS = new Set(['ImportSolutionAsync', 'StageAndUpgradeAsync']);

interface Manifest {
  uniqueName: string;
  version: string;
  managed: boolean;
  workflows: { id: string; name: string; stateCode: number; statusCode: number; category: number; entity?: string }[];
  connectionReferences: { logicalName: string; displayName?: string; connectorId?: string }[];
}

function readManifest(bytes: Uint8Array): Manifest {
  const files = unzipSync(bytes);
  const find = (name: string): string => {
    const key = Object.keys(files).find((k) => k.toLowerCase() === name);
    return key ? new TextDecoder().decode(files[key]) : '';
  };
  const manifest = child(child(parseXml(find('solution.xml')), 'ImportExportXml'), 'SolutionManifest');
  const cust = child(parseXml(find('customizations.xml')), 'ImportExportXml');
  const num = (v: string | undefined, d: number): number => (v === undefined || v === '' ? d : Number(v));
  return {
    uniqueName: text(manifest, 'UniqueName') ?? '',
    version: text(manifest, 'Version') ?? '0.0.0.0',
    managed: text(manifest, 'Managed') === '1',
    workflows: children(child(cust, 'Workflows'), 'Workflow').map((w: XmlNode) => ({
      id: (attrOf(w, 'WorkflowId') ?? '').replace(/[{}]/g, '').toLowerCase(),
      name: attrOf(w, 'Name') ?? '',
      stateCode: num(text(w, 'StateCode'), 0),
      statusCode: num(text(w, 'StatusCode'), 1),
      category: num(text(w, 'Category'), 5),
      entity: text(w, 'PrimaryEntity'),
    })),
    connectionReferences: children(child(cust, 'connectionreferences'), 'connectionreference').map((c: XmlNode) => ({
      logicalName: attrOf(c, 'connectionreferencelogicalname') ?? text(c, 'connectionreferencelogicalname') ?? '',
      displayName: text(c, 'connectionreferencedisplayname'),
      connectorId: text(c, 'connectorid'),
    })),
  };
}

/** -1, 0, 1 over major.minor.build.revision */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

async function installed(
  tx: Queryable,
  uniqueName: string,
): Promise<{ version: string; managed: boolean } | undefined> {
  const r = await tx.query<{ version: string; ismanaged: boolean }>(
    `SELECT version, ismanaged FROM "t_solution" WHERE uniquename = $1`,
    [uniqueName],
  );
  const row = r.rows[0];
  return row ? { version: String(row.version), managed: Boolean(row.ismanaged) } : undefined;
}

function refusal(action: string, m: Manifest, current: { version: string; managed: boolean } | undefined): string {
  if (current && current.managed !== m.managed)
    return current.managed
      ? `The solution ${m.uniqueName} is installed as managed; an unmanaged solution with the same name cannot be imported over it.`
      : `The solution ${m.uniqueName} is installed as unmanaged; a managed solution with the same name cannot be imported over it.`;
  if (current && compareVersions(m.version, current.version) < 0)
    return `The solution ${m.uniqueName} ${m.version} is older than the installed version ${current.version}.`;
  if (action === 'StageAndUpgradeAsync') {
    if (!current) return `StageAndUpgrade: ${m.uniqueName} is not installed; import it first.`;
    if (!m.managed) return 'StageAndUpgrade applies to managed solutions only.';
    if (compareVersions(m.version, current.version) <= 0)
      return `StageAndUpgrade: ${m.uniqueName} ${m.version} is not higher than the installed version ${current.version}.`;
  }
  return '';
}

async function recordSolution(state: EmulatorState, m: Manifest, nowIso: string): Promise<void> {
  await state.db.transaction(async (tx) => {
    const sol = state.model.entities.get('solution')!;
    const exists = await installed(tx, m.uniqueName);
    if (exists)
      await tx.query(`UPDATE "t_solution" SET version = $2, ismanaged = $3, modifiedon = $4 WHERE uniquename = $1`, [
        m.uniqueName,
        m.version,
        m.managed,
        nowIso,
      ]);
    else
      await insertRaw(
        tx,
        sol,
        {
          uniquename: m.uniqueName,
          friendlyname: m.uniqueName,
          version: m.version,
          ismanaged: m.managed,
          installedon: nowIso,
        },
        nowIso,
      );
    for (const w of m.workflows)
      await insertRaw(
        tx,
        state.model.entities.get('workflow')!,
        {
          workflowid: w.id || randomUUID(),
          name: w.name,
          category: w.category,
          primaryentity: w.entity ?? null,
          statecode: w.stateCode,
          statuscode: w.statusCode,
        },
        nowIso,
      );
    for (const c of m.connectionReferences) {
      const has = await tx.query(`SELECT 1 FROM "t_connectionreference" WHERE connectionreferencelogicalname = $1`, [
        c.logicalName,
      ]);
      if (has.rows.length) continue;
      await insertRaw(
        tx,
        state.model.entities.get('connectionreference')!,
        {
          connectionreferencelogicalname: c.logicalName,
          connectionreferencedisplayname: c.displayName ?? c.logicalName,
          connectorid: c.connectorId ?? null,
        },
        nowIso,
      );
    }
  });
}

async function setOperation(state: EmulatorState, id: string, status: 20 | 30 | 31, message: string): Promise<void> {
  const now = new Date(state.config.clock.now()).toISOString();
  const stateCode = status === 20 ? 2 : 3;
  await state.db.query(
    `UPDATE "t_asyncoperation" SET statecode = $2, statuscode = $3, message = $4, friendlymessage = $4, modifiedon = $5${
      stateCode === 3 ? ', completedon = $5' : ''
    } WHERE asyncoperationid = $1`,
    [id, stateCode, status, message, now],
  );
}

/** ImportSolutionAsync / StageAndUpgradeAsync, or undefined for any other path. */
export async function solutionImportRoute(
  state: EmulatorState,
  req: ApiRequest,
  user: Principal,
  path: string,
  method: string,
  countOp: (m: string) => void,
): Promise<ApiResponse | undefined> {
  const action = path.replace(/^Microsoft\.Dynamics\.CRM\./, '');
  if (!ACTIONS.has(action)) return undefined;
  if (method !== 'POST') throw Errors.methodNotAllowed(method);
  countOp('POST');
  if (!user.isAdministrator && !user.roles.includes('System Customizer'))
    throw Errors.privilegeDenied(user.systemuserid, 'prvImportCustomizations', 0);
  let body: { CustomizationFile?: string };
  try {
    body = JSON.parse(req.body || '{}') as { CustomizationFile?: string };
  } catch {
    throw Errors.badPayload('The request body is not valid JSON.');
  }
  if (!body.CustomizationFile) throw Errors.badPayload("The parameter 'CustomizationFile' is missing.");
  const bytes = Buffer.from(body.CustomizationFile, 'base64');
  // a zip that is not a solution is refused synchronously (400), before any job exists
  const { content } = readSolutionZip(bytes);
  const manifest = readManifest(bytes);
  const nowIso = new Date(state.config.clock.now()).toISOString();
  const operationId = randomUUID();
  await state.db.transaction(async (tx) => {
    await insertRaw(
      tx,
      state.model.entities.get('asyncoperation')!,
      {
        asyncoperationid: operationId,
        name: `${action === 'StageAndUpgradeAsync' ? 'Stage and upgrade' : 'Import'} ${manifest.uniqueName} ${manifest.version}`,
        statecode: 0,
        statuscode: 0,
        ownerid: user.systemuserid,
      },
      nowIso,
    );
  });
  const run = (async () => {
    await setOperation(state, operationId, 20, '');
    try {
      const why = refusal(action, manifest, await installed(state.db, manifest.uniqueName));
      if (why) {
        await setOperation(state, operationId, 31, why);
        return;
      }
      await state.importSolution(content);
      await recordSolution(state, manifest, new Date(state.config.clock.now()).toISOString());
      state.pipeline.invalidate();
      await setOperation(state, operationId, 30, `${manifest.uniqueName} ${manifest.version} imported.`);
    } catch (e) {
      await setOperation(state, operationId, 31, e instanceof Error ? e.message : String(e));
    }
  })();
  state.pendingWebhooks.add(run);
  void run.finally(() => state.pendingWebhooks.delete(run));
  return json(200, {
    '@odata.context': `${state.orgUrl}${API_PATH}$metadata#Microsoft.Dynamics.CRM.${action}Response`,
    AsyncOperationId: operationId,
    ImportJobKey: randomUUID(),
  });
}
