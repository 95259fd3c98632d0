// One resolution of the sandbox's ports and paths, from the repository root whatever the current folder.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { adminTokenFor } from '../src/admin-token.ts';
import { REPO_ROOT, sandboxSettings } from '../src/sandbox-settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'ppc-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sandboxSettings', () => {
  it('defaults to the README ports and <repo>/.data', () => {
    const s = sandboxSettings({});
    expect(s.ports).toEqual({ paypal: 4010, dataverse: 4020, proxy: 3000, harness: 4040 });
    expect(s.urls.paypal).toBe('http://127.0.0.1:4010');
    expect(s.dataDir).toBe(join(REPO_ROOT, '.data'));
    expect(s.store).toEqual({ kind: 'embedded-postgres', dataDir: join(REPO_ROOT, '.data/proxy-postgres') });
  });

  it('takes ports and directories from the environment, relative ones from the repository root', () => {
    const s = sandboxSettings({
      PAYPAL_EMULATOR_PORT: '41010',
      DATAVERSE_EMULATOR_PORT: '41020',
      PORT: '41000',
      HARNESS_PORT: '41040',
      SANDBOX_DATA_DIR: 'tmp/sandbox',
    });
    expect(s.urls).toEqual({
      paypal: 'http://127.0.0.1:41010',
      dataverse: 'http://127.0.0.1:41020',
      proxy: 'http://127.0.0.1:41000',
      harness: 'http://127.0.0.1:41040',
    });
    expect(s.dataDir).toBe(join(REPO_ROOT, 'tmp/sandbox'));
    expect(s.store.dataDir).toBe(join(REPO_ROOT, 'tmp/sandbox/proxy-postgres'));
    expect(sandboxSettings({ STORE_DATA_DIR: '/var/lib/ppc' }).store).toEqual({
      kind: 'embedded-postgres',
      dataDir: '/var/lib/ppc',
    });
    expect(sandboxSettings({ STORE: 'pglite', SANDBOX_DATA_DIR: 'tmp/sandbox' }).store).toEqual({
      kind: 'pglite',
      dataDir: join(REPO_ROOT, 'tmp/sandbox/proxy-pglite'),
    });
    // the earlier key keeps its meaning: PGlite in that directory
    expect(sandboxSettings({ PGLITE_DATA_DIR: '/var/lib/ppc' }).store).toEqual({
      kind: 'pglite',
      dataDir: '/var/lib/ppc',
    });
  });

  it('refuses a store that is not one', () => {
    expect(() => sandboxSettings({ STORE: 'sqlite' })).toThrow('STORE must be embedded-postgres or pglite');
  });

  it('refuses a port that is not one', () => {
    expect(() => sandboxSettings({ PORT: 'http' })).toThrow('PORT must be a TCP port');
    expect(() => sandboxSettings({ HARNESS_PORT: '70000' })).toThrow('HARNESS_PORT must be a TCP port');
  });
});

describe('adminTokenFor', () => {
  it('creates one random token per data directory, private to its owner, and keeps it', () => {
    const a = adminTokenFor(join(dir, 'a'), {});
    expect(a.length).toBeGreaterThanOrEqual(16);
    expect(statSync(join(dir, 'a/admin-token')).mode & 0o777).toBe(0o600);
    expect(adminTokenFor(join(dir, 'a'), {})).toBe(a);
    expect(adminTokenFor(join(dir, 'b'), {})).not.toBe(a);
  });

  it('lets ADMIN_TOKEN win', () => {
    expect(adminTokenFor(join(dir, 'c'), { ADMIN_TOKEN: 'from-the-environment-0123' })).toBe(
      'from-the-environment-0123',
    );
  });
});
