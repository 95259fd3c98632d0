// The switch's own machinery: target choice, missing credentials, normalisation, record then compare.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { normalise, requireEnv, snapshots, targetKind } from '../src/validated.ts';

const dir = mkdtempSync(join(tmpdir(), 'ppc-snapshots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validated suites', () => {
  it('runs against the emulator unless PPC_TARGET=real; any other value stops the run', () => {
    expect(targetKind({})).toBe('emulator');
    expect(targetKind({ PPC_TARGET: 'real' })).toBe('real');
    expect(() => targetKind({ PPC_TARGET: 'sandbox' })).toThrow('PPC_TARGET must be "emulator" or "real"');
  });

  it('a real run without credentials fails naming every missing variable', () => {
    expect(() => requireEnv(['PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET'], { PAYPAL_CLIENT_ID: 'x' })).toThrow(
      'PPC_TARGET=real needs PAYPAL_CLIENT_SECRET in the environment',
    );
    expect(requireEnv(['A'], { A: '1' })).toEqual({ A: '1' });
  });

  it('masks ids, times, debug ids, emails, hosts and GUIDs; keeps keys, types and other values', () => {
    expect(
      normalise({
        id: '5O190127TN364715T',
        debug_id: 'f3b7a1c2d9e4',
        status: 'CREATED',
        create_time: '2026-12-07T05:00:00Z',
        payer: { email_address: 'ada@example.com', payer_id: 'ADABUYER2345A' },
        links: [{ href: 'https://api-m.sandbox.paypal.com/v2/checkout/orders/5O190127TN364715T', rel: 'self' }],
        '@odata.etag': 'W/"1234"',
        note: 'account 0f8fad5b-d9cb-469f-a165-70867728950e',
        amount: { value: '12.34' },
        quantity: 2,
      }),
    ).toEqual({
      id: '<id>',
      debug_id: '<id>',
      status: 'CREATED',
      create_time: '<time>',
      payer: { email_address: '<email>', payer_id: '<id>' },
      links: [{ href: '<base>/v2/checkout/orders/<id>', rel: 'self' }],
      '@odata.etag': '<id>',
      note: 'account <guid>',
      amount: { value: '12.34' },
      quantity: 2,
    });
  });

  it('a real run records the normalised answer; an emulator run compares its shape with it', () => {
    const real = snapshots(dir, 'real');
    expect(
      real.check('orders-get', { status: 200, body: { id: 'A1', status: 'CREATED', links: [{ rel: 'self' }] } }),
    ).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'orders-get.json'), 'utf8'))).toEqual({
      status: 200,
      body: { id: '<id>', status: 'CREATED', links: [{ rel: 'self' }] },
    });
    const emulator = snapshots(dir, 'emulator');
    expect(emulator.check('orders-get', { status: 200, body: { id: 'B2', status: 'APPROVED', links: [] } })).toEqual(
      [],
    );
    expect(
      emulator.check('orders-get', { status: 201, body: { id: 7, links: [{ rel: 'self', method: 'GET' }] } }),
    ).toEqual([
      'status 200 → 201',
      'type $.id (string → number)',
      'missing $.status (string)',
      'extra $.links[].method (string)',
    ]);
    expect(emulator.check('orders-create', { status: 201, body: {} })).toBeUndefined();
    expect(emulator.unvalidated).toEqual(['orders-create']);
  });
});
