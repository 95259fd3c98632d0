// The activity model from Microsoft's reference pages (metadata/microsoft/activitypointer.md, activityparty.md):
// learn.microsoft.com/power-apps/developer/data-platform/reference/entities/activitypointer — "Task performed, or
// to be performed, by a user"; the Activity table every activity type shares its activityid with, its type in
// activitytypecode; messages Retrieve, RetrieveMultiple, Rollup (no Create/Update/Delete). …/entities/activityparty
// — message RetrieveMultiple; participationtypemask 8 Regarding, 9 Owner
// (learn.microsoft.com/power-apps/developer/data-platform/activityparty-entity).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '../src/index.ts';
import { checkPrivilege, privilegeKey } from '../src/auth/principal.ts';
import type { EntityMeta } from '../src/metadata/model.ts';
import { INTERACTIVE_USERS } from '../src/users.ts';
import { api, startEmulator, unique } from './helpers.ts';

let em: DataverseEmulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.close();
});

const idFrom = (entityId: string | null): string => /\(([0-9a-f-]{36})\)$/.exec(entityId ?? '')?.[1] as string;
const admin = INTERACTIVE_USERS.find((u) => u.key === 'admin')?.systemuserid as string;

async function accountWithTask(subject: string): Promise<{ account: string; task: string }> {
  const a = await api(em, 'POST', 'accounts', { user: 'admin', body: { name: unique('Contoso') } });
  const account = idFrom(a.headers.get('odata-entityid'));
  const t = await api(em, 'POST', 'tasks', {
    user: 'admin',
    body: { subject, 'regardingobjectid_account_task@odata.bind': `/accounts(${account})` },
  });
  expect(t.status).toBe(204);
  return { account, task: idFrom(t.headers.get('odata-entityid')) };
}

