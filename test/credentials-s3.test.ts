// S3: KServe's own test vectors (pkg/credentials/s3 and service_account_credentials_test.go, tables
// A–D of the research notes), the derived vectors H1–H4 and H6 (labelled "ours"), and the places
// where a value held in secret data stays a reference instead of KServe's copied literal.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { s3SettingsEnv } from '../fn/credentials/s3-settings';
import type { S3Config } from '../fn/inputs/kserve-config';
import { secretShapeOf } from '../fn/inputs/secret-shape';
import { goTrimSpace } from '../fn/k8s/apiserver-rules';
import type { KObject } from '../fn/krm/objects';
import { envLines, messages, secret, serviceAccount, wire } from './support/credentials';

const A = 'serving.kserve.io/';
const CODE_DEFAULT_NAMES = { s3AccessKeyIDName: 'awsAccessKeyID', s3SecretAccessKeyName: 'awsSecretAccessKey' };

/** s3SettingsEnv for annotations, secret data and config, as KServe's BuildS3EnvVars tests call it. */
function settings(
  annotations: Record<string, string>,
  data: Record<string, string> | undefined,
  config: Partial<S3Config> = {},
) {
  const s = data ? secretShapeOf(secret('s3-secret', data, annotations)) : undefined;
  return s3SettingsEnv({
    annotations,
    secret: s,
    config: { ...CODE_DEFAULT_NAMES, ...config },
    reportOn: { kind: 'Secret' } as KObject,
  });
}
const lines = (...args: Parameters<typeof settings>) => envLines(settings(...args).env);

const CFG_L: Partial<S3Config> = {
  s3Endpoint: 's3.aws.com-config',
  s3UseVirtualBucket: 'false',
  s3UseAccelerate: 'false',
  s3UseAnonymousCredential: 'false',
  s3CABundleConfigMap: 'value-config',
  s3CABundle: 'value-config',
};
/**
 * The config of KServe's two precedence vectors: each value marked `-config`, and each hidden by the
 * annotation or secret data key of the same setting.
 */
const CFG_HIDDEN: Partial<S3Config> = {
  s3Endpoint: 's3.aws.com-config',
  s3Region: 'us-east-2-config',
  s3VerifySSL: '1',
  s3UseVirtualBucket: 'false',
  s3UseAccelerate: 'false',
  s3UseAnonymousCredential: 'false',
  s3CABundleConfigMap: 'value-config',
  s3CABundle: 'value-config',
};
const TAIL_CFG = [
  'awsAnonymousCredential=false',
  'S3_USER_VIRTUAL_BUCKET=false',
  'S3_USE_ACCELERATE=false',
  'AWS_CA_BUNDLE=value-config',
  'AWS_CA_BUNDLE_CONFIGMAP=value-config',
];
const ALL_SETTINGS = [
  'S3_USE_HTTPS=0',
  'S3_ENDPOINT=s3.aws.com',
  'AWS_ENDPOINT_URL=http://s3.aws.com',
  'S3_VERIFY_SSL=0',
  'awsAnonymousCredential=true',
  'AWS_DEFAULT_REGION=us-east-2',
  'S3_USER_VIRTUAL_BUCKET=true',
  'S3_USE_ACCELERATE=true',
  'AWS_CA_BUNDLE=value',
  'AWS_CA_BUNDLE_CONFIGMAP=value',
];

