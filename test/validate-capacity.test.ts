// Sizes KServe never checks (fn/validate/capacity.ts, kserve#6137), one case per rule.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cache, enabledKServeConfig, fnConfig, node, nodeGroup } from './support/fixtures';
import { runItems } from './support/harness';
import { expectClean, expectCleanButSharedFolder, expectResult } from './support/results';

const sized = (name: string, uri: string, modelSize: unknown) => cache(name, uri, ['workers'], { modelSize });

describe('capacity', () => {
  it('caches that together overflow the storageLimit are an error on the node group', () => {
    const out = runItems([
      nodeGroup('workers'),
      sized('a', 's3://m/a', '60Gi'),
      sized('b', 's3://m/b', '50Gi'),
      node('gpu-1'),
    ]);
    expectResult(
      out,
      'error',
      'spec.storageLimit',
      'holds 110Gi',
      'LocalModelCache a 60Gi',
      'LocalModelCache b 50Gi',
      'storageLimit of 100Gi',
    );
  });

  it('exactly filling the storageLimit is fine', () => {
    expectClean(
      runItems([
        nodeGroup('workers'),
        sized('a', 's3://m/a', '60Gi'),
        sized('b', 's3://m/b', '40Gi'),
        node('gpu-1'),
        enabledKServeConfig(),
      ]),
    );
  });

  it('caches of one model share one folder and count once, at the larger size', () => {
    const group = nodeGroup('workers', undefined, '60Gi');
    const caches = [
      sized('a', 's3://m/a', '50Gi'),
      {
        ...sized('b', 's3://m/a', '55Gi'),
        kind: 'LocalModelNamespaceCache',
        metadata: { name: 'b', namespace: 'team' },
      },
    ];
    expectCleanButSharedFolder(runItems([group, ...caches, node('gpu-1'), enabledKServeConfig()]), 'b');
  });

  it('a modelSize above the volume capacity is an error on the cache', () => {
    const out = runItems([nodeGroup('workers'), sized('big', 's3://m/big', '101Gi'), node('gpu-1')]);
    expectResult(out, 'error', 'spec.modelSize', 'is 101Gi', 'larger than the 100Gi volume of node group "workers"');
  });

  it('a modelSize Kubernetes cannot parse (a fractional exponent) is an error', () => {
    expectResult(
      runItems([nodeGroup('workers'), sized('a', 's3://m/a', '1e2.5'), node('gpu-1')]),
      'error',
      'spec.modelSize',
      'not a size Kubernetes can hold',
    );
  });

  it('a huge modelSize is an error, not a crash or an overflow', () => {
    expectResult(
      runItems([nodeGroup('workers'), sized('a', 's3://m/a', '99999999999Ei'), node('gpu-1')]),
      'error',
      'spec.modelSize',
      'not a size Kubernetes can hold',
    );
  });

  it('a zero or negative modelSize is an error', () => {
    expectResult(
      runItems([nodeGroup('workers'), sized('a', 's3://m/a', '0'), node('gpu-1')]),
      'error',
      'spec.modelSize',
      'must be positive',
    );
    expectResult(
      runItems([nodeGroup('workers'), sized('a', 's3://m/a', '-1Gi'), node('gpu-1')]),
      'error',
      'spec.modelSize',
      'must be positive',
    );
  });

  it('a modelSize written as a YAML integer counts bytes', () => {
    const out = runItems([nodeGroup('workers', undefined, '1Ki'), sized('a', 's3://m/a', 2048), node('gpu-1')]);
    expectResult(out, 'error', 'spec.modelSize', 'larger than the 1Ki volume');
  });

  it('a volume without capacity is an error', () => {
    const group = nodeGroup('workers') as { spec: { persistentVolumeSpec: Record<string, unknown> } };
    delete group.spec.persistentVolumeSpec.capacity;
    expectResult(
      runItems([group, sized('a', 's3://m/a', '1Gi'), node('gpu-1')]),
      'error',
      'spec.persistentVolumeSpec.capacity.storage',
      'is missing',
    );
  });

  it('a claim without a storage request is an error', () => {
    const group = nodeGroup('workers') as { spec: { persistentVolumeClaimSpec: Record<string, unknown> } };
    delete group.spec.persistentVolumeClaimSpec.resources;
    expectResult(
      runItems([group, sized('a', 's3://m/a', '1Gi'), node('gpu-1')]),
      'error',
      'spec.persistentVolumeClaimSpec.resources.requests.storage',
      'is missing',
    );
  });

  it('a claim asking for more than the volume holds is an error: it never binds', () => {
    const group = nodeGroup('workers') as {
      spec: { persistentVolumeClaimSpec: { resources: { requests: Record<string, unknown> } } };
    };
    group.spec.persistentVolumeClaimSpec.resources.requests.storage = '200Gi';
    expectResult(
      runItems([group, sized('a', 's3://m/a', '1Gi'), node('gpu-1')]),
      'error',
      'spec.persistentVolumeClaimSpec.resources.requests.storage',
      'asks for 200Gi',
      '100Gi capacity',
    );
  });

  it('a zero storageLimit is an error', () => {
    const group = nodeGroup('workers') as { spec: Record<string, unknown> };
    group.spec.storageLimit = '0Gi';
    const out = runItems([group, sized('a', 's3://m/a', '1Gi'), node('gpu-1')]);
    expectResult(out, 'error', 'spec.storageLimit', 'must be positive');
    assert.equal(out.results.length, 1, 'no sum is compared against a limit that is not a size');
  });

  describe('groups on one host folder share its disk on a node in both', () => {
    const groups = [nodeGroup('a100', { a100: ['true'] }), nodeGroup('h100', { h100: ['true'] })];
    const models = [
      cache('llama', 's3://m/llama', ['a100'], { modelSize: '60Gi' }),
      cache('qwen', 's3://m/qwen', ['h100'], { modelSize: '60Gi' }),
    ];
    const both = node('gpu-1', { a100: 'true', h100: 'true' });

    it('jobs mode: an error that names the node in both, and the limit it overflows', () => {
      const out = runItems([enabledKServeConfig(), ...groups, ...models, both, node('gpu-2', { a100: 'true' })]);
      assert.deepEqual(
        out.results
          .filter((r) => r.severity === 'error')
          .map((r) => `${r.resourceRef?.name} ${r.field?.path}: ${r.message}`),
        [
          'a100 spec.storageLimit: node groups "a100" and "h100" share one host folder, and node gpu-1 is in all of them: the folder holds 120Gi of models there, over the smallest storageLimit, 100Gi. Give the groups different host folders, raise the storageLimits, or move caches',
        ],
      );
    });

    it('jobs mode: no node in both groups, nothing to say', () => {
      const out = runItems([
        enabledKServeConfig(),
        ...groups,
        ...models,
        node('gpu-2', { a100: 'true' }),
        node('gpu-3', { h100: 'true' }),
      ]);
      assert.equal(out.results.filter((r) => r.message.includes('share one host folder')).length, 0);
    });

    it('daemonset mode, where any node may be in both: a warning', () => {
      const out = runItems([enabledKServeConfig(), ...groups, ...models], fnConfig({ downloadMode: 'daemonset' }));
      const shared = out.results.filter((r) => r.message.includes('share one host folder'));
      assert.deepEqual(
        shared.map((r) => `${r.severity}: ${r.message}`),
        [
          'warning: node groups "a100" and "h100" share one host folder: a node in more than one of them would hold 120Gi of models there, over the smallest storageLimit, 100Gi. Give the groups different host folders, raise the storageLimits, or move caches',
        ],
      );
    });
  });
});
