// Shared test plumbing: run the function in-process exactly as the binary does, and read its output.

import { parse, stringify } from 'yaml';
import { OWNER_LABEL, OWNER_VALUE } from '../../fn/krm/annotations';
import type { KObject } from '../../fn/krm/objects';
import type { Result } from '../../fn/krm/results';
import { krm } from '../../fn/modes/krm';

export interface Output {
  text: string;
  items: KObject[];
  results: Result[];
  exitCode: number;
}

export function run(input: string): Output {
  const outcome = krm(input);
  const list = parse(outcome.text, { version: '1.1' }) as { items: KObject[]; results?: Result[] };
  return { text: outcome.text, items: list.items ?? [], results: list.results ?? [], exitCode: outcome.exitCode };
}

export function resourceList(items: unknown[], functionConfig?: unknown): string {
  return stringify(
    {
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items,
      ...(functionConfig ? { functionConfig } : {}),
    },
    { aliasDuplicateObjects: false, version: '1.1' },
  );
}

export const runItems = (items: unknown[], functionConfig?: unknown): Output =>
  run(resourceList(items, functionConfig));

export const generated = (items: readonly KObject[]): KObject[] =>
  items.filter((o) => o.metadata?.labels?.[OWNER_LABEL] === OWNER_VALUE);

export const ofKind = (items: readonly KObject[], kind: string): KObject[] => items.filter((o) => o.kind === kind);

export const errors = (out: Output): Result[] => out.results.filter((r) => r.severity === 'error');

/** A seeded generator of numbers in [0, 1): the same sequence every run. */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function shuffleInPlace<T>(out: T[], next: () => number): T[] {
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Fisher–Yates with a seeded generator: shuffled, but the same shuffle every run. */
export const shuffled = <T>(items: readonly T[], seed: number): T[] => shuffleInPlace([...items], seededRandom(seed));

/**
 * The same value with the keys of every mapping, at every depth, in a seeded random order: what a YAML
 * formatter, kustomize (which sorts them) or another author does to a file without changing its meaning.
 */
export function keysShuffled<T>(value: T, seed: number): T {
  const next = seededRandom(seed);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const entries = shuffleInPlace(Object.entries(v as Record<string, unknown>), next);
    return Object.fromEntries(entries.map(([k, child]) => [k, walk(child)]));
  };
  return walk(value) as T;
}
