// storage.key and storage.parameters: KServe's vectors F and G (CreateStorageSpecSecretEnvs and the
// InferenceService webhook), the derived vectors H7–H11 (ours), and the rules of docs/kserve-rules.md
// §5/§7 where the LocalModelCache path of KServe differs: default keys, errors, which method wins.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../fn/krm/objects';
import { envLines, messages, secret, secretAs, serviceAccount, wire } from './support/credentials';

const MINIO =
  '{"type":"s3","access_key_id":"minio","secret_access_key":"minio123","endpoint_url":"http://minio-service.kubeflow:9000","bucket":"test-bucket","region":"us-south"}';
const storageSecret = (entries: Record<string, string>, name = 'storage-config'): KObject => secret(name, entries);
const storage = (items: KObject[], spec: Record<string, unknown>, options: Parameters<typeof wire>[2] = {}) =>
  wire(items, { storage: spec }, options);

describe('storage spec: KServe vectors F (TestCredentialBuilder_CreateStorageSpecSecretEnvs, secret storage-secret)', () => {
  const opts = { credentials: { storageSpecSecretName: 'storage-secret' } };
  it('storage spec with empty override params (ours: an empty type parameter is refused, see below); bucket "" is kept', () => {
    const out = storage(
      [storageSecret({ minio: MINIO }, 'storage-secret')],
      { key: 'minio', parameters: { bucket: '' } },
      opts,
    );
    assert.deepEqual(envLines(out.env), [
      'STORAGE_CONFIG<-storage-secret:minio',
      'STORAGE_OVERRIDE_CONFIG={"bucket":""}',
    ]);
  });
  it('simple storage spec', () =>
    assert.deepEqual(
      envLines(
        storage(
          [storageSecret({ minio: MINIO }, 'storage-secret')],
          { key: 'minio', parameters: { type: 's3', bucket: 'test-bucket' } },
          opts,
        ).env,
      ),
      ['STORAGE_CONFIG<-storage-secret:minio', 'STORAGE_OVERRIDE_CONFIG={"bucket":"test-bucket","type":"s3"}'],
    ));
  it('wrong storage key: an error naming the key and the entries there are', () => {
    const out = storage(
      [storageSecret({ minio: MINIO }, 'storage-secret')],
      { key: 'wrong-key', parameters: { type: 's3', bucket: 'test-bucket' } },
      opts,
    );
    assert.deepEqual(out.env, []);
    assert.match(
      messages(out.results, 'error')[0],
      /storage\.key wrong-key is not an entry of Secret kserve-localmodel-jobs\/storage-secret \(its entries: minio\)/,
    );
  });
  it('default storage key: default_<type> for a type parameter', () =>
    assert.deepEqual(
      envLines(
        storage(
          [storageSecret({ default_s3: MINIO }, 'storage-secret')],
          { parameters: { type: 's3', bucket: 'test-bucket' } },
          opts,
        ).env,
      ),
      ['STORAGE_CONFIG<-storage-secret:default_s3', 'STORAGE_OVERRIDE_CONFIG={"bucket":"test-bucket","type":"s3"}'],
    ));
  it('default storage key with empty storage type: default', () =>
    assert.deepEqual(
      envLines(
        storage([storageSecret({ default: MINIO }, 'storage-secret')], { parameters: { bucket: 'test-bucket' } }, opts)
          .env,
      ),
      ['STORAGE_CONFIG<-storage-secret:default', 'STORAGE_OVERRIDE_CONFIG={"bucket":"test-bucket"}'],
    ));
  it('hdfs entry and type', () =>
    assert.deepEqual(
      envLines(
        storage(
          [storageSecret({ hdfs: '{"type":"hdfs","HDFS_NAMENODE":"nn"}' }, 'storage-secret')],
          { key: 'hdfs', parameters: { type: 'hdfs', bucket: '' } },
          { ...opts, uri: 'hdfs://models/example-model/' },
        ).env,
      ),
      ['STORAGE_CONFIG<-storage-secret:hdfs', 'STORAGE_OVERRIDE_CONFIG={"bucket":"","type":"hdfs"}'],
    ));
  it('unsupported storage type in the entry: error', () =>
    assert.match(
      messages(
        storage([storageSecret({ gs: '{"type":"gs"}' }, 'storage-secret')], { key: 'gs' }, opts).results,
        'error',
      )[0],
      /storage type gs is not one KServe knows/,
    ));
  it('secret data with syntax error: error that quotes nothing of the entry', () => {
    const out = storage(
      [storageSecret({ bad: '{"type":"s3", "secret_access_key": "CANARY-1' }, 'storage-secret')],
      { key: 'bad' },
      opts,
    );
    assert.match(messages(out.results, 'error')[0], /is not a JSON object of string values/);
    assert.ok(!JSON.stringify(out).includes('CANARY'));
  });
  it('fail on storage type is empty: error', () =>
    assert.match(
      messages(
        storage([storageSecret({ e: '{"type":""}' }, 'storage-secret')], { key: 'e' }, opts).results,
        'error',
      )[0],
      /storage type "" is not one KServe knows/,
    ));
  it('fail on storage secret name is empty: no secret, no key, no type → error (the type cannot be determined)', () => {
    const out = storage([storageSecret({ x: MINIO }, 'storage-secret')], { parameters: { bucket: 'b' } }, opts);
    assert.match(messages(out.results, 'error')[0], /storage type cannot be determined/);
  });
  it("a non-string JSON value is invalid, as for Go's map[string]string", () =>
    assert.match(
      messages(
        storage([storageSecret({ k: '{"type":"s3","verify_ssl":false}' }, 'storage-secret')], { key: 'k' }, opts)
          .results,
        'error',
      )[0],
      /not a JSON object of string values/,
    ));
});

