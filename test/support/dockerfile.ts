// The repository's Dockerfile, read the way the tests need it: no Docker engine here, so the image's
// command is run directly, with the image's paths mapped back to the files the Dockerfile copies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './integrations';

export interface Dockerfile {
  from: string[];
  user: string[];
  /** COPY instructions as [source in the build context, destination in the image]. */
  copies: [string, string][];
  /** ENTRYPOINT in exec (JSON array) form; undefined in shell form or when absent. */
  entrypoint?: string[];
}

export function readDockerfile(path = join(ROOT, 'Dockerfile')): Dockerfile {
  const instructions = readFileSync(path, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [keyword, ...rest] = l.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const of = (keyword: string) => instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
  const entry = of('ENTRYPOINT').at(-1);
  let entrypoint: string[] | undefined;
  try {
    const parsed: unknown = entry === undefined ? undefined : JSON.parse(entry);
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) entrypoint = parsed;
  } catch {
    entrypoint = undefined;
  }
  return {
    from: of('FROM'),
    user: of('USER'),
    copies: of('COPY').map((args) => {
      const parts = args.split(/\s+/).filter((p) => !p.startsWith('--'));
      return [parts[0], parts[parts.length - 1]];
    }),
    entrypoint,
  };
}

/** A path inside the image as the file it was copied from, so a command can run on this machine. */
export function hostPath(dockerfile: Dockerfile, imagePath: string): string {
  const copy = dockerfile.copies.find(([, destination]) => destination === imagePath);
  return copy ? join(ROOT, copy[0]) : imagePath;
}
