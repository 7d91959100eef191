// The Kubernetes API server's own rules for the fields this function fills, in our words: what
// k8s.io/apimachinery's util/validation and the core/v1 and batch/v1 validation accept. Input checks
// (validate/generated-values.ts) apply them at each value's source; the tests apply them to every
// generated object (test/support/apiserver.ts). Each rule returns what is wrong, or undefined.
import { listOf, mapOf } from '../krm/objects';
import { parseQuantityExact } from './quantity';

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const LABEL_VALUE_MAX = 63;
/** Group IDs (fsGroup, runAsGroup) are int64 fields the API server bounds to 0…2^31-1. */
export const GROUP_ID_MAX = 2147483647;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
/** The strict form; clusters before 1.34 without the relaxed-names feature accept only this. */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Go's len(): the API server counts bytes, not characters. */
const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Names of namespaces, containers and volumes. */
export function dnsLabelProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (byteLength(value) > DNS1123_LABEL_MAX)
    return `is ${byteLength(value)} characters long, over the ${DNS1123_LABEL_MAX} of a DNS-1123 label`;
  if (!DNS_LABEL.test(value))
    return 'is not a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

/** Names of most objects: PersistentVolumes and claims, Jobs, Secrets, ServiceAccounts, storage classes, nodes. */
export function dnsSubdomainProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX)
    return `is ${byteLength(value)} characters long, over the ${DNS1123_SUBDOMAIN_MAX} of a DNS-1123 subdomain`;
  if (!DNS_SUBDOMAIN.test(value))
    return 'is not a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit';
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (byteLength(value) > LABEL_VALUE_MAX)
    return `is ${byteLength(value)} characters long, over the ${LABEL_VALUE_MAX} Kubernetes allows in a label value`;
  if (!LABEL_VALUE.test(value))
    return 'is not a valid label value (letters, digits, "-", "_" and ".", starting and ending with a letter or digit)';
  return undefined;
}

/** Label and annotation keys, toleration keys, node selector keys: `[prefix/]name`. */
export function qualifiedNameProblem(value: string): string | undefined {
  const parts = value.split('/');
  if (parts.length > 2) return 'has more than one "/"; a key is [DNS-1123 subdomain prefix/]name';
  const [name, prefix] = parts.length === 2 ? [parts[1], parts[0]] : [parts[0], undefined];
  if (prefix !== undefined) {
    const problem = prefix === '' ? 'is empty' : dnsSubdomainProblem(prefix);
    if (problem) return `has a prefix that ${problem}`;
  }
  if (name === '') return 'has an empty name part';
  if (byteLength(name) > 63) return `has a name part of ${byteLength(name)} characters, over 63`;
  if (!QUALIFIED_NAME_PART.test(name))
    return 'has a name part that is not letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** `..` at the start would let a projected file escape its folder; the API server refuses it everywhere. */
function chdirPrefixProblem(value: string): string | undefined {
  if (value === '.' || value === '..') return `must not be "${value}"`;
  if (value.startsWith('..')) return 'must not start with ".."';
  return undefined;
}

/** Keys of Secrets and ConfigMaps, and so a `secretKeyRef.key`. */
export function configMapKeyProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX)
    return `is ${byteLength(value)} characters long, over the ${DNS1123_SUBDOMAIN_MAX} of a Secret key`;
  if (!CONFIG_MAP_KEY.test(value)) return 'is not a valid Secret key: only letters, digits, "-", "_" and "."';
  return chdirPrefixProblem(value);
}

export function envVarNameProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (!ENV_VAR_NAME.test(value))
    return 'is not a valid environment variable name: letters, digits, "-", "_" and ".", not starting with a digit';
  return chdirPrefixProblem(value);
}

/** fsGroup, runAsGroup, supplementalGroups. */
export function groupIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'is not a number';
  if (!Number.isInteger(value)) return 'is not a whole number';
  if (value < 0 || value > GROUP_ID_MAX) return `is outside 0…${GROUP_ID_MAX}, the group IDs Kubernetes accepts`;
  return undefined;
}

/**
 * Go's strings.TrimSpace: Unicode White_Space, which (unlike String.prototype.trim) includes U+0085 and
 * excludes U+FEFF.
 */
export function goTrimSpace(s: string): string {
  return s.replace(
    /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g,
    '',
  );
}

/** A container image: a Job accepts white space around it, but every pod the Job makes is refused. */
export function imageProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'is empty';
  if (goTrimSpace(value) !== value)
    return 'has white space before or after it, and pods with such an image are refused';
  return undefined;
}

/** A resource quantity (`100m`, `1Gi`, `1e3`): a number Kubernetes can parse, not negative. */
export function quantityProblem(value: unknown): string | undefined {
  const q = typeof value === 'string' || typeof value === 'number' ? parseQuantityExact(value) : undefined;
  if (!q) return `${JSON.stringify(value)} is not a Kubernetes quantity (e.g. "500m", "1", "2Gi")`;
  if (q.numerator < 0n) return `${JSON.stringify(value)} is negative`;
  return undefined;
}

