// What `npm start` prints once the sandbox is up. Every link opens in a browser as it is; the Dataverse
// Web API needs a bearer token (a browser has none), so its link comes with the recipe for one.
import { relative } from 'node:path';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@ppc/paypal-emulator';
import { REPO_ROOT } from './sandbox-settings.ts';
import type { Sandbox } from './sandbox.ts';

/** The banner's last line: scripts (the CI smoke run) wait for it. */
export const READY_LINE = 'Sandbox ready. Stop it with Ctrl+C.';

const shown = (path: string) => {
  const rel = relative(REPO_ROOT, path);
  return rel && !rel.startsWith('..') ? rel : path;
};

export function sandboxBanner(s: Sandbox): string {
  const { stack, harness, purchase, recorded } = s;
  const api = stack.dataverse.apiUrl;
  const form = (control: string, entity: string, id: string, user: string) =>
    `${harness.url}/form?control=${control}&entity=${entity}&id=${id}&user=${user}`;
  const filter = `$filter=ppc_paypalid eq '${purchase.captureId}'`;
  const landed = recorded
    ? [
        ...(recorded.invoiceId
          ? [`  invoice (PaymentStatus)        ${form('PaymentStatus', 'invoice', recorded.invoiceId, 'financeuser')}`]
          : []),
        `  PayPal transaction (FraudScore) ${form('FraudScore', 'ppc_paypaltransaction', recorded.transactionId, 'financeuser')}`,
      ]
    : [`  not in Dataverse yet: see the proxy's log above, or the dead letters below`];
  return `
D365 ⇄ PayPal connector — local sandbox
  PayPal emulator     ${stack.paypal.url}   OAuth client ${DEFAULT_CLIENT_ID} / ${DEFAULT_CLIENT_SECRET}
  Dataverse emulator  ${stack.dataverse.url}   Web API ${api} (bearer token, see below)
  proxy               ${stack.proxyUrl}   /healthz /readyz /metrics, /admin/* with the admin token
  admin console       ${stack.proxyUrl}/admin   (sign in with the admin token below)
  PCF form harness    ${harness.url}/   forms on demo records, user switcher
  data directory      ${shown(s.settings.dataDir)}   (proxy store: ${s.settings.store.kind} in ${shown(s.settings.store.dataDir)})
  admin token         ${s.adminToken}   (kept in ${shown(s.settings.dataDir)}/admin-token unless ADMIN_TOKEN is set)

Demo purchase: PayPal order ${purchase.orderId}, capture ${purchase.captureId} (${purchase.status}), in Dataverse:
${landed.join('\n')}
  Web API: TOKEN=$(curl -s -X POST ${stack.dataverse.url}/_emulator/token -d '{"user":"admin"}' | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
           curl -H "authorization: Bearer $TOKEN" -G '${api}ppc_paypaltransactions' --data-urlencode "\\${filter}"

Another purchase:  npm run demo:purchase
Dead letters:      curl -H 'authorization: Bearer ${s.adminToken}' ${stack.proxyUrl}/admin/dead-letters
                   (or npm run dlq -- list, once the sandbox is stopped: the embedded store has one owner)
${READY_LINE}`;
}
