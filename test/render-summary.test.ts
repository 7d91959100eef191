// The summary `render` prints on stderr, and the Kubernetes quantities it adds up.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { compile } from '../fn/compile';
import { DEFAULT_FN_CONFIG } from '../fn/inputs/fn-config';
import { formatBytes, parseQuantity } from '../fn/k8s/quantity';
import type { KObject } from '../fn/krm/objects';
import type { Compiled } from '../fn/modes/render-summary';
import { renderSummary, summarize } from '../fn/modes/render-summary';
import { fnConfig } from './support/fixtures';
import { TESTDATA } from './support/golden';
import { runInProcess } from './support/in-process';
import { tempDir } from './support/integrations';

const Gi = 1n << 30n;

describe('parseQuantity', () => {
  test('binary and decimal suffixes, exponents and fractions, in whole units', () => {
    const cases: [string | number, bigint][] = [
      ['10Gi', 10n * Gi],
      ['1.5Gi', 3n * (Gi / 2n)],
      ['.5Ki', 512n],
      ['2Ti', 2n << 40n],
      ['1Ei', 1n << 60n],
      ['500M', 500_000_000n],
      ['1k', 1000n],
      ['1E', 10n ** 18n],
      ['1e3', 1000n],
      ['1.5E+2', 150n],
      ['12e-1', 2n],
      ['100m', 1n],
      ['0', 0n],
      ['+7', 7n],
      ['-1Gi', -Gi],
      [1000, 1000n],
      [1.5, 2n],
      [1e21, 10n ** 21n],
    ];
    for (const [q, bytes] of cases) assert.equal(parseQuantity(q), bytes, String(q));
  });

  test('anything else is not a quantity', () => {
    for (const q of [
      '',
      'Gi',
      '10 Gi',
      ' 10Gi',
      '10gi',
      '10GB',
      '1.2.3',
      '0x10',
      '1e',
      '1e999',
      'ten',
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]) {
      assert.equal(parseQuantity(q), undefined, String(q));
    }
  });

  test('formatBytes writes exact binary units, else one decimal', () => {
    assert.equal(formatBytes(10n * Gi), '10Gi');
    assert.equal(formatBytes(1536n << 20n), '1.5Gi');
    assert.equal(formatBytes(500_000_000n), '476.8Mi');
    assert.equal(formatBytes(999n), '999');
    assert.equal(formatBytes(2n * Gi - 1n), '2.0Gi');
    assert.equal(formatBytes(-(2n * Gi)), '-2Gi');
  });
});

const cache = (name: string, uri: string, modelSize: string | undefined, nodeGroups: string[]): KObject => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'LocalModelCache',
  metadata: { name },
  spec: { sourceModelUri: uri, ...(modelSize ? { modelSize } : {}), nodeGroups },
});

const nodeGroup = (name: string, storageLimit: string | undefined, pool: string): KObject => ({
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'LocalModelNodeGroup',
  metadata: { name },
  spec: {
    ...(storageLimit ? { storageLimit } : {}),
    persistentVolumeSpec: {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '100Gi' },
      local: { path: '/models' },
      storageClassName: 'local-storage',
      nodeAffinity: {
        required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: [pool] }] }] },
      },
    },
    persistentVolumeClaimSpec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '100Gi' } },
      storageClassName: 'local-storage',
    },
  },
});

const node = (name: string, pool: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { pool }, annotations: { 'config.kubernetes.io/local-config': 'true' } },
});

/** A package that compiles without errors, as the summary reads it. */
function compiled(items: KObject[]): Compiled {
  const { plan, generated, fnConfig, results } = compile(items);
  assert.ok(plan, JSON.stringify(results));
  return { plan, generated, fnConfig };
}

