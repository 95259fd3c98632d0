// The emulator's shared context: config, state, clock, seeded ids, event emission, persistence.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { PayPalEmulatorConfig } from './config.ts';
import { EmulatorClock, isoSeconds } from './core/clock.ts';
import { Faults } from './core/faults.ts';
import { Random } from './core/random.ts';
import { emptyState, type State, type WebhookEvent } from './core/state.ts';
import { Dispatcher } from './webhooks/dispatcher.ts';
import type { SigningMaterial } from './webhooks/signing.ts';

export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export class Emulator {
  readonly config: PayPalEmulatorConfig;
  readonly clock: EmulatorClock;
  readonly signing: SigningMaterial;
  readonly faults: Faults;
  readonly dispatcher: Dispatcher;
  readonly responses: RecordedResponse[] = [];
  readonly inflight = new Set<string>();
  state: State;
  random: Random;
  baseUrl = '';
  private generation = 0;
  /** Renders a stored resource by kind for idempotent replays. */
  readonly renderers = new Map<string, (id: string) => unknown>();
  /** Jobs run when the clock advances (payout transitions, renewals, retries). */
  readonly clockJobs: Array<(now: Date) => void> = [];

  constructor(config: PayPalEmulatorConfig, signing: SigningMaterial) {
    this.config = config;
    this.signing = signing;
    const start = config.startTime === undefined ? Date.now() : new Date(config.startTime).getTime();
    this.clock = new EmulatorClock(start, config.clockFlows ?? false);
    this.random = new Random(config.seed);
    this.faults = new Faults(config.seed);
    this.state = emptyState();
    this.dispatcher = new Dispatcher(this);
    if (config.stateFile && existsSync(config.stateFile)) {
      const saved = JSON.parse(readFileSync(config.stateFile, 'utf8')) as {
        state: State;
        clockOffset: number;
        generation: number;
      };
      this.state = { ...emptyState(), ...saved.state };
      this.clock.offset = saved.clockOffset;
      // A new id stream per restart, so new ids do not collide with the saved ones.
      this.generation = saved.generation + 1;
      this.random = new Random(`${config.seed}:restart-${this.generation}`);
    }
    this.clock.onAdvance((now) => {
      for (const job of this.clockJobs) job(now);
      if (config.webhookTimers === 'clock') this.dispatcher.onClock(now);
      this.persist();
    });
  }

  nowIso(): string {
    return isoSeconds(this.clock.now());
  }

  link(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  certUrl(): string {
    return this.link(`/v1/notifications/certs/${this.signing.certId}`);
  }

  debugId(): string {
    return this.random.hex(13);
  }

  /** Records an event and delivers it to every webhook subscribed to its type. */
  emit(
    eventType: string,
    resourceType: string,
    resourceVersion: string | undefined,
    summary: string,
    resource: Record<string, unknown>,
  ): WebhookEvent {
    const id = `WH-${this.random.chars(17)}-${this.random.chars(17)}`;
    const event: WebhookEvent = {
      id,
      event_version: '1.0',
      create_time: this.clock.now().toISOString(),
      resource_type: resourceType,
      ...(resourceVersion ? { resource_version: resourceVersion } : {}),
      event_type: eventType,
      summary,
      resource,
      links: [
        { href: this.link(`/v1/notifications/webhooks-events/${id}`), rel: 'self', method: 'GET' },
        { href: this.link(`/v1/notifications/webhooks-events/${id}/resend`), rel: 'resend', method: 'POST' },
      ],
    } as WebhookEvent;
    this.state.events.push(event);
    for (const w of Object.values(this.state.webhooks)) {
      if (w.eventTypes.includes('*') || w.eventTypes.includes(eventType)) this.dispatcher.enqueue(event, w);
    }
    return event;
  }

  reset(): void {
    this.state = emptyState();
    this.random = new Random(this.config.seed);
    this.clock.offset = 0;
    this.faults.clear();
    this.responses.length = 0;
    this.persist();
  }

  persist(): void {
    if (!this.config.stateFile) return;
    const data = { state: this.state, clockOffset: this.clock.offset, generation: this.generation };
    writeFileSync(this.config.stateFile, JSON.stringify(data));
  }
}
