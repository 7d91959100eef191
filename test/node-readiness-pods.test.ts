// serveOnlyWhenReady end to end on one node: the generated download pods and the generated labeler run
// in order under bubblewrap (the labeler with the host's curl, one round at a time; downloads with the
// stand-in downloader) against a temp folder for the node's volume and a stand-in API server that
// authorizes the labeler's token with the generated RBAC and admission policy, in both download modes,
// across a model upgrade (a new URI for a cache).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import { stringify } from 'yaml';
import type { KObject } from '../fn/krm/objects';
import { nameOf } from '../fn/krm/objects';
import { storageKey } from '../fn/kserve/storage-key';
import { markerPath } from '../fn/manifests/download-steps';
import { LABELER_CONTAINER_NAME } from '../fn/manifests/labeler';
import { NODE_NAME_EXTRA } from '../fn/manifests/node-readiness';
import { cache, fnConfig, isvc, JOBS_NS, node, nodeGroup } from './support/fixtures';
import { generated, ofKind, runItems } from './support/harness';
import type { StepWorld } from './support/pod-steps';
import { allContainers, bwrapUnavailable, podSpecOf, stepWorld } from './support/pod-steps';
import type { StandInApi } from './support/stand-in-api';
import { startStandInApi } from './support/stand-in-api';

const skip = bwrapUnavailable();
const LLAMA_3 = 's3://models/llama-3';
const LLAMA_4 = 's3://models/llama-4';
const QWEN = 's3://models/qwen';
const group = nodeGroup('workers');
const SERVING = { servingNamespaces: [{ namespace: 'team-a', cache: 'llama' }], packageName: 'team-a' };

/** The package with `llama` at a URI (and more caches), rendered. */
function render(uri: string, spec: Record<string, unknown> = {}, more: KObject[] = []): KObject[] {
  const out = runItems(
    [group, node('gpu-1'), cache('llama', uri), ...more],
    fnConfig({ serveOnlyWhenReady: true, ...SERVING, ...spec }),
  );
  assert.deepEqual(
    out.results.filter((r) => r.severity === 'error'),
    [],
  );
  return generated(out.items);
}

const isLabeler = (o: KObject) => o.kind === 'DaemonSet' && podSpecOf(o).containers[0].name === LABELER_CONTAINER_NAME;
const labelerOf = (items: KObject[]): PodSpec => {
  const labelers = items.filter(isLabeler);
  assert.equal(labelers.length, 1, 'one labeler for the one node group');
  return podSpecOf(labelers[0]);
};
/** The serving PVs, as the YAML a GitOps tool applies. */
const servingVolumes = (items: KObject[]) =>
  stringify(items.filter((o) => o.kind === 'PersistentVolume' && !nameOf(o).endsWith('-download')));
/** The label the serving PV of `llama` requires, read from the rendered PV itself. */
const requiredLabel = (items: KObject[]): string => {
  const pv = items.find((o) => o.kind === 'PersistentVolume' && nameOf(o) === 'llama-workers-team-a') as KObject;
  const terms = (
    pv.spec as { nodeAffinity: { required: { nodeSelectorTerms: { matchExpressions: { key: string }[] }[] } } }
  ).nodeAffinity.required.nodeSelectorTerms;
  return terms[0].matchExpressions.at(-1)?.key as string;
};

