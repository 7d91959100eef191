// Serve only where the copy is complete (`serveOnlyWhenReady`): a labeler pod of the package on each
// node (manifests/labeler.ts) keeps a label per cache and volume while the copy of the cache's current
// model is complete there, every serving PV requires that label, and an admission policy lets the
// labeler's ServiceAccount change only its own package's labels on its own node. The rules and the
// security argument are in docs/node-readiness.md.
import type { NodeSelectorTerm, PersistentVolume, ServiceAccount } from 'kubernetes-types/core/v1';
import type { ClusterRole, ClusterRoleBinding } from 'kubernetes-types/rbac/v1';
import { canonicalJson } from '../krm/canonical';
import type { KObject } from '../krm/objects';
import type { ReadinessPackage } from '../names/readiness';
import {
  labelerAccountName,
  packageLabelPattern,
  packageTag,
  READY_LABEL_PREFIX,
  READY_VALUE,
  readinessName,
} from '../names/readiness';

export const NODE_NAME_EXTRA = 'authentication.kubernetes.io/node-name';
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

const usernameOf = (p: ReadinessPackage): string => `system:serviceaccount:${p.jobNamespace}:${labelerAccountName(p)}`;

/**
 * Argo CD sync waves: the policy and its binding before everything else of the package, the serving
 * volumes next (before the caches, so that KServe's manager, when it runs, finds them and creates none
 * of its own without the readiness requirement), the rest (RBAC, the labelers) in wave 0.
 * `argocdSyncWave`, when set, is the caches' wave: both stay below it.
 */
export function readinessWaves(argocdSyncWave: number | undefined): { admission: string; volumes: string } {
  const base = Math.min(argocdSyncWave ?? 0, 0);
  return { admission: String(base - 2), volumes: String(base - 1) };
}

/** Labels stay ahead of annotations in the output, as in every other generated object. */
const inWave = <T extends { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } }>(
  o: T,
  wave: string,
): T => ({
  ...o,
  metadata: {
    ...o.metadata,
    labels: { ...o.metadata?.labels },
    annotations: { ...o.metadata?.annotations, [SYNC_WAVE]: wave },
  },
});

/** The labeler's ServiceAccount: no secrets, no cloud identity, no automounted token; used by nothing else. */
export function labelerAccount(p: ReadinessPackage): ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: labelerAccountName(p), namespace: p.jobNamespace },
    automountServiceAccountToken: false,
  };
}

/** get and patch on nodes, and nothing else, for the labeler's ServiceAccount alone. */
export function readinessRbac(p: ReadinessPackage): [ClusterRole, ClusterRoleBinding] {
  const name = readinessName(p);
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: labelerAccountName(p), namespace: p.jobNamespace }],
    },
  ];
}

const orEmpty = (path: string): string => `has(${path}) ? ${path} : {}`;
const listOrEmpty = (path: string): string => `has(${path}) ? ${path} : []`;

/**
 * The policy judges only requests of the package's labeler (its match condition); every other client
 * of the Node API (kubelet, node lifecycle controller, autoscalers, people, other packages' labelers)
 * is outside it. Within it, only the labels the request changes are judged, never the others.
 */
