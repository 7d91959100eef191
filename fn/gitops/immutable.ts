// Updates the API server will refuse. PV and PVC names are KServe's and fixed, so a change to a node
// group's volume spec reaches the cluster as an update of the same object; for the fields below that
// update is refused, and the sync fails only when Argo CD or Flux applies it. Comparing the previous
// generated objects (kpt passes them back in; `render --out` and `--check` have the committed files)
// with the new ones shows it in review instead. docs/immutable-fields.md lists the rules and their source.
import { isDeepStrictEqual } from 'node:util';
import { PERSISTENT_VOLUME_SOURCES } from '../k8s/apiserver-rules';
import { parseQuantity } from '../k8s/quantity';
import type { KObject } from '../krm/objects';
import { isPlainObject, mapOf, nameOf, namespaceOf } from '../krm/objects';
import { compareStrings, compositeKey } from '../krm/order';
import { warning } from '../krm/report';
import type { Result } from '../krm/results';
import { readinessToggle } from '../manifests/node-readiness';

/** One refused field: where, and why the API server refuses it. */
interface Refusal {
  field: string;
  why: string;
}

type Spec = Record<string, unknown>;
/** Key order in a file is no change. */
const same = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a, b);

function persistentVolumeRefusals(before: Spec, after: Spec): Refusal[] {
  const refusals: Refusal[] = [];
  const source = (s: Spec) =>
    PERSISTENT_VOLUME_SOURCES.filter((k) => s[k] !== undefined && s[k] !== null).map((k) => [k, s[k]]);
  if (!same(source(before), source(after))) {
    const keys = [...new Set([...source(before), ...source(after)].map(([k]) => k as string))];
    const changed = keys.filter((k) => !same(before[k], after[k]));
    refusals.push({
      field: changed.map((k) => `spec.${k}`).join(', '),
      why: 'the volume source of a PersistentVolume is immutable after creation',
    });
  }
  if ((before.volumeMode ?? 'Filesystem') !== (after.volumeMode ?? 'Filesystem'))
    refusals.push({ field: 'spec.volumeMode', why: 'volumeMode is immutable' });
  if (before.nodeAffinity !== undefined && !same(before.nodeAffinity, after.nodeAffinity)) {
    const toggled = readinessToggle(before.nodeAffinity, after.nodeAffinity);
    const why =
      toggled === 'relabelled'
        ? 'the readiness label it requires changed (packageName changed, or the previous output keyed the label on the storage key; docs/node-readiness.md), but '
        : toggled
          ? `serveOnlyWhenReady was turned ${toggled}, which ${toggled === 'on' ? 'adds the readiness label to' : 'removes the readiness label from'} the serving volume's node affinity (docs/node-readiness.md), but `
          : '';
    refusals.push({
      field: 'spec.nodeAffinity',
      why: `${why}the node affinity of a PersistentVolume cannot change once set (only with the alpha MutablePVNodeAffinity feature gate of Kubernetes 1.35)`,
    });
  }
  return refusals;
}

function persistentVolumeClaimRefusals(before: Spec, after: Spec): Refusal[] {
  const refusals: Refusal[] = [];
  // The API server fills in Filesystem: leaving it out and writing it are the same.
  const mode = (s: Spec) => s.volumeMode ?? 'Filesystem';
  if (mode(before) !== mode(after)) refusals.push({ field: 'spec.volumeMode', why: 'volumeMode is immutable' });
  // Everything but resources.requests and volumeAttributesClassName is fixed at creation.
  const fixed = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => k !== 'resources' && k !== 'volumeAttributesClassName' && k !== 'volumeMode')
    .sort(compareStrings);
  for (const key of fixed) {
    if (!same(before[key], after[key]))
      refusals.push({ field: `spec.${key}`, why: 'the spec of a PersistentVolumeClaim is immutable after creation' });
  }
  const resources = (s: Spec) => mapOf(s.resources);
  if (!same(resources(before).limits, resources(after).limits))
    refusals.push({ field: 'spec.resources.limits', why: 'only resources.requests of a claim may change' });
  const storage = (s: Spec) => {
    const requests = resources(s).requests;
    return isPlainObject(requests) ? requests.storage : undefined;
  };
  const [was, is] = [parseQuantity(String(storage(before))), parseQuantity(String(storage(after)))];
  if (was !== undefined && is !== undefined && was !== is) {
    refusals.push({
      field: 'spec.resources.requests.storage',
      why:
        is < was
          ? 'a claim can never ask for less storage than before'
          : 'more storage is accepted only for a bound claim whose StorageClass sets allowVolumeExpansion, and a local or hostPath volume cannot grow',
    });
  }
  return refusals;
}

