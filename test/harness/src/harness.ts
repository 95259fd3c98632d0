// createHarness({ dataverseUrl, port? }) → { url, close }: an express 5 app hosting each built PCF
// bundle in a Dataverse-like form page. The browser's webAPI calls go to /api/data/v9.2/* here and are
// forwarded to the Dataverse emulator with the signed-in user's bearer token (same origin, no CORS).
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Request, Response } from 'express';
import { linkDataverse } from './dataverse.ts';
import { CONTROL_FORMS, formFor } from './forms.ts';
import { formPage, indexPage } from './page.ts';
import { privilegesFrom } from './privileges.ts';
import { readResx } from './resx.ts';

export interface HarnessOptions {
  /** Dataverse emulator organization URL, e.g. http://127.0.0.1:4020 */
  dataverseUrl: string;
  /** default 0 (any free port) */
  port?: number;
  host?: string;
  /** built controls (default pcf-controls/out/controls) */
  controlsDir?: string;
}

export interface Harness {
  url: string;
  close(): Promise<void>;
}

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const nodeModules = join(repo, 'node_modules');
const VENDOR: Record<string, string> = {
  'react.js': join(nodeModules, 'react/umd/react.production.min.js'),
  'react-dom.js': join(nodeModules, 'react-dom/umd/react-dom.production.min.js'),
  'fluent.js': join(nodeModules, '@fluentui/react/dist/fluentui-react.umd.js'),
};
/** Web API request headers the browser may send through (everything else is dropped). */
const FORWARD = [
  'authorization',
  'accept',
  'content-type',
  'prefer',
  'odata-version',
  'odata-maxversion',
  'if-match',
  'if-none-match',
  'mscrm.suppressduplicatedetection',
  'consistency',
];
const BACK = [
  'content-type',
  'odata-entityid',
  'odata-version',
  'etag',
  'preference-applied',
  'retry-after',
  'location',
];

function one(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const controlsDir = options.controlsDir ?? join(repo, 'pcf-controls/out/controls');
  const dataverse = linkDataverse(options.dataverseUrl);
  const app = express();

  app.use('/harness', express.static(fileURLToPath(new URL('../public/', import.meta.url))));
  app.use('/controls', express.static(controlsDir));
  // Fluent's MDL2 icon font (the files initializeIcons loads), instead of Microsoft's CDN
  app.use(
    '/vendor/fonts',
    express.static(join(nodeModules, '@fluentui/font-icons-mdl2/fonts'), { fallthrough: false }),
  );
  app.get('/vendor/:file', (req, res) => {
    const file = VENDOR[String(req.params.file)];
    if (!file) return void res.status(404).end();
    res.sendFile(file);
  });

  // Web API forwarder: the request's bearer token (issued to the page's user) goes along unchanged.
  app.all(
    '/api/data/v9.2/*path',
    express.raw({ type: () => true, limit: '32mb' }),
    async (req: Request, res: Response) => {
      const headers: Record<string, string> = {};
      for (const name of FORWARD) {
        const value = one(req.headers[name]);
        if (value) headers[name] = value;
      }
      const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
      const upstream = await fetch(`${dataverse.url}${req.originalUrl}`, { method: req.method, headers, body });
      res.status(upstream.status);
      for (const name of BACK) {
        const value = upstream.headers.get(name);
        if (value) res.setHeader(name, value.replaceAll(dataverse.url, ''));
      }
      res.send(Buffer.from(await upstream.arrayBuffer()));
    },
  );

  app.get('/form', async (req, res) => {
    const control = one(req.query.control) ?? '';
    const entity = one(req.query.entity) ?? '';
    const id = one(req.query.id) ?? '';
    const kind = formFor(control, entity);
    if (!kind || !existsSync(join(controlsDir, control, 'bundle.js')))
      return void res.status(404).type('text').send(`no built control ${control} for ${entity}`);
    const users = await dataverse.users();
    const user = users.find((u) => u.key === (one(req.query.user) ?? 'salesuser')) ?? users[0];
    if (!user) return void res.status(500).type('text').send('the Dataverse emulator has no interactive users');
    const lcid = req.query.lang === '1031' ? 1031 : 1033;
    const [token, entitySets, strings, rolePrivileges] = await Promise.all([
      dataverse.token(user.key),
      dataverse.entitySets(),
      readResx(join(controlsDir, control, 'strings', `${control}.${lcid}.resx`)),
      dataverse.userPrivileges(user.systemuserid),
    ]);
    let recordName = id;
    const set = entitySets[entity];
    if (set && /^[0-9a-f-]{36}$/i.test(id)) {
      const row = await fetch(`${dataverse.url}/api/data/v9.2/${set}(${id})?$select=${kind.nameColumn}`, {
        headers: { Authorization: `Bearer ${await dataverse.token('admin')}` },
      });
      if (row.ok) recordName = String(((await row.json()) as Record<string, unknown>)[kind.nameColumn] ?? id);
    }
    res.type('html').send(
      formPage({
        control,
        entity,
        entityLabel: kind.label,
        id,
        recordName,
        lcid,
        token,
        strings,
        entitySets,
        user: { key: user.key, systemuserid: user.systemuserid, fullname: user.fullname, roles: user.roles },
        users: users.map((u) => ({ key: u.key, fullname: u.fullname, roles: u.roles })),
        privileges: privilegesFrom(rolePrivileges, user.roles.includes('System Administrator')),
      }),
    );
  });

  app.get('/', async (_req, res) => {
    const [users, sets, adminToken] = await Promise.all([
      dataverse.users(),
      dataverse.entitySets(),
      dataverse.token('admin'),
    ]);
    const rows = [];
    for (const [control, forms] of Object.entries(CONTROL_FORMS)) {
      for (const f of forms) {
        const list = await fetch(`${dataverse.url}/api/data/v9.2/${sets[f.entity]}?$select=${f.nameColumn}&$top=10`, {
          headers: { Authorization: `Bearer ${adminToken}` },
        });
        const records = list.ok ? ((await list.json()) as { value: Record<string, unknown>[] }).value : [];
        rows.push({
          control,
          label: f.label,
          entity: f.entity,
          records: records.map((r) => ({
            id: String(r[`${f.entity}id`]),
            name: String(r[f.nameColumn] ?? r[`${f.entity}id`]),
          })),
        });
      }
    }
    res.type('html').send(indexPage(rows, users));
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
