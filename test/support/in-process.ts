// The command line without a process: fn/modes/command.ts with in-memory streams, as fn/main.ts runs it
// with the real ones. For tests of what the CLI does (exit codes, messages, output, files written).
// Tests of the process boundary itself (pipes, EPIPE, the bundle's start-up, kpt and kustomize running
// it) spawn the built bundle instead: runFn in ./integrations.ts.
import { Writable } from 'node:stream';
import { runCommand } from '../../fn/modes/command';
import { ROOT } from './integrations';

export interface InProcessOptions {
  /** Folder the relative paths of argv are read from, as a shell's; the repository root by default, as runFn's. */
  cwd?: string;
  /** The whole environment the command sees: none by default, so the test runner's never leaks in. */
  env?: Readonly<Record<string, string | undefined>>;
  /** stdin's bytes; empty by default, as a spawn given no input. */
  input?: string | Buffer;
}

/** What spawnSync returns, where a test reads it: a test moves from runFn by changing the call. */
export interface InProcessResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps every byte written to it, decoded once at the end (a UTF-8 character may span writes). */
function memoryStream(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

let running = false;

/**
 * Runs `kserve-localmodel-fn ...argv` in this process. The modes read relative paths from the current
 * folder, so it is changed for the run and put back after. Tests of one file run one at a time, so
 * no other test sees it; a second run while one is under way would, and is refused. A mode that throws
 * fails the test: the binary would only have printed "internal error".
 *
 * A process warning (the yaml library warns through process.emitWarning) is kept on stderr as the
 * binary's Node prints it, and fn/ writes to no stream it is not given (test/structure.test.ts): a test
 * that asserts "nothing else on stderr" means the same here as through the binary.
 */
export async function runInProcess(argv: readonly string[], options: InProcessOptions = {}): Promise<InProcessResult> {
  if (running)
    throw new Error('runInProcess: another run is under way in this process (it changes the current folder)');
  running = true;
  const stdin = Buffer.from(options.input ?? '');
  const stdout = memoryStream();
  const stderr = memoryStream();
  const onWarning = (w: Error) => stderr.stream.write(`(node:${process.pid}) ${w.name}: ${w.message}\n`);
  const before = process.cwd();
  try {
    process.on('warning', onWarning);
    process.chdir(options.cwd ?? ROOT);
    const status = await runCommand(argv, {
      readStdin: (limit) => (stdin.length > limit ? undefined : stdin),
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: options.env ?? {},
    });
    // Node emits a warning on a later tick; the binary's process would still print it before exiting.
    await new Promise((resolve) => setImmediate(resolve));
    return { status, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    process.chdir(before);
    process.off('warning', onWarning);
    running = false;
  }
}
