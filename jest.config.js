/**
 * Jest runs the TypeScript sources as native ES modules through ts-jest, because
 * `@kubernetes/client-node` 2.x ships only ES modules. The test script starts Node with
 * `--experimental-vm-modules` for that reason.
 *
 * Two projects: `unit` needs nothing but Node; `e2e` needs the project's real API server,
 * which its global setup builds (cached) and starts once per run. Jest runs a project's
 * global setup only when one of its tests is selected, so unit-only runs stay fast.
 */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
};

/** @type {import('jest').Config} */
export default {
  reporters: ['default', '<rootDir>/spec/support/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/spec'],
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/spec/e2e/'],
    },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/spec/e2e'],
      testMatch: ['**/*.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/spec/support/cluster-jest-setup.ts'],
      globalSetup: '<rootDir>/spec/support/cluster-global-setup.ts',
      globalTeardown: '<rootDir>/spec/support/cluster-global-teardown.ts',
    },
  ],
};
