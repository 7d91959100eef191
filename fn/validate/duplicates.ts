// Things that exist twice: two resources with one identity, two cluster caches of one model, a node
// group listed twice by one cache.

import type { Cache } from '../inputs/index-inputs';
import { describeCache } from '../inputs/index-inputs';
import type { KObject } from '../krm/objects';
import { groupOf, listOf, mapOf, nameOf, namespaceOf } from '../krm/objects';
import { compositeKey } from '../krm/order';
import { error, fileOf, warning } from '../krm/report';
import type { Result } from '../krm/results';
import { describeResource } from '../krm/wording';
import type { CheckContext } from './context';

export function duplicateResults(ctx: CheckContext, items: readonly KObject[]): Result[] {
  return [...duplicateResources(ctx, items), ...sameSourceModelUri(ctx), ...nodeGroupsListedTwice(ctx)];
}

const where = (o: KObject): string => {
  const file = fileOf(o);
  return file ? ` (${file.path}${file.index ? `#${file.index}` : ''})` : '';
};

/**
 * error: the same group, kind, namespace and name twice. kubectl applies one over the other, kustomize
 * refuses the package, and this function would silently read one of them.
 */
function duplicateResources({ inputs }: CheckContext, items: readonly KObject[]): Result[] {
  const seen = new Map<string, KObject>();
  const results: Result[] = [];
  for (const o of items) {
    if (inputs.previousOutput.has(o) || typeof o.kind !== 'string' || nameOf(o) === '') continue;
    const id = compositeKey(groupOf(o), o.kind, namespaceOf(o), nameOf(o));
    const first = seen.get(id);
    if (!first) {
      seen.set(id, o);
      continue;
    }
    const label = describeResource(o.kind, namespaceOf(o), nameOf(o));
    results.push(
      error(
        o,
        'metadata.name',
        `${label} appears twice in the input${where(first)}${where(o)}; keep one (merge them, or rename one)`,
      ),
    );
  }
  return results;
}

/**
 * error for the same URI: KServe's LocalModelCache webhook refuses a second cluster cache of a URI.
 * warning for URIs that differ only by a trailing "/": allowed, but two storage keys mean two
 * downloads and two copies on every node, and InferenceServices use only the first cache by name.
 */
function sameSourceModelUri({ inputs }: CheckContext): Result[] {
  const results: Result[] = [];
  const clusterCaches = inputs.caches.filter((c) => c.kind === 'LocalModelCache' && c.spec.sourceModelUri !== '');
  const exact = new Map<string, Cache>();
  const trimmed = new Map<string, Cache>();
  for (const cache of clusterCaches) {
    const uri = cache.spec.sourceModelUri;
    const onUri = (report: typeof error, message: string) =>
      results.push(report(cache.object, 'spec.sourceModelUri', message));
    const sameUri = exact.get(uri);
    if (sameUri) {
      onUri(
        error,
        `${describeCache(sameUri)} already caches ${uri}; KServe's webhook refuses a second LocalModelCache with the same sourceModelUri. Add this cache's node groups to ${describeCache(sameUri)} instead`,
      );
      continue;
    }
    exact.set(uri, cache);
    const key = uri.endsWith('/') ? uri.slice(0, -1) : uri;
    const near = trimmed.get(key);
    if (near) {
      onUri(
        warning,
        `${uri} and ${describeCache(near)}'s ${near.spec.sourceModelUri} differ only by a trailing "/": KServe downloads the model twice, into two folders on every node, and InferenceServices use only ${describeCache(near)}. Use one cache`,
      );
    } else trimmed.set(key, cache);
  }
  return results;
}

/** warning: harmless to KServe, but a sign of a copy-paste slip; the second entry is ignored. */
function nodeGroupsListedTwice({ inputs }: CheckContext): Result[] {
  const results: Result[] = [];
  for (const cache of inputs.caches) {
    const spec = mapOf(cache.object.spec);
    const listed = listOf(spec.nodeGroups);
    listed.forEach((g, i) => {
      if (typeof g === 'string' && listed.indexOf(g) < i) {
        results.push(
          warning(cache.object, `spec.nodeGroups[${i}]`, `node group "${g}" is listed twice; remove this entry`),
        );
      }
    });
  }
  return results;
}
