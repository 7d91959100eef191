// HDFS secret (data key HDFS_NAMENODE): mounted as files where the storage initializer looks for its
// namenode, root path, Kerberos principal and keytab. No env.
import type { KindBuilder } from './kind';
import { secretVolume } from './wiring';

export const HDFS_VOLUME = 'hdfs-secrets';
export const HDFS_MOUNT_PATH = '/var/secrets/kserve-hdfscreds';

export const hdfsCredentials: KindBuilder = (secret) => ({
  env: [],
  volumes: [secretVolume(HDFS_VOLUME, secret.name)],
  volumeMounts: [{ name: HDFS_VOLUME, mountPath: HDFS_MOUNT_PATH, readOnly: true }],
  results: [],
});