describe('summarize', () => {
  const input = compiled([
    nodeGroup('gpu', '100Gi', 'gpu'),
    nodeGroup('cpu', '100Gi', 'cpu'),
    nodeGroup('spare', '1Ti', 'none'),
    cache('llama', 'hf://meta/llama', '30Gi', ['gpu']),
    {
      ...cache('llama-again', 'hf://meta/llama', '30Gi', ['gpu']),
      kind: 'LocalModelNamespaceCache',
      metadata: { name: 'llama-again', namespace: 'team' },
    },
    cache('mistral', 'hf://mistral/7b', '15Gi', ['gpu', 'cpu']),
    cache('tiny', 'hf://tiny/model', '1Gi', ['cpu']),
    cache('idle', 'hf://idle/model', '1Gi', ['spare']),
    node('gpu-1', 'gpu'),
    node('gpu-2', 'gpu'),
    node('cpu-1', 'cpu'),
  ]);

  test('per node group: models, nodes with a download Job, Jobs, storage against storageLimit', () => {
    const [cpu, gpu, spare] = summarize(input.plan, input.fnConfig);
    assert.equal(gpu.name, 'gpu');
    assert.deepEqual(
      gpu.models.map((m) => m.cache),
      ['llama', 'mistral', 'team/llama-again'],
    );
    assert.equal(gpu.models[2].sharesFolderWith, 'llama', 'the same URI is one folder on the disk');
    assert.deepEqual(gpu.nodes, ['gpu-1', 'gpu-2']);
    assert.equal(gpu.jobs, 4, 'one Job per node and model folder');
    assert.equal(gpu.usedBytes, 45n * Gi);
    assert.equal(gpu.limitBytes, 100n * Gi);

    assert.equal(cpu.usedBytes, 16n * Gi);
    assert.equal(cpu.storageLimit, '100Gi');
    assert.deepEqual(cpu.nodes, ['cpu-1']);

    assert.equal(spare.jobs, 0);
    assert.deepEqual(spare.nodes, []);
  });

  test('the text says what a reviewer needs: counts, the sum against the limit, groups that get nothing', () => {
    const text = renderSummary(input, 20);
    const lines = text.split('\n');
    assert.equal(
      lines[0],
      'summary: 20 manifests to apply, 19 generated (1 ConfigMap, 6 PersistentVolumes, 6 PersistentVolumeClaims, 6 Jobs)',
    );
    assert.ok(
      lines.includes('node group gpu: 3 models, 2 nodes, 4 download Jobs, storage 45Gi of 100Gi storageLimit (45%)'),
      text,
    );
    assert.ok(
      lines.includes(
        '  models: llama 30Gi, mistral 15Gi, team/llama-again 30Gi (same model folder as llama, counted once, at the largest size)',
      ),
      text,
    );
    assert.ok(
      lines.includes('node group cpu: 2 models, 1 node, 2 download Jobs, storage 16Gi of 100Gi storageLimit (16%)'),
      text,
    );
    assert.ok(lines.includes('  models: mistral 15Gi, tiny 1Gi'), text);
    assert.ok(
      lines.includes('node group spare: 1 model, 0 nodes, 0 download Jobs, storage 1Gi of 1Ti storageLimit (0%)'),
      text,
    );
    assert.ok(
      lines.includes('  nodes:  none: no node of the inventory matches this group, so nothing is downloaded'),
      text,
    );
    assert.ok(text.endsWith('\n'));
  });

  test('a shared model folder counts at its largest modelSize, as capacity validation counts it', () => {
    const shared = compiled([
      nodeGroup('gpu', '100Gi', 'gpu'),
      cache('llama', 'hf://meta/llama', '10Gi', ['gpu']),
      {
        ...cache('llama-big', 'hf://meta/llama', '60Gi', ['gpu']),
        kind: 'LocalModelNamespaceCache',
        metadata: { name: 'llama-big', namespace: 'team' },
      },
      node('gpu-1', 'gpu'),
    ]);
    const lines = renderSummary(shared, 3).split('\n');
    assert.ok(
      lines.includes('node group gpu: 2 models, 1 node, 1 download Job, storage 60Gi of 100Gi storageLimit (60%)'),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes(
        '  models: llama 10Gi, team/llama-big 60Gi (same model folder as llama, counted once, at the largest size)',
      ),
    );
  });

  test('jobs mode: a node in groups on two folders gets a Job per folder, and each group counts the node', () => {
    const { items } = parse(readFileSync(join(TESTDATA, 'jobs-two-host-paths', 'input.yaml'), 'utf8'));
    const groups = summarize(compiled(items).plan, DEFAULT_FN_CONFIG);
    assert.deepEqual(
      groups.map((g) => [g.name, g.nodes, g.jobs]),
      [
        ['bulk', ['gpu-1', 'gpu-2'], 2],
        ['fast', ['gpu-1', 'gpu-2'], 2],
        ['fast-again', ['gpu-1', 'gpu-2'], 2],
      ],
    );
  });

  test('a long node list is cut after ten names', () => {
    const many = compiled([
      nodeGroup('gpu', '100Gi', 'gpu'),
      cache('m', 'hf://m/m', '1Gi', ['gpu']),
      ...Array.from({ length: 12 }, (_, i) => node(`n${String(i).padStart(2, '0')}`, 'gpu')),
    ]);
    assert.match(renderSummary(many, 1), / {2}nodes: {2}n00, n01, n02, n03, n04, n05, n06, n07, n08, n09 and 2 more\n/);
  });

  test('the headline names every generated kind, the Namespace and the readiness objects too, in output order', () => {
    const all = compiled([
      nodeGroup('gpu', '100Gi', 'gpu'),
      cache('m', 'hf://m/m', '1Gi', ['gpu']),
      node('gpu-1', 'gpu'),
      fnConfig({ createJobNamespace: true, serveOnlyWhenReady: true }),
    ]);
    const headline = renderSummary(all, 10).split('\n')[0];
    assert.equal(
      headline,
      'summary: 10 manifests to apply, 11 generated (1 Namespace, 1 ConfigMap, 1 ServiceAccount, 1 ValidatingAdmissionPolicy, 1 ValidatingAdmissionPolicyBinding, 1 ClusterRole, 1 ClusterRoleBinding, 1 PersistentVolume, 1 PersistentVolumeClaim, 1 Job, 1 DaemonSet)',
    );
    assert.equal(all.generated.length, 11);
  });

  test("daemonset mode: the inventory count reads the config the render ran with (Argo CD's parameters included)", () => {
    const items = [
      nodeGroup('gpu', '100Gi', 'gpu'),
      cache('m', 'hf://m/m', '1Gi', ['gpu']),
      fnConfig({ downloadMode: 'daemonset' }),
    ];
    const given = fnConfig({ downloadMode: 'daemonset', nodes: [{ name: 'n1', labels: { pool: 'gpu' } }] });
    const { plan, generated, fnConfig: config, results } = compile(items, given);
    assert.ok(plan, JSON.stringify(results));
    const [gpu] = summarize(plan, config);
    assert.equal(gpu.inventoryNodes, 1);
    assert.match(
      renderSummary({ plan, generated, fnConfig: config }, 1),
      /every node the group selects, now and later \(1 node in the inventory\)/,
    );
  });

  test('which namespaces each cache serves, and which caches no InferenceService uses', async () => {
    const dir = tempDir('summary-caches');
    const isvc = (name: string, namespace: string, uri: string) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name, namespace },
      spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, storageUri: uri } } },
    });
    const objects = [
      nodeGroup('gpu', '100Gi', 'gpu'),
      node('gpu-1', 'gpu'),
      cache('llama', 'hf://meta/llama', '10Gi', ['gpu']),
      cache('qwen', 'hf://qwen/qwen', '10Gi', ['gpu']),
      cache('spare', 'hf://x/spare', '10Gi', ['gpu']),
      isvc('chat', 'team-b', 'hf://meta/llama'),
      isvc('chat', 'team-a', 'hf://meta/llama'),
      isvc('smoke', 'kserve-localmodel-jobs', 'hf://qwen/qwen'),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'inferenceservice-config',
          namespace: 'kserve',
          annotations: { 'config.kubernetes.io/local-config': 'true' },
        },
        data: { localModel: '{"enabled": true}' },
      },
    ];
    writeFileSync(join(dir, 'package.yaml'), objects.map((o) => stringify(o)).join('---\n'));
    const result = await runInProcess(['render', dir]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      /\ncaches and the namespaces they serve:\n {2}llama: team-a, team-b\n {2}qwen: kserve-localmodel-jobs\n {2}used by no InferenceService in the input \(downloaded, not served\): spare\n/,
    );
  });

  test('render prints it on stderr, after the results, and only when the render succeeds', async () => {
    const ok = await runInProcess(['render', 'examples/argocd/app']);
    assert.equal(ok.status, 0);
    assert.match(ok.stderr, /^summary: 12 manifests to apply, 9 generated/m);
    assert.doesNotMatch(ok.stdout, /summary/);
    const failed = await runInProcess(['render', 'examples/argocd/app', '--argocd'], {
      env: { ARGOCD_ENV_NODES: 'not a list' },
    });
    assert.equal(failed.status, 1);
    assert.doesNotMatch(failed.stderr, /summary/);
  });
});
