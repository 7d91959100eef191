// The service-account method as a whole: where the ServiceAccount and its secrets are looked up,
// what happens when one is missing or gives nothing, how secrets of one ServiceAccount combine, and
// that every form a secret takes in Git gives the same wiring.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../fn/krm/objects';
import { envLines, JOBS_NS, messages, SHAPES, secret, secretAs, serviceAccount, wire } from './support/credentials';

const sa = { serviceAccountName: 'sa' };

describe('lookup: the ServiceAccount and its secrets, in the jobs namespace', () => {
  it('a ServiceAccount that is not in the input is an error naming it', () => {
    const out = wire([], sa);
    assert.deepEqual(out.env, []);
    assert.match(
      messages(out.results, 'error')[0],
      new RegExp(`names ServiceAccount sa, which is not in the input in namespace ${JOBS_NS}.*add the ServiceAccount`),
    );
  });
  it('…and says so when it is in another namespace', () =>
    assert.match(
      messages(wire([serviceAccount('sa', [], undefined, 'default')], sa).results, 'error')[0],
      /is in namespace default, but download Jobs run in kserve-localmodel-jobs/,
    ));
  it('the jobs namespace is localModel.jobNamespace', () => {
    const items = [secret('hf', { HF_TOKEN: 't' }), serviceAccount('sa', ['hf'])].map((o) => ({
      ...o,
      metadata: { ...o.metadata, namespace: 'downloads' },
    }));
    const cm: KObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'inferenceservice-config', namespace: 'kserve' },
      data: { localModel: '{"jobNamespace": "downloads"}' },
    };
    assert.deepEqual(envLines(wire([...items, cm], sa).env), ['HF_TOKEN<-hf:HF_TOKEN']);
  });
  it('a listed secret that is not in the input is an error on the ServiceAccount', () => {
    const out = wire([secret('hf', { HF_TOKEN: 't' }), serviceAccount('sa', ['missing', 'hf'])], sa);
    const [e] = out.results.filter((r) => r.severity === 'error');
    assert.match(e.message, /lists secret missing, which is not in the input/);
    assert.deepEqual(e.field, { path: 'secrets[0].name' });
    assert.equal(e.resourceRef?.kind, 'ServiceAccount');
  });
  it('a secret without a namespace is not in the jobs namespace, and the error says so', () =>
    assert.match(
      messages(
        wire(
          [secret('hf', { HF_TOKEN: 't' }, undefined), serviceAccount('sa', ['hf'])].map((o) =>
            o.kind === 'Secret' ? { ...o, metadata: { name: 'hf' } } : o,
          ),
          sa,
        ).results,
        'error',
      )[0],
      /without metadata\.namespace/,
    ));
  it('the API token Kubernetes used to add to a ServiceAccount is skipped with an info', () => {
    const out = wire([secret('hf', { HF_TOKEN: 't' }), serviceAccount('sa', ['sa-token-x7k2p', 'hf'])], sa);
    assert.deepEqual(envLines(out.env), ['HF_TOKEN<-hf:HF_TOKEN']);
    assert.deepEqual(messages(out.results, 'error'), []);
    assert.match(messages(out.results, 'info')[0], /API token/);
  });
  it('a secret listed twice is wired once, with a warning', () => {
    const out = wire([secret('hf', { HF_TOKEN: 't' }), serviceAccount('sa', ['hf', 'hf'])], sa);
    assert.deepEqual(envLines(out.env), ['HF_TOKEN<-hf:HF_TOKEN']);
    assert.match(messages(out.results, 'warning')[0], /twice/);
  });
  it('imagePullSecrets are never consulted', () => {
    const account = { ...serviceAccount('sa', []), imagePullSecrets: [{ name: 'hf' }] };
    assert.match(
      messages(wire([secret('hf', { HF_TOKEN: 't' }), account], sa).results, 'error')[0],
      /it lists no secrets/,
    );
  });
});

