// A shared node, run as the kubelet would (test/support/pod-steps.ts): the download steps of several
// pods on one volume, each container as its own user, the downloader in its staging folder only.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import type { KObject } from '../fn/krm/objects';
import { storageKey } from '../fn/kserve/storage-key';
import { markerPath, STATE_FOLDER } from '../fn/manifests/download-steps';
import { secret } from './support/credentials';
import { cache, enabledKServeConfig, fnConfig, namespacedCache, node, nodeGroup } from './support/fixtures';
import { generated, ofKind, runItems } from './support/harness';
import { allContainers, bwrapUnavailable, podSpecOf, stepWorld } from './support/pod-steps';

const LLAMA = 's3://m/llama';
const QWEN = 's3://m/qwen';
const KEY = storageKey(LLAMA);

const onPath = (name: string, pool: string, path: string, source: 'local' | 'hostPath' = 'local') => {
  const g = nodeGroup(name, { pool: [pool] }, '1Ti');
  const spec = g.spec.persistentVolumeSpec as Record<string, unknown>;
  delete spec.local;
  spec[source] = { path };
  return g;
};

const objects = (items: unknown[], config: Record<string, unknown> = {}) =>
  generated(runItems([enabledKServeConfig(), ...items], fnConfig(config)).items);
const dsPod = (made: KObject[], group: string): PodSpec =>
  podSpecOf(ofKind(made, 'DaemonSet').find((o) => o.metadata?.name === `localmodel-${group}`) as KObject);
const jobPod = (config: Record<string, unknown> = {}): PodSpec =>
  podSpecOf(ofKind(objects([nodeGroup('workers'), node('gpu-1'), cache('llama', LLAMA)], config), 'Job')[0]);
/** The prepare, download and finalize steps of one key in a DaemonSet's pod. */
const stepsOf = (pod: PodSpec, key: string): Container[] =>
  (pod.initContainers ?? []).filter((c) => c.name.endsWith(key));

const state = (disk: string) => (existsSync(join(disk, STATE_FOLDER)) ? readdirSync(join(disk, STATE_FOLDER)) : []);
const partials = (disk: string) => state(disk).filter((f) => f.includes('.partial.'));
const ok = (runs: { status: number | null; stderr: string }[]) =>
  assert.ok(
    runs.every((r) => r.status === 0),
    runs.map((r) => r.stderr).join('\n'),
  );

