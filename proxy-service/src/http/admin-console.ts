// The admin console at /admin: server-rendered HTML (no bundle, no client script; each page is one query round
// of the proxy's own store), signed in with the admin token. Sign-in exchanges the token for a session cookie
// (HttpOnly, SameSite=Strict, Path=/admin) holding an HMAC of the token, never the token itself; a POST from
// another origin is refused (Origin check, on top of SameSite). What it shows: queue depth and throughput over
// time, inbox events by status, dead letters (payload, error, replay), parked events, integration and security
// events, the setup checks, recent PayPal and Dataverse errors with debug ids, money movements, reconciliation
// runs when the reconciliation feature has stored any.
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { createRejectLog } from '../intake/reject-log.ts';
import { capped } from '../logger.ts';
import { listMoneyMovements } from '../ops/audit.ts';
import { listIntegrationEvents, setInboxEventStatus } from '../ops/integration-events.ts';
import { setupChecks } from '../ops/setup-checks.ts';
import { getDeadLetter, listDeadLetters, replayDeadLetter } from '../queue/dead-letters.ts';
import { QUEUES } from '../queue/job-queue.ts';
import { listParkedEvents } from '../queue/parked-events.ts';
import type { AppDeps } from './app.ts';

export const SESSION_COOKIE = 'ppc_admin_session';

/** The session value of a token: an HMAC, so the cookie never carries the token itself. */
const sessionOf = (token: string) =>
  createHmac('sha256', token).update('ppc-admin-console-session-v1').digest('base64url');

const esc = (v: string | number | boolean | null | undefined): string =>
  String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

const STYLE = `
body{font-family:"Segoe UI",system-ui,sans-serif;margin:0;color:#242424;background:#f5f5f5}
header{background:#0f6cbd;color:#fff;padding:12px 24px;display:flex;justify-content:space-between;align-items:center}
header h1{font-size:18px;margin:0;font-weight:600} header form{margin:0}
nav{padding:8px 24px;background:#fff;border-bottom:1px solid #e0e0e0;font-size:14px} nav a{margin-right:16px;color:#0f6cbd}
main{padding:16px 24px;display:grid;gap:16px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.14);padding:12px 16px}
h2{font-size:16px;margin:4px 0 12px;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:13px} th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eee;vertical-align:top}
th{font-weight:600;color:#616161} .ok{color:#107c10} .bad{color:#c50f1f} .muted{color:#707070}
button{background:#0f6cbd;color:#fff;border:0;border-radius:4px;padding:5px 12px;cursor:pointer;font:inherit}
button.secondary{background:#fff;color:#0f6cbd;border:1px solid #0f6cbd}
pre{background:#fafafa;border:1px solid #eee;padding:8px;max-height:320px;overflow:auto;font-size:12px;white-space:pre-wrap;word-break:break-all}
.tiles{display:flex;gap:12px;flex-wrap:wrap} .tile{border:1px solid #e0e0e0;border-radius:6px;padding:8px 14px;min-width:120px}
.tile b{display:block;font-size:22px} .flash{background:#dff6dd;border:1px solid #107c10;padding:8px 12px;border-radius:4px}
.flash.bad{background:#fde7e9;border-color:#c50f1f}
input{font:inherit;padding:6px;border:1px solid #8a8a8a;border-radius:4px;width:320px}
`;

