// A Job cannot be updated in place, so its name must change whenever what it runs changes: the name ends
// in a hash of the whole Job (fn/manifests/jobs.ts, downloadJobName). These tests change every value of
// real generated Jobs, one at a time, and require a new name each time.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1';
import { parse } from 'yaml';
import type { KObject } from '../fn/krm/objects';
import { downloadJobName } from '../fn/manifests/jobs';
import { goldenCases } from './support/golden';
import { generated, ofKind, runItems } from './support/harness';

const jobsOf = (dir: string): Job[] => {
  const { items, functionConfig } = parse(readFileSync(join(dir, 'input.yaml'), 'utf8'), { version: '1.1' }) as {
    items: KObject[];
    functionConfig?: KObject;
  };
  return ofKind(generated(runItems(items, functionConfig).items), 'Job') as Job[];
};

/** Every path to a scalar under `value`, as keys and list indexes. */
function leaves(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...at, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
  return [at];
}

/** A copy of the Job with one scalar changed: a string grows, a number moves, a boolean flips. */
function changedAt(job: Job, path: (string | number)[]): Job {
  const copy = structuredClone(job) as unknown as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const v = parent[last];
  parent[last] = typeof v === 'string' ? `${v}x` : typeof v === 'number' ? v + 1 : !v;
  return copy as unknown as Job;
}

describe('Job names follow their content', () => {
  const cases = goldenCases()
    .map((c) => ({ name: c.name, jobs: jobsOf(c.dir) }))
    .filter((c) => c.jobs.length > 0);

  it('every generated Job is named by downloadJobName', () => {
    assert.ok(cases.length >= 20, `${cases.length} golden cases with Jobs`);
    for (const c of cases)
      for (const job of c.jobs)
        assert.equal(job.metadata?.name, downloadJobName(job), `${c.name}: ${job.metadata?.name}`);
  });

  it('any change to a value of the spec, the labels or the namespace gives a new name', () => {
    let changes = 0;
    for (const c of cases) {
      const [job] = c.jobs;
      const name = downloadJobName(job);
      const paths = [...leaves(job.spec, ['spec']), ...leaves(job.metadata?.labels, ['metadata', 'labels'])];
      for (const path of [...paths, ['metadata', 'namespace']]) {
        assert.notEqual(downloadJobName(changedAt(job, path)), name, `${c.name}: ${path.join('.')}`);
        changes++;
      }
    }
    assert.ok(changes > 1000, `${changes} changes tried`);
  });

  it('a field added to the pod spec, or a container more, gives a new name', () => {
    const [job] = cases[0].jobs;
    const name = downloadJobName(job);
    const added = structuredClone(job);
    (added.spec?.template.spec as unknown as Record<string, unknown>).hostNetwork = false;
    assert.notEqual(downloadJobName(added), name);
    const more = structuredClone(job);
    more.spec?.template.spec?.containers.push({ name: 'extra', image: 'busybox' });
    assert.notEqual(downloadJobName(more), name);
  });

  it('the order of keys does not: kustomize sorts them, and the name stays', () => {
    const [job] = cases[0].jobs;
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    assert.equal(downloadJobName(reversed(job) as Job), downloadJobName(job));
  });
});
