// Serve only where the copy is complete (`serveOnlyWhenReady`): the download pod labels its own node
// once a model folder's completion marker is written, the serving PV requires that label, and an
// admission policy lets the download pods' ServiceAccounts change nothing else. The rules and the
// security argument are in docs/node-readiness.md.
import { createHash } from 'node:crypto';
import type { Container, NodeSelectorTerm, PersistentVolume, Volume } from 'kubernetes-types/core/v1';
import type { ClusterRole, ClusterRoleBinding } from 'kubernetes-types/rbac/v1';
import { canonicalJson } from '../krm/canonical';
import type { KObject } from '../krm/objects';
import { VOLUME_MOUNT_PATH } from './download-steps';
import { OUR_CONTAINER } from './pod-security';
import { runScript, stepScriptsMount } from './step-scripts';

export const READY_LABEL_PREFIX = 'models.kserve-localmodel.dev';
export const READY_VALUE = 'ready';
/** `models.kserve-localmodel.dev/<storage key>.<volume tag>`: the shape the admission policy allows, and no other. */
export const READY_LABEL_PATTERN = '^models\\.kserve-localmodel\\.dev/[0-9a-f]{16}\\.[0-9a-f]{8}$';
/** Also the name of the ClusterRole, its binding, the policy and its binding. */
export const NODE_READINESS_NAME = 'kserve-localmodel-fn-node-readiness';
export const NODE_NAME_EXTRA = 'authentication.kubernetes.io/node-name';

const TOKEN_VOLUME = 'node-readiness-token';
/** Also written in fn/steps/node-label.sh. */
const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The volume tag: 8 hex characters of SHA-256 of the group's volume identity (its host path, see
 * plan/volume.ts). A node in two groups with different host paths holds two copies of a model, and
 * each copy has its own label; groups on one host path share the folder and so the label.
 */
export function volumeTag(volume: string): string {
  let tag = volumeTags.get(volume);
  if (tag === undefined) {
    tag = createHash('sha256').update(volume, 'utf8').digest('hex').slice(0, 8);
    volumeTags.set(volume, tag);
  }
  return tag;
}

/** Every Job of a group asks for the same tag: each volume is hashed once, as storage keys are. */
const volumeTags = new Map<string, string>();

export const readyLabel = (storageKey: string, tag: string): string => `${READY_LABEL_PREFIX}/${storageKey}.${tag}`;

/** The serving PV's affinity with the readiness label required in every term (each term is an OR branch). */
function requireReadyLabel(terms: readonly NodeSelectorTerm[], label: string): NodeSelectorTerm[] {
  return terms.map((term) => ({
    ...term,
    matchExpressions: [...(term.matchExpressions ?? []), { key: label, operator: 'In', values: [READY_VALUE] }],
  }));
}

export interface ReadinessStepInput {
  phase: 'before' | 'after';
  image: string;
  /** The pod volume that holds the node group's models/ (the download PVC). */
  volumeName: string;
  tag: string;
  keys: readonly string[];
  /** Daemonset mode: every key listed on this host path; the labels of all other keys are removed. */
  keep?: readonly string[];
}

/** One label step: `before` runs ahead of the downloads, `after` once they (and any cleanup) are done. */
export function readinessStep(input: ReadinessStepInput): Container {
  return {
    name: `node-readiness-${input.phase}`,
    image: input.image,
    command: runScript('node-label.sh'),
    args: [input.phase, input.tag, ...input.keys, ...(input.keep ? ['--keep', ...input.keep] : [])],
    env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    securityContext: structuredClone(OUR_CONTAINER),
    volumeMounts: [
      { name: input.volumeName, mountPath: VOLUME_MOUNT_PATH, readOnly: true },
      { name: TOKEN_VOLUME, mountPath: TOKEN_MOUNT_PATH, readOnly: true },
      stepScriptsMount,
    ],
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

/**
 * A short-lived token of the pod's ServiceAccount, mounted only into the label steps, so they work where
 * the ServiceAccount turns off automounting. A pod-bound token carries the node name the policy checks.
 */
export const readinessTokenVolume: Volume = {
  name: TOKEN_VOLUME,
  projected: {
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    ],
  },
};

/** The two label steps of one download pod; with them comes the token volume they mount. */
export interface ReadinessSteps {
  before: Container;
  after: Container;
}

export interface PodIdentity {
  namespace: string;
  serviceAccountName: string;
}

const usernameOf = (sa: PodIdentity): string => `system:serviceaccount:${sa.namespace}:${sa.serviceAccountName}`;

/** get and patch on nodes, and nothing else, for exactly the ServiceAccounts the download pods run as. */
export function readinessRbac(identities: readonly PodIdentity[]): [ClusterRole, ClusterRoleBinding] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: NODE_READINESS_NAME },
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: NODE_READINESS_NAME },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NODE_READINESS_NAME },
      subjects: identities.map((sa) => ({
        kind: 'ServiceAccount',
        name: sa.serviceAccountName,
        namespace: sa.namespace,
      })),
    },
  ];
}

