// The jobs namespace, when the function config asks for it (createJobNamespace). Neither KServe nor a
// GitOps tool creates it, and the download claims and Jobs cannot be applied without it.
import type { Namespace } from 'kubernetes-types/core/v1';

/**
 * Pruning a namespace deletes everything in it (the ServiceAccounts and secrets the downloads use),
 * so Argo CD and Flux are told never to prune it, even once the setting is turned off.
 */
export const NEVER_PRUNE: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-options': 'Prune=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};

/**
 * Every pod the function generates passes Pod Security "restricted" (manifests/pod-security.ts), so the
 * namespace enforces it: a pod added there by hand cannot run with more.
 */
export const POD_SECURITY: Readonly<Record<string, string>> = { 'pod-security.kubernetes.io/enforce': 'restricted' };

export function jobNamespace(name: string): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { ...POD_SECURITY }, annotations: { ...NEVER_PRUNE } },
  };
}
