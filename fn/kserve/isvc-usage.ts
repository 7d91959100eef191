// Which cache, on which node group, each InferenceService mounts (kserve-behaviour.md §3), so that
// its namespace gets the serving PV and PVC KServe's webhook will look for.

import type { Cache } from '../inputs/index-inputs';
import type { KObject } from '../krm/objects';
import { annotationOf, isPlainObject, nameOf, namespaceOf } from '../krm/objects';
import { uriUsesCache } from './uri-match';

export const NODEGROUP_ANNOTATION = 'serving.kserve.io/nodegroup';
export const DISABLE_LOCALMODEL_ANNOTATION = 'serving.kserve.io/disable-localmodel';

export interface CacheUse {
  cache: Cache;
  nodeGroup: string;
  namespace: string;
}

/** The model URI of a v1beta1 InferenceService (model or framework form) or of an LLMInferenceService. */
export function storageUriOf(isvc: KObject): string | undefined {
  const spec = isPlainObject(isvc.spec) ? isvc.spec : {};
  if (isvc.kind === 'LLMInferenceService') {
    const model = isPlainObject(spec.model) ? spec.model : {};
    return typeof model.uri === 'string' ? model.uri : undefined;
  }
  const predictor = isPlainObject(spec.predictor) ? spec.predictor : {};
  const model = isPlainObject(predictor.model) ? predictor.model : undefined;
  if (model && typeof model.storageUri === 'string') return model.storageUri;
  for (const framework of Object.keys(predictor).sort()) {
    const component = predictor[framework];
    if (isPlainObject(component) && typeof component.storageUri === 'string') return component.storageUri;
  }
  return undefined;
}

export const isvcNamespace = (isvc: KObject): string => namespaceOf(isvc) || 'default';

/**
 * KServe's search: namespaced caches of the ISVC's namespace, then cluster caches, each by name; the
 * first whose URI matches and which has the annotated node group (if any) wins.
 */
export function cacheUseOf(
  isvc: KObject,
  caches: readonly Cache[],
  wanted: string | undefined = annotationOf(isvc, NODEGROUP_ANNOTATION),
): CacheUse | undefined {
  // KServe looks at the key only: any value, even "false", turns the local model off.
  if (annotationOf(isvc, DISABLE_LOCALMODEL_ANNOTATION) !== undefined) return undefined;
  const uri = storageUriOf(isvc);
  if (!uri) return undefined;
  const namespace = isvcNamespace(isvc);
  const candidates = [
    ...caches.filter((c) => c.kind === 'LocalModelNamespaceCache' && c.namespace === namespace),
    ...caches.filter((c) => c.kind === 'LocalModelCache'),
  ];
  for (const cache of candidates) {
    if (!uriUsesCache(uri, cache.spec.sourceModelUri)) continue;
    if (wanted && !cache.spec.nodeGroups.includes(wanted)) continue;
    const nodeGroup = wanted || cache.spec.nodeGroups[0];
    if (!nodeGroup) continue;
    return { cache, nodeGroup, namespace };
  }
  return undefined;
}

export const isvcLabel = (isvc: KObject): string => `${isvc.kind} ${isvcNamespace(isvc)}/${nameOf(isvc)}`;
