// One view of every object that can stand for a Secret in a GitOps repository: a plain v1 Secret, a
// SOPS-encrypted Secret, a Bitnami SealedSecret, an External Secrets ExternalSecret. Credential wiring
// needs only the Secret's name, its data KEYS and its annotations (docs/kserve-rules.md, "Credentials"). Values
// are exposed only where the input holds them in plain text, and only so that validation can read
// the two values that name things (`https-host`, the storage-config entry); nothing copies them.

import type { KObject } from '../krm/objects';
import { groupOf, isPlainObject, listOf, mapOf, nameOf, namespaceOf } from '../krm/objects';
import { compareStrings, compositeKey } from '../krm/order';
import { warning } from '../krm/report';
import type { Result } from '../krm/results';
import { describeResource } from '../krm/wording';

export type SecretLikeKind = 'Secret' | 'SealedSecret' | 'ExternalSecret';

/** Which of the objects that can stand for a Secret in Git this is, if any. */
export function secretLikeKind(o: KObject): SecretLikeKind | undefined {
  if (o.apiVersion === 'v1' && o.kind === 'Secret') return 'Secret';
  if (groupOf(o) === 'bitnami.com' && o.kind === 'SealedSecret') return 'SealedSecret';
  if (groupOf(o) === 'external-secrets.io' && o.kind === 'ExternalSecret') return 'ExternalSecret';
  return undefined;
}

export type SecretSource = 'Secret' | 'SOPS-encrypted Secret' | 'SealedSecret' | 'ExternalSecret';

export interface SecretShape {
  object: KObject;
  source: SecretSource;
  /** The name and namespace of the Secret that exists in the cluster. */
  name: string;
  namespace: string;
  keys: ReadonlySet<string>;
  /** False when the cluster may hold keys the input does not show (an ExternalSecret's dataFrom or templateFrom). */
  keysComplete: boolean;
  annotations: Readonly<Record<string, string>>;
  /** Annotations whose values are ciphertext (SOPS without an encrypted_regex): present, but unreadable. */
  encryptedAnnotations: ReadonlySet<string>;
  /**
   * Values the input holds in plain text (a v1 Secret's data and stringData, a SOPS value left
   * unencrypted, a template value that is not a template): read for validation only, never copied.
   */
  plainValues: ReadonlyMap<string, string>;
  /** Where a data key sits in the object, for results. */
  fieldOf(key: string): string;
}

export const sortedKeys = (s: SecretShape): string[] => [...s.keys].sort(compareStrings);

/** `Secret ns/name`, or `SealedSecret ns/name` when a sealed or external form stands for it. */
export const describeSecret = (s: SecretShape): string => {
  const own = `${s.namespace}/${nameOf(s.object)}`;
  const made = `${s.namespace}/${s.name}`;
  return own === made ? `${s.source} ${made}` : `${s.source} ${own} (Secret ${made})`;
};

