#!/usr/bin/env node
// argv → mode. The only place that reads stdin, writes stdout and sets the exit code.
import { parseCommand, USAGE } from './cli/args';
import { runKrm } from './modes/krm';
import { runRender } from './modes/render';
import { runRenderOut } from './modes/render-out';

async function main(): Promise<void> {
  const command = parseCommand(process.argv.slice(2));
  switch (command.kind) {
    case 'krm':
      process.exitCode = await runKrm(process.stdin, process.stdout, process.stderr);
      return;
    case 'render': {
      const { options } = command;
      process.exitCode =
        options.out !== undefined
          ? runRenderOut({ ...options, out: options.out }, process.env, process.stderr)
          : runRender(options, process.env, process.stdout, process.stderr);
      return;
    }
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
