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

// Input is not trusted to have the right types (validation reports them): readers see a string or nothing.
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const field = (v: unknown, key: string): unknown => (isPlainObject(v) ? v[key] : undefined);

export const nameOf = (o: KObject): string => text(field(o.metadata, 'name')) ?? '';
export const namespaceOf = (o: KObject): string => text(field(o.metadata, 'namespace')) ?? '';
export const annotationOf = (o: KObject, key: string): string | undefined =>
  text(field(field(o.metadata, 'annotations'), key));
export const labelOf = (o: KObject, key: string): string | undefined => text(field(field(o.metadata, 'labels'), key));
export const groupOf = (o: KObject): string => {
  const apiVersion = text(o.apiVersion) ?? '';
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
};

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A mapping field as a mapping, or an empty one when it is absent or of another type (validation reports that). */
export const mapOf = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});

/** A list field as a list, or an empty one when it is absent or of another type (validation reports that). */
export const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const ref = (o: KObject) => ({
  apiVersion: text(o.apiVersion) ?? '',
  kind: text(o.kind) ?? '',
  name: nameOf(o),
  ...(namespaceOf(o) ? { namespace: namespaceOf(o) } : {}),
});
