// OUT on disk for `render --out`, never through a link. Reading: each path is looked at segment by
// segment with lstat, so a symbolic link (or a file where a folder is needed, or the reverse) is
// reported instead of followed. Writing: every file is first written to a temporary file beside its
// target, and only when all of them are written are they renamed into place (a rename replaces a
// link itself, never its target); removals follow, and the ledger comes last.
import type { Stats } from 'node:fs';
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileProblem, fileTypeName } from './file-problems';

/** What stands at a path of OUT, seen without following any link. */
export type Entry =
  | { kind: 'missing' }
  | { kind: 'file'; text: string }
  /**
   * `at`: the path (relative to OUT) of what is in the way; `parentFile`: a file sits where a folder of
   * the path should be.
   */
  | { kind: 'blocked'; at: string; why: string; parentFile?: boolean };

const lstatOrMissing = (full: string): Stats | undefined => {
  try {
    return lstatSync(full);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
};

/** OUT twice: its real path, where the work is done, and as the user spelled it, for messages. */
export interface OutFolder {
  real: string;
  shown: string;
}

/** `path`: slash-separated, relative to OUT. */
export function inspect(out: OutFolder, path: string): Entry {
  const segments = path.split('/');
  for (let i = 1; i <= segments.length; i++) {
    const at = segments.slice(0, i).join('/');
    const real = join(out.real, ...segments.slice(0, i));
    const full = join(out.shown, ...segments.slice(0, i));
    const last = i === segments.length;
    let stats: Stats | undefined;
    try {
      stats = lstatOrMissing(real);
    } catch (e) {
      return { kind: 'blocked', at, why: fileProblem(e, full, 'cannot read') };
    }
    if (stats === undefined) return { kind: 'missing' };
    if (stats.isSymbolicLink())
      return {
        kind: 'blocked',
        at,
        why: `${full} is a symbolic link; render --out never writes or deletes through a link. Remove the link (or move it away) and render again`,
      };
    if (!last) {
      if (stats.isDirectory()) continue;
      return {
        kind: 'blocked',
        at,
        parentFile: true,
        why: `${full} is a file where OUT needs a folder (for ${path}); move it away or choose another --out folder`,
      };
    }
    if (stats.isDirectory())
      return {
        kind: 'blocked',
        at,
        why: `${full} is a folder where OUT needs a file; move it away or choose another --out folder`,
      };
    if (!stats.isFile())
      return { kind: 'blocked', at, why: `${full} is ${fileTypeName(stats)} where OUT needs a file; move it away` };
    try {
      return { kind: 'file', text: readNoFollow(real) };
    } catch (e) {
      return { kind: 'blocked', at, why: fileProblem(e, full, 'cannot read') };
    }
  }
  return { kind: 'missing' };
}

function readNoFollow(full: string): string {
  const fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** A file-system failure while writing OUT, in words; OUT was put back as it was when `restored`. */
export class OutWriteError extends Error {
  constructor(
    message: string,
    readonly restored: boolean,
  ) {
    super(message);
  }
}

export interface OutChanges {
  /** Files to create or replace, by path relative to OUT. */
  writes: ReadonlyMap<string, string>;
  /** Files to delete (the caller checked each is a regular file of ours, reached through folders only). */
  removals: readonly string[];
  /** The ledger's path and text: written last, so a failed render leaves the old ledger in place. */
  ledger: readonly [string, string];
}

/**
 * Applies the changes under `out` (a real path: no link on the way). Any failure while the new files
 * are being written (a full disk, a read-only folder) removes what was written: OUT stays as it was.
 */
export function applyChanges(folder: OutFolder, changes: OutChanges): void {
  const out = folder.real;
  const shown = (full: string) => join(folder.shown, relative(out, full));
  mkdirSync(out, { recursive: true });
  const staged = stage(folder, [...changes.writes]);
  let done = 0;
  try {
    for (const { temp, target } of staged.files) {
      renameSync(temp, target);
      done++;
    }
  } catch (e) {
    staged.discard(done);
    throw new OutWriteError(fileProblem(e, shown(staged.files[done].target), 'cannot write'), done === 0);
  }
  for (const path of changes.removals) {
    const full = inside(out, path);
    try {
      unlinkSync(full);
      removeEmptyFolders(out, dirname(full));
    } catch (e) {
      throw new OutWriteError(fileProblem(e, shown(full), 'cannot remove'), false);
    }
  }
  const ledger = stage(folder, [changes.ledger]);
  try {
    renameSync(ledger.files[0].temp, ledger.files[0].target);
  } catch (e) {
    ledger.discard(0);
    throw new OutWriteError(fileProblem(e, shown(ledger.files[0].target), 'cannot write'), false);
  }
}

interface Staged {
  files: { temp: string; target: string }[];
  /** Removes the temporary files from index `from` on, and the folders created for them when empty. */
  discard(from: number): void;
}

let tempCounter = 0;

/** Writes every file to a new temporary file beside its target; on failure, removes all it created. */
function stage(folder: OutFolder, writes: readonly (readonly [string, string])[]): Staged {
  const out = folder.real;
  const files: { temp: string; target: string }[] = [];
  const createdFolders: string[] = [];
  const discard = (from: number) => {
    for (const f of files.slice(from)) unlinkQuietly(f.temp);
    for (const folder of createdFolders.reverse()) rmdirQuietly(folder);
  };
  let current = out;
  try {
    for (const [path, text] of writes) {
      const target = inside(out, path);
      current = target;
      for (const folder of folderChain(out, path)) {
        current = folder;
        if (makeFolder(folder)) createdFolders.push(folder);
      }
      current = target;
      const temp = join(dirname(target), `.kserve-localmodel-fn-${process.pid}-${tempCounter++}.tmp`);
      // O_EXCL and O_NOFOLLOW: never through a link, never over a file someone else just made.
      const fd = openSync(
        temp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o666,
      );
      files.push({ temp, target });
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
    }
  } catch (e) {
    discard(0);
    throw new OutWriteError(fileProblem(e, join(folder.shown, relative(out, current)), 'cannot write'), true);
  }
  return { files, discard };
}

/** The folders from OUT down to the file's, each a path to create if missing. */
function folderChain(out: string, path: string): string[] {
  const segments = path.split('/').slice(0, -1);
  return segments.map((_, i) => join(out, ...segments.slice(0, i + 1)));
}

/** Creates one folder; true when it was created. Something else already there (a link) is an error. */
function makeFolder(full: string): boolean {
  try {
    mkdirSync(full);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    if (lstatSync(full).isDirectory()) return false;
    throw Object.assign(new Error(`${full} is not a folder`), { code: 'ENOTDIR' });
  }
}

/** The full path of `path` under `out`, refusing any that would leave it. */
function inside(out: string, path: string): string {
  const full = join(out, ...path.split('/'));
  const rel = relative(out, full);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`))
    throw new Error(`refusing ${path}: it is not inside ${out}`);
  return full;
}

function removeEmptyFolders(out: string, from: string): void {
  for (let dir = from; dir !== out && dir.startsWith(out + sep); dir = dirname(dir)) {
    if (readdirSync(dir).length > 0) return;
    rmdirSync(dir);
  }
}

const unlinkQuietly = (path: string) => {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
};

const rmdirQuietly = (path: string) => {
  try {
    rmdirSync(path);
  } catch {
    // not empty (someone else's file) or already gone
  }
};
