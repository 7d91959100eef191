// The labeler (fn/steps/node-label.sh), run for real under bubblewrap with the host's curl, one round at
// a time, against a stand-in API server on 127.0.0.1 that authenticates its token as the package's
// labeler ServiceAccount on its node and authorizes every request with the generated RBAC and
// admission policy (support/stand-in-api.ts): the requests it sends for each state of the node's volume.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import type { KObject } from '../fn/krm/objects';
import { STATE_FOLDER } from '../fn/manifests/download-steps';
import { labelerDaemonSet } from '../fn/manifests/labeler';
import { NODE_NAME_EXTRA, readinessPolicy, readinessRbac } from '../fn/manifests/node-readiness';
import type { ReadinessPackage } from '../fn/names/readiness';
import { cacheTag, labelerAccountName, packageTag, readyLabel, volumeTag } from '../fn/names/readiness';
import type { StepWorld } from './support/pod-steps';
import { bwrapUnavailable, podSpecOf, stepWorld } from './support/pod-steps';
import type { Authorizer, StandInApi } from './support/stand-in-api';
import { startStandInApi } from './support/stand-in-api';

const PKG: ReadinessPackage = { jobNamespace: 'kserve-localmodel-jobs', packageName: 'team-a' };
const OTHER_PKG: ReadinessPackage = { jobNamespace: 'kserve-localmodel-jobs', packageName: 'team-b' };
const VOL = volumeTag('path:/mnt/data/models');
const OTHER_VOL = volumeTag('path:/mnt/other');
const tagOf = (name: string) => cacheTag({ kind: 'LocalModelCache', namespace: '', name });
const label = (cache: string, p = PKG, vol = VOL) => readyLabel(packageTag(p), tagOf(cache), vol);
const KEY_A = '0123456789abcdef';
const KEY_B = 'fedcba9876543210';
const NODE_NAME = 'gpu-node-1';

const skip = bwrapUnavailable();

/** The labeler's pod as generated, its container set to one round. */
function labelerPod(caches: Record<string, string>, keep: string[] = []): { pod: PodSpec; container: Container } {
  const ds = labelerDaemonSet({
    name: 'labeler-team-a-gpu',
    namespace: PKG.jobNamespace,
    packageName: PKG.packageName,
    serviceAccountName: labelerAccountName(PKG),
    nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-type', operator: 'In', values: ['gpu'] }] }],
    tolerations: [],
    fsGroup: 1000,
    image: 'curlimages/curl',
    claimName: 'llama-gpu',
    packageTag: packageTag(PKG),
    volumeTag: VOL,
    caches: Object.entries(caches).map(([name, storageKey]) => ({ tag: tagOf(name), storageKey })),
    keep: keep.map(tagOf),
    labels: {},
  });
  const pod = podSpecOf(ds as never);
  const [container] = pod.containers;
  return { pod, container: { ...container, args: ['once', ...(container.args ?? []).slice(1)] } };
}

const labelerAccount = (nodeName = NODE_NAME, account = labelerAccountName(PKG)): Authorizer => ({
  username: `system:serviceaccount:${PKG.jobNamespace}:${account}`,
  extra: { [NODE_NAME_EXTRA]: [nodeName] },
  rbac: readinessRbac(PKG) as unknown as KObject[],
  policy: readinessPolicy(PKG)[0],
});

async function world(labels: Record<string, string>, authorizer = labelerAccount()) {
  const api = await startStandInApi(
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: NODE_NAME, labels: { 'kubernetes.io/hostname': NODE_NAME, ...labels } },
      spec: { podCIDR: '10.0.1.0/24' },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    },
    authorizer,
  );
  return { api, node: stepWorld() };
}

const complete = (w: StepWorld, key: string) => {
  mkdirSync(join(w.disk, 'models', key), { recursive: true });
  mkdirSync(join(w.disk, STATE_FOLDER), { recursive: true });
  writeFileSync(join(w.disk, STATE_FOLDER, `${key}.complete`), '{"uri":"hf://x"}\n');
};

/** One round of the labeler; the requests it sent, and how it ended. */
function round(api: StandInApi, w: StepWorld, { pod, container }: ReturnType<typeof labelerPod>) {
  const before = api.requests().length;
  const [run] = w.run(
    pod,
    [container],
    { NODE_NAME, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(api.port) },
    { volumes: { 'labeler-token': api.serviceAccountDir }, network: true },
  );
  return { run, requests: api.requests().slice(before) };
}

const labelsOf = (api: StandInApi) => api.node().metadata?.labels ?? {};

