// The API server's field rules, applied to a whole generated object: what kubernetes-models' OpenAPI
// schemas cannot see (name formats, label values, toleration logic, requests over limits, mount
// paths that must match a volume, ...). One checker per kind; a new kind is a new entry in KINDS
// made of the building blocks below (objectMeta, podTemplate, podSpec, container, ...).
import {
  backstepProblem,
  DNS1123_LABEL_MAX,
  dnsLabelProblem,
  dnsSubdomainProblem,
  groupIdProblem,
  imageProblem,
  labelProblems,
  labelSelectorProblems,
  nodeSelectorProblems,
  PERSISTENT_VOLUME_SOURCES,
  qualifiedNameProblem,
  quantityProblem,
  relativeDescendingPathProblem,
  resourceRequirementsProblems,
  tolerationProblems,
} from '../../fn/k8s/apiserver-rules';
import { parseQuantityExact } from '../../fn/k8s/quantity';
import type { KObject } from '../../fn/krm/objects';
import { envFromProblems, envProblems } from '../../fn/validate/generated-values';

/** One refusal: where in the object, and why. */
export interface Violation {
  path: string;
  problem: string;
}

type Obj = Record<string, unknown>;
type Check = (value: unknown, path: string, out: Violation[]) => void;

const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const join = (path: string, field: string) => (field.startsWith('[') ? `${path}${field}` : `${path}.${field}`);

function rule(out: Violation[], path: string, problem: string | undefined): void {
  if (problem) out.push({ path, problem });
}

function oneOf(out: Violation[], path: string, value: unknown, allowed: readonly string[], required = false): void {
  if (value === undefined && !required) return;
  if (!allowed.includes(value as string))
    out.push({ path, problem: `${JSON.stringify(value)} is not one of ${allowed.join(', ')}` });
}

/** How a kind's name is checked: most kinds take a DNS-1123 subdomain. */
export type NameRule = (name: string) => string | undefined;

/** `metadata`: name by the kind's rule, namespace present exactly for namespaced kinds, labels and annotations. */
export function objectMeta(o: KObject, namespaced: boolean, nameRule: NameRule, out: Violation[]): void {
  const meta = obj(o.metadata);
  rule(out, 'metadata.name', nameRule(str(meta.name)));
  if (namespaced) rule(out, 'metadata.namespace', dnsLabelProblem(str(meta.namespace)));
  else if (meta.namespace !== undefined)
    out.push({ path: 'metadata.namespace', problem: 'must be absent on a cluster-scoped kind' });
  labels(meta.labels, 'metadata.labels', out);
  for (const key of Object.keys(obj(meta.annotations)))
    rule(out, `metadata.annotations[${key}]`, qualifiedNameProblem(key.toLowerCase()));
}

export const labels: Check = (value, path, out) => {
  for (const [k, v] of Object.entries(obj(value)))
    for (const p of labelProblems(k, v)) out.push({ path: join(path, p.field), problem: p.problem });
};

/** A Job's name also becomes the `job-name` label of its pods, so it must be a label value too. */
export const jobName: NameRule = (name) =>
  dnsSubdomainProblem(name) ??
  (name.length > DNS1123_LABEL_MAX ? `is longer than ${DNS1123_LABEL_MAX}, the job-name label` : undefined);

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Filesystem', 'Block'];
const RECLAIM_POLICIES = ['Retain', 'Delete', 'Recycle'];
const HOST_PATH_TYPES = [
  '',
  'DirectoryOrCreate',
  'Directory',
  'FileOrCreate',
  'File',
  'Socket',
  'CharDevice',
  'BlockDevice',
];
function accessModes(value: unknown, path: string, out: Violation[]): void {
  const modes = arr(value);
  if (modes.length === 0) out.push({ path, problem: 'must hold at least one access mode' });
  modes.forEach((m, i) => {
    oneOf(out, `${path}[${i}]`, m, ACCESS_MODES, true);
  });
}

