// Method 1 of docs/credentials.md: `spec.serviceAccountName`. The ServiceAccount in the jobs
// namespace lists secrets; each one is classified by its first recognised data key (classify.ts) and
// wired by the module of its kind. An IRSA ServiceAccount adds the S3 settings of its own annotations
// first. KServe logs and carries on when something is missing; here every missing or unusable object
// is a result that names it, so no Job is committed without the credentials it was meant to have.
import type { EnvVar, Volume, VolumeMount } from 'kubernetes-types/core/v1';
import type { Cache } from '../inputs/index-inputs';
import { describeCache } from '../inputs/index-inputs';
import type { SecretShape } from '../inputs/secret-shape';
import { describeSecret, findSecret, madeBySeveral, sortedKeys } from '../inputs/secret-shape';
import type { KObject } from '../krm/objects';
import { isPlainObject, listOf, nameOf, namespaceOf } from '../krm/objects';
import { compositeKey } from '../krm/order';
import { error, info, warning } from '../krm/report';
import type { Result } from '../krm/results';
import { describeResource } from '../krm/wording';
import { azureCredentials, azureStorageKeyCredentials } from './azure';
import type { SecretKind } from './classify';
import { classificationOrder, classify } from './classify';
import { gcsCredentials } from './gcs';
import { hdfsCredentials } from './hdfs';
import { hfCredentials } from './hf';
import { httpsCredentials } from './https';
import type { KindBuilder } from './kind';
import { modelscopeCredentials } from './modelscope';
import { s3Credentials } from './s3';
import { s3SettingsEnv } from './s3-settings';
import type { CredentialContext, CredentialWiring } from './wiring';
import { noWiring } from './wiring';

export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';
export const GKE_WORKLOAD_IDENTITY_ANNOTATION = 'iam.gke.io/gcp-service-account';
/** Azure's webhook also wants a pod label, which download Jobs do not carry: recognised only to say so. */
export const AZURE_WORKLOAD_IDENTITY_ANNOTATION = 'azure.workload.identity/client-id';
export const AZURE_WORKLOAD_IDENTITY_LABEL = 'azure.workload.identity/use';

const BUILDERS: Record<SecretKind, KindBuilder> = {
  s3: s3Credentials,
  gcs: gcsCredentials,
  azure: azureCredentials,
  'azure-storage-key': azureStorageKeyCredentials,
  https: httpsCredentials,
  hdfs: hdfsCredentials,
  hf: hfCredentials,
  modelscope: modelscopeCredentials,
};

/**
 * S3 key names KServe uses under some config (its code defaults, its shipped ConfigMap): a hint when
 * they do not classify.
 */
const KNOWN_S3_SECRET_KEY_NAMES = ['awsSecretAccessKey', 'AWS_SECRET_ACCESS_KEY'];

export function serviceAccountCredentials(cache: Cache, saName: string, context: CredentialContext): CredentialWiring {
  const { inputs, config, runAsServiceAccount } = context;
  const namespace = config.localModel.jobNamespace;
  const sa = inputs.serviceAccounts.get(compositeKey(namespace, saName));
  if (!sa) return noWiring([missingServiceAccount(cache, saName, namespace, context)]);

  const results: Result[] = [];
  const collected = new Collector(sa);
  const annotations = sa.metadata?.annotations ?? {};
  const irsa = Object.hasOwn(annotations, IRSA_ANNOTATION);
  if (irsa) {
    const settings = s3SettingsEnv({ annotations, config: config.credentials.s3, reportOn: sa });
    results.push(...settings.results);
    collected.addIrsa(settings.env);
  }

  const listed = listedSecrets(sa, context);
  results.push(...listed.results);
  // Whether an error already explains what is missing, and how many secrets were of a known kind.
  let broken = listed.broken;
  let classified = 0;
  for (const shape of listed.shapes) {
    const classification = classify(shape.keys, config.credentials);
    if (!classification) {
      if (shape.keysComplete) results.push(warning(shape.object, undefined, unclassifiedMessage(shape, context)));
      else {
        results.push(
          error(
            shape.object,
            undefined,
            `${describeSecret(shape)} takes its keys from dataFrom or templateFrom, which only the cluster knows, and none of the keys it lists says which credential it holds; list the deciding key (e.g. HF_TOKEN or ${config.credentials.s3.s3SecretAccessKeyName}) in spec.data so the function can wire it`,
          ),
        );
        broken = true;
      }
      continue;
    }
    if (!shape.keysComplete) {
      results.push(
        info(
          shape.object,
          shape.fieldOf(classification.key),
          `${describeSecret(shape)} is wired as a ${classification.kind} secret by its listed key ${classification.key}; keys from dataFrom or templateFrom are not known before the cluster makes the Secret, and one earlier in KServe's order would change its kind. List every key in spec.data to be certain`,
        ),
      );
    }
    const wiring = BUILDERS[classification.kind](shape, {
      config: config.credentials,
      sourceModelUri: cache.spec.sourceModelUri,
    });
    results.push(...wiring.results);
    if (wiring.results.some((r) => r.severity === 'error')) broken = true;
    else results.push(...collected.addSecret(shape, classification.kind, wiring));
    classified++;
  }

  if (collected.secretsWired === 0 && !broken) results.push(...withoutSecrets(cache, sa, classified, context));
  // The pod runs as the ServiceAccount; Azure's webhook injects its token only into pods that opt in.
  const azureIdentity = runAsServiceAccount && Object.hasOwn(annotations, AZURE_WORKLOAD_IDENTITY_ANNOTATION);
  return {
    env: collected.env,
    volumes: collected.volumes,
    volumeMounts: collected.volumeMounts,
    ...(azureIdentity ? { podLabels: { [AZURE_WORKLOAD_IDENTITY_LABEL]: 'true' } } : {}),
    results,
  };
}

