// Validation of the input before anything is planned: schema checks, then semantic checks, as results.
// Semantic checks read only objects that passed their schema; references are resolved against all.
import type { KObject } from '../krm/objects';
import type { Result } from '../krm/results';
import { capacityResults } from './capacity';
import type { CheckContext } from './context';
import { duplicateResults } from './duplicates';
import { generatedValueResults } from './generated-values';
import { localConfigResults } from './local-config';
import { nameResults } from './names-and-limits';
import { nodeGroupResults } from './node-groups';
import { referenceResults } from './references';
import { schemaResults } from './schema';
import { serveOnlyWhenReadyResults } from './serve-only-when-ready';
import { uriResults } from './uris';

/** Schema checks, then every semantic check on the objects that passed theirs. */
export function validate(items: readonly KObject[], read: Omit<CheckContext, 'sound'>): Result[] {
  const schema = schemaResults(items, read.inputs, read.fnConfigObject);
  const ctx: CheckContext = { ...read, sound: (o) => !schema.broken.has(o) };
  return [
    ...schema.results,
    ...localConfigResults(ctx, items),
    ...referenceResults(ctx),
    ...nodeGroupResults(ctx),
    ...capacityResults(ctx),
    ...nameResults(ctx),
    ...generatedValueResults(ctx),
    ...uriResults(ctx),
    ...serveOnlyWhenReadyResults(ctx),
    ...duplicateResults(ctx, items),
  ];
}
