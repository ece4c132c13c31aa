/** Unit tests: the DOM-free core, the protocol, the kernel API and the Vega specs, in Node. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/unit'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { tsconfig: 'tests/tsconfig.json', diagnostics: { ignoreCodes: [151002] } }
    ]
  },
  setupFiles: ['<rootDir>/tests/unit/setup.ts'],
  testTimeout: 60000
};