describe('S3 settings: KServe vectors A (TestBuildS3EnvVars)', () => {
  it('S3Endpoint: an annotation endpoint without scheme gives https', () =>
    assert.deepEqual(lines({ [`${A}s3-endpoint`]: 's3.aws.com' }, undefined), [
      'S3_ENDPOINT=s3.aws.com',
      'AWS_ENDPOINT_URL=https://s3.aws.com',
    ]));

  it('AllAnnotations: every setting from annotations, in KServe order', () =>
    assert.deepEqual(
      lines(
        {
          [`${A}s3-endpoint`]: 's3.aws.com',
          [`${A}s3-region`]: 'us-east-2',
          [`${A}s3-verifyssl`]: '0',
          [`${A}s3-usehttps`]: '0',
          [`${A}s3-usevirtualbucket`]: 'true',
          [`${A}s3-useaccelerate`]: 'true',
          [`${A}s3-useanoncredential`]: 'true',
          [`${A}s3-cabundle`]: 'value',
          [`${A}s3-cabundle-configmap`]: 'value',
        },
        undefined,
      ),
      ALL_SETTINGS,
    ));

  it('AllS3Config: every setting from the KServe config', () =>
    assert.deepEqual(
      lines({}, undefined, {
        s3Endpoint: 's3.aws.com',
        s3UseHttps: '0',
        s3Region: 'us-east-2',
        s3VerifySSL: '0',
        s3UseVirtualBucket: 'true',
        s3UseAccelerate: 'true',
        s3UseAnonymousCredential: 'true',
        s3CABundleConfigMap: 'value',
        s3CABundle: 'value',
      }),
      ALL_SETTINGS,
    ));

  it('AllSecret (DECISION: the same settings held in secret data stay references; no AWS_ENDPOINT_URL is derived)', () => {
    const data = {
      S3_USE_HTTPS: '0',
      S3_ENDPOINT: 's3.aws.com',
      S3_VERIFY_SSL: '0',
      awsAnonymousCredential: 'true',
      AWS_DEFAULT_REGION: 'us-east-2',
      S3_USER_VIRTUAL_BUCKET: 'true',
      S3_USE_ACCELERATE: 'true',
      AWS_CA_BUNDLE: 'value',
      AWS_CA_BUNDLE_CONFIGMAP: 'value',
    };
    const out = settings({}, data);
    assert.deepEqual(envLines(out.env), [
      'S3_USE_HTTPS<-s3-secret:S3_USE_HTTPS',
      'S3_ENDPOINT<-s3-secret:S3_ENDPOINT',
      'S3_VERIFY_SSL<-s3-secret:S3_VERIFY_SSL',
      'awsAnonymousCredential<-s3-secret:awsAnonymousCredential',
      'AWS_DEFAULT_REGION<-s3-secret:AWS_DEFAULT_REGION',
      'S3_USER_VIRTUAL_BUCKET<-s3-secret:S3_USER_VIRTUAL_BUCKET',
      'S3_USE_ACCELERATE<-s3-secret:S3_USE_ACCELERATE',
      'AWS_CA_BUNDLE<-s3-secret:AWS_CA_BUNDLE',
      'AWS_CA_BUNDLE_CONFIGMAP<-s3-secret:AWS_CA_BUNDLE_CONFIGMAP',
    ]);
    assert.match(
      messages(out.results, 'warning').join('\n'),
      /cannot derive AWS_ENDPOINT_URL.*annotation serving\.kserve\.io\/s3-endpoint/,
    );
  });

  it('AnnotationsSecretAndS3Config: annotation over data over config, per setting', () =>
    assert.deepEqual(
      lines(
        {
          [`${A}s3-endpoint`]: 's3.aws.com-annotation',
          [`${A}s3-region`]: 'us-east-2-annotation',
          [`${A}s3-verifyssl`]: '0',
          [`${A}s3-usevirtualbucket`]: 'true',
          [`${A}s3-useaccelerate`]: 'true',
          [`${A}s3-useanoncredential`]: 'true',
          [`${A}s3-cabundle`]: 'value-annotation',
          [`${A}s3-cabundle-configmap`]: 'value-annotation',
        },
        {
          S3_ENDPOINT: 's3.aws.com-secret',
          S3_VERIFY_SSL: '1',
          awsAnonymousCredential: 'false',
          AWS_DEFAULT_REGION: 'us-east-2-secret',
          S3_USER_VIRTUAL_BUCKET: 'false',
          S3_USE_ACCELERATE: 'false',
          AWS_CA_BUNDLE: 'value-secret',
          AWS_CA_BUNDLE_CONFIGMAP: 'value-secret',
        },
        CFG_HIDDEN,
      ),
      [
        'S3_ENDPOINT=s3.aws.com-annotation',
        'AWS_ENDPOINT_URL=https://s3.aws.com-annotation',
        'S3_VERIFY_SSL=0',
        'awsAnonymousCredential=true',
        'AWS_DEFAULT_REGION=us-east-2-annotation',
        'S3_USER_VIRTUAL_BUCKET=true',
        'S3_USE_ACCELERATE=true',
        'AWS_CA_BUNDLE=value-annotation',
        'AWS_CA_BUNDLE_CONFIGMAP=value-annotation',
      ],
    ));

  it('SecretAndS3Config (DECISION: data over config, as references)', () =>
    assert.deepEqual(
      lines(
        {},
        {
          S3_ENDPOINT: 's3.aws.com-secret',
          S3_VERIFY_SSL: '0',
          awsAnonymousCredential: 'true',
          AWS_DEFAULT_REGION: 'us-east-2-secret',
          S3_USER_VIRTUAL_BUCKET: 'true',
          S3_USE_ACCELERATE: 'true',
          AWS_CA_BUNDLE: 'value-secret',
          AWS_CA_BUNDLE_CONFIGMAP: 'value-secret',
        },
        CFG_HIDDEN,
      ),
      [
        'S3_ENDPOINT<-s3-secret:S3_ENDPOINT',
        'S3_VERIFY_SSL<-s3-secret:S3_VERIFY_SSL',
        'awsAnonymousCredential<-s3-secret:awsAnonymousCredential',
        'AWS_DEFAULT_REGION<-s3-secret:AWS_DEFAULT_REGION',
        'S3_USER_VIRTUAL_BUCKET<-s3-secret:S3_USER_VIRTUAL_BUCKET',
        'S3_USE_ACCELERATE<-s3-secret:S3_USE_ACCELERATE',
        'AWS_CA_BUNDLE<-s3-secret:AWS_CA_BUNDLE',
        'AWS_CA_BUNDLE_CONFIGMAP<-s3-secret:AWS_CA_BUNDLE_CONFIGMAP',
      ],
    ));

  it('EndpointWithHttpsProtocol: the scheme wins over usehttps 0', () =>
    assert.deepEqual(
      lines(
        { [`${A}s3-endpoint`]: 'https://s3.aws.com', [`${A}s3-verifyssl`]: '1', [`${A}s3-usehttps`]: '0' },
        undefined,
      ),
      ['S3_USE_HTTPS=1', 'S3_ENDPOINT=s3.aws.com', 'AWS_ENDPOINT_URL=https://s3.aws.com', 'S3_VERIFY_SSL=1'],
    ));

  it('EndpointWithHttpProtocol: the scheme wins over usehttps 1', () =>
    assert.deepEqual(
      lines(
        { [`${A}s3-endpoint`]: 'http://s3.aws.com', [`${A}s3-verifyssl`]: '0', [`${A}s3-usehttps`]: '1' },
        undefined,
      ),
      ['S3_USE_HTTPS=0', 'S3_ENDPOINT=s3.aws.com', 'AWS_ENDPOINT_URL=http://s3.aws.com', 'S3_VERIFY_SSL=0'],
    ));

  it('LocalWithHttpProtocol etc. (DECISION: a data endpoint stays a reference; config fills the other settings)', () => {
    const out = settings({}, { S3_ENDPOINT: 'http://localhost:9000', S3_USE_HTTPS: '1' }, CFG_L);
    assert.deepEqual(envLines(out.env), [
      'S3_USE_HTTPS<-s3-secret:S3_USE_HTTPS',
      'S3_ENDPOINT<-s3-secret:S3_ENDPOINT',
      ...TAIL_CFG,
    ]);
  });

  it('LocalWith…Protocol, ours: with an AWS_ENDPOINT_URL key beside a data endpoint, that key is referenced and nothing is warned', () => {
    const out = settings(
      {},
      { S3_ENDPOINT: 'localhost:9000', AWS_ENDPOINT_URL: 'http://localhost:9000', S3_USE_HTTPS: '0' },
      CFG_L,
    );
    assert.deepEqual(envLines(out.env), [
      'S3_USE_HTTPS<-s3-secret:S3_USE_HTTPS',
      'S3_ENDPOINT<-s3-secret:S3_ENDPOINT',
      'AWS_ENDPOINT_URL<-s3-secret:AWS_ENDPOINT_URL',
      ...TAIL_CFG,
    ]);
    assert.deepEqual(
      messages(out.results).filter((m) => !m.startsWith('AWS_CA_BUNDLE_CONFIGMAP')),
      [],
    );
  });
});

