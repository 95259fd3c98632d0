// Issue #20's findings from comparing the packer's output with real exports (solution/corpus): one test per
// finding, each on the built managed zip (or, for the validation findings, on the real source with one mutation).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { unzipSync } from 'fflate';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSolution, type BuildResult } from '../packer/build.ts';
import {
  attrsOf,
  child,
  childrenOf,
  findAll,
  parseOrdered,
  rootOf,
  tagOf,
  textOf,
  type ONode,
} from '../packer/lib/ordered.ts';
import { readTree, type FileTree } from '../packer/source.ts';
import { customTables } from '../packer/model/tables.ts';
import { tableExtensions } from '../packer/model/extensions.ts';
import { decode, fixtureControls, SRC_DIR } from './helpers.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function doc(files: Record<string, Uint8Array>, name: string): ONode {
  return rootOf(parseOrdered(decode(files[name])), name);
}

function entities(cust: ONode): ONode[] {
  return childrenOf(child(cust, 'Entities')!).filter((c) => tagOf(c) === 'Entity');
}

function entityInfo(e: ONode): ONode {
  return child(child(e, 'EntityInfo')!, 'entity')!;
}

describe('findings against real exports', () => {
  let result: BuildResult;
  let managed: Record<string, Uint8Array>;
  let cust: ONode;
  let solution: ONode;
  beforeAll(async () => {
    result = buildSolution(await readTree(SRC_DIR), await fixtureControls());
    managed = unzipSync(result.zips[1]!.bytes);
    cust = doc(managed, 'customizations.xml');
    solution = doc(managed, 'solution.xml');
  });

  it('builds without errors', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('1: every MinValue/MaxValue is a plain number inside the 64-bit range (no 1e-10), and versionnumber is not written', () => {
    const bad: string[] = [];
    for (const tag of ['MinValue', 'MaxValue'])
      for (const n of findAll([cust], tag)) {
        const v = textOf(n);
        if (!/^-?\d+(\.\d+)?$/.test(v)) bad.push(`${tag}=${v} (not a plain number)`);
        else if (/^-?\d+$/.test(v) && (BigInt(v) < INT64_MIN || BigInt(v) > INT64_MAX))
          bad.push(`${tag}=${v} (outside 64-bit)`);
      }
    expect(bad).toEqual([]);
    const names = findAll([cust], 'attribute').map((a) => textOf(child(a, 'LogicalName')));
    expect(names).not.toContain('versionnumber');
  });

  it('2: every custom table has a default Advanced Find (querytype 1) and Associated (querytype 2) view', () => {
    const missing: string[] = [];
    for (const e of entities(cust)) {
      const name = textOf(child(e, 'Name'));
      if (!customTables.some((t) => t.name === name)) continue;
      const queries = findAll([e], 'savedquery');
      for (const type of ['1', '2'])
        if (!queries.some((q) => textOf(child(q, 'querytype')) === type && textOf(child(q, 'isdefault')) === '1'))
          missing.push(`${name} querytype ${type}`);
    }
    expect(missing).toEqual([]);
  });

  it('3: Quick Find views put their {0} conditions in an isquickfindfields="1" filter (the find columns)', () => {
    const problems: string[] = [];
    let quickFinds = 0;
    for (const q of findAll([cust], 'savedquery')) {
      if (textOf(child(q, 'querytype')) !== '4') continue;
      quickFinds++;
      const filters = findAll([q], 'filter');
      const find = filters.filter((f) => attrsOf(f)['@_isquickfindfields'] === '1');
      if (find.length !== 1) problems.push(`${textOf(child(q, 'savedqueryid'))}: ${find.length} find filters`);
      for (const f of filters) {
        const hasPlaceholder = findAll([f], 'condition').some((c) => attrsOf(c)['@_value'] === '{0}');
        if (hasPlaceholder && attrsOf(f)['@_isquickfindfields'] !== '1')
          problems.push(`${textOf(child(q, 'savedqueryid'))}: {0} outside the find filter`);
      }
      for (const f of find) if (attrsOf(f)['@_type'] !== 'or') problems.push('find filter is not type="or"');
    }
    expect(quickFinds).toBe(customTables.length);
    expect(problems).toEqual([]);
  });

  it('4: Microsoft tables carry no table-level metadata (unmodified="1", only our columns)', () => {
    for (const ext of tableExtensions) {
      const e = entities(cust).find((x) => textOf(child(x, 'Name')) === ext.name)!;
      const info = entityInfo(e);
      expect(attrsOf(info)['@_unmodified']).toBe('1');
      const tags = childrenOf(info).map(tagOf);
      for (const forbidden of [
        'LocalizedNames',
        'LocalizedCollectionNames',
        'Descriptions',
        'EntitySetName',
        'IntroducedVersion',
        'OwnershipTypeMask',
        'IsCustomizable',
      ])
        expect(tags).not.toContain(forbidden);
    }
  });

  it('5a: the webhook steps ship disabled and locked; the endpoint stays configurable', () => {
    const stepsEl = findAll([cust], 'SdkMessageProcessingStep');
    expect(stepsEl.length).toBe(
      readdirSync(join(SRC_DIR, 'SdkMessageProcessingSteps')).filter((f) => f.endsWith('.xml')).length,
    );
    expect(stepsEl.length).toBeGreaterThanOrEqual(3);
    for (const s of stepsEl) {
      expect(textOf(child(s, 'StateCode'))).toBe('1');
      expect(textOf(child(s, 'StatusCode'))).toBe('2');
      expect(textOf(child(s, 'IsCustomizable'))).toBe('0');
    }
    const endpoint = findAll([cust], 'ServiceEndpoint')[0]!;
    expect(textOf(child(endpoint, 'IsCustomizable'))).toBe('1');
  });

  it('5b: flows ship off (Draft: statecode 0, statuscode 1) until deploy binds their connections', () => {
    const flows = findAll([cust], 'Workflow');
    expect(flows.length).toBeGreaterThan(0);
    for (const f of flows) {
      expect(textOf(child(f, 'StateCode'))).toBe('0');
      expect(textOf(child(f, 'StatusCode'))).toBe('1');
    }
  });

  it('6a: CascadeArchive follows real exports (NoCascade), on parental and referential relationships alike', () => {
    const values = findAll([cust], 'CascadeArchive').map(textOf);
    expect(values.length).toBeGreaterThan(0);
    expect(new Set(values)).toEqual(new Set(['NoCascade']));
  });

  it('6b: no parental relationship runs from an organization-owned parent to a user-owned child', () => {
    const ownership = new Map(
      entities(cust).map((e) => [textOf(child(e, 'Name')), textOf(child(entityInfo(e), 'OwnershipTypeMask'))]),
    );
    const bad = findAll([cust], 'EntityRelationship')
      .filter((r) => textOf(child(r, 'CascadeAssign')) === 'Cascade')
      .filter(
        (r) =>
          ownership.get(textOf(child(r, 'ReferencingEntityName'))) === 'UserOwned' &&
          ownership.get(textOf(child(r, 'ReferencedEntityName'))) !== 'UserOwned',
      )
      .map((r) => attrsOf(r)['@_Name']);
    expect(bad).toEqual([]);
  });

  it('6c: MissingDependencies names the Dynamics 365 Sales tables the solution extends', () => {
    const required = findAll([solution], 'Required').map((r) => attrsOf(r));
    const tables = new Set(required.map((r) => r['@_schemaName']));
    expect(tables).toEqual(new Set(['salesorder', 'invoice']));
    for (const r of required) {
      expect(r['@_type']).toBe('1');
      expect(r['@_solution']).toMatch(/^Sales \(\d+\.\d+\.\d+\.\d+\)$/);
    }
  });

  it('6d: managed properties lock steps, roles and web resources', () => {
    const roles = childrenOf(child(cust, 'Roles')!).filter((c) => tagOf(c) === 'Role');
    expect(roles.length).toBeGreaterThan(0);
    for (const r of roles) expect(textOf(child(r, 'IsCustomizable'))).toBe('0');
    for (const tag of ['SdkMessageProcessingStep', 'SdkMessageProcessingStepImage', 'WebResource'])
      for (const n of findAll([cust], tag)) expect([tag, textOf(child(n, 'IsCustomizable'))]).toEqual([tag, '0']);
    for (const w of findAll([cust], 'WebResource')) expect(textOf(child(w, 'CanBeDeleted'))).toBe('0');
  });
});

/** The real source with one file rewritten. */
async function mutated(path: string, edit: (text: string) => string): Promise<FileTree> {
  const tree = await readTree(SRC_DIR);
  const old = decode(tree.get(path));
  const next = edit(old);
  expect(next).not.toBe(old);
  tree.set(path, new TextEncoder().encode(next));
  return tree;
}

const FLOW = 'Workflows/PayPalalertfinanceonpaymentalert-973230F7-1A0A-53AA-A733-AD02F43C0420.json';

describe('7: the reference check catches what used to build without error', () => {
  const errorsOf = async (tree: FileTree) =>
    buildSolution(tree, await fixtureControls()).diagnostics.filter((d) => d.severity === 'error');

  it('a flow naming a connection reference that does not exist', async () => {
    const tree = await mutated(FLOW, (t) => t.replace('"ppc_sharedoffice365"', '"ppc_sharedoffice365x"'));
    expect(await errorsOf(tree)).toEqual([
      expect.objectContaining({ file: FLOW, message: expect.stringContaining('ppc_sharedoffice365x') }),
    ]);
  });

  it('a flow naming an environment variable that does not exist', async () => {
    const tree = await mutated(FLOW, (t) =>
      t.replace('"schemaName": "ppc_FinanceAlertEmail"', '"schemaName": "ppc_FinanceAlertMail"'),
    );
    expect(await errorsOf(tree)).toEqual([
      expect.objectContaining({ file: FLOW, message: expect.stringContaining('ppc_FinanceAlertMail') }),
    ]);
  });

  it('a flow triggered on a table that does not exist', async () => {
    const tree = await mutated(FLOW, (t) =>
      t.replace(
        '"subscriptionRequest/entityname": "ppc_fraudalert"',
        '"subscriptionRequest/entityname": "ppc_fraudalerts"',
      ),
    );
    expect(await errorsOf(tree)).toEqual([
      expect.objectContaining({ file: FLOW, message: expect.stringContaining('ppc_fraudalerts') }),
    ]);
  });

  it('a misspelled privilege on a Microsoft table', async () => {
    const tree = await mutated('Roles/PayPal Finance.xml', (t) => t.replace('prvReadSalesOrder"', 'prvReadSalesOrdr"'));
    expect(await errorsOf(tree)).toEqual([
      expect.objectContaining({ file: 'Roles/PayPal Finance.xml', message: expect.stringContaining('SalesOrdr') }),
    ]);
  });

  it('Assign on an organization-owned Microsoft table', async () => {
    const tree = await mutated('Roles/PayPal Finance.xml', (t) =>
      t.replace('name="prvReadTransactionCurrency"', 'name="prvAssignTransactionCurrency"'),
    );
    expect(await errorsOf(tree)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('no Assign privilege') }),
    ]);
  });

  it('a parental relationship from an organization-owned parent to a user-owned child', async () => {
    const tree = await mutated('Other/Relationships/ppc_reconciliationrun.xml', (t) =>
      t.replace(
        /(<EntityRelationship Name="ppc_ppc_reconciliationrun_ppc_reconciliationbreak_runid">[\s\S]*?<CascadeAssign>)NoCascade/,
        '$1Cascade',
      ),
    );
    expect(await errorsOf(tree)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('parental relationship') }),
    ]);
  });
});
