// A command's one input besides the package: a file, or stdin when no file is named. Read as bytes up to
// the input limit, then refused unless UTF-8, as every other input is (fn/krm/utf8.ts).
import { readFileSync } from 'node:fs';
import { MAX_INPUT_BYTES, tooLargeMessage } from '../krm/input-error';
import { decodeUtf8 } from '../krm/utf8';

export function readInputText(
  file: string | undefined,
  readStdin: (limit: number) => Buffer | undefined,
): { text: string } | { problem: string } {
  const source = file ?? 'stdin';
  let bytes: Buffer | undefined;
  try {
    bytes = file === undefined ? readStdin(MAX_INPUT_BYTES) : readFileSync(file);
  } catch (e) {
    return { problem: `cannot read ${source}: ${(e as Error).message}` };
  }
  if (bytes === undefined || bytes.length > MAX_INPUT_BYTES)
    return { problem: tooLargeMessage(`more than ${MAX_INPUT_BYTES} bytes`) };
  const decoded = decodeUtf8(bytes);
  return 'problem' in decoded ? { problem: `${source} ${decoded.problem}` } : decoded;
}
