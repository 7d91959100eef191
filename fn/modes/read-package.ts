// A package folder from disk: every YAML file under it, in byte order of the paths, so the result
// never depends on the file system. Folders written by `render --out` are output, never input; what a
// `.krmignore` names is left out as kpt leaves it out, and kustomize's own files are never resources.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { SourceFile } from '../krm/files';
import { compareStrings } from '../krm/results';
import type { IgnoreTest } from './krmignore';
import { KRMIGNORE, parseKrmignore } from './krmignore';

/** The file `render --out` keeps in its folder, listing the files it wrote there. */
export const OUTPUT_MARKER = '.kserve-localmodel-fn';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
/** kustomize's file names: a kustomization is build instructions, not a resource (and often untyped). */
const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml']);

/** `skip`: folders left out (a `--out` folder inside the package), as given or resolved. */
export function readPackage(root: string, skip: readonly string[] = []): SourceFile[] {
  const skipped = new Set(skip.map((s) => resolve(s)));
  const files: SourceFile[] = [];
  // Each `.krmignore` applies below its own folder, with paths relative to that folder.
  const walk = (dir: string, ignores: readonly { base: string; ignored: IgnoreTest }[]) => {
    if (dir !== root && (skipped.has(resolve(dir)) || existsSync(join(dir, OUTPUT_MARKER)))) return;
    const krmignore = join(dir, KRMIGNORE);
    const here = existsSync(krmignore)
      ? [...ignores, { base: dir, ignored: parseKrmignore(readFileSync(krmignore, 'utf8')) }]
      : ignores;
    for (const entry of readdirSync(dir).sort()) {
      if (entry.startsWith('.') || SKIPPED_FOLDERS.has(entry)) continue;
      const full = join(dir, entry);
      const isFolder = statSync(full).isDirectory();
      if (here.some((i) => i.ignored(relative(i.base, full).split(sep).join('/'), isFolder))) continue;
      if (isFolder) walk(full, here);
      else if (/\.ya?ml$/.test(entry) && !KUSTOMIZATION_FILES.has(entry))
        files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  walk(root, []);
  return files.sort((a, b) => compareStrings(a.path, b.path));
}
