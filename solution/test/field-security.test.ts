// Column (field) security of the four-eyes record: the shipped source secures the record dates, ships the two
// profiles as root components (type 70), and the validator catches a profile that would not work.
// Format: CustomizationsSolution.xsd FieldSecurityProfilesType; values 0/4 and "lookup columns can't be secured":
// learn.microsoft.com/power-apps/developer/data-platform/column-level-security,
// learn.microsoft.com/power-platform/admin/field-level-security.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { buildSolution } from '../packer/build.ts';
import type { Diagnostic } from '../packer/diagnostics.ts';
import { asArray, parseXml, type XmlNode } from '../packer/lib/xml.ts';
import {
  fieldSecurityProfiles,
  PROFILE_INTEGRATION,
  PROFILE_RECORD_READER,
  securedColumns,
} from '../packer/model/field-security.ts';
import { readTree, type FileTree } from '../packer/source.ts';
import { decode, fixtureControls, SRC_DIR } from './helpers.ts';

const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 'error');
let tree: FileTree;
beforeAll(async () => {
  tree = await readTree(SRC_DIR);
});
const text = (path: string) => decode(tree.get(path));
/** The shipped tree with one file's text replaced (the search string must occur). */
function patched(path: string, from: string, to: string): FileTree {
  const before = text(path);
  expect(before).toContain(from);
  return new Map([...tree, [path, new TextEncoder().encode(before.replace(from, to))]]);
}
/** The node at `path` under `n` (the test knows the shape; XmlNode is deliberately loose). */
const dig = (n: unknown, ...path: string[]): XmlNode => path.reduce((x, k) => (x as XmlNode)[k], n) as XmlNode;
const build = async (t: FileTree) => errors(buildSolution(t, await fixtureControls()).diagnostics);

describe('field security in the shipped solution', () => {
  it('secures the request and approval dates of credit memos and payout batches, and no lookup', () => {
    expect(securedColumns).toEqual([
      ['ppc_creditmemo', 'ppc_requestedon'],
      ['ppc_creditmemo', 'ppc_approvedon'],
      ['ppc_payoutbatch', 'ppc_submittedon'],
      ['ppc_payoutbatch', 'ppc_approvedon'],
    ]);
    for (const [table, column] of securedColumns) {
      const entity = parseXml(text(`Entities/${table}/Entity.xml`));
      const attrs = asArray<XmlNode>(dig(entity, 'Entity', 'EntityInfo', 'entity', 'attributes', 'attribute'));
      const a = attrs.find((x) => x.LogicalName === column)!;
      expect({ column, secured: a.IsSecured }).toEqual({ column, secured: '1' });
      expect(a.Type).toBe('datetime');
    }
  });

  it('ships the integration profile (read/create/update) and the reader profile (read only) as type 70 roots', () => {
    const custom = parseXml(text('Other/Customizations.xml'));
    const profiles = asArray<XmlNode>(dig(custom, 'ImportExportXml', 'FieldSecurityProfiles', 'FieldSecurityProfile'));
    expect(profiles.map((p) => p['@_name']).sort()).toEqual([PROFILE_RECORD_READER, PROFILE_INTEGRATION].sort());
    const perms = (name: string) =>
      asArray<XmlNode>(
        dig(
          profiles.find((p) => p['@_name'] === name),
          'FieldPermissions',
          'FieldPermission',
        ),
      );
    for (const p of perms(PROFILE_INTEGRATION)) expect([p.CanRead, p.CanCreate, p.CanUpdate]).toEqual(['4', '4', '4']);
    for (const p of perms(PROFILE_RECORD_READER))
      expect([p.CanRead, p.CanCreate, p.CanUpdate]).toEqual(['4', '0', '0']);
    expect(perms(PROFILE_INTEGRATION)).toHaveLength(securedColumns.length);
    const solution = text('Other/Solution.xml');
    for (const p of fieldSecurityProfiles)
      expect(solution).toContain(`<RootComponent type="70" id="{${p.id}}" behavior="0"/>`);
  });

  it('builds without errors (XSD included)', async () => {
    expect(await build(tree)).toEqual([]);
  });
});

describe('field security validation', () => {
  const ON = '<AttributeName>ppc_requestedon</AttributeName>';

  it('catches a permission for a column that is not secured', async () => {
    const t = patched('Other/Customizations.xml', ON, '<AttributeName>ppc_reason</AttributeName>');
    expect(await build(t)).toContainEqual(
      expect.objectContaining({
        file: 'Other/Customizations.xml',
        message: expect.stringContaining('ppc_creditmemo.ppc_reason is not secured'),
      }),
    );
  });

  it('catches a permission for a column that does not exist', async () => {
    const t = patched('Other/Customizations.xml', ON, '<AttributeName>ppc_nosuchcolumn</AttributeName>');
    expect(await build(t)).toContainEqual(
      expect.objectContaining({ message: 'column ppc_creditmemo.ppc_nosuchcolumn is not in the solution' }),
    );
  });

  it('catches a permission value other than 0 or 4', async () => {
    const t = patched('Other/Customizations.xml', '<CanRead>4</CanRead>', '<CanRead>1</CanRead>');
    expect(await build(t)).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('CanRead is "1"') }),
    );
  });

  it('catches a secured lookup (Dataverse cannot secure lookup columns)', async () => {
    const path = 'Entities/ppc_creditmemo/Entity.xml';
    const before = text(path);
    const at = before.indexOf('<LogicalName>ppc_requestedby</LogicalName>');
    const secured = at + before.slice(at).indexOf('<IsSecured>0</IsSecured>');
    const after = `${before.slice(0, secured)}<IsSecured>1</IsSecured>${before.slice(secured + 24)}`;
    const t = new Map([...tree, [path, new TextEncoder().encode(after)]]);
    expect(await build(t)).toContainEqual(
      expect.objectContaining({ file: path, message: expect.stringContaining('ppc_requestedby is a lookup column') }),
    );
  });

  it('catches a profile that is not a root component, and a type 70 root without its profile', async () => {
    const [p] = fieldSecurityProfiles;
    const root = `<RootComponent type="70" id="{${p!.id}}" behavior="0"/>`;
    const missingRoot = patched('Other/Solution.xml', root, '');
    expect(await build(missingRoot)).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining(`component type 70 "${p!.id}"`) }),
    );
    const orphan = patched(
      'Other/Solution.xml',
      root,
      `${root}<RootComponent type="70" id="{00000000-0000-4000-8000-000000000070}" behavior="0"/>`,
    );
    expect(await build(orphan)).toContainEqual(
      expect.objectContaining({ element: expect.stringContaining("RootComponent[@type='70']") }),
    );
  });
});
