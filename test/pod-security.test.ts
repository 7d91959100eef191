// Every generated pod passes Pod Security "restricted". The check below is written control by control
// from the Pod Security Standards (the baseline controls, then the restricted ones), not from our own
// builders, and is shown to catch a pod as KServe's node agent makes it (fsGroup only).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Container, PodSpec, SecurityContext } from 'kubernetes-types/core/v1';
import { parse } from 'yaml';
import type { KObject } from '../fn/krm/objects';
import { cache, enabledKServeConfig, fnConfig, node, nodeGroup } from './support/fixtures';
import { goldenCases } from './support/golden';
import { generated, runItems } from './support/harness';
import { validateAgainstKubernetes } from './support/kubernetes-schema';
import { podSpecOf } from './support/pod-steps';

const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const RESTRICTED_VOLUMES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

/** Every way the pod falls short of "restricted", one line per control and container; empty: it passes. */
export function restrictedViolations(pod: PodSpec): string[] {
  const out: string[] = [];
  const psc = pod.securityContext ?? {};
  const containers: Container[] = [
    ...(pod.initContainers ?? []),
    ...pod.containers,
    ...((pod.ephemeralContainers ?? []) as Container[]),
  ];
  const contexts: [string, SecurityContext | undefined][] = [
    ['pod', psc as SecurityContext],
    ...containers.map((c): [string, SecurityContext | undefined] => [c.name, c.securityContext]),
  ];
  // Baseline: HostProcess.
  for (const [who, sc] of contexts) if (sc?.windowsOptions?.hostProcess) out.push(`${who}: hostProcess`);
  // Baseline: Host Namespaces.
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (pod[field]) out.push(`pod: ${field}`);
  // Baseline: Privileged Containers.
  for (const c of containers) if (c.securityContext?.privileged) out.push(`${c.name}: privileged`);
  // Baseline: Capabilities.
  for (const c of containers)
    for (const cap of c.securityContext?.capabilities?.add ?? [])
      if (!BASELINE_CAPABILITIES.includes(cap)) out.push(`${c.name}: adds ${cap}`);
  // Baseline: HostPath Volumes.
  for (const v of pod.volumes ?? []) if (v.hostPath) out.push(`volume ${v.name}: hostPath`);
  // Baseline: Host Ports.
  for (const c of containers)
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${c.name}: hostPort ${p.hostPort}`);
  // Baseline: AppArmor.
  for (const [who, sc] of contexts) {
    const type = sc?.appArmorProfile?.type;
    if (type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') out.push(`${who}: AppArmor ${type}`);
  }
  // Baseline: SELinux.
  for (const [who, sc] of contexts) {
    const se = sc?.seLinuxOptions;
    if (se?.type !== undefined && !SELINUX_TYPES.includes(se.type)) out.push(`${who}: SELinux type ${se.type}`);
    if (se?.user || se?.role) out.push(`${who}: SELinux user or role`);
  }
  // Baseline: /proc Mount Type.
  for (const c of containers) {
    const procMount = c.securityContext?.procMount;
    if (procMount !== undefined && procMount !== 'Default') out.push(`${c.name}: procMount ${procMount}`);
  }
  // Baseline: Seccomp (never Unconfined).
  for (const [who, sc] of contexts) if (sc?.seccompProfile?.type === 'Unconfined') out.push(`${who}: Unconfined`);
  // Baseline: Sysctls.
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.includes(s.name)) out.push(`pod: sysctl ${s.name}`);

  // Restricted: Volume Types.
  for (const v of pod.volumes ?? []) {
    const types = Object.keys(v).filter((k) => k !== 'name');
    if (!types.every((t) => RESTRICTED_VOLUMES.includes(t))) out.push(`volume ${v.name}: ${types.join(', ')}`);
  }
  // Restricted: Privilege Escalation (must be set to false on every container).
  for (const c of containers)
    if (c.securityContext?.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation`);
  // Restricted: Running as Non-root (the pod says true, or every container does; none says false).
  for (const c of containers) {
    const nonRoot = c.securityContext?.runAsNonRoot;
    if (nonRoot === false || (nonRoot === undefined && psc.runAsNonRoot !== true)) out.push(`${c.name}: runAsNonRoot`);
  }
  // Restricted: Running as Non-root user (never uid 0).
  for (const [who, sc] of contexts) if (sc?.runAsUser === 0) out.push(`${who}: runAsUser 0`);
  // Restricted: Seccomp (RuntimeDefault or Localhost, on the pod or on every container).
  const allowedProfile = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
  for (const c of containers) {
    const type = c.securityContext?.seccompProfile?.type;
    if (!(allowedProfile(type) || (type === undefined && allowedProfile(psc.seccompProfile?.type))))
      out.push(`${c.name}: seccomp`);
  }
  // Restricted: Capabilities (drop ALL; add nothing but NET_BIND_SERVICE).
  for (const c of containers) {
    const caps = c.securityContext?.capabilities;
    if (!caps?.drop?.includes('ALL')) out.push(`${c.name}: does not drop ALL`);
    for (const cap of caps?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`${c.name}: restricted adds ${cap}`);
  }
  return out;
}