const page = (title: string, body: string, signedIn = true) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><header><h1>PayPal connector · admin console</h1>${
  signedIn
    ? '<form method="post" action="/admin/logout"><button class="secondary" type="submit">Sign out</button></form>'
    : ''
}</header>${body}</body></html>`;

/** A bar chart as inline SVG: one bar pair per bucket (no script, no library). */
function bars(series: { label: string; a: number; b: number }[], legend: [string, string]): string {
  if (!series.length) return '<p class="muted">No events in this window.</p>';
  const max = Math.max(1, ...series.flatMap((s) => [s.a, s.b]));
  const w = 14;
  const h = 80;
  const rects = series
    .map((s, i) => {
      const x = i * (w * 2 + 4);
      const ha = Math.round((s.a / max) * h);
      const hb = Math.round((s.b / max) * h);
      return `<g><title>${esc(s.label)}: ${s.a} ${legend[0]}, ${s.b} ${legend[1]}</title><rect x="${x}" y="${h - ha}" width="${w}" height="${ha}" fill="#0f6cbd"/><rect x="${x + w}" y="${h - hb}" width="${w}" height="${hb}" fill="#8dc63f"/></g>`;
    })
    .join('');
  const width = series.length * (w * 2 + 4);
  return `<svg role="img" aria-label="${esc(legend.join(' and '))} per minute" width="${width}" height="${h + 2}" viewBox="0 0 ${width} ${h + 2}">${rects}</svg>
<p class="muted">max ${max} per bucket · <span style="color:#0f6cbd">■</span> ${legend[0]} <span style="color:#8dc63f">■</span> ${legend[1]} · ${esc(series[0]!.label)} – ${esc(series[series.length - 1]!.label)} UTC</p>`;
}

const table = (headers: string[], rows: string[][], empty: string) =>
  rows.length
    ? `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
    : `<p class="muted">${esc(empty)}</p>`;