describe('activitypointer: every task is also an activity', () => {
  it('a task is readable as an activitypointer with the same activityid and activitytypecode task', async () => {
    const { account, task } = await accountWithTask('Follow up');
    const r = await api(
      em,
      'GET',
      `activitypointers?$select=subject,activitytypecode&$filter=_regardingobjectid_value eq ${account}`,
      { user: 'admin' },
    );
    expect(r.status).toBe(200);
    expect(r.json().value).toEqual([
      expect.objectContaining({ activityid: task, subject: 'Follow up', activitytypecode: 'task' }),
    ]);
    const one = await api(em, 'GET', `activitypointers(${task})?$select=subject,_ownerid_value,statecode`, {
      user: 'admin',
    });
    expect(one.status).toBe(200);
    expect(one.json()).toMatchObject({ subject: 'Follow up', _ownerid_value: admin, statecode: 0 });
    // the task's own activitytypecode (EntityName, read-only) says the same
    const t = await api(em, 'GET', `tasks(${task})?$select=activitytypecode`, { user: 'admin' });
    expect(t.json().activitytypecode).toBe('task');
  });

  it("Account_ActivityPointers: the account page's navigation expands the account's activities", async () => {
    const { account, task } = await accountWithTask('Send the contract');
    const r = await api(
      em,
      'GET',
      `accounts(${account})?$select=name&$expand=Account_ActivityPointers($select=subject,activitytypecode)`,
      { user: 'admin' },
    );
    expect(r.status).toBe(200);
    expect(r.json().Account_ActivityPointers).toEqual([
      expect.objectContaining({ activityid: task, subject: 'Send the contract', activitytypecode: 'task' }),
    ]);
  });

  it('follows the task: an update shows at once, a deleted task is no activity any more', async () => {
    const { account, task } = await accountWithTask('Draft');
    await api(em, 'PATCH', `tasks(${task})`, { user: 'admin', body: { subject: 'Final' } });
    const after = await api(em, 'GET', `activitypointers(${task})?$select=subject`, { user: 'admin' });
    expect(after.json().subject).toBe('Final');
    expect((await api(em, 'DELETE', `tasks(${task})`, { user: 'admin' })).status).toBe(204);
    expect((await api(em, 'GET', `activitypointers(${task})`, { user: 'admin' })).status).toBe(404);
    const list = await api(em, 'GET', `activitypointers?$filter=_regardingobjectid_value eq ${account}`, {
      user: 'admin',
    });
    expect(list.json().value).toEqual([]);
  });

  it('is read-only: Create, Update and Delete are not messages of activitypointer', async () => {
    const { task } = await accountWithTask('Read only');
    const create = await api(em, 'POST', 'activitypointers', { user: 'admin', body: { subject: 'x' } });
    expect(create.status).toBe(400);
    expect((create.json().error as { message: string }).message).toContain(
      "The 'Create' method does not support entities of type 'activitypointer'",
    );
    const update = await api(em, 'PATCH', `activitypointers(${task})`, { user: 'admin', body: { subject: 'x' } });
    expect(update.status).toBe(400);
    expect((await api(em, 'DELETE', `activitypointers(${task})`, { user: 'admin' })).status).toBe(400);
    expect((await api(em, 'GET', `tasks(${task})?$select=subject`, { user: 'admin' })).json().subject).toBe(
      'Read only',
    );
  });

  it('is read with the Activity privileges (prvReadActivity covers task, activitypointer, activityparty)', async () => {
    const r = await api(em, 'GET', 'activitypointers?$select=subject', { user: 'salesuser' });
    expect(r.status).toBe(403);
    expect(r.json().error).toMatchObject({ code: '0x80040220' });
    // a role's <RolePrivilege name="prvReadActivity"/> is the one privilege of every activity table
    const key = privilegeKey('prvReadActivity') as string;
    const reader = { systemuserid: 'u', fullname: 'u', roles: [], isAdministrator: false, privileges: new Set([key]) };
    for (const table of ['task', 'activitypointer', 'activityparty'])
      expect(() => checkPrivilege(reader, 'Read', em.model.entities.get(table) as EntityMeta)).not.toThrow();
    const taskOnly = { ...reader, privileges: new Set(['read:task']) };
    expect(() => checkPrivilege(taskOnly, 'Read', em.model.entities.get('task') as EntityMeta)).toThrow();
  });

  it('$metadata declares activitypointer with activitytypecode as a string and Account_ActivityPointers', async () => {
    const meta = (await api(em, 'GET', '$metadata')).text;
    const type = /<EntityType Name="activitypointer"[\s\S]*?<\/EntityType>/.exec(meta)?.[0] ?? '';
    expect(type).toContain('<Property Name="activitytypecode" Type="Edm.String"');
    expect(meta).toContain('Name="Account_ActivityPointers"');
  });
});

describe("activityparty: a task's owner and regarding record", () => {
  it('lists the owner (9) and the regarding account (8) of a task, reached from the activity', async () => {
    const { account, task } = await accountWithTask('Parties');
    const r = await api(
      em,
      'GET',
      `activityparties?$select=participationtypemask,_partyid_value&$filter=_activityid_value eq ${task}&$orderby=participationtypemask`,
      { user: 'admin', headers: { Prefer: 'odata.include-annotations="*"' } },
    );
    expect(r.status).toBe(200);
    const rows = r.json().value as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      participationtypemask: 8,
      'participationtypemask@OData.Community.Display.V1.FormattedValue': 'Regarding',
      _partyid_value: account,
      '_partyid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
    });
    expect(rows[1]).toMatchObject({
      participationtypemask: 9,
      _partyid_value: admin,
      '_partyid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'systemuser',
    });
    const viaPointer = await api(
      em,
      'GET',
      `activitypointers(${task})?$select=subject&$expand=activitypointer_activity_parties($select=participationtypemask)`,
      { user: 'admin' },
    );
    expect(viaPointer.status).toBe(200);
    expect(
      (viaPointer.json().activitypointer_activity_parties as { participationtypemask: number }[])
        .map((p) => p.participationtypemask)
        .sort(),
    ).toEqual([8, 9]);
    const create = await api(em, 'POST', 'activityparties', { user: 'admin', body: { participationtypemask: 2 } });
    expect(create.status).toBe(400);
  });
});
