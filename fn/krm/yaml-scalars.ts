// How a scalar is read and how it is printed (docs/yaml-scalars.md). Read: an unquoted scalar gets the
// type Kubernetes' own YAML reader gives it, which is neither YAML 1.1 nor YAML 1.2 (`e3`, `1:20` and
// timestamps are strings, `0o17` and `1_000` are numbers). Printed: a scalar the input wrote on one
// line comes back as those very bytes, so a pass-through item is never rewritten from its value.
import type { Scalar, ScalarTag, Tags } from 'yaml';
import { stringifyNumber, stringTag } from 'yaml/util';

type Plain = null | boolean | number | string;

const WORDS = new Map<string, Plain>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w): [string, Plain] => [w, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w): [string, Plain] => [
    w,
    false,
  ]),
  ...['', '~', 'null', 'Null', 'NULL'].map((w): [string, Plain] => [w, null]),
  ...['.nan', '.NaN', '.NAN'].map((w): [string, Plain] => [w, Number.NaN]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w): [string, Plain] => [w, Number.POSITIVE_INFINITY]),
  ...['-.inf', '-.Inf', '-.INF'].map((w): [string, Plain] => [w, Number.NEGATIVE_INFINITY]),
]);

/** An integer as Go's strconv.ParseInt(s, 0, 64) takes it, once the underscores are gone. */
const INTEGER = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const FLOAT_FROM_DOT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** A whole number exactly, when the text is one Kubernetes reads as an integer (int64, or uint64 unsigned). */
function integerOf(text: string): bigint | undefined {
  const plain = text.replaceAll('_', '');
  const match = INTEGER.exec(plain);
  if (!match) return undefined;
  const [, sign, body] = match;
  const octal = body.length > 1 && body[0] === '0' && body[1] >= '0' && body[1] <= '7';
  const magnitude = BigInt(octal ? `0o${body.slice(1)}` : body);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  return sign === '' && value <= UINT64_MAX ? value : undefined;
}

