// `npm run -w proxy-service setup`: prints what ../connection-setup.ts checked and registered; exit 1 when incomplete.
import { openStore } from '../adapters/store/open-store.ts';
import { SETTING_PAYPAL_WEBHOOK_ID, writeSetting } from '../adapters/store/settings.ts';
import { loadConfig } from '../config.ts';
import { buildFlows } from '../proxy.ts';
import { runSetup } from '../connection-setup.ts';

const config = loadConfig();
const store = await openStore(config);
try {
  const { paypal, dataverse } = buildFlows(config, {});
  const report = await runSetup({
    ...(paypal ? { paypal } : {}),
    ...(dataverse ? { dataverse } : {}),
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    saveWebhookId: (id) => writeSetting(store, SETTING_PAYPAL_WEBHOOK_ID, id),
  });
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  if (report.webhookId && !config.paypalWebhookId)
    process.stdout.write(
      `Webhook id stored; the proxy uses it from its next start (or set PAYPAL_WEBHOOK_ID=${report.webhookId}).\n`,
    );
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await store.close();
}
