// S3 secret (data key `credentials.s3.s3SecretAccessKeyName`): both access keys as secretKeyRefs under
// the key names of the KServe config, then the S3 settings of s3-settings.ts.

import { describeSecret } from '../inputs/secret-shape';
import { error } from '../krm/report';
import type { Result } from '../krm/results';
import type { KindBuilder } from './kind';
import { s3SettingsEnv } from './s3-settings';
import { secretEnv } from './wiring';

export const s3Credentials: KindBuilder = (secret, { config }) => {
  const { s3AccessKeyIDName: idKey, s3SecretAccessKeyName: secretKey } = config.s3;
  const results: Result[] = [];
  // KServe references the key without looking; a missing key stops the pod at CreateContainerConfigError.
  if (secret.keysComplete && !secret.keys.has(idKey)) {
    results.push(
      error(
        secret.object,
        secret.fieldOf(secretKey),
        `${describeSecret(secret)} has ${secretKey} but no ${idKey}, and the download pod would not start without it; add ${idKey} to the secret, or set credentials.s3.s3AccessKeyIDName in inferenceservice-config to the key it uses`,
      ),
    );
  }
  const settings = s3SettingsEnv({
    annotations: secret.annotations,
    secret,
    config: config.s3,
    reportOn: secret.object,
  });
  return {
    env: [
      secretEnv('AWS_ACCESS_KEY_ID', secret.name, idKey),
      secretEnv('AWS_SECRET_ACCESS_KEY', secret.name, secretKey),
      ...settings.env,
    ],
    volumes: [],
    volumeMounts: [],
    results: [...results, ...settings.results],
  };
};