function positiveStorage(value: unknown, path: string, out: Violation[]): void {
  const problem = value === undefined ? 'is required' : quantityProblem(value);
  if (problem) out.push({ path, problem });
  else if ((parseQuantityExact(value as string)?.numerator ?? 0n) <= 0n)
    out.push({ path, problem: 'must be greater than zero' });
}

export function persistentVolumeSpec(value: unknown, path: string, out: Violation[]): void {
  const spec = obj(value);
  positiveStorage(obj(spec.capacity).storage, `${path}.capacity.storage`, out);
  for (const name of Object.keys(obj(spec.capacity)))
    if (name !== 'storage')
      out.push({ path: `${path}.capacity.${name}`, problem: 'only storage is a PersistentVolume capacity' });
  accessModes(spec.accessModes, `${path}.accessModes`, out);
  const sources = PERSISTENT_VOLUME_SOURCES.filter((s) => spec[s] !== undefined && spec[s] !== null);
  if (sources.length !== 1) out.push({ path, problem: `must have exactly one volume source, has ${sources.length}` });
  for (const source of ['local', 'hostPath']) {
    if (spec[source] === undefined) continue;
    const p = str(obj(spec[source]).path);
    rule(out, `${path}.${source}.path`, p === '' ? 'is required' : backstepProblem(p));
  }
  if (spec.hostPath !== undefined) oneOf(out, `${path}.hostPath.type`, obj(spec.hostPath).type, HOST_PATH_TYPES);
  if (spec.local !== undefined && !obj(spec.nodeAffinity).required)
    out.push({ path: `${path}.nodeAffinity`, problem: 'is required for a local volume' });
  oneOf(out, `${path}.volumeMode`, spec.volumeMode, VOLUME_MODES);
  oneOf(out, `${path}.persistentVolumeReclaimPolicy`, spec.persistentVolumeReclaimPolicy, RECLAIM_POLICIES);
  if (spec.storageClassName) rule(out, `${path}.storageClassName`, dnsSubdomainProblem(str(spec.storageClassName)));
  const required = obj(spec.nodeAffinity).required;
  if (required !== undefined)
    for (const p of nodeSelectorProblems(required))
      out.push({ path: `${path}.nodeAffinity.required.${p.field}`, problem: p.problem });
}

