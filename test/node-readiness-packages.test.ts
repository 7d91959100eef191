// serveOnlyWhenReady for many teams on one cluster: packages rendered separately never write one object
// with two contents; the generated objects carry the Argo CD sync waves that put the admission policy
// and the serving volumes first; and the function says where the gate cannot hold.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SYNC_WAVE } from '../fn/gitops/sync-wave';
import type { KObject } from '../fn/krm/objects';
import { annotationOf, nameOf, namespaceOf } from '../fn/krm/objects';
import {
  cache,
  enabledKServeConfig,
  fnConfig,
  isvc,
  JOBS_NS,
  namespacedCache,
  node,
  nodeGroup,
} from './support/fixtures';
import type { Output } from './support/harness';
import { generated, runItems } from './support/harness';
import { validateAgainstKubernetes } from './support/kubernetes-schema';

const MODES = ['jobs', 'daemonset'] as const;
const shared = [nodeGroup('workers'), node('gpu-1'), node('gpu-2'), enabledKServeConfig()];

function team(packageName: string | undefined, downloadMode: string, caches: KObject[]): Output {
  return runItems(
    [...shared, ...caches],
    fnConfig({ serveOnlyWhenReady: true, downloadMode, ...(packageName ? { packageName } : {}) }),
  );
}

/** Objects of two outputs with one kind, namespace and name but different contents. */
function clashes(a: KObject[], b: KObject[]): string[] {
  const id = (o: KObject) => `${o.kind} ${namespaceOf(o)}/${nameOf(o)}`;
  const other = new Map(b.map((o) => [id(o), JSON.stringify(o)]));
  return a.filter((o) => other.has(id(o)) && other.get(id(o)) !== JSON.stringify(o)).map(id);
}

const warnings = (out: Output) => out.results.filter((r) => r.severity === 'warning');

describe('two packages on one cluster, rendered separately', () => {
  for (const mode of MODES) {
    test(`${mode} mode: no cluster-scoped object, and no object of the shared jobs namespace, has one name and two contents`, () => {
      const a = team('team-a', mode, [cache('llama', 's3://models/llama')]);
      const b = team('team-b', mode, [cache('qwen', 's3://models/qwen'), cache('mistral', 's3://models/mistral')]);
      for (const out of [a, b]) {
        assert.deepEqual(warnings(out), []);
        for (const o of generated(out.items)) validateAgainstKubernetes(o);
      }
      const [ga, gb] = [generated(a.items), generated(b.items)];
      assert.deepEqual(clashes(ga, gb), []);
      const kinds = (g: KObject[]) =>
        new Set(g.filter((o) => !namespaceOf(o) || namespaceOf(o) === JOBS_NS).map((o) => o.kind));
      for (const kind of [
        'ClusterRole',
        'ClusterRoleBinding',
        'ValidatingAdmissionPolicy',
        'ServiceAccount',
        'DaemonSet',
        'ConfigMap',
      ])
        assert.ok(kinds(ga).has(kind) && kinds(gb).has(kind), `both packages generate a ${kind}`);
    });
  }

  test('without packageName they would: one labeler DaemonSet with two contents, and a warning says so', () => {
    const a = team(undefined, 'jobs', [cache('llama', 's3://models/llama')]);
    const b = team(undefined, 'jobs', [cache('qwen', 's3://models/qwen')]);
    assert.deepEqual(clashes(generated(a.items), generated(b.items)), [`DaemonSet ${JOBS_NS}/labeler-workers`]);
    const [warning] = warnings(a);
    assert.match(
      warning.message,
      /serveOnlyWhenReady without packageName: .*\(kserve-localmodel-fn-node-readiness\.kserve-localmodel-jobs\) are named after the jobs namespace alone/,
    );
    assert.match(warning.message, /each package's labeler removes the other's labels/);
    assert.match(warning.message, /Set packageName to a name unique among the packages on this cluster/);
  });

  test("each package's labels and policy are its own: the policy's pattern names its package tag, which its labels carry", () => {
    const a = generated(team('team-a', 'jobs', [cache('llama', 's3://models/llama')]).items);
    const b = generated(team('team-b', 'jobs', [cache('llama', 's3://models/llama')]).items);
    const tagOf = (g: KObject[]) => {
      const policy = g.find((o) => o.kind === 'ValidatingAdmissionPolicy') as KObject;
      const expressions = JSON.stringify((policy.spec as { validations: unknown }).validations);
      return /dev\/([0-9a-f]{8})\\\\\\\\\./.exec(expressions)?.[1];
    };
    assert.ok(tagOf(a) && tagOf(b) && tagOf(a) !== tagOf(b), `${tagOf(a)} ${tagOf(b)}`);
    const labeler = (g: KObject[]) =>
      g.find((o) => o.kind === 'DaemonSet' && nameOf(o).startsWith('labeler-')) as KObject;
    const args = (g: KObject[]) =>
      (labeler(g).spec as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0]
        .args;
    assert.equal(args(a)[1], tagOf(a));
    assert.equal(args(b)[1], tagOf(b));
  });
});

