// Values the API server would refuse are errors at their source (fn/validate/generated-values.ts and
// names-and-limits.ts, rules in fn/k8s/apiserver-rules.ts), and the checker every generated object
// goes through in the tests (support/apiserver.ts) catches each broken rule.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  configMapKeyProblem,
  dnsLabelProblem,
  dnsSubdomainProblem,
  envVarNameProblem,
  groupIdProblem,
  imageProblem,
  labelValueProblem,
  qualifiedNameProblem,
  quantityProblem,
  resourceRequirementsProblems,
  tolerationProblems,
} from '../fn/k8s/apiserver-rules';
import type { KObject } from '../fn/krm/objects';
import { apiServerViolations } from './support/apiserver';
import { kserveConfigMap, secret, serviceAccount } from './support/credentials';
import { cache, fnConfig, isvc, node, nodeGroup } from './support/fixtures';
import { generated, runItems } from './support/harness';
import { expectClean, expectResult, validPackage } from './support/results';

/** inferenceservice-config with local models on (as validPackage has it) and these JSON keys. */
const configMap = (data: Record<string, Record<string, unknown>>): KObject => {
  const all = { ...data, localModel: { enabled: true, ...data.localModel } };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'inferenceservice-config', namespace: 'kserve' },
    data: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, JSON.stringify(v)])),
  };
};
/** validPackage with its inferenceservice-config replaced. */
const withKServeConfig = (cm: KObject) => [...validPackage().filter((o) => o.kind !== 'ConfigMap'), cm];

describe('the rules, value by value', () => {
  const table = (rule: (v: string) => string | undefined, good: string[], bad: string[]) => {
    for (const v of good) assert.equal(rule(v), undefined, `${JSON.stringify(v)} should pass`);
    for (const v of bad) assert.ok(rule(v), `${JSON.stringify(v)} should fail`);
  };
  it('DNS-1123 label (namespaces, container and volume names)', () =>
    table(
      dnsLabelProblem,
      ['team-a', 'a', '0', 'a'.repeat(63)],
      ['Team-A', 'team_a', '..', 'a'.repeat(64), '-a', 'a-', '', 'a.b'],
    ));
  it('DNS-1123 subdomain (object, Secret and ServiceAccount names)', () =>
    table(
      dnsSubdomainProblem,
      ['hf-secret', 'a.b-c', 'a'.repeat(253)],
      ['HF_Secret', 'a..b', '.a', 'a.', 'a'.repeat(254), '', 'hf secret'],
    ));
  it('label value', () =>
    table(labelValueProblem, ['', 'A_b.c-9', 'x'.repeat(63)], ['-a', 'a b', 'x'.repeat(64), 'é']));
  it('qualified name (label, annotation, toleration and node selector keys)', () =>
    table(
      qualifiedNameProblem,
      ['node-type', 'nvidia.com/gpu', 'kubernetes.io/hostname', 'A_b'],
      ['', '/a', 'a/', 'a/b/c', 'Bad_Prefix/x', `p/${'n'.repeat(64)}`, 'has space'],
    ));
  it('Secret key (secretKeyRef.key)', () =>
    table(
      configMapKeyProblem,
      ['HF_TOKEN', 'a.b-c_d', '.hidden'],
      ['team/s3-creds:v2', '.', '..', '..x', '', 'k'.repeat(254)],
    ));
  it('environment variable name (strict form)', () =>
    table(
      envVarNameProblem,
      ['HF_TOKEN', 'example.com-headers', '_x', 'my-var.1'],
      ['10.0.0.1-headers', '1A', 'A=B', '', '..x'],
    ));
  it('group ID (fsGroup)', () => {
    for (const v of [0, 1000, 2147483647]) assert.equal(groupIdProblem(v), undefined);
    for (const v of [1.5, -5, 99999999999, 2147483648, Number.NaN, '1000']) assert.ok(groupIdProblem(v), String(v));
  });
  it('image: white space around it is refused for pods (Go TrimSpace, U+0085 included)', () => {
    for (const v of ['kserve/storage-initializer:v0.16.0', 'a\u00a0b']) assert.equal(imageProblem(v), undefined);
    for (const v of ['', ' img', 'img ', '\timg', 'img\u0085', undefined])
      assert.ok(imageProblem(v), JSON.stringify(v));
  });
  it('quantity', () => {
    for (const v of ['100m', '1', '2Gi', '1e3', '.5', 0, 3]) assert.equal(quantityProblem(v), undefined, String(v));
    for (const v of ['abc', '-1Gi', '1 Gi', '', '1.5.5', -1, true]) assert.ok(quantityProblem(v), String(v));
  });
  it('resources: requests at most their limits, compared exactly (100m < 1 < 1001m)', () => {
    assert.deepEqual(
      resourceRequirementsProblems({
        requests: { cpu: '100m', memory: '1Gi' },
        limits: { cpu: '1', memory: '1024Mi' },
      }),
      [],
    );
    assert.deepEqual(
      resourceRequirementsProblems({ requests: { cpu: '1001m' }, limits: { cpu: '1' } }).map((p) => p.field),
      ['requests.cpu'],
    );
    assert.deepEqual(
      resourceRequirementsProblems({ requests: { gpu: '1' } }).map((p) => p.field),
      ['requests.gpu'],
      'an unqualified name that is not a standard resource',
    );
    assert.deepEqual(
      resourceRequirementsProblems({ requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '2' } }).map(
        (p) => p.field,
      ),
      ['requests.nvidia.com/gpu'],
      'an extended resource must request exactly its limit',
    );
  });
  it('tolerations, as the API server reads them', () => {
    const fields = (t: Record<string, unknown>) => tolerationProblems(t).map((p) => p.field);
    assert.deepEqual(fields({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }), []);
    assert.deepEqual(fields({ operator: 'Exists' }), [], 'empty key with Exists tolerates everything');
    assert.deepEqual(fields({ key: 'k', value: 'v', effect: 'NoExecute', tolerationSeconds: 30 }), []);
    assert.deepEqual(fields({ key: 'k', operator: 'Exists', value: 'v' }), ['value']);
    assert.deepEqual(fields({ operator: 'Equal', value: 'v' }), ['operator']);
    assert.deepEqual(fields({ key: 'k', value: 'v', effect: 'NoSchedule', tolerationSeconds: 30 }), ['effect']);
    assert.deepEqual(fields({ key: 'bad key', operator: 'Exists' }), ['key']);
    assert.deepEqual(fields({ key: 'k', value: 'not valid!' }), ['value']);
    assert.deepEqual(fields({ key: 'k', operator: 'Gt', value: '1' }), ['operator']);
    assert.deepEqual(fields({ key: 'k', operator: 'Exists', effect: 'NoScheduleNoAdmit' }), ['effect']);
  });
});

