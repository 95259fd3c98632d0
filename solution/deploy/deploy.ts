// `deploy`: one release of the solution into one environment, through the Dataverse Web API only (the same calls a
// real org needs; the Dataverse emulator implements them):
//   1. settings checked against the zip (no unknown names, required variables valued) — before anything changes
//   2. GET solutions?$filter=uniquename eq '<name>' → not installed: ImportSolutionAsync; installed managed with a
//      lower version: StageAndUpgradeAsync (upgrade in place: data kept, removed components deleted); then
//      GET asyncoperations(<id>) until statecode 3 (Completed), statuscode 30 Succeeded else the job's message
//   3. environment variable values (environmentvariablevalues: PATCH the existing value or POST one bound to its
//      definition)
//   4. the webhook service endpoint: url <ProxyBaseUrl>/webhooks/dataverse, HttpHeader secret (never in a file)
//   5. steps on only when their endpoint has a URL and a secret; flows on only when every connection reference
//      they use has a connection
//   6. checks (solution version, variables, endpoint, steps, flows) → report
import { compareVersions } from './version.ts';
import { checkSettings, readComponents, type DeploymentSettings } from './settings.ts';
import { EnvVar, WEBHOOK_SECRET_HEADER } from '../packer/model/integration.ts';

export interface DeployOptions {
  /** Web API root, e.g. https://contoso.crm.dynamics.com/api/data/v9.2/ */
  apiUrl: string;
  getToken: () => Promise<string>;
  zip: Uint8Array;
  settings: DeploymentSettings;
  /** the HttpHeader secret the proxy expects (WEBHOOK_SECRET); without it steps stay off */
  webhookSecret?: string;
  /**
   * The zip was imported by another tool (the pipeline's microsoft/powerplatform-actions import-solution with the
   * same settings file): check that exactly this version is installed, then configure, switch on and check.
   */
  skipImport?: boolean;
  pollMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface DeployCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DeployReport {
  ok: boolean;
  /** none: refused before anything changed; skipped: imported by another tool (skipImport) */
  action: 'ImportSolutionAsync' | 'StageAndUpgradeAsync' | 'skipped' | 'none';
  fromVersion?: string;
  version: string;
  checks: DeployCheck[];
  lines: string[];
}

export class DeployError extends Error {}

export async function deploy(o: DeployOptions): Promise<DeployReport> {
  const lines: string[] = [];
  const say = (l: string): void => {
    lines.push(l);
    o.log?.(l);
  };
  const c = readComponents(o.zip);
  const problems = checkSettings(c, o.settings);
  if (problems.length) {
    for (const p of problems) say(`settings: ${p}`);
    return { ok: false, action: 'none', version: c.version, checks: [], lines };
  }
  const base = o.apiUrl.endsWith('/') ? o.apiUrl : `${o.apiUrl}/`;
  // Transient failures are retried (Dataverse service protection answers 429 with Retry-After; a reused keep-alive
  // socket can be reset): every call here is idempotent — an import of the same zip is the same import.
  const send = async (method: string, path: string, body?: unknown): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await once(method, path, body);
        if (![429, 502, 503, 504].includes(res.status) || attempt >= 5) return res;
        const after = Number(res.headers.get('retry-after'));
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, Number.isFinite(after) && after > 0 ? after * 1000 : 500 * attempt));
      } catch (e) {
        if (!(e instanceof TypeError) || attempt >= 5) throw e; // fetch's network failure
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    }
  };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await send(method, path, body);
    const text = await res.text();
    if (!res.ok) throw new DeployError(`${method} ${path.split('?')[0]}: HTTP ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  const once = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(base + path, {
      method,
      headers: {
        authorization: `Bearer ${await o.getToken()}`,
        accept: 'application/json',
        'odata-version': '4.0',
        'odata-maxversion': '4.0',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const q = (s: string): string => s.replace(/'/g, "''");

  async function importZip(action: 'ImportSolutionAsync' | 'StageAndUpgradeAsync'): Promise<boolean> {
    const started = await api<{ AsyncOperationId: string }>('POST', action, {
      CustomizationFile: Buffer.from(o.zip).toString('base64'),
      OverwriteUnmanagedCustomizations: false,
      PublishWorkflows: false,
    });
    const deadline = Date.now() + (o.timeoutMs ?? 15 * 60_000);
    for (;;) {
      const job = await api<{ statecode: number; statuscode: number; message?: string }>(
        'GET',
        `asyncoperations(${started.AsyncOperationId})?$select=statecode,statuscode,message`,
      );
      if (job.statecode === 3) {
        if (job.statuscode !== 30) {
          say(
            `import failed (asyncoperation ${started.AsyncOperationId}, statuscode ${job.statuscode}): ${job.message ?? ''}`,
          );
          return false;
        }
        say(`import succeeded (asyncoperation ${started.AsyncOperationId})`);
        return true;
      }
      if (Date.now() > deadline) throw new DeployError(`import still running after ${o.timeoutMs ?? 900_000} ms`);
      await new Promise((r) => setTimeout(r, o.pollMs ?? 2000));
    }
  }

  // 2. import or upgrade
  const found = await api<{ value: { version: string; ismanaged: boolean }[] }>(
    'GET',
    `solutions?$select=version,ismanaged&$filter=uniquename eq '${q(c.uniqueName)}'`,
  );
  const current = found.value[0];
  if (o.skipImport && current?.version !== c.version) {
    say(`--skip-import: ${c.uniqueName} ${c.version} is not installed (installed: ${current?.version ?? 'none'})`);
    return { ok: false, action: 'none', version: c.version, checks: [], lines };
  }
  const upgrade = !!current && current.ismanaged && c.managed && compareVersions(c.version, current.version) > 0;
  const action = upgrade ? 'StageAndUpgradeAsync' : 'ImportSolutionAsync';
  if (o.skipImport) say(`${c.uniqueName} ${c.version} installed (imported by the pipeline) → configure`);
  else {
    say(
      current
        ? `${c.uniqueName} ${current.version} (${current.ismanaged ? 'managed' : 'unmanaged'}) installed → ${action} ${c.version}`
        : `${c.uniqueName} not installed → ${action} ${c.version}`,
    );
    if (!(await importZip(action)))
      return {
        ok: false,
        action,
        ...(current ? { fromVersion: current.version } : {}),
        version: c.version,
        checks: [],
        lines,
      };
  }
  // 3. environment variable values
  const values = new Map<string, string>();
  for (const v of o.settings.EnvironmentVariables) {
    if (!v.Value) continue;
    const def = await api<{ value: { environmentvariabledefinitionid: string }[] }>(
      'GET',
      `environmentvariabledefinitions?$select=environmentvariabledefinitionid&$filter=schemaname eq '${q(v.SchemaName)}'`,
    );
    const defId = def.value[0]?.environmentvariabledefinitionid;
    if (!defId) throw new DeployError(`environment variable ${v.SchemaName} missing after import`);
    const existing = await api<{ value: { environmentvariablevalueid: string }[] }>(
      'GET',
      `environmentvariablevalues?$select=environmentvariablevalueid&$filter=_environmentvariabledefinitionid_value eq ${defId}`,
    );
    const id = existing.value[0]?.environmentvariablevalueid;
    if (id) await api('PATCH', `environmentvariablevalues(${id})`, { value: v.Value });
    else
      await api('POST', 'environmentvariablevalues', {
        schemaname: v.SchemaName,
        value: v.Value,
        'EnvironmentVariableDefinitionId@odata.bind': `/environmentvariabledefinitions(${defId})`,
      });
    values.set(v.SchemaName, v.Value);
  }
  say(`environment variables set: ${[...values.keys()].join(', ') || '(none)'}`);

  // 4. the endpoint
  const proxyBase = values.get(EnvVar.ProxyBaseUrl)?.replace(/\/+$/, '');
  const endpointReady = !!proxyBase && !!o.webhookSecret;
  for (const id of c.serviceEndpoints) {
    if (!endpointReady) break;
    await api('PATCH', `serviceendpoints(${id})`, {
      url: `${proxyBase}/webhooks/dataverse`,
      authtype: 5,
      authvalue: `<settings><setting name="${WEBHOOK_SECRET_HEADER}" value="${xmlAttr(o.webhookSecret!)}" /></settings>`,
    });
  }
  say(
    endpointReady
      ? `service endpoint → ${proxyBase}/webhooks/dataverse (HttpHeader ${WEBHOOK_SECRET_HEADER})`
      : `service endpoint NOT configured (${!proxyBase ? `${EnvVar.ProxyBaseUrl} has no value` : 'no webhook secret (PPC_WEBHOOK_SECRET)'})`,
  );

  // 5. connection references, steps, flows
  const bound = new Set<string>();
  for (const r of o.settings.ConnectionReferences) {
    if (!r.ConnectionId) continue;
    const ref = await api<{ value: { connectionreferenceid: string }[] }>(
      'GET',
      `connectionreferences?$select=connectionreferenceid&$filter=connectionreferencelogicalname eq '${q(r.LogicalName)}'`,
    );
    const id = ref.value[0]?.connectionreferenceid;
    if (!id) throw new DeployError(`connection reference ${r.LogicalName} missing after import`);
    await api('PATCH', `connectionreferences(${id})`, { connectionid: r.ConnectionId });
    bound.add(r.LogicalName);
  }
  if (endpointReady)
    for (const s of c.steps) await api('PATCH', `sdkmessageprocessingsteps(${s.id})`, { statecode: 0, statuscode: 1 });
  say(endpointReady ? `steps on: ${c.steps.length}` : 'steps left off (endpoint not configured)');
  const defaults = new Map(c.environmentVariables.map((v) => [v.schemaName, v.defaultValue]));
  for (const f of c.flows) {
    const missing = f.connectionReferences.filter((r) => !bound.has(r));
    if (missing.length) {
      say(`flow "${f.name}" left off: no connection for ${missing.join(', ')}`);
      continue;
    }
    const unset = f.variables.filter((v) => !values.get(v) && !defaults.get(v));
    if (unset.length) {
      say(`flow "${f.name}" left off: no value for ${unset.join(', ')}`);
      continue;
    }
    await api('PATCH', `workflows(${f.id})`, { statecode: 1, statuscode: 2 });
    say(`flow "${f.name}" on`);
  }

  // 6. checks, read back from the environment
  const checks: DeployCheck[] = [];
  const check = (name: string, ok: boolean, detail: string): void => {
    checks.push({ name, ok, detail });
    say(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  };
  const after = await api<{ value: { version: string; ismanaged: boolean }[] }>(
    'GET',
    `solutions?$select=version,ismanaged&$filter=uniquename eq '${q(c.uniqueName)}'`,
  );
  check('solution', after.value[0]?.version === c.version, `${c.uniqueName} ${after.value[0]?.version ?? 'missing'}`);
  for (const v of c.environmentVariables.filter((x) => x.required)) {
    const def = await api<{ value: { environmentvariabledefinitionid: string; defaultvalue?: string }[] }>(
      'GET',
      `environmentvariabledefinitions?$select=environmentvariabledefinitionid,defaultvalue&$filter=schemaname eq '${q(v.schemaName)}'`,
    );
    const id = def.value[0]?.environmentvariabledefinitionid;
    const val = id
      ? await api<{ value: { value: string }[] }>(
          'GET',
          `environmentvariablevalues?$select=value&$filter=_environmentvariabledefinitionid_value eq ${id}`,
        )
      : { value: [] };
    const value = val.value[0]?.value || def.value[0]?.defaultvalue || '';
    check(`variable ${v.schemaName}`, !!value, value ? 'set' : 'required, no value');
  }
  for (const id of c.serviceEndpoints) {
    const e = await api<{ url?: string; authvalue?: string | null }>('GET', `serviceendpoints(${id})?$select=url`);
    const ok = !!e.url && !e.url.includes('.invalid') && endpointReady;
    check('service endpoint', ok, e.url ?? '(no url)');
  }
  for (const s of c.steps) {
    const st = await api<{ statecode: number; name?: string }>(
      'GET',
      `sdkmessageprocessingsteps(${s.id})?$select=statecode,name`,
    );
    check(`step ${st.name ?? s.id}`, st.statecode === 0, st.statecode === 0 ? 'on' : 'off');
  }
  for (const f of c.flows) {
    const wf = await api<{ statecode: number }>('GET', `workflows(${f.id})?$select=statecode`);
    check(`flow ${f.name}`, wf.statecode === 1, wf.statecode === 1 ? 'on' : 'off (bind its connection references)');
  }
  return {
    ok: checks.every((x) => x.ok),
    action: o.skipImport ? 'skipped' : action,
    ...(current ? { fromVersion: current.version } : {}),
    version: c.version,
    checks,
    lines,
  };
}

function xmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
