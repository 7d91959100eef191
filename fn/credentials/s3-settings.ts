// The S3 settings KServe adds after S3 access keys (and for an IRSA service account): endpoint, https,
// SSL verification, anonymous access, region, virtual bucket, acceleration, CA bundle. Each setting
// comes from the first source that HAS it (an empty annotation still hides the others): the
// `serving.kserve.io/s3-*` annotation, then the secret's data key, then `credentials.s3` of the KServe
// config. Annotations and config are not secret and become literals; a data key becomes a
// secretKeyRef, because every value that lives in a Secret stays there (docs/kserve-rules.md, "Where we differ").
import type { EnvVar } from 'kubernetes-types/core/v1';
import type { S3Config } from '../inputs/kserve-config';
import type { SecretShape } from '../inputs/secret-shape';
import { describeSecret } from '../inputs/secret-shape';
import { goTrimSpace } from '../k8s/apiserver-rules';
import type { KObject } from '../krm/objects';
import { error, warning } from '../krm/report';
import type { Result } from '../krm/results';
import { literalEnv, secretEnv } from './wiring';

export const S3_ANNOTATION_PREFIX = 'serving.kserve.io/';

interface Setting {
  annotation: string;
  dataKey: string;
  config: keyof S3Config;
  env: string;
}

const ENDPOINT: Setting = {
  annotation: 's3-endpoint',
  dataKey: 'S3_ENDPOINT',
  config: 's3Endpoint',
  env: 'S3_ENDPOINT',
};
const USE_HTTPS: Setting = {
  annotation: 's3-usehttps',
  dataKey: 'S3_USE_HTTPS',
  config: 's3UseHttps',
  env: 'S3_USE_HTTPS',
};

/** After the endpoint group, in KServe's order. The data key is always the env name. */
const OTHER_SETTINGS: Setting[] = [
  { annotation: 's3-verifyssl', dataKey: 'S3_VERIFY_SSL', config: 's3VerifySSL', env: 'S3_VERIFY_SSL' },
  {
    annotation: 's3-useanoncredential',
    dataKey: 'awsAnonymousCredential',
    config: 's3UseAnonymousCredential',
    env: 'awsAnonymousCredential',
  },
  { annotation: 's3-region', dataKey: 'AWS_DEFAULT_REGION', config: 's3Region', env: 'AWS_DEFAULT_REGION' },
  // "USER" (sic): the name KServe and its storage initializer agree on.
  {
    annotation: 's3-usevirtualbucket',
    dataKey: 'S3_USER_VIRTUAL_BUCKET',
    config: 's3UseVirtualBucket',
    env: 'S3_USER_VIRTUAL_BUCKET',
  },
  { annotation: 's3-useaccelerate', dataKey: 'S3_USE_ACCELERATE', config: 's3UseAccelerate', env: 'S3_USE_ACCELERATE' },
  { annotation: 's3-cabundle', dataKey: 'AWS_CA_BUNDLE', config: 's3CABundle', env: 'AWS_CA_BUNDLE' },
  {
    annotation: 's3-cabundle-configmap',
    dataKey: 'AWS_CA_BUNDLE_CONFIGMAP',
    config: 's3CABundleConfigMap',
    env: 'AWS_CA_BUNDLE_CONFIGMAP',
  },
];

/** The key a user may add to an S3 secret so that an endpoint kept in secret data reaches the storage initializer. */
export const ENDPOINT_URL_KEY = 'AWS_ENDPOINT_URL';

export const CA_BUNDLE_CONFIGMAP_IS_INERT =
  "AWS_CA_BUNDLE_CONFIGMAP names a ConfigMap that only KServe's InferenceService webhook mounts; in a download Job nothing mounts it and the storage initializer does not read the variable, so the custom CA does not reach the download. Mount the CA bundle through a ClusterStorageContainer and point AWS_CA_BUNDLE at the file";

type Resolved = { from: 'annotation' | 'config'; value: string } | { from: 'data'; key: string };

export interface S3SettingsInput {
  /** The secret's annotations, or the ServiceAccount's for IRSA. */
  annotations: Readonly<Record<string, string>>;
  /** The S3 secret, whose data keys rank between annotations and config; none for IRSA. */
  secret?: SecretShape;
  config: S3Config;
  /** Where problems are reported: the secret, or the ServiceAccount for IRSA. */
  reportOn: KObject;
}

