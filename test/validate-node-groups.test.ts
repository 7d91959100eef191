// Node groups as Kubernetes and KServe meet them (fn/validate/node-groups.ts), one case per rule.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cache, enabledKServeConfig, node, nodeGroup } from './support/fixtures';
import { generated, runItems } from './support/harness';
import { expectResult } from './support/results';

type Group = {
  spec: { persistentVolumeSpec: Record<string, unknown>; persistentVolumeClaimSpec: Record<string, unknown> };
};
const withGroup = (change: (g: Group) => void, extra: unknown[] = [node('gpu-1')]) => {
  const group = nodeGroup('workers') as unknown as Group;
  change(group);
  return runItems([group, cache('llama', 's3://m/llama'), ...extra]);
};

describe('node groups', () => {
  it('no required node affinity is an error: KServe places the models on no node', () => {
    const out = withGroup((g) => delete g.spec.persistentVolumeSpec.nodeAffinity);
    expectResult(
      out,
      'error',
      'spec.persistentVolumeSpec.nodeAffinity.required.nodeSelectorTerms',
      'is missing',
      'no model on any node',
    );
  });

  it('only empty node selector terms is an error: an empty term selects no node', () => {
    const out = withGroup(
      (g) => (g.spec.persistentVolumeSpec.nodeAffinity = { required: { nodeSelectorTerms: [{}] } }),
    );
    expectResult(out, 'error', 'spec.persistentVolumeSpec.nodeAffinity.required.nodeSelectorTerms', 'only empty terms');
  });

  it('a group that matches no node of the inventory is a warning, and gets no Job', () => {
    const out = withGroup(() => undefined, [node('cpu-1', { 'node-type': 'cpu' })]);
    expectResult(out, 'warning', 'spec.persistentVolumeSpec.nodeAffinity', 'matches none of the 1 nodes', 'cpu-1');
    assert.equal(out.exitCode, 0);
    assert.equal(generated(out.items).filter((o) => o.kind === 'Job').length, 0);
  });

  it('no node inventory at all is a warning that says how to add one', () => {
    const out = withGroup(() => undefined, []);
    expectResult(out, 'warning', 'spec.persistentVolumeSpec.nodeAffinity', 'no node inventory', 'local-config');
  });

  it('a group no cache uses is not checked against the inventory', () => {
    const out = runItems([
      nodeGroup('workers'),
      nodeGroup('spare', { 'node-type': ['tpu'] }),
      cache('llama', 's3://m/llama'),
      node('gpu-1'),
      enabledKServeConfig(),
    ]);
    assert.deepEqual(out.results, []);
  });

  it('a PersistentVolume spec without a volume source is an error', () => {
    const out = withGroup((g) => delete g.spec.persistentVolumeSpec.local);
    expectResult(out, 'error', 'spec.persistentVolumeSpec', 'no volume source');
  });

  it('a PersistentVolume spec with two volume sources is an error', () => {
    const out = withGroup((g) => (g.spec.persistentVolumeSpec.hostPath = { path: '/models' }));
    expectResult(out, 'error', 'spec.persistentVolumeSpec', '2 volume sources', 'hostPath, local');
  });

  it('a PersistentVolume spec without access modes is an error', () => {
    const out = withGroup((g) => delete g.spec.persistentVolumeSpec.accessModes);
    expectResult(out, 'error', 'spec.persistentVolumeSpec.accessModes', 'is missing');
  });

  it('a claim asking for an access mode the volume lacks is an error: it never binds', () => {
    const out = withGroup((g) => (g.spec.persistentVolumeClaimSpec.accessModes = ['ReadWriteMany']));
    expectResult(out, 'error', 'spec.persistentVolumeClaimSpec.accessModes', 'ReadWriteMany', 'never bind');
  });

  it('claim and volume of different storage classes is an error: the claim stays Pending', () => {
    const out = withGroup((g) => (g.spec.persistentVolumeClaimSpec.storageClassName = 'fast'));
    expectResult(out, 'error', 'spec.persistentVolumeClaimSpec.storageClassName', '"fast"', '"local-storage"');
  });

  it('a claim without a storage class, on a volume with one, is a warning: the default class is filled in', () => {
    const out = withGroup((g) => delete g.spec.persistentVolumeClaimSpec.storageClassName);
    expectResult(out, 'warning', 'spec.persistentVolumeClaimSpec.storageClassName', 'default StorageClass');
    assert.equal(out.exitCode, 0);
  });
});
