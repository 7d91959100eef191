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

/**
 * KServe's search: namespaced caches of the ISVC's namespace, then cluster caches, each by name; the
 * first whose URI matches and which has the annotated node group (if any) wins. An annotation that is
 * present but empty names a group no cache has, so nothing matches (as in KServe).
 * `anyNodeGroup` leaves the annotation out, to tell a missing group from a missing cache.
 */
export function cacheUseOf<C extends CachedModel>(
  isvc: KObject,
  caches: readonly C[],
  { anyNodeGroup = false }: { anyNodeGroup?: boolean } = {},
): CacheUse<C> | undefined {
  // KServe looks at the key only: any value, even "false", turns the local model off.
  if (annotationOf(isvc, DISABLE_LOCALMODEL_ANNOTATION) !== undefined) return undefined;
  const uri = storageUriOf(isvc);
  if (!uri) return undefined;
  const wanted = anyNodeGroup ? undefined : annotationOf(isvc, NODEGROUP_ANNOTATION);
  const namespace = isvcNamespace(isvc);
  const candidates = [
    ...caches.filter((c) => c.kind === 'LocalModelNamespaceCache' && c.namespace === namespace),
    ...caches.filter((c) => c.kind === 'LocalModelCache'),
  ];
  for (const cache of candidates) {
    if (!uriUsesCache(uri, cache.spec.sourceModelUri)) continue;
    if (wanted !== undefined && !cache.spec.nodeGroups.includes(wanted)) continue;
    const nodeGroupName = wanted ?? cache.spec.nodeGroups[0];
    if (!nodeGroupName) continue;
    return { cache, nodeGroupName, namespace };
  }
  return undefined;
}

export const isvcLabel = (isvc: KObject): string => `${isvc.kind} ${isvcNamespace(isvc)}/${nameOf(isvc)}`;
