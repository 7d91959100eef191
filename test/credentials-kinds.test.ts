// Classification by the first recognised data key, and what each kind of secret gives the download
// container: KServe's vectors D7–D11 and E, the derived vector H5, and our rules where KServe's
// output would break the pod or copy a secret value.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify } from '../fn/credentials/classify';
import { SHIPPED_CONFIG } from '../fn/inputs/kserve-config';
import { envLines, messages, secret, secretAs, serviceAccount, wire } from './support/credentials';

const viaSa = (data: Record<string, string>, name = 's', options: Parameters<typeof wire>[2] = {}) =>
  wire([secret(name, data), serviceAccount('sa', [name])], { serviceAccountName: 'sa' }, options);

describe("classification: the first key in KServe's order decides, whatever else the secret holds", () => {
  const kindOf = (...keys: string[]) => classify(new Set(keys), SHIPPED_CONFIG.credentials)?.kind;
  const order: [string[], string | undefined][] = [
    [['HF_TOKEN', 'AWS_SECRET_ACCESS_KEY'], 's3'],
    [['gcloud-application-credentials.json', 'AZ_CLIENT_ID'], 'gcs'],
    [['AZ_CLIENT_ID', 'AZURE_STORAGE_ACCESS_KEY'], 'azure'],
    [['AZURE_ACCESS_TOKEN'], 'azure'],
    [['AZURE_STORAGE_ACCESS_KEY', 'https-host'], 'azure-storage-key'],
    [['https-host', 'HDFS_NAMENODE'], 'https'],
    [['HDFS_NAMENODE', 'HF_TOKEN'], 'hdfs'],
    [['HF_TOKEN', 'MODELSCOPE_API_TOKEN'], 'hf'],
    [['MODELSCOPE_API_TOKEN'], 'modelscope'],
    [['token', 'ca.crt', 'namespace'], undefined],
    [['AWS_ACCESS_KEY_ID'], undefined],
  ];
  for (const [keys, kind] of order)
    it(`${keys.join(' + ')} → ${kind ?? 'nothing'}`, () => assert.equal(kindOf(...keys), kind));
  it('the S3 key is the configured secret-access-key name', () =>
    assert.equal(
      classify(new Set(['awsSecretAccessKey']), {
        ...SHIPPED_CONFIG.credentials,
        s3: { ...SHIPPED_CONFIG.credentials.s3, s3SecretAccessKeyName: 'awsSecretAccessKey' },
      })?.kind,
      's3',
    ));
  it('the GCS key is the configured file name', () => {
    const out = viaSa({ 'sa.json': '{}' }, 's', { credentials: { gcs: { gcsCredentialFileName: 'sa.json' } } });
    assert.deepEqual(envLines(out.env), ['GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/sa.json']);
  });
});

describe('GCS: a secret volume, its mount and GOOGLE_APPLICATION_CREDENTIALS (D7)', () => {
  it('D7 TestGCSCredentialBuilder', () => {
    const out = viaSa({ 'gcloud-application-credentials.json': '{}' }, 'user-gcp-sa');
    assert.deepEqual(envLines(out.env), [
      'GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/gcloud-application-credentials.json',
    ]);
    assert.deepEqual(out.volumeMounts, [{ name: 'user-gcp-sa', mountPath: '/var/secrets/', readOnly: true }]);
    assert.deepEqual(out.volumes, [{ name: 'user-gcp-sa', secret: { secretName: 'user-gcp-sa' } }]);
  });
});

