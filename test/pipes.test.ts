// A reader that closes the pipe early (`| head`) is normal for a filter: the built binary stops quietly.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { resourceList } from './support/harness';
import { bundle, run, tempDir } from './support/integrations';

/**
 * ConfigMaps of 250 KiB in all, far more than a pipe's buffer (64 KiB): the writer is still writing
 * when `head` leaves.
 */
const configMaps = () =>
  Array.from({ length: 4 }, (_, n) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `big-${n}`, namespace: 'team-a' },
    data: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`key-${i}`, `value-${i}-${'x'.repeat(50)}`])),
  }));

/** Runs `node bundle() args < input | head -c 100` in a shell: the function's exit code and stderr, and what head got. */
function throughHead(args: string[], input = '/dev/null') {
  const dir = tempDir('pipe');
  const stderr = join(dir, 'stderr');
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const script = `${[process.execPath, bundle(), ...args].map(quote).join(' ')} <${quote(input)} 2>${quote(stderr)} | head -c 100; exit "\${PIPESTATUS[0]}"`;
  const result = run('bash', ['-c', script]);
  return { status: result.status, head: result.stdout, stderr: readFileSync(stderr, 'utf8') };
}

describe('a reader that closes the pipe early', () => {
  test('render DIR | head -c 100: exit 0, no trace on stderr', () => {
    const pkg = tempDir('pipe-pkg');
    writeFileSync(
      join(pkg, 'big.yaml'),
      configMaps()
        .map((o) => stringify(o))
        .join('---\n'),
    );
    const result = throughHead(['render', pkg]);
    assert.equal(result.head.length, 100);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /EPIPE|Unhandled|at /);
    assert.match(result.stderr, /^summary: 4 manifests to apply/);
  });

  test('KRM mode with its output piped into head -c 100: exit 0, no trace on stderr', () => {
    const dir = tempDir('pipe-krm');
    const input = join(dir, 'list.yaml');
    writeFileSync(input, resourceList(configMaps()));
    const result = throughHead([], input);
    assert.equal(result.head.length, 100);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
  });
});
