// The ValidatingAdmissionPolicy's CEL, evaluated by a real CEL evaluator the way the API server applies
// it: match conditions first (a request they exclude is never judged), then variables, then validations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CelInput } from '@bufbuild/cel';
import { isCelError, run } from '@bufbuild/cel';
import { NODE_NAME_EXTRA, readinessPolicy, readyLabel, volumeTag } from '../fn/build/node-readiness';

interface Expression {
  name?: string;
  expression: string;
  message?: string;
}
interface PolicySpec {
  matchConditions: Expression[];
  variables: Expression[];
  validations: Expression[];
}

const JOBS = 'kserve-localmodel-jobs';
const [policy] = readinessPolicy([
  { namespace: JOBS, serviceAccountName: 'default' },
  { namespace: JOBS, serviceAccountName: 'hf-reader' },
]);
const spec = policy.spec as PolicySpec;

/** CEL maps are JS Maps; plain JSON objects are converted all the way down. */
const toCel = (v: unknown): CelInput =>
  Array.isArray(v)
    ? v.map(toCel)
    : v !== null && typeof v === 'object'
      ? new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]))
      : (v as CelInput);

type Verdict = 'out of scope' | 'allowed' | { refused: string[] };

function admit(request: Record<string, unknown>, object: unknown, oldObject: unknown): Verdict {
  const bindings: Record<string, CelInput> = {
    request: toCel(request),
    object: toCel(object),
    oldObject: toCel(oldObject),
  };
  for (const condition of spec.matchConditions) {
    const matches = run(condition.expression, bindings);
    // A match condition that fails to evaluate refuses the request (failurePolicy Fail), even a kubelet's.
    if (isCelError(matches)) return { refused: [`match condition ${condition.name}: ${matches.message}`] };
    if (matches === false) return 'out of scope';
  }
  const variables = new Map<string, CelInput>();
  for (const v of spec.variables) {
    const value = run(v.expression, { ...bindings, variables });
    if (isCelError(value)) throw new Error(`variable ${v.name}: ${value.message}`);
    variables.set(v.name as string, value as CelInput);
  }
  const refused: string[] = [];
  for (const v of spec.validations) {
    // failurePolicy Fail: an evaluation error refuses the request like a false.
    if (run(v.expression, { ...bindings, variables }) !== true) refused.push(v.message as string);
  }
  return refused.length === 0 ? 'allowed' : { refused };
}

const TAG = volumeTag('/mnt/data/models');
const OURS = readyLabel('0123456789abcdef', TAG);
const node = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    resourceVersion: '100',
    labels: <Record<string, string>>{
      'kubernetes.io/hostname': name,
      'nvidia.com/gpu.product': 'NVIDIA-A100',
      ...labels,
    },
    annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
  },
  spec: { podCIDR: '10.0.1.0/24', taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] },
  status: { conditions: [{ type: 'Ready', status: 'True' }], capacity: { 'nvidia.com/gpu': '8' } },
});
/** The stored Node after the API server applied a change: resourceVersion moves on as it does for real. */
const changed = (o: ReturnType<typeof node>, change: (copy: ReturnType<typeof node>) => void) => {
  const copy = structuredClone(o);
  copy.metadata.resourceVersion = '101';
  change(copy);
  return copy;
};
/** The change a download pod makes: our readiness label set on a copy of the Node. */
const withOurLabel = (o: ReturnType<typeof node>) =>
  changed(o, (n) => {
    n.metadata.labels[OURS] = 'ready';
  });
const downloadPod = (nodeName?: string, sa = 'default') => ({
  operation: 'UPDATE',
  userInfo: {
    username: `system:serviceaccount:${JOBS}:${sa}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${JOBS}`, 'system:authenticated'],
    ...(nodeName ? { extra: { [NODE_NAME_EXTRA]: [nodeName], 'authentication.kubernetes.io/pod-name': ['p'] } } : {}),
  },
});

describe('readiness policy: allowed for the download pods on their own node', () => {
  const old = node('gpu-1');
  test('set our label', () => {
    assert.equal(admit(downloadPod('gpu-1'), withOurLabel(old), old), 'allowed');
  });
  test('remove our label', () => {
    const labelled = node('gpu-1', { [OURS]: 'ready' });
    assert.equal(
      admit(
        downloadPod('gpu-1', 'hf-reader'),
        changed(labelled, (n) => {
          delete (n.metadata.labels as Record<string, string>)[OURS];
        }),
        labelled,
      ),
      'allowed',
    );
  });
  test('a Node with no labels or annotations at all', () => {
    const bare = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gpu-1' }, spec: {}, status: {} };
    const after = { ...bare, metadata: { name: 'gpu-1', labels: { [OURS]: 'ready' } } };
    assert.equal(admit(downloadPod('gpu-1'), after, bare), 'allowed');
  });
});

