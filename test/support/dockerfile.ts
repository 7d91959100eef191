// The repository's Dockerfile, read the way the tests need it: no Docker engine here, so the image's
// command is run directly, with the image's paths mapped back to the files the Dockerfile copies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './integrations';

export interface Dockerfile {
  from: string[];
  user: string[];
  /** ENV instructions in `KEY=value` form, the later winning. */
  env: Record<string, string>;
  /** RUN instructions in order, each with the USER in effect when it runs. */
  runs: { user: string; command: string }[];
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
  const runs: Dockerfile['runs'] = [];
  let user = 'root';
  for (const { keyword, args } of instructions) {
    if (keyword === 'USER') user = args;
    if (keyword === 'RUN') runs.push({ user, command: args });
  }
  const env = Object.fromEntries(
    of('ENV').map((args) => {
      const [key, ...value] = args.split('=');
      return [key, value.join('=')];
    }),
  );
  return {
    from: of('FROM'),
    user: of('USER'),
    env,
    runs,
    copies: of('COPY').map((args) => {
      const parts = args.split(/\s+/).filter((p) => !p.startsWith('--'));
      return [parts[0], parts[parts.length - 1]];
    }),
    entrypoint: execForm(of('ENTRYPOINT').at(-1)),
  };
}

/** An instruction's exec (JSON array) form as its words; undefined in shell form or when absent. */
export function execForm(args: string | undefined): string[] | undefined {
  try {
    const parsed: unknown = args === undefined ? undefined : JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A path inside the image as the file it was copied from, so a command can run on this machine. */
export function hostPath(dockerfile: Dockerfile, imagePath: string): string {
  const copy = dockerfile.copies.find(([, destination]) => destination === imagePath);
  return copy ? join(ROOT, copy[0]) : imagePath;
}
