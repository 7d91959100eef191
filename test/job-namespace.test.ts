// createJobNamespace: the jobs namespace as a generated, never-pruned Namespace (opt-in).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cache, enabledKServeConfig, fnConfig, node, nodeGroup } from './support/fixtures';
import { generated, ofKind, runItems } from './support/harness';
import { validateAgainstKubernetes } from './support/kubernetes-schema';

const items = () => [nodeGroup('workers'), cache('llama', 'hf://meta/llama'), node('gpu-1'), enabledKServeConfig()];

describe('createJobNamespace', () => {
  it('off by default: no Namespace', () => {
    assert.deepEqual(ofKind(generated(runItems(items()).items), 'Namespace'), []);
  });

  it('on: the jobs namespace first among the generated objects, never pruned, enforcing Pod Security restricted', () => {
    const out = runItems(items(), fnConfig({ createJobNamespace: true }));
    assert.deepEqual(out.results, []);
    const made = generated(out.items);
    assert.equal(made[0].kind, 'Namespace');
    const ns = made[0];
    assert.equal(ns.metadata?.name, 'kserve-localmodel-jobs');
    assert.equal(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.equal(ns.metadata?.annotations?.['argocd.argoproj.io/sync-options'], 'Prune=false');
    assert.equal(ns.metadata?.annotations?.['kustomize.toolkit.fluxcd.io/prune'], 'disabled');
    assert.equal(
      ns.metadata?.annotations?.['internal.config.kubernetes.io/path'],
      'generated/_cluster/namespace_kserve-localmodel-jobs.yaml',
    );
    validateAgainstKubernetes(ns);
  });

  it('follows localModel.jobNamespace of inferenceservice-config', () => {
    const config = {
      ...enabledKServeConfig(),
      data: { localModel: '{"enabled": true, "jobNamespace": "model-downloads"}' },
    };
    const out = runItems(
      [nodeGroup('workers'), cache('llama', 'hf://meta/llama'), node('gpu-1'), config],
      fnConfig({ createJobNamespace: true }),
    );
    assert.deepEqual(
      ofKind(generated(out.items), 'Namespace').map((o) => o.metadata?.name),
      ['model-downloads'],
    );
  });

  it('a Namespace of that name already in the package is kept as written, with an info', () => {
    const written = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kserve-localmodel-jobs' } };
    const out = runItems([...items(), written], fnConfig({ createJobNamespace: true }));
    assert.deepEqual(ofKind(generated(out.items), 'Namespace'), []);
    assert.equal(out.items.filter((o) => o.kind === 'Namespace').length, 1);
    assert.match(
      out.results.map((r) => `${r.severity}: ${r.message}`).join('\n'),
      /^info: createJobNamespace: the package already has Namespace/m,
    );
  });

  it("the Namespace an earlier run generated is ours: generated again, not taken for the user's", () => {
    const once = runItems(items(), fnConfig({ createJobNamespace: true }));
    const twice = runItems(once.items, fnConfig({ createJobNamespace: true }));
    assert.deepEqual(twice.results, []);
    assert.deepEqual(
      ofKind(generated(twice.items), 'Namespace').map((o) => o.metadata?.name),
      ['kserve-localmodel-jobs'],
    );
    assert.equal(twice.items.filter((o) => o.kind === 'Namespace').length, 1);
  });
});
