// What inferenceservice-config, or its absence, means for the caches of the package: settings KServe
// would need and lacks, and settings of KServe's that this function does not apply.
import type { Inputs } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import { FALLBACK_IMAGE } from '../inputs/kserve-config';
import { info, warning } from '../krm/report';
import type { Result } from '../krm/results';
import type { Plan } from '../plan/types';

/** What inferenceservice-config (or its absence) means for these caches, said once. */
export function kserveConfigNotes(inputs: Inputs, config: KServeConfig, thePlan: Plan): Result[] {
  const cm = inputs.kserveConfigMap;
  const notes: Result[] = [];
  if (inputs.caches.length > 0 && !config.localModel.enabled) {
    const why = !cm
      ? 'there is no ConfigMap kserve/inferenceservice-config in the input, and KServe ships it with "enabled": false'
      : 'localModel.enabled is false or missing in inferenceservice-config, and a missing key is false in KServe';
    const message = `${why}: KServe's InferenceService webhook then labels no InferenceService, so none will use these caches. In ConfigMap kserve/inferenceservice-config set data.localModel to {"enabled": true, "jobNamespace": "${config.localModel.jobNamespace}", "fsGroup": ${config.localModel.fsGroup}} (Helm chart kserve-resources: kserve.localmodel.enabled=true), and add that ConfigMap to the package, marked config.kubernetes.io/local-config: "true" if another tool applies it`;
    notes.push(cm ? warning(cm, 'data.localModel', message) : { severity: 'warning', message });
  }
  if (!cm && thePlan.jobs.length > 0) {
    notes.push({
      severity: 'info',
      message: `there is no ConfigMap kserve/inferenceservice-config in the input: download containers that no ClusterStorageContainer supplies get the image ${config.storageInitializer.image} and no cpu or memory requests or limits, so a ResourceQuota in ${config.localModel.jobNamespace} that requires limits refuses the Jobs. Add the cluster's ConfigMap (storageInitializer's cpuRequest, cpuLimit, memoryRequest, memoryLimit are applied)`,
    });
  }
  if (!cm) return notes;
  if (config.localModel.jobTTLSecondsAfterFinished !== undefined) {
    notes.push(
      info(
        cm,
        'data.localModel',
        `jobTTLSecondsAfterFinished (${config.localModel.jobTTLSecondsAfterFinished}) is not applied: a Job deleted by its TTL would be re-created by Argo CD or Flux and download the model again. Set jobTTLSecondsAfterFinished in the function config to ask for one anyway`,
      ),
    );
  }
  const { defaultJobImage } = config.localModel;
  if (defaultJobImage !== undefined && defaultJobImage !== config.storageInitializer.image) {
    notes.push(
      info(
        cm,
        'data.localModel',
        `localModel.defaultJobImage (${defaultJobImage}) is not used: KServe's node agent reads it but downloads with storageInitializer.image, else ${FALLBACK_IMAGE}, and so does this function (${config.storageInitializer.image}). Set storageInitializer.image to choose the download image`,
      ),
    );
  }
  return notes;
}
