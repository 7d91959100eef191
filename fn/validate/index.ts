// Validation of the input before anything is built: schema checks and semantic checks, as results.
import type { Inputs } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import type { KObject } from '../krm/objects';
import type { Result } from '../krm/results';

export function validate(_items: readonly KObject[], _inputs: Inputs, _config: KServeConfig, _functionConfig?: KObject): Result[] {
  return [];
}
