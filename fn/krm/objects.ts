// The plain-object view of a Kubernetes resource that the pure core works on.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** Where an object came from, for results: the file and index kpt/kustomize gave it, else its position. */
export interface Origin {
  path: string;
  index: number;
}

export const nameOf = (o: KObject): string => o.metadata?.name ?? '';
export const namespaceOf = (o: KObject): string => o.metadata?.namespace ?? '';
export const annotationOf = (o: KObject, key: string): string | undefined => o.metadata?.annotations?.[key];
export const labelOf = (o: KObject, key: string): string | undefined => o.metadata?.labels?.[key];
export const groupOf = (o: KObject): string => {
  const apiVersion = o.apiVersion ?? '';
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
};

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const ref = (o: KObject) => ({
  apiVersion: o.apiVersion ?? '',
  kind: o.kind ?? '',
  name: nameOf(o),
  ...(namespaceOf(o) ? { namespace: namespaceOf(o) } : {}),
});
