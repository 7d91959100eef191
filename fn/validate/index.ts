// Validation of the input before anything is planned: schema checks, then semantic checks, as results.
// Semantic checks read only objects that passed their schema; references are resolved against all.
import type { FnConfig } from '../inputs/fn-config';
import type { Inputs } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import { nodeInventory } from '../inputs/node-inventory';
import type { KObject } from '../krm/objects';
import type { Result } from '../krm/results';
import { capacityResults } from './capacity';
import type { CheckContext } from './context';
import { duplicateResults } from './duplicates';
import { generatedValueResults } from './generated-values';
import { localConfigResults } from './local-config';
import { nameResults } from './names-and-limits';
import { nodeGroupResults } from './node-groups';
import { referenceResults } from './references';
import { schemaResults } from './schema';
import { uriResults } from './uris';

export function validate(
  items: readonly KObject[],
  inputs: Inputs,
  config: KServeConfig,
  functionConfig: KObject | undefined,
  fnConfig: FnConfig,
): Result[] {
  const fnConfigObject = functionConfig ?? inputs.fnConfigItem;
  const schema = schemaResults(items, inputs, fnConfigObject);
  const ctx: CheckContext = {
    inputs,
    config,
    fnConfig,
    fnConfigObject,
    inventory: nodeInventory(inputs.nodes, fnConfig.nodes),
    sound: (o) => !schema.broken.has(o),
  };
  return [
    ...schema.results,
    ...localConfigResults(ctx, items),
    ...referenceResults(ctx),
    ...nodeGroupResults(ctx),
    ...capacityResults(ctx),
    ...nameResults(ctx),
    ...generatedValueResults(ctx),
    ...uriResults(ctx),
    ...duplicateResults(ctx, items),
  ];
}
