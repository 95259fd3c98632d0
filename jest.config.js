// One jest run over every workspace (jest projects), so `npm test` ends with a single summary line.
// A workspace takes part by having a jest.config.cjs; nobody edits this list by hand.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = import.meta.dirname;
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

export default {
  projects: workspaces.filter((ws) => existsSync(join(root, ws, 'jest.config.cjs'))).map((ws) => `<rootDir>/${ws}`),
  reporters: ['default', '<rootDir>/test/jest/summary-reporter.cjs'],
  testTimeout: 60000,
  // Two workers on the 2-core machine: most suites wait on servers (emulators, PostgreSQL), so two files in
  // flight overlap their waits; the summary reporter's exit guard and .ci/run's worker-exit check cover both.
  maxWorkers: 2,
};
