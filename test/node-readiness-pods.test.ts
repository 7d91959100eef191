// serveOnlyWhenReady end to end on one node: the generated pod's containers run in order under
// bubblewrap (label steps with the host's curl, downloads with the stand-in downloader) against a temp
// folder for the node's volume and a stand-in API server, in both download modes.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PodSpec } from 'kubernetes-types/core/v1';
import { markerPath } from '../fn/build/download-steps';
import { readinessTokenVolume, readyLabel, volumeTag } from '../fn/build/node-readiness';
import type { NodeGroup } from '../fn/inputs/index-inputs';
import { indexInputs } from '../fn/inputs/index-inputs';
import type { KObject } from '../fn/krm/objects';
import { storageKey } from '../fn/kserve/storage-key';
import { volumeIdentity } from '../fn/plan/volume';
import { cache, fnConfig, isvc, node, nodeGroup } from './support/fixtures';
import { generated, runItems } from './support/harness';
import type { StepWorld } from './support/pod-steps';
import { bwrapUnavailable, podSpecOf, stepWorld } from './support/pod-steps';
import type { StandInApi } from './support/stand-in-api';
import { startStandInApi } from './support/stand-in-api';

const skip = bwrapUnavailable();
const LLAMA = 's3://models/llama';
const QWEN = 's3://models/qwen';
const REMOVED = '0123456789abcdef';
const group = nodeGroup('workers');
const TAG = volumeTag(volumeIdentity(indexInputs([group]).nodeGroups.get('workers') as NodeGroup));
const label = (uri: string) => readyLabel(storageKey(uri), TAG);

function podOf(kind: string, spec: Record<string, unknown>, uris: string[]): PodSpec {
  const caches = uris.map((uri, i) => cache(`model-${i}`, uri));
  const out = runItems([group, node('gpu-1'), ...caches], fnConfig({ serveOnlyWhenReady: true, ...spec }));
  const workload = generated(out.items).find((o: KObject) => o.kind === kind);
  assert.ok(workload, `a ${kind} is generated`);
  return podSpecOf(workload);
}

describe('serveOnlyWhenReady: a generated pod, run on one node', { skip }, () => {
  let api: StandInApi;
  before(async () => {
    api = await startStandInApi({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'gpu-1', labels: { [readyLabel(REMOVED, TAG)]: 'ready', 'kubernetes.io/hostname': 'gpu-1' } },
    });
  });
  after(() => api.stop());

  /** Runs the pod's init containers, then its containers; returns the label patches it sent. */
  const runPod = (world: StepWorld, pod: PodSpec, env: Record<string, string> = {}) => {
    const start = api.requests().length;
    const containers = [...(pod.initContainers ?? []), ...pod.containers];
    const runs = world.run(
      pod,
      containers,
      { NODE_NAME: 'gpu-1', KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(api.port), ...env },
      { volumes: { [readinessTokenVolume.name]: api.serviceAccountDir }, network: true },
    );
    const sent = api.requests().slice(start);
    const patches = sent.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body).metadata.labels);
    return { runs, patches, gets: sent.filter((r) => r.method === 'GET').length };
  };

  it('jobs mode: label removed before the download, set once the copy is complete, never on a failed one', () => {
    const pod = podOf('Job', {}, [LLAMA]);
    assert.deepEqual(
      [...(pod.initContainers ?? []), ...pod.containers].map((c) => c.name),
      [
        'node-readiness-before',
        `prepare-${storageKey(LLAMA)}`,
        'kserve-localmodel-download',
        `finalize-${storageKey(LLAMA)}`,
        'node-readiness-after',
      ],
    );
    const world = stepWorld();

    const failed = runPod(world, pod, { FAIL_MIDWAY: '1' });
    assert.equal(failed.runs.at(-1)?.name, 'kserve-localmodel-download');
    assert.deepEqual(failed.patches, [{ [label(LLAMA)]: null }], 'no ready label for a failed download');

    const first = runPod(world, pod);
    assert.ok(
      first.runs.every((r) => r.status === 0),
      first.runs.map((r) => r.stderr).join('\n'),
    );
    assert.deepEqual(first.patches, [{ [label(LLAMA)]: null }, { [label(LLAMA)]: 'ready' }]);

    const again = runPod(world, pod);
    assert.deepEqual(again.patches, [{ [label(LLAMA)]: 'ready' }], 'complete: nothing removed, label confirmed');
    assert.equal(world.calls().length, 2, 'the complete copy was not downloaded again');

    // A wiped disk: the marker is gone, so the label goes first, before the new download.
    rmSync(join(world.disk, markerPath(storageKey(LLAMA))));
    const wiped = runPod(world, pod);
    assert.deepEqual(wiped.patches, [{ [label(LLAMA)]: null }, { [label(LLAMA)]: 'ready' }]);
  });

  it('daemonset mode: labels follow the downloads, and the labels of removed models go with their folders', () => {
    const pod = podOf('DaemonSet', { downloadMode: 'daemonset' }, [LLAMA, QWEN]);
    const names = (pod.initContainers ?? []).map((c) => c.name);
    assert.equal(names[0], 'node-readiness-before');
    assert.equal(names.at(-1), 'node-readiness-after');
    assert.equal(names.at(-2), 'remove-unlisted-models');
    const world = stepWorld();
    // A model no cache lists any more: its folder, marker and label are left from an earlier render.
    mkdirSync(join(world.disk, 'models', REMOVED), { recursive: true });
    mkdirSync(join(world.disk, '.kserve-localmodel-fn'), { recursive: true });
    writeFileSync(join(world.disk, markerPath(REMOVED)), 'old\n');

    const { runs, patches, gets } = runPod(world, { ...pod, containers: [] });
    assert.ok(
      runs.every((r) => r.status === 0),
      runs.map((r) => r.stderr).join('\n'),
    );
    assert.equal(existsSync(join(world.disk, 'models', REMOVED)), false, 'the cleanup removed the folder');
    assert.equal(gets, 1, 'the last step reads the node once');
    assert.deepEqual(patches, [
      { [label(LLAMA)]: null, [label(QWEN)]: null },
      { [label(LLAMA)]: 'ready', [label(QWEN)]: 'ready', [readyLabel(REMOVED, TAG)]: null },
    ]);
  });
});

