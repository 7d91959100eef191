// KRM mode (kpt fn render/eval, kustomize exec transformer): ResourceList in, ResourceList out.
import { once } from 'node:events';
import { compile } from '../compile';
import {
  InputError,
  MAX_INPUT_BYTES,
  MAX_OUTPUT_BYTES,
  outputTooLargeMessage,
  tooLargeMessage,
} from '../krm/input-error';
import { keepLeadingCommentInside } from '../krm/item-comments';
import type { KObject } from '../krm/objects';
import { parseResourceList, printResourceList } from '../krm/resource-list';
import type { Result } from '../krm/results';
import { formatResult, hasErrors } from '../krm/results';
import { decodeUtf8 } from '../krm/utf8';

export interface KrmOutcome {
  text: string;
  results: Result[];
  exitCode: number;
}

export interface KrmChunks {
  /** The whole output, in chunks of about 64 KiB ready to write. */
  chunks: readonly Buffer[];
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
  const { chunks, results, exitCode } = krmChunks(input, limits);
  return { text: Buffer.concat(chunks).toString('utf8'), results, exitCode };
}

function krmChunks(input: string, limits = LIMITS): KrmChunks {
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
    const chunks = inChunks(printed, limits.output);
    if (!chunks) return failed([{ severity: 'error', message: outputTooLargeMessage(limits.input, limits.output) }]);
    return { chunks, results, exitCode: hasErrors(results) ? 1 : 0 };
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
function failed(results: Result[]): KrmChunks {
  const chunks = inChunks(printResourceList({ items: [], results }, new Map<KObject, never>()), Infinity) as Buffer[];
  return { chunks, results, exitCode: 1 };
}

const CHUNK = 64 * 1024;

/**
 * The printed pieces as UTF-8 chunks of about 64 KiB (one write per item would be thousands of system
 * calls), or undefined as soon as they pass `limit` bytes: all of the output or none of it. Held as
 * bytes, the output takes a byte a character and never exists as YAML nodes all at once.
 */
function inChunks(pieces: Iterable<string>, limit: number): Buffer[] | undefined {
  const chunks: Buffer[] = [];
  let size = 0;
  let batch = '';
  const flush = (): boolean => {
    const chunk = Buffer.from(batch);
    chunks.push(chunk);
    size += chunk.length;
    batch = '';
    return size <= limit;
  };
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= CHUNK && !flush()) return undefined;
  }
  return batch === '' || flush() ? chunks : undefined;
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
        : krmChunks(decoded.text);
  for (const r of outcome.results) stderr.write(`${formatResult(r)}\n`);
  for (const chunk of outcome.chunks) if (!stdout.write(chunk)) await once(stdout, 'drain');
  return outcome.exitCode;
}
