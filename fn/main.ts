#!/usr/bin/env node
// The process around fn/modes/command.ts: its stdin, stdout, stderr and environment in, the exit code
// out. The only place that touches the process itself.
import { readStdinUpTo } from './krm/stdin';
import { runCommand } from './modes/command';

// A reader that stops early (`render DIR | head`) closes the pipe: normal for a filter. Stop writing
// and exit with the code already decided, without Node's trace for an unhandled 'error' event.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit();
    if (stream !== process.stderr)
      process.stderr.write(`kserve-localmodel-fn: cannot write the output: ${e.message}\n`);
    process.exit(1);
  });
}

runCommand(process.argv.slice(2), {
  readStdin: readStdinUpTo,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then(
  // An exit code, never process.exit(): on a pipe, output past 64 KiB would be lost (docs/architecture.md).
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // A bug of ours, not the user's input: say so in one line, never a stack trace.
    process.stderr.write(`kserve-localmodel-fn: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