describe('InferenceService namespaces that would hold serving volumes', () => {
  for (const namespace of ['Team-A', 'team_a', '..', 'n'.repeat(64)]) {
    it(JSON.stringify(namespace.length > 20 ? `${namespace.slice(0, 8)}… (${namespace.length})` : namespace), () => {
      const out = runItems([...validPackage(), isvc('chat', namespace, 's3://models/llama')]);
      const r = expectResult(out, 'error', 'metadata.namespace', 'serving PersistentVolumeClaim');
      assert.equal(r.resourceRef?.kind, 'InferenceService');
    });
  }
  it('an InferenceService that uses no cache is none of our business', () =>
    expectClean(runItems([...validPackage(), isvc('chat', 'Team-A', 's3://models/other')])));
});

describe('ServiceAccount and Secret names that flow into Jobs', () => {
  it('spec.serviceAccountName HF_Secret', () =>
    void expectResult(
      runItems([
        nodeGroup('workers'),
        node('gpu-1'),
        cache('llama', 'hf://o/m', ['workers'], { serviceAccountName: 'HF_Secret' }),
      ]),
      'error',
      'spec.serviceAccountName',
      '"HF_Secret" is not a DNS-1123 subdomain',
    ));
  it("a secret the ServiceAccount lists, named HF_Secret, is reported at the ServiceAccount's entry", () => {
    const out = runItems([
      nodeGroup('workers'),
      node('gpu-1'),
      cache('llama', 'hf://o/m', ['workers'], { serviceAccountName: 'hf' }),
      serviceAccount('hf', ['HF_Secret']),
      secret('HF_Secret', { HF_TOKEN: 'x' }),
    ]);
    const r = expectResult(out, 'error', 'secrets[0].name', '"HF_Secret" is not a DNS-1123 subdomain');
    assert.equal(r.resourceRef?.kind, 'ServiceAccount');
  });
  it('storage.key team/s3-creds:v2 would be a secretKeyRef key', () =>
    void expectResult(
      runItems([
        ...validPackage().slice(0, 1),
        node('gpu-1'),
        cache('llama', 's3://m/x', ['workers'], { storage: { key: 'team/s3-creds:v2' } }),
      ]),
      'error',
      'spec.storage.key',
      'not a valid Secret key',
    ));
  it('inferenceservice-config credentials: storageSpecSecretName and S3 key names', () => {
    const out = runItems([
      ...withKServeConfig(
        kserveConfigMap(
          { storageSpecSecretName: 'Storage_Config', s3: { s3SecretAccessKeyName: 'aws/secret' } },
          { enabled: true },
        ),
      ),
    ]);
    expectResult(out, 'error', 'data.credentials', 'storageSpecSecretName "Storage_Config"');
    expectResult(out, 'error', 'data.credentials', 's3.s3SecretAccessKeyName "aws/secret"');
  });
  it('an https-host that is an IP address makes an env var name the API server refuses', () => {
    const out = runItems([
      nodeGroup('workers'),
      node('gpu-1'),
      cache('web', 'https://10.0.0.1/model.tar', ['workers'], { serviceAccountName: 'web' }),
      serviceAccount('web', ['headers']),
      secret('headers', { 'https-host': '10.0.0.1', headers: '{"Authorization": "x"}' }),
    ]);
    expectResult(out, 'error', 'stringData.https-host', 'env var name 10.0.0.1-headers');
  });
});