function daemonSetRefusals(before: Spec, after: Spec): Refusal[] {
  return same(before.selector, after.selector)
    ? []
    : [{ field: 'spec.selector', why: "a DaemonSet's selector is immutable in apps/v1" }];
}

/**
 * The kinds whose names stay when their spec changes. Not Job: a download Job's name ends in a hash of
 * the whole Job, so a changed Job is a new Job (and comparing thousands of them on every kpt render
 * would cost more than the rest of the run's checks).
 */
const RULES: Record<string, (before: Spec, after: Spec) => Refusal[]> = {
  PersistentVolume: persistentVolumeRefusals,
  PersistentVolumeClaim: persistentVolumeClaimRefusals,
  DaemonSet: daemonSetRefusals,
};

const id = (o: KObject): string => compositeKey(o.kind ?? '', namespaceOf(o), nameOf(o));

/**
 * A warning for each object of `next` that exists in `previous` under the same kind, namespace and
 * name and changes a field the API server will not update; strict mode makes it an error.
 */
export function immutableChanges(previous: readonly KObject[], next: readonly KObject[]): Result[] {
  const before = new Map(previous.map((o) => [id(o), o]));
  const claimsOf = new Map<string, KObject[]>();
  for (const o of next) {
    const volumeName = o.kind === 'PersistentVolumeClaim' ? mapOf(o.spec).volumeName : undefined;
    if (typeof volumeName === 'string') claimsOf.set(volumeName, [...(claimsOf.get(volumeName) ?? []), o]);
  }
  const results: Result[] = [];
  for (const after of next) {
    const rule = RULES[after.kind ?? ''];
    const old = before.get(id(after));
    if (!rule || !old) continue;
    if (same(old.spec, after.spec)) continue;
    const refusals = rule(mapOf(old.spec), mapOf(after.spec));
    if (refusals.length === 0) continue;
    // On the previous object: its file is the one in Git that the change rewrites.
    const message = `${refusals.map((r) => `${r.field} changes, and the API server refuses the update: ${r.why}`).join('; ')}. ${safeWay(after, claimsOf)}`;
    results.push(warning(old, refusals[0].field.split(', ')[0], message));
  }
  return results;
}

const GITOPS_OPTIONS =
  'Argo CD does the delete and create itself with the annotation argocd.argoproj.io/sync-options: Force=true,Replace=true (Replace=true alone still sends an update, which is refused); Flux with kustomize.toolkit.fluxcd.io/force: enabled. Both delete and re-create the object on every such change from then on, without the order above: a claim still mounted waits in Terminating and the sync stalls, so remove the annotation afterwards';

/** The way through for this object: what to delete, in which order, what running InferenceServices see. */
function safeWay(o: KObject, claimsOf: ReadonlyMap<string, KObject[]>): string {
  if (o.kind === 'PersistentVolume' || o.kind === 'PersistentVolumeClaim') {
    const claims = o.kind === 'PersistentVolume' ? (claimsOf.get(nameOf(o)) ?? []) : [o];
    const volume = o.kind === 'PersistentVolume' ? nameOf(o) : String(mapOf(o.spec).volumeName ?? '');
    const deleteClaims = claims.map((c) => `kubectl delete pvc -n ${namespaceOf(c)} ${nameOf(c)} --wait=false`);
    const steps = [...deleteClaims, ...(volume ? [`kubectl delete pv ${volume}`] : [])];
    return `Safe way through: delete the claim first, then the volume (${steps.join(', then ')}), then sync; the volume is re-created and the claim binds to it again by volumeName (a claim re-created alone cannot bind: the old volume still holds the old claim). A claim that pods still mount stays Terminating until they stop: running InferenceService pods keep serving from the files on the node, which a local or hostPath volume does not delete, but new pods of that namespace cannot start until the claim is back. ${GITOPS_OPTIONS}`;
  }
  return `Safe way through: kubectl delete daemonset -n ${namespaceOf(o)} ${nameOf(o)}, then sync; its pods stop and the new DaemonSet starts its own. InferenceServices are not affected while the model files stay on the nodes. ${GITOPS_OPTIONS}`;
}
