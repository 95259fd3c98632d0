// Webhooks Management v1 (notifications_webhooks_v1.json): webhooks CRUD, event types, event history,
// resend, verify-webhook-signature (postback), simulate-event, and the signing certificate URL.
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import type { Webhook, WebhookEvent } from '../core/state.ts';
import { errors, PayPalError } from '../core/errors.ts';
import { EVENT_TYPES } from '../webhooks/event-types.ts';
import { signedMessage, verifyWithCert } from '../webhooks/signing.ts';
import { sampleResource } from '../webhooks/samples.ts';

type Json = Record<string, unknown>;

const webhookError = (issue: string, name: string, message: string, status = 400) =>
  new PayPalError(status, name, message, [{ issue, description: message }]);

function renderWebhook(emu: Emulator, w: Webhook): Json {
  const self = emu.link(`/v1/notifications/webhooks/${w.id}`);
  return {
    id: w.id,
    url: w.url,
    event_types: w.eventTypes.map((name) => ({
      name,
      description: name === '*' ? 'ALL' : (EVENT_TYPES[name] ?? name),
      status: 'ENABLED',
    })),
    links: [
      { href: self, rel: 'self', method: 'GET' },
      { href: self, rel: 'update', method: 'PATCH' },
      { href: self, rel: 'delete', method: 'DELETE' },
    ],
  };
}

function parseEventTypes(v: unknown): string[] {
  if (!Array.isArray(v) || !v.length) throw errors.missingField('event_types');
  return v.map((e, i) => {
    const name = (e as Json)?.name;
    if (typeof name !== 'string') throw errors.missingField(`event_types[${i}].name`);
    if (name !== '*' && !EVENT_TYPES[name])
      throw webhookError('INVALID_EVENT_TYPE', 'VALIDATION_ERROR', `Invalid event type: ${name}`);
    return name;
  });
}

function getWebhook(emu: Emulator, id: string): Webhook {
  const w = emu.state.webhooks[id];
  if (!w)
    throw new PayPalError(404, 'INVALID_RESOURCE_ID', 'Resource id is invalid.', [
      { issue: 'INVALID_RESOURCE_ID', description: 'Webhook id is invalid.' },
    ]);
  return w;
}

function getEvent(emu: Emulator, id: string): WebhookEvent {
  const e = emu.state.events.find((x) => x.id === id);
  if (!e)
    throw new PayPalError(404, 'INVALID_RESOURCE_ID', 'Resource id is invalid.', [
      { issue: 'INVALID_RESOURCE_ID', description: 'Event id is invalid.' },
    ]);
  return e;
}

