// argv → mode → exit code, with every stream and the environment given: fn/main.ts passes the process's,
// and tests pass their own (test/support/in-process.ts), so a CLI behaviour is tested without a process.
import { parseCommand, USAGE } from '../cli/args';
import { runInventory } from './inventory';
import { runKrm } from './krm';
import { runRender } from './render';
import { runRenderOut } from './render-out';
import { runStatus } from './status';

export interface CommandIo {
  /** stdin's bytes, or undefined once they pass `limit` (fn/krm/stdin.ts reads the real one). */
  readStdin: (limit: number) => Buffer | undefined;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Read only by `render --argocd` (its parameters) and `status`, which renders the same way. */
  env: Readonly<Record<string, string | undefined>>;
}

/** The exit code. Relative paths in argv are taken from the current folder, as a shell gives them. */
export async function runCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { readStdin, stdout, stderr, env } = io;
  const command = parseCommand(argv);
  switch (command.kind) {
    case 'krm':
      return runKrm(readStdin, stdout, stderr);
    case 'render': {
      const { options } = command;
      return options.out !== undefined
        ? runRenderOut({ ...options, out: options.out }, env, stderr)
        : runRender(options, env, stdout, stderr);
    }
    case 'inventory':
      return runInventory(command.options, readStdin, stdout, stderr);
    case 'status':
      return runStatus(command.options, env, readStdin, stdout, stderr);
    case 'help':
      stdout.write(USAGE);
      return 0;
    case 'usage-error':
      stderr.write(`kserve-localmodel-fn: ${command.message}\n\n${USAGE}`);
      return 2;
  }
}
