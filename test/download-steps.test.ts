// The generated download steps, executed: each test renders a package, takes the pod the function
// generated, and runs its containers' commands in order under bubblewrap against a temp folder
// standing in for the node's volume, with a stand-in downloader at the image's entrypoint.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { KObject } from '../fn/krm/objects';
import { storageKey } from '../fn/kserve/storage-key';
import { markerPath } from '../fn/manifests/download-steps';
import { cache, fnConfig, node, nodeGroup } from './support/fixtures';
import { generated, runItems } from './support/harness';
import { allContainers, bwrapUnavailable, podSpecOf, stepWorld } from './support/pod-steps';

const skip = bwrapUnavailable();
const URI = 's3://models/llama';
const KEY = storageKey(URI);

function jobPod(functionConfig?: Record<string, unknown>) {
  const out = runItems(
    [nodeGroup('workers'), node('gpu-1'), cache('llama', URI)],
    functionConfig && fnConfig(functionConfig),
  );
  const job = generated(out.items).find((o: KObject) => o.kind === 'Job');
  assert.ok(job, 'a download Job is generated');
  return podSpecOf(job);
}

const served = (disk: string) => join(disk, 'models', KEY);
const stagingLeftovers = (disk: string) =>
  existsSync(join(disk, '.kserve-localmodel-fn'))
    ? readdirSync(join(disk, '.kserve-localmodel-fn')).filter((f) => f.includes('.partial.'))
    : [];

describe('the atomic download step of a Job, run under bubblewrap', { skip }, () => {
  it('downloads into place and writes the marker; a second run skips without calling the downloader', () => {
    const pod = jobPod();
    const world = stepWorld();
    const first = world.run(pod, allContainers(pod));
    assert.deepEqual(
      first.map((r) => [r.name, r.status]),
      [
        [`prepare-${KEY}`, 0],
        ['kserve-localmodel-download', 0],
        [`finalize-${KEY}`, 0],
      ],
      first.map((r) => r.stderr).join('\n'),
    );
    assert.deepEqual(readdirSync(served(world.disk)).sort(), ['config.json', 'model.safetensors']);
    assert.match(readFileSync(join(world.disk, markerPath(KEY)), 'utf8'), /"uri":"s3:\/\/models\/llama"/);
    assert.deepEqual(stagingLeftovers(world.disk), []);
    assert.equal(world.calls().length, 1);

    const second = world.run(pod, allContainers(pod));
    assert.ok(
      second.every((r) => r.status === 0),
      second.map((r) => r.stderr).join('\n'),
    );
    assert.match(second[0].stdout, /complete: nothing to download/);
    assert.equal(world.calls().length, 1, 'the downloader was not called again');
  });

  it('a failure midway leaves nothing at the served path; the next attempt completes and clears the leftovers', () => {
    const pod = jobPod();
    const world = stepWorld();
    const failed = world.run(pod, allContainers(pod), { FAIL_MIDWAY: '1' });
    assert.notEqual(failed.at(-1)?.status, 0);
    assert.equal(failed.at(-1)?.name, 'kserve-localmodel-download');
    assert.equal(existsSync(served(world.disk)), false, 'no folder at models/<key>');
    assert.equal(existsSync(join(world.disk, markerPath(KEY))), false, 'no marker');
    assert.equal(stagingLeftovers(world.disk).length, 1, 'the partial download stays in staging');

    const retried = world.run(pod, allContainers(pod));
    assert.ok(
      retried.every((r) => r.status === 0),
      retried.map((r) => r.stderr).join('\n'),
    );
    assert.deepEqual(readdirSync(served(world.disk)).sort(), ['config.json', 'model.safetensors']);
    assert.deepEqual(stagingLeftovers(world.disk), []);
  });

  it('a removed marker brings a fresh download; the old folder is moved aside and kept, since serving pods may read it', () => {
    const pod = jobPod();
    const world = stepWorld();
    world.run(pod, allContainers(pod));
    rmSync(join(world.disk, markerPath(KEY)));
    const again = world.run(pod, allContainers(pod));
    assert.ok(
      again.every((r) => r.status === 0),
      again.map((r) => r.stderr).join('\n'),
    );
    assert.equal(world.calls().length, 2);
    assert.ok(existsSync(join(world.disk, markerPath(KEY))));
    assert.deepEqual(readdirSync(served(world.disk)).sort(), ['config.json', 'model.safetensors']);
    assert.deepEqual(stagingLeftovers(world.disk), []);
    const replaced = readdirSync(join(world.disk, '.kserve-localmodel-fn')).filter((f) => f.includes('.replaced.'));
    assert.deepEqual(replaced, [`${KEY}.replaced.pod-2`], 'the old copy is kept aside, not deleted');
  });

  it('a marker of other content settings (another endpoint) downloads again', () => {
    const world = stepWorld();
    const plain = jobPod();
    world.run(plain, allContainers(plain));
    const other = jobPod();
    const marker = JSON.stringify({ uri: URI, source: { AWS_ENDPOINT_URL: 'https://elsewhere.example' } });
    for (const c of allContainers(other)) if (c.name.endsWith(KEY)) (c.args as string[])[2] = marker;
    const runs = world.run(other, allContainers(other));
    assert.ok(
      runs.every((r) => r.status === 0),
      runs.map((r) => r.stderr).join('\n'),
    );
    assert.equal(world.calls().length, 2);
    assert.equal(readFileSync(join(world.disk, markerPath(KEY)), 'utf8').trim(), marker);
  });

  it("atomicDownloads: false runs KServe's plain form: the downloader writes straight into models/<key>", () => {
    const pod = jobPod({ atomicDownloads: false });
    assert.equal(pod.containers[0].command, undefined, "the image's entrypoint runs, as in KServe");
    const world = stepWorld();
    const [run] = world.run(pod, allContainers(pod));
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(world.calls(), [`${URI} /mnt/models`]);
    assert.deepEqual(readdirSync(served(world.disk)).sort(), ['config.json', 'model.safetensors']);
    assert.equal(existsSync(join(world.disk, '.kserve-localmodel-fn')), false, 'no marker in the plain form');
  });
});

