// Recorded `kubectl get nodes` dumps shaped like EKS (-o json, a List), GKE (-o yaml, a List) and AKS
// (a stream of Nodes), with the labels those clouds set, and a package whose node group selects each
// cloud's GPU pool the way its users would write it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyToTemp, EXAMPLES, ROOT } from './integrations';

export const DUMPS = join(ROOT, 'testdata', 'node-dumps');

export interface Cloud {
  name: 'eks' | 'gke' | 'aks';
  dump: string;
  /** The node group's selector: the label the cloud puts on every node of a pool, and the GPU pool. */
  poolLabel: string;
  pool: string;
  gpuNodes: string[];
  otherNodes: string[];
}

export const CLOUDS: Cloud[] = [
  {
    name: 'eks',
    dump: join(DUMPS, 'eks.json'),
    poolLabel: 'eks.amazonaws.com/nodegroup',
    pool: 'gpu-a10g',
    gpuNodes: [
      'ip-10-0-1-23.us-west-2.compute.internal',
      'ip-10-0-2-41.us-west-2.compute.internal',
      'ip-10-0-2-77.us-west-2.compute.internal',
    ],
    otherNodes: ['ip-10-0-1-150.us-west-2.compute.internal'],
  },
  {
    name: 'gke',
    dump: join(DUMPS, 'gke.yaml'),
    poolLabel: 'cloud.google.com/gke-nodepool',
    pool: 'l4-pool',
    gpuNodes: ['gke-prod-l4-pool-9c1e2f3a-p7mz', 'gke-prod-l4-pool-9c1e2f3a-x2lq'],
    otherNodes: ['gke-prod-default-pool-4b8d0a61-k3vn'],
  },
  {
    name: 'aks',
    dump: join(DUMPS, 'aks.yaml'),
    poolLabel: 'kubernetes.azure.com/agentpool',
    pool: 'gpunp',
    gpuNodes: ['aks-gpunp-31415926-vmss000000', 'aks-gpunp-31415926-vmss000001'],
    otherNodes: ['aks-system-31415926-vmss000000'],
  },
];

/** The quickstart package with its node group selecting the cloud's GPU pool, and no node inventory yet. */
export function cloudPackage(cloud: Cloud): string {
  const dir = copyToTemp(join(EXAMPLES, 'quickstart'), `pkg-${cloud.name}`);
  const group = join(dir, 'nodegroup.yaml');
  const text = readFileSync(group, 'utf8')
    .replace('key: node-type', `key: ${cloud.poolLabel}`)
    .replace(/values:\n(\s+)- gpu/, `values:\n$1- ${cloud.pool}`);
  writeFileSync(group, text);
  rmSync(join(dir, 'nodes.yaml'));
  return dir;
}
