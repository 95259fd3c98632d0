// Control versions follow the solution version: Dataverse only replaces a control whose manifest version changed.
import { describe, expect, it } from '@jest/globals';
import { unzipSync } from 'fflate';
import { buildSolution } from '../packer/build.ts';
import { controlVersionFor } from '../packer/control-version.ts';
import { asArray, parseXml, type XmlNode } from '../packer/lib/xml.ts';
import { decode, fixtureControls, fixtureTree } from './helpers.ts';

/** The fixture solution with its <Version> replaced. */
async function treeAt(version: string) {
  const tree = await fixtureTree();
  const xml = decode(tree.get('Other/Solution.xml')).replace(
    /<Version>[^<]*<\/Version>/,
    `<Version>${version}</Version>`,
  );
  tree.set('Other/Solution.xml', new TextEncoder().encode(xml));
  return tree;
}

/** <control version> of every ControlManifest.xml in the unmanaged and the managed zip, by zip entry. */
function packedVersions(zips: readonly { bytes: Uint8Array }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [i, z] of zips.entries())
    for (const [path, bytes] of Object.entries(unzipSync(z.bytes)))
      if (path.endsWith('/ControlManifest.xml')) {
        const control = (parseXml(decode(bytes))['manifest'] as XmlNode)['control'] as XmlNode;
        out.set(`${i}:${path}`, String(control['@_version']));
      }
  return out;
}

describe('control version from the solution version', () => {
  it.each([
    ['1.0.0.0', '1.0.0'],
    ['2.3.4.5', '2.3.4005'],
    ['1.2.0.999', '1.2.999'],
    ['1.2.1.0', '1.2.1000'],
    ['10.20.30.40', '10.20.30040'],
  ])('%s → %s', (solution, control) => {
    expect(controlVersionFor(solution)).toEqual({ ok: true, version: control });
  });

  it('keeps the order: a higher solution version gives a higher control version', () => {
    const ordered = ['1.0.0.0', '1.0.0.1', '1.0.0.999', '1.0.1.0', '1.0.2.5', '1.1.0.0', '2.0.0.0'];
    const patches = ordered.map((v) => {
      const r = controlVersionFor(v);
      if (!r.ok) throw new Error(r.message);
      return r.version.split('.').map(Number);
    });
    for (let i = 1; i < patches.length; i++) {
      const [a, b] = [patches[i - 1]!, patches[i]!];
      const cmp = a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
      expect(cmp).toBeLessThan(0);
    }
  });

  it.each(['1.0.0', '1.0.0.0.0', '1.0.0.x', '', '1.0.0.1000'])('refuses %j', (solution) => {
    expect(controlVersionFor(solution).ok).toBe(false);
  });
});

describe('packed control manifests', () => {
  it('carry the version derived from Solution.xml in both zips, replacing the built one', async () => {
    const controls = await fixtureControls();
    expect(new Set(controls.map((c) => c.version))).toEqual(new Set(['0.1.0']));
    const r = buildSolution(await treeAt('2.3.4.5'), controls);
    expect(r.ok).toBe(true);
    const versions = packedVersions(r.zips);
    expect(versions.size).toBe(2 * controls.length);
    expect(new Set(versions.values())).toEqual(new Set(['2.3.4005']));
  });

  it('change when the solution version is bumped', async () => {
    const controls = await fixtureControls();
    const before = packedVersions(buildSolution(await treeAt('1.4.2.7'), controls).zips);
    const after = packedVersions(buildSolution(await treeAt('1.4.2.8'), controls).zips);
    expect(new Set(before.values())).toEqual(new Set(['1.4.2007']));
    expect(new Set(after.values())).toEqual(new Set(['1.4.2008']));
  });

  it('leave everything else in the manifest as built (platform library and resx versions included)', async () => {
    const controls = await fixtureControls();
    const built = controls.find((c) => c.constructorName === 'RefundButton')!;
    const r = buildSolution(await treeAt('3.0.0.1'), controls);
    const packed = decode(unzipSync(r.zips[0]!.bytes)[`Controls/${built.name}/ControlManifest.xml`]);
    expect(packed).toBe(decode(built.files.get('ControlManifest.xml')).replace('version="0.1.0"', 'version="3.0.1"'));
    const resources = (parseXml(packed)['manifest'] as XmlNode)['control'] as XmlNode;
    expect(asArray((resources['resources'] as XmlNode)['platform-library']).map((l) => l['@_version'])).toEqual([
      '16.14.0',
      '8.121.1',
    ]);
  });

  it('fail the build when the solution version cannot be mapped', async () => {
    const r = buildSolution(await treeAt('1.0.0.1000'), await fixtureControls());
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', file: 'Other/Solution.xml', element: 'SolutionManifest/Version' }),
    );
  });
});
