// The notes stage: what a person must know about the plan that the generated objects cannot say. Only
// warnings and information; an error about the input is validation's (validate/).
import type { FnConfig } from '../inputs/fn-config';
import type { Inputs } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import type { Result } from '../krm/results';
import type { ReadinessPackage } from '../names/readiness';
import type { Plan } from '../plan/types';
import { adoptionNotes, latestImageNotes, nodePreparationNotes, sharedFolderNotes } from './downloads';
import { kserveConfigNotes } from './kserve-config';
import { readinessNotes } from './readiness';

export function planNotes(plan: Plan, inputs: Inputs, config: KServeConfig, fnConfig: FnConfig): Result[] {
  const pkg: ReadinessPackage = { jobNamespace: config.localModel.jobNamespace, packageName: fnConfig.packageName };
  return [
    ...kserveConfigNotes(inputs, config, plan),
    ...latestImageNotes(inputs, config, plan),
    ...nodePreparationNotes(plan, config),
    ...adoptionNotes(plan, fnConfig),
    ...sharedFolderNotes(plan),
    ...(fnConfig.serveOnlyWhenReady ? readinessNotes(plan, pkg, inputs, config, fnConfig) : []),
  ];
}