describe('Azure: every AZURE_* the secret has, legacy AZ_* keys standing in (D8–D10, E, H5)', () => {
  it('D8 legacy keys', () =>
    assert.deepEqual(
      envLines(
        viaSa(
          { AZ_SUBSCRIPTION_ID: 'a', AZ_TENANT_ID: 'b', AZ_CLIENT_ID: 'c', AZ_CLIENT_SECRET: 'd' },
          'az-custom-secret',
        ).env,
      ),
      [
        'AZURE_SUBSCRIPTION_ID<-az-custom-secret:AZ_SUBSCRIPTION_ID',
        'AZURE_TENANT_ID<-az-custom-secret:AZ_TENANT_ID',
        'AZURE_CLIENT_ID<-az-custom-secret:AZ_CLIENT_ID',
        'AZURE_CLIENT_SECRET<-az-custom-secret:AZ_CLIENT_SECRET',
      ],
    ));
  it('D9 current keys, in KServe order whatever the data order', () =>
    assert.deepEqual(
      envLines(
        viaSa(
          {
            AZURE_STORAGE_ACCESS_KEY: 'e',
            AZURE_CLIENT_SECRET: 'd',
            AZURE_CLIENT_ID: 'c',
            AZURE_TENANT_ID: 'b',
            AZURE_SUBSCRIPTION_ID: 'a',
          },
          'az',
        ).env,
      ),
      [
        'AZURE_SUBSCRIPTION_ID<-az:AZURE_SUBSCRIPTION_ID',
        'AZURE_TENANT_ID<-az:AZURE_TENANT_ID',
        'AZURE_CLIENT_ID<-az:AZURE_CLIENT_ID',
        'AZURE_CLIENT_SECRET<-az:AZURE_CLIENT_SECRET',
        'AZURE_STORAGE_ACCESS_KEY<-az:AZURE_STORAGE_ACCESS_KEY',
      ],
    ));
  it('D10 storage access key alone', () =>
    assert.deepEqual(envLines(viaSa({ AZURE_STORAGE_ACCESS_KEY: 'k' }, 'az').env), [
      'AZURE_STORAGE_ACCESS_KEY<-az:AZURE_STORAGE_ACCESS_KEY',
    ]));
  it('E WithoutClientSecretAndStorageAccessKey', () =>
    assert.deepEqual(
      envLines(viaSa({ AZURE_SUBSCRIPTION_ID: 'a', AZURE_TENANT_ID: 'b', AZURE_CLIENT_ID: 'c' }, 'azcreds').env),
      [
        'AZURE_SUBSCRIPTION_ID<-azcreds:AZURE_SUBSCRIPTION_ID',
        'AZURE_TENANT_ID<-azcreds:AZURE_TENANT_ID',
        'AZURE_CLIENT_ID<-azcreds:AZURE_CLIENT_ID',
      ],
    ));
  it('a legacy key wins over the current one', () =>
    assert.deepEqual(envLines(viaSa({ AZ_CLIENT_ID: 'x', AZURE_CLIENT_ID: 'y', AZURE_TENANT_ID: 't' }).env), [
      'AZURE_TENANT_ID<-s:AZURE_TENANT_ID',
      'AZURE_CLIENT_ID<-s:AZ_CLIENT_ID',
    ]));
  it('H5 differs (ours): a token secret without a tenant gets no dangling AZURE_TENANT_ID reference', () =>
    assert.deepEqual(envLines(viaSa({ AZURE_ACCESS_TOKEN: 't', AZURE_ACCOUNT_NAME: 'n' }, 'a').env), [
      'AZURE_ACCESS_TOKEN<-a:AZURE_ACCESS_TOKEN',
      'AZURE_ACCOUNT_NAME<-a:AZURE_ACCOUNT_NAME',
    ]));
  it('a client secret without a tenant is a warning', () =>
    assert.match(
      messages(viaSa({ AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 'd' }).results, 'warning').join('\n'),
      /no AZURE_TENANT_ID/,
    ));
  it('every Azure variable KServe knows', () => {
    const all = [
      'AZURE_SUBSCRIPTION_ID',
      'AZURE_TENANT_ID',
      'AZURE_CLIENT_ID',
      'AZURE_CLIENT_SECRET',
      'AZURE_STORAGE_ACCESS_KEY',
      'AZURE_ACCESS_TOKEN',
      'AZURE_ACCESS_EXPIRES_ON_SECONDS',
      'AZURE_ACCOUNT_NAME',
      'AZURE_SERVICE_URL',
    ];
    assert.deepEqual(
      envLines(viaSa(Object.fromEntries(all.map((k) => [k, 'v']))).env),
      all.map((k) => `${k}<-s:${k}`),
    );
  });
});