describe('tolerations of the function config', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    [
      'Exists with a value',
      { key: 'k', operator: 'Exists', value: 'v' },
      'value',
      'must be empty when operator is Exists',
    ],
    ['an empty key with Equal', { operator: 'Equal', value: 'v' }, 'operator', 'must be Exists when key is empty'],
    [
      'tolerationSeconds without NoExecute',
      { key: 'k', effect: 'NoSchedule', tolerationSeconds: 60 },
      'effect',
      'must be NoExecute',
    ],
    ['an invalid key', { key: 'nvidia.com/gpu/x', operator: 'Exists' }, 'key', 'more than one "/"'],
    ['an invalid value', { key: 'k', value: 'a b' }, 'value', 'not a valid label value'],
  ];
  for (const [name, toleration, field, text] of cases) {
    it(
      name,
      () =>
        void expectResult(
          runItems(validPackage(), fnConfig({ tolerations: [{ key: 'ok', operator: 'Exists' }, toleration] })),
          'error',
          `spec.tolerations[1].${field}`,
          text,
        ),
    );
  }
  it('in the ConfigMap form, at data.tolerations', () =>
    void expectResult(
      runItems(validPackage(), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'fn' },
        data: { tolerations: '[{key: k, operator: Exists, value: v}]' },
      }),
      'error',
      'data.tolerations[0].value',
      'must be empty',
    ));
  it('valid tolerations reach every Job unchanged', () => {
    const tolerations = [
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { operator: 'Exists' },
      { key: 'spot', value: 'true', effect: 'NoExecute', tolerationSeconds: 30 },
    ];
    const out = runItems(validPackage(), fnConfig({ tolerations }));
    expectClean(out);
    const job = generated(out.items).find((o) => o.kind === 'Job') as KObject & {
      spec: { template: { spec: { tolerations: unknown } } };
    };
    assert.deepEqual(job.spec.template.spec.tolerations, tolerations);
  });
});

