// Layout: the zip matches the Microsoft-built layout (reference/dataverse.md §2.1–2.3).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { unzipSync } from 'fflate';
import { buildSolution, type BuildResult } from '../packer/build.ts';
import { asArray, parseXml, type XmlNode } from '../packer/lib/xml.ts';
import { readTree } from '../packer/source.ts';
import { customTables } from '../packer/model/tables.ts';
import { flows } from '../packer/scaffold/flows.ts';
import { decode, fixtureControls, SRC_DIR } from './helpers.ts';

const CONTROLS = [
  'ppc_PPC.CustomerSpend',
  'ppc_PPC.FraudScore',
  'ppc_PPC.PaymentStatus',
  'ppc_PPC.PayoutApproval',
  'ppc_PPC.RefundButton',
];

describe('zip layout', () => {
  let result: BuildResult;
  let files: Record<string, Uint8Array>;
  let managedFiles: Record<string, Uint8Array>;
  beforeAll(async () => {
    result = buildSolution(await readTree(SRC_DIR), await fixtureControls());
    files = unzipSync(result.zips[0]!.bytes);
    managedFiles = unzipSync(result.zips[1]!.bytes);
  });

  it('builds without errors', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('has solution.xml, customizations.xml and [Content_Types].xml at the root', () => {
    expect(Object.keys(files).slice(0, 3)).toEqual(['solution.xml', 'customizations.xml', '[Content_Types].xml']);
  });

  it('puts each control under Controls/<prefix>_<namespace>.<constructor>/ with manifest, bundle and strings', () => {
    for (const c of CONTROLS) {
      expect(files[`Controls/${c}/ControlManifest.xml`]).toBeDefined();
      expect(files[`Controls/${c}/bundle.js`]).toBeDefined();
      expect(Object.keys(files).some((p) => p.startsWith(`Controls/${c}/strings/`) && p.endsWith('.1033.resx'))).toBe(
        true,
      );
    }
  });

  it('lists every control in customizations.xml <CustomControls> with its manifest FileName', () => {
    const cust = parseXml(decode(files['customizations.xml']))['ImportExportXml'] as XmlNode;
    const list = asArray((cust['CustomControls'] as XmlNode)['CustomControl']);
    expect(list.map((c) => [c['Name'], c['FileName']])).toEqual(
      CONTROLS.map((c) => [c, `/Controls/${c}/ControlManifest.xml`]),
    );
  });

  it('has RootComponents of the documented types (1 tables, 20 roles, 60 forms, 61/62/80/29/92/95/380, 66 controls)', () => {
    const sol = parseXml(decode(files['solution.xml']))['ImportExportXml'] as XmlNode;
    const manifest = sol['SolutionManifest'] as XmlNode;
    const roots = asArray((manifest['RootComponents'] as XmlNode)['RootComponent']);
    const types = new Set(roots.map((r) => Number(r['@_type'])));
    for (const t of [1, 20, 29, 60, 61, 62, 66, 80, 92, 95, 380]) expect(types).toContain(t);
    expect(roots.filter((r) => r['@_type'] === '66').map((r) => r['@_schemaName'])).toEqual(CONTROLS);
    for (const t of customTables)
      expect(roots.some((r) => r['@_type'] === '1' && r['@_schemaName'] === t.name)).toBe(true);
    expect(manifest['Managed']).toBe('0');
    expect(manifest['UniqueName']).toBe('PayPalConnector');
    expect(
      ((parseXml(decode(managedFiles['solution.xml']))['ImportExportXml'] as XmlNode)['SolutionManifest'] as XmlNode)[
        'Managed'
      ],
    ).toBe('1');
  });

  it('[Content_Types].xml: Default xml→text/xml, js/resx→octet-stream, Override per ControlManifest.xml', () => {
    const types = parseXml(decode(files['[Content_Types].xml']))['Types'] as XmlNode;
    const defaults = Object.fromEntries(asArray(types['Default']).map((d) => [d['@_Extension'], d['@_ContentType']]));
    expect(defaults).toMatchObject({
      xml: 'text/xml',
      js: 'application/octet-stream',
      resx: 'application/octet-stream',
      json: 'application/octet-stream',
    });
    expect(asArray(types['Override']).map((o) => o['@_PartName'])).toEqual(
      CONTROLS.map((c) => `/Controls/${c}/ControlManifest.xml`),
    );
  });

  it('inlines forms, views and ribbon into each <Entity>, and carries web resources, flows and env vars as files', () => {
    const cust = decode(files['customizations.xml']);
    expect(cust).toContain('<forms type="main">');
    expect(cust).toContain('<savedqueries>');
    expect(cust).toContain('PPC.PayoutBatch.approveForm');
    expect(cust).toContain('<Contract>8</Contract>');
    expect(cust).toContain('<AuthType>5</AuthType>');
    expect(cust).not.toMatch(/AuthValue/);
    expect(files['WebResources/ppc_/js/payoutbatch.ribbon.js']).toBeDefined();
    expect(Object.keys(files).filter((p) => p.startsWith('Workflows/') && p.endsWith('.json'))).toHaveLength(
      flows.length,
    );
    expect(files['environmentvariabledefinitions/ppc_ProxyBaseUrl/environmentvariabledefinition.xml']).toBeDefined();
  });

  it('every zip entry has a fixed timestamp', () => {
    // DOS date of 2000-01-01 00:00 = 0x2821 / time 0, at offset 10..13 of each local header.
    const bytes = result.zips[0]!.bytes;
    let count = 0;
    for (let i = 0; i + 4 < bytes.length; i++) {
      if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x03 && bytes[i + 3] === 0x04) {
        expect([bytes[i + 10], bytes[i + 11], bytes[i + 12], bytes[i + 13]]).toEqual([0, 0, 0x21, 0x28]);
        count++;
      }
    }
    expect(count).toBe(Object.keys(files).length);
  });
});

describe('without PCF controls', () => {
  it('builds, warns clearly and packs no Controls/ folder', async () => {
    const r = buildSolution(await readTree(SRC_DIR), undefined);
    expect(r.ok).toBe(true);
    expect(r.diagnostics.some((d) => d.severity === 'warning' && d.message.includes('WITHOUT the PCF controls'))).toBe(
      true,
    );
    const files = unzipSync(r.zips[0]!.bytes);
    expect(Object.keys(files).some((p) => p.startsWith('Controls/'))).toBe(false);
    expect(decode(files['solution.xml'])).not.toContain('type="66"');
  });
});
