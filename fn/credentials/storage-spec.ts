// Methods 2 and 3 of docs/credentials.md: `spec.storage.key` and `spec.storage.parameters`.
// STORAGE_CONFIG references one entry of the storage-config secret (a JSON object such as
// {"type": "s3", "access_key_id": …}); STORAGE_OVERRIDE_CONFIG carries the parameters as Go writes
// JSON; the storage initializer lays the second over the first. Without a key, the entry is
// `default`, or `default_<type>` with a type parameter (the InferenceService rule of Method 2, docs/credentials.md).
import type { EnvVar } from 'kubernetes-types/core/v1';
import type { Cache } from '../inputs/index-inputs';
import type { SecretShape } from '../inputs/secret-shape';
import { describeSecret, findSecret, madeBySeveral, sortedKeys } from '../inputs/secret-shape';
import { isPlainObject } from '../krm/objects';
import { compareStrings } from '../krm/order';
import { error, info, warning } from '../krm/report';
import type { Result } from '../krm/results';
import { hasErrors } from '../krm/results';
import { goJsonMarshalStringMap } from '../kserve/go-json';
import { credentialShapeOf, looksLikeCredential } from './credential-like-parameters';
import { credentialMethodFor } from './method-for-uri';
import { CA_BUNDLE_CONFIGMAP_IS_INERT } from './s3-settings';
import type { CredentialContext, CredentialWiring } from './wiring';
import { literalEnv, noWiring, secretEnv } from './wiring';

export const STORAGE_CONFIG = 'STORAGE_CONFIG';
export const STORAGE_OVERRIDE_CONFIG = 'STORAGE_OVERRIDE_CONFIG';
export const DEFAULT_STORAGE_KEY = 'default';
/** The types whose STORAGE_CONFIG the storage initializer reads, and the URI schemes they serve. */
export const STORAGE_SPEC_TYPES = ['s3', 'hdfs', 'webhdfs'];
/** The one value copied out of a secret: a ConfigMap NAME, which KServe hands over as a literal. */
export const CA_BUNDLE_ENTRY_FIELD = 'cabundle_configmap';

/** `spec.storage` as the credential methods see it. */
export type StorageSpec =
  | { state: 'absent' }
  /** Neither a key nor a parameter: asks for nothing. */
  | { state: 'empty' }
  | { state: 'invalid'; results: Result[] }
  | { state: 'set'; key?: string; parameters: Record<string, string> };

export function storageSpecOf(cache: Cache): StorageSpec {
  const storage: unknown = cache.spec.storage;
  if (storage === undefined || storage === null) return { state: 'absent' };
  const spec = storage as Record<string, unknown>;
  const results: Result[] = [];
  if (spec.key !== undefined && spec.key !== null && typeof spec.key !== 'string') {
    results.push(
      error(
        cache.object,
        'spec.storage.key',
        'storage.key must be a string, the name of an entry of the storage-config secret; quote it',
      ),
    );
  }
  const parameters: Record<string, string> = {};
  if (isPlainObject(spec.parameters)) {
    for (const [name, value] of Object.entries(spec.parameters)) {
      if (typeof value === 'string') parameters[name] = value;
      else
        results.push(
          error(
            cache.object,
            `spec.storage.parameters.${name}`,
            `storage.parameters.${name} must be a string (parameters is a map of strings); quote the value`,
          ),
        );
    }
  } else if (spec.parameters !== undefined && spec.parameters !== null) {
    results.push(error(cache.object, 'spec.storage.parameters', 'storage.parameters must be a map of strings'));
  }
  if (results.length > 0) return { state: 'invalid', results };
  const key = typeof spec.key === 'string' && spec.key !== '' ? spec.key : undefined;
  if (key === undefined && Object.keys(parameters).length === 0) return { state: 'empty' };
  return { state: 'set', key, parameters };
}

