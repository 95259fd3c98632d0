// Webhooks (and their part in a transaction): steps registered through the Web API fire with
// RemoteExecutionContext bodies shaped like Microsoft's (proxy-service/test/fixtures/dataverse-webhooks), for Create and
// for an Update touching a filtering attribute, not for one that does not; async steps fire only
// after commit; a failing sync step rolls the operation back; failed async deliveries become system jobs.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '../src/index.ts';
import { api, eventually, startEmulator, unique } from './helpers.ts';
import { startReceiver } from './receiver.ts';
import type { Receiver } from './receiver.ts';

const fixture = JSON.parse(
  readFileSync(
    new URL(
      '../../../../proxy-service/test/fixtures/dataverse-webhooks/webhook-remoteexecutioncontext-update-contact-async.json',
      import.meta.url,
    ),
    'utf8',
  ),
) as Record<string, unknown>;

let em: DataverseEmulator;
let rx: Receiver;

async function id(path: string, body: unknown): Promise<string> {
  const r = await api(em, 'POST', path, { body, user: 'admin' });
  if (r.status !== 204) throw new Error(`${path}: ${r.status} ${r.text}`);
  return /\(([0-9a-f-]{36})\)$/.exec(r.headers.get('odata-entityid') ?? '')?.[1] as string;
}

async function registerStep(opts: {
  message: string;
  entity: string;
  mode: number;
  filtering?: string;
  path: string;
  image?: boolean;
}): Promise<string> {
  const endpointId = await id('serviceendpoints', {
    name: unique('ep'),
    contract: 8,
    url: `${rx.url}/${opts.path}`,
    authtype: 5,
    authvalue: '<settings><setting name="x-ppc-secret" value="s3cret" /></settings>',
  });
  const msg = await api(em, 'GET', `sdkmessages?$filter=name eq '${opts.message}'&$select=sdkmessageid`, {
    user: 'admin',
  });
  const messageId = (msg.json().value as { sdkmessageid: string }[])[0]?.sdkmessageid as string;
  const filters = await api(
    em,
    'GET',
    `sdkmessagefilters?$filter=primaryobjecttypecode eq '${opts.entity}' and _sdkmessageid_value eq ${messageId}`,
    { user: 'admin' },
  );
  const filterId = (filters.json().value as { sdkmessagefilterid: string }[])[0]?.sdkmessagefilterid as string;
  const stepId = await id('sdkmessageprocessingsteps', {
    name: `step ${opts.path}`,
    stage: 40,
    mode: opts.mode,
    rank: 1,
    filteringattributes: opts.filtering ?? null,
    'sdkmessageid@odata.bind': `/sdkmessages(${messageId})`,
    'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${filterId})`,
    'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpointId})`,
  });
  if (opts.image) {
    await id('sdkmessageprocessingstepimages', {
      name: 'PostImage',
      entityalias: 'PostImage',
      imagetype: 1,
      messagepropertyname: 'Target',
      attributes: 'ppc_name,ppc_kind',
      'sdkmessageprocessingstepid@odata.bind': `/sdkmessageprocessingsteps(${stepId})`,
    });
  }
  return stepId;
}

function forPath(path: string) {
  return rx.received.filter((r) => r.url.startsWith(`/${path}`));
}

beforeAll(async () => {
  em = await startEmulator();
  rx = await startReceiver();
});
afterAll(async () => {
  await em.close();
  await rx.close();
});