describe('serveOnlyWhenReady: the generated pods, run on one node, across a model upgrade', { skip }, () => {
  let api: StandInApi;
  before(async () => {
    const items = render(LLAMA_3);
    const labeler = labelerOf(items);
    api = await startStandInApi(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'gpu-1', labels: { 'kubernetes.io/hostname': 'gpu-1' } },
        spec: {},
        status: {},
      },
      {
        // The token of the labeler's pod: its own ServiceAccount, bound to a pod on gpu-1.
        username: `system:serviceaccount:${JOBS_NS}:${labeler.serviceAccountName}`,
        extra: { [NODE_NAME_EXTRA]: ['gpu-1'] },
        rbac: items.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding'),
        policy: ofKind(items, 'ValidatingAdmissionPolicy')[0],
      },
    );
  });
  after(() => api.stop());

  const env = () => ({
    NODE_NAME: 'gpu-1',
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: String(api.port),
  });
  /** One round of the labeler; fails the test when the round fails (a refused patch included). */
  const labelRound = (world: StepWorld, items: KObject[]) => {
    const pod = labelerOf(items);
    const [container] = pod.containers;
    const once: Container = { ...container, args: ['once', ...(container.args ?? []).slice(1)] };
    const [run] = world.run(pod, [once], env(), { volumes: { 'labeler-token': api.serviceAccountDir }, network: true });
    assert.equal(run.status, 0, run.stderr);
    return api.node().metadata?.labels ?? {};
  };
  const runPod = (world: StepWorld, pod: PodSpec, more: Record<string, string> = {}) => {
    const runs = world.run(pod, allContainers(pod), { ...env(), ...more });
    return runs;
  };
  const succeeded = (runs: ReturnType<typeof runPod>) =>
    assert.ok(
      runs.every((r) => r.status === 0),
      runs.map((r) => `${r.name}: ${r.stderr}`).join('\n'),
    );

  it('jobs mode: no token in the download pod; the label follows the current URI, and the serving PV never changes', () => {
    api.setLabels({});
    const v3 = render(LLAMA_3);
    const job = (items: KObject[]) => podSpecOf(ofKind(items, 'Job')[0]);
    const label = requiredLabel(v3);
    assert.deepEqual(
      allContainers(job(v3)).map((c) => c.name),
      [`prepare-${storageKey(LLAMA_3)}`, 'kserve-localmodel-download', `finalize-${storageKey(LLAMA_3)}`],
      'the download pod has no label step',
    );
    assert.ok(
      (job(v3).volumes ?? []).every((v) => !v.projected),
      'and no token',
    );
    const world = stepWorld();

    assert.equal(labelRound(world, v3)[label], undefined, 'nothing downloaded: no label');
    const failed = runPod(world, job(v3), { FAIL_MIDWAY: '1' });
    assert.equal(failed.at(-1)?.name, 'kserve-localmodel-download');
    assert.equal(labelRound(world, v3)[label], undefined, 'a failed download: no label');
    succeeded(runPod(world, job(v3)));
    assert.equal(labelRound(world, v3)[label], 'ready', 'complete: labelled');

    // A model upgrade: the cache's URI changes.
    const v4 = render(LLAMA_4);
    assert.equal(servingVolumes(v4), servingVolumes(v3), 'the serving PVs are byte-identical');
    assert.equal(labelRound(world, v4)[label], undefined, 'the new copy is not there yet: the label goes');
    succeeded(runPod(world, job(v4)));
    assert.equal(labelRound(world, v4)[label], 'ready', 'the new copy is complete: the label is back');

    // A disk wiped under the Node: the label goes with the marker.
    rmSync(join(world.disk, markerPath(storageKey(LLAMA_4))));
    assert.equal(labelRound(world, v4)[label], undefined, 'a wiped disk keeps no label');
  });

  it('daemonset mode: the same across an upgrade, and the labels of removed caches go', () => {
    const spec = { downloadMode: 'daemonset' };
    const qwen = cache('qwen', QWEN);
    // The label of a cache this package listed once, on this volume: the same label but for the cache part.
    const removedLabel = requiredLabel(render(LLAMA_3, spec)).replace(/\.[0-9a-f]{16}\./, `.${'a'.repeat(16)}.`);
    api.setLabels({ [removedLabel]: 'ready' });
    const v3 = render(LLAMA_3, spec, [qwen]);
    const download = (items: KObject[]) => {
      const [ds] = items.filter((o) => o.kind === 'DaemonSet' && !isLabeler(o));
      return { ...podSpecOf(ds), containers: [] };
    };
    const label = requiredLabel(v3);
    const world = stepWorld();
    // A model no cache lists any more: its folder and marker are left from an earlier render.
    const removedKey = '0123456789abcdef';
    mkdirSync(join(world.disk, 'models', removedKey), { recursive: true });
    mkdirSync(join(world.disk, '.kserve-localmodel-fn'), { recursive: true });
    writeFileSync(join(world.disk, markerPath(removedKey)), 'old\n');

    succeeded(runPod(world, download(v3)));
    assert.equal(existsSync(join(world.disk, 'models', removedKey)), false, 'the cleanup removed the folder');
    let labels = labelRound(world, v3);
    assert.equal(labels[label], 'ready');
    assert.equal(labels[removedLabel], undefined, "a removed cache's label of this package on this volume goes");
    assert.equal(Object.keys(labels).filter((k) => k.startsWith('models.')).length, 2, 'llama and qwen');

    const v4 = render(LLAMA_4, spec, [qwen]);
    assert.equal(servingVolumes(v4), servingVolumes(v3), 'the serving PVs are byte-identical');
    labels = labelRound(world, v4);
    assert.equal(labels[label], undefined, 'the new copy is not there yet: the label goes');
    assert.equal(Object.keys(labels).filter((k) => k.startsWith('models.')).length, 1, "qwen's stays");
    succeeded(runPod(world, download(v4)));
    assert.equal(labelRound(world, v4)[label], 'ready');
    assert.equal(existsSync(join(world.disk, 'models', storageKey(LLAMA_3))), false, 'the old version is cleaned up');
  });
});

