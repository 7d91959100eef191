// Assertions on results, so each validation test states the rule, the field and the words it expects.
import assert from 'node:assert/strict';
import type { Result, Severity } from '../../fn/krm/results';
import { formatResult } from '../../fn/krm/results';
import { cache, enabledKServeConfig, node, nodeGroup } from './fixtures';
import type { Output } from './harness';
import { generated } from './harness';

/** A package with no result at all: each test breaks one thing in it. */
export const validPackage = (): Record<string, unknown>[] => [
  nodeGroup('workers'),
  cache('llama', 's3://models/llama'),
  node('gpu-1'),
  enabledKServeConfig(),
];

const describeAll = (out: Output) => out.results.map((r) => `  ${formatResult(r)}`).join('\n') || '  (no results)';

/** The one result with this severity and field path whose message contains every given text. */
export function expectResult(out: Output, severity: Severity, path: string | undefined, ...texts: string[]): Result {
  const found = out.results.filter(
    (r) => r.severity === severity && r.field?.path === path && texts.every((t) => r.message.includes(t)),
  );
  assert.equal(
    found.length,
    1,
    `expected one ${severity} at ${path ?? '(no field)'} mentioning ${texts.map((t) => JSON.stringify(t)).join(', ')}; got:\n${describeAll(out)}`,
  );
  if (severity === 'error') {
    assert.equal(out.exitCode, 1, 'an error result must fail the run');
    assert.deepEqual(generated(out.items), [], 'an error result must leave no generated object');
  }
  return found[0];
}

/** Nothing reported at this field (other fields may have results). */
export function expectNothingAt(out: Output, path: string): void {
  const found = out.results.filter((r) => r.field?.path === path);
  assert.equal(found.length, 0, `expected no result at ${path}; got:\n${describeAll(out)}`);
}

export function expectClean(out: Output): void {
  assert.equal(out.results.length, 0, `expected no results; got:\n${describeAll(out)}`);
  assert.equal(out.exitCode, 0);
}

/** Caches of one model folder: clean but for the info on each later cache about KServe's agent. */
export function expectCleanButSharedFolder(out: Output, ...sharing: string[]): void {
  const others = out.results.filter((r) => !(r.severity === 'info' && r.message.includes('shares its model folder')));
  assert.equal(others.length, 0, `expected only shared-folder infos; got:\n${describeAll(out)}`);
  assert.deepEqual(
    out.results.map((r) => r.resourceRef?.name),
    sharing,
  );
  assert.equal(out.exitCode, 0);
}