const P = (s: string, id = 'awsAccessKeyID', key = 'awsSecretAccessKey') => [
  `AWS_ACCESS_KEY_ID<-${s}:${id}`,
  `AWS_SECRET_ACCESS_KEY<-${s}:${key}`,
];
const s3wire = (
  data: Record<string, string>,
  annotations: Record<string, string> | undefined,
  s3: Record<string, string> = {},
) =>
  wire(
    [
      secret('s3-secret', { awsAccessKeyID: 'id', awsSecretAccessKey: 'key', ...data }, annotations),
      serviceAccount('sa', ['s3-secret']),
    ],
    { serviceAccountName: 'sa' },
    { credentials: { s3: { ...CODE_DEFAULT_NAMES, ...s3 } } },
  );

describe('S3 secret: KServe vectors B (TestS3Secret)', () => {
  /** The secret's access keys under other data keys, which the config names. */
  const renamedKeys = (s3: Record<string, string>) =>
    wire(
      [secret('s3-secret', { 'test-keyId': 'id', 'test-access-key': 'key' }), serviceAccount('sa', ['s3-secret'])],
      { serviceAccountName: 'sa' },
      { credentials: { s3: { s3AccessKeyIDName: 'test-keyId', s3SecretAccessKeyName: 'test-access-key', ...s3 } } },
    );

  it('S3SecretAnnotationEnvs', () =>
    assert.deepEqual(envLines(s3wire({}, { [`${A}s3-endpoint`]: 's3.aws.com' }).env), [
      ...P('s3-secret'),
      'S3_ENDPOINT=s3.aws.com',
      'AWS_ENDPOINT_URL=https://s3.aws.com',
    ]));
  it('S3SecretAnnotationHttpsOverrideEnvs', () =>
    assert.deepEqual(
      envLines(
        s3wire({}, { [`${A}s3-endpoint`]: 's3.aws.com', [`${A}s3-usehttps`]: '0', [`${A}s3-verifyssl`]: '0' }).env,
      ),
      [
        ...P('s3-secret'),
        'S3_USE_HTTPS=0',
        'S3_ENDPOINT=s3.aws.com',
        'AWS_ENDPOINT_URL=http://s3.aws.com',
        'S3_VERIFY_SSL=0',
      ],
    ));
  it('S3SecretAnnotationEndpointWithProtocol', () =>
    assert.deepEqual(
      envLines(
        s3wire({}, { [`${A}s3-endpoint`]: 'https://s3.aws.com', [`${A}s3-usehttps`]: '0', [`${A}s3-verifyssl`]: '1' })
          .env,
      ),
      [
        ...P('s3-secret'),
        'S3_USE_HTTPS=1',
        'S3_ENDPOINT=s3.aws.com',
        'AWS_ENDPOINT_URL=https://s3.aws.com',
        'S3_VERIFY_SSL=1',
      ],
    ));
  it('S3SecretAnnotationEnvsWithAnonymousCredentials', () =>
    assert.deepEqual(
      envLines(s3wire({}, { [`${A}s3-endpoint`]: 's3.aws.com', [`${A}s3-useanoncredential`]: 'true' }).env),
      [
        ...P('s3-secret'),
        'S3_ENDPOINT=s3.aws.com',
        'AWS_ENDPOINT_URL=https://s3.aws.com',
        'awsAnonymousCredential=true',
      ],
    ));
  it('S3SecretDataEnvs (DECISION: the data endpoint is a reference, with a warning naming the annotation)', () => {
    const out = s3wire({ S3_ENDPOINT: 's3.aws.com' }, undefined);
    assert.deepEqual(envLines(out.env), [...P('s3-secret'), 'S3_ENDPOINT<-s3-secret:S3_ENDPOINT']);
    assert.equal(messages(out.results, 'warning').length, 1);
  });
  it('S3Config: the config names the access-key data keys', () => {
    const out = renamedKeys({ s3UseHttps: '0', s3Endpoint: 's3.aws.com' });
    assert.deepEqual(envLines(out.env), [
      'AWS_ACCESS_KEY_ID<-s3-secret:test-keyId',
      'AWS_SECRET_ACCESS_KEY<-s3-secret:test-access-key',
      'S3_USE_HTTPS=0',
      'S3_ENDPOINT=s3.aws.com',
      'AWS_ENDPOINT_URL=http://s3.aws.com',
    ]);
  });
  it('S3ConfigWithProtocol: a config endpoint scheme wins over config usehttps', () => {
    const out = renamedKeys({ s3UseHttps: '1', s3Endpoint: 'http://s3.aws.com' });
    assert.deepEqual(envLines(out.env).slice(2), [
      'S3_USE_HTTPS=0',
      'S3_ENDPOINT=s3.aws.com',
      'AWS_ENDPOINT_URL=http://s3.aws.com',
    ]);
  });
});

