// Properties that make the output safe to commit: order-independent, idempotent, and pruning exactly.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse } from 'yaml';
import type { KObject } from '../fn/krm/objects';
import { cache, fnConfig, isvc, namespacedCache, node, nodeGroup } from './support/fixtures';
import { goldenCases } from './support/golden';
import { generated, keysShuffled, run, runItems, shuffled } from './support/harness';
import { validateAgainstKubernetes } from './support/kubernetes-schema';
import { fullSuiteOnly, propertyRuns } from './support/scope';

const inputOf = (dir: string) =>
  parse(readFileSync(join(dir, 'input.yaml'), 'utf8'), { version: '1.1' }) as {
    items: KObject[];
    functionConfig?: KObject;
  };

describe('determinism: the same input in any order gives byte-identical output', { skip: fullSuiteOnly }, () => {
  for (const c of goldenCases()) {
    it(c.name, () => {
      const { items, functionConfig } = inputOf(c.dir);
      const expected = runItems(items, functionConfig).text;
      for (let seed = 1; seed <= 5; seed++)
        assert.equal(runItems(shuffled(items, seed), functionConfig).text, expected, `seed ${seed}`);
    });
  }

  it('holds for random packages (fast-check)', () => {
    fc.assert(
      fc.property(randomPackage(), fc.integer({ min: 1, max: 1000 }), (items, seed) => {
        assert.equal(runItems(shuffled(items, seed)).text, runItems(items).text);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});

describe('determinism: the order of mapping keys anywhere in the input never shows in what is generated', () => {
  // Key order is what kustomize (which sorts keys before it calls the function) and YAML formatters change.
  // Pass-through objects keep theirs; generated objects, their names and the results must not see it.
  const verdict = (out: ReturnType<typeof runItems>) =>
    JSON.stringify({ exitCode: out.exitCode, generated: generated(out.items), results: out.results });
  for (const c of goldenCases()) {
    it(c.name, () => {
      const { items, functionConfig } = inputOf(c.dir);
      const expected = verdict(runItems(items, functionConfig));
      for (let seed = 1; seed <= propertyRuns(3); seed++)
        assert.equal(
          verdict(runItems(keysShuffled(items, seed), keysShuffled(functionConfig, seed + 100))),
          expected,
          `seed ${seed}`,
        );
    });
  }

  it('holds for random packages (fast-check)', () => {
    fc.assert(
      fc.property(randomPackage(), fc.integer({ min: 1, max: 1000 }), (items, seed) => {
        assert.equal(verdict(runItems(keysShuffled(items, seed))), verdict(runItems(items)));
      }),
      { numRuns: propertyRuns(200), seed: 19 },
    );
  });
});

describe('idempotency: running the function on its own output changes nothing', { skip: fullSuiteOnly }, () => {
  for (const c of goldenCases()) {
    it(c.name, () => {
      const once = run(readFileSync(join(c.dir, 'input.yaml'), 'utf8'));
      const twice = run(once.text);
      assert.equal(twice.text, once.text);
    });
  }

  it('holds for random packages (fast-check)', () => {
    fc.assert(
      fc.property(randomPackage(), (items) => {
        const once = runItems(items);
        assert.equal(run(once.text).text, once.text);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('pruning: removing a cache removes exactly its objects', { skip: fullSuiteOnly }, () => {
  it('holds for random packages (fast-check)', () => {
    fc.assert(
      fc.property(randomPackage(), fc.nat(), (items, pick) => {
        const caches = items.filter((o) => o.kind === 'LocalModelCache' || o.kind === 'LocalModelNamespaceCache');
        fc.pre(caches.length > 0);
        const removed = caches[pick % caches.length];
        const without = items.filter((o) => o !== removed);
        // Re-run on the full output with the cache taken out, as a user would edit the package.
        const previous = runItems(items).items.filter(
          (o) =>
            !(
              o.kind === removed.kind &&
              o.metadata?.name === removed.metadata?.name &&
              o.metadata?.namespace === removed.metadata?.namespace
            ),
        );
        assert.deepEqual(generated(runItems(previous).items), generated(runItems(without).items));
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('a generated object left over from an earlier run is dropped', () => {
    const first = runItems([nodeGroup('workers'), node('gpu-1'), cache('a', 's3://m/a'), cache('b', 's3://m/b')]);
    const withoutB = first.items.filter((o) => !(o.kind === 'LocalModelCache' && o.metadata?.name === 'b'));
    const second = runItems(withoutB);
    assert.deepEqual(
      generated(second.items)
        .map((o) => o.metadata?.name)
        .filter((n) => n?.startsWith('b')),
      [],
    );
    assert.ok(generated(second.items).some((o) => o.metadata?.name?.startsWith('a-')));
  });
});

describe('every generated object is valid Kubernetes (upstream schemas)', { skip: fullSuiteOnly }, () => {
  it('holds for random packages (fast-check)', () => {
    fc.assert(
      fc.property(randomPackage(), (items) => {
        for (const o of generated(runItems(items).items)) validateAgainstKubernetes(o);
      }),
      { numRuns: 150, seed: 3 },
    );
  });
});

/**
 * Valid packages of varying shape: groups, nodes, cluster and namespaced caches, InferenceServices, and
 * the settings that change which kinds are generated (download mode, serveOnlyWhenReady).
 */
function randomPackage(): fc.Arbitrary<KObject[]> {
  const name = fc.constantFrom('alpha', 'beta', 'gamma', 'delta');
  const group = fc.constantFrom('g1', 'g2', 'g3');
  const ns = fc.constantFrom('team-a', 'team-b', 'kserve-localmodel-jobs');
  const uri = fc.constantFrom(
    's3://m/llama',
    's3://m/llama/',
    'hf://org/qwen',
    'gs://b/model',
    'gs://b/model/sub',
    'gs://b/model-evil',
  );
  return fc
    .record({
      groups: fc.uniqueArray(group, { minLength: 1, maxLength: 3 }),
      nodes: fc.uniqueArray(fc.record({ name: fc.constantFrom('n1', 'n2', 'n3', 'n4'), pool: group }), {
        selector: (n) => n.name,
        maxLength: 4,
      }),
      caches: fc.uniqueArray(fc.record({ name, uri, groups: fc.uniqueArray(group, { minLength: 1, maxLength: 2 }) }), {
        selector: (c) => c.name,
        maxLength: 3,
      }),
      nsCaches: fc.uniqueArray(
        fc.record({ name, ns, uri, groups: fc.uniqueArray(group, { minLength: 1, maxLength: 2 }) }),
        { selector: (c) => `${c.ns}/${c.name}`, maxLength: 2 },
      ),
      isvcs: fc.uniqueArray(fc.record({ name, ns, uri, group: fc.option(group, { nil: undefined }) }), {
        selector: (i) => `${i.ns}/${i.name}`,
        maxLength: 4,
      }),
      settings: fc.record({
        downloadMode: fc.constantFrom('jobs', 'daemonset'),
        serveOnlyWhenReady: fc.boolean(),
        tolerations: fc.constantFrom([], [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]),
      }),
    })
    .map(({ groups, nodes, caches, nsCaches, isvcs, settings }) => {
      const usable = (gs: string[]) => gs.filter((g) => (groups as string[]).includes(g));
      const uniqueUris = new Set<string>();
      return [
        ...groups.map((g) => nodeGroup(g, { pool: [g] })),
        ...nodes.map((n) => node(n.name, { pool: n.pool })),
        // KServe's webhook rejects two cluster caches with one URI: keep the random packages valid.
        ...caches
          .filter((c) => usable(c.groups).length > 0 && !uniqueUris.has(c.uri) && uniqueUris.add(c.uri))
          .map((c) => cache(c.name, c.uri, usable(c.groups))),
        ...nsCaches
          .filter((c) => usable(c.groups).length > 0)
          .map((c) => namespacedCache(c.name, c.ns, c.uri, usable(c.groups))),
        ...isvcs.map((i) =>
          isvc(i.name, i.ns, i.uri, i.group ? { 'serving.kserve.io/nodegroup': i.group } : undefined),
        ),
        fnConfig(settings),
      ] as KObject[];
    });
}
