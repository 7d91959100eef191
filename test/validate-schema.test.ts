// Schema checks through the whole function: each violation is an error result that names resource,
// field and file, says what was expected, and stops all output.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cache, fnConfig, fnConfigMap, node, nodeGroup } from './support/fixtures';
import { runItems } from './support/harness';
import { expectClean, expectNothingAt, expectResult, validPackage } from './support/results';

const FN = 'fn.kserve-localmodel.dev/v1alpha1';

describe('schema: our kinds against schemas/*.json', () => {
  it('a valid package has no results', () => expectClean(runItems(validPackage())));

  it('a missing required field is an error at its path', () => {
    const broken = cache('llama', 's3://models/llama') as { spec: Record<string, unknown> };
    delete broken.spec.modelSize;
    const r = expectResult(
      runItems([nodeGroup('workers'), broken, node('gpu-1')]),
      'error',
      'spec.modelSize',
      'required field is missing',
    );
    assert.deepEqual(r.resourceRef, {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LocalModelCache',
      name: 'llama',
    });
  });

  it('a number where a string is due says both', () => {
    expectResult(
      runItems([nodeGroup('workers'), cache('llama', 5 as never), node('gpu-1')]),
      'error',
      'spec.sourceModelUri',
      'expected a string',
      'the number 5',
    );
  });

  it('a string where a list is due, with the list index in later paths', () => {
    expectResult(
      runItems([nodeGroup('workers'), cache('llama', 's3://m/l', 'workers' as never), node('gpu-1')]),
      'error',
      'spec.nodeGroups',
      'expected a list',
    );
    expectResult(
      runItems([nodeGroup('workers'), cache('llama', 's3://m/l', ['workers', 7 as never]), node('gpu-1')]),
      'error',
      'spec.nodeGroups[1]',
      'expected a string',
    );
  });

  it('a list where a map is due', () => {
    const group = nodeGroup('workers') as { spec: Record<string, unknown> };
    group.spec.persistentVolumeSpec = [];
    expectResult(
      runItems([group, cache('llama', 's3://m/l'), node('gpu-1')]),
      'error',
      'spec.persistentVolumeSpec',
      'expected an object',
      'an empty list',
    );
  });

  it('minItems: a cache needs at least one node group', () => {
    expectResult(
      runItems([nodeGroup('workers'), cache('llama', 's3://m/l', []), node('gpu-1')]),
      'error',
      'spec.nodeGroups',
      'at least 1 item',
    );
  });

  it('a quantity must match the CRD pattern', () => {
    expectResult(
      runItems([nodeGroup('workers'), cache('llama', 's3://m/l', ['workers'], { modelSize: '10GB' }), node('gpu-1')]),
      'error',
      'spec.modelSize',
      'Kubernetes quantity',
      '"10GB"',
    );
  });

  it('an unknown field is an error that suggests the known one', () => {
    expectResult(
      runItems([
        nodeGroup('workers'),
        cache('llama', 's3://m/l', ['workers'], { nodeGroup: ['workers'] }),
        node('gpu-1'),
      ]),
      'error',
      'spec.nodeGroup',
      'did you mean nodeGroups?',
    );
  });

  it('a wrong apiVersion for one of our kinds', () => {
    expectResult(
      runItems([
        nodeGroup('workers'),
        { ...cache('llama', 's3://m/l'), apiVersion: 'serving.kserve.io/v1beta1' },
        node('gpu-1'),
      ]),
      'error',
      'apiVersion',
      '"serving.kserve.io/v1alpha1"',
    );
  });

  it('results carry the file and index the tools gave the object', () => {
    const broken = cache('llama', 5 as never) as { metadata: Record<string, unknown> };
    broken.metadata.annotations = {
      'internal.config.kubernetes.io/path': 'caches/llama.yaml',
      'internal.config.kubernetes.io/index': '2',
    };
    const r = expectResult(
      runItems([nodeGroup('workers'), broken, node('gpu-1')]),
      'error',
      'spec.sourceModelUri',
      'expected a string',
    );
    assert.deepEqual(r.file, { path: 'caches/llama.yaml', index: 2 });
  });
});