describe('serveOnlyWhenReady needs the completion marker', () => {
  it('a cache in KServe plain download form is an error naming the cache and both ways out', () => {
    const out = runItems(
      [group, node('gpu-1'), cache('llama', LLAMA_3)],
      fnConfig({ serveOnlyWhenReady: true, atomicDownloads: false }),
    );
    const errors = out.results.filter((r) => r.severity === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].resourceRef?.name, 'llama');
    assert.match(errors[0].message, /Turn atomicDownloads on .* or turn serveOnlyWhenReady off/);
    assert.deepEqual(generated(out.items), [], 'no partial manifests');
  });

  it('so is a cache whose ClusterStorageContainer has no command, and only that cache', () => {
    const csc = (name: string, prefix: string, container: Record<string, unknown>) => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ClusterStorageContainer',
      metadata: { name },
      spec: { container, supportedUriFormats: [{ prefix }], workloadType: 'localModelDownloadJob' },
    });
    const out = runItems(
      [
        group,
        node('gpu-1'),
        cache('llama', LLAMA_3),
        cache('qwen', QWEN),
        csc('no-command', 's3://models/llama', { name: 'dl', image: 'example/dl:1' }),
        csc('with-command', 's3://models/qwen', { name: 'dl', image: 'example/dl:1', command: ['/bin/dl'] }),
      ],
      fnConfig({ serveOnlyWhenReady: true, ...SERVING }),
    );
    const errors = out.results.filter((r) => r.severity === 'error');
    assert.deepEqual(
      errors.map((r) => [r.resourceRef?.name, r.field?.path]),
      [['llama', 'spec.sourceModelUri']],
    );
    assert.match(errors[0].message, /give the ClusterStorageContainer a command/);
  });

  it('is found by validation, beside the other errors of the input', () => {
    const out = runItems(
      [group, node('gpu-1'), cache('llama', LLAMA_3), cache('broken', 'no-scheme')],
      fnConfig({ serveOnlyWhenReady: true, atomicDownloads: false }),
    );
    const errors = out.results.filter((r) => r.severity === 'error');
    const plainForm = errors.filter((r) => /needs the atomic download step/.test(r.message));
    assert.deepEqual(plainForm.map((r) => r.resourceRef?.name).sort(), ['broken', 'llama']);
    assert.ok(errors.some((r) => r.resourceRef?.name === 'broken' && /has no scheme/.test(r.message)));
  });
});

describe('turning serveOnlyWhenReady on or off in a running cluster', () => {
  const pkg = [group, node('gpu-1'), cache('llama', LLAMA_3), isvc('chat', 'team-a', LLAMA_3)];
  const renderWith = (spec: Record<string, unknown>, previous: KObject[] = []) =>
    runItems([...pkg, ...previous], fnConfig({ packageName: 'team-a', ...spec }));
  const affinityWarnings = (out: ReturnType<typeof runItems>) =>
    out.results.filter((r) => r.severity === 'warning' && /nodeAffinity/.test(r.message));
  for (const [from, to, word] of [
    [false, true, 'on'],
    [true, false, 'off'],
  ] as const) {
    it(`turned ${word}: a warning on each serving PV says so, with the way through`, () => {
      const previous = generated(renderWith({ serveOnlyWhenReady: from }).items);
      const warnings = affinityWarnings(renderWith({ serveOnlyWhenReady: to }, previous));
      assert.deepEqual(
        warnings.map((w) => w.resourceRef?.name),
        ['llama-workers-team-a'],
      );
      assert.match(warnings[0].message, new RegExp(`serveOnlyWhenReady was turned ${word}`));
      assert.match(
        warnings[0].message,
        /kubectl delete pvc -n team-a llama-workers --wait=false, then kubectl delete pv llama-workers-team-a/,
      );
    });
  }
  it('a new packageName is a new label: the warning says so', () => {
    const previous = generated(renderWith({ serveOnlyWhenReady: true }).items);
    const warnings = affinityWarnings(renderWith({ serveOnlyWhenReady: true, packageName: 'team-b' }, previous));
    assert.deepEqual(
      warnings.map((w) => w.resourceRef?.name),
      ['llama-workers-team-a'],
    );
    assert.match(warnings[0].message, /the readiness label it requires changed/);
  });
  it('a new URI is no change of the serving PV at all', () => {
    const previous = generated(renderWith({ serveOnlyWhenReady: true }).items);
    const bumped = runItems(
      [group, node('gpu-1'), cache('llama', LLAMA_4), isvc('chat', 'team-a', LLAMA_4), ...previous],
      fnConfig({ packageName: 'team-a', serveOnlyWhenReady: true }),
    );
    assert.deepEqual(affinityWarnings(bumped), []);
  });
  it('any other change of the affinity gets the plain message', () => {
    const previous = generated(renderWith({ serveOnlyWhenReady: true }).items);
    const moved = runItems(
      [
        nodeGroup('workers', { 'node-type': ['gpu', 'gpu-large'] }),
        node('gpu-1'),
        cache('llama', LLAMA_3),
        isvc('chat', 'team-a', LLAMA_3),
        ...previous,
      ],
      fnConfig({ packageName: 'team-a', serveOnlyWhenReady: true }),
    );
    const warnings = moved.results.filter((r) => /spec.nodeAffinity changes/.test(r.message));
    assert.ok(warnings.length > 0);
    assert.ok(warnings.every((w) => !/serveOnlyWhenReady was turned|label it requires changed/.test(w.message)));
  });
});
