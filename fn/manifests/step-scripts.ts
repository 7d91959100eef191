// The step scripts (fn/steps/*.sh) travel once per package, in a ConfigMap of the jobs namespace that
// every download pod mounts read-only, not inline in each container's command: a fleet's thousands of
// Jobs would otherwise carry about 7 KB of shell each. The ConfigMap's name ends in a hash of the scripts,
// so a script change gives every pod template a new volume source: Jobs are renamed (their names hash the
// pod spec) and DaemonSets roll, and a pod never runs a mix of two versions. The name also holds the
// packageName, when set: two packages in one jobs namespace each own their copy, so neither's GitOps
// tool prunes the other's when only one of them upgrades.
import type { ConfigMap, Container, Volume, VolumeMount } from 'kubernetes-types/core/v1';
import { packagePart } from '../names/objects';
import { STEP_SCRIPTS, STEP_SCRIPTS_HASH } from '../steps/scripts.generated';

export type StepScript = 'prepare.sh' | 'finalize.sh' | 'download.sh' | 'cleanup.sh' | 'node-label.sh';

export const STEP_SCRIPTS_PREFIX = 'kserve-localmodel-fn-steps-';
/** `kserve-localmodel-fn-steps-[<packageName>-]<hash of the scripts>`. */
export const stepScriptsName = (packageName: string | undefined): string =>
  `${STEP_SCRIPTS_PREFIX}${packagePart(packageName)}${STEP_SCRIPTS_HASH}`;
const VOLUME_NAME = 'kserve-localmodel-fn-steps';
const MOUNT_PATH = '/kserve-localmodel-fn/steps';

export const stepScriptsMount: VolumeMount = { name: VOLUME_NAME, mountPath: MOUNT_PATH, readOnly: true };

/** `sh <script>`: the script's own arguments follow as the container's args. */
export const runScript = (script: StepScript): string[] => ['/bin/sh', `${MOUNT_PATH}/${script}`];

export function stepScriptsConfigMap(namespace: string, packageName: string | undefined): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: stepScriptsName(packageName), namespace },
    data: { ...STEP_SCRIPTS },
  };
}

export const stepScriptsPodVolume = (packageName: string | undefined): Volume => ({
  name: VOLUME_NAME,
  configMap: { name: stepScriptsName(packageName) },
});

/** A Job or DaemonSet whose pod mounts the step scripts: the ConfigMap must be applied with it. */
export const runsStepScripts = (o: { kind?: string; spec?: unknown }): boolean =>
  (o.kind === 'Job' || o.kind === 'DaemonSet') &&
  ((o.spec as { template?: { spec?: { volumes?: Volume[] } } }).template?.spec?.volumes ?? []).some(
    (v) => v.name === VOLUME_NAME,
  );

/** The pod volume, when one of its containers runs a step script. */
export const stepScriptsVolume = (containers: readonly Container[], packageName: string | undefined): Volume[] =>
  containers.some((c) => c.volumeMounts?.some((m) => m.name === VOLUME_NAME))
    ? [stepScriptsPodVolume(packageName)]
    : [];
