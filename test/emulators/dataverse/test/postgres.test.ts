// The same emulator on PostgreSQL (runs when DATABASE_URL is set, as CI does): CRUD, alternate-key
// uniqueness and change-set atomicity are real PostgreSQL transactions and indexes there too.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { DataverseEmulator } from '../src/index.ts';
import { api, startEmulator, unique } from './helpers.ts';

const url = process.env.DATABASE_URL;
const schema = `dv_test_${randomUUID().slice(0, 8)}`;
let em: DataverseEmulator;

(url ? describe : describe.skip)(`PostgreSQL backend (DATABASE_URL ${url ? 'set' : 'not set: skipped'})`, () => {
  beforeAll(async () => {
    em = await startEmulator({ databaseUrl: url, schema });
  });
  afterAll(async () => {
    await em?.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  });

  it('creates, upserts by alternate key and rejects duplicates', async () => {
    const ext = unique('pg');
    expect((await api(em, 'PATCH', `ppc_samples(ppc_externalid='${ext}')`, { body: { ppc_name: 'pg' } })).status).toBe(
      204,
    );
    expect((await api(em, 'POST', 'ppc_samples', { body: { ppc_name: 'dup', ppc_externalid: ext } })).status).toBe(412);
  });

  it('rolls back a failing change set', async () => {
    const name = unique('pgcs');
    const b = 'batch_pg';
    const part = (body: unknown) =>
      [
        '--changeset_pg',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        'POST contacts HTTP/1.1',
        'Content-Type: application/json',
        '',
        JSON.stringify(body),
      ].join('\r\n');
    const body = [
      `--${b}`,
      'Content-Type: multipart/mixed; boundary=changeset_pg',
      '',
      part({ lastname: name }),
      part({ lastname: 'x'.repeat(51) }),
      '--changeset_pg--',
      `--${b}--`,
      '',
    ].join('\r\n');
    const r = await api(em, 'POST', '$batch', { body, headers: { 'Content-Type': `multipart/mixed; boundary=${b}` } });
    expect(r.status).toBe(400);
    expect((await api(em, 'GET', `contacts?$filter=lastname eq '${name}'`)).json().value).toEqual([]);
  });
});
