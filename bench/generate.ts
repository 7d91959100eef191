// A deterministic fleet as a kpt ResourceList: caches × nodes, the shape of a real GPU cluster's package
// (node groups selected by a pool label, a node inventory, InferenceServices, a Hugging Face token
// wired through a ServiceAccount). The same sizes give the same bytes, so runs compare.
import { stringify } from 'yaml';

export interface FleetSize {
  caches: number;
  nodes: number;
  /** Node pools, one LocalModelNodeGroup each; every cache is cached on two neighbouring pools. */
  pools?: number;
  /** InferenceServices using the caches, spread over a few team namespaces. */
  inferenceServices?: number;
  /** The function config's downloadMode; jobs when left out. */
  downloadMode?: 'jobs' | 'daemonset';
}

const JOBS_NAMESPACE = 'kserve-localmodel-jobs';
const TEAMS = ['team-search', 'team-chat', 'team-vision', 'team-speech', 'team-ads'];
const pad = (i: number) => String(i).padStart(4, '0');
const fileAnnotations = (path: string, index: number) => ({
  'config.kubernetes.io/path': path,
  'internal.config.kubernetes.io/path': path,
  'config.kubernetes.io/index': String(index),
  'internal.config.kubernetes.io/index': String(index),
});

/** Jobs the function will make: each cache on every node of its two pools. */
export function expectedJobs(size: FleetSize): number {
  const pools = Math.min(size.pools ?? 4, size.nodes);
  const nodesInPool = (p: number) => Math.floor(size.nodes / pools) + (p < size.nodes % pools ? 1 : 0);
  let jobs = 0;
  for (let c = 0; c < size.caches; c++) {
    const [a, b] = [c % pools, (c + 1) % pools];
    jobs += nodesInPool(a) + (b === a ? 0 : nodesInPool(b));
  }
  return jobs;
}

export function generateItems(size: FleetSize): Record<string, unknown>[] {
  const pools = Math.min(size.pools ?? 4, size.nodes);
  const isvcs = size.inferenceServices ?? size.caches;
  const items: Record<string, unknown>[] = [];

  items.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'inferenceservice-config',
      namespace: 'kserve',
      annotations: fileAnnotations('kserve/inferenceservice-config.yaml', 0),
    },
    data: {
      localModel: JSON.stringify({ enabled: true, jobNamespace: JOBS_NAMESPACE, fsGroup: 1000 }),
      storageInitializer: JSON.stringify({
        image: 'kserve/storage-initializer:v0.16.0',
        memoryRequest: '100Mi',
        memoryLimit: '1Gi',
        cpuRequest: '100m',
        cpuLimit: '1',
      }),
    },
  });
  items.push(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'hf-secret', namespace: JOBS_NAMESPACE, annotations: fileAnnotations('credentials.yaml', 0) },
      type: 'Opaque',
      stringData: { HF_TOKEN: 'hf_xxxx' },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'hf-downloader',
        namespace: JOBS_NAMESPACE,
        annotations: fileAnnotations('credentials.yaml', 1),
      },
      secrets: [{ name: 'hf-secret' }],
    },
  );

  // Room on each node for every model its pool caches (10–29 Gi each), as validation checks.
  const storage = `${Math.ceil((Math.ceil((2 * size.caches) / pools) * 29) / 1024)}Ti`;
  for (let p = 0; p < pools; p++) {
    items.push({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LocalModelNodeGroup',
      metadata: { name: `gpu-pool-${p}`, annotations: fileAnnotations('nodegroups.yaml', p) },
      spec: {
        storageLimit: storage,
        persistentVolumeClaimSpec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage } },
          storageClassName: 'local-nvme',
        },
        persistentVolumeSpec: {
          accessModes: ['ReadWriteOnce'],
          capacity: { storage },
          local: { path: '/mnt/nvme/models' },
          storageClassName: 'local-nvme',
          persistentVolumeReclaimPolicy: 'Delete',
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'node.example.com/pool', operator: 'In', values: [`pool-${p}`] },
                    { key: 'nvidia.com/gpu.present', operator: 'Exists' },
                  ],
                },
              ],
            },
          },
        },
      },
    });
  }

  for (let n = 0; n < size.nodes; n++) {
    const name = `gpu-node-${pad(n)}`;
    items.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': `ip-10-0-${Math.floor(n / 250)}-${n % 250}.ec2.internal`,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node.kubernetes.io/instance-type': n % 3 === 0 ? 'p4d.24xlarge' : 'g5.12xlarge',
          'topology.kubernetes.io/zone': `us-east-1${'abc'[n % 3]}`,
          'node.example.com/pool': `pool-${n % pools}`,
          'nvidia.com/gpu.present': 'true',
          'nvidia.com/gpu.count': n % 3 === 0 ? '8' : '4',
        },
        annotations: { 'config.kubernetes.io/local-config': 'true', ...fileAnnotations('inventory/nodes.yaml', n) },
      },
    });
  }

  for (let c = 0; c < size.caches; c++) {
    items.push({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LocalModelCache',
      metadata: { name: `model-${pad(c)}`, annotations: fileAnnotations(`caches/model-${pad(c)}.yaml`, 0) },
      spec: {
        sourceModelUri: `hf://org-${c % 7}/model-${pad(c)}-instruct`,
        modelSize: `${10 + (c % 20)}Gi`,
        nodeGroups: [...new Set([`gpu-pool-${c % pools}`, `gpu-pool-${(c + 1) % pools}`])],
        serviceAccountName: 'hf-downloader',
      },
    });
  }

  for (let i = 0; i < isvcs; i++) {
    const c = i % Math.max(size.caches, 1);
    const namespace = TEAMS[i % TEAMS.length];
    items.push({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: `serve-${pad(i)}`,
        namespace,
        annotations: fileAnnotations(`serving/${namespace}/serve-${pad(i)}.yaml`, 0),
      },
      spec: {
        predictor: {
          model: {
            modelFormat: { name: 'huggingface' },
            storageUri: `hf://org-${c % 7}/model-${pad(c)}-instruct`,
            resources: { limits: { 'nvidia.com/gpu': '1', memory: '64Gi' }, requests: { cpu: '8', memory: '64Gi' } },
          },
        },
      },
    });
  }
  return items;
}

const FUNCTION_CONFIG = {
  apiVersion: 'fn.kserve-localmodel.dev/v1alpha1',
  kind: 'LocalModelFnConfig',
  metadata: { name: 'kserve-localmodel-fn', annotations: { 'config.kubernetes.io/local-config': 'true' } },
  spec: {
    outputDir: 'generated',
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  },
};

/** The ResourceList kpt would pipe to the function for this fleet. */
export function generateResourceList(size: FleetSize): string {
  const list = {
    apiVersion: 'config.kubernetes.io/v1',
    kind: 'ResourceList',
    items: generateItems(size),
    functionConfig: size.downloadMode
      ? { ...FUNCTION_CONFIG, spec: { ...FUNCTION_CONFIG.spec, downloadMode: size.downloadMode } }
      : FUNCTION_CONFIG,
  };
  return stringify(list, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
}
