// The ValidatingAdmissionPolicy's CEL, evaluated by a real CEL evaluator the way the API server applies
// it (support/admission.ts): one package's labeler may add `ready` to, or remove `ready` from, only its
// own package's labels on only its own node; no other account is judged at all; labels the request
// does not change are never judged, whatever their value.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KObject } from '../fn/krm/objects';
import { NODE_NAME_EXTRA, readinessPolicy, readinessRbac } from '../fn/manifests/node-readiness';
import type { ReadinessPackage } from '../fn/names/readiness';
import { cacheTag, labelerAccountName, packageTag, readinessName, readyLabel, volumeTag } from '../fn/names/readiness';
import type { Verdict } from './support/admission';
import { admit } from './support/admission';

const JOBS = 'kserve-localmodel-jobs';
const TEAM_A: ReadinessPackage = { jobNamespace: JOBS, packageName: 'team-a' };
const TEAM_B: ReadinessPackage = { jobNamespace: JOBS, packageName: 'team-b' };
const [policyA] = readinessPolicy(TEAM_A);
const [policyB] = readinessPolicy(TEAM_B);

const TAG = volumeTag('path:/mnt/data/models');
const labelOf = (p: ReadinessPackage, cache = 'llama') =>
  readyLabel(packageTag(p), cacheTag({ kind: 'LocalModelCache', namespace: '', name: cache }), TAG);
const OURS = labelOf(TEAM_A);
const THEIRS = labelOf(TEAM_B);

type Node = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    resourceVersion: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: { podCIDR: string; taints: { key: string; effect: string }[]; unschedulable?: boolean };
  status: { conditions: { type: string; status: string }[]; capacity: Record<string, string> };
};
const node = (name: string, labels: Record<string, string> = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    resourceVersion: '100',
    labels: { 'kubernetes.io/hostname': name, 'nvidia.com/gpu.product': 'NVIDIA-A100', ...labels },
    annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
  },
  spec: { podCIDR: '10.0.1.0/24', taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] },
  status: { conditions: [{ type: 'Ready', status: 'True' }], capacity: { 'nvidia.com/gpu': '8' } },
});
/** The stored Node after the API server applied a change: resourceVersion moves on as it does for real. */
const changed = (o: Node, change: (copy: Node) => void): Node => {
  const copy = structuredClone(o);
  copy.metadata.resourceVersion = '101';
  change(copy);
  return copy;
};
const withLabel = (o: Node, key: string, value: string | null) =>
  changed(o, (n) => {
    if (value === null) delete n.metadata.labels[key];
    else n.metadata.labels[key] = value;
  });

