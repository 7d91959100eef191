// The one place that decides how YAML is read and written (docs/yaml-scalars.md).
import type {
  CreateNodeOptions,
  DocumentOptions,
  ParseOptions,
  SchemaOptions,
  ToJSOptions,
  ToStringOptions,
} from 'yaml';
import { kubernetesTags, outputTags } from './yaml-scalars';

/**
 * Input is read the way Kubernetes reads it (yaml-scalars.ts: `0644` is octal, `yes` is a boolean, `e3`
 * is a string), and every scalar keeps its source text so that it prints as written.
 */
export const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: kubernetesTags,
  keepSourceTokens: true,
  // Duplicate keys are refused, but by yaml-read.ts: the library compares each key with every earlier
  // one of its mapping, so a 40,000-key ConfigMap took 15 s to parse.
  uniqueKeys: false,
  prettyErrors: true,
  strict: true,
};

/**
 * A kubectl node dump: the same checks as any input, but every scalar read as text. A label value is
 * always a string, and a YAML 1.1 reading would turn kubectl's plain `e2` (GKE's machine family) into a
 * number.
 */
export const NODE_DUMP_PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  ...PARSE_OPTIONS,
  schema: 'failsafe',
};

/**
 * Every document printed: the same scalars; a string made here is quoted when Kubernetes or any YAML 1.1
 * reader would take it for something else (`yes`, `on`, `0755`, `1:20`, `e3`).
 */
export const OUTPUT_DOCUMENT_OPTIONS: DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: outputTags,
};

/** A small ResourceList never needs more; an alias bomb needs millions. */
export const MAX_ALIAS_COUNT = 100;
export const TO_JS_OPTIONS: ToJSOptions = { maxAliasCount: MAX_ALIAS_COUNT };

/** Never `&a1`/`*a1` in output: kustomize fails with "unknown anchor" and kpt writes broken files. */
export const CREATE_NODE_OPTIONS: CreateNodeOptions = { aliasDuplicateObjects: false };

/**
 * Block style, no folding. Sequences print the way kpt
 * and kubectl print them (`- ` under the key, `[a, b]` unpadded): kpt places a comment by its column,
 * and a comment after a nested list moved by our indentation is one kpt writes back twice.
 */
export const TO_STRING_OPTIONS: ToStringOptions = {
  lineWidth: 0,
  minContentWidth: 0,
  indentSeq: false,
  flowCollectionPadding: false,
};
