// Types of schemas.generated.js, which scripts/compile-schemas.mjs writes from schemas/*.json.

/** One ajv error, as standalone validators report it. */
export interface SchemaError {
  /** JSON pointer to the offending value, e.g. "/spec/nodeGroups/1". */
  instancePath: string;
  /** JSON pointer to the failing keyword in the schema, e.g. "#/definitions/quantity/pattern". */
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A compiled validator: returns whether data is valid and leaves the errors on `errors`. */
export interface Validator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

export type SchemaKind =
  | 'LocalModelCache'
  | 'LocalModelNamespaceCache'
  | 'LocalModelNodeGroup'
  | 'ClusterStorageContainer'
  | 'LocalModelFnConfig';

export declare const LocalModelCache: Validator;
export declare const LocalModelNamespaceCache: Validator;
export declare const LocalModelNodeGroup: Validator;
export declare const ClusterStorageContainer: Validator;
export declare const LocalModelFnConfig: Validator;

/** The validators above, keyed by kind. */
export declare const validators: Readonly<Record<SchemaKind, Validator>>;

/** Per kind: schema pointer of each object that rejects unknown fields → the fields it allows. */
export declare const knownFields: Readonly<Record<SchemaKind, Readonly<Record<string, readonly string[]>>>>;
