// e2e: `deploy` (solution/deploy) into a fresh Dataverse emulator over HTTP with a deployment settings file:
// ImportSolutionAsync + async operation polling, variables set, endpoint URL + secret set, steps and flows on, checks
// green, and a webhook really reaches the configured endpoint with the secret. Then v1.1 (one more column) over it:
// StageAndUpgradeAsync, the rows written under v1.0 and the admin's configuration are kept. Refusals: settings that
// would leave the proxy URL empty or name a variable the solution does not have, and a downgrade.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer, type DataverseEmulator } from '@ppc/dataverse-emulator';
import { buildSolution } from '../packer/build.ts';
import { readTree, type FileTree } from '../packer/source.ts';
import { customTables } from '../packer/model/tables.ts';
import { CreditMemoStatus, GlPurpose } from '../packer/model/options.ts';
import { EnvVar, WEBHOOK_SECRET_HEADER } from '../packer/model/integration.ts';
import { deploy, type DeployReport } from '../deploy/deploy.ts';
import { createSettings, readComponents, type DeploymentSettings } from '../deploy/settings.ts';
import { decode, fixtureControls, SOLUTION_DIR, SRC_DIR } from './helpers.ts';

const SECRET = 'deploy-test-secret-7f3a';
// What the solution ships: one webhook step per Dataverse command, the cloud flows (counted from the source).
const STEP_COUNT = readdirSync(join(SRC_DIR, 'SdkMessageProcessingSteps')).filter((f) => f.endsWith('.xml')).length;
const FLOW_COUNT = readdirSync(join(SRC_DIR, 'Workflows')).filter((f) => f.endsWith('.json')).length;

async function managedZip(tree: FileTree): Promise<Uint8Array> {
  const r = buildSolution(tree, await fixtureControls());
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.zips.find((z) => z.fileName.endsWith('_managed.zip'))!.bytes;
}

/** v1.1: the version bumped and one new column on ppc_glaccountmap (a copy of ppc_accountname). */
async function v11Tree(): Promise<FileTree> {
  const tree = await readTree(SRC_DIR);
  const sol = decode(tree.get('Other/Solution.xml')).replace(
    '<Version>1.0.0.0</Version>',
    '<Version>1.1.0.0</Version>',
  );
  tree.set('Other/Solution.xml', new TextEncoder().encode(sol));
  const path = 'Entities/ppc_glaccountmap/Entity.xml';
  const entity = decode(tree.get(path));
  const block = /<attribute PhysicalName="ppc_accountname">[\s\S]*?<\/attribute>/.exec(entity)![0];
  const added = block.replace(/ppc_accountname/g, 'ppc_costcentre');
  tree.set(path, new TextEncoder().encode(entity.replace(block, `${block}\n        ${added}`)));
  return tree;
}

function filled(zip: Uint8Array, proxyUrl: string): DeploymentSettings {
  const s = createSettings(readComponents(zip));
  const values: Record<string, string> = {
    [EnvVar.ProxyBaseUrl]: proxyUrl,
    [EnvVar.BaseCurrency]: 'USD',
    ppc_FinanceAlertEmail: 'finance@contoso.example',
    ppc_AdminAlertEmail: 'admin@contoso.example',
  };
  for (const v of s.EnvironmentVariables) v.Value = values[v.SchemaName] ?? '';
  for (const r of s.ConnectionReferences) r.ConnectionId = `conn-${r.LogicalName}`;
  return s;
}