export function storageSpecCredentials(
  cache: Cache,
  spec: { key?: string; parameters: Record<string, string> },
  context: CredentialContext,
): CredentialWiring {
  const { inputs, config } = context;
  const namespace = config.localModel.jobNamespace;
  const secretName = config.credentials.storageSpecSecretName;
  const { parameters } = spec;
  const paramType = Object.hasOwn(parameters, 'type') ? parameters.type : undefined;
  const entryKey = spec.key ?? (paramType ? `${DEFAULT_STORAGE_KEY}_${paramType}` : DEFAULT_STORAGE_KEY);
  const where: Where = {
    cache,
    keyField: spec.key !== undefined ? 'spec.storage.key' : 'spec.storage',
    entryName: `entry ${entryKey} of secret ${namespace}/${secretName}`,
  };

  const refused = refusedParameters(parameters, where, config);
  if (refused.length > 0) return noWiring(refused);
  if (paramType === '') {
    return noWiring([
      error(
        cache.object,
        'spec.storage.parameters.type',
        `storage.parameters.type is empty, and the storage initializer would lay that empty type over the entry's; remove it or set one of ${STORAGE_SPEC_TYPES.join(', ')}`,
      ),
    ]);
  }

  const results: Result[] = [];
  const found = findSecret(inputs.secrets, namespace, secretName);
  const { shape } = found;
  results.push(...madeBySeveral(found));
  const presence = entryPresence(shape, entryKey);
  if (shape && presence === 'absent') {
    if (spec.key !== undefined) {
      return noWiring([
        error(
          cache.object,
          where.keyField,
          `storage.key ${entryKey} is not an entry of ${describeSecret(shape)} (its entries: ${sortedKeys(shape).join(', ') || 'none'}); add the entry to the secret or fix storage.key`,
        ),
      ]);
    }
    if (paramType === undefined) {
      return noWiring([
        error(
          cache.object,
          where.keyField,
          `the storage type cannot be determined: ${describeSecret(shape)} has no entry ${entryKey} and storage.parameters has no type. Set storage.key to the entry to use, or add the entry ${DEFAULT_STORAGE_KEY} with a "type"`,
        ),
      ]);
    }
  }

  const entryJson = shape && presence === 'present' ? shape.plainValues.get(entryKey) : undefined;
  const entryFields = entryJson !== undefined ? flatStringJson(entryJson) : undefined;
  if (shape && entryJson !== undefined && !entryFields) {
    return noWiring([
      error(
        shape.object,
        shape.fieldOf(entryKey),
        `the ${where.entryName} is not a JSON object of string values, which KServe and the storage initializer both require (write "verify_ssl": "0", not false); fix the entry`,
      ),
    ]);
  }
  const typeResults = checkType(paramType, entryFields, where);
  if (hasErrors(typeResults)) return noWiring(typeResults);
  results.push(...typeResults);
  const defaulted = spec.key === undefined;
  results.push(
    ...notVerified({ key: entryKey, defaulted, secret: shape, presence, json: entryJson }, paramType, where, context),
  );

  const env: EnvVar[] = [];
  // KServe reads cabundle_configmap only from an entry whose type is not overridden by a parameter.
  if (paramType === undefined && entryFields && Object.hasOwn(entryFields, CA_BUNDLE_ENTRY_FIELD)) {
    env.push(literalEnv('AWS_CA_BUNDLE_CONFIGMAP', entryFields[CA_BUNDLE_ENTRY_FIELD] ?? ''));
    results.push(warning(cache.object, where.keyField, CA_BUNDLE_CONFIGMAP_IS_INERT));
  }
  if (presence !== 'absent')
    env.push(secretEnv(STORAGE_CONFIG, secretName, entryKey, defaulted && presence === 'unknown'));
  if (Object.keys(parameters).length > 0)
    env.push(literalEnv(STORAGE_OVERRIDE_CONFIG, goJsonMarshalStringMap(parameters)));
  return { env, volumes: [], volumeMounts: [], results };
}

/**
 * Whether the storage-config secret has the entry; unknown without the secret, or when only the cluster
 * knows its keys.
 */
type Presence = 'present' | 'absent' | 'unknown';

function entryPresence(secret: SecretShape | undefined, key: string): Presence {
  if (!secret) return 'unknown';
  if (secret.keys.has(key)) return 'present';
  return secret.keysComplete ? 'absent' : 'unknown';
}

/** The storage-config entry a cache references, and what the input shows of it. */
interface Entry {
  key: string;
  /** No storage.key: the entry is `default` or `default_<type>`, which KServe skips when it does not exist. */
  defaulted: boolean;
  /** The storage-config secret, when the input has it. */
  secret?: SecretShape;
  presence: Presence;
  /** The entry's JSON, where the input holds it in plain text. */
  json?: string;
}

/** What results about one storage spec point at. */
interface Where {
  cache: Cache;
  keyField: string;
  entryName: string;
}

/** Parameters that hold, by their name or by the shape of their value, a credential; the value is never shown. */
function refusedParameters(
  parameters: Record<string, string>,
  { cache, entryName }: Where,
  config: CredentialContext['config'],
): Result[] {
  const method = credentialMethodFor(cache.spec.sourceModelUri, entryName, config.credentials);
  const results: Result[] = [];
  for (const name of Object.keys(parameters).sort(compareStrings)) {
    const shape = credentialShapeOf(parameters[name]);
    const why = looksLikeCredential(name)
      ? `storage.parameters.${name} looks like a credential by its name${shape ? `, and its value looks like ${shape}` : ''}`
      : shape
        ? `the value of storage.parameters.${name} looks like a credential: ${shape} (the value is not shown here)`
        : undefined;
    if (!why) continue;
    results.push(
      error(
        cache.object,
        `spec.storage.parameters.${name}`,
        `${why}. Parameters are written into the download Job in plain text (${STORAGE_OVERRIDE_CONFIG}) and so into Git. ${method}; then remove it from parameters`,
      ),
    );
  }
  return results;
}

