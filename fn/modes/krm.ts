// KRM mode (kpt fn render/eval, kustomize exec transformer): ResourceList in, ResourceList out.
import { once } from 'node:events';
import { compile } from '../compile';
import { keepLeadingCommentInside } from '../krm/item-comments';
import type { KObject } from '../krm/objects';
import {
  InputError,
  MAX_INPUT_BYTES,
  parseResourceList,
  printResourceList,
  tooLargeMessage,
} from '../krm/resource-list';
import type { Result } from '../krm/results';
import { formatResult, hasErrors } from '../krm/results';

export interface KrmOutcome {
  text: string;
  results: Result[];
  exitCode: number;
}

export interface KrmPieces {
  /** The output in consecutive pieces, printed as they are taken (printResourceList): iterate once. */
  pieces: Iterable<string>;
  results: Result[];
  exitCode: number;
}

/** Pure text → text, so tests and benchmarks run exactly what the binary runs. */
export function krm(input: string): KrmOutcome {
  const { pieces, results, exitCode } = krmPieces(input);
  return { text: [...pieces].join(''), results, exitCode };
}

export function krmPieces(input: string): KrmPieces {
  let parsed: ReturnType<typeof parseResourceList>;
  try {
    parsed = parseResourceList(input);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return failed(e.results);
  }
  try {
    const { items, results } = compile(parsed.items, parsed.functionConfig);
    for (const node of parsed.nodes.values()) keepLeadingCommentInside(node);
    const pieces = printResourceList({ items, functionConfig: parsed.functionConfig, results }, parsed.nodes);
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
  return { pieces: printResourceList({ items: [], results }, new Map<KObject, never>()), results, exitCode: 1 };
}

export async function runKrm(
  readInput: (limit: number) => string | undefined,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const input = readInput(MAX_INPUT_BYTES);
  const outcome =
    input === undefined
      ? failed([{ severity: 'error', message: tooLargeMessage(`more than ${MAX_INPUT_BYTES} bytes`) }])
      : krmPieces(input);
  for (const r of outcome.results) stderr.write(`${formatResult(r)}\n`);
  await writeInBatches(stdout, outcome.pieces);
  return outcome.exitCode;
}

const WRITE_BATCH = 64 * 1024;

/**
 * About 64 KiB a write (one write per item would be thousands of system calls), and no more printing
 * while a pipe's reader lags behind: only one batch of the output is ever held.
 */
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
