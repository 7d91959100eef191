// Regenerates every golden case's expected files: `npm run golden:update`. Review the diff before committing.
import { goldenCases, writeGolden } from '../test/support/golden';

for (const c of goldenCases()) {
  writeGolden(c);
  process.stdout.write(`updated testdata/${c.name}\n`);
}
