// The schemas of our kinds (schemas/*.json) and the messages of their violations, object by object,
// through the compiled validators (`npm test` compiles them first) and schemaViolations(). The same
// checks through the whole function are in validate-schema.test.ts.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { schemaViolations } from '../fn/validate/schema-errors';
import { validators } from '../fn/validate/schemas.generated';
import { cache, fnConfig, nodeGroup } from './support/fixtures';

const KSERVE = 'serving.kserve.io/v1alpha1';
const FN = 'fn.kserve-localmodel.dev/v1alpha1';

interface SchemaNode {
  description?: string;
  pattern?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
}

function readSchema(file: string): SchemaNode {
  return JSON.parse(readFileSync(join(__dirname, '..', 'schemas', file), 'utf8'));
}

/** A valid LocalModelCache (or LocalModelNamespaceCache) with some spec fields set. */
function cacheWith(spec: Record<string, unknown>, kind = 'LocalModelCache') {
  const valid = cache('llama3-8b', 's3://mybucket/mymodel');
  return { ...valid, kind, spec: { ...valid.spec, ...spec } };
}

// The credential examples of docs/credentials.md.
const readmeExamples: Array<[string, Record<string, unknown>]> = [
  [
    'method 1: serviceAccountName',
    cache('llama3-8b', 'hf://meta-llama/Meta-Llama-3-8B', ['workers'], { serviceAccountName: 'hf-downloader' }),
  ],
  [
    'method 2: storage key',
    cache('llama3-8b', 'hf://meta-llama/Meta-Llama-3-8B', ['workers'], { storage: { key: 'hf-credentials' } }),
  ],
  [
    'method 3: inline parameters',
    cache('s3-model', 's3://mybucket/mymodel', ['workers'], {
      storage: { key: 'my-s3-key', parameters: { type: 's3', region: 'us-west-2' } },
    }),
  ],
  [
    'complete setup: cache',
    cache('meta-llama3-8b-instruct', 'hf://meta-llama/meta-llama-3-8b-instruct', ['workers'], {
      serviceAccountName: 'hf-downloader',
    }),
  ],
];

// biome-ignore lint/suspicious/noExplicitAny: the patches write invalid shapes on purpose
function nodeGroupWith(patch: (spec: any) => void): Record<string, unknown> {
  const group = nodeGroup('workers');
  patch(group.spec);
  return group;
}

const hfStorageContainer = {
  apiVersion: KSERVE,
  kind: 'ClusterStorageContainer',
  metadata: { name: 'hf-hub' },
  spec: {
    container: {
      name: 'storage-initializer',
      image: 'kserve/storage-initializer:latest',
      env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-secret', key: 'HF_TOKEN', optional: false } } }],
      resources: { requests: { memory: '100Mi', cpu: '100m' }, limits: { memory: '1Gi', cpu: 1 } },
    },
    supportedUriFormats: [{ prefix: 'hf://' }, { regex: '^https://huggingface\\.co/' }],
    workloadType: 'localModelDownloadJob',
  },
};

describe('valid objects pass', () => {
  for (const [name, obj] of readmeExamples) {
    it(`README LocalModelCache, ${name}`, () => {
      assert.deepEqual(schemaViolations('LocalModelCache', obj), []);
    });
  }

  it('README LocalModelNodeGroup', () => {
    assert.deepEqual(schemaViolations('LocalModelNodeGroup', nodeGroup('workers')), []);
  });

  it('LocalModelNamespaceCache with a namespace', () => {
    const obj = { ...cacheWith({}, 'LocalModelNamespaceCache'), metadata: { name: 'm', namespace: 'team-a' } };
    assert.deepEqual(schemaViolations('LocalModelNamespaceCache', obj), []);
  });

  it('ClusterStorageContainer for download jobs', () => {
    assert.deepEqual(schemaViolations('ClusterStorageContainer', hfStorageContainer), []);
  });

  it('function config with every field', () => {
    const obj = fnConfig({
      outputDir: 'manifests/generated',
      jobTTLSecondsAfterFinished: 0,
      runAsServiceAccount: false,
      servingNamespaces: [
        { namespace: 'team-a', cache: 'llama3-8b', nodeGroup: 'workers' },
        { namespace: 'team-b', cache: 'llama3-8b' },
      ],
      nodes: [{ name: 'gpu-node-1', labels: { 'node-type': 'gpu', 'kubernetes.io/hostname': 'gpu-node-1' } }],
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoExecute', tolerationSeconds: 3600 },
      ],
    });
    assert.deepEqual(schemaViolations('LocalModelFnConfig', obj), []);
  });

  it('function config without spec', () => {
    const obj = { apiVersion: FN, kind: 'LocalModelFnConfig', metadata: { name: 'localmodel' } };
    assert.deepEqual(schemaViolations('LocalModelFnConfig', obj), []);
  });

  it('status written by the cluster is accepted', () => {
    const obj = { ...cacheWith({}), status: { copies: { total: 1, available: 1 } } };
    assert.deepEqual(schemaViolations('LocalModelCache', obj), []);
  });

  it('PersistentVolumeSpec fields not described in the schema are accepted', () => {
    const obj = nodeGroupWith((spec) => {
      delete spec.persistentVolumeSpec.local;
      spec.persistentVolumeSpec.csi = { driver: 'local.csi.example.com', volumeHandle: 'models' };
      spec.persistentVolumeClaimSpec.dataSource = { kind: 'VolumeSnapshot', name: 'warm' };
    });
    assert.deepEqual(schemaViolations('LocalModelNodeGroup', obj), []);
  });
});