describe('storage spec: KServe vectors G (InferenceService webhook, secret storage-config)', () => {
  const entry = {
    'my-storage': '{"type": "s3", "bucket": "my-bucket", "region": "na"}',
    default: '{"type": "s3", "bucket": "my-bucket", "region": "na"}',
  };
  it('TestStorageSpecSecretInjection', () =>
    assert.deepEqual(
      envLines(storage([storageSecret(entry)], { key: 'my-storage', parameters: { 'some-param': 'some-val' } }).env),
      ['STORAGE_CONFIG<-storage-config:my-storage', 'STORAGE_OVERRIDE_CONFIG={"some-param":"some-val"}'],
    ));
  it('TestStorageSpecDefaultSecretInjection', () =>
    assert.deepEqual(envLines(storage([storageSecret(entry)], { parameters: { 'some-param': 'some-val' } }).env), [
      'STORAGE_CONFIG<-storage-config:default',
      'STORAGE_OVERRIDE_CONFIG={"some-param":"some-val"}',
    ]));
});

describe('storage spec: derived vectors (ours)', () => {
  it('H7 cabundle_configmap of the entry becomes AWS_CA_BUNDLE_CONFIGMAP (the one literal from a secret, a ConfigMap name), before STORAGE_CONFIG', () => {
    const out = storage([storageSecret({ k: '{"type":"s3","cabundle_configmap":"my-ca"}' })], { key: 'k' });
    assert.deepEqual(envLines(out.env), ['AWS_CA_BUNDLE_CONFIGMAP=my-ca', 'STORAGE_CONFIG<-storage-config:k']);
    assert.match(messages(out.results, 'warning')[0], /does not reach the download/);
  });
  it("…but not when a type parameter overrides the entry's type (KServe does not parse the entry then)", () =>
    assert.deepEqual(
      envLines(
        storage([storageSecret({ k: '{"type":"s3","cabundle_configmap":"my-ca"}' })], {
          key: 'k',
          parameters: { type: 's3' },
        }).env,
      ),
      ['STORAGE_CONFIG<-storage-config:k', 'STORAGE_OVERRIDE_CONFIG={"type":"s3"}'],
    ));
  it('H8 type hf as a parameter: wired as written, with the warning naming the service-account method', () => {
    const out = storage(
      [storageSecret({ k: '{"token":"x"}' })],
      { key: 'k', parameters: { type: 'hf' } },
      { uri: 'hf://org/model' },
    );
    assert.deepEqual(envLines(out.env), ['STORAGE_CONFIG<-storage-config:k', 'STORAGE_OVERRIDE_CONFIG={"type":"hf"}']);
    assert.match(
      messages(out.results, 'warning').join('\n'),
      /Use spec\.serviceAccountName with a ServiceAccount whose secret holds HF_TOKEN: that is the method KServe's storage initializer honours/,
    );
  });
  it('H9 the documented Method 2 example (entry type hf): KServe errors and wires nothing; here it is wired, with the warning', () => {
    const out = storage(
      [storageSecret({ 'hf-credentials': '{\n  "type": "hf",\n  "token": "<your-hf-token>"\n}' })],
      { key: 'hf-credentials' },
      { uri: 'hf://meta-llama/Meta-Llama-3-8B' },
    );
    assert.deepEqual(envLines(out.env), ['STORAGE_CONFIG<-storage-config:hf-credentials']);
    assert.deepEqual(messages(out.results, 'error'), []);
    assert.equal(messages(out.results, 'warning').length, 1);
  });
  it('H10 an entry without type and no type parameter: error (KServe would start the Job without STORAGE_OVERRIDE_CONFIG)', () =>
    assert.match(
      messages(
        storage([storageSecret({ k: '{"bucket":"b"}' })], { key: 'k', parameters: { region: 'x' } }).results,
        'error',
      )[0],
      /has no "type"/,
    ));
  it('H11 differs (DECISION): parameters without a key use default_<type>, not the default ServiceAccount', () =>
    assert.deepEqual(envLines(storage([], { parameters: { type: 's3' } }).env), [
      'STORAGE_CONFIG<-storage-config:default_s3?',
      'STORAGE_OVERRIDE_CONFIG={"type":"s3"}',
    ]));
});

