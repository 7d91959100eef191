// What each cache downloads with, worked out once per cache and not once per node: the base container
// (a matching ClusterStorageContainer's, else the storageInitializer config's), made Pod Security
// "restricted"; the command the atomic step wraps; the credential wiring (credentials/); the marker.
import type { Container } from 'kubernetes-types/core/v1';
import type { CredentialWiring } from '../credentials';
import { credentialsFor } from '../credentials';
import type { FnConfig } from '../inputs/fn-config';
import type { Cache, Inputs } from '../inputs/index-inputs';
import type { KServeConfig } from '../inputs/kserve-config';
import { info, warning } from '../krm/report';
import type { Result } from '../krm/results';
import { wrappedCommand } from '../kserve/storage-container';
import type { ModelSteps } from './download-steps';
import { markerText, modelSteps } from './download-steps';
import { containerFromStorageInitializer, downloadEnv } from './jobs';
import { downloaderSecurityContext } from './pod-security';

export interface CacheContainer {
  base: Container;
  /** The command the atomic download step wraps; undefined: KServe's plain form. */
  downloader?: string[];
  credentials: CredentialWiring;
  /** The completion marker's text (manifests/download-steps.ts markerText). */
  marker: string;
}

export function downloadContainers(
  inputs: Inputs,
  config: KServeConfig,
  fnConfig: FnConfig,
): { containers: Map<Cache, CacheContainer>; results: Result[] } {
  const results: Result[] = [];
  const containers = new Map<Cache, CacheContainer>();
  for (const cache of inputs.caches) {
    const { base, downloader, results: baseResults } = baseContainer(cache, config, fnConfig);
    results.push(...baseResults);
    const restricted = downloaderSecurityContext(base.securityContext);
    base.securityContext = restricted.securityContext;
    if (restricted.refused.length > 0) {
      results.push(
        warning(
          cache.object,
          'spec.sourceModelUri',
          `the ClusterStorageContainer's container asks for ${restricted.refused.join(', ')}, which Pod Security "restricted" forbids; every download pod runs restricted, so its download container runs without it. A downloader needs no privilege: drop it from the ClusterStorageContainer`,
        ),
      );
    }
    const credentials = credentialsFor(cache, { inputs, config, runAsServiceAccount: fnConfig.runAsServiceAccount });
    results.push(...credentials.results);
    const clashes = (base.env ?? []).filter((e) => credentials.env.some((c) => c.name === e.name)).map((e) => e.name);
    if (clashes.length > 0) {
      results.push(
        warning(
          cache.object,
          'spec',
          `the ClusterStorageContainer's env ${clashes.join(', ')} is replaced by the credential env of the same name on the download Job`,
        ),
      );
    }
    const marker = markerText(cache.spec.sourceModelUri, downloadEnv(base.env, credentials.env));
    containers.set(cache, { base, downloader, credentials, marker });
  }
  return { containers, results };
}

/**
 * The cache's winning ClusterStorageContainer (Cache.storageContainers), else the storageInitializer
 * config; and the command the atomic step wraps (kserve/storage-container.ts wrappedCommand).
 */
function baseContainer(
  cache: Cache,
  config: KServeConfig,
  fnConfig: FnConfig,
): { base: Container; downloader?: string[]; results: Result[] } {
  const [winner, ...rest] = cache.storageContainers;
  const downloader = wrappedCommand(winner, fnConfig.atomicDownloads);
  if (!winner) return { base: containerFromStorageInitializer(config.storageInitializer), downloader, results: [] };
  const results: Result[] = [];
  if (rest.length > 0) {
    results.push(
      warning(
        cache.object,
        'spec.sourceModelUri',
        `ClusterStorageContainers ${[winner, ...rest].map((c) => c.name).join(', ')} all support this URI; KServe would pick one at random, this function takes "${winner.name}" (first by name). Narrow supportedUriFormats or disable the others`,
      ),
    );
  }
  if (fnConfig.atomicDownloads && !downloader) {
    results.push(
      info(
        cache.object,
        'spec.sourceModelUri',
        `ClusterStorageContainer "${winner.name}" has no container.command, so its image's entrypoint is unknown: this cache is downloaded in KServe's plain form, not atomically. Set container.command to the entrypoint (its image then needs /bin/sh) for an atomic, never-repeated download`,
      ),
    );
  }
  return { base: structuredClone(winner.container) as unknown as Container, downloader, results };
}

/** The trusted steps around a cache's downloader, mounting the pod volume `volumeName`; none for the plain form. */
export function modelStepsOf(
  cache: Cache,
  c: CacheContainer,
  volumeName: string,
  fnConfig: FnConfig,
): ModelSteps | undefined {
  if (!c.downloader) return undefined;
  const { runAsUser, runAsGroup } = c.base.securityContext ?? {};
  return modelSteps({
    image: fnConfig.stepImage,
    volumeName,
    storageKey: cache.storageKey,
    marker: c.marker,
    mode: fnConfig.downloadMode,
    adopt: fnConfig.adoptExistingCopies,
    ...(runAsUser !== undefined || runAsGroup !== undefined
      ? {
          user: {
            ...(runAsUser !== undefined ? { runAsUser } : {}),
            ...(runAsGroup !== undefined ? { runAsGroup } : {}),
          },
        }
      : {}),
  });
}
