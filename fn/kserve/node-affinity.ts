// Which Nodes a node group's PV can live on: core/v1 NodeSelector semantics, as the scheduler and
// KServe's controller apply them. Terms are ORed; expressions and fields inside a term are ANDed.
import { isPlainObject } from '../krm/objects';

// Not kubernetes-types' NodeSelectorTerm: these are read from input before validation has passed (a key or
// operator may be missing), so every field is optional here.
export interface NodeSelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface NodeFacts {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/**
 * A PV without required node affinity matches no node (KServe would place it nowhere). Total over any
 * input: a term or requirement of the wrong shape matches nothing (validation reports it), so a group's
 * nodes can be worked out before validation has run.
 */
export function nodeMatchesTerms(node: NodeFacts, terms: readonly NodeSelectorTerm[] | undefined): boolean {
  if (!Array.isArray(terms) || terms.length === 0) return false;
  return terms.some((term) => isPlainObject(term) && termMatches(node, term));
}

const requirements = (list: unknown): NodeSelectorRequirement[] =>
  Array.isArray(list) ? list.map((r) => (isPlainObject(r) ? r : { operator: 'not a requirement' })) : [];

function termMatches(node: NodeFacts, term: NodeSelectorTerm): boolean {
  const expressions = requirements(term.matchExpressions);
  const fields = requirements(term.matchFields);
  // An empty term selects nothing (k8s.io/component-helpers nodeaffinity).
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every((r) => requirementMatches(r, node.labels)) &&
    fields.every((r) => requirementMatches(r, r.key === 'metadata.name' ? { 'metadata.name': node.name } : {}))
  );
}

export function requirementMatches(r: NodeSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const key = typeof r.key === 'string' ? r.key : '';
  const has = Object.hasOwn(labels, key);
  const value = has ? labels[key] : undefined;
  const values = Array.isArray(r.values) ? r.values.filter((v) => typeof v === 'string') : [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(value as string);
    case 'NotIn':
      return !has || !values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      // Both sides must be integers; anything else does not match (as in apimachinery's labels.Requirement).
      if (!has || values.length !== 1) return false;
      const [ours, theirs] = [parseInteger(value as string), parseInteger(values[0])];
      if (ours === undefined || theirs === undefined) return false;
      return r.operator === 'Gt' ? ours > theirs : ours < theirs;
    }
    default:
      return false;
  }
}

function parseInteger(s: string): bigint | undefined {
  return /^[+-]?\d+$/.test(s) ? BigInt(s) : undefined;
}