const irsa = (annotations: Record<string, string>, s3: Record<string, string> = {}) =>
  wire(
    [
      serviceAccount('sa', [], {
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/s3access',
        ...annotations,
      }),
    ],
    { serviceAccountName: 'sa' },
    { credentials: { s3: { ...CODE_DEFAULT_NAMES, ...s3 } } },
  );

describe('IRSA ServiceAccount: KServe vectors C (s3_service_account_test.go)', () => {
  it('NoConfig: no settings, no env, and an info that IRSA provides the credentials', () => {
    const out = irsa({});
    assert.deepEqual(out.env, []);
    assert.match(messages(out.results, 'info').join('\n'), /runs as it, so IRSA/);
  });
  it('S3Endpoint', () =>
    assert.deepEqual(envLines(irsa({ [`${A}s3-endpoint`]: 's3.aws.com' }).env), [
      'S3_ENDPOINT=s3.aws.com',
      'AWS_ENDPOINT_URL=https://s3.aws.com',
    ]));
  it('S3HttpsOverrideEnvs', () =>
    assert.deepEqual(
      envLines(irsa({ [`${A}s3-endpoint`]: 's3.aws.com', [`${A}s3-usehttps`]: '0', [`${A}s3-verifyssl`]: '0' }).env),
      ['S3_USE_HTTPS=0', 'S3_ENDPOINT=s3.aws.com', 'AWS_ENDPOINT_URL=http://s3.aws.com', 'S3_VERIFY_SSL=0'],
    ));
  it('S3EndpointWithHttpsProtocol', () =>
    assert.deepEqual(
      envLines(
        irsa({ [`${A}s3-endpoint`]: 'https://s3.aws.com', [`${A}s3-usehttps`]: '0', [`${A}s3-verifyssl`]: '1' }).env,
      ),
      ['S3_USE_HTTPS=1', 'S3_ENDPOINT=s3.aws.com', 'AWS_ENDPOINT_URL=https://s3.aws.com', 'S3_VERIFY_SSL=1'],
    ));
  it('S3EndpointWithHttpProtocol', () =>
    assert.deepEqual(
      envLines(
        irsa({ [`${A}s3-endpoint`]: 'http://s3.aws.com', [`${A}s3-usehttps`]: '1', [`${A}s3-verifyssl`]: '0' }).env,
      ),
      ['S3_USE_HTTPS=0', 'S3_ENDPOINT=s3.aws.com', 'AWS_ENDPOINT_URL=http://s3.aws.com', 'S3_VERIFY_SSL=0'],
    ));
  it('S3EnvsWithAnonymousCredentials', () =>
    assert.deepEqual(envLines(irsa({ [`${A}s3-endpoint`]: 's3.aws.com', [`${A}s3-useanoncredential`]: 'true' }).env), [
      'S3_ENDPOINT=s3.aws.com',
      'AWS_ENDPOINT_URL=https://s3.aws.com',
      'awsAnonymousCredential=true',
    ]));
  it('S3Config: config alone still gives settings', () =>
    assert.deepEqual(
      envLines(irsa({}, { s3UseHttps: '0', s3Endpoint: 's3.aws.com', s3UseAnonymousCredential: 'true' }).env),
      ['S3_USE_HTTPS=0', 'S3_ENDPOINT=s3.aws.com', 'AWS_ENDPOINT_URL=http://s3.aws.com', 'awsAnonymousCredential=true'],
    ));
  it('S3 annotations on a ServiceAccount without the role-arn annotation are ignored', () => {
    const out = wire([serviceAccount('sa', [], { [`${A}s3-endpoint`]: 's3.aws.com' })], { serviceAccountName: 'sa' });
    assert.deepEqual(out.env, []);
  });
});

