// Where the function config comes from, and what wins: a command-line ConfigMap (`kpt fn eval -- k=v`)
// replaces the package's LocalModelFnConfig, so the function says so.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cache, enabledKServeConfig, fnConfigMap, node, nodeGroup } from './support/fixtures';
import { generated, ofKind, runItems } from './support/harness';

const packageConfig = {
  apiVersion: 'fn.kserve-localmodel.dev/v1alpha1',
  kind: 'LocalModelFnConfig',
  metadata: { name: 'kserve-localmodel-fn', annotations: { 'config.kubernetes.io/local-config': 'true' } },
  spec: { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] },
};
const commandLine = fnConfigMap({ jobTTLSecondsAfterFinished: '600' });
const items = [nodeGroup('workers'), cache('llama', 'hf://meta/llama'), node('gpu-1'), enabledKServeConfig()];

describe('function config from the command line', () => {
  it('a ConfigMap beside a package LocalModelFnConfig: a warning on the package config, which is not applied', () => {
    const out = runItems([...items, packageConfig], commandLine);
    assert.equal(out.exitCode, 0);
    const warning = out.results.find((r) => r.message.includes('replaces this LocalModelFnConfig'));
    assert.equal(warning?.severity, 'warning');
    assert.equal(warning?.resourceRef?.kind, 'LocalModelFnConfig');
    const job = ofKind(generated(out.items), 'Job')[0] as { spec: Record<string, unknown> };
    assert.equal(job.spec.ttlSecondsAfterFinished, 600);
    assert.equal((job.spec.template as { spec: Record<string, unknown> }).spec.tolerations, undefined);
  });

  it('the package config given as the function config (kpt --fn-config, configPath): no warning', () => {
    const out = runItems([...items, packageConfig], packageConfig);
    assert.deepEqual(out.results, []);
  });

  it('a ConfigMap and no package config: no warning', () => {
    const out = runItems(items, commandLine);
    assert.deepEqual(out.results, []);
  });
});