/**
 * The secrets the ServiceAccount lists, found in the input, each once and in list order. KServe stops
 * at the first missing one; here every missing one is reported, and `broken` says one was.
 */
function listedSecrets(
  sa: KObject,
  { inputs, config }: CredentialContext,
): { shapes: SecretShape[]; broken: boolean; results: Result[] } {
  const results: Result[] = [];
  const namespace = config.localModel.jobNamespace;
  const saRef = describeResource('ServiceAccount', namespace, nameOf(sa));
  const shapes: SecretShape[] = [];
  let broken = false;
  const seen = new Set<string>();
  secretNamesOf(sa).forEach((name, i) => {
    const field = `secrets[${i}].name`;
    if (name === '') {
      results.push(
        error(sa, field, `${saRef} has a secrets entry without a name; name the secret or remove the entry`),
      );
      broken = true;
    } else if (seen.has(name)) {
      results.push(
        warning(sa, field, `${saRef} lists secret ${name} twice; it is wired once. Remove the repeated entry`),
      );
    } else {
      seen.add(name);
      const found = findSecret(inputs.secrets, namespace, name);
      if (found.shape) {
        results.push(...madeBySeveral(found));
        shapes.push(found.shape);
      } else if (name.startsWith(`${nameOf(sa)}-token-`)) {
        results.push(
          info(
            sa,
            field,
            `secret ${name} is not in the input; its name is that of the API token Kubernetes used to add to a ServiceAccount, which holds no storage credentials, so it is skipped`,
          ),
        );
      } else {
        results.push(
          error(
            sa,
            field,
            `${saRef} lists secret ${name}, which is not in the input as a Secret, SealedSecret, ExternalSecret or SOPS-encrypted Secret in namespace ${namespace}${elsewhereHint(found.elsewhere, namespace)}. Add it to the package, or remove it from the ServiceAccount's secrets (KServe would stop wiring at this secret and start the download with partial credentials)`,
          ),
        );
        broken = true;
      }
    }
  });
  return { shapes, broken, results };
}

/**
 * Env, volumes and mounts of one ServiceAccount, each name once. Secret settings replace the IRSA
 * settings of the same name in place (KServe merges S3 env so); the same name from two secrets is
 * an error, because only one can reach the download and KServe's choice differs by kind.
 */
class Collector {
  readonly env: EnvVar[] = [];
  readonly volumes: Volume[] = [];
  readonly volumeMounts: VolumeMount[] = [];
  secretsWired = 0;
  private readonly envSource = new Map<string, SecretShape | undefined>();
  private readonly volumeSource = new Map<string, SecretShape>();

  constructor(private readonly sa: KObject) {}

  addIrsa(env: EnvVar[]): void {
    for (const e of env) {
      this.env.push(e);
      this.envSource.set(e.name, undefined);
    }
  }

  /** Adds the secret's wiring, or none of it when it clashes with what is there: the errors say so. */
  addSecret(secret: SecretShape, kind: SecretKind, wiring: CredentialWiring): Result[] {
    if (wiring.env.length === 0 && wiring.volumes.length === 0) return [];
    const clashes = new Map<SecretShape, string[]>();
    const clash = (other: SecretShape, what: string) => clashes.set(other, [...(clashes.get(other) ?? []), what]);
    for (const e of wiring.env) {
      const other = this.envSource.get(e.name);
      if (other) clash(other, `env ${e.name}`);
    }
    for (const v of wiring.volumes) {
      const other = this.volumeSource.get(v.name);
      if (other) clash(other, `volume ${v.name}`);
    }
    if (clashes.size > 0) {
      return [...clashes].map(([other, what]) =>
        error(
          this.sa,
          'secrets',
          `${describeResource('ServiceAccount', namespaceOf(this.sa), nameOf(this.sa))} lists ${describeSecret(other)} and ${describeSecret(secret)} (a ${kind} secret), which both set ${what.join(', ')}; a download can use only one. Remove one of them from secrets`,
        ),
      );
    }
    for (const e of wiring.env) {
      const at = this.env.findIndex((existing) => existing.name === e.name);
      if (at >= 0) this.env[at] = e;
      else this.env.push(e);
      this.envSource.set(e.name, secret);
    }
    for (const v of wiring.volumes) {
      this.volumes.push(v);
      this.volumeSource.set(v.name, secret);
    }
    this.volumeMounts.push(...wiring.volumeMounts);
    this.secretsWired++;
    return [];
  }
}