export function s3SettingsEnv(input: S3SettingsInput): { env: EnvVar[]; results: Result[] } {
  const { annotations, secret, config, reportOn } = input;
  const env: EnvVar[] = [];
  const results: Result[] = [];
  const encrypted = secret?.encryptedAnnotations ?? new Set<string>();

  const resolve = (s: Setting): Resolved | undefined => {
    const annotation = S3_ANNOTATION_PREFIX + s.annotation;
    if (encrypted.has(annotation)) {
      results.push(
        error(
          reportOn,
          `metadata.annotations.${annotation}`,
          `the annotation ${annotation} of ${secret ? describeSecret(secret) : 'this object'} is SOPS ciphertext, so its setting cannot be wired; S3 settings are not secret: leave metadata unencrypted (encrypted_regex: ^(data|stringData)$ in .sops.yaml)`,
        ),
      );
      return undefined;
    }
    if (Object.hasOwn(annotations, annotation)) return { from: 'annotation', value: annotations[annotation] };
    if (secret?.keys.has(s.dataKey)) return { from: 'data', key: s.dataKey };
    return { from: 'config', value: config[s.config] ?? '' };
  };
  /** A literal only when non-empty (KServe); a reference whenever the key exists, since its value is never read. */
  const emit = (name: string, r: Resolved | undefined) => {
    if (!r) return;
    if (r.from === 'data') env.push(secretEnv(name, (secret as SecretShape).name, r.key));
    else if (r.value !== '') env.push(literalEnv(name, r.value));
  };

  const endpoint = resolve(ENDPOINT);
  if (endpoint?.from === 'data' && secret) {
    emit(USE_HTTPS.env, resolve(USE_HTTPS));
    env.push(secretEnv(ENDPOINT.env, secret.name, ENDPOINT.dataKey));
    if (secret.keys.has(ENDPOINT_URL_KEY)) env.push(secretEnv(ENDPOINT_URL_KEY, secret.name, ENDPOINT_URL_KEY));
    else {
      results.push(
        warning(
          secret.object,
          secret.fieldOf(ENDPOINT.dataKey),
          `${describeSecret(secret)} keeps the S3 endpoint in data key ${ENDPOINT.dataKey}. This function wires it by reference and never reads it, so it cannot derive ${ENDPOINT_URL_KEY}, the only endpoint variable KServe's storage initializer reads: the download would go to AWS's default endpoint. Put the endpoint in the annotation ${S3_ANNOTATION_PREFIX}${ENDPOINT.annotation} (an endpoint is not secret), or add a key ${ENDPOINT_URL_KEY} with the full URL (https://host:port) to the secret`,
        ),
      );
    }
  } else if (endpoint && endpoint.from !== 'data' && endpoint.value !== '') {
    const derived = endpointEnv(endpoint.value, () => resolve(USE_HTTPS), secret);
    env.push(...derived.env);
    results.push(...derived.results);
  } else if (endpoint?.from === 'config' && secret?.keys.has(ENDPOINT_URL_KEY)) {
    // Not KServe: with no endpoint anywhere, the secret's own AWS_ENDPOINT_URL is what the storage
    // initializer would want.
    env.push(secretEnv(ENDPOINT_URL_KEY, secret.name, ENDPOINT_URL_KEY));
  }

  for (const s of OTHER_SETTINGS) emit(s.env, resolve(s));
  if (env.some((e) => e.name === 'AWS_CA_BUNDLE_CONFIGMAP'))
    results.push(warning(reportOn, undefined, CA_BUNDLE_CONFIGMAP_IS_INERT));
  return { env, results };
}

/**
 * KServe's endpoint derivation from a literal endpoint: a scheme decides https (and is cut from
 * S3_ENDPOINT); without one, S3_USE_HTTPS "0" means http and anything else https.
 */
function endpointEnv(
  raw: string,
  useHttps: () => Resolved | undefined,
  secret: SecretShape | undefined,
): { env: EnvVar[]; results: Result[] } {
  const endpoint = goTrimSpace(raw);
  const scheme = endpoint.slice(0, 8).toLowerCase();
  const https = scheme === 'https://';
  if (https || scheme.startsWith('http://')) {
    return {
      env: [
        literalEnv('S3_USE_HTTPS', https ? '1' : '0'),
        literalEnv('S3_ENDPOINT', endpoint.slice(https ? 'https://'.length : 'http://'.length)),
        literalEnv('AWS_ENDPOINT_URL', endpoint),
      ],
      results: [],
    };
  }
  const u = useHttps();
  if (u?.from === 'data' && secret) {
    return {
      env: [
        secretEnv('S3_USE_HTTPS', secret.name, USE_HTTPS.dataKey),
        literalEnv('S3_ENDPOINT', endpoint),
        literalEnv('AWS_ENDPOINT_URL', `https://${endpoint}`),
      ],
      results: [
        warning(
          secret.object,
          secret.fieldOf(USE_HTTPS.dataKey),
          `${describeSecret(secret)} keeps S3_USE_HTTPS in its data, which this function does not read, so AWS_ENDPOINT_URL assumes https. Write the scheme into the endpoint (http://host or https://host), or move S3_USE_HTTPS into the annotation ${S3_ANNOTATION_PREFIX}${USE_HTTPS.annotation}`,
        ),
      ],
    };
  }
  const value = u && u.from !== 'data' ? u.value : '';
  return {
    env: [
      ...(value !== '' ? [literalEnv('S3_USE_HTTPS', value)] : []),
      literalEnv('S3_ENDPOINT', endpoint),
      literalEnv('AWS_ENDPOINT_URL', `${value === '0' ? 'http' : 'https'}://${endpoint}`),
    ],
    results: [],
  };
}