describe('every generated validator', () => {
  it('exists per kind and reports validity as a boolean', () => {
    assert.deepEqual(Object.keys(validators).sort(), [
      'ClusterStorageContainer',
      'LocalModelCache',
      'LocalModelFnConfig',
      'LocalModelNamespaceCache',
      'LocalModelNodeGroup',
    ]);
    assert.equal(validators.LocalModelCache(cacheWith({})), true);
    assert.equal(validators.LocalModelCache({}), false);
  });
});

describe('missing required field', () => {
  it('spec.sourceModelUri', () => {
    const obj = cacheWith({});
    delete (obj.spec as Record<string, unknown>).sourceModelUri;
    assert.deepEqual(schemaViolations('LocalModelCache', obj), [
      { path: 'spec.sourceModelUri', message: 'required field is missing' },
    ]);
  });

  it('metadata.name and spec', () => {
    assert.deepEqual(
      schemaViolations('LocalModelCache', { apiVersion: KSERVE, kind: 'LocalModelCache', metadata: {} }),
      [
        { path: 'metadata.name', message: 'required field is missing' },
        { path: 'spec', message: 'required field is missing' },
      ],
    );
  });

  it('every required field of a node group spec', () => {
    const obj = { apiVersion: KSERVE, kind: 'LocalModelNodeGroup', metadata: { name: 'workers' }, spec: {} };
    assert.deepEqual(schemaViolations('LocalModelNodeGroup', obj), [
      { path: 'spec.persistentVolumeClaimSpec', message: 'required field is missing' },
      { path: 'spec.persistentVolumeSpec', message: 'required field is missing' },
      { path: 'spec.storageLimit', message: 'required field is missing' },
    ]);
  });

  it('local.path and nodeSelectorTerms of the PersistentVolumeSpec', () => {
    const obj = nodeGroupWith((spec) => {
      spec.persistentVolumeSpec.local = {};
      spec.persistentVolumeSpec.nodeAffinity.required = {};
    });
    assert.deepEqual(schemaViolations('LocalModelNodeGroup', obj), [
      { path: 'spec.persistentVolumeSpec.local.path', message: 'required field is missing' },
      {
        path: 'spec.persistentVolumeSpec.nodeAffinity.required.nodeSelectorTerms',
        message: 'required field is missing',
      },
    ]);
  });

  it('servingNamespaces entry without cache', () => {
    assert.deepEqual(
      schemaViolations('LocalModelFnConfig', fnConfig({ servingNamespaces: [{ namespace: 'team-a' }] })),
      [{ path: 'spec.servingNamespaces[0].cache', message: 'required field is missing' }],
    );
  });
});