describe('HTTP(S) headers: env <https-host>-headers by reference to `headers` (E https)', () => {
  const headers = { 'https-host': 'example.com', headers: '{"Authorization": "Bearer x"}' };
  it('secretEnvs (DECISION: a reference, where KServe copies the headers in plain text)', () =>
    assert.deepEqual(envLines(viaSa(headers, 'h', { credentials: {} }).env), ['example.com-headers<-h:headers']));
  it('noHeaders: nothing is wired, a warning says so, and the ServiceAccount gives no credentials (error)', () => {
    const out = viaSa({ 'https-host': 'example.com' });
    assert.deepEqual(out.env, []);
    assert.match(messages(out.results, 'warning').join('\n'), /no headers/);
    assert.match(messages(out.results, 'error').join('\n'), /gives the download no credentials/);
  });
  it('noUriHost: header keys alone classify as nothing', () =>
    assert.match(
      messages(viaSa({ headers: '{}' }).results, 'warning').join('\n'),
      /none of the data keys KServe recognises/,
    ));
  for (const bad of [
    'Example.com',
    'example.com:8443',
    'https://example.com',
    'example.com/models',
    ' example.com',
    '',
  ]) {
    it(`https-host ${JSON.stringify(bad)} is an error: only a bare lower-case host name is ever looked up`, () =>
      assert.match(
        messages(viaSa({ 'https-host': bad, headers: '{}' }).results, 'error').join('\n'),
        /bare host name/,
      ));
  }
  it("a host other than the model URI's is a warning", () =>
    assert.match(
      messages(viaSa(headers, 's', { uri: 'https://models.example.org/m.tar' }).results, 'warning').join('\n'),
      /downloaded from models\.example\.org/,
    ));
  for (const shape of ['SealedSecret', 'ExternalSecret', 'SOPS'] as const) {
    it(`an encrypted https-host (${shape}) is an error: its value names the env var`, () => {
      const out = wire([secretAs(shape, 'h', headers), serviceAccount('sa', ['h'])], { serviceAccountName: 'sa' });
      assert.match(messages(out.results, 'error').join('\n'), /keeps https-host encrypted/);
    });
  }
  it('an https-host left in plain text in a SealedSecret template is read', () => {
    const sealed = secretAs('SealedSecret', 'h', { headers: '{}' });
    (sealed.spec as { template: Record<string, unknown> }).template.data = { 'https-host': 'example.com' };
    assert.deepEqual(envLines(wire([sealed, serviceAccount('sa', ['h'])], { serviceAccountName: 'sa' }).env), [
      'example.com-headers<-h:headers',
    ]);
  });
});

describe('HDFS: the secret mounted at /var/secrets/kserve-hdfscreds, no env (D11)', () => {
  it('D11 TestHdfsCredentialBuilder', () => {
    const out = viaSa(
      { HDFS_NAMENODE: 'n', HDFS_ROOTPATH: 'r', KERBEROS_PRINCIPAL: 'p', KERBEROS_KEYTAB: 'k' },
      'hdfs-custom-secret',
    );
    assert.deepEqual(out.env, []);
    assert.deepEqual(out.volumeMounts, [
      { name: 'hdfs-secrets', mountPath: '/var/secrets/kserve-hdfscreds', readOnly: true },
    ]);
    assert.deepEqual(out.volumes, [{ name: 'hdfs-secrets', secret: { secretName: 'hdfs-custom-secret' } }]);
  });
});

describe('Hugging Face and ModelScope: one token each, by reference (E hf, ms)', () => {
  it('HF_TOKEN', () =>
    assert.deepEqual(envLines(viaSa({ HF_TOKEN: 't' }, 'hf-secret').env), ['HF_TOKEN<-hf-secret:HF_TOKEN']));
  it('MODELSCOPE_API_TOKEN', () =>
    assert.deepEqual(envLines(viaSa({ MODELSCOPE_API_TOKEN: 't' }, 'ms-secret').env), [
      'MODELSCOPE_API_TOKEN<-ms-secret:MODELSCOPE_API_TOKEN',
    ]));
  it('an HF_TOKEN beside S3 keys is not wired: the secret is an S3 secret', () =>
    assert.deepEqual(envLines(viaSa({ HF_TOKEN: 't', AWS_ACCESS_KEY_ID: 'i', AWS_SECRET_ACCESS_KEY: 'k' }).env), [
      'AWS_ACCESS_KEY_ID<-s:AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY<-s:AWS_SECRET_ACCESS_KEY',
    ]));
});
