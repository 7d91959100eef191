// daemonset mode: what the DaemonSets are made of (properties over random packages), and their steps
// run for real under bubblewrap against a temp folder standing in for a node's volume.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import { parse } from 'yaml';
import { markerPath } from '../fn/manifests/download-steps';
import { stepScriptsPodVolume } from '../fn/manifests/step-scripts';
import { daemonSetName } from '../fn/names/objects';

const STEP_SCRIPTS_VOLUME = stepScriptsPodVolume(undefined);

import type { KObject } from '../fn/krm/objects';
import { storageKey } from '../fn/kserve/storage-key';
import { cache, fnConfig, JOBS_NS, node, nodeGroup } from './support/fixtures';
import { TESTDATA } from './support/golden';
import { generated, ofKind, runItems } from './support/harness';
import { validateAgainstKubernetes } from './support/kubernetes-schema';
import { allContainers, bwrapUnavailable, podSpecOf, stepWorld } from './support/pod-steps';
import { propertyRuns } from './support/scope';

const DAEMONSET = fnConfig({ downloadMode: 'daemonset' });
const daemonSets = (items: unknown[], config: unknown = DAEMONSET) =>
  ofKind(generated(runItems(items, config).items), 'DaemonSet');
const podLabels = (o: KObject): Record<string, string> =>
  (o.spec as { template: { metadata?: { labels?: Record<string, string> } } }).template.metadata?.labels ?? {};
const byName = (objects: KObject[], name: string) => objects.find((o) => o.metadata?.name === name) as KObject;

/** Random valid packages: groups (all on the host path /models), caches on them, some with a ServiceAccount. */
function randomPackage() {
  const groupName = fc.constantFrom('a100', 'h100', 'cpu');
  return fc
    .record({
      groups: fc.uniqueArray(groupName, { minLength: 1, maxLength: 3 }),
      caches: fc.uniqueArray(
        fc.record({
          name: fc.constantFrom('llama', 'qwen', 'mistral', 'phi', 'bert'),
          uri: fc.constantFrom('s3://m/llama', 'hf://org/qwen', 'gs://b/mistral', 's3://m/phi', 'hf://org/bert'),
          groups: fc.uniqueArray(groupName, { minLength: 1, maxLength: 2 }),
          account: fc.constantFrom(undefined, 'team-a', 'team-b'),
        }),
        { selector: (c) => c.name, maxLength: 5 },
      ),
    })
    .map(({ groups, caches }) => {
      const uris = new Set<string>();
      return [
        ...groups.map((g) => nodeGroup(g, { pool: [g] }, '1Ti')),
        ...['team-a', 'team-b'].map((name) => ({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name, namespace: 'kserve-localmodel-jobs', annotations: { 'eks.amazonaws.com/role-arn': 'r' } },
        })),
        ...caches
          .map((c) => ({ ...c, groups: c.groups.filter((g) => groups.includes(g)) }))
          .filter((c) => c.groups.length > 0 && !uris.has(c.uri) && uris.add(c.uri))
          .map((c) => cache(c.name, c.uri, c.groups, c.account ? { serviceAccountName: c.account } : {})),
      ] as KObject[];
    });
}