describe('storage spec: our rules', () => {
  it('the storage-config secret not in the input: wired, with an info that the entry is not verified', () => {
    const out = storage([], { key: 'k' });
    assert.deepEqual(envLines(out.env), ['STORAGE_CONFIG<-storage-config:k']);
    assert.match(
      messages(out.results, 'info')[0],
      /storage-config secret kserve-localmodel-jobs\/storage-config is not in the input, so its entry k \(that it exists, its JSON and storage type\) is not verified/,
    );
  });
  it('a default entry that may not exist is referenced as optional, as KServe skips a missing one', () =>
    assert.deepEqual(envLines(storage([], { parameters: { type: 's3', region: 'us-west-2' } }).env), [
      'STORAGE_CONFIG<-storage-config:default_s3?',
      'STORAGE_OVERRIDE_CONFIG={"region":"us-west-2","type":"s3"}',
    ]));
  it('a default entry that the secret lacks: only the parameters, with an info', () => {
    const out = storage([storageSecret({ other: MINIO })], { parameters: { type: 's3', anonymous: 'true' } });
    assert.deepEqual(envLines(out.env), ['STORAGE_OVERRIDE_CONFIG={"anonymous":"true","type":"s3"}']);
    assert.match(messages(out.results, 'info')[0], /has no entry default_s3/);
  });
  it('the configured storageSpecSecretName is the secret referenced', () =>
    assert.deepEqual(
      envLines(storage([], { key: 'k' }, { credentials: { storageSpecSecretName: 'my-storage' } }).env),
      ['STORAGE_CONFIG<-my-storage:k'],
    ));
  it('STORAGE_OVERRIDE_CONFIG is Go JSON: sorted by bytes, <>& escaped', () =>
    assert.deepEqual(
      envLines(storage([], { key: 'k', parameters: { z: 'a<b>&c', type: 's3', B: 'é' } }).env)[1],
      'STORAGE_OVERRIDE_CONFIG={"B":"é","type":"s3","z":"a\\u003cb\\u003e\\u0026c"}',
    ));
  it('an unknown type parameter is an error', () =>
    assert.match(
      messages(storage([], { key: 'k', parameters: { type: 'gcs' } }).results, 'error')[0],
      /storage type gcs is not one KServe knows/,
    ));
  it("an empty type parameter is an error (it would blank the entry's type)", () =>
    assert.match(
      messages(storage([], { key: 'k', parameters: { type: '' } }).results, 'error')[0],
      /parameters\.type is empty/,
    ));
  it('a URI the storage initializer does not feed from STORAGE_CONFIG: warning naming the service-account method', () =>
    assert.match(
      messages(storage([], { key: 'k' }, { uri: 'gs://bucket/model' }).results, 'warning')[0],
      /only to s3:\/\/, hdfs:\/\/, webhdfs:\/\/ downloads/,
    ));
  it('non-string parameters and keys are errors that say to quote them', () => {
    assert.match(
      messages(storage([], { key: 'k', parameters: { verify_ssl: false } }).results, 'error')[0],
      /must be a string/,
    );
    assert.match(messages(storage([], { key: 7 }).results, 'error')[0], /must be a string/);
  });
  for (const shape of ['SealedSecret', 'SOPS', 'ExternalSecret'] as const) {
    it(`a ${shape} storage-config: its entries are checked, their JSON is not`, () => {
      const items = [secretAs(shape, 'storage-config', { k: MINIO })];
      assert.deepEqual(envLines(storage(items, { key: 'k' }).env), ['STORAGE_CONFIG<-storage-config:k']);
      assert.match(messages(storage(items, { key: 'k' }).results, 'info')[0], /is encrypted in .*not verified/);
      assert.match(messages(storage(items, { key: 'nope' }).results, 'error')[0], /is not an entry of/);
    });
  }
});

