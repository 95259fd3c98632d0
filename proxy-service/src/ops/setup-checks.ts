// The admin console's "setup" panel: read-only checks of what `setup` configures (credentials, webhook, the
// solution and its environment variables). Unlike runSetup it registers nothing; each check says what it saw.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import type { PayPalClient } from '../adapters/paypal/index.ts';
import { EnvVar } from '@ppc/solution';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Environment variables without which a flow cannot run as intended (the others have defaults). */
const NEEDED: readonly string[] = [EnvVar.BaseCurrency, EnvVar.FinanceAlertEmail, EnvVar.AdminAlertEmail];

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

export async function setupChecks(deps: {
  paypal?: Pick<PayPalClient, 'tokens'>;
  dataverse?: DataversePort;
  webhookId?: string;
  timeoutMs?: number;
}): Promise<Check[]> {
  const ms = deps.timeoutMs ?? 5000;
  const checks: Check[] = [];
  if (!deps.paypal) checks.push({ name: 'PayPal credentials', ok: false, detail: 'PAYPAL_CLIENT_ID / SECRET not set' });
  else
    checks.push(
      await withTimeout(deps.paypal.tokens.token(), ms).then(
        () => ({ name: 'PayPal credentials', ok: true, detail: 'OAuth token obtained' }),
        (err: Error) => ({ name: 'PayPal credentials', ok: false, detail: err.message }),
      ),
    );
  checks.push(
    deps.webhookId
      ? { name: 'PayPal webhook', ok: true, detail: `registered, id ${deps.webhookId}` }
      : { name: 'PayPal webhook', ok: false, detail: 'no webhook id: run setup (or set PAYPAL_WEBHOOK_ID)' },
  );
  if (!deps.dataverse) {
    checks.push({ name: 'Dataverse', ok: false, detail: 'DATAVERSE_URL / credentials not set' });
    return checks;
  }
  const dv = deps.dataverse;
  try {
    const [solution] = await withTimeout(
      dv.query<{ version?: string }>(
        'solutions',
        "$select=version,uniquename&$filter=uniquename eq 'PayPalConnector'",
        1,
      ),
      ms,
    );
    checks.push(
      solution
        ? { name: 'Solution', ok: true, detail: `PayPalConnector ${solution.version ?? '(version unknown)'}` }
        : { name: 'Solution', ok: false, detail: 'PayPalConnector is not installed' },
    );
  } catch (err) {
    checks.push({
      name: 'Solution',
      ok: false,
      detail: `cannot read the solution table (the application user needs read on Solution; the local emulator has none): ${(err as Error).message}`,
    });
  }
  try {
    const defs = await withTimeout(
      dv.query<{
        schemaname: string;
        defaultvalue?: string | null;
        environmentvariabledefinition_environmentvariablevalue?: { value?: string }[];
      }>(
        'environmentvariabledefinitions',
        '$select=schemaname,defaultvalue&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)',
        500,
      ),
      ms,
    );
    const valueOf = (name: string) => {
      const d = defs.find((x) => x.schemaname === name);
      return d?.environmentvariabledefinition_environmentvariablevalue?.[0]?.value ?? d?.defaultvalue ?? undefined;
    };
    for (const name of Object.values(EnvVar)) {
      const v = valueOf(name);
      const needed = NEEDED.includes(name);
      checks.push({
        name: `Environment variable ${name}`,
        ok: v !== undefined && v !== '' ? true : !needed,
        detail: v !== undefined && v !== '' ? 'set' : needed ? 'not set: needed' : 'not set (default applies)',
      });
    }
  } catch (err) {
    checks.push({ name: 'Environment variables', ok: false, detail: (err as Error).message });
  }
  return checks;
}
