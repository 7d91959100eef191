// "Never copy a secret value", as properties: random secrets whose every value is a canary string,
// in every shape and through every method, and not one canary (nor its stored, encoded form) may
// appear in a generated object or a result. The two values that are read by design are not secret
// material: `https-host` (it becomes an env NAME) and the entry's `cabundle_configmap` (a ConfigMap
// name); they are drawn from plain names here. Parameters that look like credentials are refused.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KObject } from '../fn/krm/objects';
import type { Shape } from './support/credentials';
import { SHAPES, secretAs, serviceAccount, wire } from './support/credentials';
import { cache, fnConfig, node, nodeGroup } from './support/fixtures';
import { generated, runItems } from './support/harness';
import { propertyRuns } from './support/scope';

const canary = fc.stringMatching(/^[A-Za-z0-9]{12}$/).map((s) => `CANARY${s}`);

/** The key that makes each kind, in KServe's order; the kind's other keys; keys that never decide a kind. */
const DECIDING = [
  'AWS_SECRET_ACCESS_KEY',
  'gcloud-application-credentials.json',
  'AZ_CLIENT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_ACCESS_TOKEN',
  'AZURE_STORAGE_ACCESS_KEY',
  'https-host',
  'HDFS_NAMENODE',
  'HF_TOKEN',
  'MODELSCOPE_API_TOKEN',
  undefined,
];
const EXTRA = [
  'AWS_ACCESS_KEY_ID',
  'AZ_TENANT_ID',
  'AZ_CLIENT_SECRET',
  'AZ_SUBSCRIPTION_ID',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_ACCOUNT_NAME',
  'AZURE_SERVICE_URL',
  'AZURE_ACCESS_EXPIRES_ON_SECONDS',
  'headers',
  'KERBEROS_KEYTAB',
  'HDFS_ROOTPATH',
  'S3_ENDPOINT',
  'S3_USE_HTTPS',
  'S3_VERIFY_SSL',
  'AWS_DEFAULT_REGION',
  'awsAnonymousCredential',
  'AWS_CA_BUNDLE',
  'AWS_CA_BUNDLE_CONFIGMAP',
  'AWS_ENDPOINT_URL',
  'S3_USER_VIRTUAL_BUCKET',
  'S3_USE_ACCELERATE',
  'username',
  'password',
  'token',
];
const HOSTS = ['example.com', 'models.example.org', 'Example.com', 'example.com:8443'];
const S3_ANNOTATIONS = fc.dictionary(
  fc
    .constantFrom(
      's3-endpoint',
      's3-usehttps',
      's3-verifyssl',
      's3-region',
      's3-useanoncredential',
      's3-cabundle-configmap',
    )
    .map((k) => `serving.kserve.io/${k}`),
  fc.constantFrom('', '0', '1', 'minio:9000', 'https://minio:9000', 'us-east-1', 'my-ca'),
  { maxKeys: 3 },
);

interface SecretCase {
  shape: Shape;
  data: Record<string, string>;
  annotations: Record<string, string>;
}

/** One secret of a chosen kind (or none), its other keys at random, every value a canary but https-host. */
const secretCase: fc.Arbitrary<SecretCase> = fc
  .record({
    shape: fc.constantFrom(...SHAPES),
    deciding: fc.constantFrom(...DECIDING),
    extra: fc.uniqueArray(fc.constantFrom(...EXTRA), { maxLength: 6 }),
    headers: fc.boolean(),
    values: fc.array(canary, { minLength: 8, maxLength: 8 }),
    host: fc.constantFrom(...HOSTS, 'example.com'),
    annotations: S3_ANNOTATIONS,
  })
  .map(({ shape, deciding, extra, headers, values, host, annotations }) => {
    const keys = [
      ...new Set([
        ...(deciding && deciding !== 'https-host' ? [deciding] : []),
        ...extra,
        ...(deciding === 'https-host' && headers ? ['headers'] : []),
      ]),
    ];
    return {
      shape,
      data: {
        ...Object.fromEntries(keys.map((k, i) => [k, values[i % values.length] + i])),
        ...(deciding === 'https-host' ? { 'https-host': host } : {}),
      },
      annotations,
    };
  });

/** A storage-config entry: JSON full of canaries, sometimes broken, with a plain ConfigMap name at most. */
const entry = fc
  .record({
    type: fc.constantFrom('s3', 'hdfs', 'webhdfs', 'hf', 'gs', undefined),
    secrets: fc.array(canary, { minLength: 3, maxLength: 3 }),
    cabundle: fc.option(fc.constant('my-ca-bundle'), { nil: undefined }),
    broken: fc.boolean(),
  })
  .map(({ type, secrets, cabundle, broken }) => {
    const json = JSON.stringify({
      ...(type ? { type } : {}),
      access_key_id: secrets[0],
      secret_access_key: secrets[1],
      token: secrets[2],
      ...(cabundle ? { cabundle_configmap: cabundle } : {}),
    });
    return broken ? json.slice(0, -3) : json;
  });

const method = fc.oneof(
  { arbitrary: fc.constant({ serviceAccountName: 'sa' }), weight: 4 },
  fc.constantFrom('k', 'default_s3').map((key) => ({ storage: { key } })),
  fc.constantFrom('s3', 'hdfs').map((type) => ({ storage: { parameters: { type, region: 'us-west-2' } } })),
  fc.constant({ serviceAccountName: 'sa', storage: { key: 'k' } }),
);

