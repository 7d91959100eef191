// `npm run status:update`: rewrites each testdata/status-*/ case from its scenario.yaml: the kubectl dump
// made from the function's render of the case's package (test/support/cluster-dump.ts), and what
// `status` prints for it, as text and as JSON. Review the diff before committing it.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDump, readScenario } from '../test/support/cluster-dump';
import { statusCases } from '../test/support/status-cases';

for (const { name, dir } of statusCases()) {
  writeFileSync(join(dir, 'cluster.json'), clusterDump(dir));
  const packageDir = join(dir, readScenario(dir).package);
  for (const [file, extra] of [
    ['status.txt', []],
    ['status.json', ['-o', 'json']],
  ] as const) {
    const result = spawnSync(
      process.execPath,
      ['dist/kserve-localmodel-fn.js', 'status', packageDir, '--cluster', join(dir, 'cluster.json'), ...extra],
      { encoding: 'utf8' },
    );
    if (result.stderr) throw new Error(`${name}: ${result.stderr}`);
    writeFileSync(join(dir, file), result.stdout);
  }
  console.log(`${name}: ${readdirSync(dir).join(', ')}`);
}
