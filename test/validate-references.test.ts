// References that must resolve (fn/validate/references.ts), one case per rule.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cache, fnConfig, fnConfigMap, isvc, node, nodeGroup } from './support/fixtures';
import { runItems } from './support/harness';
import { expectClean, expectResult, validPackage } from './support/results';

describe('references', () => {
  it('unknown node group: a cache naming a group that is not in the input is an error', () => {
    const out = runItems([nodeGroup('workers'), cache('llama', 's3://m/llama', ['workers', 'gpus']), node('gpu-1')]);
    expectResult(out, 'error', 'spec.nodeGroups[1]', 'node group "gpus"', 'known: workers', 'kserve#6154');
  });

  it('unknown node group: reported once, by validation, not again by the planner', () => {
    const out = runItems([cache('llama', 's3://m/llama', ['gpus']), node('gpu-1')]);
    assert.equal(out.results.filter((r) => r.message.includes('"gpus"')).length, 1);
  });

  it("a cache with a schema error gets only the schema's message: no near-miss URI warning echoes it", () => {
    const typo = cache('llama', 's3://models/llama', [], { nodeGroup: ['workers'] });
    delete (typo.spec as { nodeGroups?: string[] }).nodeGroups;
    const out = runItems([nodeGroup('workers'), typo, node('gpu-1'), isvc('chat', 'team-a', 's3://models/llama')]);
    assert.deepEqual(
      out.results.map((r) => `${r.severity}: ${r.field?.path}: ${r.message}`),
      [
        'error: spec.nodeGroup: unknown field (did you mean nodeGroups?)',
        'error: spec.nodeGroups: required field is missing',
      ],
    );
  });

  it('InferenceService annotation naming a node group its cache lacks: a warning, output still made', () => {
    const out = runItems([
      ...validPackage(),
      isvc('chat', 'team-a', 's3://models/llama', { 'serving.kserve.io/nodegroup': 'h100' }),
    ]);
    expectResult(
      out,
      'warning',
      'metadata.annotations[serving.kserve.io/nodegroup]',
      'asks for node group "h100"',
      'LocalModelCache llama',
    );
    assert.equal(out.exitCode, 0);
  });

  it('InferenceService annotation naming a node group its cache has: nothing to say, and the serving volume is made', () => {
    const out = runItems([
      ...validPackage(),
      isvc('chat', 'team-a', 's3://models/llama', { 'serving.kserve.io/nodegroup': 'workers' }),
    ]);
    expectClean(out);
    assert.ok(out.items.some((o) => o.kind === 'PersistentVolumeClaim' && o.metadata?.namespace === 'team-a'));
  });

  it('servingNamespaces naming an unknown cache is an error at the function config field', () => {
    const out = runItems(validPackage(), fnConfig({ servingNamespaces: [{ namespace: 'team-a', cache: 'mistral' }] }));
    const r = expectResult(out, 'error', 'spec.servingNamespaces[0].cache', 'LocalModelCache "mistral"');
    assert.equal(r.resourceRef?.kind, 'LocalModelFnConfig');
  });

  it('servingNamespaces asking for a node group the cache does not list is an error', () => {
    const out = runItems(
      validPackage(),
      fnConfig({ servingNamespaces: [{ namespace: 'team-a', cache: 'llama', nodeGroup: 'h100' }] }),
    );
    expectResult(out, 'error', 'spec.servingNamespaces[0].nodeGroup', 'node group "h100"', 'it lists workers');
  });

  it('servingNamespaces in the ConfigMap form is reported at data.servingNamespaces', () => {
    const fc = fnConfigMap({ servingNamespaces: '[{namespace: team-a, cache: mistral}]' });
    expectResult(runItems(validPackage(), fc), 'error', 'data.servingNamespaces[0].cache', 'LocalModelCache "mistral"');
  });
});