function floatOf(text: string, pattern: RegExp): number | undefined {
  if (!pattern.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined; // Go's ParseFloat fails out of range: the text stays a string
}

type Typed = { kind: 'word'; value: Plain } | { kind: 'integer'; value: bigint } | { kind: 'float'; value: number };

/** What the unquoted text is to Kubernetes, or undefined for a string. */
function typeOf(text: string): Typed | undefined {
  if (WORDS.has(text)) return { kind: 'word', value: WORDS.get(text) as Plain };
  const first = text[0];
  if (first === '.') {
    const value = floatOf(text, FLOAT_FROM_DOT);
    return value === undefined ? undefined : { kind: 'float', value };
  }
  if (!(first === '-' || first === '+' || (first >= '0' && first <= '9'))) return undefined;
  const integer = integerOf(text);
  if (integer !== undefined) return { kind: 'integer', value: integer };
  const value = floatOf(text.replaceAll('_', ''), FLOAT);
  return value === undefined ? undefined : { kind: 'float', value };
}

/** The last answer of typeOf: the parser asks once to choose the tag and once to resolve it. */
let lastText: string | undefined;
let lastTyped: Typed | undefined;
function typeOfCached(text: string): Typed | undefined {
  if (text !== lastText) {
    lastText = text;
    lastTyped = typeOf(text);
  }
  return lastTyped;
}

/** The value Kubernetes reads from an unquoted scalar (an integer past 2^53 loses its last digits). */
function kubernetesValue(text: string): Plain {
  const typed = typeOfCached(text);
  if (!typed) return text;
  return typed.kind === 'integer' ? Number(typed.value) : typed.value;
}

/**
 * The key Kubernetes makes of an unquoted mapping key once the object is JSON: integers in decimal,
 * booleans as `true`/`false`, floats as Go prints a float32 (`1e+06`, `.inf`). Null stays null: a
 * null key has no JSON form, and the reader refuses it.
 */
export function kubernetesKey(text: string): string | null {
  const typed = typeOfCached(text);
  if (!typed) return text;
  if (typed.kind === 'integer') return typed.value.toString();
  if (typed.value === null) return null;
  if (typeof typed.value === 'boolean') return String(typed.value);
  return float32Text(typed.value as number);
}

/** Go's strconv.FormatFloat(v, 'g', -1, 32): the shortest digits of the float32, `%e` past 1e6 and below 1e-4. */
function float32Text(v: number): string {
  const f = Math.fround(v);
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let digits = 1;
  while (Math.fround(Number(f.toPrecision(digits))) !== f) digits++;
  const [mantissa, exponentText] = f.toExponential(digits - 1).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const e = Math.abs(exponent);
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  return f.toFixed(Math.max(digits - 1 - exponent, 0));
}

/**
 * A value read into a field Kubernetes declares as a string (a label): numbers and booleans become text
 * as sigs.k8s.io/yaml writes them (`1.10` gives "1.1"), null gives "".
 */
export function asStringField(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : float32Text(value);
  return String(value);
}

const isTyped = { test: (text: string) => typeOfCached(text) !== undefined } as unknown as RegExp;

/** The bytes the input wrote for a scalar on one line, quotes and escapes included; undefined if generated. */
function asWritten(node: Scalar): string | undefined {
  const token = node.srcToken;
  if (!token || !('source' in token) || token.type === 'block-scalar') return undefined;
  return token.source.includes('\n') ? undefined : token.source;
}

const TAG = 'tag:yaml.org,2002:';

/** An explicitly tagged scalar (`!!int "42"`) is read as Kubernetes reads it, or refused as Kubernetes does. */
function explicit(tag: string, accepts: (v: Plain) => boolean) {
  return (text: string, onError: (message: string) => void): Plain => {
    const value = kubernetesValue(text);
    if (accepts(value)) return value;
    onError(`cannot read ${JSON.stringify(text)} as !!${tag}`);
    return text;
  };
}

const printNumber = (node: Scalar) => asWritten(node) ?? stringifyNumber(node);

const SCALAR_TAGS: ScalarTag[] = [
  // Resolution of unquoted scalars: keys first, so that `1:` and `"1":` are one key, as in JSON.
  {
    tag: 'tag:kserve-localmodel-fn:key',
    default: 'key',
    test: isTyped,
    resolve: (text) => kubernetesKey(text),
  },
  {
    tag: 'tag:kserve-localmodel-fn:value',
    default: true,
    test: isTyped,
    resolve: (text) => kubernetesValue(text),
  },
  // Explicit tags and printing: every scalar the input wrote prints as written.
  {
    ...stringTag,
    stringify: (node, ctx, onComment, onChompKeep) =>
      asWritten(node as Scalar) ?? stringTag.stringify?.(node, ctx, onComment, onChompKeep) ?? '',
  },
  {
    tag: `${TAG}null`,
    default: true,
    identify: (v) => v === null || v === undefined,
    resolve: explicit('null', (v) => v === null),
    stringify: (node, ctx) => asWritten(node as Scalar) ?? ((node as Scalar).source === '' ? '' : ctx.options.nullStr),
  },
  {
    tag: `${TAG}bool`,
    default: true,
    identify: (v) => typeof v === 'boolean',
    resolve: explicit('bool', (v) => typeof v === 'boolean'),
    stringify: (node) => asWritten(node as Scalar) ?? String((node as Scalar).value),
  },
  {
    tag: `${TAG}int`,
    default: true,
    identify: (v) => Number.isInteger(v) || typeof v === 'bigint',
    resolve: explicit('int', (v) => Number.isInteger(v)),
    stringify: (node) => printNumber(node as Scalar),
  },
  {
    tag: `${TAG}float`,
    default: true,
    identify: (v) => typeof v === 'number',
    resolve: explicit('float', (v) => typeof v === 'number'),
    stringify: (node) => printNumber(node as Scalar),
  },
  {
    // Kubernetes' reader keeps a timestamp as the text it was written as.
    tag: `${TAG}timestamp`,
    default: true,
    resolve: (text) => text,
  },
];

/**
 * Text that a YAML 1.1 reader (this library's own, PyYAML) takes for a number or a date, though
 * Kubernetes takes it for a string: `e3`, `.`, `1:20`, `2024-05-01`. A string made here that looks like
 * this is quoted, so that every reader reads a string; a first-character check keeps it cheap.
 */
const YAML_11_NUMBER =
  /^(?:[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?0[bx][0-9a-fA-F_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$/;
const looksLikeYaml11Number = {
  test: (text: string) => /^[-+0-9.eE]/.test(text) && YAML_11_NUMBER.test(text),
} as unknown as RegExp;

const REPLACED = new Set(['str', 'null', 'bool', 'int', 'float', 'timestamp'].map((t) => `${TAG}${t}`));

/** The library's YAML 1.1 tags (mappings, sequences, merge keys, `!!binary`…) with these scalars. */
export const kubernetesTags = (defaults: Tags): Tags => [
  ...defaults.filter((t) => typeof t !== 'string' && !REPLACED.has(t.tag)),
  ...SCALAR_TAGS,
];

/** For printing only (never parsing): the same, and strings that look like YAML 1.1 numbers are quoted. */
export const outputTags = (defaults: Tags): Tags => [
  ...kubernetesTags(defaults),
  { tag: 'tag:kserve-localmodel-fn:quote', default: true, test: looksLikeYaml11Number, resolve: (text) => text },
];