const pods = (objects: readonly KObject[]): [string, PodSpec][] =>
  objects
    .filter((o) => o.kind === 'Job' || o.kind === 'DaemonSet')
    .map((o): [string, PodSpec] => [`${o.kind} ${o.metadata?.name}`, podSpecOf(o)]);

const assertRestricted = (objects: readonly KObject[]) => {
  for (const [name, pod] of pods(objects)) {
    assert.deepEqual(restrictedViolations(pod), [], name);
    assert.equal(pod.automountServiceAccountToken, false, `${name}: no ServiceAccount token is mounted`);
    assert.equal(pod.securityContext?.fsGroupChangePolicy, 'OnRootMismatch', name);
  }
};

describe('Pod Security "restricted"', () => {
  it("the check catches the pod KServe's node agent makes (fsGroup only)", () => {
    const kservePod: PodSpec = {
      securityContext: { fsGroup: 1000 },
      containers: [{ name: 'kserve-localmodel-download', image: 'kserve/storage-initializer:v0.15.0' }],
      volumes: [{ name: 'kserve-pvc-source', persistentVolumeClaim: { claimName: 'llama-gpu' } }],
    };
    assert.deepEqual(restrictedViolations(kservePod), [
      'kserve-localmodel-download: allowPrivilegeEscalation',
      'kserve-localmodel-download: runAsNonRoot',
      'kserve-localmodel-download: seccomp',
      'kserve-localmodel-download: does not drop ALL',
    ]);
  });

  it('every pod of every golden case passes, with no token mounted', () => {
    let count = 0;
    for (const c of goldenCases()) {
      const out = parse(readFileSync(join(c.dir, 'expected-output.yaml'), 'utf8'), { version: '1.1' }) as {
        items?: KObject[];
      };
      assertRestricted(out.items ?? []);
      count += pods(out.items ?? []).length;
    }
    assert.ok(count >= 40, `${count} pods checked`);
  });

  it('every pod of random packages passes, in both modes, with and without serveOnlyWhenReady (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('jobs', 'daemonset'),
        fc.boolean(),
        fc.boolean(),
        fc.uniqueArray(fc.constantFrom('s3://m/llama', 'hf://org/qwen', 'gs://b/mistral'), { minLength: 1 }),
        (downloadMode, serveOnlyWhenReady, atomicDownloads, uris) => {
          const items = [
            nodeGroup('workers'),
            node('gpu-1'),
            enabledKServeConfig(),
            ...uris.map((u, i) => cache(`c${i}`, u)),
          ];
          const out = runItems(
            items,
            fnConfig({ downloadMode, serveOnlyWhenReady, atomicDownloads: atomicDownloads || serveOnlyWhenReady }),
          );
          const made = generated(out.items);
          assert.ok(pods(made).length > 0);
          assertRestricted(made);
          for (const [, pod] of pods(made)) assert.ok(pod.securityContext?.runAsUser !== undefined);
        },
      ),
      { numRuns: 40, seed: 20 },
    );
  });

  it('a ClusterStorageContainer that asks for privileges gets a warning, and its pod stays restricted', () => {
    const csc = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ClusterStorageContainer',
      metadata: { name: 'root-downloader' },
      spec: {
        container: {
          name: 'dl',
          image: 'example.com/dl:1',
          command: ['/bin/dl'],
          securityContext: {
            runAsUser: 0,
            privileged: true,
            capabilities: { add: ['SYS_ADMIN'] },
            readOnlyRootFilesystem: true,
          },
        },
        supportedUriFormats: [{ prefix: 's3://' }],
        workloadType: 'localModelDownloadJob',
      },
    };
    for (const downloadMode of ['jobs', 'daemonset']) {
      const out = runItems(
        [nodeGroup('workers'), node('gpu-1'), enabledKServeConfig(), cache('llama', 's3://m/llama'), csc],
        fnConfig({ downloadMode }),
      );
      const warnings = out.results.filter((r) => r.severity === 'warning' && /Pod Security/.test(r.message));
      assert.equal(warnings.length, 1, downloadMode);
      assert.match(warnings[0].message, /capabilities: \{"add":\["SYS_ADMIN"\]\}, privileged: true, runAsUser: 0/);
      const made = generated(out.items);
      assertRestricted(made);
      for (const o of made) if (o.kind === 'Job' || o.kind === 'DaemonSet') validateAgainstKubernetes(o);
      const download = pods(made)
        .flatMap(([, p]) => p.initContainers ?? [])
        .find((c) => c.image === 'example.com/dl:1');
      assert.equal(download?.securityContext?.readOnlyRootFilesystem, true, 'an allowed choice is kept');
    }
  });
});
