// `npm run test:crash`: the full crash profile, on the e2e tier's build and database set-up.
const { resolve } = require('node:path');

const root = resolve(__dirname, '../..');

module.exports = {
  rootDir: root,
  testTimeout: 30 * 60 * 1000,
  projects: [
    {
      displayName: 'crash',
      rootDir: root,
      testMatch: ['<rootDir>/test/crash/**/*.crash-spec.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: `${root}/tsconfig.json` }] },
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
    },
  ],
};
