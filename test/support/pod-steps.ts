// Runs a generated pod's containers for real, in order, under bubblewrap: a temp folder stands in for
// the node's volume (bound at each container's mount paths, subPath honoured), the process runs as uid
// 1000 like the storage-initializer image, and a stand-in script sits at the image's entrypoint path.
import type { SpawnSyncReturns } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import { STORAGE_INITIALIZER_ENTRYPOINT } from '../../fn/build/download-steps';
import type { KObject } from '../../fn/krm/objects';
import { findOnPath, tempDir } from './integrations';

export const BWRAP = findOnPath('bwrap');

/** Why bubblewrap cannot run here, or undefined when it can (it needs unprivileged user namespaces). */
export function bwrapUnavailable(): string | undefined {
  if (!BWRAP) return 'bwrap is not installed (apt-get install bubblewrap; .ci/run installs it)';
  const probe = spawnSync(BWRAP, ['--unshare-user', '--ro-bind', '/', '/', 'true'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `bwrap cannot create a sandbox here: ${probe.stderr.trim()}`;
}

/**
 * The stand-in downloader: `<uri> <dest>` like KServe's entrypoint. It logs each call (so a test can
 * prove no download happened), writes one file, fails there when FAIL_MIDWAY is set, then the rest.
 */
const STAND_IN = `#!/bin/sh
set -eu
echo "$1 $2" >>/stand-in/calls
mkdir -p "$2"
echo "weights of $1" >"$2/model.safetensors"
if [ -n "\${FAIL_MIDWAY:-}" ]; then echo "network gone" >&2; exit 1; fi
echo '{"source": "'"$1"'"}' >"$2/config.json"
`;

export interface StepWorld {
  /** The node's volume: what the PersistentVolume's host path holds. */
  disk: string;
  /** One line per call of the stand-in downloader. */
  calls: () => string[];
  /**
   * Runs the pod's containers in order and stops at the first that fails, like init containers. Only
   * its PersistentVolumeClaim volumes are bound, all to the one disk: credentials are not needed here.
   */
  run: (pod: PodSpec, containers: readonly Container[], env?: Record<string, string>, more?: MoreWorld) => StepRun[];
}

/** What a step needs beyond the node's volume: other pod volumes as host folders, and the network. */
export interface MoreWorld {
  volumes?: Record<string, string>;
  /** Share the host's network (a stand-in API server on 127.0.0.1); otherwise the step has none. */
  network?: boolean;
}

export interface StepRun {
  name: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

export function stepWorld(): StepWorld {
  const root = tempDir('node');
  const disk = join(root, 'disk');
  const standIn = join(root, 'stand-in');
  mkdirSync(disk, { recursive: true });
  mkdirSync(standIn, { recursive: true });
  const entrypoint = join(root, 'entrypoint');
  writeFileSync(entrypoint, STAND_IN);
  chmodSync(entrypoint, 0o755);
  writeFileSync(join(standIn, 'calls'), '');
  return {
    disk,
    calls: () => readFileSync(join(standIn, 'calls'), 'utf8').split('\n').filter(Boolean),
    run: (pod, containers, env = {}, more = {}) => {
      const claims = new Set((pod.volumes ?? []).filter((v) => v.persistentVolumeClaim).map((v) => v.name));
      const runs: StepRun[] = [];
      for (const c of containers) {
        const r = runContainer(c, { disk, entrypoint, standIn, env, claims, ...more });
        runs.push({ name: c.name, status: r.status, stdout: r.stdout, stderr: r.stderr });
        if (r.status !== 0) break;
      }
      return runs;
    },
  };
}

function runContainer(
  c: Container,
  world: {
    disk: string;
    entrypoint: string;
    standIn: string;
    env: Record<string, string>;
    claims: Set<string>;
  } & MoreWorld,
): SpawnSyncReturns<string> {
  const args = [
    '--unshare-all',
    ...(world.network ? ['--share-net'] : []),
    '--die-with-parent',
    '--uid',
    '1000',
    '--gid',
    '1000',
  ];
  for (const dir of ['/usr', '/etc']) args.push('--ro-bind', dir, dir);
  for (const link of ['bin', 'lib', 'lib64', 'sbin'])
    if (existsSync(`/${link}`)) args.push('--symlink', `usr/${link}`, `/${link}`);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  args.push('--ro-bind', world.entrypoint, STORAGE_INITIALIZER_ENTRYPOINT, '--bind', world.standIn, '/stand-in');
  for (const m of c.volumeMounts ?? []) {
    const other = world.volumes?.[m.name];
    if (other !== undefined) args.push('--ro-bind', other, m.mountPath);
    if (!world.claims.has(m.name)) continue;
    const source = m.subPath ? join(world.disk, m.subPath) : world.disk;
    mkdirSync(source, { recursive: true }); // kubelet creates a missing subPath
    args.push('--bind', source, m.mountPath);
  }
  args.push('--clearenv', '--setenv', 'PATH', '/usr/local/bin:/usr/bin:/bin');
  for (const e of c.env ?? []) if (e.value !== undefined) args.push('--setenv', e.name, e.value);
  for (const [name, value] of Object.entries(world.env)) args.push('--setenv', name, value);
  // No command: the image's ENTRYPOINT, which the stand-in replaces.
  const argv = [...(c.command ?? [STORAGE_INITIALIZER_ENTRYPOINT]), ...(c.args ?? [])];
  return spawnSync(BWRAP as string, [...args, '--', ...argv], { encoding: 'utf8' });
}

export const podSpecOf = (o: KObject): PodSpec => (o.spec as { template: { spec: PodSpec } }).template.spec;