/** Every file under a folder with its bytes' hash, and each folder's inode: equal means untouched. */
function fingerprint(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    const st = statSync(path);
    if (st.isDirectory()) {
      out[`${relative(folder, path)}/`] = `inode ${st.ino}`;
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else out[relative(folder, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  };
  walk(folder);
  return out;
}

describe('download steps on a shared node', { skip: bwrapUnavailable() }, () => {
  it('two pods for one model on one node, started together with a slow downloader, leave one complete copy', async () => {
    // Groups a100 and h100 share the host path /models: two DaemonSets whose pods both want llama.
    const made = objects(
      [onPath('a100', 'a100', '/models'), onPath('h100', 'h100', '/models'), cache('llama', LLAMA, ['a100', 'h100'])],
      { downloadMode: 'daemonset' },
    );
    const [a, b] = [dsPod(made, 'a100'), dsPod(made, 'h100')];
    const world = stepWorld();
    const runs = await Promise.all([
      world.start(a, stepsOf(a, KEY), { SLOW: '1', HOSTNAME_TAG: 'a' }, { podName: 'localmodel-a100-x' }),
      world.start(b, stepsOf(b, KEY), { SLOW: '1', HOSTNAME_TAG: 'b' }, { podName: 'localmodel-h100-y' }),
    ]);
    for (const r of runs) ok(r);
    const served = join(world.disk, 'models', KEY);
    assert.deepEqual(readdirSync(served).sort(), ['config.json', 'model.safetensors'], 'one whole copy');
    assert.match(readFileSync(join(served, 'model.safetensors'), 'utf8'), /from (a|b)\n$/);
    assert.equal(world.calls().length, 2, 'both downloaded, each into a folder of its own: neither cancelled');
    assert.deepEqual(partials(world.disk), [], 'the losing copy is gone');
    assert.equal(readdirSync(join(world.disk, 'models')).length, 1);
    assert.deepEqual(
      state(world.disk)
        .filter((f) => !f.endsWith('.lock'))
        .sort(),
      [`${KEY}.complete`],
    );
  });

  it("daemonset mode: another pod's prepare never cancels a pod's decision, skip or download", () => {
    const made = objects(
      [onPath('a100', 'a100', '/models'), onPath('h100', 'h100', '/models'), cache('llama', LLAMA, ['a100', 'h100'])],
      { downloadMode: 'daemonset' },
    );
    const [a, b] = [dsPod(made, 'a100'), dsPod(made, 'h100')];
    const [prepareA, downloadA, finalizeA] = stepsOf(a, KEY);
    const [prepareB] = stepsOf(b, KEY);

    // The copy is complete; a100's pod is replaced (a rollout) and decides to skip; h100's pod prepares
    // before a100's downloader starts.
    const skipping = stepWorld();
    ok(skipping.run(a, [prepareA, downloadA, finalizeA], {}, { podName: 'a-0' }));
    ok(skipping.run(a, [prepareA], {}, { podName: 'a-1' }));
    ok(skipping.run(b, [prepareB], {}, { podName: 'b-1' }));
    ok(skipping.run(a, [downloadA, finalizeA], {}, { podName: 'a-1' }));

    // a100's downloader fails midway; h100's prepare runs; the kubelet restarts the downloader in place.
    const restarting = stepWorld();
    assert.notEqual(
      restarting.run(a, [prepareA, downloadA], { FAIL_MIDWAY: '1' }, { podName: 'a-1' }).at(-1)?.status,
      0,
    );
    ok(restarting.run(b, [prepareB], {}, { podName: 'b-1' }));
    ok(restarting.run(a, [downloadA, finalizeA], {}, { podName: 'a-1' }));
    assert.deepEqual(readdirSync(join(restarting.disk, 'models', KEY)).sort(), ['config.json', 'model.safetensors']);
  });

  it('cleanup: a model it cannot remove whole (files of another user) loses its marker first, and comes back whole', () => {
    // A ClusterStorageContainer running as its own user, with a umask that leaves its files to itself.
    const csc = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ClusterStorageContainer',
      metadata: { name: 'own-user' },
      spec: {
        container: {
          name: 'downloader',
          image: 'example.com/downloader:1',
          command: [
            '/bin/sh',
            '-c',
            'umask 022; mkdir -p "$2/tokenizer"; echo w >"$2/model.bin"; echo v >"$2/tokenizer/vocab.json"',
            'dl',
          ],
          securityContext: { runAsUser: 2000, runAsGroup: 2000 },
        },
        supportedUriFormats: [{ prefix: 's3://custom/' }],
        workloadType: 'localModelDownloadJob',
      },
    };
    const CUSTOM = 's3://custom/model';
    const pod = (caches: unknown[]) =>
      podSpecOf(ofKind(objects([nodeGroup('workers'), csc, ...caches], { downloadMode: 'daemonset' }), 'DaemonSet')[0]);
    const world = stepWorld();
    const both = pod([cache('custom', CUSTOM), cache('llama', LLAMA)]);
    ok(world.run(both, both.initContainers ?? [], {}, { podName: 'p-1' }));
    const key = storageKey(CUSTOM);
    assert.ok(existsSync(join(world.disk, markerPath(key))));

    const llamaOnly = pod([cache('llama', LLAMA)]);
    const removal = world.run(llamaOnly, llamaOnly.initContainers ?? [], {}, { podName: 'p-2' });
    ok(removal);
    assert.equal(existsSync(join(world.disk, markerPath(key))), false, 'the marker goes first');
    assert.match(removal.map((r) => r.stderr).join('\n'), /could not remove all of .*: remove it by hand/);

    ok(world.run(both, both.initContainers ?? [], {}, { podName: 'p-3' }));
    assert.deepEqual(readdirSync(join(world.disk, 'models', key), { recursive: true }).sort(), [
      'model.bin',
      'tokenizer',
      'tokenizer/vocab.json',
    ]);
  });

  it('daemonset mode: two groups on one folder download a shared model once, with one owner and one marker', () => {
    const entry = '{"type":"s3","access_key_id":"minio","secret_access_key":"x","endpoint_url":"http://minio:9000"}';
    const out = runItems(
      [
        enabledKServeConfig(),
        secret('storage-config', { a: entry, b: entry }),
        onPath('a100', 'a100', '/models'),
        onPath('h100', 'h100', '/models'),
        cache('one', LLAMA, ['a100'], { storage: { key: 'a' } }),
        {
          ...namespacedCache('two', 'team', LLAMA, ['h100']),
          spec: { ...cache('two', LLAMA, ['h100']).spec, storage: { key: 'b' } },
        },
      ],
      fnConfig({ downloadMode: 'daemonset' }),
    );
    assert.ok(
      out.results.some(
        (r) =>
          r.severity === 'warning' &&
          /caches the same model as LocalModelCache one with other credentials/.test(r.message),
      ),
      'the second cache is told whose credentials download the shared folder',
    );
    const made = generated(out.items);
    const [a, b] = [dsPod(made, 'a100'), dsPod(made, 'h100')];
    assert.equal(stepsOf(a, KEY)[0].args?.[2], stepsOf(b, KEY)[0].args?.[2], 'one marker text for one folder');
    const world = stepWorld();
    for (let round = 0; round < 3; round++) {
      ok(world.run(a, stepsOf(a, KEY), {}, { podName: `a-${round}` }));
      ok(world.run(b, stepsOf(b, KEY), {}, { podName: `b-${round}` }));
    }
    assert.equal(world.calls().length, 1, 'downloaded once');
    assert.deepEqual(
      state(world.disk).filter((f) => f.includes('.replaced.')),
      [],
      'nothing moved aside',
    );
  });

  it('a failing downloader retried ten times leaves at most one partial copy', () => {
    const pod = jobPod();
    const world = stepWorld();
    for (let attempt = 1; attempt <= 10; attempt++) {
      const runs = world.run(pod, allContainers(pod), { FAIL_MIDWAY: '1' });
      assert.equal(runs.at(-1)?.name, 'kserve-localmodel-download');
      assert.notEqual(runs.at(-1)?.status, 0);
      assert.equal(partials(world.disk).length, 1, `after attempt ${attempt}: ${partials(world.disk).join(', ')}`);
    }
    ok(world.run(pod, allContainers(pod)));
    assert.deepEqual(partials(world.disk), []);
    assert.deepEqual(readdirSync(join(world.disk, 'models', KEY)).sort(), ['config.json', 'model.safetensors']);
  });

  it('a downloader cannot write outside its staging folder nor create a marker', () => {
    const made = objects([nodeGroup('workers'), node('gpu-1'), cache('llama', LLAMA), cache('qwen', QWEN)]);
    const world = stepWorld();
    const qwen = podSpecOf(ofKind(made, 'Job').find((j) => JSON.stringify(j).includes(QWEN)) as KObject);
    ok(world.run(qwen, allContainers(qwen)));
    const before = fingerprint(join(world.disk, 'models', storageKey(QWEN)));
    const llama = podSpecOf(ofKind(made, 'Job').find((j) => JSON.stringify(j).includes(LLAMA)) as KObject);
    const runs = world.run(llama, allContainers(llama), { ESCAPE: KEY, FAIL_MIDWAY: '1' });
    assert.notEqual(runs.at(-1)?.status, 0);
    assert.deepEqual(
      world.escapes().filter((p) => p.startsWith('wrote /mnt/attempt')),
      [],
      'its attempt folder is read-only',
    );
    const everything = fingerprint(world.disk);
    assert.deepEqual(
      Object.keys(everything).filter((p) => p.includes('escaped') || p.includes('forged')),
      [],
    );
    assert.equal(existsSync(join(world.disk, markerPath(KEY))), false, 'no marker for the failed download');
    assert.deepEqual(fingerprint(join(world.disk, 'models', storageKey(QWEN))), before, "another model's folder");
    assert.equal(existsSync(join(world.disk, 'models', KEY)), false);
  });

  it('cleanup on /mnt//models keeps the models of the group on /mnt/models', () => {
    const made = objects(
      [
        onPath('a100', 'a100', '/mnt/models'),
        onPath('h100', 'h100', '/mnt//models/'),
        cache('llama', LLAMA, ['a100']),
        cache('qwen', QWEN, ['h100']),
      ],
      { downloadMode: 'daemonset' },
    );
    const world = stepWorld();
    const a = dsPod(made, 'a100');
    const b = dsPod(made, 'h100');
    ok(world.run(a, a.initContainers ?? []));
    ok(world.run(b, b.initContainers ?? []));
    ok(world.run(a, a.initContainers ?? []));
    assert.deepEqual(readdirSync(join(world.disk, 'models')).sort(), [KEY, storageKey(QWEN)].sort());
    assert.equal(world.calls().length, 2, 'nothing removed, nothing downloaded again');
  });

  it('adoptExistingCopies keeps an existing folder byte for byte; without it the folder is moved aside, never deleted', () => {
    const agentCopy = (disk: string) => {
      mkdirSync(join(disk, 'models', KEY, 'tokenizer'), { recursive: true });
      writeFileSync(join(disk, 'models', KEY, 'model.safetensors'), 'weights KServe downloaded');
      writeFileSync(join(disk, 'models', KEY, 'tokenizer', 'vocab.json'), '{}');
      return fingerprint(join(disk, 'models', KEY));
    };
    const adopting = jobPod({ adoptExistingCopies: true });
    const world = stepWorld();
    const before = agentCopy(world.disk);
    ok(world.run(adopting, allContainers(adopting)));
    assert.deepEqual(fingerprint(join(world.disk, 'models', KEY)), before, 'same bytes, same folder');
    assert.equal(world.calls().length, 0, 'no download');
    assert.ok(existsSync(join(world.disk, markerPath(KEY))), 'marked complete');
    ok(world.run(adopting, allContainers(adopting)));
    assert.deepEqual(fingerprint(join(world.disk, 'models', KEY)), before);

    const plain = jobPod();
    const other = stepWorld();
    const agents = agentCopy(other.disk);
    ok(other.run(plain, allContainers(plain), {}, { podName: 'job-pod' }));
    assert.equal(other.calls().length, 1, 'downloaded again');
    assert.deepEqual(
      fingerprint(join(other.disk, STATE_FOLDER, `${KEY}.replaced.job-pod`)),
      agents,
      'the old folder (serving pods may have it mounted) is moved aside whole, same inode, never deleted',
    );
  });

  it('a root-owned hostPath folder: the kubelet gives it no fsGroup, so the steps fail until it is chowned as the warning says', () => {
    const items = [
      onPath('workers', 'gpu', '/models', 'hostPath'),
      node('gpu-1', { pool: 'gpu' }),
      cache('llama', LLAMA),
    ];
    const out = runItems([enabledKServeConfig(), ...items]);
    const warning = out.results.find((r) => r.field?.path === 'spec.persistentVolumeSpec.hostPath');
    assert.match(warning?.message ?? '', /chown 1000:1000 \/models && chmod 2775 \/models/);
    const pod = podSpecOf(ofKind(generated(out.items), 'Job')[0]);
    const world = stepWorld();
    const refused = world.run(pod, allContainers(pod), {}, { volume: 'hostPath' });
    assert.equal(refused[0].name, `prepare-${KEY}`);
    assert.match(refused[0].stderr, /Permission denied/);
    chownSync(world.disk, 1000, 1000); // the fix the warning names
    ok(world.run(pod, allContainers(pod), {}, { volume: 'hostPath' }));
    assert.deepEqual(readdirSync(join(world.disk, 'models', KEY)).sort(), ['config.json', 'model.safetensors']);
  });
});
