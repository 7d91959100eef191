// What KServe's code does where the function meets it at run time, one case per rule, through the
// function as the binary runs it (docs/kserve-rules.md, "KServe fidelity").

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../fn/krm/objects';
import { cache, enabledKServeConfig, isvc, JOBS_NS, node, nodeGroup } from './support/fixtures';
import type { Output } from './support/harness';
import { generated, ofKind, runItems } from './support/harness';

const configMap = (data: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'inferenceservice-config', namespace: 'kserve' },
  data,
});
const ENABLED = enabledKServeConfig() as KObject;
const base = (): KObject[] => [nodeGroup('workers'), node('gpu-1'), cache('llama', 'hf://meta/llama')] as KObject[];

const messages = (out: Output, severity: string): string[] =>
  out.results.filter((r) => r.severity === severity).map((r) => r.message);
const servingClaims = (out: Output): string[] =>
  ofKind(generated(out.items), 'PersistentVolumeClaim')
    .filter((o) => o.metadata?.namespace !== JOBS_NS)
    .map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);

describe('localModel.enabled: missing is false, as in KServe', () => {
  const enabledWarning = /labels no InferenceService, so none will use these caches.*"enabled": true/;
  it('no inferenceservice-config: a warning with the snippet to set', () => {
    const out = runItems(base());
    assert.equal(out.exitCode, 0);
    assert.match(messages(out, 'warning').join('\n'), /no ConfigMap kserve\/inferenceservice-config/);
    assert.match(messages(out, 'warning').join('\n'), enabledWarning);
  });
  for (const [label, localModel] of [
    ['missing key', '{"jobNamespace": "kserve-localmodel-jobs"}'],
    ['false', '{"enabled": false}'],
  ]) {
    it(`enabled ${label}: a warning on the ConfigMap`, () => {
      const out = runItems([...base(), configMap({ localModel })]);
      const result = out.results.find((r) => enabledWarning.test(r.message));
      assert.equal(result?.severity, 'warning');
      assert.equal(result?.field?.path, 'data.localModel');
      assert.equal(result?.resourceRef?.name, 'inferenceservice-config');
    });
  }
  it('enabled true: no warning', () => {
    const out = runItems([...base(), ENABLED]);
    assert.doesNotMatch(messages(out, 'warning').join('\n'), enabledWarning);
  });
  it('no cache: nothing to say', () => {
    const out = runItems([nodeGroup('workers')]);
    assert.doesNotMatch(out.results.map((r) => r.message).join('\n'), enabledWarning);
  });
});

describe('InferenceService matching as KServe’s webhook reads it', () => {
  it('serving.kserve.io/nodegroup: "" names no group: no cache, no serving volumes, and a warning', () => {
    const out = runItems([
      ...base(),
      ENABLED,
      isvc('chat', 'team-a', 'hf://meta/llama', { 'serving.kserve.io/nodegroup': '' }),
    ]);
    assert.deepEqual(servingClaims(out), []);
    assert.match(messages(out, 'warning').join('\n'), /empty serving\.kserve\.io\/nodegroup annotation/);
  });

  it('a custom kserve-container with env STORAGE_URI uses the cache', () => {
    const custom = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'custom', namespace: 'team-a' },
      spec: {
        predictor: {
          containers: [
            { name: 'sidecar', image: 'busybox', env: [{ name: 'STORAGE_URI', value: 'hf://other/model' }] },
            { name: 'kserve-container', image: 'vllm', env: [{ name: 'STORAGE_URI', value: 'hf://meta/llama' }] },
          ],
        },
      },
    };
    assert.deepEqual(servingClaims(runItems([...base(), ENABLED, custom])), ['team-a/llama-workers']);
  });

  it('STORAGE_URI on a container with another name is not read (KServe reads kserve-container only)', () => {
    const custom = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'custom', namespace: 'team-a' },
      spec: { predictor: { containers: [{ name: 'main', env: [{ name: 'STORAGE_URI', value: 'hf://meta/llama' }] }] } },
    };
    assert.deepEqual(servingClaims(runItems([...base(), ENABLED, custom])), []);
  });
});

describe('URIs only KServe master downloads', () => {
  for (const uri of ['oci://registry.example.com/models/llama:v1', 'modelscope://qwen/qwen2']) {
    it(`${uri.split(':')[0]}:// is a warning that names the version`, () => {
      const out = runItems([nodeGroup('workers'), node('gpu-1'), cache('m', uri), ENABLED]);
      assert.equal(out.exitCode, 0);
      assert.match(
        messages(out, 'warning').join('\n'),
        /only by KServe's storage initializer built from master after v0\.20\.0/,
      );
    });
  }
  it('hf:// is not', () =>
    assert.doesNotMatch(messages(runItems([...base(), ENABLED]), 'warning').join('\n'), /master after v0\.20\.0/));
});

describe('inferenceservice-config values KServe reads differently', () => {
  it('localModel.defaultJobImage is not the download image (KServe never uses it): an info says so', () => {
    const out = runItems([...base(), configMap({ localModel: '{"enabled": true, "defaultJobImage": "my/si:v1"}' })]);
    const job = ofKind(generated(out.items), 'Job')[0] as {
      spec: { template: { spec: { initContainers: { name: string; image: string }[] } } };
    };
    const download = job.spec.template.spec.initContainers.find((c) => c.name === 'kserve-localmodel-download');
    assert.equal(download?.image, 'kserve/storage-initializer:latest');
    assert.match(messages(out, 'info').join('\n'), /defaultJobImage \(my\/si:v1\) is not used/);
  });

  it('no inferenceservice-config: an info that the download container has no resources', () => {
    const out = runItems(base());
    assert.match(messages(out, 'info').join('\n'), /no cpu or memory requests or limits, so a ResourceQuota/);
    const withConfig = runItems([...base(), ENABLED]);
    assert.doesNotMatch(messages(withConfig, 'info').join('\n'), /ResourceQuota/);
  });
});
