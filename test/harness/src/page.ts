// The Dataverse-like form page: platform libraries as globals (what the platform serves for
// <platform-library>), the control's bundle.js, then the host script that builds the context.
export interface BootData {
  control: string;
  entity: string;
  entityLabel: string;
  id: string;
  recordName: string;
  lcid: number;
  user: { key: string; systemuserid: string; fullname: string; roles: string[] };
  users: { key: string; fullname: string; roles: string[] }[];
  token: string;
  privileges: { all: boolean; tables: Record<string, number[]> };
  strings: Record<string, string>;
  entitySets: Record<string, string>;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside <script>: "</script>" and "<!--" must not appear literally */
const safeJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

export function formPage(boot: BootData): string {
  const { control } = boot;
  return `<!doctype html>
<html lang="${boot.lcid === 1031 ? 'de' : 'en'}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(boot.recordName)} · ${escapeHtml(boot.entityLabel)} · PCF harness</title>
<link rel="stylesheet" href="/harness/harness.css">
</head>
<body>
<header class="app-bar"><span class="app-name">PayPal Connector · form harness</span>
  <label class="user-switch">Signed-in user
    <select id="user-switch">${boot.users.map((u) => `<option value="${escapeHtml(u.key)}"${u.key === boot.user.key ? ' selected' : ''}>${escapeHtml(u.fullname)} (${escapeHtml(u.roles.join(', ') || 'no roles')})</option>`).join('')}</select>
  </label>
</header>
<main class="form">
  <h1>${escapeHtml(boot.recordName)} <small>${escapeHtml(boot.entityLabel)}</small></h1>
  <section class="form-section" aria-label="PayPal">
    <div class="field-label" id="control-label">${escapeHtml(control)}</div>
    <div id="control" data-control="${escapeHtml(control)}" aria-labelledby="control-label"></div>
  </section>
  <details class="outputs"><summary>Control outputs</summary><pre id="outputs" data-testid="outputs">{}</pre></details>
</main>
<script id="boot" type="application/json">${safeJson(boot)}</script>
<script src="/harness/fabric-config.js"></script>
<script src="/vendor/react.js"></script>
<script src="/vendor/react-dom.js"></script>
<script src="/vendor/fluent.js"></script>
<script src="/harness/platform.js"></script>
<script src="/controls/${encodeURIComponent(control)}/bundle.js"></script>
<script type="module" src="/harness/host.js"></script>
</body>
</html>`;
}

export function indexPage(
  rows: { control: string; label: string; entity: string; records: { id: string; name: string }[] }[],
  users: { key: string; fullname: string }[],
): string {
  const userLinks = (control: string, entity: string, id: string): string =>
    users
      .map(
        (u) =>
          `<a href="/form?control=${control}&amp;entity=${entity}&amp;id=${id}&amp;user=${encodeURIComponent(u.key)}">${escapeHtml(u.fullname)}</a>`,
      )
      .join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PCF harness</title><link rel="stylesheet" href="/harness/harness.css"></head>
<body><header class="app-bar"><span class="app-name">PayPal Connector · form harness</span></header>
<main class="form"><h1>Forms</h1>
${rows
  .map(
    (r) => `<section class="form-section"><h2>${escapeHtml(r.control)} on ${escapeHtml(r.label)}</h2>
${r.records.length === 0 ? '<p>No records yet.</p>' : `<ul>${r.records.map((rec) => `<li>${escapeHtml(rec.name)}: ${userLinks(r.control, r.entity, rec.id)}</li>`).join('')}</ul>`}</section>`,
  )
  .join('\n')}
</main></body></html>`;
}
