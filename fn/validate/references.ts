// References between inputs that must resolve: a cache's node groups, an InferenceService's node group
// annotation, the function config's servingNamespaces. A dangling one is caught here, in review, not
// by a hung deletion or a model that is never used. A cache with schema errors is not read here: its
// fields may be missing or mistyped, and a check on them would only echo the schema's message.
import type { Cache } from '../inputs/index-inputs';
import { describeCache } from '../inputs/index-inputs';
import { annotationOf } from '../krm/objects';
import { compareStrings } from '../krm/order';
import { error, warning } from '../krm/report';
import type { Result } from '../krm/results';
import {
  DISABLE_LOCALMODEL_ANNOTATION,
  isvcLabel,
  isvcNamespace,
  NODEGROUP_ANNOTATION,
  storageUriOf,
} from '../kserve/isvc-usage';
import { uriUsesCache } from '../kserve/uri-match';
import type { CheckContext } from './context';
import { fnConfigPath } from './context';

export function referenceResults(ctx: CheckContext): Result[] {
  const caches = ctx.inputs.caches.filter((c) => ctx.sound(c.object));
  return [
    ...unknownNodeGroups(ctx, caches),
    ...isvcNodeGroupsMissingFromCache(ctx),
    ...servingNamespaceReferences(ctx),
    ...nodeGroupTolerationReferences(ctx),
    ...nearMissUris(ctx, caches),
  ];
}

/** error: KServe would create nothing for the group and hang deleting the cache (kserve#6154). */
function unknownNodeGroups({ inputs }: CheckContext, caches: readonly Cache[]): Result[] {
  const results: Result[] = [];
  for (const cache of caches) {
    cache.spec.nodeGroups.forEach((nodeGroup, i) => {
      if (inputs.nodeGroups.has(nodeGroup)) return;
      const known = [...inputs.nodeGroups.keys()].sort(compareStrings);
      results.push(
        error(
          cache.object,
          `spec.nodeGroups[${i}]`,
          `${describeCache(cache)} names node group "${nodeGroup}", which is not in the input (${known.length > 0 ? `known: ${known.join(', ')}` : 'there is no LocalModelNodeGroup'}); add the LocalModelNodeGroup "${nodeGroup}" or fix the name (KServe would hang deleting this cache, kserve#6154)`,
        ),
      );
    });
  }
  return results;
}

/**
 * warning: the InferenceService still works, from the model's remote storage, but without the local
 * copy the cache exists for; KServe gives no sign of it.
 */
function isvcNodeGroupsMissingFromCache({ inputs, sound }: CheckContext): Result[] {
  const results: Result[] = [];
  for (const { object: isvc, use, sameModel: lacking } of inputs.inferenceServices) {
    const wanted = annotationOf(isvc, NODEGROUP_ANNOTATION);
    if (wanted === undefined || (use && sound(use.cache.object)) || !lacking) continue;
    if (wanted === '') {
      results.push(
        warning(
          isvc,
          `metadata.annotations[${NODEGROUP_ANNOTATION}]`,
          `${isvcLabel(isvc)} has an empty ${NODEGROUP_ANNOTATION} annotation; KServe reads it as a node group named "", which ${describeCache(lacking.cache)} (same model) does not list, so the InferenceService will not use the local copy. Remove the annotation to use the cache's first node group, or name a group`,
        ),
      );
      continue;
    }
    results.push(
      warning(
        isvc,
        `metadata.annotations[${NODEGROUP_ANNOTATION}]`,
        `${isvcLabel(isvc)} asks for node group "${wanted}", but ${describeCache(lacking.cache)} (same model) is not cached there, so KServe will not use the local copy; add "${wanted}" to the cache's spec.nodeGroups or change the annotation`,
      ),
    );
  }
  return results;
}

/**
 * warning: KServe compares URIs exactly (but for one trailing "/"), so an InferenceService whose URI
 * differs from a cache's only by case or by trailing slashes downloads from the remote source instead.
 */
function nearMissUris({ inputs, sound }: CheckContext, caches: readonly Cache[]): Result[] {
  const loose = (uri: string): string => uri.replace(/\/+$/, '').toLowerCase();
  const results: Result[] = [];
  for (const { object: isvc, sameModel } of inputs.inferenceServices) {
    const uri = storageUriOf(isvc);
    if (!uri || annotationOf(isvc, DISABLE_LOCALMODEL_ANNOTATION) !== undefined) continue;
    if (sameModel && sound(sameModel.cache.object)) continue;
    const near = caches.find(
      (c) =>
        (c.kind === 'LocalModelCache' || c.namespace === isvcNamespace(isvc)) &&
        !uriUsesCache(uri, c.spec.sourceModelUri) &&
        uriUsesCache(loose(uri), loose(c.spec.sourceModelUri)),
    );
    if (!near) continue;
    results.push(
      warning(
        isvc,
        'spec',
        `${isvcLabel(isvc)} has storage URI ${JSON.stringify(uri)}, which differs from ${describeCache(near)}'s sourceModelUri ${JSON.stringify(near.spec.sourceModelUri)} only by case or a trailing "/"; KServe compares them exactly, so this InferenceService downloads from the remote source instead of using the local copy. Write the cache's URI exactly`,
      ),
    );
  }
  return results;
}

/** error: tolerations for a node group that is not there would silently apply to nothing. */
function nodeGroupTolerationReferences(ctx: CheckContext): Result[] {
  const { inputs, fnConfig, fnConfigObject } = ctx;
  const known = [...inputs.nodeGroups.keys()].sort(compareStrings);
  return Object.keys(fnConfig.nodeGroupTolerations)
    .filter((group) => !inputs.nodeGroups.has(group))
    .sort(compareStrings)
    .map((group) => {
      const path = fnConfigPath(ctx, `nodeGroupTolerations.${group}`);
      const message = `nodeGroupTolerations names node group "${group}", which is not in the input (${known.length > 0 ? `known: ${known.join(', ')}` : 'there is no LocalModelNodeGroup'}); fix the name or add the LocalModelNodeGroup`;
      return fnConfigObject ? error(fnConfigObject, path, message) : { severity: 'error', message, field: { path } };
    });
}

/** error: the serving volume asked for cannot be made. */
function servingNamespaceReferences(ctx: CheckContext): Result[] {
  const { inputs, fnConfig, fnConfigObject } = ctx;
  const results: Result[] = [];
  const report = (path: string, message: string) =>
    results.push(
      fnConfigObject ? error(fnConfigObject, path, message) : { severity: 'error', message, field: { path } },
    );
  fnConfig.servingNamespaces.forEach((entry, i) => {
    const where = `servingNamespaces[${i}]`;
    const cache = inputs.caches.find((c) => c.kind === 'LocalModelCache' && c.name === entry.cache);
    if (!cache) {
      report(
        fnConfigPath(ctx, `${where}.cache`),
        `${where} names LocalModelCache "${entry.cache}", which is not in the input; fix the name or add the cache`,
      );
      return;
    }
    const nodeGroup = entry.nodeGroup || cache.spec.nodeGroups[0];
    if (nodeGroup !== undefined && !cache.spec.nodeGroups.includes(nodeGroup)) {
      report(
        fnConfigPath(ctx, `${where}.nodeGroup`),
        `${where} asks for node group "${nodeGroup}", which ${describeCache(cache)} does not list in spec.nodeGroups (it lists ${cache.spec.nodeGroups.join(', ')}); add it there or fix the name`,
      );
    }
  });
  return results;
}
