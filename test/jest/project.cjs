// Shared jest project settings: native ESM (node --experimental-vm-modules), TypeScript through swc.
// Each workspace's jest.config.js calls this with its display name.
const path = require('node:path');

module.exports = function project(displayName, dir, extra = {}) {
  return {
    displayName,
    rootDir: dir,
    testEnvironment: 'node',
    testTimeout: 60000,
    extensionsToTreatAsEsm: ['.ts', '.tsx'],
    testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.tsx'],
    transform: {
      '^.+\\.(t|j)sx?$': [
        require.resolve('@swc/jest'),
        {
          jsc: {
            parser: { syntax: 'typescript', tsx: true },
            target: 'es2023',
            transform: { react: { runtime: 'classic' } },
            experimental: { keepImportAttributes: true },
          },
          module: { type: 'es6' },
        },
      ],
    },
    transformIgnorePatterns: ['/node_modules/'],
    setupFiles: [path.join(__dirname, 'setup-env.cjs')],
    ...extra,
  };
};
