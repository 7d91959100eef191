// GCS secret (data key `credentials.gcs.gcsCredentialFileName`): the whole secret mounted as files,
// and GOOGLE_APPLICATION_CREDENTIALS pointing at the key file. The path is not secret; the file is.
import type { KindBuilder } from './kind';
import { literalEnv, secretVolume } from './wiring';

export const GCS_VOLUME = 'user-gcp-sa';
/** With KServe's trailing slash: the env is this path plus the file name. */
export const GCS_MOUNT_PATH = '/var/secrets/';

export const gcsCredentials: KindBuilder = (secret, { config }) => ({
  env: [literalEnv('GOOGLE_APPLICATION_CREDENTIALS', `${GCS_MOUNT_PATH}${config.gcsCredentialFileName}`)],
  volumes: [secretVolume(GCS_VOLUME, secret.name)],
  volumeMounts: [{ name: GCS_VOLUME, mountPath: GCS_MOUNT_PATH, readOnly: true }],
  results: [],
});