const CFG_T = {
  ...CODE_DEFAULT_NAMES,
  s3Endpoint: 's3.amazonaws.com',
  s3UseHttps: '1',
  s3Region: 'us-east-2',
  s3VerifySSL: '1',
  s3UseVirtualBucket: '',
  s3UseAnonymousCredential: 'false',
  s3CABundleConfigMap: '',
  s3CABundle: '',
};
const CFG_T_TAIL = ['S3_VERIFY_SSL=1', 'awsAnonymousCredential=false', 'AWS_DEFAULT_REGION=us-east-2'];

describe('full builder: KServe vectors D (service_account_credentials_test.go, S3 part)', () => {
  const d = (annotations: Record<string, string>, data: Record<string, string> = {}) =>
    wire(
      [
        secret('s3-secret', { awsAccessKeyID: 'id', awsSecretAccessKey: 'key', ...data }, annotations),
        serviceAccount('default', ['s3-secret']),
      ],
      { serviceAccountName: 'default' },
      { credentials: { storageSpecSecretName: 'storage-secret', s3: CFG_T } },
    );

  it('D1 Build s3 secrets envs', () =>
    assert.deepEqual(envLines(d({ [`${A}s3-endpoint`]: 's3.aws.com' }).env), [
      ...P('s3-secret'),
      'S3_USE_HTTPS=1',
      'S3_ENDPOINT=s3.aws.com',
      'AWS_ENDPOINT_URL=https://s3.aws.com',
      ...CFG_T_TAIL,
    ]));
  it('D2 with protocol', () =>
    assert.deepEqual(envLines(d({ [`${A}s3-endpoint`]: 'http://s3.aws.com', [`${A}s3-verifyssl`]: '0' }).env), [
      ...P('s3-secret'),
      'S3_USE_HTTPS=0',
      'S3_ENDPOINT=s3.aws.com',
      'AWS_ENDPOINT_URL=http://s3.aws.com',
      'S3_VERIFY_SSL=0',
      'awsAnonymousCredential=false',
      'AWS_DEFAULT_REGION=us-east-2',
    ]));
  it('D3 settings as data keys (DECISION: references, config usehttps kept)', () =>
    assert.deepEqual(envLines(d({}, { S3_ENDPOINT: 'http://s3.aws.com', S3_VERIFY_SSL: '0' }).env), [
      ...P('s3-secret'),
      'S3_USE_HTTPS=1',
      'S3_ENDPOINT<-s3-secret:S3_ENDPOINT',
      'S3_VERIFY_SSL<-s3-secret:S3_VERIFY_SSL',
      'awsAnonymousCredential=false',
      'AWS_DEFAULT_REGION=us-east-2',
    ]));
  // The IRSA cases through irsa(): KServe's ServiceAccount is named default, a name no env var carries.
  it('D5 IRSA ServiceAccount', () => {
    const out = irsa({ [`${A}s3-endpoint`]: 's3.aws.com', [`${A}s3-useanoncredential`]: 'true' }, CFG_T);
    assert.deepEqual(envLines(out.env), [
      'S3_USE_HTTPS=1',
      'S3_ENDPOINT=s3.aws.com',
      'AWS_ENDPOINT_URL=https://s3.aws.com',
      'S3_VERIFY_SSL=1',
      'awsAnonymousCredential=true',
      'AWS_DEFAULT_REGION=us-east-2',
    ]);
  });
  it('D6 IRSA with protocol', () => {
    const out = irsa(
      {
        [`${A}s3-endpoint`]: 'http://s3.aws.com',
        [`${A}s3-useanoncredential`]: 'true',
        [`${A}s3-verifyssl`]: '0',
      },
      CFG_T,
    );
    assert.deepEqual(envLines(out.env), [
      'S3_USE_HTTPS=0',
      'S3_ENDPOINT=s3.aws.com',
      'AWS_ENDPOINT_URL=http://s3.aws.com',
      'S3_VERIFY_SSL=0',
      'awsAnonymousCredential=true',
      'AWS_DEFAULT_REGION=us-east-2',
    ]);
  });
});

