// A package folder from disk: every YAML file under it, in byte order of the paths, so the result
// never depends on the file system. Folders written by `render --out` are output, never input.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { SourceFile } from '../krm/files';
import { compareStrings } from '../krm/results';

/** The file `render --out` keeps in its folder, listing the files it wrote there. */
export const OUTPUT_MARKER = '.kserve-localmodel-fn';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** `skip`: folders left out (a `--out` folder inside the package), as given or resolved. */
export function readPackage(root: string, skip: readonly string[] = []): SourceFile[] {
  const skipped = new Set(skip.map((s) => resolve(s)));
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    if (dir !== root && (skipped.has(resolve(dir)) || existsSync(join(dir, OUTPUT_MARKER)))) return;
    for (const entry of readdirSync(dir).sort()) {
      if (entry.startsWith('.') || SKIPPED_FOLDERS.has(entry)) continue;
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry))
        files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  return files.sort((a, b) => compareStrings(a.path, b.path));
}
