/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 30000,
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  // Every temporary folder of a run lives in one folder, removed at the end; leftovers fail the run.
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  // Scenario tests each start Herald and a Slack stand-in; two workers keep a 2-core machine responsive.
  maxWorkers: 2,
};