describe('inferenceservice-config values that become the download container', () => {
  const withConfig = (data: Record<string, Record<string, unknown>>) => runItems(withKServeConfig(configMap(data)));
  it('cpuRequest "abc"', () =>
    void expectResult(
      withConfig({ storageInitializer: { cpuRequest: 'abc' } }),
      'error',
      'data.storageInitializer',
      'cpuRequest "abc" is not a Kubernetes quantity',
    ));
  it('a request above its limit', () =>
    void expectResult(
      withConfig({ storageInitializer: { memoryRequest: '2Gi', memoryLimit: '1Gi' } }),
      'error',
      'data.storageInitializer',
      'memoryRequest is more than the memory limit (1Gi)',
    ));
  it('a negative memory', () =>
    void expectResult(
      withConfig({ storageInitializer: { memoryLimit: '-1Gi' } }),
      'error',
      'data.storageInitializer',
      'memoryLimit "-1Gi" is negative',
    ));
  for (const fsGroup of [1.5, -5, 99999999999, '1.5', 'abc']) {
    it(`fsGroup ${JSON.stringify(fsGroup)}`, () =>
      void expectResult(
        withConfig({ localModel: { fsGroup } }),
        'error',
        'data.localModel',
        'securityContext.fsGroup',
      ));
  }
  it('fsGroup "2000" (a Go string holding a number) is read as 2000', () => {
    const out = withConfig({ localModel: { fsGroup: '2000' } });
    expectClean(out);
    assert.match(JSON.stringify(generated(out.items)), /"fsGroup":2000/);
  });
  it('an image with white space around it', () =>
    void expectResult(
      withConfig({ storageInitializer: { image: ' kserve/storage-initializer:v0.16.0 ' } }),
      'error',
      'data.storageInitializer',
      'white space',
    ));
  it("the same for a download-job ClusterStorageContainer's image, resources and env", () => {
    const csc = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ClusterStorageContainer',
      metadata: { name: 'custom' },
      spec: {
        workloadType: 'localModelDownloadJob',
        supportedUriFormats: [{ prefix: 's3://' }],
        container: {
          name: 'downloader',
          image: 'registry/downloader:1 ',
          resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
          env: [
            { name: '1BAD', value: 'x' },
            { name: 'REF', valueFrom: { secretKeyRef: { name: 'Creds', key: 'a:b' } } },
          ],
        },
      },
    };
    const out = runItems([...validPackage(), csc]);
    expectResult(out, 'error', 'spec.container.image', 'white space');
    expectResult(out, 'error', 'spec.container.resources.requests.cpu', 'more than the cpu limit');
    expectResult(out, 'error', 'spec.container.env[0].name', 'not a valid environment variable name');
    expectResult(out, 'error', 'spec.container.env[1].valueFrom.secretKeyRef.name', 'DNS-1123 subdomain');
    expectResult(out, 'error', 'spec.container.env[1].valueFrom.secretKeyRef.key', 'not a valid Secret key');
  });
});

describe("node groups' volume specs, copied into every PersistentVolume and claim", () => {
  const group = (edit: (spec: Record<string, Record<string, unknown>>) => void) => {
    const g = nodeGroup('workers') as unknown as { spec: Record<string, Record<string, unknown>> };
    edit(g.spec);
    return runItems([g, cache('llama', 's3://models/llama'), node('gpu-1')]);
  };
  it('a storage class that is not a DNS subdomain', () =>
    void expectResult(
      group((s) => {
        s.persistentVolumeSpec.storageClassName = 'Local_Storage';
        s.persistentVolumeClaimSpec.storageClassName = 'Local_Storage';
      }),
      'error',
      'spec.persistentVolumeSpec.storageClassName',
      'DNS-1123 subdomain',
    ));
  it('a node affinity requirement the API server refuses (In without values, a bad key)', () => {
    const out = group((s) => {
      s.persistentVolumeSpec.nodeAffinity = {
        required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'bad key', operator: 'In', values: [] }] }] },
      };
    });
    expectResult(
      out,
      'error',
      'spec.persistentVolumeSpec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values',
      'must not be empty',
    );
    expectResult(
      out,
      'error',
      'spec.persistentVolumeSpec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key',
      'name part',
    );
  });
  it("a local path with '..'", () =>
    void expectResult(
      group((s) => {
        s.persistentVolumeSpec.local = { path: '/models/../etc' };
      }),
      'error',
      'spec.persistentVolumeSpec.local.path',
      'must not contain ".."',
    ));
});

