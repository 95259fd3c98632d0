// Component and lifecycle tests run in jsdom. @fluentui/react's "import" export points at ESM files in a
// package without "type": "module", which jest's ESM loader cannot run, so it is mapped to its CommonJS build.
module.exports = require('../test/jest/project.cjs')('pcf-controls', __dirname, {
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  moduleNameMapper: { '^@fluentui/react$': require.resolve('@fluentui/react') },
});