export function readinessPolicy(p: ReadinessPackage, argocdSyncWave?: number): [KObject, KObject] {
  const name = readinessName(p);
  const wave = readinessWaves(argocdSyncWave).admission;
  const pattern = packageLabelPattern(packageTag(p)).replaceAll('\\', '\\\\');
  return [
    inWave<KObject>(
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            resourceRules: [
              { apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['nodes', 'nodes/status'] },
            ],
          },
          matchConditions: [{ name: 'labeler-only', expression: `request.userInfo.username == '${usernameOf(p)}'` }],
          variables: [
            {
              name: 'tokenNodes',
              expression: `has(request.userInfo.extra) && '${NODE_NAME_EXTRA}' in request.userInfo.extra ? request.userInfo.extra['${NODE_NAME_EXTRA}'] : []`,
            },
            { name: 'newLabels', expression: orEmpty('object.metadata.labels') },
            { name: 'oldLabels', expression: orEmpty('oldObject.metadata.labels') },
            {
              // The labels this request adds, changes or removes: the only ones judged.
              name: 'changed',
              expression:
                'variables.newLabels.filter(k, !(k in variables.oldLabels) || variables.oldLabels[k] != variables.newLabels[k]) + variables.oldLabels.filter(k, !(k in variables.newLabels))',
            },
          ],
          validations: [
            {
              expression: 'variables.tokenNodes.size() == 1 && object.metadata.name == variables.tokenNodes[0]',
              message: 'the labeler may change only the Node it runs on; this token names no node or another one',
              reason: 'Forbidden',
            },
            {
              expression: `variables.changed.all(k, k.matches('${pattern}'))`,
              message: `the labeler of ${p.packageName ? `package ${p.packageName}` : 'the package'} in jobs namespace ${p.jobNamespace} may change only its own ${READY_LABEL_PREFIX}/${packageTag(p)}.<cache>.<volume> labels`,
              reason: 'Forbidden',
            },
            {
              expression: `variables.changed.all(k, (!(k in variables.oldLabels) || variables.oldLabels[k] == '${READY_VALUE}') && (!(k in variables.newLabels) || variables.newLabels[k] == '${READY_VALUE}'))`,
              message: `the labeler may only add a readiness label with the value "${READY_VALUE}" or remove one whose value is "${READY_VALUE}"; any other value is an operator's`,
              reason: 'Invalid',
            },
            {
              expression: [
                `(${orEmpty('object.metadata.annotations')}) == (${orEmpty('oldObject.metadata.annotations')})`,
                `(${listOrEmpty('object.metadata.finalizers')}) == (${listOrEmpty('oldObject.metadata.finalizers')})`,
                `(${listOrEmpty('object.metadata.ownerReferences')}) == (${listOrEmpty('oldObject.metadata.ownerReferences')})`,
              ].join(' && '),
              message: 'the labeler may not change annotations, finalizers or owner references of a Node',
              reason: 'Forbidden',
            },
            {
              // A Node always has spec and status, so plain equality suffices (taints are in spec).
              expression: 'object.spec == oldObject.spec && object.status == oldObject.status',
              message: "the labeler may not change a Node's spec (taints included) or status",
              reason: 'Forbidden',
            },
          ],
        },
      },
      wave,
    ),
    inWave<KObject>(
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name },
        spec: { policyName: name, validationActions: ['Deny'] },
      },
      wave,
    ),
  ];
}

/** The serving PV, its required node affinity narrowed to nodes whose copy is labelled ready, in its wave. */
export function withReadyAffinity(pv: PersistentVolume, label: string, argocdSyncWave?: number): PersistentVolume {
  const terms = termsOf(pv.spec?.nodeAffinity).map((term) => ({
    ...term,
    matchExpressions: [...(term.matchExpressions ?? []), { key: label, operator: 'In', values: [READY_VALUE] }],
  }));
  const required = { ...pv, spec: { ...pv.spec, nodeAffinity: { required: { nodeSelectorTerms: terms } } } };
  return inWave(required, readinessWaves(argocdSyncWave).volumes);
}

const termsOf = (nodeAffinity: unknown): NodeSelectorTerm[] =>
  (nodeAffinity as { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } } | undefined)?.required
    ?.nodeSelectorTerms ?? [];

/** Any readiness requirement, of this version's shape or an earlier one (keyed on the storage key). */
const isReadinessExpression = (e: { key?: unknown }): boolean =>
  typeof e.key === 'string' && e.key.startsWith(`${READY_LABEL_PREFIX}/`);

/**
 * How two node affinities of one serving PV differ when they differ only in the readiness requirement:
 * `on` or `off` (serveOnlyWhenReady was turned on or off), `relabelled` (another label: packageName
 * changed, or an output of a version that keyed the label on the storage key); undefined otherwise.
 */
export function readinessToggle(before: unknown, after: unknown): 'on' | 'off' | 'relabelled' | undefined {
  const group = (a: unknown) =>
    canonicalJson(
      termsOf(a).map((t) => ({
        ...t,
        matchExpressions: (t.matchExpressions ?? []).filter((e) => !isReadinessExpression(e)),
      })),
    );
  const requires = (a: unknown) => termsOf(a).some((t) => (t.matchExpressions ?? []).some(isReadinessExpression));
  if (group(before) !== group(after)) return undefined;
  if (requires(before) && requires(after)) return 'relabelled';
  if (requires(before) === requires(after)) return undefined;
  return requires(after) ? 'on' : 'off';
}
