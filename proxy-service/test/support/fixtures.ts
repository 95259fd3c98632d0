// The real PayPal deliveries saved in test/fixtures/paypal-webhooks/signed (see SOURCES.md there).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fixturePath } from './paths.ts';

export interface SignedDelivery {
  name: string;
  body: Buffer;
  headers: Record<string, string>;
  webhookId: string;
  certPem: string;
  /** The transmission time: a clock pinned here sees the (since expired) certificate as valid. */
  sentAt: Date;
}

export function signedDeliveries(): SignedDelivery[] {
  const dir = fixturePath('paypal-webhooks', 'signed');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.delivery.json'))
    .sort()
    .map((file) => {
      const d = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
        event_file: string;
        webhook_id: string;
        cert_file: string;
        headers: Record<string, string>;
      };
      return {
        name: file.replace('.delivery.json', ''),
        body: readFileSync(join(dir, d.event_file)),
        headers: d.headers,
        webhookId: d.webhook_id,
        certPem: readFileSync(join(dirname(join(dir, file)), d.cert_file), 'utf8'),
        sentAt: new Date(d.headers['paypal-transmission-time']!),
      };
    });
}

/** The `resource` of a saved PayPal event body (test/fixtures/paypal-webhooks/<name>.json), typed by the caller. */
export function fixtureResource<T>(name: string): T {
  const event = JSON.parse(readFileSync(fixturePath('paypal-webhooks', `${name}.json`), 'utf8')) as { resource: T };
  return event.resource;
}