/** Secret `s` with the access keys under their AWS names (and `data`), on ServiceAccount `sa`. */
const shipped = (
  annotations: Record<string, string>,
  data: Record<string, string> = {},
  s3: Record<string, string> = {},
) =>
  wire(
    [
      secret('s', { AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'key', ...data }, annotations),
      serviceAccount('sa', ['s']),
    ],
    { serviceAccountName: 'sa' },
    Object.keys(s3).length ? { credentials: { s3 } } : {},
  );

describe("S3: derived vectors (ours, read from KServe's code, not in its tests)", () => {
  it('H1 S3_USE_HTTPS is never emitted without an endpoint', () =>
    assert.deepEqual(envLines(shipped({ [`${A}s3-usehttps`]: '0' }).env), [
      'AWS_ACCESS_KEY_ID<-s:AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY<-s:AWS_SECRET_ACCESS_KEY',
    ]));
  it('H2 an empty annotation hides the config value (precedence by presence)', () =>
    assert.deepEqual(envLines(shipped({ [`${A}s3-region`]: '' }, {}, { s3Region: 'us-east-2' }).env), [
      'AWS_ACCESS_KEY_ID<-s:AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY<-s:AWS_SECRET_ACCESS_KEY',
    ]));
  it('H3 the scheme test ignores case and the rest keeps its case', () =>
    assert.deepEqual(envLines(shipped({ [`${A}s3-endpoint`]: 'HTTPS://Minio:9000' }).env).slice(2), [
      'S3_USE_HTTPS=1',
      'S3_ENDPOINT=Minio:9000',
      'AWS_ENDPOINT_URL=HTTPS://Minio:9000',
    ]));
  it('H4 only "0" selects http; any other usehttps is passed on and means https', () =>
    assert.deepEqual(
      envLines(shipped({ [`${A}s3-endpoint`]: 'minio:9000', [`${A}s3-usehttps`]: 'false' }).env).slice(2),
      ['S3_USE_HTTPS=false', 'S3_ENDPOINT=minio:9000', 'AWS_ENDPOINT_URL=https://minio:9000'],
    ));
  it('the endpoint is trimmed of Unicode white space the Go way, and its path survives', () =>
    assert.deepEqual(envLines(shipped({ [`${A}s3-endpoint`]: ' \u0085https://localhost:9000/path\t' }).env).slice(2), [
      'S3_USE_HTTPS=1',
      'S3_ENDPOINT=localhost:9000/path',
      'AWS_ENDPOINT_URL=https://localhost:9000/path',
    ]));
  it('goTrimSpace keeps U+FEFF, which String.prototype.trim would drop', () =>
    assert.equal(goTrimSpace('\ufeffa\u3000'), '\ufeffa'));
  it('H6 IRSA settings come first; the S3 secret appends only names IRSA did not set', () => {
    const out = wire(
      [
        secret('hf', { HF_TOKEN: 't' }),
        secret('s3', { AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'key' }),
        serviceAccount('sa', ['hf', 's3'], { 'eks.amazonaws.com/role-arn': 'arn', [`${A}s3-endpoint`]: 'e' }),
      ],
      { serviceAccountName: 'sa' },
    );
    assert.deepEqual(envLines(out.env), [
      'S3_ENDPOINT=e',
      'AWS_ENDPOINT_URL=https://e',
      'HF_TOKEN<-hf:HF_TOKEN',
      'AWS_ACCESS_KEY_ID<-s3:AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY<-s3:AWS_SECRET_ACCESS_KEY',
    ]);
  });
  it('a secret setting replaces the IRSA setting of the same name in place (KServe merges S3 env)', () => {
    const out = wire(
      [
        secret('s3', { AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'key' }, { [`${A}s3-endpoint`]: 'minio:9000' }),
        serviceAccount('sa', ['s3'], { 'eks.amazonaws.com/role-arn': 'arn', [`${A}s3-endpoint`]: 'e' }),
      ],
      { serviceAccountName: 'sa' },
    );
    assert.deepEqual(envLines(out.env), [
      'S3_ENDPOINT=minio:9000',
      'AWS_ENDPOINT_URL=https://minio:9000',
      'AWS_ACCESS_KEY_ID<-s3:AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY<-s3:AWS_SECRET_ACCESS_KEY',
    ]);
  });
});