const scenario = fc.record({
  secrets: fc.array(secretCase, { minLength: 1, maxLength: 3 }),
  irsa: fc.boolean(),
  storageShape: fc.constantFrom(...SHAPES),
  entries: fc.dictionary(fc.constantFrom('k', 'default', 'default_s3', 'other'), entry, { minKeys: 1, maxKeys: 3 }),
  method,
  uri: fc.constantFrom('s3://bucket/model', 'hf://org/model', 'https://example.com/model.tgz', 'gs://b/m'),
  downloadMode: fc.constantFrom('jobs', 'daemonset'),
});

/** Every value a secret holds, as it is written in the input and as it decodes: none may be copied. */
function secretValues(items: KObject[], plain: string[]): string[] {
  const stored: string[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (typeof v === 'string') {
      if (/^(data|stringData|spec\.encryptedData)\./.test(path.join('.'))) stored.push(v);
    } else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
  };
  for (const o of items) walk(o, []);
  return [...stored, ...plain].filter((v) => v.includes('CANARY') || /^(AgB|ENC\[)/.test(v) || v.length > 16);
}

describe('no secret value is ever copied into the output (property)', () => {
  it('random secrets of every shape, through every method, in both download modes: no canary in env, volumes, Jobs, DaemonSets or results', () => {
    fc.assert(
      fc.property(scenario, ({ secrets, irsa, storageShape, entries, method: spec, uri, downloadMode }) => {
        const secretItems = secrets.map((s, i) =>
          secretAs(s.shape, `cred-${i}`, s.data, Object.keys(s.annotations).length ? s.annotations : undefined),
        );
        const storageConfig = secretAs(storageShape, 'storage-config', entries);
        const sa = serviceAccount(
          'sa',
          secrets.map((_, i) => `cred-${i}`),
          irsa ? { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/r' } : undefined,
        );
        const items = [...secretItems, storageConfig, sa];
        const canaries = [
          ...secrets.flatMap((s) =>
            Object.entries(s.data)
              .filter(([k]) => k !== 'https-host')
              .map(([, v]) => v),
          ),
          ...Object.values(entries).flatMap((e) => e.match(/CANARY[A-Za-z0-9]{12}/g) ?? []),
        ];
        const forbidden = secretValues(items, canaries).filter((v) => !HOSTS.includes(v));

        const wiring = JSON.stringify(wire(items, spec, { uri }));
        const out = runItems(
          [...items, cache('c', uri, ['workers'], spec), nodeGroup('workers'), node('n1')],
          fnConfig({ downloadMode }),
        );
        const shown = JSON.stringify({ generated: generated(out.items), results: out.results });
        for (const value of forbidden) {
          assert.ok(!wiring.includes(value), `credentialsFor copied a secret value: ${value}`);
          assert.ok(!shown.includes(value), `the output copied a secret value: ${value}`);
        }
      }),
      { numRuns: propertyRuns(300), seed: 20261127 },
    );
  });
});

const CREDENTIAL_WORDS = [
  'secret',
  'token',
  'password',
  'passwd',
  'credential',
  'auth',
  'keytab',
  'session',
  'sas',
  'apikey',
  'access_key',
  'private_key',
  'api_key',
  'tls_key',
  'account_key',
];
const credentialName = fc
  .record({
    prefix: fc.constantFrom('', 'hf_', 'aws-', 'my.', 'x_', 'storage'),
    word: fc.constantFrom(...CREDENTIAL_WORDS),
    style: fc.constantFrom('lower', 'upper', 'camel'),
    suffix: fc.constantFrom('', '_id', 'Value', '-2', '.b64'),
  })
  .map(({ prefix, word, style, suffix }) => {
    const styled =
      style === 'upper'
        ? word.toUpperCase()
        : style === 'camel'
          ? word.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())
          : word;
    const joined = prefix && style === 'lower' && !/[-_.]$/.test(prefix) ? `${prefix}_${styled}` : `${prefix}${styled}`;
    return `${joined}${suffix}`;
  });

describe('credential-like storage.parameters are refused (property)', () => {
  it('any spelling of a credential word: an error that says where it belongs, and the value nowhere', () => {
    fc.assert(
      fc.property(credentialName, canary, fc.constantFrom(undefined, 'k'), (name, value, key) => {
        const spec = { storage: { ...(key ? { key } : {}), parameters: { type: 's3', [name]: value } } };
        const out = runItems([cache('c', 's3://bucket/model', ['workers'], spec), nodeGroup('workers'), node('n1')]);
        const refusal = out.results.find(
          (r) => r.severity === 'error' && r.field?.path === `spec.storage.parameters.${name}`,
        );
        assert.ok(refusal, `${name} was not refused`);
        assert.match(refusal.message, /looks like a credential.*For s3:\/\/ put it in the entry/);
        assert.equal(out.exitCode, 1);
        assert.deepEqual(generated(out.items), []);
        assert.ok(!JSON.stringify(out.results).includes(value));
      }),
      { numRuns: propertyRuns(200), seed: 7 },
    );
  });
});
