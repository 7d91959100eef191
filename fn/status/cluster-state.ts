// The cluster's state as `kubectl get nodes,jobs,pods,daemonsets -A -o json` (or -o yaml) prints it:
// Nodes, Jobs, Pods and DaemonSets, indexed for `status`, plus what a Pod's or a Job's status says in
// Kubernetes' own terms. Nothing here knows how our download pods are laid out (pod-layout.ts does).
import { parseDumpDocuments } from '../gitops/node-dump';
import type { KObject } from '../krm/objects';
import { isPlainObject, listOf, mapOf, nameOf, namespaceOf } from '../krm/objects';
import { compareStrings, compositeKey } from '../krm/order';

export interface LiveNode {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface ClusterState {
  nodes: ReadonlyMap<string, LiveNode>;
  /** By compositeKey(namespace, name). */
  jobs: ReadonlyMap<string, KObject>;
  daemonSets: ReadonlyMap<string, KObject>;
  pods: readonly KObject[];
}

const KINDS = new Set(['Node', 'Job', 'Pod', 'DaemonSet']);
export const DUMP_COMMAND = 'kubectl get nodes,jobs,pods,daemonsets -A -o json';
const USE = `give the output of ${DUMP_COMMAND} (or -o yaml)`;

/** The dump's objects by kind; other kinds (a ReplicaSet, an Event) are ignored. */
export function readClusterState(text: string): ClusterState | { problem: string } {
  const documents = parseDumpDocuments(text, USE);
  if ('problem' in documents) return documents;
  const nodes = new Map<string, LiveNode>();
  const jobs = new Map<string, KObject>();
  const daemonSets = new Map<string, KObject>();
  const pods: KObject[] = [];
  for (const doc of documents.objects) {
    const isList = typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items);
    for (const item of isList ? listOf(doc.items) : [doc]) {
      if (!isPlainObject(item) || !KINDS.has(String(item.kind))) continue;
      const o = item as KObject;
      if (nameOf(o) === '') return { problem: `a ${o.kind} without metadata.name; ${USE}` };
      const id = compositeKey(namespaceOf(o), nameOf(o));
      if (o.kind === 'Node') nodes.set(nameOf(o), liveNode(o));
      else if (o.kind === 'Job') jobs.set(id, o);
      else if (o.kind === 'DaemonSet') daemonSets.set(id, o);
      else pods.push(o);
    }
  }
  if (nodes.size === 0) return { problem: `no Node in the input; ${USE}` };
  return { nodes, jobs, daemonSets, pods };
}

function liveNode(o: KObject): LiveNode {
  const labels = mapOf(o.metadata?.labels);
  const taints = listOf(mapOf(o.spec).taints)
    .filter(isPlainObject)
    .map((t) => ({
      key: String(t.key ?? ''),
      ...(t.value !== undefined ? { value: String(t.value) } : {}),
      effect: String(t.effect ?? ''),
    }));
  return {
    name: nameOf(o),
    labels: Object.fromEntries(Object.keys(labels).map((k) => [k, String(labels[k])])),
    taints,
  };
}

/** What a container's status says; `restarted` is its last run before this one, when it failed. */
export type ContainerState =
  | { state: 'waiting'; reason?: string; message?: string; lastFailure?: Termination }
  | { state: 'running'; startedAt?: string }
  | ({ state: 'terminated' } & Termination);