/** a < b, a = b, a > b as -1, 0, 1; both must be quantities. */
function compareQuantities(a: string | number, b: string | number): number {
  const x = parseQuantityExact(a);
  const y = parseQuantityExact(b);
  if (!x || !y) throw new Error('compareQuantities needs two quantities');
  const left = x.numerator * y.denominator;
  const right = y.numerator * x.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A problem at a field path relative to the value checked (`values[0]`, `requests.cpu`). */
export interface FieldProblem {
  field: string;
  problem: string;
}

const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** A container's `resources`: known names, quantities, every request at most its limit. */
export function resourceRequirementsProblems(resources: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const lists: Record<string, Record<string, unknown>> = {};
  for (const list of ['limits', 'requests']) {
    const entries = resources[list];
    if (entries === undefined || entries === null) continue;
    if (typeof entries !== 'object' || Array.isArray(entries)) {
      problems.push({ field: list, problem: 'is not a map of resource name to quantity' });
      continue;
    }
    lists[list] = entries as Record<string, unknown>;
    for (const [name, value] of Object.entries(entries)) {
      const field = `${list}.${name}`;
      const extended = name.includes('/') && !name.startsWith('kubernetes.io/');
      if (!STANDARD_RESOURCES.has(name) && !name.startsWith('hugepages-') && !extended)
        problems.push({
          field,
          problem: `"${name}" is not a resource Kubernetes knows (cpu, memory, ephemeral-storage, hugepages-<size>, or a domain-qualified extended resource)`,
        });
      else if (extended && qualifiedNameProblem(name))
        problems.push({ field, problem: `"${name}" ${qualifiedNameProblem(name)}` });
      const problem = quantityProblem(value);
      if (problem) problems.push({ field, problem });
      else if (extended && parseQuantityExact(value as string)?.denominator !== 1n)
        problems.push({ field, problem: 'must be a whole number for an extended resource' });
    }
  }
  for (const [name, request] of Object.entries(lists.requests ?? {})) {
    const limit = lists.limits?.[name];
    if (limit === undefined || quantityProblem(request) || quantityProblem(limit)) continue;
    const order = compareQuantities(request as string, limit as string);
    const extended = name.includes('/') && !name.startsWith('kubernetes.io/');
    if (order > 0) problems.push({ field: `requests.${name}`, problem: `is more than the ${name} limit (${limit})` });
    else if (extended && order !== 0)
      problems.push({
        field: `requests.${name}`,
        problem: `must equal the ${name} limit (${limit}) for an extended resource`,
      });
  }
  return problems;
}

const TOLERATION_OPERATORS = ['Equal', 'Exists'];
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** One toleration, as the API server's toleration validation reads it. */
export function tolerationProblems(t: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const key = typeof t.key === 'string' ? t.key : '';
  const operator = typeof t.operator === 'string' ? t.operator : '';
  const value = typeof t.value === 'string' ? t.value : '';
  const effect = typeof t.effect === 'string' ? t.effect : '';
  if (key !== '') {
    const problem = qualifiedNameProblem(key);
    if (problem) problems.push({ field: 'key', problem: `"${key}" ${problem}` });
  } else if (operator !== 'Exists') {
    problems.push({
      field: 'operator',
      problem: 'must be Exists when key is empty (an empty key with Exists tolerates every taint)',
    });
  }
  if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute')
    problems.push({ field: 'effect', problem: 'must be NoExecute when tolerationSeconds is set' });
  if (operator === '' || operator === 'Equal') {
    const problem = labelValueProblem(value);
    if (problem) problems.push({ field: 'value', problem: `"${value}" ${problem}` });
  } else if (operator === 'Exists') {
    if (value !== '') problems.push({ field: 'value', problem: 'must be empty when operator is Exists' });
  } else {
    problems.push({ field: 'operator', problem: `"${operator}" is not one of ${TOLERATION_OPERATORS.join(', ')}` });
  }
  if (effect !== '' && !TAINT_EFFECTS.includes(effect))
    problems.push({ field: 'effect', problem: `"${effect}" is not one of ${TAINT_EFFECTS.join(', ')}` });
  return problems;
}

/** One `matchExpressions` entry of a node selector term (node affinity). */
function nodeSelectorRequirementProblems(req: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const values = listOf(req.values);
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0)
        problems.push({ field: 'values', problem: `must not be empty with operator ${req.operator}` });
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) problems.push({ field: 'values', problem: `must be empty with operator ${req.operator}` });
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1)
        problems.push({ field: 'values', problem: `must hold exactly one value with operator ${req.operator}` });
      break;
    default:
      problems.push({ field: 'operator', problem: `${JSON.stringify(req.operator)} is not a node selector operator` });
  }
  const key = typeof req.key === 'string' ? req.key : '';
  const keyProblem = qualifiedNameProblem(key);
  if (keyProblem) problems.push({ field: 'key', problem: `"${key}" ${keyProblem}` });
  values.forEach((v, i) => {
    const problem = typeof v === 'string' ? labelValueProblem(v) : 'is not a string';
    if (problem) problems.push({ field: `values[${i}]`, problem: `${JSON.stringify(v)} ${problem}` });
  });
  return problems;
}