describe('bad quantity', () => {
  it('modelSize that is not a quantity', () => {
    assert.deepEqual(schemaViolations('LocalModelCache', cacheWith({ modelSize: 'ten gigs' })), [
      { path: 'spec.modelSize', message: 'expected a Kubernetes quantity such as "10Gi", got "ten gigs"' },
    ]);
  });

  it('quantity of the wrong type', () => {
    assert.deepEqual(schemaViolations('LocalModelCache', cacheWith({ modelSize: 1.5 })), [
      { path: 'spec.modelSize', message: 'expected a Kubernetes quantity such as "10Gi", got the number 1.5' },
    ]);
  });

  it('storageLimit and PersistentVolume capacity', () => {
    const obj = nodeGroupWith((spec) => {
      spec.storageLimit = '100GB';
      spec.persistentVolumeSpec.capacity.storage = '100 Gi';
      spec.persistentVolumeClaimSpec.resources.requests.storage = true;
    });
    assert.deepEqual(schemaViolations('LocalModelNodeGroup', obj), [
      {
        path: 'spec.persistentVolumeClaimSpec.resources.requests.storage',
        message: 'expected a Kubernetes quantity such as "10Gi", got the boolean true',
      },
      {
        path: 'spec.persistentVolumeSpec.capacity.storage',
        message: 'expected a Kubernetes quantity such as "10Gi", got "100 Gi"',
      },
      { path: 'spec.storageLimit', message: 'expected a Kubernetes quantity such as "10Gi", got "100GB"' },
    ]);
  });

  it('integers and every quantity suffix are accepted', () => {
    for (const modelSize of [10737418240, '10Gi', '500M', '1.5e9', '.5Ki', '100m', '+1', '2E', '1Ei']) {
      assert.deepEqual(schemaViolations('LocalModelCache', cacheWith({ modelSize })), [], String(modelSize));
    }
  });

  it('near misses are rejected', () => {
    for (const modelSize of ['10gi', '10GB', '10 Gi', 'Gi', '', '1.5Gi.', '0x10']) {
      assert.equal(schemaViolations('LocalModelCache', cacheWith({ modelSize })).length, 1, modelSize);
    }
  });
});

describe('empty nodeGroups', () => {
  it('an empty list', () => {
    assert.deepEqual(schemaViolations('LocalModelCache', cacheWith({ nodeGroups: [] })), [
      { path: 'spec.nodeGroups', message: 'expected at least 1 item, got an empty list' },
    ]);
  });

  it('an empty name in the list', () => {
    assert.deepEqual(schemaViolations('LocalModelCache', cacheWith({ nodeGroups: ['workers', ''] })), [
      { path: 'spec.nodeGroups[1]', message: 'must not be empty' },
    ]);
  });

  it('a single name instead of a list', () => {
    assert.deepEqual(schemaViolations('LocalModelCache', cacheWith({ nodeGroups: 'workers' })), [
      { path: 'spec.nodeGroups', message: 'expected a list, got "workers"' },
    ]);
  });
});

describe('wrong type', () => {
  it('number for a string', () => {
    assert.deepEqual(schemaViolations('LocalModelCache', cacheWith({ serviceAccountName: 42 })), [
      { path: 'spec.serviceAccountName', message: 'expected a string, got the number 42' },
    ]);
  });

  it('list for a map', () => {
    const spec = { storage: { key: 'my-s3-key', parameters: ['region=us-west-2'] } };
    assert.deepEqual(schemaViolations('LocalModelCache', cacheWith(spec)), [
      { path: 'spec.storage.parameters', message: 'expected a map of string to string, got a list of 1 item' },
    ]);
  });

  it('number as a map value', () => {
    const spec = { storage: { parameters: { type: 's3', region: 5 } } };
    assert.deepEqual(schemaViolations('LocalModelCache', cacheWith(spec)), [
      { path: 'spec.storage.parameters.region', message: 'expected a string, got the number 5' },
    ]);
  });

  it('YAML 1.1 boolean as a label value, under a key with dots and slashes', () => {
    const obj = { ...cacheWith({}), metadata: { name: 'm', labels: { 'app.kubernetes.io/managed': true } } };
    assert.deepEqual(schemaViolations('LocalModelCache', obj), [
      { path: 'metadata.labels[app.kubernetes.io/managed]', message: 'expected a string, got the boolean true' },
    ]);
  });

  it('object that is not an object', () => {
    assert.deepEqual(schemaViolations('LocalModelCache', null), [
      { path: '', message: 'expected an object, got null' },
    ]);
  });

  it('non-integer jobTTLSecondsAfterFinished', () => {
    assert.deepEqual(schemaViolations('LocalModelFnConfig', fnConfig({ jobTTLSecondsAfterFinished: '1h' })), [
      { path: 'spec.jobTTLSecondsAfterFinished', message: 'expected an integer, got "1h"' },
    ]);
  });
});

