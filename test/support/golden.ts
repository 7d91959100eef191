// Golden cases: testdata/<case>/input.yaml (a ResourceList) → expected-output.yaml (stdout, byte for
// byte) and expected-results.yaml (exit code and the human lines on stderr).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { formatResult } from '../../fn/krm/results';
import { krm } from '../../fn/modes/krm';

export const TESTDATA = join(__dirname, '..', '..', 'testdata');

export interface GoldenCase {
  name: string;
  dir: string;
}

export const goldenCases = (): GoldenCase[] =>
  readdirSync(TESTDATA)
    .filter((name) => existsSync(join(TESTDATA, name, 'input.yaml')))
    .sort()
    .map((name) => ({ name, dir: join(TESTDATA, name) }));

export interface GoldenActual {
  output: string;
  results: string;
}

export function runGolden(c: GoldenCase): GoldenActual {
  const outcome = krm(readFileSync(join(c.dir, 'input.yaml'), 'utf8'));
  const results = stringify(
    { exitCode: outcome.exitCode, stderr: outcome.results.map(formatResult) },
    { lineWidth: 0 },
  );
  return { output: outcome.text, results };
}

export function writeGolden(c: GoldenCase): void {
  const actual = runGolden(c);
  writeFileSync(join(c.dir, 'expected-output.yaml'), actual.output);
  writeFileSync(join(c.dir, 'expected-results.yaml'), actual.results);
}
