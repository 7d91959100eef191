// Does an InferenceService's storage URI use a cache's model? (docs/kserve-rules.md, "Which
// InferenceService uses which cache")
// Equal after dropping one trailing slash from each, or the ISVC URI continues the cache URI at a `/`:
// `gs://b/model` covers `gs://b/model/sub` but not `gs://b/model-evil`.

const trimOneSlash = (uri: string): string => (uri.endsWith('/') ? uri.slice(0, -1) : uri);

export function uriUsesCache(isvcUri: string, cacheUri: string): boolean {
  const isvc = trimOneSlash(isvcUri);
  const cache = trimOneSlash(cacheUri);
  return isvc === cache || isvc.startsWith(`${cache}/`);
}
