// Runs a generated pod's containers for real, in order, as the kubelet would: a root-owned temp folder
// stands in for the node's volume, the pod's fsGroup is applied to it when it is a `local` volume (group,
// group read-write, setgid folders; never to a `hostPath` one), subPath and subPathExpr are resolved (a
// missing folder is made by "the kubelet", as root), and each container runs as its own user (its
// securityContext, else the pod's, else the image's USER) through setpriv, then under bubblewrap with
// only its own mounts. A stand-in script sits at the storage initializer's entrypoint path. The
// step-scripts ConfigMap is a read-only folder of its files, as the kubelet lays out a ConfigMap volume.
import type { ChildProcess, SpawnSyncReturns } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Container, EnvVar, PodSpec } from 'kubernetes-types/core/v1';
import type { KObject } from '../../fn/krm/objects';
import { STORAGE_INITIALIZER_ENTRYPOINT } from '../../fn/kserve/storage-container';
import { STEP_SCRIPTS_PREFIX, stepScriptsConfigMap } from '../../fn/manifests/step-scripts';
import { findOnPath, tempDir } from './integrations';

export const BWRAP = findOnPath('bwrap');
const SETPRIV = findOnPath('setpriv');

/** Why the pods cannot run here, or undefined when they can. */
export function bwrapUnavailable(): string | undefined {
  if (!BWRAP) return 'bwrap is not installed (apt-get install bubblewrap; .ci/run installs it)';
  if (!SETPRIV) return 'setpriv is not installed (util-linux): containers cannot run as their own users';
  if (process.getuid?.() !== 0)
    return 'these tests switch to each container’s user as the kubelet does (setpriv), which needs root';
  const probe = spawnSync(
    SETPRIV,
    ['--reuid', '1000', '--regid', '1000', '--clear-groups', BWRAP, '--unshare-all', '--ro-bind', '/', '/', 'true'],
    { encoding: 'utf8' },
  );
  return probe.status === 0 ? undefined : `bwrap cannot create a sandbox here: ${probe.stderr.trim()}`;
}

/**
 * The stand-in downloader: `<uri> <dest>` like KServe's entrypoint. It logs each call (so a test can
 * prove no download happened), makes its destination per file as KServe's Azure and GCS code does,
 * writes one file, waits SLOW seconds, fails there when FAIL_MIDWAY is set, then writes the rest.
 * With ESCAPE set it first tries to write outside its folder and to forge markers.
 */
const STAND_IN = `#!/bin/sh
set -eu
echo "$1 $2" >>/stand-in/calls
if [ -n "\${ESCAPE:-}" ]; then
  for target in /mnt/models/../escaped /mnt/attempt/skip /mnt/attempt/download /mnt/.kserve-localmodel-fn/escaped \\
    "/mnt/models/../$ESCAPE.complete" /mnt/models/../../models/escaped; do
    if (mkdir -p "\${target%/*}" && echo forged >"$target") 2>/dev/null; then echo "wrote $target" >>/stand-in/escapes; fi
  done
fi
mkdir -p "$2"
echo "weights of $1 from \${HOSTNAME_TAG:-stand-in}" >"$2/model.safetensors"
if [ -n "\${SLOW:-}" ]; then sleep "$SLOW"; fi
if [ -n "\${FAIL_MIDWAY:-}" ]; then echo "network gone" >&2; exit 1; fi
mkdir -p "$2"
echo '{"source": "'"$1"'"}' >"$2/config.json"
`;

/** The USER of the images these tests meet: the storage initializer runs as 1000, curl as 100. */
function imageUser(image: string | undefined): number {
  if (image?.includes('storage-initializer')) return 1000;
  if (image?.startsWith('curlimages/curl')) return 100;
  return 0;
}

export interface StepWorld {
  /** The node's volume: what the PersistentVolume's host path holds (root-owned, as an administrator makes it). */
  disk: string;
  /** One line per call of the stand-in downloader. */
  calls: () => string[];
  /** Paths outside its folder that a downloader run with ESCAPE managed to write. */
  escapes: () => string[];
  /**
   * Runs the pod's containers in order and stops at the first that fails, like init containers. Only
   * its PersistentVolumeClaim volumes are bound, all to the one disk: credentials are not needed here.
   */
  run: (pod: PodSpec, containers: readonly Container[], env?: Record<string, string>, more?: MoreWorld) => StepRun[];
  /** The same, as a pod that runs alongside others (two pods on one node). */
  start: (
    pod: PodSpec,
    containers: readonly Container[],
    env?: Record<string, string>,
    more?: MoreWorld,
  ) => Promise<StepRun[]>;
}