const SOPS_CIPHERTEXT = /^ENC\[/;
/** A Go template expression: SealedSecret and ExternalSecret templates fill these in the cluster. */
const TEMPLATE_EXPRESSION = /\{\{/;

export function secretShapeOf(o: KObject): SecretShape | undefined {
  switch (secretLikeKind(o)) {
    case 'Secret':
      return isPlainObject(o.sops) ? sopsSecret(o) : plainSecret(o);
    case 'SealedSecret':
      return sealedSecret(o);
    case 'ExternalSecret':
      return externalSecret(o);
    default:
      return undefined;
  }
}

const stringsOf = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(mapOf(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));
const plainOf = (values: Record<string, string>, encrypted: RegExp): Map<string, string> =>
  new Map(Object.entries(values).filter(([, v]) => !encrypted.test(v)));

/** The API server folds `stringData` into `data`, and a `stringData` entry wins over a `data` entry of the same key. */
function plainSecret(o: KObject): SecretShape {
  const data = mapOf(o.data);
  const stringData = mapOf(o.stringData);
  const plainValues = new Map<string, string>();
  for (const [k, v] of Object.entries(data))
    plainValues.set(k, typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : '');
  for (const [k, v] of Object.entries(stringData)) plainValues.set(k, typeof v === 'string' ? v : String(v ?? ''));
  return {
    object: o,
    source: 'Secret',
    name: nameOf(o),
    namespace: namespaceOf(o),
    keys: new Set(plainValues.keys()),
    keysComplete: true,
    annotations: { ...o.metadata?.annotations },
    encryptedAnnotations: new Set(),
    plainValues,
    fieldOf: (key) => (Object.hasOwn(stringData, key) ? `stringData.${key}` : `data.${key}`),
  };
}

/** SOPS encrypts values and leaves keys readable; annotations are ciphertext too unless encrypted_regex spares them. */
function sopsSecret(o: KObject): SecretShape {
  const data = mapOf(o.data);
  const stringData = mapOf(o.stringData);
  const annotations: Record<string, string> = {};
  const encrypted = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata?.annotations ?? {})) {
    if (SOPS_CIPHERTEXT.test(v)) encrypted.add(k);
    else annotations[k] = v;
  }
  return {
    object: o,
    source: 'SOPS-encrypted Secret',
    name: nameOf(o),
    namespace: namespaceOf(o),
    keys: new Set([...Object.keys(data), ...Object.keys(stringData)]),
    keysComplete: true,
    annotations,
    encryptedAnnotations: encrypted,
    plainValues: new Map([
      ...[...plainOf(stringsOf(o.data), SOPS_CIPHERTEXT)].map(([k, v]): [string, string] => [
        k,
        Buffer.from(v, 'base64').toString('utf8'),
      ]),
      ...plainOf(stringsOf(o.stringData), SOPS_CIPHERTEXT),
    ]),
    fieldOf: (key) => (Object.hasOwn(stringData, key) ? `stringData.${key}` : `data.${key}`),
  };
}

/** The controller always names the Secret after the SealedSecret; the template gives it annotations and extra keys. */
function sealedSecret(o: KObject): SecretShape {
  const spec = mapOf(o.spec);
  const template = mapOf(spec.template);
  const encryptedData = mapOf(spec.encryptedData);
  const templateData = mapOf(template.data);
  return {
    object: o,
    source: 'SealedSecret',
    name: nameOf(o),
    namespace: namespaceOf(o),
    keys: new Set([...Object.keys(encryptedData), ...Object.keys(templateData)]),
    keysComplete: true,
    annotations: stringsOf(mapOf(template.metadata).annotations),
    encryptedAnnotations: new Set(),
    plainValues: plainOf(
      Object.fromEntries(Object.entries(stringsOf(templateData)).filter(([k]) => !Object.hasOwn(encryptedData, k))),
      TEMPLATE_EXPRESSION,
    ),
    fieldOf: (key) => (Object.hasOwn(encryptedData, key) ? `spec.encryptedData.${key}` : `spec.template.data.${key}`),
  };
}

/**
 * The Secret an ExternalSecret makes: `spec.target.name` (else its own name), keys from `spec.data`,
 * or from the target template's `data` when it has one (unless its mergePolicy is Merge). Keys that
 * come from `dataFrom` or `templateFrom` exist only in the cluster.
 */
function externalSecret(o: KObject): SecretShape {
  const spec = mapOf(o.spec);
  const target = mapOf(spec.target);
  const template = mapOf(target.template);
  const entries = listOf(spec.data).filter(isPlainObject);
  const dataKeys = new Map<string, number>();
  entries.forEach((d, i) => {
    if (typeof d.secretKey === 'string' && !dataKeys.has(d.secretKey)) dataKeys.set(d.secretKey, i);
  });
  const templateKeys = Object.keys(mapOf(template.data));
  const templateFrom = Array.isArray(template.templateFrom) && template.templateFrom.length > 0;
  const dataFrom = Array.isArray(spec.dataFrom) && spec.dataFrom.length > 0;
  const templated = templateKeys.length > 0 || templateFrom;
  const merge = template.mergePolicy === 'Merge';
  const keys = new Set(templated && !merge ? templateKeys : [...dataKeys.keys(), ...templateKeys]);
  const providerKeysShown = !templated || merge;
  return {
    object: o,
    source: 'ExternalSecret',
    name: typeof target.name === 'string' && target.name !== '' ? target.name : nameOf(o),
    namespace: namespaceOf(o),
    keys,
    keysComplete: !templateFrom && !(dataFrom && providerKeysShown),
    annotations: stringsOf(mapOf(template.metadata).annotations),
    encryptedAnnotations: new Set(),
    plainValues: plainOf(stringsOf(template.data), TEMPLATE_EXPRESSION),
    fieldOf: (key) =>
      templateKeys.includes(key)
        ? `spec.target.template.data.${key}`
        : `spec.data[${dataKeys.get(key) ?? 0}].secretKey`,
  };
}

const SOURCE_RANK: Record<SecretSource, number> = {
  Secret: 0,
  'SOPS-encrypted Secret': 1,
  SealedSecret: 2,
  ExternalSecret: 3,
};

/**
 * Every secret-like input by the namespace and name of the Secret it makes, a plain Secret before its
 * encrypted forms: built once, when the input is indexed (index-inputs.ts).
 */
export function secretIndex(secretLike: readonly KObject[]): Map<string, SecretShape[]> {
  const index = new Map<string, SecretShape[]>();
  for (const o of secretLike) {
    const shape = secretShapeOf(o);
    if (!shape) continue;
    const id = compositeKey(shape.namespace, shape.name);
    index.set(id, [...(index.get(id) ?? []), shape]);
  }
  for (const shapes of index.values()) {
    shapes.sort(
      (a, b) => SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || compareStrings(nameOf(a.object), nameOf(b.object)),
    );
  }
  return index;
}

export interface SecretLookup {
  /** The object the function reads; a plain Secret before its encrypted forms. */
  shape?: SecretShape;
  /** Other inputs that make the same Secret. */
  others: SecretShape[];
  /** Objects that make a Secret of this name in another namespace (or none): for the hint in an error. */
  elsewhere: SecretShape[];
}

/** When several inputs make the one Secret: which of them is read, and that only one should stay. */
export function madeBySeveral({ shape, others }: SecretLookup): Result[] {
  if (!shape || others.length === 0) return [];
  return [
    warning(
      shape.object,
      undefined,
      `${describeResource('Secret', shape.namespace, shape.name)} is made by ${[shape, ...others].map(describeSecret).join(' and ')}; the function reads the first. Keep one of them`,
    ),
  ];
}

/** The Secret `namespace/name` in the index of the input's secrets (Inputs.secrets). */
export function findSecret(index: ReadonlyMap<string, SecretShape[]>, namespace: string, name: string): SecretLookup {
  const [shape, ...others] = index.get(compositeKey(namespace, name)) ?? [];
  const elsewhere = shape ? [] : [...index.values()].flat().filter((s) => s.name === name && s.namespace !== namespace);
  return { shape, others, elsewhere };
}
