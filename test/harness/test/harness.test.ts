// The harness server without a browser: privileges from RetrieveUserPrivileges, resx parsing, and the /form
// page and Web API forwarder against a tiny fake Dataverse (so these run where chromium is missing).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { createHarness } from '../src/index.ts';
import type { Harness } from '../src/index.ts';
import { parsePrivilegeName, privilegesFrom } from '../src/privileges.ts';
import type { BootData } from '../src/page.ts';
import { parseResx } from '../src/resx.ts';

describe('privileges for context.utils.hasEntityPrivilege', () => {
  it('parses privilege names into table and PrivilegeType', () => {
    expect(parsePrivilegeName('prvWriteppc_creditmemo')).toEqual(['ppc_creditmemo', 3]);
    expect(parsePrivilegeName('prvAppendToAccount')).toEqual(['account', 8]);
    expect(parsePrivilegeName('prvAppendppc_creditmemo')).toEqual(['ppc_creditmemo', 7]);
    expect(parsePrivilegeName('prvExportCustomization')).toBeUndefined();
  });

  it('turns RetrieveUserPrivileges names into PrivilegeType lists per table', () => {
    const p = privilegesFrom(
      [
        { PrivilegeName: 'prvReadppc_creditmemo', Depth: 'Global' },
        { PrivilegeName: 'prvWriteppc_creditmemo', Depth: 'Global' },
        { PrivilegeName: 'prvReadUser', Depth: 'Global' },
        { PrivilegeName: 'prvExportCustomization', Depth: 'Global' },
      ],
      false,
    );
    expect(p).toEqual({ all: false, tables: { ppc_creditmemo: [2, 3], systemuser: [2] } });
    expect(privilegesFrom([], true).all).toBe(true);
  });
});

describe('resx', () => {
  it('reads data values and decodes XML entities', () => {
    expect(
      parseResx(
        '<root><data name="a" xml:space="preserve">\n <value>Tom &amp; Jerry &lt;3</value></data><data name="b"><value></value></data></root>',
      ),
    ).toEqual({ a: 'Tom & Jerry <3', b: '' });
  });
});