/** What a step needs beyond the node's volume: other pod volumes as host folders, and the network. */
export interface MoreWorld {
  volumes?: Record<string, string>;
  /** Share the host's network (a stand-in API server on 127.0.0.1); otherwise the step has none. */
  network?: boolean;
  /** metadata.name; by default each run is a new pod, `pod-1`, `pod-2`, … as a Job's retries are. */
  podName?: string;
  /** The PersistentVolume's source: the kubelet applies fsGroup to `local` (the default), never to `hostPath`. */
  volume?: 'local' | 'hostPath';
}

export interface StepRun {
  name: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

export function stepWorld(): StepWorld {
  const root = tempDir('node');
  chmodSync(root, 0o755); // the containers' users must reach the disk through it
  const disk = join(root, 'disk');
  const standIn = join(root, 'stand-in');
  mkdirSync(disk, { recursive: true, mode: 0o755 });
  chmodSync(disk, 0o755);
  mkdirSync(standIn, { recursive: true });
  chmodSync(standIn, 0o777);
  const entrypoint = join(root, 'entrypoint');
  writeFileSync(entrypoint, STAND_IN);
  chmodSync(entrypoint, 0o755);
  for (const log of ['calls', 'escapes']) {
    writeFileSync(join(standIn, log), '');
    chmodSync(join(standIn, log), 0o666);
  }
  // ConfigMap volumes: the step scripts the function generates (whatever the package's name), its keys as 0644 files.
  const scripts = stepScriptsConfigMap('any', undefined);
  const scriptsFolder = join(root, 'step-scripts');
  mkdirSync(scriptsFolder, { mode: 0o755 });
  chmodSync(scriptsFolder, 0o755);
  for (const [file, text] of Object.entries(scripts.data ?? {})) writeFileSync(join(scriptsFolder, file), text);
  const configMaps = { [STEP_SCRIPTS_PREFIX]: scriptsFolder };
  let pods = 0;
  const prepare = (pod: PodSpec, more: MoreWorld) => {
    const podName = more.podName ?? `pod-${++pods}`;
    if ((more.volume ?? 'local') === 'local') applyFsGroup(disk, pod.securityContext?.fsGroup);
    const claims = new Set((pod.volumes ?? []).filter((v) => v.persistentVolumeClaim).map((v) => v.name));
    return { podName, claims };
  };
  const lines = (file: string) => readFileSync(join(standIn, file), 'utf8').split('\n').filter(Boolean);
  return {
    disk,
    calls: () => lines('calls'),
    escapes: () => lines('escapes'),
    run: (pod, containers, env = {}, more = {}) => {
      const { podName, claims } = prepare(pod, more);
      const runs: StepRun[] = [];
      for (const c of containers) {
        const argv = containerArgv(pod, c, { disk, entrypoint, standIn, env, claims, configMaps, podName, ...more });
        const r: SpawnSyncReturns<string> | StepRun =
          'refused' in argv ? argv.refused : spawnSync(argv.file, argv.args, { encoding: 'utf8' });
        runs.push({ name: c.name, status: r.status, stdout: r.stdout, stderr: r.stderr });
        if (r.status !== 0) break;
      }
      return runs;
    },
    start: async (pod, containers, env = {}, more = {}) => {
      const { podName, claims } = prepare(pod, more);
      const runs: StepRun[] = [];
      for (const c of containers) {
        const argv = containerArgv(pod, c, { disk, entrypoint, standIn, env, claims, configMaps, podName, ...more });
        const r = 'refused' in argv ? argv.refused : await finished(spawn(argv.file, argv.args), c.name);
        runs.push({ ...r, name: c.name });
        if (r.status !== 0) break;
      }
      return runs;
    },
  };
}

function finished(child: ChildProcess, name: string): Promise<StepRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ name, status, stdout, stderr })));
}

/**
 * What the kubelet does to a `local` volume with fsGroupChangePolicy OnRootMismatch: when the root's
 * group is not the fsGroup, every file gets that group and group read-write, and folders the setgid bit.
 */
function applyFsGroup(disk: string, fsGroup: number | undefined): void {
  if (fsGroup === undefined || statSync(disk).gid === fsGroup) return;
  const walk = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    chownSync(path, st.uid, fsGroup);
    const ownerExec = st.mode & 0o100 ? 0o010 : 0;
    chmodSync(path, (st.mode & 0o7777) | 0o060 | ownerExec | (st.isDirectory() ? 0o2000 : 0));
    if (st.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(disk);
}

/** `$(VAR)` of a subPathExpr, from the container's env (downward API metadata.name is the pod's name). */
function expand(expr: string, env: readonly EnvVar[], podName: string): string {
  return expr.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, name: string) => {
    const e = env.find((v) => v.name === name);
    if (e?.valueFrom?.fieldRef?.fieldPath === 'metadata.name') return podName;
    return e?.value ?? '';
  });
}

