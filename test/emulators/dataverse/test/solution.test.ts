// Metadata from the solution, in Microsoft's formats: the fixture Entity.xml (parser), the repository's
// solution/src (so emulator and solution cannot drift), $metadata and EntityDefinitions, and
// ImportSolution with a packed zip (all-or-nothing; malformed zips change nothing).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { prerequisitesMet } from '@ppc/test-support';
import { strToU8, zipSync } from 'fflate';
import { createServer } from '../src/index.ts';
import type { DataverseEmulator } from '../src/index.ts';
import { readUnpackedSolution } from '../src/metadata/solution-reader.ts';
import { FIXTURE_SOLUTION, api, unique } from './helpers.ts';
import { startReceiver } from './receiver.ts';

const fixture = (p: string): string => readFileSync(new URL(p, FIXTURE_SOLUTION), 'utf8');
const stripDecl = (xml: string): string => xml.replace(/^<\?xml[^>]*>\s*/, '');

function fixtureZip(opts: { omit?: string; brokenCustomizations?: boolean } = {}): string {
  const customizations = opts.brokenCustomizations
    ? '<ImportExportXml><Entities><Entity>'
    : `<?xml version="1.0" encoding="utf-8"?><ImportExportXml><Entities>${stripDecl(fixture('Entities/ppc_sample/Entity.xml'))}</Entities>` +
      `<Roles>${stripDecl(fixture('Roles/Refund Agent.xml'))}</Roles>` +
      `${stripDecl(fixture('Other/Relationships/ppc_sample.xml'))}</ImportExportXml>`;
  const files: Record<string, Uint8Array> = {
    'solution.xml': strToU8(
      '<ImportExportXml version="9.2"><SolutionManifest><UniqueName>FixtureSolution</UniqueName><Version>1.0.0.0</Version><Managed>0</Managed></SolutionManifest></ImportExportXml>',
    ),
    'customizations.xml': strToU8(customizations),
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="text/xml" /></Types>',
    ),
  };
  if (opts.omit) delete files[opts.omit];
  return Buffer.from(zipSync(files)).toString('base64');
}

describe('solution reader (fixture in SolutionPackager layout)', () => {
  it('reads tables, columns, choices, keys, relationships and roles', async () => {
    const s = await readUnpackedSolution(new URL('.', FIXTURE_SOLUTION).pathname);
    const sample = s.entities.find((e) => e.logicalName === 'ppc_sample');
    expect(sample?.entitySetName).toBe('ppc_samples');
    expect(sample?.primaryNameAttribute).toBe('ppc_name');
    expect(sample?.keys).toEqual([
      { name: 'ppc_externalid_key', attributes: ['ppc_externalid'] },
      { name: 'ppc_source_line', attributes: ['ppc_name', 'ppc_lineno'] },
    ]);
    const kind = sample?.attributes.find((a) => a.logicalName === 'ppc_kind');
    expect(kind?.options?.map((o) => [o.value, o.label])).toEqual([
      [100000000, 'Capture'],
      [100000001, 'Refund'],
    ]);
    expect(sample?.attributes.find((a) => a.logicalName === 'ppc_name')).toMatchObject({
      type: 'string',
      maxLength: 100,
      requiredLevel: 'applicationrequired',
    });
    expect(s.relationships[0]).toMatchObject({
      referencingEntity: 'ppc_sample',
      referencedEntity: 'contact',
      referencingAttribute: 'ppc_contactid',
      referencingNavigation: 'ppc_ContactId',
    });
    expect(s.roles[0]?.privileges).toContainEqual({ name: 'prvCreateppc_sample', level: 'Global' });
  });
});