export interface Termination {
  exitCode: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** The pod's containers by name, init containers and others alike, from its status. */
export function containerStates(pod: KObject): Map<string, ContainerState> {
  const status = mapOf(pod.status);
  const states = new Map<string, ContainerState>();
  for (const s of [...listOf(status.initContainerStatuses), ...listOf(status.containerStatuses)]) {
    if (!isPlainObject(s) || typeof s.name !== 'string') continue;
    const state = mapOf(s.state);
    const last = termination(mapOf(mapOf(s.lastState).terminated));
    if (isPlainObject(state.terminated)) states.set(s.name, { state: 'terminated', ...termination(state.terminated) });
    else if (isPlainObject(state.running))
      states.set(s.name, { state: 'running', ...text('startedAt', state.running) });
    else {
      const waiting = mapOf(state.waiting);
      states.set(s.name, {
        state: 'waiting',
        ...text('reason', waiting),
        ...text('message', waiting),
        ...(last && last.exitCode !== 0 ? { lastFailure: last } : {}),
      });
    }
  }
  return states;
}

function termination(t: Record<string, unknown>): Termination {
  return {
    exitCode: typeof t.exitCode === 'number' ? t.exitCode : 0,
    ...text('reason', t),
    ...text('message', t),
    ...text('startedAt', t),
    ...text('finishedAt', t),
  };
}

const text = <K extends string>(key: K, o: Record<string, unknown>): Partial<Record<K, string>> =>
  typeof o[key] === 'string' && o[key] !== '' ? ({ [key]: o[key] } as Record<K, string>) : {};

/** The names of a pod's (or pod template's) init containers and containers, in the order they run. */
export function containerOrder(podSpec: unknown): string[] {
  const spec = mapOf(podSpec);
  return [...listOf(spec.initContainers), ...listOf(spec.containers)].filter(isPlainObject).map((c) => String(c.name));
}

/** A condition of an object's status, when its status is "True". */
export function trueCondition(o: KObject, type: string): { reason?: string; message?: string } | undefined {
  const c = listOf(mapOf(o.status).conditions).find(
    (x) => isPlainObject(x) && x.type === type && x.status === 'True',
  ) as Record<string, unknown> | undefined;
  return c ? { ...text('reason', c), ...text('message', c) } : undefined;
}

/** Why the scheduler has not placed a pod (its PodScheduled condition is False), if it says. */
export function schedulingProblem(pod: KObject): string | undefined {
  const c = listOf(mapOf(pod.status).conditions).find(
    (x) => isPlainObject(x) && x.type === 'PodScheduled' && x.status === 'False',
  ) as Record<string, unknown> | undefined;
  if (!c) return undefined;
  return [c.reason, c.message].filter((x) => typeof x === 'string' && x !== '').join(': ') || 'not scheduled';
}

/** The owner of a pod of that kind (Job, DaemonSet) by its ownerReferences. */
export const ownerName = (pod: KObject, kind: string): string | undefined => {
  const owner = listOf(mapOf(pod.metadata).ownerReferences).find((r) => isPlainObject(r) && r.kind === kind);
  return isPlainObject(owner) && typeof owner.name === 'string' ? owner.name : undefined;
};

/** The node a pod runs on, or for a pod not yet placed, the one node its affinity names (a DaemonSet's pods). */
export function podNode(pod: KObject): string | undefined {
  const spec = mapOf(pod.spec);
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') return spec.nodeName;
  const terms = listOf(
    mapOf(mapOf(mapOf(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms,
  );
  for (const term of terms.filter(isPlainObject)) {
    for (const f of listOf(term.matchFields).filter(isPlainObject)) {
      const values = listOf(f.values);
      if (f.key === 'metadata.name' && f.operator === 'In' && values.length === 1) return String(values[0]);
    }
  }
  return undefined;
}

/** The newest of some pods: by creation time, then name; a pod being deleted only when no other is left. */
export function newestPod(pods: readonly KObject[]): KObject | undefined {
  const created = (p: KObject) => String(mapOf(p.metadata).creationTimestamp ?? '');
  const deleting = (p: KObject) => (mapOf(p.metadata).deletionTimestamp ? 1 : 0);
  return [...pods].sort(
    (a, b) =>
      deleting(a) - deleting(b) || compareStrings(created(b), created(a)) || compareStrings(nameOf(b), nameOf(a)),
  )[0];
}

/** Whole seconds between two RFC 3339 timestamps of the dump; undefined when either is missing. */
export function secondsBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const seconds = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds) : undefined;
}

/** Whether a pod with these tolerations may run on a node with this taint (core/v1 semantics). */
export function tolerates(tolerations: readonly unknown[], taint: Taint): boolean {
  return tolerations.filter(isPlainObject).some((t) => {
    if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && String(t.value ?? '') === (taint.value ?? '');
  });
}