/**
 * A pod volume other than the claim (a projected token, say) is readable by the pod's user, as the
 * kubelet makes it; the test's temp folders (mode 0700) on the way to it are opened for traversal.
 */
function reachable(path: string): string {
  for (let dir = dirname(path); dir.startsWith(tmpdir()) && dir !== tmpdir(); dir = dirname(dir))
    chmodSync(dir, statSync(dir).mode | 0o711);
  return path;
}

/** A missing subPath folder, made as the kubelet makes it: by root, with the mode of the volume's root. */
function kubeletMakeDir(disk: string, sub: string): string {
  const mode = statSync(disk).mode & 0o777;
  let path = disk;
  for (const part of sub.split('/').filter(Boolean)) {
    path = join(path, part);
    if (existsSync(path)) continue;
    mkdirSync(path);
    chmodSync(path, mode | (statSync(join(path, '..')).mode & 0o2000));
  }
  return path;
}

function containerArgv(
  pod: PodSpec,
  c: Container,
  world: {
    disk: string;
    entrypoint: string;
    standIn: string;
    env: Record<string, string>;
    claims: Set<string>;
    configMaps: Record<string, string>;
    podName: string;
  } & MoreWorld,
): { file: string; args: string[] } | { refused: StepRun } {
  const sc = c.securityContext ?? {};
  const psc = pod.securityContext ?? {};
  const uid = sc.runAsUser ?? psc.runAsUser ?? imageUser(c.image);
  const gid = sc.runAsGroup ?? psc.runAsGroup ?? imageUser(c.image);
  if ((sc.runAsNonRoot ?? psc.runAsNonRoot) && uid === 0) {
    const stderr = 'Error: container has runAsNonRoot and image will run as root';
    return { refused: { name: c.name, status: null, stdout: '', stderr } };
  }
  const groups = psc.fsGroup !== undefined ? ['--groups', String(psc.fsGroup)] : ['--clear-groups'];
  const user = ['--reuid', String(uid), '--regid', String(gid), ...groups];
  const args = [
    '--unshare-all',
    ...(world.network ? ['--share-net'] : []),
    '--die-with-parent',
    '--uid',
    String(uid),
    '--gid',
    String(gid),
  ];
  for (const dir of ['/usr', '/etc']) args.push('--ro-bind', dir, dir);
  for (const link of ['bin', 'lib', 'lib64', 'sbin'])
    if (existsSync(`/${link}`)) args.push('--symlink', `usr/${link}`, `/${link}`);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  args.push('--ro-bind', world.entrypoint, STORAGE_INITIALIZER_ENTRYPOINT, '--bind', world.standIn, '/stand-in');
  for (const m of c.volumeMounts ?? []) {
    const bind = m.readOnly ? '--ro-bind' : '--bind';
    const other = world.volumes?.[m.name];
    if (other !== undefined) args.push('--ro-bind', reachable(other), m.mountPath);
    const configMap = pod.volumes?.find((v) => v.name === m.name)?.configMap?.name;
    if (configMap !== undefined) {
      const folder = configMap.startsWith(STEP_SCRIPTS_PREFIX) ? world.configMaps[STEP_SCRIPTS_PREFIX] : undefined;
      if (!folder) throw new Error(`no ConfigMap ${configMap} in this test world`);
      args.push('--ro-bind', reachable(folder), m.mountPath);
    }
    if (!world.claims.has(m.name)) continue;
    const sub = m.subPathExpr ? expand(m.subPathExpr, c.env ?? [], world.podName) : (m.subPath ?? '');
    args.push(bind, sub ? kubeletMakeDir(world.disk, sub) : world.disk, m.mountPath);
  }
  args.push('--clearenv', '--setenv', 'PATH', '/usr/local/bin:/usr/bin:/bin');
  for (const e of c.env ?? []) {
    if (e.value !== undefined) args.push('--setenv', e.name, e.value);
    if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.name') args.push('--setenv', e.name, world.podName);
  }
  for (const [name, value] of Object.entries(world.env)) args.push('--setenv', name, value);
  // No command: the image's ENTRYPOINT, which the stand-in replaces.
  const argv = [...(c.command ?? [STORAGE_INITIALIZER_ENTRYPOINT]), ...(c.args ?? [])];
  return { file: SETPRIV as string, args: [...user, '--', BWRAP as string, ...args, '--', ...argv] };
}

export const podSpecOf = (o: KObject): PodSpec => (o.spec as { template: { spec: PodSpec } }).template.spec;

/** Init containers, then containers: the order the kubelet runs a Job's or DaemonSet's pod in. */
export const allContainers = (pod: PodSpec): Container[] => [...(pod.initContainers ?? []), ...pod.containers];