describe('the repository solution (solution/src)', () => {
  let em: DataverseEmulator;
  beforeAll(async () => {
    em = await createServer(); // default solutionDir: ../../../../solution/src
  });
  afterAll(async () => {
    await em.close();
  });

  it('has every custom table of ARCHITECTURE.md §5 with its entity set and alternate key', () => {
    const src = new URL('../../../../solution/src/Entities/', import.meta.url);
    const tables = readdirSync(src).filter((t) => t.startsWith('ppc_'));
    expect(tables.length).toBeGreaterThanOrEqual(10);
    for (const t of tables) {
      const e = em.model.entities.get(t);
      expect(e?.isCustom).toBe(true);
      expect(e?.entitySetName).toMatch(/^ppc_/);
    }
    expect(em.model.entities.get('ppc_paypaltransaction')?.keys.map((k) => k.attributes)).toContainEqual([
      'ppc_paypalid',
    ]);
    expect(em.model.entities.get('contact')?.attributes.has('ppc_paypalpayerid')).toBe(true);
  });

  it('serves $metadata (CSDL) and EntityDefinitions for the solution tables', async () => {
    const md = await api(em, 'GET', '$metadata');
    expect(md.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(md.text).toContain('<EntityType Name="ppc_paypaltransaction"');
    expect(md.text).toContain(
      '<EntitySet Name="ppc_paypaltransactions" EntityType="Microsoft.Dynamics.CRM.ppc_paypaltransaction" />',
    );
    const def = (
      await api(em, 'GET', "EntityDefinitions(LogicalName='ppc_paypaltransaction')?$expand=Attributes")
    ).json();
    expect(def).toMatchObject({
      LogicalName: 'ppc_paypaltransaction',
      EntitySetName: 'ppc_paypaltransactions',
      IsCustomEntity: true,
    });
    expect((def.Attributes as { LogicalName: string }[]).some((a) => a.LogicalName === 'ppc_paypalid')).toBe(true);
    const picklists = (
      await api(
        em,
        'GET',
        "EntityDefinitions(LogicalName='ppc_creditmemo')/Attributes/Microsoft.Dynamics.CRM.StatusAttributeMetadata",
      )
    ).json();
    const status = (picklists.value as { LogicalName: string; OptionSet: { Options: { Value: number }[] } }[])[0];
    expect(status?.LogicalName).toBe('statuscode');
    expect(status?.OptionSet.Options.map((o) => o.Value)).toContain(416500021);
    const one = (
      await api(em, 'GET', "EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='ppc_paypalpayerid')")
    ).json();
    expect(one).toMatchObject({ LogicalName: 'ppc_paypalpayerid', IsCustomAttribute: true, AttributeType: 'String' });
  });

  it('loads environment variables, the service endpoint and the steps; the credit-memo step fires on statuscode', async () => {
    const vars = (
      await api(
        em,
        'GET',
        "environmentvariabledefinitions?$select=schemaname,displayname&$filter=schemaname eq 'ppc_BaseCurrency'",
        { user: 'admin' },
      )
    ).json();
    expect(vars.value).toHaveLength(1);
    const endpoints = (
      await api(em, 'GET', 'serviceendpoints?$select=serviceendpointid,contract,authtype', { user: 'admin' })
    ).json().value as { serviceendpointid: string; contract: number; authtype: number }[];
    expect(endpoints[0]).toMatchObject({ contract: 8, authtype: 5 });
    const steps = (
      await api(
        em,
        'GET',
        "sdkmessageprocessingsteps?$select=name,filteringattributes&$filter=contains(name,'credit memo')",
        { user: 'admin' },
      )
    ).json().value as { filteringattributes: string }[];
    expect(steps[0]?.filteringattributes).toBe('statuscode');
    // as an admin does after import: point the endpoint at the proxy and set the secret header
    const rx = await startReceiver();
    try {
      const patched = await api(em, 'PATCH', `serviceendpoints(${endpoints[0]?.serviceendpointid})`, {
        user: 'admin',
        body: {
          url: `${rx.url}/webhooks/dataverse`,
          authvalue: '<settings><setting name="x-ppc-webhook-secret" value="topsecret" /></settings>',
        },
      });
      expect(patched.status).toBe(204);
      // the solution ships its steps disabled; once the endpoint is configured they are turned on
      const shipped = (
        await api(
          em,
          'GET',
          "sdkmessageprocessingsteps?$select=sdkmessageprocessingstepid,statecode&$filter=contains(name,'credit memo')",
          {
            user: 'admin',
          },
        )
      ).json().value as { statecode: number; sdkmessageprocessingstepid: string }[];
      expect(shipped.map((s) => s.statecode)).toEqual([1]);
      const on = await api(em, 'PATCH', `sdkmessageprocessingsteps(${shipped[0]?.sdkmessageprocessingstepid})`, {
        user: 'admin',
        body: { statecode: 0, statuscode: 1 },
      });
      expect(on.status).toBe(204);
      const created = await api(em, 'POST', 'ppc_creditmemos', {
        user: 'admin',
        body: { ppc_name: unique('cm'), ppc_amount: 10 },
      });
      expect(created.status).toBe(204);
      const memo = /\(([0-9a-f-]{36})\)$/.exec(created.headers.get('odata-entityid') ?? '')?.[1] as string;
      await api(em, 'PATCH', `ppc_creditmemos(${memo})`, { user: 'admin', body: { ppc_name: 'renamed' } });
      await api(em, 'PATCH', `ppc_creditmemos(${memo})`, { user: 'admin', body: { statuscode: 416500021 } });
      await em.waitForWebhooks();
      const got = rx.received.filter((r) => r.body.PrimaryEntityId === memo);
      expect(got).toHaveLength(1);
      expect(got[0]?.headers['x-ppc-webhook-secret']).toBe('topsecret');
      expect(got[0]?.body).toMatchObject({
        MessageName: 'Update',
        PrimaryEntityName: 'ppc_creditmemo',
        Mode: 1,
        Stage: 40,
      });
      const post = (
        got[0]?.body.PostEntityImages as { key: string; value: { Attributes: { key: string; value: unknown }[] } }[]
      )[0];
      expect(post?.value.Attributes).toContainEqual({
        key: 'statuscode',
        value: { __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 416500021 },
      });
    } finally {
      await rx.close();
    }
  });

  it('lets the application user (Integration Service role from the solution) upsert a PayPal transaction by alternate key', async () => {
    const paypalId = unique('CAP');
    const r = await api(em, 'PATCH', `ppc_paypaltransactions(ppc_paypalid='${paypalId}')`, {
      body: {},
      headers: { Prefer: 'return=representation' },
    });
    expect(r.status).toBe(201);
  });
});

describe('ImportSolution', () => {
  let em: DataverseEmulator;
  beforeAll(async () => {
    em = await createServer({ solutionDir: null });
  });
  afterAll(async () => {
    await em.close();
  });

  it('rejects malformed zips with 0x80048060 and changes nothing', async () => {
    const missing = await api(em, 'POST', 'ImportSolution', {
      user: 'admin',
      body: { CustomizationFile: fixtureZip({ omit: 'customizations.xml' }) },
    });
    expect(missing.status).toBe(400);
    expect(missing.json().error).toMatchObject({ code: '0x80048060' });
    const notZip = await api(em, 'POST', 'ImportSolution', {
      user: 'admin',
      body: { CustomizationFile: Buffer.from('not a zip').toString('base64') },
    });
    expect(notZip.status).toBe(400);
    const broken = await api(em, 'POST', 'ImportSolution', {
      user: 'admin',
      body: { CustomizationFile: fixtureZip({ brokenCustomizations: true }) },
    });
    expect(broken.status).toBe(400);
    expect((await api(em, 'GET', 'ppc_samples', { user: 'admin' })).status).toBe(404);
  });

  it('requires an administrator', async () => {
    const r = await api(em, 'POST', 'ImportSolution', { user: 'salesuser', body: { CustomizationFile: fixtureZip() } });
    expect(r.status).toBe(403);
  });

  it('imports a packed solution: its tables, keys and roles become usable', async () => {
    const r = await api(em, 'POST', 'ImportSolution', {
      user: 'admin',
      body: { OverwriteUnmanagedCustomizations: true, PublishWorkflows: true, CustomizationFile: fixtureZip() },
    });
    expect(r.status).toBe(204);
    const ext = unique('imp');
    expect(
      (
        await api(em, 'PATCH', `ppc_samples(ppc_externalid='${ext}')`, {
          user: 'refundagent',
          body: { ppc_name: 'after import' },
        })
      ).status,
    ).toBe(204);
    expect(
      (await api(em, 'GET', `ppc_samples(ppc_externalid='${ext}')?$select=ppc_name`, { user: 'refundagent' })).json()
        .ppc_name,
    ).toBe('after import');
  });

  const built = new URL('../../../../solution/dist/', import.meta.url);
  const zips = existsSync(built)
    ? readdirSync(built).filter((f) => /^PayPalConnector.*\.zip$/.test(f) && !f.includes('managed'))
    : [];
  const packed = prerequisitesMet('import of the packed repository solution', [
    zips.length === 0 && 'solution/dist holds no PayPalConnector zip (npm run build)',
  ]);
  (packed ? it : it.skip)(
    `imports the packed repository solution (solution/dist, present: ${zips.length > 0})`,
    async () => {
      const bytes = readFileSync(new URL(zips[0] as string, built));
      const r = await api(em, 'POST', 'ImportSolution', {
        user: 'admin',
        body: { CustomizationFile: bytes.toString('base64') },
      });
      expect(`${r.status} ${r.text}`).toMatch(/^204/);
      expect((await api(em, 'GET', 'ppc_paypaltransactions?$top=1', { user: 'integration' })).status).toBe(200);
    },
  );
});
