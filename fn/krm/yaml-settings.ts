// The one place that decides how YAML is read and written (krm-conventions.md, "YAML settings").
import type {
  CreateNodeOptions,
  DocumentOptions,
  ParseOptions,
  SchemaOptions,
  ToJSOptions,
  ToStringOptions,
} from 'yaml';

/** Input is read the way Kubernetes reads it: YAML 1.1 (`0644` is octal, `yes` is a boolean). */
export const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: true,
  prettyErrors: true,
  strict: true,
};

/** A small ResourceList never needs more; an alias bomb needs millions. */
export const MAX_ALIAS_COUNT = 100;
export const TO_JS_OPTIONS: ToJSOptions = { maxAliasCount: MAX_ALIAS_COUNT };

/** Never `&a1`/`*a1` in output: kustomize fails with "unknown anchor" and kpt writes broken files. */
export const CREATE_NODE_OPTIONS: CreateNodeOptions = { aliasDuplicateObjects: false };

/**
 * Block style, no folding; the 1.1 schema of the output document quotes every string a YAML 1.1
 * reader would take for something else (`yes`, `on`, `0755`, `1:20`). Sequences print the way kpt
 * and kubectl print them (`- ` under the key, `[a, b]` unpadded): kpt places a comment by its column,
 * and a comment after a nested list moved by our indentation is one kpt writes back twice.
 */
export const TO_STRING_OPTIONS: ToStringOptions = {
  lineWidth: 0,
  minContentWidth: 0,
  indentSeq: false,
  flowCollectionPadding: false,
};
