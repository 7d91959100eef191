// The `status` cases: testdata/status-*/ folders with a scenario.yaml (test/support/cluster-dump.ts).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareStrings } from '../../fn/krm/order';
import { TESTDATA } from './golden';

export const statusCases = (): { name: string; dir: string }[] =>
  readdirSync(TESTDATA)
    .filter((name) => name.startsWith('status-') && existsSync(join(TESTDATA, name, 'scenario.yaml')))
    .sort(compareStrings)
    .map((name) => ({ name, dir: join(TESTDATA, name) }));
