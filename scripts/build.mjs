// Bundles the function into one file, so the bin and the container image start without a module graph.

import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

const outfile = 'dist/kserve-localmodel-fn.js';
await build({
  entryPoints: ['fn/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
