// deploymentSettings.<env>.json examples (solution/deploy/settings): exactly the solution's variables and
// connection references, in `pac solution create-settings` format, and each accepted by the pre-import check.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSolution } from '../packer/build.ts';
import { readTree } from '../packer/source.ts';
import { checkSettings, createSettings, readComponents, type SolutionComponents } from '../deploy/settings.ts';
import { EnvVar } from '../packer/model/integration.ts';
import { fixtureControls, SOLUTION_DIR, SRC_DIR } from './helpers.ts';

describe('deployment settings', () => {
  let components: SolutionComponents;
  beforeAll(async () => {
    const r = buildSolution(await readTree(SRC_DIR), await fixtureControls());
    components = readComponents(r.zips[1]!.bytes);
  });

  it('create-settings lists every variable and connection reference of the zip, values empty', () => {
    const s = createSettings(components);
    expect(s.EnvironmentVariables.map((v) => v.SchemaName)).toEqual(
      components.environmentVariables.map((v) => v.schemaName),
    );
    expect(s.EnvironmentVariables.length).toBe(10);
    expect(s.ConnectionReferences).toEqual([
      {
        LogicalName: 'ppc_sharedcommondataserviceforapps',
        ConnectionId: '',
        ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps',
      },
      {
        LogicalName: 'ppc_sharedoffice365',
        ConnectionId: '',
        ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_office365',
      },
    ]);
    // the generated file alone is refused: the proxy URL has no default
    expect(checkSettings(components, s)).toEqual([
      `EnvironmentVariables: ${EnvVar.ProxyBaseUrl} is required and has no value`,
    ]);
  });

  for (const env of ['dev', 'qa', 'prod'])
    it(`deploymentSettings.${env}.json: the same names as create-settings, accepted, with an https proxy URL`, async () => {
      const file = JSON.parse(
        await readFile(join(SOLUTION_DIR, 'deploy', 'settings', `deploymentSettings.${env}.json`), 'utf8'),
      ) as ReturnType<typeof createSettings>;
      const generated = createSettings(components);
      expect(file.EnvironmentVariables.map((v) => v.SchemaName)).toEqual(
        generated.EnvironmentVariables.map((v) => v.SchemaName),
      );
      expect(file.ConnectionReferences.map((r) => [r.LogicalName, r.ConnectorId])).toEqual(
        generated.ConnectionReferences.map((r) => [r.LogicalName, r.ConnectorId]),
      );
      expect(checkSettings(components, file)).toEqual([]);
      const url = file.EnvironmentVariables.find((v) => v.SchemaName === EnvVar.ProxyBaseUrl)!.Value;
      expect(new URL(url).protocol).toBe('https:');
    });
});
