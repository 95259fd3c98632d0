// ESLint flat config for every workspace. pcf-controls has its own config too (pcf-scripts runs it during build).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// What `npm start` (scripts/) and the sandbox composition (test/stack/src) must never load: test-only
// workspaces and test frameworks. test/stack/test/no-test-imports.test.ts checks the whole import graph.
const TEST_ONLY = ['@ppc/e2e', '@ppc/bench', '@ppc/test-support', 'jest', 'playwright', 'playwright-core', 'supertest'];
const TEST_ONLY_PATTERNS = [...TEST_ONLY.map((name) => `${name}/*`), '@jest/*', '@testing-library/*'];
const TEST_ONLY_SOURCE =
  /^(@ppc\/(e2e|bench|test-support)|jest|playwright|playwright-core|supertest)($|\/)|^(@jest|@testing-library)\//;

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      '**/generated/**',
      '**/coverage/**',
      '**/test-results/**',
      'pcf-controls/**/generated/**',
      '.data/**',
      '**/.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // Type-aware rules where money moves: the proxy's source and tests are linted with the type checker
  // (typescript-eslint recommendedTypeChecked), which catches unsafe `any` flows and floating promises.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['proxy-service/**/*.ts'] })),
  {
    files: ['proxy-service/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Test doubles implement async interfaces with synchronous bodies.
    files: ['proxy-service/test/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['scripts/**/*.ts', 'test/stack/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: TEST_ONLY.map((name) => ({ name, message: 'npm start must not load test-only code.' })),
          patterns: [{ group: TEST_ONLY_PATTERNS, message: 'npm start must not load test-only code.' }],
        },
      ],
      // no-restricted-imports does not look at import() expressions.
      'no-restricted-syntax': [
        'error',
        {
          selector: `ImportExpression[source.value=${TEST_ONLY_SOURCE}]`,
          message: 'npm start must not load test-only code.',
        },
      ],
    },
  },
  {
    // Adapters sit under the queue and the flows: retry decisions come from retry/, never from queue/.
    files: ['proxy-service/src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/queue/*', '**/flows/*', '**/http/*', '**/intake/*'],
              message:
                'adapters must not depend on the queue, flows, http or intake layers (retry decisions live in retry/).',
            },
          ],
        },
      ],
    },
  },
  {
    // A CI tool, not part of npm start: it reads its pure checker from the test-support workspace.
    files: ['scripts/check-self-contained.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
