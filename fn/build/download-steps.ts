// The shell steps that run on the node: the atomic download of one model folder, and the cleanup of
// folders no cache lists any more. Both are small POSIX sh scripts with fixed text; everything that
// varies is passed as arguments, so no value is ever spliced into shell code.
//
// Layout on the node group's volume (mounted whole at VOLUME_MOUNT_PATH, as KServe's node agent does):
//   models/<storageKey>/                       the served folder, exactly KServe's path and name
//   .kserve-localmodel-fn/<key>.complete        completion marker: the MARKER text of the download
//   .kserve-localmodel-fn/<key>.partial.<id>*   staging folder of one download attempt (and its leftovers)
// A model appears at its served path only by a rename of a finished staging folder, on the same volume.
import type { Container, EnvVar } from 'kubernetes-types/core/v1';
import { modelFolder, storageKey } from '../kserve/storage-key';

/** The storage-initializer image's ENTRYPOINT: it takes pairs of URI and destination folder. */
export const STORAGE_INITIALIZER_ENTRYPOINT = '/storage-initializer/scripts/initializer-entrypoint';
export const VOLUME_MOUNT_PATH = '/mnt/models';
export const STATE_FOLDER = '.kserve-localmodel-fn';
export const markerPath = (key: string): string => `${STATE_FOLDER}/${key}.complete`;

/**
 * Arguments: <uri> <storage key> <marker text> <downloader command...>. A matching marker beside an
 * existing folder means done: exit at once, without network. Otherwise download into a staging folder,
 * move any old copy aside, rename the staging folder into place, then write the marker. A crash at any
 * point leaves either the old state or nothing at the served path, never a partial model.
 */
export const DOWNLOAD_SCRIPT = `set -eu
uri=$1 key=$2 want=$3
shift 3
root=${VOLUME_MOUNT_PATH}
served=$root/models/$key
state=$root/${STATE_FOLDER}
marker=$state/$key.complete
if [ -d "$served" ] && [ ! -L "$served" ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ]; then
  rm -rf "$state/$key.partial."*
  echo "models/$key holds $uri: complete, nothing to download"
  exit 0
fi
read -r id </proc/sys/kernel/random/uuid
staging=$state/$key.partial.$id
mkdir -p "$root/models" "$state"
echo "downloading $uri into $staging"
"$@" "$uri" "$staging"
rm -f "$marker"
if [ -e "$served" ] || [ -L "$served" ]; then mv "$served" "$staging.old"; fi
mv "$staging" "$served"
printf '%s\\n' "$want" >"$staging.marker"
mv "$staging.marker" "$marker"
rm -rf "$state/$key.partial."*
echo "models/$key holds $uri: complete"
`;

/**
 * Arguments: the storage keys to keep. Removes, and only removes: key-shaped real folders directly under
 * models/ that are not kept, and the marker and staging leftovers of keys that are not kept. Symlinks are
 * skipped, never followed; anything else is never touched.
 */
export const CLEANUP_SCRIPT = `set -eu
keep=" $* "
root=${VOLUME_MOUNT_PATH}
state=$root/${STATE_FOLDER}
is_key() { case $1 in *[!0-9a-f]*) return 1 ;; esac; [ \${#1} -eq 16 ]; }
kept() { case $keep in *" $1 "*) return 0 ;; esac; return 1; }
if [ -d "$root/models" ] && [ ! -L "$root/models" ]; then
  for path in "$root"/models/*; do
    name=\${path##*/}
    if [ -d "$path" ] && [ ! -L "$path" ] && is_key "$name" && ! kept "$name"; then
      echo "removing models/$name: no cache on this volume lists it"
      rm -rf "$path"
    fi
  done
fi
if [ -d "$state" ] && [ ! -L "$state" ]; then
  for path in "$state"/*; do
    name=\${path##*/}
    key=\${name%%.*}
    [ ! -L "$path" ] && is_key "$key" && ! kept "$key" || continue
    case $name in "$key.complete" | "$key.partial."*) rm -rf "$path" ;; esac
  done
fi
`;

/** Env that decides which bytes a URI yields (endpoint, storage-config entry, overrides): part of the marker. */
const CONTENT_ENV = ['AWS_ENDPOINT_URL', 'S3_ENDPOINT', 'STORAGE_CONFIG', 'STORAGE_OVERRIDE_CONFIG'];

/**
 * The marker's text: the URI and the settings that determine the content. Credentials' values, the image
 * and resources are not in it, so a rotated secret or a bumped image never downloads a model again.
 */
export function markerText(sourceModelUri: string, env: readonly EnvVar[]): string {
  const source = Object.fromEntries(
    env.filter((e) => CONTENT_ENV.includes(e.name)).map((e) => [e.name, e.valueFrom ?? e.value ?? '']),
  );
  return JSON.stringify(Object.keys(source).length > 0 ? { uri: sourceModelUri, source } : { uri: sourceModelUri });
}

export interface StepParts {
  /** Downloader command to wrap; undefined means KServe's plain form (args `<uri> /mnt/models`, no marker). */
  downloader?: string[];
  sourceModelUri: string;
  env: EnvVar[];
}

/** The shell wrapper around the downloader, or KServe's own args: `command`, `args` and the model mount. */
export function stepInvocation(
  parts: StepParts,
  volumeName: string,
): Pick<Container, 'command' | 'args' | 'volumeMounts'> {
  if (!parts.downloader)
    return {
      args: [parts.sourceModelUri, KSERVE_MODEL_MOUNT_PATH],
      volumeMounts: [
        { name: volumeName, mountPath: KSERVE_MODEL_MOUNT_PATH, subPath: modelFolder(parts.sourceModelUri) },
      ],
    };
  return {
    command: ['/bin/sh', '-c', DOWNLOAD_SCRIPT, 'download-model'],
    args: [
      parts.sourceModelUri,
      storageKey(parts.sourceModelUri),
      markerText(parts.sourceModelUri, parts.env),
      ...parts.downloader,
    ],
    volumeMounts: [{ name: volumeName, mountPath: VOLUME_MOUNT_PATH }],
  };
}

/** KServe's download Job mounts the model folder itself here (subPath `models/<key>`). */
export const KSERVE_MODEL_MOUNT_PATH = '/mnt/models';

export const CLEANUP_CONTAINER_NAME = 'remove-unlisted-models';

/** The last step of a node-group pod: it needs only a shell, which the storage-initializer image has. */
export function cleanupStep(image: string, volumeName: string, keep: readonly string[]): Container {
  return {
    name: CLEANUP_CONTAINER_NAME,
    image,
    command: ['/bin/sh', '-c', CLEANUP_SCRIPT, CLEANUP_CONTAINER_NAME],
    args: [...keep],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    volumeMounts: [{ name: volumeName, mountPath: VOLUME_MOUNT_PATH }],
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}
