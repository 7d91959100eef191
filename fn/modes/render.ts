// `render [DIR]`: reads every YAML file under DIR and prints the manifests to apply, for Argo CD's
// plugin and for anyone who wants to see the result without kpt.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { compile } from '../compile';
import type { SourceFile } from '../krm/files';
import { isLocalConfig, parseFiles, stringifyManifests } from '../krm/files';
import { InputError } from '../krm/resource-list';
import type { Result } from '../krm/results';
import { formatResult, hasErrors } from '../krm/results';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** YAML files under root, in byte order of their paths, so the result never depends on the file system. */
export function readPackage(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry.startsWith('.') || SKIPPED_FOLDERS.has(entry)) continue;
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry)) files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface RenderOutcome {
  text: string;
  results: Result[];
  exitCode: number;
}

export function render(files: readonly SourceFile[]): RenderOutcome {
  let parsed;
  try {
    parsed = parseFiles(files);
  } catch (e) {
    if (e instanceof InputError) return { text: '', results: e.results, exitCode: 1 };
    throw e;
  }
  const { items, results } = compile(parsed.items);
  if (hasErrors(results)) return { text: '', results, exitCode: 1 };
  const manifests = items.filter((o) => !isLocalConfig(o));
  return { text: stringifyManifests(manifests, parsed.nodes), results, exitCode: 0 };
}

export function runRender(args: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): number {
  const dir = args[0] ?? '.';
  const outcome = render(readPackage(dir));
  for (const r of outcome.results) stderr.write(`${formatResult(r)}\n`);
  stdout.write(outcome.text);
  return outcome.exitCode;
}