describe('daemonset mode: properties', () => {
  it('every DaemonSet passes the kubernetes-models schema (fast-check)', () => {
    fc.assert(
      fc.property(randomPackage(), (items) => {
        for (const ds of daemonSets(items)) validateAgainstKubernetes(ds);
      }),
      { numRuns: propertyRuns(100), seed: 5 },
    );
  });

  it("a DaemonSet's name does not change when caches are added to or removed from its group (fast-check)", () => {
    fc.assert(
      fc.property(randomPackage(), fc.nat(), (items, pick) => {
        const caches = items.filter((o) => o.kind === 'LocalModelCache');
        fc.pre(caches.length > 0);
        const removed = caches[pick % caches.length];
        const before = daemonSets(items);
        const after = daemonSets(items.filter((o) => o !== removed));
        for (const ds of after) {
          const twin = byName(before, ds.metadata?.name as string);
          assert.ok(twin, `${ds.metadata?.name} existed before the cache was removed`);
          assert.deepEqual(podSpecOf(ds).affinity, podSpecOf(twin).affinity, 'same group');
          assert.equal(podSpecOf(ds).serviceAccountName, podSpecOf(twin).serviceAccountName, 'same ServiceAccount');
        }
        // The other way round: adding the cache back renames nothing either.
        for (const ds of after) assert.ok(byName(before, ds.metadata?.name as string));
      }),
      { numRuns: propertyRuns(150), seed: 13 },
    );
  });

  it('names: readable when they fit a DNS-1123 label, a hashed tail only when they do not', () => {
    assert.equal(daemonSetName('gpu'), 'localmodel-gpu');
    assert.equal(daemonSetName('gpu', 'team-a'), 'localmodel-gpu-as-team-a');
    assert.equal(daemonSetName('gpu', 'hf', 'team-a'), 'localmodel-team-a-gpu-as-hf', 'packageName after the prefix');
    const fits = 'a-node-group-name-of-exactly-the-length-that-still-f';
    assert.equal(daemonSetName(fits), `localmodel-${fits}`, '63 characters');
    const long = daemonSetName(`${fits}-plus`);
    assert.match(long, /^localmodel-a-node-group-name-of-exactly-the-length-t-[0-9a-f]{10}$/);
    assert.equal(long.length, 63);
    assert.match(daemonSetName('gpu.example'), /^localmodel-gpu-example-[0-9a-f]{10}$/);
    assert.notEqual(daemonSetName('gpu.example'), daemonSetName('gpu-example'));
  });

  it("each init container is exactly the download Job's container of the same cache: image, resources, env, mounts, volumes, pod labels", () => {
    const input = parse(readFileSync(join(TESTDATA, 'daemonset-credentials', 'input.yaml'), 'utf8'), {
      version: '1.1',
    }) as { items: KObject[] };
    const items = [...input.items, node('gpu-1')];
    const jobs = ofKind(generated(runItems(items, fnConfig({})).items), 'Job');
    const sets = daemonSets(items);
    let compared = 0;
    for (const ds of sets) {
      const pod = podSpecOf(ds);
      for (const init of (pod.initContainers ?? []).filter((c) => c.name.startsWith('download-'))) {
        const key = init.name.slice('download-'.length);
        const downloads = (c: Container) => c.volumeMounts?.some((m) => m.subPathExpr?.includes(key)) === true;
        const job = jobs.find((j) => allContainers(podSpecOf(j)).some(downloads)) as KObject;
        assert.ok(job, `a Job downloads ${key}`);
        const jobPod = podSpecOf(job);
        const unsuffixed = (name: string) => name.replace(`-${key}`, '');
        const sameMounts = (c: Container) => ({
          ...c,
          volumeMounts: c.volumeMounts?.map((m) => ({ ...m, name: unsuffixed(m.name) })),
        });
        const jobDownload = allContainers(jobPod).find(downloads) as Container;
        assert.deepEqual({ ...sameMounts(init), name: jobDownload.name }, jobDownload);
        for (const phase of ['prepare', 'finalize']) {
          const step = (p: PodSpec) => allContainers(p).find((c) => c.name === `${phase}-${key}`) as Container;
          // The one difference is the mode: it tells the step how a failed download is retried.
          const job = step(jobPod);
          const asDaemonSet = { ...job, args: job.args?.map((a) => (a === 'jobs' ? 'daemonset' : a)) };
          assert.deepEqual(sameMounts(step(pod)), asDaemonSet, `the ${phase} step is the Job's too`);
        }
        const volumes = pod.volumes
          ?.filter((v) => v.name.endsWith(`-${key}`))
          .map((v) => ({ ...v, name: unsuffixed(v.name) }));
        // Both pods mount the step scripts once, under the same name.
        assert.deepEqual(
          volumes,
          jobPod.volumes?.filter((v) => v.name !== STEP_SCRIPTS_VOLUME.name),
        );
        assert.deepEqual(
          pod.volumes?.filter((v) => v.name === STEP_SCRIPTS_VOLUME.name),
          [STEP_SCRIPTS_VOLUME],
        );
        for (const [label, value] of Object.entries(podLabels(job))) assert.equal(podLabels(ds)[label], value);
        assert.equal(pod.serviceAccountName, jobPod.serviceAccountName);
        compared++;
      }
    }
    assert.ok(compared >= 10, `${compared} init containers compared`);
  });

  it('two groups and ServiceAccounts that concatenate to one DaemonSet name: an error naming both groups', () => {
    const irsaAccount = (name: string) => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name,
        namespace: JOBS_NS,
        annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::1:role/${name}` },
      },
    });
    const out = runItems(
      [
        nodeGroup('a'),
        nodeGroup('a-as-b', { 'node-type': ['cpu'] }),
        irsaAccount('b-as-c'),
        irsaAccount('c'),
        cache('m1', 's3://x/m1', ['a'], { serviceAccountName: 'b-as-c' }),
        cache('m2', 's3://x/m2', ['a-as-b'], { serviceAccountName: 'c' }),
      ],
      DAEMONSET,
    );
    const errors = out.results.filter((r) => r.severity === 'error').map((r) => r.message);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(
      errors[0],
      /^DaemonSet kserve-localmodel-jobs\/localmodel-a-as-b-as-c would be generated twice, for node group a running as b-as-c and for node group a-as-b running as c;/,
    );
    assert.deepEqual(generated(out.items), []);
  });

  it('no node inventory is needed, and without one there is no inventory warning', () => {
    const out = runItems([nodeGroup('workers'), cache('llama', 's3://m/llama')], DAEMONSET);
    assert.equal(ofKind(generated(out.items), 'DaemonSet').length, 1);
    assert.deepEqual(
      out.results.filter((r) => /inventory/.test(r.message)),
      [],
    );
  });
});

// The executable part. Groups "a100" and "h100" share the host path /models; "scratch" is elsewhere.
const shared = (name: string, pool: string, path: string) => {
  const g = nodeGroup(name, { pool: [pool] }, '1Ti');
  (g.spec.persistentVolumeSpec as { local: { path: string } }).local.path = path;
  return g;
};
const URIS = { llama: 's3://m/llama', qwen: 's3://m/qwen', mistral: 's3://m/mistral', phi: 's3://m/phi' };
const PACKAGE = [
  shared('a100', 'a100', '/models'),
  shared('h100', 'h100', '/models'),
  shared('scratch', 'nvme', '/scratch'),
  cache('llama', URIS.llama, ['a100', 'h100']),
  cache('qwen', URIS.qwen, ['a100']),
  cache('mistral', URIS.mistral, ['h100']),
  cache('phi', URIS.phi, ['scratch']),
];
const key = (name: keyof typeof URIS) => storageKey(URIS[name]);
const podOf = (group: string): PodSpec => podSpecOf(byName(daemonSets(PACKAGE), `localmodel-${group}`));
const steps = (pod: PodSpec): Container[] => pod.initContainers ?? [];

describe('daemonset mode: the pod steps, run under bubblewrap', { skip: bwrapUnavailable() }, () => {
  it('downloads each model folder atomically; a rolled pod (run again) downloads nothing', () => {
    const pod = podOf('a100');
    const world = stepWorld();
    const first = world.run(pod, steps(pod));
    assert.deepEqual(
      first.map((r) => [r.name, r.status]),
      [
        [`prepare-${key('llama')}`, 0],
        [`download-${key('llama')}`, 0],
        [`finalize-${key('llama')}`, 0],
        [`prepare-${key('qwen')}`, 0],
        [`download-${key('qwen')}`, 0],
        [`finalize-${key('qwen')}`, 0],
        ['remove-unlisted-models', 0],
      ],
      first.map((r) => r.stderr).join('\n'),
    );
    for (const k of [key('llama'), key('qwen')]) {
      assert.deepEqual(readdirSync(join(world.disk, 'models', k)).sort(), ['config.json', 'model.safetensors']);
      assert.ok(existsSync(join(world.disk, markerPath(k))));
    }
    assert.equal(world.calls().length, 2);
    const again = world.run(pod, steps(pod));
    assert.ok(again.every((r) => r.status === 0));
    assert.equal(world.calls().length, 2, 'no second download');
  });

  it("the other group's pod on the same node skips the model they share, and downloads its own", () => {
    const world = stepWorld();
    const a100 = podOf('a100');
    const h100 = podOf('h100');
    world.run(a100, steps(a100));
    const runs = world.run(h100, steps(h100));
    assert.ok(
      runs.every((r) => r.status === 0),
      runs.map((r) => r.stderr).join('\n'),
    );
    assert.match(runs[0].stdout, /complete: nothing to download/);
    assert.deepEqual(
      world.calls().map((c) => c.split(' ')[0]),
      [URIS.llama, URIS.qwen, URIS.mistral],
    );
    assert.ok(existsSync(join(world.disk, 'models', key('qwen'))), "a100's qwen stays: h100's cleanup keeps it");
  });

  it('a failing download stops the pod before the cleanup and leaves nothing at the served path', () => {
    const pod = podOf('a100');
    const world = stepWorld();
    const runs = world.run(pod, steps(pod), { FAIL_MIDWAY: '1' });
    assert.equal(runs.length, 2, 'init containers after a failed one do not run');
    assert.notEqual(runs[1].status, 0);
    assert.equal(existsSync(join(world.disk, 'models', key('llama'))), false);
  });

  it('cleanup removes exactly the unlisted key-shaped folders, their markers and staging leftovers', () => {
    const world = stepWorld();
    const disk = world.disk;
    const removed = 'abcdef0123456789'; // a model folder no cache lists any more
    const outside = join(disk, '..', 'outside');
    const make = (path: string, file = 'weights') => {
      mkdirSync(join(disk, path), { recursive: true });
      writeFileSync(join(disk, path, 'file'), file);
    };
    make(`models/${removed}`);
    make(`models/${key('mistral')}`); // listed by h100, which shares the host path
    make('models/not-a-key'); // not named like a storage key
    make('models/ABCDEF0123456789'); // upper case: not a key KServe makes
    make(`models/${key('phi')}`); // listed only on /scratch: unlisted on this volume
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'precious'), 'keep me');
    symlinkSync(outside, join(disk, 'models', '0123456789abcdef')); // key-shaped symlink
    writeFileSync(join(disk, 'models', 'fedcba9876543210'), 'a file, not a folder');
    make(`.kserve-localmodel-fn/${removed}.partial.1234`);
    make(`.kserve-localmodel-fn/${key('mistral')}.partial.5678`); // another group's download in progress
    writeFileSync(join(disk, `.kserve-localmodel-fn/${removed}.complete`), '{}');
    writeFileSync(join(disk, '.kserve-localmodel-fn/notes.txt'), 'not ours to judge');

    const pod = podOf('a100');
    const runs = world.run(pod, steps(pod));
    assert.ok(
      runs.every((r) => r.status === 0),
      runs.map((r) => r.stderr).join('\n'),
    );
    assert.deepEqual(
      readdirSync(join(disk, 'models')).sort(),
      [
        '0123456789abcdef',
        'ABCDEF0123456789',
        key('qwen'),
        key('llama'),
        key('mistral'),
        'fedcba9876543210',
        'not-a-key',
      ].sort(),
    );
    assert.equal(readFileSync(join(outside, 'precious'), 'utf8'), 'keep me', "a symlink's target is never touched");
    assert.deepEqual(
      readdirSync(join(disk, '.kserve-localmodel-fn')).sort(),
      [
        `${key('llama')}.complete`,
        `${key('llama')}.lock`,
        `${key('mistral')}.partial.5678`,
        `${key('phi')}.lock`,
        `${key('qwen')}.complete`,
        `${key('qwen')}.lock`,
        `${removed}.lock`,
        'notes.txt',
      ].sort(),
    );
  });

  it('cleanupRemovedModels: false generates no cleanup step', () => {
    const sets = daemonSets(PACKAGE, fnConfig({ downloadMode: 'daemonset', cleanupRemovedModels: false }));
    for (const ds of sets) assert.ok(!steps(podSpecOf(ds)).some((c) => c.name === 'remove-unlisted-models'));
  });
});
