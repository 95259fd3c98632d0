// ESLint config pcf-scripts runs during `build` (it fails without one). Mirrors the Microsoft PCF template
// (PowerApps-Samples component-framework/*/eslint.config.mjs) plus React rules; the repository root
// eslint.config.js lints these files too with the shared rules.
import eslintjs from '@eslint/js';
import microsoftPowerApps from '@microsoft/eslint-plugin-power-apps';
import pluginPromise from 'eslint-plugin-promise';
import reactPlugin from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import typescriptEslint from 'typescript-eslint';

export default [
  { ignores: ['**/generated/**', 'out/**', 'node_modules/**', 'scripts/**', 'eslint.config.mjs', 'jest.config.cjs'] },
  eslintjs.configs.recommended,
  ...typescriptEslint.configs.recommendedTypeChecked,
  pluginPromise.configs['flat/recommended'],
  reactPlugin.configs.flat.recommended,
  {
    plugins: { '@microsoft/power-apps': microsoftPowerApps, 'react-hooks': reactHooks },
    languageOptions: {
      globals: { ...globals.browser, ComponentFramework: true },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: { react: { version: '16.14' } },
    rules: {
      ...microsoftPowerApps.configs.paCheckerHosted.rules,
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'react/prop-types': 'off',
    },
  },
  {
    files: ['test/**'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
];
