// Three tiers: the pure core (no Nest, no database); the repositories' SQL against a real
// PostgreSQL database cloned per suite (no Nest); and e2e specs against the built service.
const { resolve } = require('node:path');

const root = resolve(__dirname, '..');
const tsJest = ['ts-jest', { tsconfig: `${root}/tsconfig.json` }];

module.exports = {
  rootDir: root,
  // Read at the top level only: e2e suites start real service processes.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      rootDir: root,
      testMatch: ['<rootDir>/test/unit/**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testEnvironment: 'node',
    },
    {
      displayName: 'repo',
      rootDir: root,
      testMatch: ['<rootDir>/test/repo/**/*.repo-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/repo/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/repo/support/global-teardown.ts',
    },
    {
      displayName: 'e2e',
      rootDir: root,
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testEnvironment: 'node',
      testTimeout: 60000,
      globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
    },
  ],
};
