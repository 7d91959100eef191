// A generated ValidatingAdmissionPolicy applied to one request the way the API server applies it, with a
// real CEL evaluator (@bufbuild/cel): match conditions first (a request they exclude is never judged),
// then variables, then validations; failurePolicy Fail, so an evaluation error refuses. Used by the
// policy's own tests and by the stand-in API server, which judges the labeler's patches with it.
import type { CelInput } from '@bufbuild/cel';
import { isCelError, run } from '@bufbuild/cel';
import type { KObject } from '../../fn/krm/objects';

interface Expression {
  name?: string;
  expression: string;
  message?: string;
}
interface PolicySpec {
  matchConditions: Expression[];
  variables: Expression[];
  validations: Expression[];
}

/** CEL maps are JS Maps; plain JSON objects are converted all the way down. */
const toCel = (v: unknown): CelInput =>
  Array.isArray(v)
    ? v.map(toCel)
    : v !== null && typeof v === 'object'
      ? new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]))
      : (v as CelInput);

export type Verdict = 'out of scope' | 'allowed' | { refused: string[] };

export function admit(policy: KObject, request: Record<string, unknown>, object: unknown, oldObject: unknown): Verdict {
  const spec = policy.spec as PolicySpec;
  const bindings: Record<string, CelInput> = {
    request: toCel(request),
    object: toCel(object),
    oldObject: toCel(oldObject),
  };
  for (const condition of spec.matchConditions) {
    const matches = run(condition.expression, bindings);
    // A match condition that fails to evaluate refuses the request (failurePolicy Fail), even a kubelet's.
    if (isCelError(matches)) return { refused: [`match condition ${condition.name}: ${matches.message}`] };
    if (matches === false) return 'out of scope';
  }
  const variables = new Map<string, CelInput>();
  for (const v of spec.variables) {
    const value = run(v.expression, { ...bindings, variables });
    if (isCelError(value)) throw new Error(`variable ${v.name}: ${value.message}`);
    variables.set(v.name as string, value as CelInput);
  }
  const refused: string[] = [];
  for (const v of spec.validations) {
    // failurePolicy Fail: an evaluation error refuses the request like a false.
    if (run(v.expression, { ...bindings, variables }) !== true) refused.push(v.message as string);
  }
  return refused.length === 0 ? 'allowed' : { refused };
}
