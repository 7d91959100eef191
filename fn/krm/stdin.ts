// Reading stdin for KRM mode. kpt and kustomize give the function a pipe, a shell may give it a file:
// synchronous reads take either with nothing beyond `fs`. A stdin someone made non-blocking answers
// EAGAIN while its writer is slow: the read then waits a few milliseconds and tries again
// (test/stdin.test.ts). Creating `process.stdin` instead loads Node's
// stream and socket modules and waits on the event loop: on a small package, about a fifth of what the
// function costs over the YAML floor (`npm run bench`).
import { readSync } from 'node:fs';

const CHUNK = 64 * 1024;
const RETRY_MS = 5;
const nap = new Int32Array(new SharedArrayBuffer(4));

/**
 * stdin's bytes, or undefined as soon as they pass `limit` (an endless pipe must not hang us). Bytes,
 * not text: the caller refuses what is not UTF-8 (utf8.ts) instead of decoding it to U+FFFD.
 */
export function readStdinUpTo(limit: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK);
    let read: number;
    try {
      read = readSync(0, chunk, 0, CHUNK, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EOF') break; // how Windows ends a pipe
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(nap, 0, 0, RETRY_MS); // a non-blocking pipe with nothing in it yet: wait, no event loop
      continue;
    }
    if (read === 0) break;
    size += read;
    if (size > limit) return undefined;
    chunks.push(chunk.subarray(0, read));
  }
  return Buffer.concat(chunks);
}