/** A pod-bound token's user: the ServiceAccount, and the node of the pod it is bound to. */
const tokenOf = (account: string, nodeName?: string, namespace = JOBS) => ({
  operation: 'UPDATE',
  userInfo: {
    username: `system:serviceaccount:${namespace}:${account}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    ...(nodeName ? { extra: { [NODE_NAME_EXTRA]: [nodeName], 'authentication.kubernetes.io/pod-name': ['p'] } } : {}),
  },
});
const labelerOf = (p: ReadinessPackage, nodeName?: string) => tokenOf(labelerAccountName(p), nodeName);
const judge = (policy: KObject, request: Record<string, unknown>, after: Node, before: Node) =>
  admit(policy, request, after, before);

const refusedWith = (verdict: Verdict, fragment: string) => {
  assert.notEqual(verdict, 'allowed');
  assert.notEqual(verdict, 'out of scope');
  const messages = (verdict as { refused: string[] }).refused;
  assert.ok(
    messages.some((m) => m.includes(fragment)),
    `expected a refusal mentioning "${fragment}", got ${JSON.stringify(messages)}`,
  );
};

describe("readiness policy: a package's labeler on its own node", () => {
  const old = node('gpu-1');
  test('adds its label with the value ready', () => {
    assert.equal(judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(old, OURS, 'ready'), old), 'allowed');
  });
  test('removes its ready label', () => {
    const labelled = node('gpu-1', { [OURS]: 'ready' });
    assert.equal(judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(labelled, OURS, null), labelled), 'allowed');
  });
  test('a Node with no labels or annotations at all', () => {
    const bare = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gpu-1' }, spec: {}, status: {} };
    const after = { ...bare, metadata: { name: 'gpu-1', labels: { [OURS]: 'ready' } } };
    assert.equal(admit(policyA, labelerOf(TEAM_A, 'gpu-1'), after, bare), 'allowed');
  });
  test('a foreign readiness label set to false on the node (an operator stopping a model there) does not block it', () => {
    const held = node('gpu-1', { [THEIRS]: 'false', [labelOf(TEAM_A, 'qwen')]: 'false' });
    assert.equal(judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(held, OURS, 'ready'), held), 'allowed');
    const other = labelOf(TEAM_B, 'qwen');
    assert.equal(judge(policyB, labelerOf(TEAM_B, 'gpu-1'), withLabel(held, other, 'ready'), held), 'allowed');
  });
});

describe("readiness policy: refused for a package's labeler", () => {
  const old = node('gpu-1');
  const ready = withLabel(old, OURS, 'ready');
  test('another node', () => {
    const other = node('gpu-2');
    refusedWith(
      judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(other, OURS, 'ready'), other),
      'only the Node it runs on',
    );
  });
  test('a token that carries no node name', () => {
    refusedWith(judge(policyA, labelerOf(TEAM_A), ready, old), 'only the Node it runs on');
  });
  test("another package's label, set or removed", () => {
    refusedWith(
      judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(old, THEIRS, 'ready'), old),
      'may change only its own',
    );
    const theirs = node('gpu-1', { [THEIRS]: 'ready' });
    refusedWith(
      judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(theirs, THEIRS, null), theirs),
      'may change only its own',
    );
  });
  test('the same cache and volume of a package in another jobs namespace is another label', () => {
    const elsewhere = labelOf({ jobNamespace: 'other-jobs', packageName: 'team-a' });
    assert.notEqual(elsewhere, OURS);
    refusedWith(
      judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(old, elsewhere, 'ready'), old),
      'may change only its own',
    );
  });
  test('another label added, changed or removed', () => {
    const added = withLabel(old, 'node-role.kubernetes.io/gpu', '');
    const altered = withLabel(old, 'nvidia.com/gpu.product', 'NVIDIA-H100');
    const removed = withLabel(old, 'nvidia.com/gpu.product', null);
    for (const after of [added, altered, removed])
      refusedWith(judge(policyA, labelerOf(TEAM_A, 'gpu-1'), after, old), 'may change only its own');
  });
  test('a label under our prefix but not of our shape', () => {
    refusedWith(
      judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(old, 'models.kserve-localmodel.dev/anything', 'ready'), old),
      'may change only its own',
    );
  });
  test('its label with another value', () => {
    refusedWith(judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(old, OURS, 'true'), old), 'the value "ready"');
  });
  test("an operator's hold (its label with another value) is neither overwritten nor removed", () => {
    const held = node('gpu-1', { [OURS]: 'hold' });
    refusedWith(judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(held, OURS, 'ready'), held), 'the value "ready"');
    refusedWith(judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(held, OURS, null), held), 'the value "ready"');
  });
  test('a taint, an annotation, a spec or a status change', () => {
    const cases: [Node, string][] = [
      [changed(ready, (n) => n.spec.taints.push({ key: 'evil', effect: 'NoExecute' })), 'spec (taints included)'],
      [changed(ready, (n) => Object.assign(n.metadata.annotations, { note: 'x' })), 'annotations'],
      [changed(old, (n) => Object.assign(n.spec, { unschedulable: true })), 'spec'],
      [changed(old, (n) => Object.assign(n.status.conditions[0], { status: 'False' })), 'status'],
    ];
    for (const [after, fragment] of cases)
      refusedWith(judge(policyA, labelerOf(TEAM_A, 'gpu-1'), after, old), fragment);
  });
});

describe('readiness policy: two packages on one cluster', () => {
  const old = node('gpu-1');
  test("each labeler is refused the other's keys, by its own package's policy", () => {
    refusedWith(
      judge(policyA, labelerOf(TEAM_A, 'gpu-1'), withLabel(old, THEIRS, 'ready'), old),
      'may change only its own',
    );
    refusedWith(
      judge(policyB, labelerOf(TEAM_B, 'gpu-1'), withLabel(old, OURS, 'ready'), old),
      'may change only its own',
    );
  });
  test("each policy judges only its own package's labeler: the other's is out of its scope", () => {
    assert.equal(judge(policyA, labelerOf(TEAM_B, 'gpu-1'), withLabel(old, THEIRS, 'ready'), old), 'out of scope');
    assert.equal(judge(policyB, labelerOf(TEAM_A, 'gpu-1'), withLabel(old, OURS, 'ready'), old), 'out of scope');
  });
  test('the cluster-scoped objects and the ServiceAccount are named after the package, and differ', () => {
    assert.equal(readinessName(TEAM_A), `kserve-localmodel-fn-node-readiness.${JOBS}.team-a`);
    assert.notEqual(readinessName(TEAM_A), readinessName(TEAM_B));
    assert.notEqual(labelerAccountName(TEAM_A), labelerAccountName(TEAM_B));
    assert.notEqual(packageTag(TEAM_A), packageTag(TEAM_B));
    const [, binding] = readinessRbac(TEAM_A);
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: labelerAccountName(TEAM_A), namespace: JOBS }]);
  });
});

describe('readiness policy: every other client of the Node API is out of its scope', () => {
  const old = node('gpu-1');
  const everything = changed(old, (n) => {
    n.metadata.labels['nvidia.com/gpu.product'] = 'NVIDIA-H100';
    n.metadata.labels[OURS] = 'ready';
    n.spec.taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' });
    n.status.conditions[0].status = 'Unknown';
  });
  const clients: Record<string, Record<string, unknown>> = {
    kubelet: { username: 'system:node:gpu-1', groups: ['system:nodes', 'system:authenticated'] },
    'node lifecycle controller': {
      username: 'system:serviceaccount:kube-system:node-controller',
      groups: ['system:serviceaccounts'],
      extra: { [NODE_NAME_EXTRA]: ['control-plane-1'] },
    },
    'cluster autoscaler': { username: 'system:serviceaccount:kube-system:cluster-autoscaler', groups: [] },
    'a person': { username: 'alice@example.com', groups: ['system:authenticated'] },
    "the jobs namespace's default account (KServe's agent Jobs, the download pods of a cache without one)": tokenOf(
      'default',
      'gpu-1',
    ).userInfo,
    'a credential account of the download pods': tokenOf('hf-reader', 'gpu-1').userInfo,
    'a ServiceAccount of the same name in another namespace': tokenOf(labelerAccountName(TEAM_A), 'gpu-1', 'default')
      .userInfo,
  };
  for (const [who, userInfo] of Object.entries(clients))
    test(who, () => assert.equal(judge(policyA, { operation: 'UPDATE', userInfo }, everything, old), 'out of scope'));
});

test("the match condition names exactly the package's labeler", () => {
  const spec = policyA.spec as { matchConditions: { expression: string }[] };
  assert.deepEqual(
    spec.matchConditions.map((c) => c.expression),
    [`request.userInfo.username == 'system:serviceaccount:${JOBS}:${labelerAccountName(TEAM_A)}'`],
  );
});