/**
 * The type the storage initializer will see (a type parameter lays over the entry's): an unknown one
 * is an error; hf is wired as the example of docs/credentials.md writes it, with a warning; a URI that STORAGE_CONFIG does not
 * serve gets a warning. An error among the results stops the wiring.
 */
function checkType(
  paramType: string | undefined,
  entryFields: Record<string, string | null> | undefined,
  { cache, keyField, entryName }: Where,
): Result[] {
  const type = paramType ?? (entryFields && typeof entryFields.type === 'string' ? entryFields.type : undefined);
  const typeField = paramType !== undefined ? 'spec.storage.parameters.type' : keyField;
  if (type === undefined && entryFields) {
    return [
      error(
        cache.object,
        keyField,
        `the storage type cannot be determined: the ${entryName} has no "type" and storage.parameters has none. Add "type" (one of ${STORAGE_SPEC_TYPES.join(', ')}) to the entry or to storage.parameters`,
      ),
    ];
  }
  if (type !== undefined && type !== 'hf' && !STORAGE_SPEC_TYPES.includes(type)) {
    return [
      error(
        cache.object,
        typeField,
        `storage type ${type || '""'} is not one KServe knows: it must be one of ${STORAGE_SPEC_TYPES.join(', ')}${paramType === undefined ? ` ("type" in the ${entryName})` : ''}`,
      ),
    ];
  }
  if (type === 'hf') {
    return [
      warning(
        cache.object,
        typeField,
        `storage type hf is wired as written, but KServe's storage initializer reads ${STORAGE_CONFIG} only for ${STORAGE_SPEC_TYPES.join(', ')}, so this token never reaches the download (KServe's own agent rejects the entry). Use spec.serviceAccountName with a ServiceAccount whose secret holds HF_TOKEN: that is the method KServe's storage initializer honours`,
      ),
    ];
  }
  if (!STORAGE_SPEC_TYPES.some((t) => cache.spec.sourceModelUri.startsWith(`${t}://`))) {
    return [
      warning(
        cache.object,
        keyField,
        `the storage initializer applies ${STORAGE_CONFIG} only to ${STORAGE_SPEC_TYPES.map((t) => `${t}://`).join(', ')} downloads, so it gives this URI no credentials; use spec.serviceAccountName with a ServiceAccount whose secret fits the URI (HF_TOKEN for hf://), the method KServe's storage initializer honours for it`,
      ),
    ];
  }
  return [];
}

/** What the input could not show about the entry, said once as an info (docs/kserve-rules.md, "The storage spec"). */
function notVerified(
  entry: Entry,
  paramType: string | undefined,
  { cache, keyField, entryName }: Where,
  { config }: CredentialContext,
): Result[] {
  const checked = paramType === undefined ? 'JSON and storage type' : 'JSON';
  const shape = entry.secret;
  if (!shape) {
    const optional = entry.defaulted
      ? `; ${STORAGE_CONFIG} references it as optional, since KServe skips a default entry that does not exist`
      : '';
    return [
      info(
        cache.object,
        keyField,
        `the storage-config secret ${config.localModel.jobNamespace}/${config.credentials.storageSpecSecretName} is not in the input, so its entry ${entry.key} (that it exists, its ${checked}) is not verified${optional}. Add the secret to the package (a SealedSecret, ExternalSecret or SOPS-encrypted Secret will do) to have it checked`,
      ),
    ];
  }
  if (entry.presence === 'unknown')
    return [
      info(
        cache.object,
        keyField,
        `${describeSecret(shape)} takes keys from dataFrom or templateFrom, so the ${entryName} is not verified`,
      ),
    ];
  if (entry.presence === 'present' && entry.json === undefined)
    return [
      info(
        cache.object,
        keyField,
        `the ${entryName} is encrypted in ${describeSecret(shape)}, so its ${checked} ${paramType === undefined ? 'are' : 'is'} not verified`,
      ),
    ];
  if (entry.presence === 'absent')
    return [
      info(
        cache.object,
        keyField,
        `${describeSecret(shape)} has no entry ${entry.key}; the download gets only the parameters (${STORAGE_OVERRIDE_CONFIG})`,
      ),
    ];
  return [];
}

/** Go's json.Unmarshal into map[string]string: an object whose values are strings (null leaves a key empty). */
function flatStringJson(text: string): Record<string, string | null> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(parsed)) return undefined;
  return Object.values(parsed).every((v) => typeof v === 'string' || v === null)
    ? (parsed as Record<string, string | null>)
    : undefined;
}