describe('credential-like parameters are refused: they would land in Git in plain text', () => {
  for (const name of [
    'secret_access_key',
    'access_key_id',
    'token',
    'hfToken',
    'password',
    'SAS-Token',
    'Authorization',
    'api_key',
    'AccountKey',
    'KERBEROS_KEYTAB',
    'TLS_KEY',
    'session_token',
  ]) {
    it(name, () => {
      const out = storage([], { key: 'k', parameters: { type: 's3', [name]: 'CANARY-7' } });
      assert.deepEqual(out.env, []);
      const [e] = out.results.filter((r) => r.severity === 'error');
      assert.match(
        e.message,
        new RegExp(
          `storage\\.parameters\\.${name} looks like a credential.*put it in the entry k of secret kserve-localmodel-jobs/storage-config`,
        ),
      );
      assert.deepEqual(e.field, { path: `spec.storage.parameters.${name}` });
      assert.ok(!JSON.stringify(out).includes('CANARY'));
    });
  }
  for (const name of [
    'bucket',
    'region',
    'endpoint_url',
    'verify_ssl',
    'anonymous',
    'ca_bundle',
    'cabundle_configmap',
    'some-param',
    'HDFS_NAMENODE',
    'kerberos_principal',
  ]) {
    it(`${name} is not a credential`, () =>
      assert.deepEqual(
        messages(storage([], { key: 'k', parameters: { type: 's3', [name]: 'v' } }).results, 'error'),
        [],
      ));
  }
});

describe('which method wins', () => {
  const items = [secret('hf', { HF_TOKEN: 't' }), serviceAccount('sa', ['hf'])];
  it("serviceAccountName and storage.key: storage wins, the ServiceAccount's secrets are not wired, a warning says why", () => {
    const out = wire(items, { serviceAccountName: 'sa', storage: { key: 'k' } });
    assert.deepEqual(envLines(out.env), ['STORAGE_CONFIG<-storage-config:k']);
    assert.match(
      messages(out.results, 'warning').join('\n'),
      /the credentials come from spec\.storage \(KServe's rule: a storage spec takes precedence\), and the secrets of ServiceAccount sa are not wired\. The download pod still runs as sa/,
    );
  });
  it('…and the pod runs as a ServiceAccount that must exist: a warning when it is not in the input', () =>
    assert.match(
      messages(wire([], { serviceAccountName: 'sa', storage: { key: 'k' } }).results, 'warning').join('\n'),
      /runs as ServiceAccount kserve-localmodel-jobs\/sa, which is not in the input/,
    ));
  it("storage: {} is treated as absent, with a warning: the ServiceAccount's secrets are wired", () => {
    const out = wire(items, { serviceAccountName: 'sa', storage: {} });
    assert.deepEqual(envLines(out.env), ['HF_TOKEN<-hf:HF_TOKEN']);
    assert.match(
      messages(out.results, 'warning')[0],
      /neither a key nor parameters, so it is ignored and the credentials come from ServiceAccount sa/,
    );
  });
  it('storage: {} alone gives no credentials, with a warning', () => {
    const out = wire([], { storage: { key: '', parameters: {} } });
    assert.deepEqual(out.env, []);
    assert.match(messages(out.results, 'warning')[0], /the download gets no credentials/);
  });
  it('neither method: nothing at all', () =>
    assert.deepEqual(wire(items, {}), { env: [], volumes: [], volumeMounts: [], results: [] }));
});
