// A generated object judged as the API server would judge it. Its own module: kubernetes-models is the
// heaviest import of the tests, and only the tests that validate whole objects need it.
import {
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { DaemonSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, PersistentVolume, PersistentVolumeClaim, ServiceAccount } from 'kubernetes-models/v1';
import type { KObject } from '../../fn/krm/objects';
import { assertApiServerAccepts } from './apiserver';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  PersistentVolume: PersistentVolume as never,
  PersistentVolumeClaim: PersistentVolumeClaim as never,
  Namespace: Namespace as never,
  ConfigMap: ConfigMap as never,
  ServiceAccount: ServiceAccount as never,
  Job: Job as never,
  DaemonSet: DaemonSet as never,
  ClusterRole: ClusterRole as never,
  ClusterRoleBinding: ClusterRoleBinding as never,
  ValidatingAdmissionPolicy: ValidatingAdmissionPolicy as never,
  ValidatingAdmissionPolicyBinding: ValidatingAdmissionPolicyBinding as never,
};

/**
 * Validates a generated object as the API server would: the upstream OpenAPI schema (kubernetes-models)
 * for types and required fields, then the server's field rules (support/apiserver.ts), which the
 * schema does not carry. Throws with the reason.
 */
export function validateAgainstKubernetes(o: KObject): void {
  const Model = MODELS[o.kind ?? ''];
  if (!Model) throw new Error(`no Kubernetes model for generated kind ${o.kind}`);
  new Model(structuredClone(o) as never).validate();
  assertApiServerAccepts(o);
}
