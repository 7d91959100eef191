// Objects that are input to the function and never manifests: the node inventory and the function
// config. Without `config.kubernetes.io/local-config: "true"`, kpt keeps them among the package's
// resources, kustomize builds them, and `render` would hand them to Argo CD or Flux, which would then
// own real Node objects and, with pruning, could delete them. So a missing mark is an error everywhere.
import { isFnConfig } from '../inputs/fn-config';
import { LOCAL_CONFIG } from '../krm/annotations';
import { isLocalConfig } from '../krm/files';
import type { KObject } from '../krm/objects';
import { annotationOf, nameOf, namespaceOf } from '../krm/objects';
import { error } from '../krm/report';
import type { Result } from '../krm/results';
import type { CheckContext } from './context';

const KUSTOMIZE_FUNCTION = 'config.kubernetes.io/function';
const FIX = `add metadata.annotations: {${LOCAL_CONFIG}: "true"}`;

export function localConfigResults(ctx: CheckContext, items: readonly KObject[]): Result[] {
  const results: Result[] = [];
  for (const node of ctx.inputs.nodes) {
    if (isLocalConfig(node)) continue;
    results.push(
      error(
        node,
        `metadata.annotations[${LOCAL_CONFIG}]`,
        `Node ${nameOf(node)} is node inventory, not a manifest: unmarked, it would be applied, and Argo CD or Flux would own the real Node (with pruning, they could delete it). ${FIX}, or write the inventory with kserve-localmodel-fn inventory`,
      ),
    );
  }
  for (const config of items.filter((o) => isFunctionConfigItem(o, ctx.fnConfigObject))) {
    // A kustomize transformer file names how to run the function: kustomize consumes it and never builds it.
    if (isLocalConfig(config) || annotationOf(config, KUSTOMIZE_FUNCTION) !== undefined) continue;
    results.push(
      error(
        config,
        `metadata.annotations[${LOCAL_CONFIG}]`,
        `the function config ${config.kind} ${nameOf(config)} is read by kserve-localmodel-fn, never applied; unmarked, kpt and kustomize would keep it among the manifests. ${FIX}`,
      ),
    );
  }
  return results;
}

/** The typed kind anywhere in the package, or an item that is the function config given to kpt (configPath). */
function isFunctionConfigItem(o: KObject, functionConfig: KObject | undefined): boolean {
  if (isFnConfig(o)) return true;
  return (
    functionConfig !== undefined &&
    o.apiVersion === functionConfig.apiVersion &&
    o.kind === functionConfig.kind &&
    nameOf(o) === nameOf(functionConfig) &&
    namespaceOf(o) === namespaceOf(functionConfig)
  );
}
