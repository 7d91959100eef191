// The node-readiness label step, run for real under bubblewrap with the host's curl against a stand-in
// API server on 127.0.0.1: the exact requests it sends for each state of the node's volume.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import { STATE_FOLDER } from '../fn/build/download-steps';
import { readinessStep, readinessTokenVolume, readyLabel, volumeTag } from '../fn/build/node-readiness';
import { STEP_SCRIPTS_VOLUME } from '../fn/build/step-scripts';
import type { StepWorld } from './support/pod-steps';
import { bwrapUnavailable, stepWorld } from './support/pod-steps';
import type { StandInApi } from './support/stand-in-api';
import { startStandInApi } from './support/stand-in-api';

const TAG = volumeTag('/mnt/data/models');
const KEY_A = '0123456789abcdef';
const KEY_B = 'fedcba9876543210';
const KEY_GONE = 'aaaaaaaaaaaaaaaa';
const OTHER_TAG = 'ffffffff';
const NODE = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'gpu-node-1',
    labels: {
      'kubernetes.io/hostname': 'gpu-node-1',
      [readyLabel(KEY_A, TAG)]: 'ready',
      [readyLabel(KEY_GONE, TAG)]: 'ready',
      [readyLabel(KEY_GONE, OTHER_TAG)]: 'ready',
    },
  },
};

const skip = bwrapUnavailable();
const VOLUME = 'kserve-pvc-source';
const pod: PodSpec = {
  containers: [],
  volumes: [
    { name: VOLUME, persistentVolumeClaim: { claimName: 'llama-gpu' } },
    readinessTokenVolume,
    STEP_SCRIPTS_VOLUME,
  ],
};

describe('node-readiness step against a stand-in API server', { skip }, () => {
  let api: StandInApi;
  let world: StepWorld;
  before(async () => {
    api = await startStandInApi(NODE);
  });
  after(() => api.stop());

  const complete = (key: string) => {
    mkdirSync(join(world.disk, 'models', key), { recursive: true });
    mkdirSync(join(world.disk, STATE_FOLDER), { recursive: true });
    writeFileSync(join(world.disk, STATE_FOLDER, `${key}.complete`), '{"uri":"hf://x"}\n');
  };
  const runStep = (step: Container) => {
    const before = api.requests().length;
    const [run] = world.run(
      pod,
      [step],
      { NODE_NAME: 'gpu-node-1', KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(api.port) },
      { volumes: { [readinessTokenVolume.name]: api.serviceAccountDir }, network: true },
    );
    assert.equal(run.status, 0, run.stderr);
    return api.requests().slice(before);
  };
  const step = (phase: 'before' | 'after', keys: string[], keep?: string[]) =>
    readinessStep({ phase, image: 'curlimages/curl', volumeName: VOLUME, tag: TAG, keys, ...(keep ? { keep } : {}) });

  test('before: a key whose copy is incomplete loses its label in one merge patch, with the mounted token', () => {
    world = stepWorld();
    complete(KEY_A);
    const requests = runStep(step('before', [KEY_A, KEY_B]));
    assert.deepEqual(requests, [
      {
        method: 'PATCH',
        path: '/api/v1/nodes/gpu-node-1',
        contentType: 'application/merge-patch+json',
        authorization: `Bearer ${api.token}`,
        body: JSON.stringify({ metadata: { labels: { [readyLabel(KEY_B, TAG)]: null } } }),
      },
    ]);
  });

  test('before: nothing to change sends no request at all', () => {
    world = stepWorld();
    complete(KEY_A);
    assert.deepEqual(runStep(step('before', [KEY_A])), []);
  });

  test('after: every complete key is labelled ready', () => {
    world = stepWorld();
    complete(KEY_A);
    complete(KEY_B);
    const requests = runStep(step('after', [KEY_A, KEY_B]));
    assert.equal(requests.length, 1);
    assert.equal(requests[0].method, 'PATCH');
    assert.equal(requests[0].contentType, 'application/merge-patch+json');
    assert.deepEqual(JSON.parse(requests[0].body), {
      metadata: { labels: { [readyLabel(KEY_A, TAG)]: 'ready', [readyLabel(KEY_B, TAG)]: 'ready' } },
    });
  });

  test('after: a marker without its folder (or a folder without its marker) is not ready', () => {
    world = stepWorld();
    mkdirSync(join(world.disk, STATE_FOLDER), { recursive: true });
    writeFileSync(join(world.disk, STATE_FOLDER, `${KEY_A}.complete`), 'x\n');
    mkdirSync(join(world.disk, 'models', KEY_B), { recursive: true });
    const [patch] = runStep(step('after', [KEY_A, KEY_B]));
    assert.deepEqual(JSON.parse(patch.body).metadata.labels, {
      [readyLabel(KEY_A, TAG)]: null,
      [readyLabel(KEY_B, TAG)]: null,
    });
  });

  test("after with --keep: reads the node, removes this volume's labels of keys no cache lists, and only those", () => {
    world = stepWorld();
    complete(KEY_A);
    const requests = runStep(step('after', [KEY_A], [KEY_A, KEY_B]));
    assert.deepEqual(
      requests.map((r) => [r.method, r.path]),
      [
        ['GET', '/api/v1/nodes/gpu-node-1'],
        ['PATCH', '/api/v1/nodes/gpu-node-1'],
      ],
    );
    assert.equal(requests[0].authorization, `Bearer ${api.token}`);
    // KEY_GONE's label of another volume (another host path) is not this step's to remove.
    assert.deepEqual(JSON.parse(requests[1].body), {
      metadata: { labels: { [readyLabel(KEY_A, TAG)]: 'ready', [readyLabel(KEY_GONE, TAG)]: null } },
    });
  });

  test('a refused request fails the step, so the pod does not report a label it could not set', () => {
    world = stepWorld();
    const [run] = world.run(
      pod,
      [step('before', [KEY_B])],
      { NODE_NAME: 'gpu-node-1', KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '1' },
      { volumes: { [readinessTokenVolume.name]: api.serviceAccountDir }, network: true },
    );
    assert.notEqual(run.status, 0);
  });
});