describe('a ServiceAccount that gives nothing is never a silent Job without credentials', () => {
  it('no secrets at all: error listing the keys KServe recognises', () =>
    assert.match(
      messages(wire([serviceAccount('sa', [])], sa).results, 'error')[0],
      /gives the download no credentials \(it lists no secrets\)\. Add a secret with one of the keys AWS_SECRET_ACCESS_KEY, gcloud-application-credentials\.json/,
    ));
  it('only unrecognised secrets: a warning per secret and the error', () => {
    const out = wire([secret('x', { username: 'u', password: 'p' }), serviceAccount('sa', ['x'])], sa);
    assert.match(
      messages(out.results, 'warning')[0],
      /holds none of the data keys KServe recognises .*its keys are password, username/,
    );
    assert.match(messages(out.results, 'error')[0], /none of its secrets holds a key KServe recognises/);
  });
  it("KServe's code-default S3 key name under the shipped config: the warning says which config to set", () =>
    assert.match(
      messages(
        wire([secret('x', { awsAccessKeyID: 'i', awsSecretAccessKey: 'k' }), serviceAccount('sa', ['x'])], sa).results,
        'warning',
      )[0],
      /set credentials\.s3\.s3SecretAccessKeyName/,
    ));
  it('GKE Workload Identity and no secrets: info, since the pod runs as the ServiceAccount', () => {
    const out = wire(
      [serviceAccount('sa', [], { 'iam.gke.io/gcp-service-account': 'dl@p.iam.gserviceaccount.com' })],
      sa,
    );
    assert.deepEqual(messages(out.results, 'error'), []);
    assert.match(messages(out.results, 'info')[0], /GKE Workload Identity/);
  });
  it('Azure Workload Identity and no secrets: info, and the pod opts in with the label its webhook needs', () => {
    const out = wire(
      [serviceAccount('sa', [], { 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000000' })],
      sa,
    );
    assert.deepEqual(messages(out.results, 'error'), []);
    assert.match(messages(out.results, 'info')[0], /Azure Workload Identity/);
    assert.deepEqual(out.podLabels, { 'azure.workload.identity/use': 'true' });
  });
  it('Azure Workload Identity with runAsServiceAccount: false: no label, and an error', () => {
    const out = wire([serviceAccount('sa', [], { 'azure.workload.identity/client-id': '0' })], sa, {
      runAsServiceAccount: false,
    });
    assert.equal(out.podLabels, undefined);
    assert.match(messages(out.results, 'error')[0], /runAsServiceAccount is false/);
  });
  it('workload identity with runAsServiceAccount: false is an error (the pod would run as default)', () =>
    assert.match(
      messages(
        wire([serviceAccount('sa', [], { 'eks.amazonaws.com/role-arn': 'arn' })], sa, { runAsServiceAccount: false })
          .results,
        'error',
      )[0],
      /runAsServiceAccount is false/,
    ));
});

describe('secrets of one ServiceAccount combine in list order, each env name once', () => {
  it('kinds are appended in the order the ServiceAccount lists them', () => {
    const out = wire(
      [
        secret('hf', { HF_TOKEN: 't' }),
        secret('gcs', { 'gcloud-application-credentials.json': '{}' }),
        secret('hdfs', { HDFS_NAMENODE: 'n' }),
        serviceAccount('sa', ['hdfs', 'hf', 'gcs']),
      ],
      sa,
    );
    assert.deepEqual(envLines(out.env), [
      'HF_TOKEN<-hf:HF_TOKEN',
      'GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/gcloud-application-credentials.json',
    ]);
    assert.deepEqual(
      out.volumes.map((v) => v.name),
      ['hdfs-secrets', 'user-gcp-sa'],
    );
    assert.deepEqual(
      out.volumeMounts.map((m) => m.mountPath),
      ['/var/secrets/kserve-hdfscreds', '/var/secrets/'],
    );
  });
  it('two secrets setting one env name are an error naming both (KServe would keep both, or merge S3)', () => {
    const out = wire(
      [secret('a', { HF_TOKEN: 't' }), secret('b', { HF_TOKEN: 'u' }), serviceAccount('sa', ['a', 'b'])],
      sa,
    );
    assert.match(
      messages(out.results, 'error')[0],
      /lists Secret kserve-localmodel-jobs\/a and Secret kserve-localmodel-jobs\/b \(a hf secret\), which both set env HF_TOKEN/,
    );
  });
  it('two GCS secrets (one mount path twice, which the API server rejects) are an error', () => {
    const out = wire(
      [
        secret('a', { 'gcloud-application-credentials.json': '{}' }),
        secret('b', { 'gcloud-application-credentials.json': '{}' }),
        serviceAccount('sa', ['a', 'b']),
      ],
      sa,
    );
    assert.match(messages(out.results, 'error')[0], /env GOOGLE_APPLICATION_CREDENTIALS, volume user-gcp-sa/);
  });
  it('an Azure secret with a storage key and a storage-key secret clash on AZURE_STORAGE_ACCESS_KEY', () =>
    assert.equal(
      messages(
        wire(
          [
            secret('a', { AZURE_CLIENT_ID: 'c', AZURE_TENANT_ID: 't', AZURE_STORAGE_ACCESS_KEY: 'k' }),
            secret('b', { AZURE_STORAGE_ACCESS_KEY: 'k' }),
            serviceAccount('sa', ['a', 'b']),
          ],
          sa,
        ).results,
        'error',
      ).length,
      1,
    ));
  it('two inputs that make one Secret: the plain Secret is read, with a warning', () => {
    const out = wire(
      [
        secretAs('SealedSecret', 'hf', { HF_TOKEN: 't' }),
        secret('hf', { HF_TOKEN: 't' }),
        serviceAccount('sa', ['hf']),
      ],
      sa,
    );
    assert.deepEqual(envLines(out.env), ['HF_TOKEN<-hf:HF_TOKEN']);
    assert.match(messages(out.results, 'warning')[0], /is made by Secret kserve-localmodel-jobs\/hf and SealedSecret/);
  });
});

describe('secret shapes: Secret data, stringData, SealedSecret, ExternalSecret and SOPS give the same wiring', () => {
  const A = 'serving.kserve.io/';
  const cases: [string, Record<string, string>, Record<string, string> | undefined][] = [
    [
      'S3 with annotations',
      { AWS_ACCESS_KEY_ID: 'i', AWS_SECRET_ACCESS_KEY: 'k', AWS_DEFAULT_REGION: 'eu-west-1' },
      { [`${A}s3-endpoint`]: 'https://minio:9000', [`${A}s3-verifyssl`]: '0' },
    ],
    ['GCS', { 'gcloud-application-credentials.json': '{}' }, undefined],
    [
      'Azure legacy',
      { AZ_CLIENT_ID: 'c', AZ_CLIENT_SECRET: 's', AZ_TENANT_ID: 't', AZ_SUBSCRIPTION_ID: 'x' },
      undefined,
    ],
    ['Azure storage key', { AZURE_STORAGE_ACCESS_KEY: 'k' }, undefined],
    ['HDFS', { HDFS_NAMENODE: 'n', KERBEROS_KEYTAB: 'k' }, undefined],
    ['HF', { HF_TOKEN: 't' }, undefined],
    ['ModelScope', { MODELSCOPE_API_TOKEN: 't' }, undefined],
  ];
  for (const [name, data, annotations] of cases) {
    it(name, () => {
      const outs = SHAPES.map((shape) =>
        wire([secretAs(shape, 'cred', data, annotations), serviceAccount('sa', ['cred'])], sa),
      );
      for (const [i, out] of outs.entries()) {
        assert.deepEqual(messages(out.results, 'error'), [], SHAPES[i]);
        assert.deepEqual(
          { env: out.env, volumes: out.volumes, volumeMounts: out.volumeMounts },
          { env: outs[0].env, volumes: outs[0].volumes, volumeMounts: outs[0].volumeMounts },
          SHAPES[i],
        );
      }
    });
  }
  it('an ExternalSecret is found by spec.target.name, else by its own name', () => {
    const external = secretAs('ExternalSecret', 'hf', { HF_TOKEN: 't' });
    delete (external.spec as { target?: unknown }).target;
    assert.match(
      messages(wire([external, serviceAccount('sa', ['hf'])], sa).results, 'error')[0],
      /lists secret hf, which is not in the input/,
    );
    assert.deepEqual(envLines(wire([external, serviceAccount('sa', ['hf-external'])], sa).env), [
      'HF_TOKEN<-hf-external:HF_TOKEN',
    ]);
  });
  it('an ExternalSecret with a target template takes its keys from the template', () => {
    const external = secretAs('ExternalSecret', 'cred', { token: 't' });
    (external.spec as { target: Record<string, unknown> }).target.template = { data: { HF_TOKEN: '{{ .token }}' } };
    assert.deepEqual(envLines(wire([external, serviceAccount('sa', ['cred'])], sa).env), ['HF_TOKEN<-cred:HF_TOKEN']);
  });
  it('an ExternalSecret with dataFrom whose listed keys classify: wired, with an info that keys are not all known', () => {
    const external = secretAs('ExternalSecret', 'cred', { HF_TOKEN: 't' });
    (external.spec as Record<string, unknown>).dataFrom = [{ extract: { key: 'models/all' } }];
    const out = wire([external, serviceAccount('sa', ['cred'])], sa);
    assert.deepEqual(envLines(out.env), ['HF_TOKEN<-cred:HF_TOKEN']);
    assert.match(messages(out.results, 'info')[0], /not known before the cluster makes the Secret/);
  });
  it('an ExternalSecret with only dataFrom cannot be classified: error asking for the key in spec.data', () => {
    const external = secretAs('ExternalSecret', 'cred', {});
    (external.spec as Record<string, unknown>).dataFrom = [{ extract: { key: 'models/all' } }];
    assert.match(
      messages(wire([external, serviceAccount('sa', ['cred'])], sa).results, 'error')[0],
      /list the deciding key .* in spec\.data/,
    );
  });
  it('a SealedSecret makes the Secret of its own name, whatever its template says', () => {
    const sealed = secretAs('SealedSecret', 'hf', { HF_TOKEN: 't' });
    (sealed.spec as { template: { metadata: Record<string, unknown> } }).template.metadata.name = 'other';
    assert.deepEqual(envLines(wire([sealed, serviceAccount('sa', ['hf'])], sa).env), ['HF_TOKEN<-hf:HF_TOKEN']);
  });
});