const ours = `k.matches('${READY_LABEL_PATTERN.replaceAll('\\', '\\\\')}')`;
const orEmpty = (path: string): string => `has(${path}) ? ${path} : {}`;
const listOrEmpty = (path: string): string => `has(${path}) ? ${path} : []`;

/**
 * The policy judges only requests of the download pods' ServiceAccounts (its match condition); every
 * other client of the Node API (kubelet, node lifecycle controller, autoscalers, people) is outside it.
 */
export function readinessPolicy(identities: readonly PodIdentity[]): [KObject, KObject] {
  const usernames = identities.map((sa) => `'${usernameOf(sa)}'`).join(', ');
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: NODE_READINESS_NAME },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['nodes', 'nodes/status'] },
          ],
        },
        matchConditions: [{ name: 'download-pods-only', expression: `request.userInfo.username in [${usernames}]` }],
        variables: [
          {
            name: 'tokenNodes',
            expression: `has(request.userInfo.extra) && '${NODE_NAME_EXTRA}' in request.userInfo.extra ? request.userInfo.extra['${NODE_NAME_EXTRA}'] : []`,
          },
          { name: 'newLabels', expression: orEmpty('object.metadata.labels') },
          { name: 'oldLabels', expression: orEmpty('oldObject.metadata.labels') },
        ],
        validations: [
          {
            expression: 'variables.tokenNodes.size() == 1 && object.metadata.name == variables.tokenNodes[0]',
            message: 'a download pod may change only the Node it runs on; this token names no node or another one',
            reason: 'Forbidden',
          },
          {
            expression: `variables.newLabels.all(k, ${ours} || (k in variables.oldLabels && variables.oldLabels[k] == variables.newLabels[k])) && variables.oldLabels.all(k, ${ours} || k in variables.newLabels)`,
            message: `a download pod may change only ${READY_LABEL_PREFIX}/<storage key>.<volume> labels`,
            reason: 'Forbidden',
          },
          {
            expression: `variables.newLabels.all(k, !${ours} || variables.newLabels[k] == '${READY_VALUE}')`,
            message: `a readiness label's only value is "${READY_VALUE}"`,
            reason: 'Invalid',
          },
          {
            expression: [
              `(${orEmpty('object.metadata.annotations')}) == (${orEmpty('oldObject.metadata.annotations')})`,
              `(${listOrEmpty('object.metadata.finalizers')}) == (${listOrEmpty('oldObject.metadata.finalizers')})`,
              `(${listOrEmpty('object.metadata.ownerReferences')}) == (${listOrEmpty('oldObject.metadata.ownerReferences')})`,
            ].join(' && '),
            message: 'a download pod may not change annotations, finalizers or owner references of a Node',
            reason: 'Forbidden',
          },
          {
            // A Node always has spec and status, so plain equality suffices (taints are in spec).
            expression: 'object.spec == oldObject.spec && object.status == oldObject.status',
            message: "a download pod may not change a Node's spec (taints included) or status",
            reason: 'Forbidden',
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: NODE_READINESS_NAME },
      spec: { policyName: NODE_READINESS_NAME, validationActions: ['Deny'] },
    },
  ];
}

export interface ReadinessStepsInput {
  image: string;
  volumeName: string;
  tag: string;
  keys: readonly string[];
  keep?: readonly string[];
}

export function readinessSteps(input: ReadinessStepsInput): ReadinessSteps {
  const { keep, ...common } = input;
  return {
    before: readinessStep({ ...common, phase: 'before' }),
    after: readinessStep({ ...common, phase: 'after', ...(keep ? { keep } : {}) }),
  };
}

/** The serving PV, its required node affinity narrowed to nodes whose copy is labelled ready. */
export function withReadyAffinity(pv: PersistentVolume, label: string): PersistentVolume {
  const terms = requireReadyLabel(termsOf(pv.spec?.nodeAffinity), label);
  return { ...pv, spec: { ...pv.spec, nodeAffinity: { required: { nodeSelectorTerms: terms } } } };
}

const termsOf = (nodeAffinity: unknown): NodeSelectorTerm[] =>
  (nodeAffinity as { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } } | undefined)?.required
    ?.nodeSelectorTerms ?? [];

const READY_LABEL = new RegExp(READY_LABEL_PATTERN);
const isReadinessExpression = (e: { key?: unknown }): boolean => typeof e.key === 'string' && READY_LABEL.test(e.key);

/**
 * `on` or `off` when two node affinities of one serving PV differ only in the readiness requirement,
 * that is, serveOnlyWhenReady was turned on or off; undefined for any other difference.
 */
export function readinessToggle(before: unknown, after: unknown): 'on' | 'off' | undefined {
  const group = (a: unknown) =>
    canonicalJson(
      termsOf(a).map((t) => ({
        ...t,
        matchExpressions: (t.matchExpressions ?? []).filter((e) => !isReadinessExpression(e)),
      })),
    );
  const requires = (a: unknown) => termsOf(a).some((t) => (t.matchExpressions ?? []).some(isReadinessExpression));
  if (group(before) !== group(after) || requires(before) === requires(after)) return undefined;
  return requires(after) ? 'on' : 'off';
}
