// Reading stdin for KRM mode. kpt and kustomize give the function a pipe, a shell may give it a file:
// blocking reads take either with nothing beyond `fs` (Node 20 to 26 wait for data even on a stdin
// someone made non-blocking; test/stdin.test.ts). Creating `process.stdin` instead loads Node's
// stream and socket modules and waits on the event loop: on a small package, about a fifth of what the
// function costs over the YAML floor (`npm run bench`).
import { readSync } from 'node:fs';

const CHUNK = 64 * 1024;

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
      if ((e as NodeJS.ErrnoException).code === 'EOF') break; // how Windows ends a pipe
      throw e;
    }
    if (read === 0) break;
    size += read;
    if (size > limit) return undefined;
    chunks.push(chunk.subarray(0, read));
  }
  return Buffer.concat(chunks);
}
