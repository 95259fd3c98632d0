import { describe, expect, it } from '@jest/globals';
import { storeChoice } from '../../src/adapters/store/open-store.ts';
import { readFileSync } from 'node:fs';
import { ConfigError, configKeys, configTable, loadConfig, redactedConfig } from '../../src/config.ts';

describe('config', () => {
  it('has a default for everything a local start needs', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      paypalVerificationMode: 'offline',
      webhookBodyLimitBytes: 1_048_576,
      jobMaxAttempts: 8,
      role: 'all',
    });
    expect(c.paypalCertUrlAllowlist).toEqual([
      'https://api.paypal.com/v1/notifications/certs/',
      'https://api.sandbox.paypal.com/v1/notifications/certs/',
    ]);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names every bad key in one error, never echoing a secret', () => {
    let err: unknown;
    try {
      loadConfig({
        PORT: '99999',
        ADMIN_TOKEN: 'tiny-secret',
        LOG_LEVEL: 'loud',
        PAYPAL_VERIFICATION_MODE: 'postback',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const { problems, message } = err as ConfigError;
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'LOG_LEVEL',
      'ADMIN_TOKEN',
      'PAYPAL_CLIENT_ID / PAYPAL_CLIENT_SECRET',
    ]);
    expect(message).toContain('got "99999"');
    expect(message).not.toContain('tiny-secret');
  });

  it('redacts secrets when logged', () => {
    const c = loadConfig({
      ADMIN_TOKEN: 'a-very-secret-admin-token',
      DATABASE_URL: 'postgres://u:pw@db/x',
      PAYPAL_CLIENT_SECRET: 'shh',
    });
    const shown = JSON.stringify(redactedConfig(c));
    for (const secret of ['a-very-secret-admin-token', 'pw@db', 'shh']) expect(shown).not.toContain(secret);
    expect(redactedConfig(c)).toMatchObject({ adminToken: '[redacted]', databaseUrl: '[redacted]', port: 3000 });
  });

  it('selects the store: embedded PostgreSQL by default, PGlite by STORE or the earlier PGLITE_DATA_DIR', () => {
    expect(storeChoice(loadConfig({}))).toEqual({ kind: 'embedded-postgres', dataDir: '.data/proxy-postgres' });
    expect(storeChoice(loadConfig({ STORE_DATA_DIR: '/srv/ppc' }))).toEqual({
      kind: 'embedded-postgres',
      dataDir: '/srv/ppc',
    });
    expect(storeChoice(loadConfig({ STORE: 'pglite' }))).toEqual({ kind: 'pglite', dataDir: '.data/proxy-pglite' });
    expect(storeChoice(loadConfig({ PGLITE_DATA_DIR: 'memory://' }))).toEqual({ kind: 'pglite', dataDir: 'memory://' });
    expect(storeChoice(loadConfig({ DATABASE_URL: 'postgres://db/x', STORE: 'pglite' }))).toMatchObject({
      kind: 'postgres',
    });
    expect(() => loadConfig({ STORE: 'sqlite' })).toThrow(/STORE: /);
    expect(() => loadConfig({ STORE_DATA_DIR: 'a', PGLITE_DATA_DIR: 'b' })).toThrow(
      /PGLITE_DATA_DIR \/ STORE_DATA_DIR/,
    );
    expect(() => loadConfig({ STORE: 'embedded-postgres', PGLITE_DATA_DIR: 'b' })).toThrow(/STORE=embedded-postgres/);
    expect(() => loadConfig({ STORE_DATA_DIR: 'memory://' })).toThrow(/STORE=pglite/);
  });

  it('documents every key with its environment variable', () => {
    const table = configTable();
    for (const spec of Object.values(configKeys)) expect(table).toContain(`\`${spec.env}\``);
  });

  it("README's Configuration table is the generated one (npm run -w @ppc/proxy-service config-doc)", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(
      readme.indexOf('### Configuration'),
      readme.indexOf('\n## ', readme.indexOf('### Configuration')),
    );
    const rows = (text: string) => text.split('\n').filter((l) => /^\| `[A-Z_0-9]+` \|/.test(l));
    expect(rows(section)).toEqual(rows(configTable()));
  });
});
