// `npm run test:soak`: only the soak and storm suites (*.soak.test.ts), which `npm test` leaves out because they
// run for minutes by design. The same projects, settings and summary line as jest.config.js.
import { createRequire } from 'node:module';
import base from './jest.config.js';

const require = createRequire(import.meta.url);
const { SOAK } = require('./test/jest/project.cjs');

export default {
  ...base,
  projects: base.projects.map((project) => {
    const config = require(`${project.replace('<rootDir>', import.meta.dirname)}/jest.config.cjs`);
    return {
      ...config,
      testMatch: ['<rootDir>/test/**/*.soak.test.ts', '<rootDir>/test/**/*.soak.test.tsx'],
      testPathIgnorePatterns: config.testPathIgnorePatterns.filter((p) => p !== SOAK),
    };
  }),
};
