// Small key/value settings the proxy writes itself (setup stores the PayPal webhook id here).
import type { Sql } from './store.ts';

export const SETTING_PAYPAL_WEBHOOK_ID = 'paypal_webhook_id';

export async function readSettings(sql: Sql): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ key: string; value: string }>('SELECT key, value FROM settings');
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function writeSetting(sql: Sql, key: string, value: string): Promise<void> {
  await sql.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, value],
  );
}
