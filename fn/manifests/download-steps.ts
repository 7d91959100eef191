// The steps that run on the node around a download, split by trust (docs/node-steps.md):
// - `prepare-<key>` and `finalize-<key>` run only our scripts (fn/steps/prepare.sh, finalize.sh) in the step
//   image, with no credentials, on the node group's volume mounted whole: the marker check, the per-key
//   lock, the rename into models/<key>, the marker, and the removal of stale partial copies;
// - the download container runs the downloader (the storage initializer's entrypoint, or a
//   ClusterStorageContainer's command) with the credentials, and mounts only its own staging folder and,
//   read-only, its attempt folder: it can neither touch another model nor write a marker.
// The shell lives in fn/steps/*.sh, shipped in the step-scripts ConfigMap (step-scripts.ts); every value
// reaches it as an argument or env, never spliced into code.
//
// Layout on the node group's volume:
//   models/<storageKey>/                               the served folder, exactly KServe's path and name
//   .kserve-localmodel-fn/<key>.complete                completion marker: the marker text
//   .kserve-localmodel-fn/<key>.lock                    the key's lock file (flock)
//   .kserve-localmodel-fn/<key>.partial.<pod>/          one pod's staging folder: the downloader's whole view
//   .kserve-localmodel-fn/<key>.attempt.<pod>/          prepare's decision for that pod (`skip` or `download`)
//   .kserve-localmodel-fn/<key>.replaced.<pod>/         a folder without a matching marker, moved aside, kept
import type { Container, EnvVar, SecurityContext, VolumeMount } from 'kubernetes-types/core/v1';
import type { DownloadMode } from '../inputs/fn-config';
import { modelFolder } from '../kserve/storage-key';
import { OUR_CONTAINER } from './pod-security';
import { runScript, stepScriptsMount } from './step-scripts';

export const VOLUME_MOUNT_PATH = '/mnt/models';
/** Where the download container sees prepare's decision, read-only. */
export const ATTEMPT_MOUNT_PATH = '/mnt/attempt';
export const STATE_FOLDER = '.kserve-localmodel-fn';
export const markerPath = (key: string): string => `${STATE_FOLDER}/${key}.complete`;

/** The pod's name, from the downward API: it names the pod's staging and attempt folders. */
export const POD_NAME_ENV: EnvVar = { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } };
const stagingSubPath = (key: string): string => `${STATE_FOLDER}/${key}.partial.$(${POD_NAME_ENV.name})`;
const attemptSubPath = (key: string): string => `${STATE_FOLDER}/${key}.attempt.$(${POD_NAME_ENV.name})`;

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
  storageKey: string;
}

/** KServe's download Job mounts the model folder itself here (subPath `models/<key>`). */
export const KSERVE_MODEL_MOUNT_PATH = '/mnt/models';

/**
 * The download container's `command`, `args`, its own env and mounts: the wrapper around the downloader
 * with the staging folder only, or KServe's own args and model-folder mount for the plain form.
 */
export function stepInvocation(
  parts: StepParts,
  volumeName: string,
): Pick<Container, 'command' | 'args'> & { env: EnvVar[]; volumeMounts: VolumeMount[] } {
  if (!parts.downloader)
    return {
      args: [parts.sourceModelUri, KSERVE_MODEL_MOUNT_PATH],
      env: [],
      volumeMounts: [{ name: volumeName, mountPath: KSERVE_MODEL_MOUNT_PATH, subPath: modelFolder(parts.storageKey) }],
    };
  const key = parts.storageKey;
  return {
    command: runScript('download.sh'),
    args: [ATTEMPT_MOUNT_PATH, VOLUME_MOUNT_PATH, parts.sourceModelUri, ...parts.downloader],
    env: [POD_NAME_ENV],
    volumeMounts: [
      { name: volumeName, mountPath: VOLUME_MOUNT_PATH, subPathExpr: stagingSubPath(key) },
      { name: volumeName, mountPath: ATTEMPT_MOUNT_PATH, subPathExpr: attemptSubPath(key), readOnly: true },
      stepScriptsMount,
    ],
  };
}

const STEP_RESOURCES = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } };

export interface ModelSteps {
  prepare: Container;
  finalize: Container;
}

export interface ModelStepsInput {
  image: string;
  volumeName: string;
  storageKey: string;
  /** The marker text (markerText) of the download container's env. */
  marker: string;
  /** How a failed download is retried (a new Job pod, or the same DaemonSet pod): when a copy is stale. */
  mode: DownloadMode;
  adopt: boolean;
  /** The download container's own user, when it names one: these steps must own what it writes. */
  user?: Pick<SecurityContext, 'runAsUser' | 'runAsGroup'>;
}

/** The trusted steps before and after one download container: fn/steps/prepare.sh and finalize.sh. */
export function modelSteps(input: ModelStepsInput): ModelSteps {
  const key = input.storageKey;
  const step = (phase: 'prepare' | 'finalize'): Container => ({
    name: `${phase}-${key}`,
    image: input.image,
    command: runScript(phase === 'prepare' ? 'prepare.sh' : 'finalize.sh'),
    args: [
      VOLUME_MOUNT_PATH,
      key,
      input.marker,
      input.mode,
      ...(phase === 'prepare' ? [input.adopt ? 'adopt' : 'no-adopt'] : []),
    ],
    env: [POD_NAME_ENV],
    resources: structuredClone(STEP_RESOURCES),
    securityContext: { ...structuredClone(OUR_CONTAINER), ...input.user },
    volumeMounts: [{ name: input.volumeName, mountPath: VOLUME_MOUNT_PATH }, stepScriptsMount],
    terminationMessagePolicy: 'FallbackToLogsOnError',
  });
  return { prepare: step('prepare'), finalize: step('finalize') };
}

export const CLEANUP_CONTAINER_NAME = 'remove-unlisted-models';

/** The last download step of a node-group pod: fn/steps/cleanup.sh, in the step image. */
export function cleanupStep(image: string, volumeName: string, keep: readonly string[]): Container {
  return {
    name: CLEANUP_CONTAINER_NAME,
    image,
    command: runScript('cleanup.sh'),
    args: [VOLUME_MOUNT_PATH, ...keep],
    resources: structuredClone(STEP_RESOURCES),
    securityContext: structuredClone(OUR_CONTAINER),
    volumeMounts: [{ name: volumeName, mountPath: VOLUME_MOUNT_PATH }, stepScriptsMount],
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}