describe('S3: rules of ours', () => {
  it('an S3 secret without the access-key-ID key is an error (the pod would not start)', () => {
    const out = wire([secret('s', { AWS_SECRET_ACCESS_KEY: 'key' }), serviceAccount('sa', ['s'])], {
      serviceAccountName: 'sa',
    });
    assert.match(messages(out.results, 'error').join('\n'), /has AWS_SECRET_ACCESS_KEY but no AWS_ACCESS_KEY_ID/);
  });
  it("with no endpoint anywhere, the secret's own AWS_ENDPOINT_URL key is referenced", () => {
    const out = shipped({}, { AWS_ENDPOINT_URL: 'https://minio:9000' });
    assert.deepEqual(envLines(out.env).slice(2), ['AWS_ENDPOINT_URL<-s:AWS_ENDPOINT_URL']);
  });
  it('an annotation endpoint wins over an AWS_ENDPOINT_URL data key', () => {
    const out = shipped({ [`${A}s3-endpoint`]: 'http://minio:9000' }, { AWS_ENDPOINT_URL: 'https://other' });
    assert.deepEqual(envLines(out.env).slice(2), [
      'S3_USE_HTTPS=0',
      'S3_ENDPOINT=minio:9000',
      'AWS_ENDPOINT_URL=http://minio:9000',
    ]);
  });
  it('an endpoint without scheme and S3_USE_HTTPS in data: https is assumed, with a warning to write the scheme', () => {
    const out = shipped({ [`${A}s3-endpoint`]: 'minio:9000' }, { S3_USE_HTTPS: '0' });
    assert.deepEqual(envLines(out.env).slice(2), [
      'S3_USE_HTTPS<-s:S3_USE_HTTPS',
      'S3_ENDPOINT=minio:9000',
      'AWS_ENDPOINT_URL=https://minio:9000',
    ]);
    assert.match(messages(out.results, 'warning').join('\n'), /Write the scheme into the endpoint/);
  });
  it('AWS_CA_BUNDLE_CONFIGMAP is wired and a warning says the download Job does not use it', () => {
    const out = shipped({ [`${A}s3-cabundle-configmap`]: 'my-ca' });
    assert.deepEqual(envLines(out.env).slice(2), ['AWS_CA_BUNDLE_CONFIGMAP=my-ca']);
    assert.match(messages(out.results, 'warning').join('\n'), /does not reach the download/);
  });
  it('an S3 annotation that SOPS encrypted is an error that says to leave metadata unencrypted', () => {
    const s = {
      ...secret(
        's',
        { AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'key' },
        { [`${A}s3-endpoint`]: 'ENC[AES256_GCM,data:xx,type:str]' },
      ),
      sops: { version: '3.9.0' },
    };
    const out = wire([s, serviceAccount('sa', ['s'])], { serviceAccountName: 'sa' });
    assert.match(messages(out.results, 'error').join('\n'), /SOPS ciphertext.*encrypted_regex/);
    assert.ok(!JSON.stringify(out.env).includes('ENC['));
  });
});
