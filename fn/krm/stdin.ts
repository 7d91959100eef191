// Reading stdin for KRM mode. kpt and kustomize give the function a pipe, a shell may give it a file:
// blocking reads take either with nothing beyond `fs` (Node 20 to 26 wait for data even on a stdin
// someone made non-blocking; test/stdin.test.ts). Creating `process.stdin` instead loads Node's
// stream and socket modules and waits on the event loop: on a small package, about a fifth of what the
// function costs over the YAML floor (`npm run bench`).
import { readSync } from 'node:fs';

const CHUNK = 64 * 1024;

/** stdin as text, or undefined as soon as it passes `limit` bytes (an endless pipe must not hang us). */
export function readStdinUpTo(limit: number): string | undefined {
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
  return Buffer.concat(chunks).toString('utf8');
}