describe('the checker of generated objects catches every rule it carries', () => {
  const valid = generated(
    runItems(
      [...validPackage(), isvc('chat', 'team-a', 's3://models/llama')],
      fnConfig({ tolerations: [{ operator: 'Exists' }] }),
    ).items,
  );
  const paths = (o: KObject) => apiServerViolations(o).map((v) => v.path);
  /** A copy of the generated object of this kind with one value set at `at` (keys and list indexes). */
  const edited = (kind: string, at: (string | number)[], value: unknown): KObject => {
    const o = structuredClone(valid.find((v) => v.kind === kind)) as KObject;
    let parent = o as unknown as Record<string | number, unknown>;
    for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
    parent[at[at.length - 1]] = value;
    return o;
  };
  const pod = ['spec', 'template', 'spec'];
  const ctr = [...pod, 'containers', 0];

  it('accepts what the function generates', () => {
    assert.equal(valid.length, 6);
    for (const o of valid) assert.deepEqual(apiServerViolations(o), [], `${o.kind} ${o.metadata?.name}`);
  });
  const mutations: [string, string, (string | number)[], unknown, string][] = [
    ['a namespace Team-A', 'PersistentVolumeClaim', ['metadata', 'namespace'], 'Team-A', 'metadata.namespace'],
    ['a ConfigMap key with a slash', 'ConfigMap', ['data', 'steps/prepare.sh'], 'x', 'data[steps/prepare.sh]'],
    ['a ConfigMap over 1 MiB', 'ConfigMap', ['data', 'big.sh'], 'x'.repeat(1024 * 1024), 'data'],
    ['a PV with a namespace', 'PersistentVolume', ['metadata', 'namespace'], 'x', 'metadata.namespace'],
    ['a label value with a space', 'Job', ['metadata', 'labels', 'model'], 'a b', 'metadata.labels[model]'],
    [
      'an annotation key with two slashes',
      'PersistentVolume',
      ['metadata', 'annotations', 'a/b/c'],
      'x',
      'metadata.annotations[a/b/c]',
    ],
    ['a Job name over 63', 'Job', ['metadata', 'name'], 'j'.repeat(64), 'metadata.name'],
    [
      'serviceAccountName HF_Secret',
      'Job',
      [...pod, 'serviceAccountName'],
      'HF_Secret',
      'spec.template.spec.serviceAccountName',
    ],
    [
      'a toleration Exists with a value',
      'Job',
      [...pod, 'tolerations', 0, 'value'],
      'v',
      'spec.template.spec.tolerations[0].value',
    ],
    ['fsGroup 1.5', 'Job', [...pod, 'securityContext', 'fsGroup'], 1.5, 'spec.template.spec.securityContext.fsGroup'],
    [
      'an image with a trailing space',
      'Job',
      [...ctr, 'image'],
      'kserve/storage-initializer:latest ',
      'spec.template.spec.containers[0].image',
    ],
    [
      'cpu request over its limit',
      'Job',
      [...ctr, 'resources'],
      { requests: { cpu: '2' }, limits: { cpu: '1' } },
      'spec.template.spec.containers[0].resources.requests.cpu',
    ],
    [
      'a secretKeyRef key with a colon',
      'Job',
      [...ctr, 'env'],
      [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'a:b' } } }],
      'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.key',
    ],
    [
      'an env name starting with a digit',
      'Job',
      [...ctr, 'env'],
      [{ name: '1X', value: 'v' }],
      'spec.template.spec.containers[0].env[0].name',
    ],
    [
      'a mount of no volume',
      'Job',
      [...ctr, 'volumeMounts', 1],
      { name: 'nope', mountPath: '/x' },
      'spec.template.spec.containers[0].volumeMounts[1].name',
    ],
    [
      'a subPath climbing out',
      'Job',
      [...ctr, 'volumeMounts', 0, 'subPath'],
      '../x',
      'spec.template.spec.containers[0].volumeMounts[0].subPath',
    ],
    ['a volume named Data', 'Job', [...pod, 'volumes', 0, 'name'], 'Data', 'spec.template.spec.volumes[0].name'],
    ['restartPolicy Always', 'Job', [...pod, 'restartPolicy'], 'Always', 'spec.template.spec.restartPolicy'],
    [
      'a nodeSelector value with a slash',
      'Job',
      [...pod, 'nodeSelector', 'kubernetes.io/hostname'],
      'a/b',
      'spec.template.spec.nodeSelector[kubernetes.io/hostname]',
    ],
    ['a PV of zero capacity', 'PersistentVolume', ['spec', 'capacity', 'storage'], '0', 'spec.capacity.storage'],
    [
      'a PV node affinity with Gt and two values',
      'PersistentVolume',
      ['spec', 'nodeAffinity', 'required', 'nodeSelectorTerms', 0, 'matchExpressions', 0],
      { key: 'k', operator: 'Gt', values: ['1', '2'] },
      'spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values',
    ],
    ['a claim without access modes', 'PersistentVolumeClaim', ['spec', 'accessModes'], [], 'spec.accessModes'],
    [
      'a claim bound to a volume named Vol_1',
      'PersistentVolumeClaim',
      ['spec', 'volumeName'],
      'Vol_1',
      'spec.volumeName',
    ],
  ];
  for (const [name, kind, at, value, path] of mutations) {
    it(name, () => {
      const found = paths(edited(kind, at, value));
      assert.ok(found.includes(path), `${path} not among ${JSON.stringify(found)}`);
    });
  }
  it('refuses to pass a kind it has no checker for', () =>
    assert.throws(
      () => apiServerViolations({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' } }),
      /add one to test\/support\/apiserver\.ts/,
    ));
});