describe('harness server against a fake Dataverse', () => {
  let fake: Server;
  let harness: Harness;
  let controlsDir: string;
  const seen: { path: string; authorization?: string; body?: string }[] = [];
  const privilegeCalls: { path: string; authorization?: string }[] = [];

  beforeAll(async () => {
    const app = express();
    app.get(
      '/_emulator/users',
      (_req, res) =>
        void res.json([
          {
            key: 'refundagent',
            systemuserid: '5f0c7a6e-0000-4000-8000-000000000004',
            fullname: 'Riley Refunds',
            roles: ['Salesperson', 'Refund Agent'],
          },
          {
            key: 'integration',
            systemuserid: '5f0c7a6e-0000-4000-8000-000000000001',
            fullname: 'Integration',
            roles: ['Integration Service'],
            applicationId: 'x',
          },
        ]),
    );
    app.post(
      '/_emulator/token',
      express.json(),
      (req, res) => void res.json({ access_token: `token-of-${(req.body as { user: string }).user}` }),
    );
    app.get(
      '/api/data/v9.2/\\$metadata',
      (_req, res) =>
        void res
          .type('xml')
          .send('<EntitySet Name="ppc_creditmemos" EntityType="Microsoft.Dynamics.CRM.ppc_creditmemo"/>'),
    );
    app.all('/api/data/v9.2/*path', express.text({ type: () => true }), (req, res) => {
      if (req.path.endsWith('/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()')) {
        privilegeCalls.push({ path: req.path, authorization: req.headers.authorization });
        return void res.json({
          RolePrivileges: [
            { PrivilegeName: 'prvReadppc_creditmemo', Depth: 'Global' },
            { PrivilegeName: 'prvWriteppc_creditmemo', Depth: 'Global' },
          ],
        });
      }
      seen.push({
        path: req.originalUrl,
        authorization: req.headers.authorization,
        body: typeof req.body === 'string' ? req.body : undefined,
      });
      if (req.method === 'PATCH') return void res.status(204).end();
      res.setHeader('OData-EntityId', `http://${req.headers.host}/api/data/v9.2/ppc_creditmemos(1)`);
      res.json({ ppc_name: 'CM-1' });
    });
    fake = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    controlsDir = await mkdtemp(join(tmpdir(), 'ppc-harness-controls-'));
    await mkdir(join(controlsDir, 'RefundButton', 'strings'), { recursive: true });
    await writeFile(join(controlsDir, 'RefundButton', 'bundle.js'), '/* built control */');
    await writeFile(
      join(controlsDir, 'RefundButton', 'strings', 'RefundButton.1033.resx'),
      '<root><data name="title"><value>PayPal refund</value></data></root>',
    );
    harness = await createHarness({
      dataverseUrl: `http://127.0.0.1:${(fake.address() as AddressInfo).port}/`,
      controlsDir,
    });
  });

  afterAll(async () => {
    await harness.close();
    await new Promise((resolve) => fake.close(resolve));
    await rm(controlsDir, { recursive: true, force: true });
  });

  it('serves a form page with the user token, privileges, strings and entity sets for the host script', async () => {
    const id = '0d6c3b0a-0000-4000-8000-0000000000f1';
    const html = await (
      await fetch(`${harness.url}/form?control=RefundButton&entity=ppc_creditmemo&id=${id}&user=refundagent`)
    ).text();
    const boot = JSON.parse(/<script id="boot" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as BootData;
    expect(boot).toMatchObject({
      control: 'RefundButton',
      entity: 'ppc_creditmemo',
      id,
      recordName: 'CM-1',
      token: 'token-of-refundagent',
      strings: { title: 'PayPal refund' },
      entitySets: { ppc_creditmemo: 'ppc_creditmemos' },
      user: { key: 'refundagent', fullname: 'Riley Refunds' },
    });
    // privileges as Dataverse reports them for the page's user, asked as the administrator
    expect(boot.privileges).toEqual({ all: false, tables: { ppc_creditmemo: [2, 3] } });
    expect(privilegeCalls).toContainEqual({
      path: '/api/data/v9.2/systemusers(5f0c7a6e-0000-4000-8000-000000000004)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()',
      authorization: 'Bearer token-of-admin',
    });
    expect(boot.users.map((u) => u.key)).toEqual(['refundagent']);
    expect(html).toContain('<script src="/controls/RefundButton/bundle.js"></script>');
  });

  it("forwards Web API calls with the page user's bearer token and rewrites absolute URLs", async () => {
    const get = await fetch(`${harness.url}/api/data/v9.2/ppc_creditmemos(1)?$select=ppc_name`, {
      headers: { Authorization: 'Bearer token-of-refundagent' },
    });
    expect(await get.json()).toEqual({ ppc_name: 'CM-1' });
    expect(get.headers.get('odata-entityid')).toBe('/api/data/v9.2/ppc_creditmemos(1)');
    const patch = await fetch(`${harness.url}/api/data/v9.2/ppc_creditmemos(1)`, {
      method: 'PATCH',
      headers: { Authorization: 'Bearer token-of-refundagent', 'Content-Type': 'application/json' },
      body: '{"statuscode":416500021}',
    });
    expect(patch.status).toBe(204);
    expect(seen.slice(-2)).toEqual([
      {
        path: '/api/data/v9.2/ppc_creditmemos(1)?$select=ppc_name',
        authorization: 'Bearer token-of-refundagent',
        body: undefined,
      },
      {
        path: '/api/data/v9.2/ppc_creditmemos(1)',
        authorization: 'Bearer token-of-refundagent',
        body: '{"statuscode":416500021}',
      },
    ]);
  });

  it('answers 404 for a control that is not built or not hosted on that table', async () => {
    expect((await fetch(`${harness.url}/form?control=RefundButton&entity=account&id=x`)).status).toBe(404);
    expect((await fetch(`${harness.url}/form?control=PayoutApproval&entity=ppc_payoutbatch&id=x`)).status).toBe(404);
  });
});