export function webhookRoutes(emu: Emulator): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/notifications/webhooks',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url)) throw errors.missingField('url');
        const eventTypes = parseEventTypes(b.event_types);
        const all = Object.values(emu.state.webhooks);
        if (all.some((w) => w.url === b.url))
          throw webhookError('WEBHOOK_URL_ALREADY_EXISTS', 'WEBHOOK_URL_ALREADY_EXISTS', 'Webhook URL already exists');
        if (all.length >= 10)
          throw webhookError(
            'WEBHOOK_NUMBER_LIMIT_EXCEEDED',
            'WEBHOOK_NUMBER_LIMIT_EXCEEDED',
            'Maximum number of webhooks (10) exceeded',
          );
        const w: Webhook = { id: emu.random.paypalId(), url: b.url, eventTypes };
        emu.state.webhooks[w.id] = w;
        return { status: 201, body: renderWebhook(emu, w) };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/notifications/webhooks',
      handler: () => ({
        status: 200,
        body: { webhooks: Object.values(emu.state.webhooks).map((w) => renderWebhook(emu, w)) },
      }),
    },
    {
      method: 'GET',
      pattern: '/v1/notifications/webhooks/:id',
      handler: ({ params }) => ({ status: 200, body: renderWebhook(emu, getWebhook(emu, params.id!)) }),
    },
    {
      method: 'PATCH',
      pattern: '/v1/notifications/webhooks/:id',
      handler: ({ params, body }) => {
        const w = getWebhook(emu, params.id!);
        if (!Array.isArray(body)) throw errors.malformedJson();
        for (const op of body as Json[]) {
          if (op.op !== 'replace') throw errors.invalidField('op', op.op);
          if (op.path === '/url' && typeof op.value === 'string') w.url = op.value;
          else if (op.path === '/event_types') w.eventTypes = parseEventTypes(op.value);
          else throw errors.invalidField('path', op.path);
        }
        return { status: 200, body: renderWebhook(emu, w) };
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/notifications/webhooks/:id',
      handler: ({ params }) => {
        getWebhook(emu, params.id!);
        delete emu.state.webhooks[params.id!];
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/notifications/webhooks/:id/event-types',
      handler: ({ params }) => ({
        status: 200,
        body: { event_types: renderWebhook(emu, getWebhook(emu, params.id!)).event_types as Json[] },
      }),
    },
    {
      method: 'GET',
      pattern: '/v1/notifications/webhooks-event-types',
      handler: () => ({
        status: 200,
        body: {
          event_types: Object.entries(EVENT_TYPES).map(([name, description]) => ({
            name,
            description,
            status: 'ENABLED',
          })),
        },
      }),
    },
    {
      method: 'GET',
      pattern: '/v1/notifications/webhooks-events',
      handler: ({ query }) => {
        const size = Math.min(300, Number(query.get('page_size') ?? 10) || 10);
        const type = query.get('event_type');
        const list = emu.state.events
          .filter((e) => !type || e.event_type === type)
          .slice()
          .reverse();
        return { status: 200, body: { events: list.slice(0, size), count: Math.min(size, list.length), links: [] } };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/notifications/webhooks-events/:id',
      handler: ({ params }) => ({ status: 200, body: getEvent(emu, params.id!) }),
    },
    {
      method: 'POST',
      pattern: '/v1/notifications/webhooks-events/:id/resend',
      handler: ({ params, body }) => {
        const e = getEvent(emu, params.id!);
        const ids = ((body as Json)?.webhook_ids as string[] | undefined) ?? Object.keys(emu.state.webhooks);
        emu.dispatcher.resend(
          e,
          ids.map((id) => getWebhook(emu, id)),
        );
        return { status: 202, body: e };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/notifications/verify-webhook-signature',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        for (const k of [
          'auth_algo',
          'cert_url',
          'transmission_id',
          'transmission_sig',
          'transmission_time',
          'webhook_id',
          'webhook_event',
        ]) {
          if (b[k] === undefined || b[k] === '') throw errors.missingField(k);
        }
        // The postback re-serialises the event it is given; our deliveries are compact JSON, so this is the same bytes.
        const ok =
          b.auth_algo === 'SHA256withRSA' &&
          b.cert_url === emu.certUrl() &&
          !!emu.state.webhooks[String(b.webhook_id)] &&
          verifyWithCert(
            emu.signing.leafPem,
            signedMessage(
              String(b.transmission_id),
              String(b.transmission_time),
              String(b.webhook_id),
              JSON.stringify(b.webhook_event),
            ),
            String(b.transmission_sig),
          );
        return { status: 200, body: { verification_status: ok ? 'SUCCESS' : 'FAILURE' } };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/notifications/simulate-event',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        if (typeof b.event_type !== 'string') throw errors.missingField('event_type');
        if (!EVENT_TYPES[b.event_type])
          throw webhookError('INVALID_EVENT_TYPE', 'VALIDATION_ERROR', `Invalid event type: ${b.event_type}`);
        const target =
          typeof b.webhook_id === 'string'
            ? getWebhook(emu, b.webhook_id).url
            : typeof b.url === 'string'
              ? b.url
              : undefined;
        if (!target) throw errors.missingField('webhook_id');
        const sample = sampleResource(emu, b.event_type);
        const id = `WH-${emu.random.chars(17)}-${emu.random.chars(17)}`;
        const event: WebhookEvent = {
          id,
          event_version: '1.0',
          create_time: emu.clock.now().toISOString(),
          resource_type: sample.resourceType,
          ...(sample.resourceVersion ? { resource_version: sample.resourceVersion } : {}),
          event_type: b.event_type,
          summary: sample.summary,
          resource: sample.resource,
          links: [
            { href: emu.link(`/v1/notifications/webhooks-events/${id}`), rel: 'self', method: 'GET' },
            { href: emu.link(`/v1/notifications/webhooks-events/${id}/resend`), rel: 'resend', method: 'POST' },
          ],
        };
        // Simulator events are signed with the literal webhook id "WEBHOOK_ID" and are not stored or resendable.
        emu.dispatcher.enqueue(event, { id: 'WEBHOOK_ID', url: target, eventTypes: ['*'] });
        return { status: 202, body: event };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/notifications/certs/:certId',
      auth: false,
      handler: ({ params }) => {
        if (params.certId !== emu.signing.certId) throw errors.notFound('cert_id', params.certId!);
        return {
          status: 200,
          text: { contentType: 'application/x-pem-file', data: emu.signing.leafPem + emu.signing.caPem },
        };
      },
    },
  ];
}
