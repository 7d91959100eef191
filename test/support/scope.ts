// `npm run test:unit` sets TEST_SCOPE=unit for the edit loop: it skips the fuzz test, the end-to-end
// tests (real kpt, kustomize, the built binary) and the long property runs. `npm test` runs them all.

/** A suite's `skip` option: skipped by `npm run test:unit`, run by `npm test` and in CI. */
export const fullSuiteOnly: string | false =
  process.env.TEST_SCOPE === 'unit' ? 'npm run test:unit skips this; npm test runs it' : false;

/** A property's run count: all of them in `npm test`, a quarter in the edit loop (`npm run test:unit`). */
export const propertyRuns = (full: number): number => (fullSuiteOnly ? Math.ceil(full / 4) : full);
