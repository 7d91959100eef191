// The configs stage: the function config (the one kpt or kustomize gave, else the package's own, with
// Argo CD's parameters or `render --strict` laid over it), KServe's inferenceservice-config, and the node
// inventory with each node group's nodes.
import type { KObject } from '../krm/objects';
import { nameOf } from '../krm/objects';
import { warning } from '../krm/report';
import type { Result } from '../krm/results';
import type { FnConfig } from './fn-config';
import { parseFnConfig, withOverrides } from './fn-config';
import type { Inputs, NodeGroup } from './index-inputs';
import type { KServeConfig } from './kserve-config';
import { parseKServeConfig } from './kserve-config';
import type { InventoryEntry } from './node-inventory';
import { groupNodes, nodeInventory } from './node-inventory';

export interface Configs {
  fnConfig: FnConfig;
  /** The function config object as given (typed kind or ConfigMap), for results about it. */
  fnConfigObject?: KObject;
  config: KServeConfig;
  inventory: InventoryEntry[];
  groupNodes: ReadonlyMap<NodeGroup, readonly InventoryEntry[]>;
  /** What reading them found: fields of the wrong type, unknown settings, a replaced package config. */
  results: Result[];
}

export function readConfigs(
  inputs: Inputs,
  functionConfig: KObject | undefined,
  overrides: Record<string, unknown> | undefined,
): Configs {
  const given = functionConfig ?? inputs.fnConfigItem;
  const fnConfigObject = overrides && Object.keys(overrides).length > 0 ? withOverrides(given, overrides) : given;
  const fn = parseFnConfig(fnConfigObject);
  const kserve = parseKServeConfig(inputs.kserveConfigMap);
  const inventory = nodeInventory(inputs.nodes, fn.config.nodes);
  return {
    fnConfig: fn.config,
    fnConfigObject,
    config: kserve.config,
    inventory,
    groupNodes: groupNodes(inputs.nodeGroups, inventory),
    results: [...fn.results, ...kserve.results, ...replacedFnConfig(functionConfig, inputs)],
  };
}

/**
 * `kpt fn eval … -- key=value` hands the function a ConfigMap that stands for the whole function config:
 * the package's LocalModelFnConfig (tolerations, nodes, servingNamespaces) is then not read at all.
 */
function replacedFnConfig(functionConfig: KObject | undefined, inputs: Inputs): Result[] {
  const packageConfig = inputs.fnConfigItem;
  if (functionConfig?.kind !== 'ConfigMap' || !packageConfig) return [];
  return [
    warning(
      packageConfig,
      'spec',
      `the function config given on the command line (ConfigMap ${nameOf(functionConfig)}, e.g. from \`kpt fn eval -- key=value\`) replaces this LocalModelFnConfig: none of its settings apply, so tolerations, nodes and servingNamespaces are lost and every Job may be renamed. Pass the package's config instead (\`kpt fn eval --fn-config <its file>\`) and change the setting there`,
    ),
  ];
}