describe('deploy into the Dataverse emulator', () => {
  let dv: DataverseEmulator;
  let receiver: Server;
  let receiverUrl: string;
  const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let v10: Uint8Array;
  let first: DeployReport;
  let adminToken: Promise<string>;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    // one retry when a reused keep-alive socket was closed by the server under load (fetch: ECONNRESET)
    const res = await go(method, path, body).catch(() => go(method, path, body));
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : {}) as T };
  };
  const go = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${dv.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await adminToken}`,
        'content-type': 'application/json',
        accept: 'application/json',
        prefer: 'return=representation',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const run = (zip: Uint8Array, settings: DeploymentSettings, webhookSecret: string | undefined = SECRET) =>
    deploy({
      apiUrl: dv.apiUrl,
      // one token, as msal's cache would hand out (the emulator's token endpoint shares the process with a busy import)
      getToken: () => adminToken,
      zip,
      settings,
      ...(webhookSecret ? { webhookSecret } : {}),
      pollMs: 25,
      timeoutMs: 60_000,
    });

  beforeAll(async () => {
    receiver = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    // standard tables only: nothing of PayPalConnector exists until deploy imports it
    dv = await createServer({ solutionDir: null });
    adminToken = dv.tokenFor('admin');
    await adminToken;
    v10 = await managedZip(await readTree(SRC_DIR));
  }, 120_000);

  afterAll(async () => {
    await dv?.close();
    await new Promise((r) => receiver?.close(r));
  });

  it('refuses settings that leave ppc_ProxyBaseUrl empty, before importing anything', async () => {
    const s = filled(v10, receiverUrl);
    s.EnvironmentVariables.find((v) => v.SchemaName === EnvVar.ProxyBaseUrl)!.Value = '';
    const report = await run(v10, s);
    expect(report.ok).toBe(false);
    expect(report.action).toBe('none');
    expect(report.lines.join('\n')).toMatch(/ppc_ProxyBaseUrl is required and has no value/);
    const sol = await call<{ value: unknown[] }>('GET', "solutions?$filter=uniquename eq 'PayPalConnector'");
    expect(sol.json.value).toEqual([]);
  });

  it('refuses a settings file naming a variable the solution does not have (a typo would leave the real one unset)', async () => {
    const s = filled(v10, receiverUrl);
    s.EnvironmentVariables.push({ SchemaName: 'ppc_ProxyBaseURL', Value: receiverUrl });
    const report = await run(v10, s);
    expect(report.action).toBe('none');
    expect(report.lines.join('\n')).toMatch(/ppc_ProxyBaseURL is not a variable of PayPalConnector/);
  });

  it('v1.0: imports (ImportSolutionAsync), sets variables and endpoint, turns steps and flows on, checks green', async () => {
    first = await run(v10, filled(v10, receiverUrl));
    expect(first.lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(first).toMatchObject({ ok: true, action: 'ImportSolutionAsync', version: '1.0.0.0' });
    expect(first.checks.length).toBeGreaterThanOrEqual(1 + 1 + 1 + 3 + 2);

    const sol = await call<{ value: { version: string; ismanaged: boolean }[] }>(
      'GET',
      "solutions?$select=version,ismanaged&$filter=uniquename eq 'PayPalConnector'",
    );
    expect(sol.json.value).toEqual([expect.objectContaining({ version: '1.0.0.0', ismanaged: true })]);
    const endpoints = await call<{ value: { url: string; authtype: number; authvalue: string }[] }>(
      'GET',
      'serviceendpoints?$select=url,authtype,authvalue&$filter=contract eq 8',
    );
    expect(endpoints.json.value).toEqual([
      expect.objectContaining({ url: `${receiverUrl}/webhooks/dataverse`, authtype: 5 }),
    ]);
    const steps = await call<{ value: { statecode: number }[] }>(
      'GET',
      "sdkmessageprocessingsteps?$select=statecode&$filter=startswith(name,'PayPal Connector')",
    );
    expect(steps.json.value.map((s) => s.statecode)).toEqual(Array<number>(STEP_COUNT).fill(0));
    const flows = await call<{ value: { statecode: number }[] }>(
      'GET',
      'workflows?$select=statecode&$filter=category eq 5',
    );
    expect(flows.json.value.map((f) => f.statecode)).toEqual(Array<number>(FLOW_COUNT).fill(1));
    const value = await call<{ value: { value: string }[] }>(
      'GET',
      `environmentvariablevalues?$select=value&$filter=schemaname eq '${EnvVar.ProxyBaseUrl}'`,
    );
    expect(value.json.value.map((v) => v.value)).toEqual([receiverUrl]);
  }, 120_000);

  it('a credit memo refund request reaches the configured endpoint with the secret header', async () => {
    const cur = await call<{ value: { transactioncurrencyid: string }[] }>(
      'GET',
      "transactioncurrencies?$select=transactioncurrencyid&$filter=isocurrencycode eq 'USD'",
    );
    const memo = customTables.find((t) => t.name === 'ppc_creditmemo')!;
    const created = await call<{ ppc_creditmemoid: string }>('POST', memo.entitySetName, {
      ppc_name: 'CM-deploy-1',
      ppc_amount: 12.5,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${cur.json.value[0]!.transactioncurrencyid})`,
    });
    expect(created.status).toBe(201);
    received.length = 0;
    const patched = await call('PATCH', `${memo.entitySetName}(${created.json.ppc_creditmemoid})`, {
      statuscode: CreditMemoStatus.RefundRequested,
    });
    expect(patched.status).toBeLessThan(300);
    await dv.waitForWebhooks();
    expect(received).toEqual([
      expect.objectContaining({
        path: '/webhooks/dataverse',
        headers: expect.objectContaining({ [WEBHOOK_SECRET_HEADER]: SECRET }),
      }),
    ]);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ PrimaryEntityName: 'ppc_creditmemo', MessageName: 'Update' });
  }, 60_000);

  it('v1.1 over it: StageAndUpgradeAsync, new column, v1.0 rows and the configuration kept', async () => {
    const row = await call<{ ppc_glaccountmapid: string }>('POST', 'ppc_glaccountmaps', {
      ppc_name: 'Clearing USD',
      ppc_accountcode: '1010',
      ppc_purpose: GlPurpose.Clearing,
      ppc_currencycode: 'USD',
    });
    expect(row.status).toBe(201);
    const before = await call<{ value: unknown[] }>('GET', 'ppc_creditmemos?$select=ppc_name');
    expect(before.json.value.length).toBe(1);

    const v11 = await managedZip(await v11Tree());
    const second = await run(v11, filled(v11, receiverUrl));
    expect(second.lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(second).toMatchObject({
      ok: true,
      action: 'StageAndUpgradeAsync',
      fromVersion: '1.0.0.0',
      version: '1.1.0.0',
    });

    const kept = await call<{ ppc_name: string; ppc_costcentre: string | null }>(
      'GET',
      `ppc_glaccountmaps(${row.json.ppc_glaccountmapid})?$select=ppc_name,ppc_costcentre`,
    );
    expect(kept.status).toBe(200);
    expect(kept.json).toMatchObject({ ppc_name: 'Clearing USD', ppc_costcentre: null });
    const written = await call('PATCH', `ppc_glaccountmaps(${row.json.ppc_glaccountmapid})`, {
      ppc_costcentre: 'CC-7',
    });
    expect(written.status).toBeLessThan(300);
    const after = await call<{ value: unknown[] }>('GET', 'ppc_creditmemos?$select=ppc_name');
    expect(after.json.value.length).toBe(1);
    const sol = await call<{ value: { version: string }[] }>(
      'GET',
      "solutions?$select=version&$filter=uniquename eq 'PayPalConnector'",
    );
    expect(sol.json.value.map((s) => s.version)).toEqual(['1.1.0.0']);
    const values = await call<{ value: unknown[] }>(
      'GET',
      `environmentvariablevalues?$select=value&$filter=schemaname eq '${EnvVar.ProxyBaseUrl}'`,
    );
    expect(values.json.value.length).toBe(1); // updated in place, not duplicated
  }, 180_000);

  it('a downgrade (v1.0 over v1.1) fails in the import job and changes nothing', async () => {
    const report = await run(v10, filled(v10, receiverUrl));
    expect(report.ok).toBe(false);
    expect(report.lines.join('\n')).toMatch(/older than the installed version 1\.1\.0\.0/);
    const sol = await call<{ value: { version: string }[] }>(
      'GET',
      "solutions?$select=version&$filter=uniquename eq 'PayPalConnector'",
    );
    expect(sol.json.value.map((s) => s.version)).toEqual(['1.1.0.0']);
  }, 120_000);
});

