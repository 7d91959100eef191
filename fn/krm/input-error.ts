// Input that cannot be read at all, and the size limits of input and output: shared by every way input
// arrives (a ResourceList on stdin, a folder of files, a node inventory), so each says it the same way.
import type { Result } from './results';

export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/**
 * The output is the next render's input, with the annotations kpt adds to every item (three short
 * lines: a tenth more for a fleet, test/idempotence-limit.test.ts): at half the input limit, f(f(x))
 * can always read f(x).
 */
export const MAX_OUTPUT_BYTES = MAX_INPUT_BYTES / 2;

/** Input that cannot be read at all: no items to pass through, only a message. */
export class InputError extends Error {
  constructor(readonly results: Result[]) {
    super(results.map((r) => r.message).join('; '));
  }
}

/** Input over the size limit, said the same way whether it was measured on stdin or in memory. */
export const tooLargeMessage = (bytes: string, limit = MAX_INPUT_BYTES): string =>
  `input is ${bytes}, over the limit of ${limit} bytes (${limit / 1024 / 1024} MiB); split the package into smaller ones`;

/** Output over its limit: nothing is printed but this. */
export const outputTooLargeMessage = (inputLimit = MAX_INPUT_BYTES, outputLimit = MAX_OUTPUT_BYTES): string =>
  `the output would be over ${outputLimit} bytes (${outputLimit / 1024 / 1024} MiB), half the ${inputLimit / 1024 / 1024} MiB this function reads: the next render reads this output back, with what kpt adds to it, and would refuse it. Split the package into smaller ones (fewer caches or nodes in each), or set downloadMode: daemonset (one DaemonSet per node group instead of a Job per node and model)`;
