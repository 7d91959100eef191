// `npm run bench -- --against REF`: the function built from another commit, measured in the same run as
// ours and interleaved with it, so that the machine's noise hits both alike. This file holds the bench's
// arguments and the build of the other commit; bench.ts measures it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export const USAGE = 'usage: npm run bench [-- --against <git ref>]';

export interface BenchOptions {
  /** A git ref (a commit, a branch, a tag) whose build is measured beside ours. */
  against?: string;
}

/** The bench's arguments, or an Error that says in one line what is wrong with them. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | Error {
  const options: BenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (name !== '--against') return new Error(`unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
    if (options.against !== undefined) return new Error(`--against given twice; ${USAGE}`);
    const ref = inline ?? argv[++i];
    if (ref === undefined || ref === '') return new Error(`--against needs a git ref; ${USAGE}`);
    if (ref.startsWith('-')) return new Error(`--against needs a git ref, not ${JSON.stringify(ref)}; ${USAGE}`);
    options.against = ref;
  }
  return options;
}

/** The other build: where its bundle is, and what it was made from. */
export interface Before {
  /** The ref as given, and the commit it resolved to. */
  ref: string;
  commit: string;
  /** The bundle, copied out of the temporary worktree (it is one file: scripts/build.mjs). */
  fn: string;
  /** Said once in the report when the ref's package-lock.json is not ours (its build used our node_modules). */
  lockDiffers: boolean;
}

const git = (root: string, args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });

/**
 * Builds `ref` in a temporary `git worktree add --detach` under `out`, with its own `npm run build` and this
 * checkout's node_modules, copies its bundle (the `bin` of its package.json) out, and removes the worktree.
 * An Error, in one line, when the ref does not resolve to a commit or does not build.
 */
export function buildBefore(ref: string, root: string, out: string): Before | Error {
  const resolved = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (resolved.status !== 0) return new Error(`--against ${ref}: not a commit of this repository`);
  const commit = resolved.stdout.trim();
  const short = commit.slice(0, 12);
  const tree = join(out, `before-${short}`);
  const removeTree = () => {
    if (existsSync(tree)) git(root, ['worktree', 'remove', '--force', tree]);
    rmSync(tree, { recursive: true, force: true });
    git(root, ['worktree', 'prune']);
  };
  mkdirSync(out, { recursive: true });
  removeTree(); // a run stopped half-way leaves its worktree behind
  try {
    const added = git(root, ['worktree', 'add', '--detach', tree, commit]);
    if (added.status !== 0) return new Error(`--against ${ref}: git worktree add failed: ${whyFailed(added.stderr)}`);
    symlinkSync(realpathSync(join(root, 'node_modules')), join(tree, 'node_modules'));
    // Its own build script, whatever it was at that commit; its output only when it fails.
    const built = spawnSync('npm', ['run', 'build'], { cwd: tree, encoding: 'utf8' });
    if (built.status !== 0) {
      return new Error(`--against ${ref} (${short}) does not build: ${whyFailed(`${built.stdout}\n${built.stderr}`)}`);
    }
    const bin = binOf(tree);
    if (bin === undefined || !existsSync(join(tree, bin))) {
      return new Error(`--against ${ref} (${short}): its build made no ${bin ?? 'bin named in its package.json'}`);
    }
    const fn = join(out, `before-${short}.js`);
    copyFileSync(join(tree, bin), fn);
    const lock = (dir: string) => readFileSync(join(dir, 'package-lock.json'), 'utf8');
    return { ref, commit, fn, lockDiffers: !existsSync(join(tree, 'package-lock.json')) || lock(tree) !== lock(root) };
  } finally {
    removeTree();
  }
}

/** The bundle a package.json names as its bin: the one string, or the entry named for the package. */
function binOf(dir: string): string | undefined {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.[pkg.name];
}

/** The line of a failed command's output that says why: its first error, or else its last line. */
function whyFailed(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('>'));
  const first = (pattern: RegExp) => lines.find((line) => pattern.test(line));
  return first(/^(\w*Error\b|✘|error\b)/i) ?? first(/error/i) ?? lines.at(-1) ?? 'no output';
}
