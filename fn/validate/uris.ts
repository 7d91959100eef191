// Storage URIs the download Job will be given: a URI KServe's storage initializer cannot download fails
// the Job on every node of every group, so it is caught here. A URI that a ClusterStorageContainer for
// download Jobs claims is that container's business and is not second-guessed.
import { isPlainObject } from '../krm/objects';
import { error, warning } from '../krm/report';
import type { Result } from '../krm/results';
import { goRegExp, isDownloadJobContainer } from '../kserve/storage-container';
import type { CheckContext } from './context';

/** Schemes the storage initializer downloads from, and what must follow `<scheme>://`. */
const SCHEMES: Record<string, { shape: RegExp; expected: string }> = {
  s3: { shape: /^[^/]+(\/.*)?$/, expected: 's3://<bucket>/<path>' },
  gs: { shape: /^[^/]+(\/.*)?$/, expected: 'gs://<bucket>/<path>' },
  hf: { shape: /^[^/:]+\/[^/:]+(:[^/]+)?$/, expected: 'hf://<owner>/<model>[:<revision>], with no trailing slash' },
  https: { shape: /^[^/]+\/.+$/, expected: 'https://<host>/<path>' },
  http: { shape: /^[^/]+\/.+$/, expected: 'http://<host>/<path>' },
  hdfs: { shape: /^.+$/, expected: 'hdfs://<path>' },
  webhdfs: { shape: /^.+$/, expected: 'webhdfs://<path>' },
  oci: { shape: /^[^/]+\/.+$/, expected: 'oci://<registry>/<repository>[:<tag>]' },
  modelscope: { shape: /^[^/:]+\/[^/:]+(:[^/]+)?$/, expected: 'modelscope://<owner>/<model>[:<revision>]' },
};
/** Schemes the storage initializer reads on KServe's master only: in no release up to v0.20.0. */
const UNRELEASED_SCHEMES = new Set(['oci', 'modelscope']);
const KNOWN = Object.keys(SCHEMES)
  .map((s) => `${s}://`)
  .join(', ');

export function uriResults(ctx: CheckContext): Result[] {
  return [...sourceModelUris(ctx), ...containerPatterns(ctx)];
}

/** error: the download Job would fail on every node. */
function sourceModelUris({ inputs, sound }: CheckContext): Result[] {
  const results: Result[] = [];
  for (const cache of inputs.caches) {
    if (!sound(cache.object)) continue;
    const uri = cache.spec.sourceModelUri;
    if (cache.storageContainers.some((csc) => sound(csc.object))) continue;
    const problem = uriProblem(uri);
    if (problem) results.push(error(cache.object, 'spec.sourceModelUri', problem));
    const scheme = /^([a-z]+):\/\//.exec(uri)?.[1] ?? '';
    const hub = problem ? undefined : huggingFacePage(uri);
    if (hub) {
      results.push(
        warning(
          cache.object,
          'spec.sourceModelUri',
          `${JSON.stringify(uri)} is the model's page on the Hugging Face website: KServe's storage initializer downloads an https:// URI as one plain file, so it would fetch that web page, not the model, and never use HF_TOKEN. Write hf://${hub} (hf://<owner>/<model>[:<revision>]), which KServe downloads with the Hugging Face client and the cache's HF_TOKEN`,
        ),
      );
    }
    if (!problem && UNRELEASED_SCHEMES.has(scheme)) {
      results.push(
        warning(
          cache.object,
          'spec.sourceModelUri',
          `${scheme}:// is downloaded only by KServe's storage initializer built from master after v0.20.0; the images of v0.20.0 and earlier releases fail on it on every node. Set storageInitializer.image in inferenceservice-config to an image that has it, or add a ClusterStorageContainer with workloadType: localModelDownloadJob for this URI`,
        ),
      );
    }
  }
  return results;
}

/**
 * `<owner>/<model>` (with `:<revision>` for a /tree/<revision> page) when the URI is a model's page on
 * the Hugging Face website rather than a file on it (`/resolve/…`, `/blob/…`, which plain https serves).
 */
function huggingFacePage(uri: string): string | undefined {
  const match =
    /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/([^/?#]+)\/([^/?#]+)(?:\/tree\/([^/?#]+))?\/?$/i.exec(uri);
  if (!match) return undefined;
  const [, owner, model, revision] = match;
  return `${owner}/${model}${revision ? `:${revision}` : ''}`;
}

/** What is wrong with a URI for KServe's storage initializer, or undefined. */
export function uriProblem(uri: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
  if (/[\s\u0000-\u001f\u007f]/.test(uri))
    return `${JSON.stringify(uri)} contains white space or a control character; remove it (the storage key is computed from the exact text)`;
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(uri);
  if (!match) {
    return `${JSON.stringify(uri)} has no scheme; the download Job fetches from remote storage (${KNOWN}), it cannot read a local path`;
  }
  const [, scheme, rest] = match;
  const known = SCHEMES[scheme];
  if (known) {
    return known.shape.test(rest)
      ? undefined
      : `${JSON.stringify(uri)} is not a valid ${scheme}:// URI; expected ${known.expected}`;
  }
  if (SCHEMES[scheme.toLowerCase()]) return `the scheme "${scheme}://" must be lowercase: ${scheme.toLowerCase()}://`;
  if (scheme === 'pvc' || scheme === 'file') {
    return `${scheme}:// models are already on a volume and cannot be cached: the download Job mounts only the node's model volume. Use the remote URI of the model (${KNOWN})`;
  }
  return `the scheme "${scheme}://" is not one the storage initializer downloads (${KNOWN}); use one of those, or add a ClusterStorageContainer with workloadType: localModelDownloadJob whose supportedUriFormats match this URI`;
}

/** error: a pattern this function cannot read leaves it unable to tell which container KServe would use. */
function containerPatterns({ inputs, sound }: CheckContext): Result[] {
  const results: Result[] = [];
  for (const csc of inputs.storageContainers) {
    if (!sound(csc.object) || !isDownloadJobContainer(csc)) continue;
    csc.supportedUriFormats.forEach((f, i) => {
      if (!isPlainObject(f) || typeof f.regex !== 'string' || f.regex === '') return;
      try {
        goRegExp(f.regex);
      } catch (e) {
        results.push(
          error(
            csc.object,
            `spec.supportedUriFormats[${i}].regex`,
            `${JSON.stringify(f.regex)} is not a regular expression this function can read (${(e as Error).message}); KServe reads Go RE2 syntax, so write it in the syntax both share (no lookarounds or backreferences, (?P<name>) as (?<name>))`,
          ),
        );
      }
    });
  }
  return results;
}