describe('unknown field', () => {
  it('function config field in the wrong case', () => {
    assert.deepEqual(schemaViolations('LocalModelFnConfig', fnConfig({ outputdir: 'out' })), [
      { path: 'spec.outputdir', message: 'unknown field (did you mean outputDir?)' },
    ]);
  });

  it('function config field with a typo, inside a list item', () => {
    const obj = fnConfig({ nodes: [{ name: 'gpu-node-1', label: { 'node-type': 'gpu' } }] });
    assert.deepEqual(schemaViolations('LocalModelFnConfig', obj), [
      { path: 'spec.nodes[0].label', message: 'unknown field (did you mean labels?)' },
    ]);
  });

  it('function config field without a close match lists the known fields', () => {
    assert.deepEqual(schemaViolations('LocalModelFnConfig', fnConfig({ imagePullSecrets: [] })), [
      {
        path: 'spec.imagePullSecrets',
        message:
          'unknown field (known fields: outputDir, downloadMode, maxUnavailable, pauseImage, cleanupRemovedModels, jobTTLSecondsAfterFinished, jobActiveDeadlineSeconds, jobBackoffLimit, atomicDownloads, runAsServiceAccount, createJobNamespace, servingNamespaces, nodes, tolerations, nodeGroupTolerations, strict, argocdSyncWave, serveOnlyWhenReady, packageName, nodeLabelImage, stepImage, adoptExistingCopies)',
      },
    ]);
  });

  it('LocalModelCache spec field with a typo', () => {
    const obj = cacheWith({ nodeGroup: 'workers' });
    delete (obj.spec as Record<string, unknown>).nodeGroups;
    assert.deepEqual(schemaViolations('LocalModelCache', obj), [
      { path: 'spec.nodeGroup', message: 'unknown field (did you mean nodeGroups?)' },
      { path: 'spec.nodeGroups', message: 'required field is missing' },
    ]);
  });
});