describe('which form a download takes', () => {
  const csc = (container: Record<string, unknown>) => ({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ClusterStorageContainer',
    metadata: { name: 'custom' },
    spec: { container, supportedUriFormats: [{ prefix: 's3://' }], workloadType: 'localModelDownloadJob' },
  });
  const jobOf = (extra: KObject[]) => {
    const out = runItems([nodeGroup('workers'), node('gpu-1'), cache('llama', URI), ...extra]);
    return { out, pod: podSpecOf(generated(out.items).find((o) => o.kind === 'Job') as KObject) };
  };

  it("a ClusterStorageContainer with a command: the step wraps that command, not KServe's entrypoint", () => {
    const { pod } = jobOf([csc({ name: 'dl', image: 'example/dl:1', command: ['/bin/dl', '--quiet'] })]);
    const download = pod.initContainers?.[1]; // prepare, download, then finalize as the container
    assert.equal(download?.command?.[0], '/bin/sh');
    assert.deepEqual(download?.args?.slice(3), ['/bin/dl', '--quiet']);
  });

  it("a ClusterStorageContainer without a command: KServe's plain form, and an info that says how to get the atomic one", () => {
    const { out, pod } = jobOf([csc({ name: 'dl', image: 'example/dl:1' })]);
    assert.equal(pod.containers[0].command, undefined);
    assert.deepEqual(pod.containers[0].args, [URI, '/mnt/models']);
    assert.equal(pod.containers[0].volumeMounts?.[0].subPath, `models/${KEY}`);
    assert.ok(out.results.some((r) => r.severity === 'info' && /Set container\.command/.test(r.message)));
  });
});
