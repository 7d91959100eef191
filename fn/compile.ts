// The pure core, as the pipeline it is: input items and function config in, output items and results
// out. No I/O, no clock, no randomness, nothing that depends on the order of the input.
//
//   index → configs → validate → containers → plan → notes → build → assemble → gates
//
// Each stage reads what the ones before it worked out and works out nothing they already did.
import { markGenerated, sortGenerated, sortPassThrough } from './assemble';
import { immutableChanges } from './gitops/immutable';
import { strictResults } from './gitops/strict';
import { readConfigs } from './inputs/configs';
import type { FnConfig } from './inputs/fn-config';
import { indexInputs } from './inputs/index-inputs';
import type { KObject } from './krm/objects';
import type { Result } from './krm/results';
import { hasErrors, sortResults } from './krm/results';
import { downloadContainers } from './manifests/download-containers';
import { buildManifests } from './manifests/generate';
import { planNotes } from './notes';
import { plan } from './plan/plan';
import type { Plan } from './plan/types';
import { validate } from './validate';

export interface CompileOutput {
  /** Pass-through items (same objects as the input's) followed by the generated ones. */
  items: KObject[];
  results: Result[];
  /** The function config as read (strict mode, the render-only settings). */
  fnConfig: FnConfig;
  /** What was generated and why; absent when an error stopped the output. */
  plan?: Plan;
  /** The generated items, which end `items`; none when an error stopped the output. */
  generated: KObject[];
}

/**
 * `functionConfig`: the one kpt or kustomize gave (else the package's own). `overrides`: fields laid over
 * it, from Argo CD's parameters or `render --strict`.
 */
export function compile(
  items: readonly KObject[],
  functionConfig?: KObject,
  overrides?: Record<string, unknown>,
): CompileOutput {
  // index: each input object by what it means, with the facts every later stage reads (inputs/).
  const inputs = indexInputs(items);
  const passThrough = sortPassThrough(items.filter((o) => !inputs.previousOutput.has(o)));
  // configs: the function config, KServe's config, the node inventory and each group's nodes.
  const configs = readConfigs(inputs, functionConfig, overrides);
  const { fnConfig, config } = configs;
  // validate: every error about the input. Input that fails it is not planned: the later stages rely
  // on what validation guarantees.
  const checked = validate(items, { inputs, ...configs });
  const results = [...configs.results, ...checked];
  if (hasErrors(checked)) return finish(passThrough, [], results, inputs.previousOutput, fnConfig);

  // containers: what each cache downloads with, and the credentials wired into it (credentials/).
  const { containers, results: wiring } = downloadContainers(inputs, config, fnConfig);
  // plan: which volumes, Jobs, DaemonSets and labelers exist, and why (plan/).
  const planned = plan(inputs, config, fnConfig, configs.inventory, configs.groupNodes);
  // notes: what a person must know that the objects cannot say (notes/).
  const notes = planNotes(planned, inputs, config, fnConfig);
  // build: the objects of the plan (manifests/).
  const built = buildManifests(planned, { containers, config, fnConfig, userItems: passThrough });
  results.push(...wiring, ...planned.results, ...notes, ...built.results);

  // assemble: generated objects marked with their files, in one stable order (assemble.ts).
  const generated = sortGenerated(built.objects.map((o) => markGenerated(o, fnConfig.outputDir)));
  return finish(passThrough, generated, results, inputs.previousOutput, fnConfig, planned);
}

/**
 * gates: an immutable field the output would change, and in strict mode any warning, refuse the output
 * (gitops/). Never partial manifests: on an error the input passes through and nothing is generated.
 */
function finish(
  passThrough: KObject[],
  generated: KObject[],
  results: Result[],
  previousOutput: ReadonlySet<KObject>,
  fnConfig: FnConfig,
  planned?: Plan,
): CompileOutput {
  const refused = immutableChanges([...previousOutput], generated);
  const final = sortResults(strictResults([...results, ...refused], fnConfig.strict));
  if (hasErrors(final)) return { items: passThrough, results: final, fnConfig, generated: [] };
  return { items: [...passThrough, ...generated], results: final, fnConfig, plan: planned, generated };
}
