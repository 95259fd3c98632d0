// Emulators in one process start from the dump of one blank database cluster (src/storage/database.ts: an initdb
// in WASM is the costly part of a start): each must still hold only its own rows.
import { describe, expect, it } from '@jest/globals';
import { api, startEmulator, unique } from './helpers.ts';

describe('emulators in one process', () => {
  it('share no rows', async () => {
    const a = await startEmulator();
    const b = await startEmulator();
    const name = unique('only-in-a');
    const created = await api(a, 'POST', 'ppc_samples', { body: { ppc_name: name } });
    expect(created.status).toBe(204);
    const filter = `ppc_samples?$select=ppc_name&$filter=ppc_name eq '${name}'`;
    expect((await api(a, 'GET', filter)).json().value).toHaveLength(1);
    expect((await api(b, 'GET', filter)).json().value).toHaveLength(0);
    const c = await startEmulator();
    expect((await api(c, 'GET', 'ppc_samples?$select=ppc_name')).json().value).toHaveLength(0);
  });
});