export function persistentVolumeClaimSpec(value: unknown, path: string, out: Violation[]): void {
  const spec = obj(value);
  accessModes(spec.accessModes, `${path}.accessModes`, out);
  positiveStorage(obj(obj(spec.resources).requests).storage, `${path}.resources.requests.storage`, out);
  oneOf(out, `${path}.volumeMode`, spec.volumeMode, VOLUME_MODES);
  if (spec.storageClassName) rule(out, `${path}.storageClassName`, dnsSubdomainProblem(str(spec.storageClassName)));
  if (spec.volumeName !== undefined) rule(out, `${path}.volumeName`, dnsSubdomainProblem(str(spec.volumeName)));
  if (spec.selector !== undefined)
    for (const p of labelSelectorProblems(spec.selector))
      out.push({ path: `${path}.selector.${p.field}`, problem: p.problem });
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

/** One container of a pod (regular containers; image white space is the pod's own rule). */
export function container(value: unknown, path: string, volumes: ReadonlySet<string>, out: Violation[]): void {
  const c = obj(value);
  rule(out, `${path}.name`, dnsLabelProblem(str(c.name)));
  rule(out, `${path}.image`, imageProblem(c.image));
  oneOf(out, `${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES);
  oneOf(out, `${path}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES);
  for (const p of envProblems(c.env)) out.push({ path: `${path}.env${p.field}`, problem: p.problem });
  for (const p of envFromProblems(c.envFrom)) out.push({ path: `${path}.envFrom${p.field}`, problem: p.problem });
  for (const p of resourceRequirementsProblems(obj(c.resources)))
    out.push({ path: `${path}.resources.${p.field}`, problem: p.problem });
  const mountPaths = new Set<string>();
  arr(c.volumeMounts).forEach((m, i) => {
    const mount = obj(m);
    const at = `${path}.volumeMounts[${i}]`;
    if (!volumes.has(str(mount.name)))
      out.push({ path: `${at}.name`, problem: `names no volume of the pod (${str(mount.name)})` });
    const mountPath = str(mount.mountPath);
    if (mountPath === '') out.push({ path: `${at}.mountPath`, problem: 'is required' });
    else if (mountPaths.has(mountPath)) out.push({ path: `${at}.mountPath`, problem: 'must be unique' });
    mountPaths.add(mountPath);
    if (str(mount.subPath) !== '') rule(out, `${at}.subPath`, relativeDescendingPathProblem(str(mount.subPath)));
  });
}

const VOLUME_SOURCES = [
  'persistentVolumeClaim',
  'secret',
  'configMap',
  'emptyDir',
  'hostPath',
  'projected',
  'csi',
  'downwardAPI',
  'ephemeral',
  'image',
];

/**
 * A pod spec: volumes, containers, scheduling, identity, security context. `restartPolicies` are those
 * the owning kind allows; when the list includes Always, an absent one is fine (it defaults to Always).
 */
export function podSpec(value: unknown, path: string, out: Violation[], restartPolicies: readonly string[]): void {
  const spec = obj(value);
  const volumes = new Set<string>();
  arr(spec.volumes).forEach((v, i) => {
    const volume = obj(v);
    const at = `${path}.volumes[${i}]`;
    const name = str(volume.name);
    rule(out, `${at}.name`, dnsLabelProblem(name));
    if (volumes.has(name)) out.push({ path: `${at}.name`, problem: 'must be unique' });
    volumes.add(name);
    const sources = VOLUME_SOURCES.filter((s) => volume[s] !== undefined && volume[s] !== null);
    if (sources.length !== 1)
      out.push({ path: at, problem: `must have exactly one volume source, has ${sources.length}` });
    if (volume.secret !== undefined)
      rule(out, `${at}.secret.secretName`, dnsSubdomainProblem(str(obj(volume.secret).secretName)));
    if (volume.persistentVolumeClaim !== undefined)
      rule(
        out,
        `${at}.persistentVolumeClaim.claimName`,
        dnsSubdomainProblem(str(obj(volume.persistentVolumeClaim).claimName)),
      );
  });
  const containers = arr(spec.containers);
  if (containers.length === 0) out.push({ path: `${path}.containers`, problem: 'must hold at least one container' });
  const names = new Set<string>();
  for (const list of ['initContainers', 'containers']) {
    arr(spec[list]).forEach((c, i) => {
      container(c, `${path}.${list}[${i}]`, volumes, out);
      const name = str(obj(c).name);
      if (names.has(name)) out.push({ path: `${path}.${list}[${i}].name`, problem: 'must be unique in the pod' });
      names.add(name);
    });
  }
  const required = obj(obj(obj(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution);
  if (Object.keys(required).length > 0)
    for (const p of nodeSelectorProblems(required))
      out.push({
        path: `${path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.${p.field}`,
        problem: p.problem,
      });
  oneOf(out, `${path}.restartPolicy`, spec.restartPolicy, restartPolicies, !restartPolicies.includes('Always'));
  labels(spec.nodeSelector, `${path}.nodeSelector`, out);
  arr(spec.tolerations).forEach((t, i) => {
    for (const p of tolerationProblems(obj(t)))
      out.push({ path: `${path}.tolerations[${i}].${p.field}`, problem: p.problem });
  });
  if (spec.serviceAccountName !== undefined)
    rule(out, `${path}.serviceAccountName`, dnsSubdomainProblem(str(spec.serviceAccountName)));
  const security = obj(spec.securityContext);
  for (const id of ['fsGroup', 'runAsGroup'])
    if (security[id] !== undefined) rule(out, `${path}.securityContext.${id}`, groupIdProblem(security[id]));
}

/** A pod template (Job, DaemonSet, Deployment): its labels and its pod spec. */
export function podTemplate(value: unknown, path: string, out: Violation[], restartPolicies: readonly string[]): void {
  const template = obj(value);
  labels(obj(template.metadata).labels, `${path}.metadata.labels`, out);
  podSpec(template.spec, `${path}.spec`, out, restartPolicies);
}

function nonNegativeInt32(value: unknown, path: string, out: Violation[]): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2147483647)
    out.push({ path, problem: `${JSON.stringify(value)} is not a whole number from 0 to 2147483647` });
}

/** Checkers by kind. To check a new generated kind, add it here from the blocks above. */
export const KINDS: Record<string, (o: KObject, out: Violation[]) => void> = {
  PersistentVolume: (o, out) => {
    objectMeta(o, false, dnsSubdomainProblem, out);
    persistentVolumeSpec(o.spec, 'spec', out);
  },
  PersistentVolumeClaim: (o, out) => {
    objectMeta(o, true, dnsSubdomainProblem, out);
    persistentVolumeClaimSpec(o.spec, 'spec', out);
  },
  Job: (o, out) => {
    objectMeta(o, true, jobName, out);
    const spec = obj(o.spec);
    nonNegativeInt32(spec.ttlSecondsAfterFinished, 'spec.ttlSecondsAfterFinished', out);
    nonNegativeInt32(spec.backoffLimit, 'spec.backoffLimit', out);
    podTemplate(spec.template, 'spec.template', out, ['Never', 'OnFailure']);
  },
  DaemonSet: (o, out) => {
    objectMeta(o, true, dnsSubdomainProblem, out);
    const spec = obj(o.spec);
    const selector = obj(spec.selector);
    if (Object.keys(obj(selector.matchLabels)).length === 0 && arr(selector.matchExpressions).length === 0)
      out.push({ path: 'spec.selector', problem: 'must select something' });
    for (const p of labelSelectorProblems(selector)) out.push({ path: `spec.selector.${p.field}`, problem: p.problem });
    const templateLabels = obj(obj(obj(spec.template).metadata).labels);
    for (const [k, v] of Object.entries(obj(selector.matchLabels)))
      if (templateLabels[k] !== v)
        out.push({ path: `spec.template.metadata.labels[${k}]`, problem: 'must match spec.selector.matchLabels' });
    podTemplate(spec.template, 'spec.template', out, ['Always']);
  },
  Namespace: (o, out) => objectMeta(o, false, dnsLabelProblem, out),
  // ValidateConfigMap: keys are config keys (IsConfigMapKey), the data is at most 1 MiB in all.
  ConfigMap: (o, out) => {
    objectMeta(o, true, dnsSubdomainProblem, out);
    let size = 0;
    for (const [key, value] of Object.entries(obj(o.data))) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253 || key === '.' || key === '..')
        out.push({ path: `data[${key}]`, problem: 'not a valid config key' });
      size += key.length + Buffer.byteLength(String(value));
    }
    if (size > 1024 * 1024) out.push({ path: 'data', problem: `${size} bytes, over the 1 MiB a ConfigMap may hold` });
  },
  ServiceAccount: (o, out) => {
    objectMeta(o, true, dnsSubdomainProblem, out);
    arr(o.secrets).forEach((ref, i) => {
      if (str(obj(ref).name) === '') out.push({ path: `secrets[${i}].name`, problem: 'required' });
    });
  },
  ClusterRole: (o, out) => {
    objectMeta(o, false, dnsSubdomainProblem, out);
    arr(o.rules).forEach((rule, i) => {
      if (arr(obj(rule).verbs).length === 0)
        out.push({ path: `rules[${i}].verbs`, problem: 'must have at least one verb' });
    });
  },
  ClusterRoleBinding: (o, out) => {
    objectMeta(o, false, dnsSubdomainProblem, out);
    const roleRef = obj(o.roleRef);
    if (roleRef.apiGroup !== 'rbac.authorization.k8s.io' || !['ClusterRole', 'Role'].includes(String(roleRef.kind)))
      out.push({ path: 'roleRef', problem: 'must name a ClusterRole of rbac.authorization.k8s.io' });
    arr(o.subjects).forEach((subject, i) => {
      const s = obj(subject);
      const where = `subjects[${i}]`;
      if (s.kind !== 'ServiceAccount') return;
      const ns = dnsLabelProblem(String(s.namespace ?? ''));
      if (ns) out.push({ path: `${where}.namespace`, problem: ns });
      const name = dnsSubdomainProblem(String(s.name ?? ''));
      if (name) out.push({ path: `${where}.name`, problem: name });
    });
  },
  ValidatingAdmissionPolicy: (o, out) => {
    objectMeta(o, false, dnsSubdomainProblem, out);
    const spec = obj(o.spec);
    if (!['Fail', 'Ignore'].includes(String(spec.failurePolicy ?? 'Fail')))
      out.push({ path: 'spec.failurePolicy', problem: 'must be Fail or Ignore' });
    arr(spec.matchConditions).forEach((c, i) => {
      const problem = qualifiedNameProblem(String(obj(c).name ?? ''));
      if (problem) out.push({ path: `spec.matchConditions[${i}].name`, problem });
    });
    arr(spec.variables).forEach((v, i) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(obj(v).name)))
        out.push({ path: `spec.variables[${i}].name`, problem: 'must be a CEL identifier' });
    });
    if (arr(spec.validations).length === 0) out.push({ path: 'spec.validations', problem: 'must have a validation' });
    arr(spec.validations).forEach((v, i) => {
      const { expression, reason } = obj(v);
      if (typeof expression !== 'string' || expression.trim() === '')
        out.push({ path: `spec.validations[${i}].expression`, problem: 'required' });
      if (
        reason !== undefined &&
        !['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge'].includes(String(reason))
      )
        out.push({ path: `spec.validations[${i}].reason`, problem: 'not a reason the API server accepts' });
    });
  },
  ValidatingAdmissionPolicyBinding: (o, out) => {
    objectMeta(o, false, dnsSubdomainProblem, out);
    const spec = obj(o.spec);
    const actions = arr(spec.validationActions).map(String);
    if (typeof spec.policyName !== 'string' || spec.policyName === '')
      out.push({ path: 'spec.policyName', problem: 'required' });
    if (actions.length === 0 || actions.some((a) => !['Deny', 'Warn', 'Audit'].includes(a)))
      out.push({ path: 'spec.validationActions', problem: 'must be a non-empty set of Deny, Warn and Audit' });
    if (actions.includes('Deny') && actions.includes('Warn'))
      out.push({ path: 'spec.validationActions', problem: 'Deny and Warn may not be used together' });
  },
};

/** Every rule the object breaks; throws for a kind without a checker, so no kind goes unchecked. */
export function apiServerViolations(o: KObject): Violation[] {
  const check = KINDS[o.kind ?? ''];
  if (!check)
    throw new Error(`no API server checker for generated kind ${o.kind}; add one to test/support/apiserver.ts`);
  const out: Violation[] = [];
  check(o, out);
  return out;
}

/** Throws, naming every broken rule, unless the API server would accept the object. */
export function assertApiServerAccepts(o: KObject): void {
  const violations = apiServerViolations(o);
  if (violations.length > 0)
    throw new Error(
      `the API server would refuse ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}:\n${violations.map((v) => `  ${v.path}: ${v.problem}`).join('\n')}`,
    );
}