/** One `matchFields` entry: only `metadata.name`, with In or NotIn and exactly one node name. */
function nodeFieldRequirementProblems(req: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const values = listOf(req.values);
  if (req.operator !== 'In' && req.operator !== 'NotIn')
    problems.push({ field: 'operator', problem: `${JSON.stringify(req.operator)} must be In or NotIn for a field` });
  else if (values.length !== 1) problems.push({ field: 'values', problem: 'must hold exactly one node name' });
  if (req.key !== 'metadata.name')
    problems.push({ field: 'key', problem: `${JSON.stringify(req.key)} is not a node field; only metadata.name is` });
  values.forEach((v, i) => {
    const problem = typeof v === 'string' ? dnsSubdomainProblem(v) : 'is not a string';
    if (problem) problems.push({ field: `values[${i}]`, problem: `${JSON.stringify(v)} ${problem}` });
  });
  return problems;
}

/** A required node selector: at least one term, each requirement valid. */
export function nodeSelectorProblems(selector: unknown): FieldProblem[] {
  const terms = listOf(mapOf(selector).nodeSelectorTerms);
  if (terms.length === 0) return [{ field: 'nodeSelectorTerms', problem: 'must hold at least one term' }];
  return terms.flatMap((term, t) => [
    ...listOf(mapOf(term).matchExpressions).flatMap((req, r) =>
      nodeSelectorRequirementProblems(mapOf(req)).map((p) => ({
        field: `nodeSelectorTerms[${t}].matchExpressions[${r}].${p.field}`,
        problem: p.problem,
      })),
    ),
    ...listOf(mapOf(term).matchFields).flatMap((req, r) =>
      nodeFieldRequirementProblems(mapOf(req)).map((p) => ({
        field: `nodeSelectorTerms[${t}].matchFields[${r}].${p.field}`,
        problem: p.problem,
      })),
    ),
  ]);
}

/** A label selector (`matchLabels`, `matchExpressions`), as in a claim's `selector`. */
export function labelSelectorProblems(selector: unknown): FieldProblem[] {
  const s = mapOf(selector);
  const problems: FieldProblem[] = Object.entries(mapOf(s.matchLabels)).flatMap(([k, v]) =>
    labelProblems(k, v).map((p) => ({ field: `matchLabels.${p.field}`, problem: p.problem })),
  );
  listOf(s.matchExpressions).forEach((e, i) => {
    const req = mapOf(e);
    const values = listOf(req.values);
    const at = `matchExpressions[${i}]`;
    const keyProblem = qualifiedNameProblem(typeof req.key === 'string' ? req.key : '');
    if (keyProblem) problems.push({ field: `${at}.key`, problem: keyProblem });
    if (req.operator === 'In' || req.operator === 'NotIn') {
      if (values.length === 0)
        problems.push({ field: `${at}.values`, problem: `must not be empty with ${req.operator}` });
    } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
      if (values.length > 0) problems.push({ field: `${at}.values`, problem: `must be empty with ${req.operator}` });
    } else
      problems.push({ field: `${at}.operator`, problem: `${JSON.stringify(req.operator)} is not a selector operator` });
    values.forEach((v, j) => {
      const problem = typeof v === 'string' ? labelValueProblem(v) : 'is not a string';
      if (problem) problems.push({ field: `${at}.values[${j}]`, problem });
    });
  });
  return problems;
}

/** One label: a qualified key and a label value. `field` is the key in brackets, as results write it. */
export function labelProblems(key: string, value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const keyProblem = qualifiedNameProblem(key);
  if (keyProblem) problems.push({ field: `[${key}]`, problem: `the key ${keyProblem}` });
  const valueProblem = typeof value === 'string' ? labelValueProblem(value) : 'is not a string';
  if (valueProblem) problems.push({ field: `[${key}]`, problem: `the value ${JSON.stringify(value)} ${valueProblem}` });
  return problems;
}

/** A subPath: relative, and never climbing out with `..`. */
export function relativeDescendingPathProblem(value: string): string | undefined {
  if (value.startsWith('/')) return 'must be a relative path';
  return backstepProblem(value);
}

/** Host paths of local and hostPath volumes, and any path that must not climb with `..`. */
export function backstepProblem(value: string): string | undefined {
  return value.split('/').includes('..') ? 'must not contain ".."' : undefined;
}

/** The volume sources of a core/v1 PersistentVolumeSpec: a PersistentVolume takes exactly one. */
export const PERSISTENT_VOLUME_SOURCES = [
  'awsElasticBlockStore',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'csi',
  'fc',
  'flexVolume',
  'flocker',
  'gcePersistentDisk',
  'glusterfs',
  'hostPath',
  'iscsi',
  'local',
  'nfs',
  'photonPersistentDisk',
  'portworxVolume',
  'quobyte',
  'rbd',
  'scaleIO',
  'storageos',
  'vsphereVolume',
];