describe('schema: the function config, in both forms', () => {
  it('typed kind: a wrong type', () => {
    expectResult(
      runItems(validPackage(), fnConfig({ runAsServiceAccount: 'no' })),
      'error',
      'spec.runAsServiceAccount',
      'expected a boolean',
    );
  });

  it('typed kind as an item (render mode) is checked too', () => {
    const fc = { apiVersion: FN, kind: 'LocalModelFnConfig', metadata: { name: 'fn' }, spec: { outputDir: '../out' } };
    expectResult(runItems([...validPackage(), fc]), 'error', 'spec.outputDir', 'a directory inside the package');
  });

  it('ConfigMap form: strings are decoded, then checked by the same schema, reported at data.<key>', () => {
    const fc = fnConfigMap({ jobTTLSecondsAfterFinished: '-5', nodes: '[{name: gpu-1, labels: {gpu: 4}}]' });
    const out = runItems(validPackage(), fc);
    expectResult(out, 'error', 'data.jobTTLSecondsAfterFinished', 'expected a number >= 0');
    expectResult(out, 'error', 'data.nodes[0].labels.gpu', 'expected a string');
  });

  it('ConfigMap form: an unknown key suggests the known one', () => {
    expectResult(
      runItems(validPackage(), fnConfigMap({ outputdir: 'out' })),
      'error',
      'data.outputdir',
      'did you mean outputDir?',
    );
  });

  it('ConfigMap form: text that is not YAML is reported once, where it is read', () => {
    const out = runItems(validPackage(), fnConfigMap({ nodes: '[unclosed' }));
    assert.equal(out.results.filter((r) => r.field?.path === 'data.nodes').length, 1);
  });

  it('any other kind of function config is an error', () => {
    const fc = { apiVersion: 'example.com/v1', kind: 'Settings', metadata: { name: 'fn' }, spec: {} };
    expectResult(runItems(validPackage(), fc), 'error', 'kind', 'must be a ConfigMap or a LocalModelFnConfig');
  });
});

describe('schema: the shape every other resource needs', () => {
  const other = (fields: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings' },
    ...fields,
  });
  it('apiVersion must be a string', () => {
    expectResult(runItems([...validPackage(), other({ apiVersion: 1 })]), 'error', 'apiVersion', 'the number 1');
  });
  it('kind must be a string', () => {
    expectResult(runItems([...validPackage(), other({ kind: ['ConfigMap'] })]), 'error', 'kind', 'a list of 1 item');
  });
  it('metadata must be a map', () => {
    expectResult(
      runItems([...validPackage(), other({ metadata: 'settings' })]),
      'error',
      'metadata',
      'expected an object',
    );
  });
  it('metadata.name is required', () => {
    expectResult(
      runItems([...validPackage(), other({ metadata: { namespace: 'a' } })]),
      'error',
      'metadata.name',
      'required field is missing',
    );
  });
  it('label values must be strings, with the quoted form to use', () => {
    expectResult(
      runItems([...validPackage(), other({ metadata: { name: 's', labels: { enabled: true } } })]),
      'error',
      'metadata.labels.enabled',
      'the boolean true',
      'quote it: "true"',
    );
  });
  it('annotations must be a map of strings', () => {
    expectResult(
      runItems([...validPackage(), other({ metadata: { name: 's', annotations: ['a'] } })]),
      'error',
      'metadata.annotations',
      'map of string to string',
    );
  });
  it('local-config objects (a Kustomization) may go without metadata', () => {
    const out = runItems([
      ...validPackage(),
      { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['a.yaml'] },
    ]);
    expectNothingAt(out, 'metadata');
    assert.equal(out.exitCode, 0);
  });
});
