// KRM mode (kpt fn render/eval, kustomize exec transformer): ResourceList in, ResourceList out.
import { once } from 'node:events';
import { compile } from '../compile';
import { keepLeadingCommentInside } from '../krm/item-comments';
import type { KObject } from '../krm/objects';
import {
  InputError,
  MAX_INPUT_BYTES,
  MAX_OUTPUT_BYTES,
  outputTooLargeMessage,
  parseResourceList,
  printResourceList,
  tooLargeMessage,
} from '../krm/resource-list';
import type { Result } from '../krm/results';
import { formatResult, hasErrors } from '../krm/results';
import { decodeUtf8 } from '../krm/utf8';

export interface KrmOutcome {
  text: string;
  results: Result[];
  exitCode: number;
}

export interface KrmPieces {
  /** The output in consecutive pieces, as printResourceList printed them. */
  pieces: readonly string[];
  results: Result[];
  exitCode: number;
}

/** Bytes read and printed at most; tests give smaller ones to reach them cheaply. */
export interface SizeLimits {
  input: number;
  output: number;
}
const LIMITS: SizeLimits = { input: MAX_INPUT_BYTES, output: MAX_OUTPUT_BYTES };

/** Pure text → text, so tests and benchmarks run exactly what the binary runs. */
export function krm(input: string, limits = LIMITS): KrmOutcome {
  const { pieces, results, exitCode } = krmPieces(input, limits);
  return { text: pieces.join(''), results, exitCode };
}

export function krmPieces(input: string, limits = LIMITS): KrmPieces {
  let parsed: ReturnType<typeof parseResourceList>;
  try {
    parsed = parseResourceList(input, limits.input);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return failed(e.results);
  }
  try {
    const { items, results } = compile(parsed.items, parsed.functionConfig);
    for (const node of parsed.nodes.values()) keepLeadingCommentInside(node);
    const printed = printResourceList({ items, functionConfig: parsed.functionConfig, results }, parsed.nodes);
    const pieces = upTo(printed, limits.output);
    if (!pieces) return failed([{ severity: 'error', message: outputTooLargeMessage(limits.input, limits.output) }]);
    return { pieces, results, exitCode: hasErrors(results) ? 1 : 0 };
  } catch (e) {
    // A bug of ours, not the user's input: still a ResourceList with an error result, so kpt shows it.
    return failed([
      {
        severity: 'error',
        message: `internal error: ${e instanceof Error ? e.message : String(e)}; this is a bug in kserve-localmodel-fn, please report it with the input`,
      },
    ]);
  }
}

/** No items at all: nothing can be passed through or generated when the input cannot be read. */
function failed(results: Result[]): KrmPieces {
  return { pieces: [...printResourceList({ items: [], results }, new Map<KObject, never>())], results, exitCode: 1 };
}

/** The pieces, or undefined as soon as they pass `limit` bytes: all of the output or none of it. */
function upTo(pieces: Iterable<string>, limit: number): string[] | undefined {
  const held: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    size += Buffer.byteLength(piece);
    if (size > limit) return undefined;
    held.push(piece);
  }
  return held;
}

export async function runKrm(
  readInput: (limit: number) => Buffer | undefined,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const input = readInput(MAX_INPUT_BYTES);
  const decoded = input === undefined ? undefined : decodeUtf8(input);
  const outcome =
    decoded === undefined
      ? failed([{ severity: 'error', message: tooLargeMessage(`more than ${MAX_INPUT_BYTES} bytes`) }])
      : 'problem' in decoded
        ? failed([{ severity: 'error', message: `the input on stdin ${decoded.problem}` }])
        : krmPieces(decoded.text);
  for (const r of outcome.results) stderr.write(`${formatResult(r)}\n`);
  await writeInBatches(stdout, outcome.pieces);
  return outcome.exitCode;
}

const WRITE_BATCH = 64 * 1024;

/** About 64 KiB a write (one write per item would be thousands of system calls), waiting for a reader that lags. */
async function writeInBatches(out: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  let batch = '';
  for (const piece of pieces) {
    batch += piece;
    if (batch.length < WRITE_BATCH) continue;
    if (!out.write(batch)) await once(out, 'drain');
    batch = '';
  }
  if (batch !== '') out.write(batch);
}
