// A package folder from disk: every YAML file under it, in byte order of the paths, so the result
// never depends on the file system. Folders written by `render --out` are output, never input; what a
// `.krmignore` names is left out as kpt leaves it out, and kustomize's own files are never resources.
// Links are followed (a package may link in shared files), but a link that dangles, loops or leads
// back to a folder above it is an error naming the path, as is a file that cannot be read.
import type { Stats } from 'node:fs';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { SourceFile } from '../krm/files';
import { compareStrings } from '../krm/order';
import type { Result } from '../krm/results';
import { decodeUtf8 } from '../krm/utf8';
import { fileProblem, fileTypeName } from './file-problems';
import type { IgnoreTest } from './krmignore';
import { KRMIGNORE, parseKrmignore } from './krmignore';

/** The file `render --out` keeps in its folder, listing the files it wrote there. */
export const OUTPUT_MARKER = '.kserve-localmodel-fn';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
/** kustomize's file names: a kustomization is build instructions, not a resource (and often untyped). */
const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml']);
const OR_IGNORE = `, or list it in ${KRMIGNORE} if it is not part of the package`;

export interface PackageFiles {
  files: SourceFile[];
  /** Errors about the tree itself (dangling or looping links, unreadable files): nothing is rendered then. */
  results: Result[];
}

/** `skip`: folders left out (a `--out` folder inside the package), compared by their real paths. */
export function readPackage(root: string, skip: readonly string[] = []): PackageFiles {
  const skipped = new Set(skip.map(realPath));
  const files: SourceFile[] = [];
  const results: Result[] = [];
  const problem = (message: string) => results.push({ severity: 'error', message });
  // Each `.krmignore` applies below its own folder, with paths relative to that folder.
  // `above`: the real paths of the folders being walked, so a link back to one of them is seen.
  const walk = (dir: string, ignores: readonly { base: string; ignored: IgnoreTest }[], above: ReadonlySet<string>) => {
    const real = realPath(dir);
    if (above.has(real)) {
      problem(`${dir} is a symbolic link to a folder above it (${real}), a loop; remove the link${OR_IGNORE}`);
      return;
    }
    if (dir !== root && (skipped.has(real) || existsSync(join(dir, OUTPUT_MARKER)))) return;
    let entries: string[];
    let here = ignores;
    try {
      entries = readdirSync(dir).sort(compareStrings);
      const krmignore = join(dir, KRMIGNORE);
      if (existsSync(krmignore))
        here = [...ignores, { base: dir, ignored: parseKrmignore(readFileSync(krmignore, 'utf8')) }];
    } catch (e) {
      problem(fileProblem(e, dir, 'cannot read the folder') + OR_IGNORE);
      return;
    }
    const isIgnored = (full: string, isFolder: boolean) =>
      here.some((i) => i.ignored(relative(i.base, full).split(sep).join('/'), isFolder));
    const inside = new Set(above).add(real);
    for (const entry of entries) {
      if (entry.startsWith('.') || SKIPPED_FOLDERS.has(entry)) continue;
      const full = join(dir, entry);
      let stats: Stats;
      try {
        stats = statSync(full);
      } catch (e) {
        // A dangling link may have been a file or a folder: ignored as either, it is no concern of ours.
        if (!isIgnored(full, false) && !isIgnored(full, true)) problem(fileProblem(e, full, 'cannot read') + OR_IGNORE);
        continue;
      }
      const isFolder = stats.isDirectory();
      if (isIgnored(full, isFolder)) continue;
      if (isFolder) walk(full, here, inside);
      else if (!/\.ya?ml$/.test(entry) || KUSTOMIZATION_FILES.has(entry)) continue;
      else if (!stats.isFile())
        problem(`${full} is ${fileTypeName(stats)}, not a file; move it out of the package${OR_IGNORE}`);
      else {
        try {
          const decoded = decodeUtf8(readFileSync(full));
          if ('problem' in decoded) problem(`${full} ${decoded.problem}`);
          else files.push({ path: relative(root, full).split(sep).join('/'), text: decoded.text });
        } catch (e) {
          problem(fileProblem(e, full, 'cannot read') + OR_IGNORE);
        }
      }
    }
  };
  walk(root, [], new Set());
  return { files: files.sort((a, b) => compareStrings(a.path, b.path)), results };
}

/** The real path when it exists (links resolved), else the absolute path as given. */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
