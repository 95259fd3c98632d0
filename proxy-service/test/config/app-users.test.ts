// DATAVERSE_APP_USERS: further application users as id:secret pairs or JSON; a malformed value is refused
// without echoing it (it holds secrets), and the parsed value is redacted.
import { describe, expect, it } from '@jest/globals';
import type { ConfigError } from '../../src/config.ts';
import { loadConfig, parseAppUsers, redactedConfig } from '../../src/config.ts';

describe('DATAVERSE_APP_USERS', () => {
  it('reads id:secret pairs and a JSON array', () => {
    expect(parseAppUsers('app-2:s~e.c_r-2, app-3:s3')).toEqual([
      { clientId: 'app-2', clientSecret: 's~e.c_r-2' },
      { clientId: 'app-3', clientSecret: 's3' },
    ]);
    expect(parseAppUsers('[{"clientId":"a","clientSecret":"b"}]')).toEqual([{ clientId: 'a', clientSecret: 'b' }]);
    for (const bad of ['app-2', 'app-2:', ':secret', '[]', '[{"clientId":"a"}]', '[not json'])
      expect(parseAppUsers(bad)).toBeUndefined();
  });

  it('refuses a malformed value without showing it, and never logs the secrets', () => {
    let problem = '';
    try {
      loadConfig({ DATAVERSE_APP_USERS: 'app-2=leaked-secret' });
    } catch (e) {
      problem = (e as ConfigError).message;
    }
    expect(problem).toContain('DATAVERSE_APP_USERS');
    expect(problem).not.toContain('leaked-secret');
    const config = loadConfig({ DATAVERSE_APP_USERS: 'app-2:very-secret' });
    expect(config.dataverseAppUsers).toEqual([{ clientId: 'app-2', clientSecret: 'very-secret' }]);
    expect(JSON.stringify(redactedConfig(config))).not.toContain('very-secret');
  });
});
