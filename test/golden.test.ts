// Every golden case's output and results, byte for byte; `npm run golden:update` regenerates them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { KObject } from '../fn/krm/objects';
import { goldenCases, runGolden } from './support/golden';
import { generated } from './support/harness';
import { validateAgainstKubernetes } from './support/kubernetes-schema';

describe('golden cases (testdata/<case>)', () => {
  const cases = goldenCases();
  it('there are golden cases to check', () => assert.ok(cases.length >= 7, `found ${cases.length}`));
  for (const c of cases) {
    it(c.name, () => {
      const actual = runGolden(c);
      assert.equal(
        actual.results,
        readFileSync(join(c.dir, 'expected-results.yaml'), 'utf8'),
        'results drifted: run `npm run golden:update` and review the diff',
      );
      assert.equal(
        actual.output,
        readFileSync(join(c.dir, 'expected-output.yaml'), 'utf8'),
        'output drifted: run `npm run golden:update` and review the diff',
      );
      const items = (parse(actual.output, { version: '1.1' }) as { items: KObject[] }).items;
      for (const o of generated(items)) validateAgainstKubernetes(o);
    });
  }
});
