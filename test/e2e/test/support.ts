// What several e2e suites need of the local stack: waiting until Dataverse's webhooks are processed, and the PayPal
// emulator's control API.
import { waitFor } from '@ppc/test-support';
import type { LocalStack } from '@ppc/stack';

type Row = Record<string, unknown>;

/** Every Dataverse webhook sent so far has been processed by the proxy (so "nothing happened" is not "not yet"). */
export async function dataverseEventsDone(stack: LocalStack): Promise<void> {
  await stack.dataverse.waitForWebhooks();
  await waitFor(
    async () => {
      const { rows } = await stack.proxy.store.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM inbox_events WHERE source = 'dataverse' AND status NOT IN ('processed', 'dead', 'ignored')`,
      );
      return rows[0]!.n === '0' ? true : undefined;
    },
    30_000,
    'dataverse events processed',
  );
}

/** POST to the PayPal emulator's control API (/_emulator/…); its JSON answer, or {} when it has none. */
export async function emulatorControl(stack: LocalStack, path: string, body: unknown = {}): Promise<Row> {
  const res = await fetch(new URL(path, stack.paypal.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json().catch(() => ({}))) as Row;
}