/** The names a ServiceAccount's `secrets` list, in order; '' for an entry without a string name. */
export function secretNamesOf(sa: KObject): string[] {
  return listOf(sa.secrets).map((s) => (isPlainObject(s) && typeof s.name === 'string' ? s.name : ''));
}

/**
 * No secret gave anything. Workload identity (IRSA, GKE, Azure) needs none, as long as the pod runs as the
 * ServiceAccount; otherwise the download would run without credentials, which is never silent here.
 */
function withoutSecrets(cache: Cache, sa: KObject, classified: number, context: CredentialContext): Result[] {
  const saRef = `${namespaceOf(sa)}/${nameOf(sa)}`;
  const has = (annotation: string) => Object.hasOwn(sa.metadata?.annotations ?? {}, annotation);
  const identity = has(IRSA_ANNOTATION)
    ? `IRSA (${IRSA_ANNOTATION})`
    : has(GKE_WORKLOAD_IDENTITY_ANNOTATION)
      ? `GKE Workload Identity (${GKE_WORKLOAD_IDENTITY_ANNOTATION})`
      : has(AZURE_WORKLOAD_IDENTITY_ANNOTATION)
        ? `Azure Workload Identity (${AZURE_WORKLOAD_IDENTITY_ANNOTATION}; the pod is labelled ${AZURE_WORKLOAD_IDENTITY_LABEL}: "true")`
        : undefined;
  if (identity && context.runAsServiceAccount) {
    return [
      info(
        cache.object,
        'spec.serviceAccountName',
        `${describeCache(cache)}: ServiceAccount ${saRef} has no usable secret; the download pod runs as it, so ${identity} provides the credentials`,
      ),
    ];
  }
  if (identity) {
    return [
      error(
        cache.object,
        'spec.serviceAccountName',
        `${describeCache(cache)}: ServiceAccount ${saRef} gives credentials only through ${identity}, but runAsServiceAccount is false in the function config, so the download pod runs as the jobs namespace's default ServiceAccount and gets none. Set runAsServiceAccount: true, or add a secret with credentials to the ServiceAccount`,
      ),
    ];
  }
  const why =
    secretNamesOf(sa).length === 0
      ? 'it lists no secrets'
      : classified === 0
        ? 'none of its secrets holds a key KServe recognises'
        : 'its secrets give nothing; see the warnings on them';
  const keys = classificationOrder(context.config.credentials)
    .map((c) => c.key)
    .join(', ');
  return [
    error(
      cache.object,
      'spec.serviceAccountName',
      `${describeCache(cache)}: ServiceAccount ${saRef} gives the download no credentials (${why}). Add a secret with one of the keys ${keys} to its secrets, annotate it for workload identity (${IRSA_ANNOTATION} or ${GKE_WORKLOAD_IDENTITY_ANNOTATION}), or remove spec.serviceAccountName if the model is public`,
    ),
  ];
}

function unclassifiedMessage(shape: SecretShape, context: CredentialContext): string {
  const credentials = context.config.credentials;
  const keys = classificationOrder(credentials)
    .map((c) => c.key)
    .join(', ');
  const s3Like = KNOWN_S3_SECRET_KEY_NAMES.find((k) => k !== credentials.s3.s3SecretAccessKeyName && shape.keys.has(k));
  const hint = s3Like
    ? ` It has ${s3Like}, an S3 key name under another KServe config: set credentials.s3.s3SecretAccessKeyName and s3AccessKeyIDName in inferenceservice-config to the names the secret uses`
    : '';
  const held = shape.keys.size > 0 ? `its keys are ${sortedKeys(shape).join(', ')}` : 'it has no data keys';
  return `${describeSecret(shape)} holds none of the data keys KServe recognises (${keys}; ${held}), so it gives the download nothing and is skipped, as in KServe.${hint}`;
}

function missingServiceAccount(cache: Cache, saName: string, namespace: string, context: CredentialContext): Result {
  const elsewhere = [...context.inputs.serviceAccounts.values()].filter((o) => nameOf(o) === saName).map(namespaceOf);
  const hint =
    elsewhere.length > 0
      ? `; a ServiceAccount of that name is ${elsewhere.map((ns) => (ns ? `in namespace ${ns}` : 'without metadata.namespace')).join(' and ')}, but download Jobs run in ${namespace} (localModel.jobNamespace), so move it there`
      : '';
  const runsAs = context.runAsServiceAccount ? ', and the download pod runs as it' : '';
  return error(
    cache.object,
    'spec.serviceAccountName',
    `${describeCache(cache)} names ServiceAccount ${saName}, which is not in the input in namespace ${namespace}${hint}. The function needs its secrets list to wire credentials${runsAs}: add the ServiceAccount to the package`,
  );
}

function elsewhereHint(elsewhere: SecretShape[], namespace: string): string {
  if (elsewhere.length === 0) return '';
  const where = elsewhere.map((s) =>
    s.namespace ? `${describeSecret(s)}` : `${s.source} ${nameOf(s.object)} without metadata.namespace`,
  );
  return ` (there is ${where.join(' and ')}; it must be in ${namespace}, the jobs namespace)`;
}
