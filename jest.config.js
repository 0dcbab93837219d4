/** Jest runs unit tests next to the code and integration tests under test/. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  testMatch: ['<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  // Sources import siblings as './x.js' (node16 resolution); point those at the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // test/faults (kill -9, database restarts, the soak) runs separately: `npm run test:faults`.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/faults/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
