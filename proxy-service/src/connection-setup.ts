// Connection set-up, as an admin does it: check the PayPal and Dataverse credentials and the solution's
// configuration, register (or reuse) our webhook at PayPal for every event type we handle, keep its id
// for signature verification. Idempotent; says what it did and what is missing.
import type { DataversePort } from './adapters/dataverse/types.ts';
import type { PayPalClient } from './adapters/paypal/index.ts';
import { PAYPAL_ACTIONS } from './flows/event-actions.ts';

export interface SetupDeps {
  paypal?: PayPalClient;
  dataverse?: DataversePort;
  publicUrl?: string;
  saveWebhookId(id: string): Promise<void>;
}

export interface SetupReport {
  ok: boolean;
  webhookId?: string;
  lines: string[];
}

export const HANDLED_EVENT_TYPES = Object.keys(PAYPAL_ACTIONS);

export async function runSetup(deps: SetupDeps): Promise<SetupReport> {
  const lines: string[] = [];
  let ok = true;
  const fail = (line: string) => {
    ok = false;
    lines.push(`✗ ${line}`);
  };

  if (!deps.paypal) fail('PayPal: PAYPAL_CLIENT_ID / PAYPAL_CLIENT_SECRET not set');
  else {
    try {
      await deps.paypal.tokens.token();
      lines.push('✓ PayPal: credentials accepted');
    } catch (err) {
      fail(`PayPal: credentials refused: ${(err as Error).message}`);
    }
  }

  if (!deps.dataverse) fail('Dataverse: DATAVERSE_URL / DATAVERSE_CLIENT_ID / DATAVERSE_CLIENT_SECRET not set');
  else {
    try {
      const currencies = await deps.dataverse.query<{ isocurrencycode: string }>(
        'transactioncurrencies',
        '$select=isocurrencycode',
        200,
      );
      lines.push(
        `✓ Dataverse: credentials accepted; currencies ${currencies.map((c) => c.isocurrencycode).join(', ')}`,
      );
      const gl = await deps.dataverse.query('ppc_glaccountmaps', '$select=ppc_purpose&$filter=statecode eq 0', 500);
      if (gl.length) lines.push(`✓ Dataverse: PayPal solution installed; ${gl.length} GL account mappings`);
      else
        fail(
          'Dataverse: no rows in ppc_glaccountmap: add clearing, fee expense, receivable and FX accounts before payments arrive',
        );
    } catch (err) {
      fail(`Dataverse: ${(err as Error).message}`);
    }
  }

  let webhookId: string | undefined;
  if (!deps.publicUrl) fail('Webhook: PUBLIC_URL not set, so PayPal cannot be told where to deliver');
  else if (deps.paypal) {
    const url = `${deps.publicUrl.replace(/\/+$/, '')}/webhooks/paypal`;
    try {
      const existing = (await deps.paypal.listWebhooks()).find((w) => w.url === url);
      if (existing?.id) {
        webhookId = existing.id;
        const subscribed = new Set((existing.event_types ?? []).map((t) => t.name));
        const missing = subscribed.has('*') ? [] : HANDLED_EVENT_TYPES.filter((t) => !subscribed.has(t));
        lines.push(`✓ Webhook: reusing ${existing.id} for ${url}`);
        if (missing.length)
          lines.push(`! Webhook: not subscribed to ${missing.join(', ')} (edit it in the PayPal dashboard)`);
      } else {
        const created = await deps.paypal.createWebhook(url, HANDLED_EVENT_TYPES);
        webhookId = created.id;
        lines.push(`✓ Webhook: registered ${created.id} for ${url} (${HANDLED_EVENT_TYPES.length} event types)`);
      }
      if (webhookId) await deps.saveWebhookId(webhookId);
    } catch (err) {
      fail(`Webhook: ${(err as Error).message}`);
    }
  }
  return { ok, ...(webhookId ? { webhookId } : {}), lines };
}
