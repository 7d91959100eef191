// Tolerations per node group (function config nodeGroupTolerations): GPU pools are tainted differently.
// LocalModelNodeGroup.spec.tolerations (kserve#5653, unreleased) is refused with the way to do it here.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../fn/krm/objects';
import { cache, enabledKServeConfig, fnConfig, fnConfigMap, node, nodeGroup } from './support/fixtures';
import type { Output } from './support/harness';
import { generated, ofKind, runItems } from './support/harness';
import { expectResult } from './support/results';

const GPU = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
const A100 = { key: 'pool', operator: 'Equal', value: 'a100', effect: 'NoSchedule' };

const items = () => [
  nodeGroup('a100', { pool: ['a100'] }),
  nodeGroup('l4', { pool: ['l4'] }),
  cache('llama', 'hf://meta/llama', ['a100', 'l4']),
  node('a100-1', { pool: 'a100' }),
  node('l4-1', { pool: 'l4' }),
  enabledKServeConfig(),
];
const tolerationsByNode = (out: Output): Record<string, unknown> =>
  Object.fromEntries(
    ofKind(generated(out.items), 'Job').map((job) => {
      const pod = (
        job as { spec: { template: { spec: { nodeSelector: Record<string, string>; tolerations?: unknown } } } }
      ).spec.template.spec;
      return [pod.nodeSelector['kubernetes.io/hostname'], pod.tolerations];
    }),
  );

describe('nodeGroupTolerations', () => {
  it("a group's tolerations reach only its nodes' Jobs, after the global ones; one given twice is kept once", () => {
    const out = runItems(items(), fnConfig({ tolerations: [GPU], nodeGroupTolerations: { a100: [A100, GPU] } }));
    assert.deepEqual(out.results, []);
    assert.deepEqual(tolerationsByNode(out), { 'a100-1': [GPU, A100], 'l4-1': [GPU] });
  });

  it("daemonset mode: each group's DaemonSet carries the global tolerations and its own, and no other group's", () => {
    const config = { tolerations: [GPU], nodeGroupTolerations: { a100: [A100, GPU] }, downloadMode: 'daemonset' };
    const out = runItems(items(), fnConfig(config));
    assert.deepEqual(out.results, []);
    const tolerationsByDaemonSet = Object.fromEntries(
      ofKind(generated(out.items), 'DaemonSet').map((ds) => [
        ds.metadata?.name,
        (ds as { spec: { template: { spec: { tolerations?: unknown } } } }).spec.template.spec.tolerations,
      ]),
    );
    assert.deepEqual(tolerationsByDaemonSet, { 'localmodel-a100': [GPU, A100], 'localmodel-l4': [GPU] });
  });

  it('the ConfigMap form takes a YAML mapping', () => {
    const configMap = fnConfigMap({
      nodeGroupTolerations: '{l4: [{key: pool, operator: Equal, value: l4, effect: NoSchedule}]}',
    });
    const out = runItems(items(), configMap);
    assert.deepEqual(tolerationsByNode(out), {
      'a100-1': undefined,
      'l4-1': [{ key: 'pool', operator: 'Equal', value: 'l4', effect: 'NoSchedule' }],
    });
  });

  it('a group that is not in the package is an error at its key', () => {
    const out = runItems(items(), fnConfig({ nodeGroupTolerations: { h100: [GPU] } }));
    expectResult(out, 'error', 'spec.nodeGroupTolerations.h100', 'names node group "h100"', 'known: a100, l4');
  });

  it('a toleration with a wrong operator is a schema error', () => {
    const out = runItems(items(), fnConfig({ nodeGroupTolerations: { a100: [{ key: 'pool', operator: 'In' }] } }));
    assert.equal(out.exitCode, 1);
    assert.ok(
      out.results.some((r) => r.field?.path === 'spec.nodeGroupTolerations.a100[0].operator'),
      JSON.stringify(out.results),
    );
  });

  it('spec.tolerations on a LocalModelNodeGroup is refused, pointing at nodeGroupTolerations', () => {
    const group = nodeGroup('a100', { pool: ['a100'] }) as KObject & { spec: Record<string, unknown> };
    group.spec.tolerations = [A100];
    const out = runItems([group, cache('llama', 'hf://meta/llama', ['a100']), node('a100-1', { pool: 'a100' })]);
    expectResult(out, 'error', 'spec.tolerations', 'kserve#5653', 'nodeGroupTolerations');
  });
});
