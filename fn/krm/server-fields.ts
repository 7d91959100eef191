// Fields the API server owns. They are state, not intent, and never belong in Git: every item loses
// them, so that output is the same whether the input came from files or from `kubectl get -o yaml`.
import type { YAMLMap } from 'yaml';
import { isMap } from 'yaml';

export const SERVER_POPULATED_PATHS: readonly (readonly string[])[] = [
  ['status'],
  ['metadata', 'uid'],
  ['metadata', 'resourceVersion'],
  ['metadata', 'generation'],
  ['metadata', 'creationTimestamp'],
  ['metadata', 'managedFields'],
  ['metadata', 'selfLink'],
];

/**
 * Removes them from a parsed resource. `deleteIn` alone throws when a step of the path is missing or
 * not a mapping (a kustomization.yaml has no metadata at all), so each parent is looked up first.
 */
export function removeServerFields(resource: YAMLMap): void {
  for (const path of SERVER_POPULATED_PATHS) {
    const parent = path.length > 1 ? resource.getIn(path.slice(0, -1), true) : resource;
    if (isMap(parent)) parent.delete(path[path.length - 1]);
  }
}
