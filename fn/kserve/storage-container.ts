// Which ClusterStorageContainer replaces the download container for a URI (docs/kserve-rules.md, "Download Jobs").
// KServe takes the first match in API list order, which is effectively random; we take the first
// by name and say so when several match.
import { isPlainObject } from '../krm/objects';
import { compareStrings } from '../krm/order';

export const LOCAL_MODEL_DOWNLOAD_JOB = 'localModelDownloadJob';

/** What matching reads of a ClusterStorageContainer (inputs/index-inputs.ts StorageContainer has it). */
export interface UriSupport {
  name: string;
  /** The top-level `disabled: true`. */
  disabled: boolean;
  workloadType: unknown;
  /** `spec.supportedUriFormats` as written. */
  supportedUriFormats: unknown[];
}

/** A Go RE2 pattern as a JS RegExp; a leading `(?i)`-style flag group is the one RE2 form JS lacks. */
export function goRegExp(pattern: string): RegExp {
  const flags = /^\(\?([imsU]+)\)/.exec(pattern);
  if (!flags) return new RegExp(pattern, 'u');
  const js = [...new Set(flags[1].replace('U', '').split(''))].join('');
  return new RegExp(pattern.slice(flags[0].length), `u${js}`);
}

function supportsUri(csc: UriSupport, uri: string): boolean {
  return csc.supportedUriFormats.some((f) => {
    if (!isPlainObject(f)) return false;
    if (typeof f.prefix === 'string' && f.prefix !== '') return uri.startsWith(f.prefix);
    if (typeof f.regex === 'string' && f.regex !== '') return goRegExp(f.regex).test(uri);
    return false;
  });
}

/** Enabled, with workloadType localModelDownloadJob: it can replace the download container. */
export const isDownloadJobContainer = (csc: UriSupport): boolean =>
  !csc.disabled && csc.workloadType === LOCAL_MODEL_DOWNLOAD_JOB;

/** All enabled download-job containers that support the URI, sorted by name: the first one wins. */
export function matchingStorageContainers<T extends UriSupport>(cscs: readonly T[], uri: string): T[] {
  return cscs
    .filter((csc) => isDownloadJobContainer(csc) && safeSupports(csc, uri))
    .sort((a, b) => compareStrings(a.name, b.name));
}

/** An invalid regex is reported by validation; here it simply does not match. */
function safeSupports(csc: UriSupport, uri: string): boolean {
  try {
    return supportsUri(csc, uri);
  } catch {
    return false;
  }
}

/** The storage-initializer image's ENTRYPOINT: it takes pairs of URI and destination folder. */
export const STORAGE_INITIALIZER_ENTRYPOINT = '/storage-initializer/scripts/initializer-entrypoint';

/**
 * The command the atomic download step wraps (docs/node-steps.md): the storage initializer's entrypoint,
 * or the winning ClusterStorageContainer's `container.command`. Undefined, KServe's plain form: atomic
 * downloads are off, or the ClusterStorageContainer has no command, so its image's entrypoint is unknown.
 */
export function wrappedCommand(
  winner: { container: Record<string, unknown> } | undefined,
  atomicDownloads: boolean,
): string[] | undefined {
  if (!atomicDownloads) return undefined;
  if (!winner) return [STORAGE_INITIALIZER_ENTRYPOINT];
  const { command } = winner.container;
  return Array.isArray(command) && command.length > 0 ? [...(command as string[])] : undefined;
}
