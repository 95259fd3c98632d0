// Shared jest project settings: native ESM (node --experimental-vm-modules), TypeScript through swc.
// Each workspace's jest.config.js calls this with its display name.
// Soak and storm suites (*.soak.test.ts: minutes of load by design) stay out of `npm test`; `npm run test:soak`
// (jest.soak.config.js) runs only them.
const path = require('node:path');

const SOAK = '\\.soak\\.test\\.tsx?$';

module.exports = project;
module.exports.SOAK = SOAK;

function project(displayName, dir, extra = {}) {
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
    testPathIgnorePatterns: ['/node_modules/', SOAK],
    transformIgnorePatterns: ['/node_modules/'],
    setupFiles: [path.join(__dirname, 'setup-env.cjs')],
    ...extra,
  };
}
