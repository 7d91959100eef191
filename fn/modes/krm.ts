// KRM mode (kpt fn render/eval, kustomize exec transformer): ResourceList in, ResourceList out.
import { compile } from '../compile';
import type { KObject } from '../krm/objects';
import { keepLeadingCommentInside } from '../krm/item-comments';
import { InputError, parseResourceList, stringifyResourceList } from '../krm/resource-list';
import type { Result } from '../krm/results';
import { formatResult, hasErrors } from '../krm/results';

export interface KrmOutcome {
  text: string;
  results: Result[];
  exitCode: number;
}

/** Pure text → text, so tests and benchmarks run exactly what the binary runs. */
export function krm(input: string): KrmOutcome {
  let parsed;
  try {
    parsed = parseResourceList(input);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const text = stringifyResourceList({ items: [], results: e.results }, new Map<KObject, never>());
    return { text, results: e.results, exitCode: 1 };
  }
  const { items, results } = compile(parsed.items, parsed.functionConfig);
  for (const node of parsed.nodes.values()) keepLeadingCommentInside(node);
  const text = stringifyResourceList({ items, functionConfig: parsed.functionConfig, results }, parsed.nodes);
  return { text, results, exitCode: hasErrors(results) ? 1 : 0 };
}

export async function runKrm(stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const outcome = krm(Buffer.concat(chunks).toString('utf8'));
  for (const r of outcome.results) stderr.write(`${formatResult(r)}\n`);
  stdout.write(outcome.text);
  return outcome.exitCode;
}