describe('serveOnlyWhenReady needs the completion marker', () => {
  it('a cache in KServe plain download form is an error naming the cache and both ways out', () => {
    const out = runItems(
      [group, node('gpu-1'), cache('llama', LLAMA)],
      fnConfig({ serveOnlyWhenReady: true, atomicDownloads: false }),
    );
    const errors = out.results.filter((r) => r.severity === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].resourceRef?.name, 'llama');
    assert.match(errors[0].message, /Turn atomicDownloads on .* or turn serveOnlyWhenReady off/);
    assert.deepEqual(generated(out.items), [], 'no partial manifests');
  });
});

describe('turning serveOnlyWhenReady on or off in a running cluster', () => {
  const pkg = [group, node('gpu-1'), cache('llama', LLAMA), isvc('chat', 'team-a', LLAMA)];
  const render = (serveOnlyWhenReady: boolean, previous: KObject[] = []) =>
    runItems([...pkg, ...previous], fnConfig({ serveOnlyWhenReady }));
  for (const [from, to, word] of [
    [false, true, 'on'],
    [true, false, 'off'],
  ] as const) {
    it(`turned ${word}: a warning on each serving PV says so, with the way through`, () => {
      const previous = generated(render(from).items);
      const warnings = render(to, previous).results.filter(
        (r) => r.severity === 'warning' && /nodeAffinity/.test(r.message),
      );
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
  it('any other change of the affinity gets the plain message', () => {
    const previous = generated(render(true).items);
    const moved = runItems(
      [
        nodeGroup('workers', { 'node-type': ['gpu', 'gpu-large'] }),
        node('gpu-1'),
        cache('llama', LLAMA),
        isvc('chat', 'team-a', LLAMA),
        ...previous,
      ],
      fnConfig({ serveOnlyWhenReady: true }),
    );
    const warnings = moved.results.filter((r) => /spec.nodeAffinity changes/.test(r.message));
    assert.ok(warnings.length > 0);
    assert.ok(warnings.every((w) => !/serveOnlyWhenReady was turned/.test(w.message)));
  });
});
