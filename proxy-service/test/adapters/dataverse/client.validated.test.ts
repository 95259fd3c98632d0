// Our Dataverse client (msal-node, $batch change sets, alternate keys, 404 as null) validated against a real
// environment: runs against the Dataverse emulator by default, against DATAVERSE_URL with PPC_TARGET=real
// (README "Validated against the real services"). Only standard tables and columns are used (account), so a
// trial org without the solution runs it; the records made are deleted again where the user may.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataversePort } from '../../../src/adapters/dataverse/index.ts';
import { adapterSnapshots, dataverseTarget, type Target } from '../target.ts';

const snaps = adapterSnapshots('dataverse');
let target: Target<DataversePort>;
const made: string[] = [];

beforeAll(async () => {
  target = await dataverseTarget();
});
afterAll(async () => {
  if (snaps.unvalidated.length)
    process.stderr.write(
      `[validated] dataverse adapter: no environment snapshot yet for ${snaps.unvalidated.join(', ')}\n`,
    );
  // Clean-up is best effort: the solution's Integration Service role may not delete accounts (the emulator's
  // seeded application user has it); a real run's leftovers are named so they can be removed by hand.
  if (target && made.length)
    await target.client
      .changeSet(made.map((id) => ({ method: 'DELETE' as const, url: `accounts(${id})` })))
      .catch((err: unknown) => {
        // The emulator is thrown away with its records; only a real environment keeps them.
        if (target.kind === 'real')
          process.stderr.write(`[validated] accounts left (${String(err)}): ${made.join(', ')}\n`);
      });
  await target?.close();
});

function matchesEnvironment(name: string, status: number, body: unknown): void {
  const diff = snaps.check(name, { status, body });
  if (diff) expect(diff).toEqual([]);
}

describe(`Dataverse client (${process.env.PPC_TARGET ?? 'emulator'})`, () => {
  it('creates an account in a change set, reads it with its ETag, finds it by query; a missing id is null', async () => {
    const name = `Validated ${randomUUID().slice(0, 8)}`;
    const [created] = await target.client.changeSet([{ method: 'POST', url: 'accounts', body: { name } }]);
    expect(created?.status).toBe(204);
    expect(created?.entityId).toMatch(/^[0-9a-f-]{36}$/);
    made.push(created!.entityId!);
    const got = await target.client.get(`accounts(${created!.entityId})`, ['name', 'accountid']);
    expect(got).toMatchObject({ name, accountid: created!.entityId });
    expect(got?.['@odata.etag']).toMatch(/^W\/"\d+"$/);
    matchesEnvironment('get-account', 200, got);
    const found = await target.client.query('accounts', `$select=name&$filter=name eq '${name}'`);
    expect(found).toHaveLength(1);
    matchesEnvironment('query-accounts', 200, { value: found });
    expect(await target.client.get(`accounts(${randomUUID()})`, ['name'])).toBeNull();
  });

  it('updates with If-Match and reads the change back in one read batch', async () => {
    const [created] = await target.client.changeSet([{ method: 'POST', url: 'accounts', body: { name: 'Before' } }]);
    made.push(created!.entityId!);
    const before = await target.client.get(`accounts(${created!.entityId})`, ['name']);
    await target.client.update(`accounts(${created!.entityId})`, { name: 'After' }, before?.['@odata.etag']);
    const [after] = await target.client.readBatch([`accounts(${created!.entityId})?$select=name`]);
    expect(after).toMatchObject({ name: 'After' });
    matchesEnvironment('read-batch-account', 200, after);
  });
});
