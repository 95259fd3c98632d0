// npm run deploy -- --zip <PayPalConnector_x_y_z_w_managed.zip> --settings <deploymentSettings.json>
// npm run deploy -- --zip <zip> --create-settings <out.json>     (pac solution create-settings equivalent)
// npm run deploy -- --zip <zip> --settings <file> --skip-import   (after the pipeline's import-solution action:
//                                                                  configure, switch on, check)
//
// Environment (never on the command line, never printed):
//   DATAVERSE_URL              the environment, e.g. https://contoso-qa.crm.dynamics.com
//   DATAVERSE_WEBHOOK_SECRET   the HttpHeader secret the proxy checks (same variable as the proxy's); without it the
//                              endpoint stays unconfigured and the steps stay off
//   DEPLOY_ACCESS_TOKEN        a bearer token for DATAVERSE_URL (e.g. from `az account get-access-token`), or:
//   DEPLOY_CLIENT_ID / DEPLOY_CLIENT_SECRET / DEPLOY_TENANT_ID   the deployment service principal (an application
//                              user with System Customizer or System Administrator), client-credentials via msal-node
//   DEPLOY_MSAL_AUTH_JSON      optional JSON merged into msal's auth settings (sovereign clouds)
// Exit code 0 when every check passed, 1 when a check failed, 2 on a usage or settings error.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { deploy, DeployError } from './deploy.ts';
import { createSettings, readComponents, type DeploymentSettings } from './settings.ts';

const { values } = parseArgs({
  options: {
    zip: { type: 'string' },
    settings: { type: 'string' },
    'create-settings': { type: 'string' },
    'skip-import': { type: 'boolean', default: false },
  },
});

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run deploy -- --zip <solution.zip> (--settings <deploymentSettings.json> | --create-settings <out.json>)\n`,
  );
  process.exit(2);
}

if (!values.zip) usage('--zip is required');
const zip = new Uint8Array(await readFile(values.zip));

if (values['create-settings']) {
  const settings = createSettings(readComponents(zip));
  await writeFile(values['create-settings'], `${JSON.stringify(settings, null, 2)}\n`);
  process.stdout.write(`wrote ${values['create-settings']}\n`);
  process.exit(0);
}
if (!values.settings) usage('--settings is required');
const settings = JSON.parse(await readFile(values.settings, 'utf8')) as DeploymentSettings;

const orgUrl = (process.env.DATAVERSE_URL ?? '').replace(/\/+$/, '');
if (!orgUrl) usage('DATAVERSE_URL is not set');

function tokenSource(): () => Promise<string> {
  const fixed = process.env.DEPLOY_ACCESS_TOKEN;
  if (fixed) return () => Promise.resolve(fixed);
  const clientId = process.env.DEPLOY_CLIENT_ID;
  const clientSecret = process.env.DEPLOY_CLIENT_SECRET;
  if (!clientId || !clientSecret) usage('set DEPLOY_ACCESS_TOKEN, or DEPLOY_CLIENT_ID and DEPLOY_CLIENT_SECRET');
  const extra = process.env.DEPLOY_MSAL_AUTH_JSON ? (JSON.parse(process.env.DEPLOY_MSAL_AUTH_JSON) as object) : {};
  const app = new ConfidentialClientApplication({
    auth: {
      clientId,
      clientSecret,
      authority: `https://login.microsoftonline.com/${process.env.DEPLOY_TENANT_ID ?? 'organizations'}`,
      ...extra,
    },
  });
  return async () => {
    const r = await app.acquireTokenByClientCredential({ scopes: [`${orgUrl}/.default`] });
    if (!r?.accessToken) throw new DeployError('token request returned no token');
    return r.accessToken;
  };
}

try {
  const report = await deploy({
    apiUrl: `${orgUrl}/api/data/v9.2/`,
    getToken: tokenSource(),
    zip,
    settings,
    skipImport: values['skip-import'] ?? false,
    ...(process.env.DATAVERSE_WEBHOOK_SECRET ? { webhookSecret: process.env.DATAVERSE_WEBHOOK_SECRET } : {}),
    log: (l) => process.stdout.write(`${l}\n`),
  });
  process.stdout.write(
    `${report.ok ? 'DEPLOYED' : 'INCOMPLETE'}: ${report.version} (${report.action}${report.fromVersion ? ` from ${report.fromVersion}` : ''}), ${report.checks.filter((c) => c.ok).length}/${report.checks.length} checks ok\n`,
  );
  process.exitCode = report.action === 'none' ? 2 : report.ok ? 0 : 1;
} catch (e) {
  process.stderr.write(`deploy failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