describe('the labeler, one round at a time, as its own ServiceAccount', { skip }, () => {
  test("sets the label of a complete copy, removes those of removed caches on its volume, and leaves everyone else's", async () => {
    const { api, node } = await world({
      [label('gone')]: 'ready',
      [label('kept')]: 'ready',
      [label('gone', PKG, OTHER_VOL)]: 'ready',
      [label('llama', OTHER_PKG)]: 'ready',
      [label('held', OTHER_PKG)]: 'false',
    });
    try {
      complete(node, KEY_A);
      const { run, requests } = round(api, node, labelerPod({ llama: KEY_A, qwen: KEY_B }, ['kept']));
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(
        requests.map((r) => [r.method, r.path, r.status]),
        [
          ['GET', `/api/v1/nodes/${NODE_NAME}`, 200],
          ['PATCH', `/api/v1/nodes/${NODE_NAME}`, 200],
        ],
      );
      assert.equal(requests[0].authorization, `Bearer ${api.token}`, 'the projected token of its own pod');
      assert.match(requests[0].accept ?? '', /as=PartialObjectMetadata/, 'metadata only, every round');
      assert.equal(requests[1].contentType, 'application/merge-patch+json');
      assert.deepEqual(JSON.parse(requests[1].body), {
        metadata: { labels: { [label('llama')]: 'ready', [label('gone')]: null } },
      });
      assert.deepEqual(labelsOf(api), {
        'kubernetes.io/hostname': NODE_NAME,
        [label('llama')]: 'ready',
        [label('kept')]: 'ready',
        [label('gone', PKG, OTHER_VOL)]: 'ready',
        [label('llama', OTHER_PKG)]: 'ready',
        [label('held', OTHER_PKG)]: 'false',
      });

      // The second copy completes: the next round adds its label, and only that.
      complete(node, KEY_B);
      const second = round(api, node, labelerPod({ llama: KEY_A, qwen: KEY_B }, ['kept']));
      assert.deepEqual(JSON.parse(second.requests[1].body), { metadata: { labels: { [label('qwen')]: 'ready' } } });

      // Nothing to change: a read, and no patch.
      const third = round(api, node, labelerPod({ llama: KEY_A, qwen: KEY_B }, ['kept']));
      assert.deepEqual(
        third.requests.map((r) => r.method),
        ['GET'],
      );
    } finally {
      api.stop();
    }
  });

  test('a copy that is not complete (no marker, or no folder) loses its label', async () => {
    const { api, node } = await world({ [label('llama')]: 'ready', [label('qwen')]: 'ready' });
    try {
      mkdirSync(join(node.disk, STATE_FOLDER), { recursive: true });
      writeFileSync(join(node.disk, STATE_FOLDER, `${KEY_A}.complete`), 'x\n');
      mkdirSync(join(node.disk, 'models', KEY_B), { recursive: true });
      const { run, requests } = round(api, node, labelerPod({ llama: KEY_A, qwen: KEY_B }));
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(requests[1].body).metadata.labels, {
        [label('llama')]: null,
        [label('qwen')]: null,
      });
    } finally {
      api.stop();
    }
  });

  test("an operator's hold (the label with another value) is left as it is, complete or not", async () => {
    const { api, node } = await world({ [label('llama')]: 'hold', [label('qwen')]: 'false' });
    try {
      complete(node, KEY_A);
      const { run, requests } = round(api, node, labelerPod({ llama: KEY_A, qwen: KEY_B }));
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(
        requests.map((r) => r.method),
        ['GET'],
      );
    } finally {
      api.stop();
    }
  });

  test('a token bound to another node: the policy refuses the patch, and the labeler fails visibly', async () => {
    const { api, node } = await world({}, labelerAccount('gpu-node-2'));
    try {
      complete(node, KEY_A);
      const { run, requests } = round(api, node, labelerPod({ llama: KEY_A }));
      assert.notEqual(run.status, 0);
      assert.equal(requests[1].status, 422);
      assert.match(requests[1].refused ?? '', /only the Node it runs on/);
      assert.match(run.stderr, /refused: .*only the Node it runs on/, "the policy's reason is in the pod's log");
      assert.deepEqual(labelsOf(api), { 'kubernetes.io/hostname': NODE_NAME });
    } finally {
      api.stop();
    }
  });

  test("any other account (the namespace's default, a credential account) has no node rights at all", async () => {
    for (const account of ['default', 'hf-reader']) {
      const { api, node } = await world({}, labelerAccount(NODE_NAME, account));
      try {
        complete(node, KEY_A);
        const { run, requests } = round(api, node, labelerPod({ llama: KEY_A }));
        assert.notEqual(run.status, 0);
        assert.deepEqual(
          requests.map((r) => [r.method, r.status]),
          [['GET', 403]],
        );
      } finally {
        api.stop();
      }
    }
  });

  test('an API server it cannot reach fails the container, so the pod restarts and says so', async () => {
    const { api, node } = await world({});
    try {
      const { pod, container } = labelerPod({ llama: KEY_A });
      const [run] = node.run(
        pod,
        [container],
        { NODE_NAME, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '1' },
        { volumes: { 'labeler-token': api.serviceAccountDir }, network: true },
      );
      assert.notEqual(run.status, 0);
    } finally {
      api.stop();
    }
  });
});
