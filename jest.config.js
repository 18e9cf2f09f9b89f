// Jest runs the API's unit specs (beside the code), its end-to-end suites (apps/api/test),
// which start the built app as a process and talk to it over HTTP, and the console's
// browser tests (apps/admin/e2e), which drive Chromium against that same started app.
// Nothing here loads Nest in the test process, so plain CommonJS through SWC is enough.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@gatehouse/domain$': '<rootDir>/libs/domain/src/index.ts' },
  testEnvironment: 'node',
};

module.exports = {
  testTimeout: 120_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/domain/src/**/*.spec.ts', '<rootDir>/apps/api/src/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/api/test/**/*.e2e-spec.ts'],
      slowTestThreshold: 30,
    },
    {
      ...shared,
      displayName: 'browser',
      testMatch: ['<rootDir>/apps/admin/e2e/**/*.e2e-spec.ts'],
      slowTestThreshold: 60,
    },
  ],
};
