// Small builders for inputs, so each test states only what its rule is about.

export const JOBS_NS = 'kserve-localmodel-jobs';

export function nodeGroup(name: string, match: Record<string, string[]> = { 'node-type': ['gpu'] }, size = '100Gi') {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LocalModelNodeGroup',
    metadata: { name },
    spec: {
      storageLimit: size,
      persistentVolumeClaimSpec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: size } },
        storageClassName: 'local-storage',
      },
      persistentVolumeSpec: {
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: size },
        local: { path: '/models' },
        storageClassName: 'local-storage',
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              { matchExpressions: Object.entries(match).map(([key, values]) => ({ key, operator: 'In', values })) },
            ],
          },
        },
      },
    },
  };
}

export function cache(name: string, uri: string, groups: string[] = ['workers'], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LocalModelCache',
    metadata: { name },
    spec: { sourceModelUri: uri, modelSize: '10Gi', nodeGroups: groups, ...extra },
  };
}

export function namespacedCache(name: string, namespace: string, uri: string, groups: string[] = ['workers']) {
  return { ...cache(name, uri, groups), kind: 'LocalModelNamespaceCache', metadata: { name, namespace } };
}

export function node(name: string, labels: Record<string, string> = { 'node-type': 'gpu' }) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, annotations: { 'config.kubernetes.io/local-config': 'true' } },
  };
}

export function isvc(
  name: string,
  namespace: string | undefined,
  storageUri: string,
  annotations?: Record<string, string>,
) {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, ...(namespace ? { namespace } : {}), ...(annotations ? { annotations } : {}) },
    spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, storageUri } } },
  };
}

/** KServe's inferenceservice-config with local models turned on: without it, every cache gets a warning. */
export function enabledKServeConfig() {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'inferenceservice-config', namespace: 'kserve' },
    data: { localModel: '{"enabled": true}' },
  };
}

/** The function config in its ConfigMap form, as `kpt fn eval -- key=value` passes it: every value a string. */
export function fnConfigMap(data: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data };
}

export function fnConfig(spec: Record<string, unknown>) {
  return {
    apiVersion: 'fn.kserve-localmodel.dev/v1alpha1',
    kind: 'LocalModelFnConfig',
    metadata: { name: 'fn', annotations: { 'config.kubernetes.io/local-config': 'true' } },
    spec,
  };
}
