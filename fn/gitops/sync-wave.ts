// Apply order under Argo CD. KServe's InferenceService webhook looks a cache up only when an
// InferenceService is created or updated: one applied before its LocalModelCache never uses the cache
// until its next update. `argocdSyncWave` (function config, opt-in) puts the caches and node groups in
// an earlier sync wave than the InferenceServices, in what `render` prints for Argo CD. The caches keep
// any wave their author set, and the source files are never changed: only the rendered copy is.
import type { Node as YamlNode } from 'yaml';
import { Document, isMap } from 'yaml';
import { SERVING_GROUP } from '../inputs/index-inputs';
import type { KObject } from '../krm/objects';
import { annotationOf, groupOf, isPlainObject, mapOf } from '../krm/objects';
import { warning } from '../krm/report';
import type { Result } from '../krm/results';
import { CREATE_NODE_OPTIONS, OUTPUT_DOCUMENT_OPTIONS } from '../krm/yaml-settings';

export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

const FIRST_KINDS = new Set(['LocalModelCache', 'LocalModelNamespaceCache', 'LocalModelNodeGroup']);
const SERVING_KINDS = new Set(['InferenceService', 'LLMInferenceService']);

const isKind = (o: KObject, kinds: ReadonlySet<string>) => groupOf(o) === SERVING_GROUP && kinds.has(o.kind ?? '');

export interface Waved {
  manifests: KObject[];
  nodes: Map<KObject, YamlNode>;
}

/** The manifests with the wave on each cache and node group that has none; everything else as it was. */
export function withSyncWave(
  manifests: readonly KObject[],
  nodes: ReadonlyMap<KObject, YamlNode>,
  wave: number,
): Waved {
  const out: Waved = { manifests: [], nodes: new Map(nodes) };
  const value = String(wave);
  for (const o of manifests) {
    if (!isKind(o, FIRST_KINDS) || annotationOf(o, SYNC_WAVE) !== undefined || !isPlainObject(o.metadata)) {
      out.manifests.push(o);
      continue;
    }
    const annotations = mapOf(o.metadata.annotations);
    const waved: KObject = { ...o, metadata: { ...o.metadata, annotations: { ...annotations, [SYNC_WAVE]: value } } };
    const node = nodes.get(o);
    if (node) out.nodes.set(waved, annotated(node, value));
    out.manifests.push(waved);
  }
  return out;
}

/** A copy of the parsed object with the annotation added, so comments and layout stay the author's. */
function annotated(node: YamlNode, value: string): YamlNode {
  const copy = node.clone() as YamlNode;
  const metadata = isMap(copy) ? copy.get('metadata', true) : undefined;
  if (!isMap(metadata)) return copy;
  const annotations = metadata.get('annotations', true);
  if (isMap(annotations)) annotations.set(SYNC_WAVE, value);
  else
    metadata.set(
      'annotations',
      new Document(null, OUTPUT_DOCUMENT_OPTIONS).createNode({ [SYNC_WAVE]: value }, CREATE_NODE_OPTIONS),
    );
  return copy;
}

/** warning: an InferenceService whose own wave is not after the caches' would still be applied first, or with them. */
export function syncWaveResults(manifests: readonly KObject[], wave: number): Result[] {
  return manifests
    .filter((o) => isKind(o, SERVING_KINDS) && Number(annotationOf(o, SYNC_WAVE) ?? 0) <= wave)
    .map((o) =>
      warning(
        o,
        `metadata.annotations[${SYNC_WAVE}]`,
        `is in sync wave ${annotationOf(o, SYNC_WAVE) ?? '0 (none set)'}, not after the caches' wave ${wave} (argocdSyncWave), so Argo CD may apply it before its LocalModelCache and KServe would not use the cache until the InferenceService's next update; lower argocdSyncWave or give the InferenceService a later wave`,
      ),
    );
}