describe('webhooks', () => {
  it('fires a Create step with a RemoteExecutionContext body and the HttpHeader secret', async () => {
    const stepId = await registerStep({ message: 'Create', entity: 'ppc_sample', mode: 1, path: 'create' });
    const recordId = await id('ppc_samples', { ppc_name: unique('wh'), ppc_kind: 100000001, ppc_amount: 12.5 });
    const got = await eventually(() => forPath('create')[0]);
    expect(got.headers['x-ppc-secret']).toBe('s3cret');
    expect(got.headers['x-ms-dynamics-request-name']).toBe('Create');
    expect(got.headers['x-ms-dynamics-entity-name']).toBe('ppc_sample');
    expect(got.headers['x-ms-dynamics-organization']).toBe(new URL(em.url).host);
    const body = got.body;
    // same top-level contract as Microsoft's sample body
    for (const key of Object.keys(fixture)) expect(body).toHaveProperty(key);
    expect(body).toMatchObject({
      MessageName: 'Create',
      PrimaryEntityName: 'ppc_sample',
      PrimaryEntityId: recordId,
      Stage: 40,
      Mode: 1,
      Depth: 1,
    });
    expect(body.OwningExtension).toMatchObject({ Id: stepId, LogicalName: 'sdkmessageprocessingstep' });
    expect(body.OutputParameters).toEqual([{ key: 'id', value: recordId }]);
    const target = (
      body.InputParameters as {
        key: string;
        value: { __type: string; Attributes: { key: string; value: unknown }[]; LogicalName: string };
      }[]
    )[0];
    expect(target?.key).toBe('Target');
    expect(target?.value.__type).toBe('Entity:http://schemas.microsoft.com/xrm/2011/Contracts');
    const attrs = Object.fromEntries((target?.value.Attributes ?? []).map((a) => [a.key, a.value]));
    expect(attrs.ppc_kind).toEqual({
      __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts',
      Value: 100000001,
    });
    expect(attrs.ppc_amount).toEqual({ __type: 'Money:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 12.5 });
    expect(String(body.OperationCreatedOn)).toMatch(/^\/Date\(\d+\)\/$/);
  });

  it('fires an Update step only when a filtering attribute is touched, with the post image', async () => {
    await registerStep({
      message: 'Update',
      entity: 'ppc_sample',
      mode: 1,
      filtering: 'ppc_kind',
      path: 'update',
      image: true,
    });
    const recordId = await id('ppc_samples', { ppc_name: unique('upd') });
    expect(
      (await api(em, 'PATCH', `ppc_samples(${recordId})`, { body: { ppc_lineno: 5 }, user: 'admin' })).status,
    ).toBe(204);
    expect(
      (await api(em, 'PATCH', `ppc_samples(${recordId})`, { body: { ppc_kind: 100000000 }, user: 'admin' })).status,
    ).toBe(204);
    await em.waitForWebhooks();
    const updates = forPath('update').filter((r) => r.body.PrimaryEntityId === recordId);
    expect(updates).toHaveLength(1);
    const body = updates[0]?.body as Record<string, unknown>;
    expect(body.MessageName).toBe('Update');
    const post = (body.PostEntityImages as { key: string; value: { Attributes: { key: string }[] } }[])[0];
    expect(post?.key).toBe('PostImage');
    expect(post?.value.Attributes.map((a) => a.key).sort()).toEqual(['ppc_kind', 'ppc_name']);
  });

  // learn.microsoft.com/power-apps/developer/data-platform/special-update-operation-behavior: an update with
  // state/status and other columns runs Update plug-ins once for the other columns, then once for state/status.
  it('runs Update steps twice for an update carrying statecode/statuscode and other columns', async () => {
    await registerStep({ message: 'Update', entity: 'ppc_sample', mode: 1, path: 'split' });
    const recordId = await id('ppc_samples', { ppc_name: unique('split') });
    const patch = await api(em, 'PATCH', `ppc_samples(${recordId})`, {
      body: { ppc_lineno: 7, statecode: 1, statuscode: 2 },
      user: 'admin',
    });
    expect(patch.status).toBe(204);
    await em.waitForWebhooks();
    const updates = forPath('split').filter((r) => r.body.PrimaryEntityId === recordId);
    const written = updates.map((u) => {
      const target = (u.body.InputParameters as { key: string; value: { Attributes: { key: string }[] } }[])[0];
      return (target?.value.Attributes ?? [])
        .map((a) => a.key)
        .filter((k) => k !== 'ppc_sampleid' && !k.startsWith('modified'))
        .sort();
    });
    expect(written).toEqual([['ppc_lineno'], ['statecode', 'statuscode']]);
  });

  it('does not fire an async step for a change set that rolled back', async () => {
    await registerStep({ message: 'Create', entity: 'contact', mode: 1, path: 'rollback' });
    const name = unique('rb');
    const boundary = 'batch_rb';
    const body = [
      `--${boundary}`,
      'Content-Type: multipart/mixed; boundary=changeset_rb',
      '',
      '--changeset_rb',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'POST contacts HTTP/1.1',
      'Content-Type: application/json',
      '',
      JSON.stringify({ lastname: name }),
      '--changeset_rb',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'POST ppc_samples HTTP/1.1',
      'Content-Type: application/json',
      '',
      JSON.stringify({ ppc_name: 'x'.repeat(101) }),
      '--changeset_rb--',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const r = await api(em, 'POST', '$batch', {
      body,
      user: 'admin',
      headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
    });
    expect(r.status).toBe(400);
    await em.waitForWebhooks();
    expect(forPath('rollback')).toHaveLength(0);
    const left = await api(em, 'GET', `contacts?$filter=lastname eq '${name}'`, { user: 'admin' });
    expect(left.json().value).toEqual([]);
  });

  it('rolls the operation back when a sync step fails, and records failed async deliveries as system jobs', async () => {
    await registerStep({ message: 'Create', entity: 'account', mode: 0, path: 'syncfail' });
    rx.statuses.push(500);
    const name = unique('sync');
    const r = await api(em, 'POST', 'accounts', { body: { name }, user: 'admin' });
    expect(r.status).toBe(400);
    expect(r.json().error).toMatchObject({ code: '0x80040265' });
    expect((await api(em, 'GET', `accounts?$filter=name eq '${name}'`, { user: 'admin' })).json().value).toEqual([]);

    const stepId = await registerStep({ message: 'Create', entity: 'uomschedule', mode: 1, path: 'asyncfail' });
    rx.statuses.push(503, 503); // first attempt and the one retry
    await id('uomschedules', { name: unique('sched') });
    await em.waitForWebhooks();
    expect(forPath('asyncfail')).toHaveLength(2);
    const jobs = await api(
      em,
      'GET',
      `asyncoperations?$filter=statuscode eq 31 and _owningextensionid_value eq ${stepId}`,
      { user: 'admin' },
    );
    expect(jobs.json().value).toHaveLength(1);
  });
});