describe('bad enum or constant', () => {
  it('workloadType', () => {
    const obj = structuredClone(hfStorageContainer);
    obj.spec.workloadType = 'downloadJob';
    assert.deepEqual(schemaViolations('ClusterStorageContainer', obj), [
      {
        path: 'spec.workloadType',
        message: 'expected one of "initContainer", "localModelDownloadJob", got "downloadJob"',
      },
    ]);
  });

  it('node selector operator', () => {
    const obj = nodeGroupWith((spec) => {
      spec.persistentVolumeSpec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].operator = 'in';
    });
    assert.deepEqual(schemaViolations('LocalModelNodeGroup', obj), [
      {
        path: 'spec.persistentVolumeSpec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].operator',
        message: 'expected one of "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", got "in"',
      },
    ]);
  });

  it('toleration effect', () => {
    const obj = fnConfig({ tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecution' }] });
    assert.deepEqual(schemaViolations('LocalModelFnConfig', obj), [
      {
        path: 'spec.tolerations[0].effect',
        message: 'expected one of "", "NoSchedule", "PreferNoSchedule", "NoExecute", got "NoExecution"',
      },
    ]);
  });

  it('enum value of the wrong type is reported once, as a type error', () => {
    const obj = structuredClone(hfStorageContainer);
    (obj.spec as Record<string, unknown>).workloadType = 1;
    assert.deepEqual(schemaViolations('ClusterStorageContainer', obj), [
      { path: 'spec.workloadType', message: 'expected a string, got the number 1' },
    ]);
  });

  it('kind and apiVersion', () => {
    const obj = { ...cacheWith({}), apiVersion: 'serving.kserve.io/v1beta1', kind: 'LocalModelcache' };
    assert.deepEqual(schemaViolations('LocalModelCache', obj), [
      { path: 'apiVersion', message: 'expected "serving.kserve.io/v1alpha1", got "serving.kserve.io/v1beta1"' },
      { path: 'kind', message: 'expected "LocalModelCache", got "LocalModelcache"' },
    ]);
  });
});

describe('names and paths', () => {
  it('metadata.name must be a DNS-1123 subdomain', () => {
    const obj = { ...cacheWith({}), metadata: { name: 'Llama_3' } };
    assert.deepEqual(schemaViolations('LocalModelCache', obj), [
      {
        path: 'metadata.name',
        message:
          'expected a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters, starting and ending with a letter or digit), got "Llama_3"',
      },
    ]);
  });

  it('servingNamespaces namespace must be a DNS-1123 label', () => {
    const obj = fnConfig({ servingNamespaces: [{ namespace: 'team.a', cache: 'llama3-8b' }] });
    assert.deepEqual(schemaViolations('LocalModelFnConfig', obj), [
      {
        path: 'spec.servingNamespaces[0].namespace',
        message:
          'expected a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters, starting and ending with a letter or digit), got "team.a"',
      },
    ]);
  });

  it('outputDir must stay inside the package', () => {
    const expected = 'expected a directory inside the package (no leading "/", no ".." segment, no backslash)';
    for (const outputDir of ['/tmp/out', '..', '../out', 'out/../../x', 'out\\gen', '']) {
      assert.deepEqual(
        schemaViolations('LocalModelFnConfig', fnConfig({ outputDir })),
        [{ path: 'spec.outputDir', message: `${expected}, got ${JSON.stringify(outputDir)}` }],
        outputDir,
      );
    }
    for (const outputDir of ['generated', 'out/gen/', './out', '..hidden', 'a..b']) {
      assert.deepEqual(schemaViolations('LocalModelFnConfig', fnConfig({ outputDir })), [], outputDir);
    }
  });

  it('jobTTLSecondsAfterFinished must not be negative', () => {
    assert.deepEqual(schemaViolations('LocalModelFnConfig', fnConfig({ jobTTLSecondsAfterFinished: -1 })), [
      { path: 'spec.jobTTLSecondsAfterFinished', message: 'expected a number >= 0, got the number -1' },
    ]);
  });
});

describe('result shape', () => {
  it('violations are sorted by path and not repeated', () => {
    const obj = {
      apiVersion: KSERVE,
      kind: 'LocalModelCache',
      metadata: { name: 'm' },
      spec: { sourceModelUri: '', modelSize: 'big', nodeGroups: ['', ''], storage: { key: 1 } },
    };
    const violations = schemaViolations('LocalModelCache', obj);
    assert.deepEqual(
      violations.map((v) => v.path),
      ['spec.modelSize', 'spec.nodeGroups[0]', 'spec.nodeGroups[1]', 'spec.sourceModelUri', 'spec.storage.key'],
    );
    assert.equal(new Set(violations.map((v) => `${v.path} ${v.message}`)).size, violations.length);
  });

  it('the same input gives the same violations', () => {
    const obj = fnConfig({ outputdir: 1, nodes: [{}], tolerations: [{ operator: 'Maybe' }] });
    assert.deepEqual(
      schemaViolations('LocalModelFnConfig', obj),
      schemaViolations('LocalModelFnConfig', structuredClone(obj)),
    );
  });

  it('unknown kinds have no schema and no violations', () => {
    assert.deepEqual(schemaViolations('InferenceService', { spec: 1 }), []);
    assert.deepEqual(schemaViolations('constructor', {}), []);
  });
});

describe('schema files', () => {
  const files = [
    'localmodelcache.json',
    'localmodelnamespacecache.json',
    'localmodelnodegroup.json',
    'clusterstoragecontainer.json',
    'function-config.json',
  ];

  it('LocalModelNamespaceCache has the same spec as LocalModelCache, as in KServe', () => {
    const cacheSchema = readSchema('localmodelcache.json');
    const namespaceSchema = readSchema('localmodelnamespacecache.json');
    assert.deepEqual(namespaceSchema.properties?.spec, cacheSchema.properties?.spec);
    assert.deepEqual(namespaceSchema.definitions, cacheSchema.definitions);
  });

  it('every field has a description', () => {
    const missing: string[] = [];
    const visit = (schema: SchemaNode, where: string) => {
      for (const [name, sub] of Object.entries(schema.properties ?? {})) {
        if (typeof sub.description !== 'string' || sub.description === '') missing.push(`${where}.${name}`);
        visit(sub, `${where}.${name}`);
      }
      if (schema.items && typeof schema.items === 'object') visit(schema.items, `${where}[]`);
    };
    for (const file of files) {
      const schema = readSchema(file);
      visit(schema, file);
      for (const [name, definition] of Object.entries(schema.definitions ?? {})) visit(definition, `${file}#${name}`);
    }
    assert.deepEqual(missing, []);
  });

  it("quantity pattern is the one of KServe's CRDs", () => {
    const crdPattern =
      '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
    for (const file of files.filter((f) => f !== 'function-config.json')) {
      const quantity = readSchema(file).definitions?.quantity;
      assert.equal(quantity?.pattern, crdPattern, file);
      assert.deepEqual(quantity?.type, ['integer', 'string'], file);
    }
  });
});