describe('readiness policy: refused for the download pods', () => {
  const old = node('gpu-1');
  const withOurs = withOurLabel(old);
  const refusedWith = (verdict: Verdict, fragment: string) => {
    assert.notEqual(verdict, 'allowed');
    assert.notEqual(verdict, 'out of scope');
    const messages = (verdict as { refused: string[] }).refused;
    assert.ok(
      messages.some((m) => m.includes(fragment)),
      `expected a refusal mentioning "${fragment}", got ${JSON.stringify(messages)}`,
    );
  };
  test('another node', () => {
    const other = node('gpu-2');
    refusedWith(admit(downloadPod('gpu-1'), withOurLabel(other), other), 'only the Node it runs on');
  });
  test('a token that carries no node name', () => {
    refusedWith(admit(downloadPod(undefined), withOurs, old), 'only the Node it runs on');
  });
  test('another label added, changed or removed', () => {
    const added = changed(old, (n) => {
      n.metadata.labels['node-role.kubernetes.io/gpu'] = '';
    });
    const altered = changed(old, (n) => {
      n.metadata.labels['nvidia.com/gpu.product'] = 'NVIDIA-H100';
    });
    const removed = changed(old, (n) => {
      delete (n.metadata.labels as Record<string, string>)['nvidia.com/gpu.product'];
    });
    for (const after of [added, altered, removed])
      refusedWith(admit(downloadPod('gpu-1'), after, old), 'only models.kserve-localmodel.dev');
  });
  test('a label under our prefix but not of our shape', () => {
    const lookalike = changed(old, (n) => {
      n.metadata.labels['models.kserve-localmodel.dev/anything'] = 'ready';
    });
    refusedWith(admit(downloadPod('gpu-1'), lookalike, old), 'only models.kserve-localmodel.dev');
  });
  test('our label with another value', () => {
    const wrong = changed(old, (n) => {
      n.metadata.labels[OURS] = 'true';
    });
    refusedWith(admit(downloadPod('gpu-1'), wrong, old), 'only value is "ready"');
  });
  test('a taint', () => {
    const tainted = changed(withOurs, (n) => {
      n.spec.taints.push({ key: 'evil', effect: 'NoExecute' });
    });
    refusedWith(admit(downloadPod('gpu-1'), tainted, old), 'spec (taints included)');
  });
  test('an annotation', () => {
    const annotated = changed(withOurs, (n) => {
      (n.metadata.annotations as Record<string, string>).note = 'x';
    });
    refusedWith(admit(downloadPod('gpu-1'), annotated, old), 'annotations');
  });
  test('a spec change', () => {
    const cordoned = changed(old, (n) => {
      (n.spec as Record<string, unknown>).unschedulable = true;
    });
    refusedWith(admit(downloadPod('gpu-1'), cordoned, old), 'spec');
  });
  test('a status change', () => {
    const notReady = changed(old, (n) => {
      n.status.conditions[0].status = 'False';
    });
    refusedWith(admit(downloadPod('gpu-1'), notReady, old), 'status');
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
  const clients = {
    kubelet: { username: 'system:node:gpu-1', groups: ['system:nodes', 'system:authenticated'] },
    'node lifecycle controller': {
      username: 'system:serviceaccount:kube-system:node-controller',
      groups: ['system:serviceaccounts'],
      extra: { [NODE_NAME_EXTRA]: ['control-plane-1'] },
    },
    'cluster autoscaler': { username: 'system:serviceaccount:kube-system:cluster-autoscaler', groups: [] },
    'a person': { username: 'alice@example.com', groups: ['system:authenticated'] },
    'a ServiceAccount of the same name in another namespace': {
      username: 'system:serviceaccount:default:default',
      groups: [],
    },
  };
  for (const [who, userInfo] of Object.entries(clients))
    test(who, () => assert.equal(admit({ operation: 'UPDATE', userInfo }, everything, old), 'out of scope'));
});

test("the match condition names exactly the download pods' ServiceAccounts", () => {
  assert.deepEqual(
    spec.matchConditions.map((c) => c.expression),
    [
      `request.userInfo.username in ['system:serviceaccount:${JOBS}:default', 'system:serviceaccount:${JOBS}:hf-reader']`,
    ],
  );
});