/** Runs a .ts CLI with node; rejects on a non-zero exit. */
async function runCli(script: string, args: string[], env: Record<string, string> = {}) {
  return promisify(execFile)(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('deploy with partial settings, and the CLI', () => {
  let dv: DataverseEmulator;
  let zip: Uint8Array;
  let dir: string;
  beforeAll(async () => {
    dv = await createServer({ solutionDir: null });
    zip = await managedZip(await readTree(SRC_DIR));
    dir = await mkdtemp(join(tmpdir(), 'ppc-deploy-'));
  }, 120_000);
  afterAll(async () => {
    await dv?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('without a webhook secret and without connections: imported, variables set, steps and flows left off, checks say so', async () => {
    const s = filled(zip, 'https://paypal-proxy-qa.contoso.example');
    for (const r of s.ConnectionReferences) r.ConnectionId = '';
    const report = await deploy({
      apiUrl: dv.apiUrl,
      getToken: () => dv.tokenFor('admin'),
      zip,
      settings: s,
      pollMs: 25,
    });
    expect(report.action).toBe('ImportSolutionAsync');
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual([
      'service endpoint',
      ...Array<unknown>(STEP_COUNT).fill(expect.stringMatching(/^step /)),
      ...Array<unknown>(FLOW_COUNT).fill(expect.stringMatching(/^flow /)),
    ]);
    expect(report.lines).toContain('steps left off (endpoint not configured)');
    expect(report.lines.filter((l) => / left off: no connection for /.test(l))).toHaveLength(FLOW_COUNT);

    // connections bound later, the finance mailbox still empty: only the flow that mails it stays off
    const later = filled(zip, 'https://paypal-proxy-qa.contoso.example');
    later.EnvironmentVariables.find((v) => v.SchemaName === 'ppc_FinanceAlertEmail')!.Value = '';
    const second = await deploy({
      apiUrl: dv.apiUrl,
      getToken: () => dv.tokenFor('admin'),
      zip,
      settings: later,
      skipImport: true,
      pollMs: 25,
    });
    expect(second.action).toBe('skipped');
    // every flow left off is one that mails finance; the admin's dead-letter flow is on
    const leftOff = second.lines.filter((l) => / left off: /.test(l));
    expect(leftOff).toContain(
      'flow "PayPal alert finance on payment alert" left off: no value for ppc_FinanceAlertEmail',
    );
    for (const l of leftOff) expect(l).toMatch(/ left off: no value for ppc_FinanceAlertEmail$/);
    const flowChecks = new Map(second.checks.filter((c) => c.name.startsWith('flow ')).map((c) => [c.name, c.ok]));
    expect(flowChecks.get('flow PayPal alert admin on dead letter')).toBe(true);
    expect(flowChecks.get('flow PayPal alert finance on payment alert')).toBe(false);
    expect(flowChecks.size).toBe(FLOW_COUNT);
  }, 120_000);

  it('npm run deploy: --create-settings writes the pac-format file; --zip/--settings deploys (DEPLOY_ACCESS_TOKEN) and exits 0', async () => {
    const zipPath = join(dir, 'PayPalConnector_1_0_0_0_managed.zip');
    await writeFile(zipPath, zip);
    const created = join(dir, 'deploymentSettings.json');
    const cli = join(SOLUTION_DIR, 'deploy', 'cli.ts');
    // async: the emulator serves from this process, a synchronous spawn would block it
    await runCli(cli, ['--zip', zipPath, '--create-settings', created]);
    const file = JSON.parse(await readFile(created, 'utf8')) as DeploymentSettings;
    expect(file).toEqual(createSettings(readComponents(zip)));
    const filledPath = join(dir, 'deploymentSettings.qa.json');
    await writeFile(filledPath, JSON.stringify(filled(zip, 'https://paypal-proxy-qa.contoso.example')));
    const deployed = await runCli(cli, ['--zip', zipPath, '--settings', filledPath], {
      DATAVERSE_URL: dv.url,
      DEPLOY_ACCESS_TOKEN: await dv.tokenFor('admin'),
      DATAVERSE_WEBHOOK_SECRET: 'cli-secret',
    });
    expect(deployed.stderr).toBe('');
    expect(deployed.stdout).toMatch(/DEPLOYED: 1\.0\.0\.0 \(ImportSolutionAsync from 1\.0\.0\.0\)/);
    expect(deployed.stdout).not.toContain('cli-secret');
    // after the pipeline's import-solution action: no import, configure and check only
    const configured = await runCli(cli, ['--zip', zipPath, '--settings', filledPath, '--skip-import'], {
      DATAVERSE_URL: dv.url,
      DEPLOY_ACCESS_TOKEN: await dv.tokenFor('admin'),
      DATAVERSE_WEBHOOK_SECRET: 'cli-secret',
    });
    expect(configured.stdout).toMatch(/DEPLOYED: 1\.0\.0\.0 \(skipped from 1\.0\.0\.0\)/);
    expect(configured.stdout).not.toMatch(/asyncoperation/);
  }, 120_000);
});
