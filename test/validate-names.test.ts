// Derived names and label values against Kubernetes' limits (fn/validate/names-and-limits.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cache, enabledKServeConfig, fnConfig, isvc, node, nodeGroup } from './support/fixtures';
import { generated, runItems } from './support/harness';
import { expectClean, expectResult } from './support/results';

describe('names and limits', () => {
  it('a cache name over 63 characters is an error: it is the download Job\'s "model" label', () => {
    const name = 'm'.repeat(64);
    expectResult(
      runItems([nodeGroup('workers'), cache(name, 's3://m/x'), node('gpu-1')]),
      'error',
      'metadata.name',
      '64 characters long',
      '"model" label',
    );
  });

  it('a cache name of exactly 63 characters is fine, and its Job name still fits', () => {
    const out = runItems([
      nodeGroup('workers'),
      cache('m'.repeat(63), 's3://m/x'),
      node('gpu-1'),
      enabledKServeConfig(),
    ]);
    expectClean(out);
    const job = generated(out.items).find((o) => o.kind === 'Job');
    assert.ok(job && (job.metadata?.name ?? '').length <= 63);
  });

  it('a volume name over 253 characters is an error on the cache', () => {
    const group = 'g'.repeat(200);
    const out = runItems([nodeGroup(group), cache('m'.repeat(60), 's3://m/x', [group]), node('gpu-1')]);
    expectResult(out, 'error', 'metadata.name', 'the volume name', 'over the 253');
  });

  it('a serving volume name over 253 characters, from an InferenceService namespace, is an error', () => {
    const group = 'g'.repeat(180);
    const out = runItems([
      nodeGroup(group),
      cache('m'.repeat(10), 's3://m/x', [group]),
      node('gpu-1'),
      isvc('chat', 'n'.repeat(63), 's3://m/x'),
    ]);
    expectResult(out, 'error', 'metadata.name', 'over the 253');
  });

  it('a node name over 63 characters is an error on the Node: it is the Job\'s "node" label', () => {
    const out = runItems([nodeGroup('workers'), cache('llama', 's3://m/x'), node(`gpu-${'n'.repeat(60)}`)]);
    const r = expectResult(out, 'error', 'metadata.name', '"node" label');
    assert.equal(r.resourceRef?.kind, 'Node');
  });

  it('daemonset mode makes no Job: a long node name is valid and renders', () => {
    const long = `gpu-${'n'.repeat(60)}`;
    const out = runItems(
      [nodeGroup('workers'), cache('llama', 's3://m/x'), node(long), enabledKServeConfig()],
      fnConfig({ downloadMode: 'daemonset' }),
    );
    expectClean(out);
    assert.ok(out.items.some((o) => o.kind === 'DaemonSet'));
  });

  it("a node of the function config's inventory is reported at its entry", () => {
    const fc = fnConfig({ nodes: [{ name: `gpu-${'n'.repeat(60)}`, labels: { 'node-type': 'gpu' } }] });
    expectResult(
      runItems([nodeGroup('workers'), cache('llama', 's3://m/x')], fc),
      'error',
      'spec.nodes[0].name',
      '"node" label',
    );
  });

  it('a node that gets no Job is not held to label limits', () => {
    const out = runItems([
      nodeGroup('workers'),
      cache('llama', 's3://m/x'),
      node('gpu-1'),
      node(`cpu-${'n'.repeat(60)}`, { 'node-type': 'cpu' }),
      enabledKServeConfig(),
    ]);
    expectClean(out);
  });

  it('a hostname label that is not a valid label value is an error: the Job selects its node by it', () => {
    const out = runItems([
      nodeGroup('workers'),
      cache('llama', 's3://m/x'),
      node('gpu-1', { 'node-type': 'gpu', 'kubernetes.io/hostname': 'ip_10_0_0_1-' }),
    ]);
    expectResult(out, 'error', 'metadata.labels[kubernetes.io/hostname]', 'not a valid label value');
  });

  it('a jobNamespace that is not a namespace name is an error on inferenceservice-config', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'inferenceservice-config', namespace: 'kserve' },
      data: { localModel: '{"jobNamespace": "Model_Jobs"}' },
    };
    expectResult(
      runItems([nodeGroup('workers'), cache('llama', 's3://m/x'), node('gpu-1'), cm]),
      'error',
      'data.localModel',
      'jobNamespace "Model_Jobs"',
    );
  });
});
