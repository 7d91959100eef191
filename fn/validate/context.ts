// What every semantic check reads: the indexed input, both configs, the node inventory, and which
// objects passed their schema (only those are read past their names).
import type { FnConfig } from '../inputs/fn-config';
import type { Inputs, NodeGroup } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import type { InventoryEntry } from '../inputs/node-inventory';
import type { KObject } from '../krm/objects';

export interface CheckContext {
  inputs: Inputs;
  config: KServeConfig;
  fnConfig: FnConfig;
  /** The function config object as given (typed kind or ConfigMap), for results about it. */
  fnConfigObject?: KObject;
  inventory: InventoryEntry[];
  /** Each node group's nodes of the inventory (inputs/node-inventory.ts groupNodes). */
  groupNodes: ReadonlyMap<NodeGroup, readonly InventoryEntry[]>;
  /** False for an object with schema errors: its fields may have any type, so checks skip it. */
  sound: (o: KObject) => boolean;
}

/** Where a function-config setting lives: `spec.<setting>` in the typed kind, `data.<setting>` in a ConfigMap. */
export const fnConfigPath = (ctx: CheckContext, setting: string): string =>
  `${ctx.fnConfigObject?.kind === 'ConfigMap' ? 'data' : 'spec'}.${setting}`;
