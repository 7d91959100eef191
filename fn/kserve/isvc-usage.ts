// Which cache, on which node group, each InferenceService mounts (docs/kserve-rules.md, "Which
// InferenceService uses which cache"), so that
// its namespace gets the serving PV and PVC KServe's webhook will look for.

import type { KObject } from '../krm/objects';
import { annotationOf, isPlainObject, listOf, mapOf, nameOf, namespaceOf } from '../krm/objects';
import { uriUsesCache } from './uri-match';

export const NODEGROUP_ANNOTATION = 'serving.kserve.io/nodegroup';
export const DISABLE_LOCALMODEL_ANNOTATION = 'serving.kserve.io/disable-localmodel';

/** What the search reads of a cache (inputs/index-inputs.ts Cache has it). */
export interface CachedModel {
  kind: string;
  namespace: string;
  spec: { sourceModelUri: string; nodeGroups: string[] };
}

export interface CacheUse<C extends CachedModel = CachedModel> {
  cache: C;
  nodeGroupName: string;
  namespace: string;
}

/** KServe's order of a predictor's implementations (PredictorSpec.GetImplementations); the first present counts. */
const PREDICTOR_IMPLEMENTATIONS = [
  'xgboost',
  'pytorch',
  'triton',
  'sklearn',
  'tensorflow',
  'onnx',
  'pmml',
  'lightgbm',
  'paddle',
  'huggingface',
  'model',
];
/** A custom predictor's serving container, and the env that carries its model URI (CustomPredictor.GetStorageUri). */
const CUSTOM_CONTAINER = 'kserve-container';
const CUSTOM_STORAGE_URI_ENV = 'STORAGE_URI';

/**
 * The model URI of a v1beta1 InferenceService (model, framework or custom-container form) or of an
 * LLMInferenceService, read as KServe's InferenceService webhook reads it.
 */
export function storageUriOf(isvc: KObject): string | undefined {
  const spec = mapOf(isvc.spec);
  if (isvc.kind === 'LLMInferenceService') {
    const model = mapOf(spec.model);
    return nonEmpty(model.uri);
  }
  const predictor = mapOf(spec.predictor);
  const implementation = PREDICTOR_IMPLEMENTATIONS.find((name) => isPlainObject(predictor[name]));
  if (implementation) return nonEmpty((predictor[implementation] as Record<string, unknown>).storageUri);
  const containers = listOf(predictor.containers);
  const serving = containers.find((c: unknown) => isPlainObject(c) && c.name === CUSTOM_CONTAINER);
  const env: unknown[] = listOf(mapOf(serving).env);
  const uri = env.find((e) => isPlainObject(e) && e.name === CUSTOM_STORAGE_URI_ENV);
  return isPlainObject(uri) ? nonEmpty(uri.value) : undefined;
}

const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const isvcNamespace = (isvc: KObject): string => namespaceOf(isvc) || 'default';

export interface CacheUses<C extends CachedModel = CachedModel> {
  /** The cache and node group KServe's webhook makes the InferenceService mount; none: it downloads the model itself. */
  use?: CacheUse<C>;
  /** The same search without the node group annotation: tells a missing group from a missing cache. */
  sameModel?: CacheUse<C>;
}

/**
 * KServe's search: namespaced caches of the ISVC's namespace, then cluster caches, each by name; the
 * first whose URI matches and which has the annotated node group (if any) wins, on that group (else on
 * its first). An annotation that is present but empty names a group no cache has, so nothing matches
 * (as in KServe). Both answers come from one pass over the caches.
 */
export function cacheUseOf<C extends CachedModel>(isvc: KObject, caches: readonly C[]): CacheUses<C> {
  // KServe looks at the key only: any value, even "false", turns the local model off.
  if (annotationOf(isvc, DISABLE_LOCALMODEL_ANNOTATION) !== undefined) return {};
  const uri = storageUriOf(isvc);
  if (!uri) return {};
  const wanted = annotationOf(isvc, NODEGROUP_ANNOTATION);
  const namespace = isvcNamespace(isvc);
  const candidates = [
    ...caches.filter((c) => c.kind === 'LocalModelNamespaceCache' && c.namespace === namespace),
    ...caches.filter((c) => c.kind === 'LocalModelCache'),
  ];
  const found: CacheUses<C> = {};
  for (const cache of candidates) {
    if (found.use && found.sameModel) break;
    if (!uriUsesCache(uri, cache.spec.sourceModelUri)) continue;
    const [first] = cache.spec.nodeGroups;
    if (first && !found.sameModel) found.sameModel = { cache, nodeGroupName: first, namespace };
    const nodeGroupName = wanted ?? first;
    if (nodeGroupName && !found.use && cache.spec.nodeGroups.includes(nodeGroupName))
      found.use = { cache, nodeGroupName, namespace };
  }
  return found;
}

export const isvcLabel = (isvc: KObject): string => `${isvc.kind} ${isvcNamespace(isvc)}/${nameOf(isvc)}`;