describe('apply order under Argo CD: the policy, then the serving volumes, then the rest', () => {
  const waves = (out: Output) =>
    new Map(generated(out.items).map((o) => [`${o.kind}/${nameOf(o)}`, annotationOf(o, SYNC_WAVE)]));
  const pkg = [cache('llama', 's3://models/llama'), isvc('chat', 'team-a', 's3://models/llama')];
  for (const [argocdSyncWave, admission, volumes] of [
    [undefined, '-2', '-1'],
    [-1, '-3', '-2'],
    [-5, '-7', '-6'],
    [3, '-2', '-1'],
  ] as const) {
    test(`argocdSyncWave ${argocdSyncWave ?? 'unset'}: the policy and its binding in wave ${admission}, serving PVs in ${volumes}, the RBAC and pods in 0`, () => {
      const out = runItems(
        [...shared, ...pkg],
        fnConfig({
          serveOnlyWhenReady: true,
          packageName: 'team-a',
          ...(argocdSyncWave !== undefined ? { argocdSyncWave } : {}),
        }),
      );
      for (const [id, wave] of waves(out)) {
        if (id.startsWith('ValidatingAdmissionPolicy')) assert.equal(wave, admission, id);
        else if (id === 'PersistentVolume/llama-workers-team-a') assert.equal(wave, volumes, id);
        else assert.equal(wave, undefined, id);
      }
      assert.ok([...waves(out).keys()].some((id) => id.startsWith('ClusterRoleBinding/')));
    });
  }
  test('without serveOnlyWhenReady no generated object has a wave', () => {
    const out = runItems([...shared, ...pkg], fnConfig({}));
    assert.deepEqual([...waves(out).values()].filter(Boolean), []);
  });
});

describe('where the gate cannot hold, a warning', () => {
  const ready = (spec: Record<string, unknown> = {}) =>
    fnConfig({ serveOnlyWhenReady: true, packageName: 'team-a', ...spec });

  test('an InferenceService in the jobs namespace that uses a LocalModelCache (it mounts the download claim)', () => {
    const out = runItems(
      [...shared, cache('llama', 's3://models/llama'), isvc('chat', JOBS_NS, 's3://models/llama')],
      ready(),
    );
    const [w] = warnings(out);
    assert.equal(w.resourceRef?.name, 'chat');
    assert.match(
      w.message,
      /is in the jobs namespace kserve-localmodel-jobs, where LocalModelCache llama is served from its download claim/,
    );
  });

  test('a LocalModelNamespaceCache served in the jobs namespace has a serving volume of its own: no warning', () => {
    const out = runItems(
      [...shared, namespacedCache('llama', JOBS_NS, 's3://models/llama'), isvc('chat', JOBS_NS, 's3://models/llama')],
      ready(),
    );
    assert.deepEqual(warnings(out), []);
  });

  test('disableVolumeManagement: nothing requires the labels; an info on each cache gives its label', () => {
    const config = enabledKServeConfig();
    config.data.localModel = '{"enabled": true, "disableVolumeManagement": true}';
    const out = runItems(
      [
        nodeGroup('workers'),
        node('gpu-1'),
        config,
        cache('llama', 's3://models/llama'),
        isvc('chat', 'team-a', 's3://models/llama'),
      ],
      ready(),
    );
    const [w] = warnings(out);
    assert.equal(w.resourceRef?.name, 'inferenceservice-config');
    assert.match(
      w.message,
      /disableVolumeManagement is true, so no serving PersistentVolume is generated and nothing requires the readiness labels/,
    );
    const infos = out.results.filter(
      (r) => r.severity === 'info' && /serveOnlyWhenReady with disableVolumeManagement/.test(r.message),
    );
    assert.equal(infos.length, 1);
    assert.match(infos[0].message, /models\.kserve-localmodel\.dev\/[0-9a-f]{8}\.[0-9a-f]{16}\.[0-9a-f]{8}=ready/);
  });

  test("KServe's manager: a cache or InferenceService with its own wave at or before the serving volumes'", () => {
    const early = (o: KObject, wave: string) => ({
      ...o,
      metadata: { ...o.metadata, annotations: { [SYNC_WAVE]: wave } },
    });
    const out = runItems(
      [
        ...shared,
        early(cache('llama', 's3://models/llama'), '-5'),
        cache('qwen', 's3://models/qwen'),
        early(isvc('chat', 'team-a', 's3://models/qwen'), '-1'),
        early(isvc('later', 'team-b', 's3://models/qwen'), '2'),
      ],
      ready(),
    );
    const named = new Map(warnings(out).map((w) => [w.resourceRef?.name, w.message]));
    assert.deepEqual([...named.keys()].sort(), ['chat', 'llama']);
    assert.match(
      named.get('llama') ?? '',
      /KServe's localmodel manager runs, it then creates the missing serving PersistentVolume itself, without the readiness requirement/,
    );
  });
});
