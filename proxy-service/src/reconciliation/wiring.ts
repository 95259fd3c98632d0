// The reconciler of one proxy from its configuration, its admin routes and its schedule (RECON_INTERVAL_MS):
// each tick fetches over SFTP, scans the drop folder, re-checks open breaks and runs the Transaction Search
// catch-up; a tick never overlaps the previous one, and a failure is logged and tried again next tick.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { PgBoss } from 'pg-boss';
import type { DataversePort } from '../adapters/dataverse/types.ts';
import type { PayPalClient } from '../adapters/paypal/client.ts';
import type { Store } from '../adapters/store/store.ts';
import type { Config } from '../config.ts';
import { dataverseReferenceData } from '../flows/reference-data.ts';
import { errorForLog, type Logger } from '../logger.ts';
import { reconciliationRouter } from './admin-routes.ts';
import { createReconciler, type IntegrationEventSink } from './reconciler.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const fromRoot = (p: string) => (isAbsolute(p) ? p : resolve(REPO_ROOT, p));

export function reconciliationFromConfig(
  config: Config,
  deps: {
    store: Store;
    boss: PgBoss;
    dataverse: DataversePort;
    paypal: PayPalClient;
    log: Logger;
    events?: IntegrationEventSink;
  },
) {
  const log = deps.log.child({ component: 'reconciliation' });
  const reconciler = createReconciler({
    ...deps,
    log,
    reference: dataverseReferenceData(deps.dataverse),
    settings: {
      spoolDir: fromRoot(config.reconSpoolDir),
      ...(config.reconDropDir ? { dropDir: fromRoot(config.reconDropDir) } : {}),
      ...(config.reconSftpHost && config.reconSftpUser
        ? {
            sftp: {
              host: config.reconSftpHost,
              port: config.reconSftpPort,
              username: config.reconSftpUser,
              remoteDir: config.reconSftpDir,
              ...(config.reconSftpPassword ? { password: config.reconSftpPassword } : {}),
              ...(config.reconSftpPrivateKeyFile
                ? { privateKey: readFileSync(fromRoot(config.reconSftpPrivateKeyFile), 'utf8') }
                : {}),
              ...(config.reconSftpHostKeySha256 ? { hostKeySha256: config.reconSftpHostKeySha256 } : {}),
            },
          }
        : {}),
      tolerances: { amountMinor: config.reconAmountToleranceMinor, feeMinor: config.reconFeeToleranceMinor },
      ...(config.reconCutoverDate ? { cutover: new Date(`${config.reconCutoverDate}T00:00:00Z`) } : {}),
      lagMs: config.reconSearchLagHours * 3_600_000,
      overlapMs: 86_400_000,
      lookbackDays: config.reconLookbackDays,
    },
  });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = async () => {
    try {
      await reconciler.fetchSftp();
      await reconciler.scanDropFolder();
      await reconciler.recheck();
      await reconciler.catchUp();
    } catch (err) {
      log.error({ err: errorForLog(err) }, 'reconciliation tick failed; next tick tries again');
    }
  };
  return {
    reconciler,
    routes: reconciliationRouter(reconciler, deps.store),
    schedule(intervalMs: number) {
      if (!intervalMs) return;
      timer = setInterval(() => {
        running ??= tick().finally(() => (running = undefined));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
