#!/usr/bin/env node
// argv → mode. The only place that reads stdin, writes stdout and sets the exit code.
import { parseCommand, USAGE } from './cli/args';
import { readStdinUpTo } from './krm/stdin';
import { runInventory } from './modes/inventory';
import { runKrm } from './modes/krm';
import { runRender } from './modes/render';
import { runRenderOut } from './modes/render-out';
import { runStatus } from './modes/status';

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

async function main(): Promise<void> {
  const command = parseCommand(process.argv.slice(2));
  switch (command.kind) {
    case 'krm':
      process.exitCode = await runKrm(readStdinUpTo, process.stdout, process.stderr);
      return;
    case 'render': {
      const { options } = command;
      process.exitCode =
        options.out !== undefined
          ? runRenderOut({ ...options, out: options.out }, process.env, process.stderr)
          : runRender(options, process.env, process.stdout, process.stderr);
      return;
    }
    case 'inventory':
      process.exitCode = runInventory(command.options, readStdinUpTo, process.stdout, process.stderr);
      return;
    case 'status':
      process.exitCode = runStatus(command.options, process.env, readStdinUpTo, process.stdout, process.stderr);
      return;
    case 'help':
      process.stdout.write(USAGE);
      return;
    case 'usage-error':
      process.stderr.write(`kserve-localmodel-fn: ${command.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
  }
}

main().catch((e: unknown) => {
  // A bug of ours, not the user's input: say so in one line, never a stack trace.
  process.stderr.write(`kserve-localmodel-fn: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
