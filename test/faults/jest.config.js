/**
 * `npm run test:faults`: the fault tests (real processes killed, PostgreSQL
 * stopped, the cluster link cut, a full disk) and the 30-second soak. They
 * are heavier than the normal run, so `npm test` leaves them out and they run
 * one file at a time.
 */
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 180000,
  maxWorkers: 1,
};
