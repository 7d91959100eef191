// `npm run test:unit` runs the test files in a few processes instead of one each: a process that loads
// tsx, yaml, fn/ and the test support costs about half a second of CPU before its first test, which
// for each of ~75 files was a third of the quick loop. Each file of test/shards/ is one process and
// loads its share of test/*.test.ts, one file after the other; the runner keeps two of them going.
// `npm test` still runs every file in a process of its own, so a test that passed here only because
// another file ran first in the same process would fail there.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareStrings } from '../../fn/krm/order';

const TEST = join(__dirname, '..');

/**
 * The test files of each shard: the largest first, each to the shard with the fewest bytes so far, a
 * rough measure of the work. The same set of files always gives the same shards.
 */
export function shardFiles(shards: number): string[][] {
  const files = readdirSync(TEST)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => ({ f, size: statSync(join(TEST, f)).size }))
    .sort((a, b) => b.size - a.size || compareStrings(a.f, b.f));
  const loads = Array.from({ length: shards }, () => ({ size: 0, files: [] as string[] }));
  for (const { f, size } of files) {
    const lightest = loads.reduce((min, l) => (l.size < min.size ? l : min));
    lightest.size += size;
    lightest.files.push(f);
  }
  return loads.map((l) => l.files.sort(compareStrings));
}

/** Loads the test files of the shard `entry` (a file of test/shards/ named by its number). */
export function runShard(entry: string): void {
  // A gap (1.ts, 2.ts, 4.ts) would leave the files of shard 3 unrun: every shard refuses it instead.
  const shards = readdirSync(dirname(entry)).sort(compareStrings);
  const numbered = shards.map((_, i) => `${i + 1}.ts`).sort(compareStrings);
  if (shards.join() !== numbered.join())
    throw new Error(`test/shards/ must hold 1.ts to ${shards.length}.ts and nothing else, not ${shards.join(', ')}`);
  for (const file of shardFiles(shards.length)[Number(basename(entry, '.ts')) - 1]) require(join(TEST, file));
}