export function adminConsoleRouter(deps: AppDeps): Router {
  const router = Router();
  const rejectLog = createRejectLog({ log: deps.log, metrics: deps.metrics });
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  const signedIn = (req: Request) => {
    if (!deps.adminToken) return false;
    const given = cookie(req, SESSION_COOKIE) ?? '';
    const want = sessionOf(deps.adminToken);
    return given.length === want.length && timingSafeEqual(Buffer.from(given), Buffer.from(want));
  };
  /** POSTs must come from this origin (SameSite=Strict already keeps the cookie off cross-site requests). */
  const sameOrigin = (req: Request) => {
    const origin = req.get('origin');
    if (!origin || origin === 'null') return origin === undefined;
    try {
      return new URL(origin).host === req.get('host');
    } catch {
      return false;
    }
  };
  const guard: RequestHandler = (req, res, next) => {
    if (!deps.adminToken) {
      res
        .status(503)
        .type('html')
        .send(
          page(
            'Admin console disabled',
            '<main><section><p>Set ADMIN_TOKEN to enable the admin console.</p></section></main>',
            false,
          ),
        );
      return;
    }
    if (!signedIn(req)) {
      res.redirect(303, '/admin/login');
      return;
    }
    if (req.method === 'POST' && !sameOrigin(req)) {
      rejectLog('admin', 'cross_origin', { path: capped(req.path) }, 'admin console POST from another origin');
      res.status(403).type('text').send('cross-origin request refused');
      return;
    }
    next();
  };
  const noStore = (res: Response) => res.set('cache-control', 'no-store').set('x-frame-options', 'DENY');

  router.get('/login', (_req, res) => {
    noStore(res);
    res.type('html').send(loginPage());
  });
  router.post('/login', form, (req, res) => {
    noStore(res);
    if (!deps.adminToken) {
      res.status(503).type('html').send(loginPage('Set ADMIN_TOKEN to enable the admin console.'));
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token : '';
    const a = Buffer.from(sessionOf(token));
    const b = Buffer.from(sessionOf(deps.adminToken));
    if (!token || !timingSafeEqual(a, b)) {
      rejectLog('admin', 'bad_token', { path: '/admin/login' }, 'admin console sign-in with a wrong token');
      res.status(401).type('html').send(loginPage('That is not the admin token.'));
      return;
    }
    res.set(
      'set-cookie',
      `${SESSION_COOKIE}=${sessionOf(deps.adminToken)}; HttpOnly; SameSite=Strict; Path=/admin${req.secure ? '; Secure' : ''}`,
    );
    res.redirect(303, '/admin');
  });
  router.post('/logout', (_req, res) => {
    res.set('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/admin; Max-Age=0`);
    res.redirect(303, '/admin/login');
  });

  router.get('/', guard, async (req, res) => {
    noStore(res);
    res.type('html').send(page('Admin console', await consoleBody(req)));
  });

  router.get('/console/dead-letters/:id', guard, async (req, res) => {
    noStore(res);
    const d = await getDeadLetter(deps.store, String(req.params.id));
    if (!d) {
      res
        .status(404)
        .type('html')
        .send(
          page('Not found', '<main><section><p>No such dead letter.</p><a href="/admin">Back</a></section></main>'),
        );
      return;
    }
    res.type('html').send(
      page(
        `Dead letter ${d.id}`,
        `<main><section id="dead-letter"><h2>Dead letter ${esc(d.id)}</h2>
<table><tbody>
<tr><th>queue / job</th><td>${esc(d.queue)} / ${esc(d.job_id)}</td></tr>
<tr><th>attempts</th><td>${esc(d.attempts)}</td></tr>
<tr><th>error</th><td>${esc(d.error_code)}<br>${esc(d.last_error)}</td></tr>
<tr><th>created</th><td>${esc(d.created_at)}</td></tr>
<tr><th>replayed</th><td>${d.replayed_at ? esc(d.replayed_at) : '<span class="muted">no</span>'}</td></tr>
</tbody></table>
<h2>Payload</h2><pre>${esc(JSON.stringify(d.payload, null, 2))}</pre>
${d.replayed_at ? '' : replayButton(d.id)}
<p><a href="/admin#dead-letters">Back</a></p></section></main>`,
      ),
    );
  });

  router.post('/console/dead-letters/:id/replay', guard, async (req, res) => {
    const id = String(req.params.id);
    const result = await replayDeadLetter(deps.store, deps.boss, id);
    if (result.replayed) {
      const d = await getDeadLetter(deps.store, id);
      if (d?.inbox_id)
        await setInboxEventStatus(deps.store, d.inbox_id, 'replayed', 'Replayed from the admin console.');
    }
    deps.log.info({ deadLetter: capped(id, 32), result }, 'dead letter replayed from the admin console');
    const flash = result.replayed ? `replayed-${id}` : `not-replayed-${id}-${result.reason}`;
    res.redirect(303, `/admin?flash=${encodeURIComponent(flash)}#dead-letters`);
  });

  async function consoleBody(req: Request): Promise<string> {
    const flash = typeof req.query.flash === 'string' ? req.query.flash : undefined;
    const [byStatus, throughput, dead, parked, events, money, recon, checks] = await Promise.all([
      deps.store.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM inbox_events GROUP BY status ORDER BY status`,
      ),
      deps.store.query<{ m: string; received: number; processed: number }>(
        `SELECT to_char(date_trunc('minute', received_at) AT TIME ZONE 'UTC', 'HH24:MI') AS m, count(*)::int AS received,
                count(*) FILTER (WHERE status = 'processed')::int AS processed
           FROM inbox_events WHERE received_at > now() - interval '60 minutes' GROUP BY 1 ORDER BY 1`,
      ),
      listDeadLetters(deps.store, { limit: 50 }),
      listParkedEvents(deps.store, { limit: 50 }),
      listIntegrationEvents(deps.store, { limit: 50 }),
      listMoneyMovements(deps.store, 20),
      reconciliationRuns(),
      setupChecks({
        ...(deps.console?.paypal ? { paypal: deps.console.paypal } : {}),
        ...(deps.console?.dataverse ? { dataverse: deps.console.dataverse } : {}),
        ...(deps.console?.webhookId?.() ? { webhookId: deps.console.webhookId() } : {}),
        timeoutMs: 3000,
      }),
    ]);
    const q = await deps.boss.getQueue(QUEUES.inbound).catch(() => null);
    // The event type as the inbox stored it (a Dataverse payload names only its message, "Update").
    const types = new Map(
      (
        await deps.store.query<{ id: string; event_type: string }>(
          `SELECT id::text AS id, event_type FROM inbox_events WHERE id = ANY($1::bigint[])`,
          [dead.map((d) => d.inbox_id).filter((id): id is string => id !== null)],
        )
      ).rows.map((r) => [r.id, r.event_type]),
    );
    const tiles = [
      ['queued', q?.queuedCount ?? '?'],
      ['active', q?.activeCount ?? '?'],
      ['dead letters open', dead.length],
      ['parked', parked.length],
      ...byStatus.rows.map((r) => [`inbox ${r.status}`, r.n] as const),
    ];
    const flashHtml = flash
      ? `<p class="flash${flash.startsWith('replayed') ? '' : ' bad'}" role="status">${
          flash.startsWith('replayed')
            ? `Dead letter ${esc(flash.slice('replayed-'.length))} replayed: its event is back on the queue.`
            : `Not replayed: ${esc(flash.slice('not-replayed-'.length))}`
        }</p>`
      : '';
    const security = events.filter((e) => e.kind === 'security' || e.kind === 'rejected');
    const errors = deps.console?.recentErrors?.list() ?? [];
    return `<nav><a href="#overview">Overview</a><a href="#dead-letters">Dead letters</a><a href="#parked">Parked</a><a href="#integration-events">Integration events</a><a href="#security">Security</a><a href="#setup">Setup</a><a href="#errors">Errors</a><a href="#money">Money movements</a><a href="#reconciliation">Reconciliation</a></nav>
<main>${flashHtml}
<section id="overview"><h2>Queue and events</h2><div class="tiles">${tiles
      .map(([k, v]) => `<div class="tile"><span class="muted">${esc(k)}</span><b>${esc(v)}</b></div>`)
      .join('')}</div>
<h2>Throughput, last 60 minutes</h2>${bars(
      throughput.rows.map((r) => ({ label: r.m, a: r.received, b: r.processed })),
      ['received', 'processed'],
    )}
<h2>Queue depth (sampled every 30 s)</h2>${bars(
      (deps.console?.depth?.() ?? []).map((d) => ({ label: d.at, a: d.queued, b: d.active })),
      ['queued', 'active'],
    )}</section>
<section id="dead-letters"><h2>Dead letters (${dead.length} open)</h2>${table(
      ['id', 'event', 'attempts', 'error', 'created', ''],
      dead.map((d) => {
        const p = (d.payload ?? {}) as Record<string, unknown>;
        const str = (v: unknown) => (typeof v === 'string' ? v : '');
        const type = (d.inbox_id && types.get(d.inbox_id)) || str(p.event_type) || str(p.MessageName);
        return [
          `<a href="/admin/console/dead-letters/${esc(d.id)}">${esc(d.id)}</a>`,
          `${esc(type)}<br><span class="muted">${esc(str(p.id) || str(p.PrimaryEntityId))}</span>`,
          esc(d.attempts),
          `${esc(d.error_code)}<br><span class="muted">${esc(d.last_error.slice(0, 300))}</span><details><summary>payload</summary><pre>${esc(JSON.stringify(d.payload, null, 2))}</pre></details>`,
          esc(d.created_at),
          replayButton(d.id),
        ];
      }),
      'No open dead letters.',
    )}</section>
<section id="parked"><h2>Parked events (${parked.length})</h2>${table(
      ['id', 'source', 'event type', 'event id', 'received', 'why'],
      parked.map((p) => [
        esc(p.id),
        esc(p.source),
        esc(p.event_type),
        esc(p.event_id),
        esc(p.received_at),
        esc(p.last_error),
      ]),
      'No parked events.',
    )}</section>
<section id="integration-events"><h2>Integration events (as mirrored to Dataverse)</h2>${table(
      ['id', 'kind', 'status', 'event', 'message', 'in Dataverse'],
      events.map((e) => [
        esc(e.id),
        esc(e.kind),
        esc(e.status),
        `${esc(e.event_type)}<br><span class="muted">${esc(e.paypal_id ?? e.record_id ?? '')}</span>`,
        `${esc(e.message)}${e.detail ? `<details><summary>detail</summary><pre>${esc(e.detail)}</pre></details>` : ''}`,
        e.mirrored_version >= e.version
          ? '<span class="ok">yes</span>'
          : `<span class="bad">pending</span>${e.mirror_error ? `<br><span class="muted">${esc(e.mirror_error.slice(0, 200))}</span>` : ''}`,
      ]),
      'No integration events.',
    )}</section>
<section id="security"><h2>Security events (one row per reason and hour)</h2>${table(
      ['event', 'count', 'last seen', 'message'],
      security.map((e) => [esc(e.event_type), esc(e.occurrences), esc(e.updated_at), esc(e.message)]),
      'No security events.',
    )}</section>
<section id="setup"><h2>Setup checks</h2>${table(
      ['check', '', 'detail'],
      checks.map((c) => [
        esc(c.name),
        c.ok ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>',
        esc(c.detail),
      ]),
      'No checks.',
    )}</section>
<section id="errors"><h2>Recent PayPal and Dataverse errors (this process)</h2>${table(
      ['at', 'service', 'operation', 'code', 'debug id', 'message'],
      errors.map((e) => [
        esc(e.at),
        esc(e.service),
        esc(e.operation),
        esc(e.code),
        esc(e.debugId ?? ''),
        esc(e.message),
      ]),
      'No errors since this process started.',
    )}</section>
<section id="money"><h2>Money movements (audit)</h2>${table(
      ['at', 'operation', 'PayPal-Request-Id', 'Dataverse user', 'amount', 'outcome', 'PayPal id', 'debug id'],
      money.map((m) => [
        esc(m.at),
        esc(m.operation),
        esc(m.paypal_request_id),
        esc(m.dataverse_user ?? ''),
        m.amount_minor ? `${esc(m.amount_minor)} minor ${esc(m.currency)}` : '',
        esc(m.outcome),
        esc(m.paypal_id ?? ''),
        esc(m.debug_id ?? ''),
      ]),
      'No money movements yet.',
    )}</section>
<section id="reconciliation"><h2>Reconciliation runs</h2>${recon}</section>
</main>`;
  }

  /** Reconciliation runs, when the reconciliation feature has created its table. */
  async function reconciliationRuns(): Promise<string> {
    const { rows } = await deps.store.query<{ t: string | null }>(
      `SELECT to_regclass('reconciliation_runs')::text AS t`,
    );
    if (!rows[0]?.t) return '<p class="muted">No reconciliation runs recorded by this proxy.</p>';
    const runs = await deps.store.query<Record<string, unknown>>(
      `SELECT * FROM reconciliation_runs ORDER BY 1 DESC LIMIT 20`,
    );
    const cols = Object.keys(runs.rows[0] ?? {});
    return table(
      cols,
      runs.rows.map((r) => cols.map((c) => esc(JSON.stringify(r[c] ?? null)))),
      'No runs yet.',
    );
  }

  return router;
}

const replayButton = (id: string) =>
  `<form method="post" action="/admin/console/dead-letters/${esc(id)}/replay"><button type="submit" aria-label="Replay dead letter ${esc(id)}">Replay</button></form>`;

const loginPage = (error?: string) =>
  page(
    'Sign in',
    `<main><section><h2>Sign in</h2>
${error ? `<p class="flash bad" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/admin/login"><label>Admin token<br><input type="password" name="token" autocomplete="current-password" required autofocus></label>
<p><button type="submit">Sign in</button></p></form>
<p class="muted">The token is ADMIN_TOKEN; <code>npm start</code> prints it. In production, put the console behind Entra ID (README).</p></section></main>`,
    false,
  );
