// Web resources are browser scripts run by the model-driven client: lint them as such (browser globals + Xrm),
// independent of the repository's Node-oriented ESLint config.
import js from '@eslint/js';
import { ESLint } from 'eslint';
import globals from 'globals';
import { error, warning, type Diagnostic } from '../diagnostics.ts';
import type { FileTree } from '../source.ts';

export async function lintWebResources(tree: FileTree): Promise<Diagnostic[]> {
  const eslint = new ESLint({
    cwd: '/webresources',
    overrideConfigFile: true,
    overrideConfig: [
      js.configs.recommended,
      {
        files: ['**/*.js'],
        languageOptions: { ecmaVersion: 2020, sourceType: 'script', globals: { ...globals.browser, Xrm: 'readonly' } },
        // The /* global */ comment serves the repository-wide lint; here the globals are already known.
        rules: {
          'no-redeclare': ['error', { builtinGlobals: false }],
          'no-var': 'off',
          eqeqeq: 'error',
          'no-implicit-globals': 'off',
          strict: ['error', 'function'],
        },
      },
    ],
  });
  const out: Diagnostic[] = [];
  for (const [path, bytes] of tree) {
    if (!path.startsWith('WebResources/') || !path.endsWith('.js')) continue;
    const [result] = await eslint.lintText(new TextDecoder().decode(bytes), { filePath: `/webresources/${path}` });
    for (const m of result?.messages ?? []) {
      const make = m.severity === 2 ? error : warning;
      out.push(make(path, `line ${m.line}:${m.column}`, `${m.ruleId ?? 'eslint'}: ${m.message}`));
    }
  }
  return out;
}
