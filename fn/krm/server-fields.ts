// Fields the API server owns. They are state, not intent, and never belong in Git: every item loses
// them, so that output is the same whether the input came from files or from `kubectl get -o yaml`.

export const SERVER_POPULATED_PATHS: readonly (readonly string[])[] = [
  ['status'],
  ['metadata', 'uid'],
  ['metadata', 'resourceVersion'],
  ['metadata', 'generation'],
  ['metadata', 'creationTimestamp'],
  ['metadata', 'managedFields'],
  ['metadata', 'selfLink'],
];
