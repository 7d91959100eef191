// Annotation and label keys of the KRM wire contract (kpt's and kustomize's) and of our own output.

export const PATH = 'internal.config.kubernetes.io/path';
export const INDEX = 'internal.config.kubernetes.io/index';
export const LEGACY_PATH = 'config.kubernetes.io/path';
export const LEGACY_INDEX = 'config.kubernetes.io/index';
export const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

/** Marks every object this function generates, so that a re-run replaces them (and prunes the stale ones). */
export const OWNER_LABEL = 'app.kubernetes.io/managed-by';
export const OWNER_VALUE = 'kserve-localmodel-fn';
