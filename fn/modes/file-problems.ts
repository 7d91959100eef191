// A file-system error in words: a dangling link, a loop or a locked file is a condition of the user's
// tree, not a bug of ours, so the message names the path and what to do about it.
import { lstatSync, readlinkSync } from 'node:fs';

const PROGRAM = 'kserve-localmodel-fn';

/** `doing`: what failed, e.g. "cannot read" or "cannot write". */
export function fileProblem(e: unknown, path: string, doing: string): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': {
      const target = linkTarget(path);
      return target === undefined
        ? `${doing} ${path}: it disappeared while ${PROGRAM} was running; run it again`
        : `${path} is a symbolic link to ${target}, which does not exist; remove the link or restore its target`;
    }
    case 'ELOOP':
      return `${path} is a symbolic link in a loop (following it never reaches a file or folder); remove the link or point it at a real file or folder`;
    case 'EACCES':
    case 'EPERM':
      return `${doing} ${path}: permission denied; give the user running ${PROGRAM} access to it, or move it out of the way`;
    case 'ENOTDIR':
      return `${doing} ${path}: part of that path is a file, not a folder; move the file away`;
    case 'EISDIR':
      return `${doing} ${path}: it is a folder, where a file was expected; move the folder away`;
    case 'ENAMETOOLONG':
      return `${doing} ${path}: the name is too long for the file system; shorten it`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `${doing} ${path}: no space left on the device (or over the disk quota); free some space and run it again`;
    case 'EROFS':
      return `${doing} ${path}: the file system is read-only; choose a writable folder`;
    default:
      return `${doing} ${path}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** For a file that is neither a regular file nor a folder (a FIFO would block a read forever). */
export function fileTypeName(stats: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean }): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  return 'a block device';
}
