// Things that exist twice (fn/validate/duplicates.ts), one case per rule.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cache, enabledKServeConfig, namespacedCache, node, nodeGroup } from './support/fixtures';
import { runItems } from './support/harness';
import { expectCleanButSharedFolder, expectResult } from './support/results';

describe('duplicates', () => {
  it('two resources with one group, kind, namespace and name are an error naming both files', () => {
    const at = (path: string) => ({
      'internal.config.kubernetes.io/path': path,
      'internal.config.kubernetes.io/index': '0',
    });
    const first = { ...cache('llama', 's3://m/llama'), metadata: { name: 'llama', annotations: at('a.yaml') } };
    const second = { ...cache('llama', 's3://m/llama-2'), metadata: { name: 'llama', annotations: at('b.yaml') } };
    const out = runItems([nodeGroup('workers'), first, second, node('gpu-1')]);
    expectResult(out, 'error', 'metadata.name', 'LocalModelCache llama appears twice', '(a.yaml)', '(b.yaml)');
  });

  it('the same name in two namespaces is not a duplicate', () => {
    const out = runItems([
      nodeGroup('workers'),
      namespacedCache('llama', 'team-a', 's3://m/llama'),
      namespacedCache('llama', 'team-b', 's3://m/llama'),
      node('gpu-1'),
      enabledKServeConfig(),
    ]);
    expectCleanButSharedFolder(out, 'llama');
  });

  it("two cluster caches with the same sourceModelUri are an error (KServe's webhook refuses the second)", () => {
    const out = runItems([nodeGroup('workers'), cache('a', 's3://m/llama'), cache('b', 's3://m/llama'), node('gpu-1')]);
    const r = expectResult(out, 'error', 'spec.sourceModelUri', 'LocalModelCache a already caches s3://m/llama');
    assert.equal(r.resourceRef?.name, 'b');
  });

  it('namespaced caches may share a URI (KServe allows it; one Job downloads it)', () => {
    expectCleanButSharedFolder(
      runItems([
        nodeGroup('workers'),
        cache('a', 's3://m/llama'),
        namespacedCache('b', 'team', 's3://m/llama'),
        node('gpu-1'),
        enabledKServeConfig(),
      ]),
      'b',
    );
  });

  it('two cluster caches whose URIs differ only by a trailing slash are a warning', () => {
    const out = runItems([
      nodeGroup('workers', undefined, '100Gi'),
      cache('a', 's3://m/llama'),
      cache('b', 's3://m/llama/'),
      node('gpu-1'),
    ]);
    expectResult(out, 'warning', 'spec.sourceModelUri', 'differ only by a trailing "/"', 'downloads the model twice');
    assert.equal(out.exitCode, 0);
  });

  it('a node group listed twice by one cache is a warning on the second entry', () => {
    const out = runItems([nodeGroup('workers'), cache('a', 's3://m/llama', ['workers', 'workers']), node('gpu-1')]);
    expectResult(out, 'warning', 'spec.nodeGroups[1]', 'listed twice');
  });
});
