// Delivers events to registered webhook URLs: signed POSTs with PayPal's transmission headers, retried
// on non-2xx, connection errors and timeouts on a backoff schedule ("up to 25 times over 3 days",
// https://developer.paypal.com/api/rest/webhooks/rest/). Duplicate and out-of-order delivery can be
// injected through the control API, since PayPal does not guarantee order or uniqueness.
import type { Emulator } from '../emulator.ts';
import type { Delivery, Webhook, WebhookEvent } from '../core/state.ts';
import { isoSeconds } from '../core/clock.ts';
import { Random } from '../core/random.ts';
import { sign, signedMessage } from './signing.ts';

export class Dispatcher {
  private readonly emu: Emulator;
  private readonly random: Random;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<void>>();
  private closed = false;
  /** Injection: the next N deliveries are sent twice. */
  duplicateNext = 0;
  /** Injection: the next N deliveries are held until released (then sent newest first). */
  holdNext = 0;

  constructor(emu: Emulator) {
    this.emu = emu;
    this.random = new Random(`${emu.config.seed}:deliveries`);
  }

  enqueue(event: WebhookEvent, webhook: Webhook): void {
    const body = JSON.stringify(event);
    const delivery = this.newDelivery(event, webhook, body);
    if (this.holdNext > 0) {
      this.holdNext--;
      delivery.state = 'HELD';
      return;
    }
    this.start(delivery);
    if (this.duplicateNext > 0) {
      this.duplicateNext--;
      const dup = this.newDelivery(event, webhook, body);
      dup.duplicateOf = delivery.id;
      this.start(dup);
    }
  }

  /** Sends held deliveries, newest first, so receivers see them out of order. */
  releaseHeld(): number {
    const held = this.emu.state.deliveries.filter((d) => d.state === 'HELD').reverse();
    for (const d of held) {
      d.state = 'PENDING';
      this.start(d);
    }
    return held.length;
  }

  /** Re-sends an event to the given webhooks (webhooks-events/{id}/resend). */
  resend(event: WebhookEvent, webhooks: Webhook[]): void {
    for (const w of webhooks) this.start(this.newDelivery(event, w, JSON.stringify(event)));
  }

  /** With `webhookTimers: 'clock'`, runs the retries that have come due on the emulator clock. */
  onClock(now: Date): void {
    for (const d of this.emu.state.deliveries) {
      if (d.state === 'RETRYING' && d.nextAttemptAt && Date.parse(d.nextAttemptAt) <= now.getTime()) this.start(d);
    }
  }

  /** Resolves when no attempt is in flight (tests poll deliveries with this). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private newDelivery(event: WebhookEvent, webhook: Webhook, body: string): Delivery {
    const delivery: Delivery = {
      id: `DLV-${this.random.chars(17)}`,
      eventId: event.id,
      eventType: event.event_type,
      webhookId: webhook.id,
      url: webhook.url,
      body,
      state: 'PENDING',
      attempts: [],
    };
    this.emu.state.deliveries.push(delivery);
    return delivery;
  }

  private start(delivery: Delivery): void {
    if (this.closed) return;
    // Draw ids and sign synchronously so a seeded run produces the same headers.
    const transmissionId = this.random.uuid();
    const time = isoSeconds(this.emu.clock.now());
    const { leafPrivateKeyPem } = this.emu.signing;
    const sig = sign(leafPrivateKeyPem, signedMessage(transmissionId, time, delivery.webhookId, delivery.body));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'paypal-transmission-id': transmissionId,
      'paypal-transmission-time': time,
      'paypal-transmission-sig': sig,
      'paypal-cert-url': this.emu.certUrl(),
      'paypal-auth-algo': 'SHA256withRSA',
      'paypal-auth-version': 'v2',
      'correlation-id': this.random.hex(13),
      'user-agent': `PayPal/AUHD-214.0-${this.random.digits(8)}`,
    };
    delivery.lastHeaders = headers;
    delivery.state = delivery.attempts.length ? 'RETRYING' : 'PENDING';
    delete delivery.nextAttemptAt;
    const p = this.send(delivery, headers, transmissionId, time).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  private async send(
    delivery: Delivery,
    headers: Record<string, string>,
    transmissionId: string,
    time: string,
  ): Promise<void> {
    const started = Date.now();
    let status: number | undefined;
    let error: string | undefined;
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new DOMException('delivery timed out', 'TimeoutError')),
      this.emu.config.webhookTimeoutMs,
    );
    try {
      const res = await fetch(delivery.url, { method: 'POST', headers, body: delivery.body, signal: abort.signal });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    } finally {
      clearTimeout(timer);
    }
    if (this.closed) return;
    delivery.attempts.push({
      attempt: delivery.attempts.length + 1,
      time,
      transmissionId,
      status,
      error,
      durationMs: Date.now() - started,
    });
    if (status !== undefined && status >= 200 && status < 300) {
      delivery.state = 'SUCCESS';
    } else {
      const delay = this.emu.config.webhookRetryScheduleMs[delivery.attempts.length - 1];
      if (delay === undefined) {
        delivery.state = 'FAILED';
      } else {
        delivery.state = 'RETRYING';
        delivery.nextAttemptAt = new Date(this.emu.clock.now().getTime() + delay).toISOString();
        if (this.emu.config.webhookTimers === 'real') {
          const t = setTimeout(() => {
            this.timers.delete(t);
            this.start(delivery);
          }, delay);
          this.timers.add(t);
        }
      }
    }
    this.emu.persist();
  }
}
