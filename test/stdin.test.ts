// KRM mode reads stdin with blocking reads (fn/krm/stdin.ts). Every way kpt, kustomize or a shell can
// hand over the input must give the same bytes out.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cache, node, nodeGroup } from './support/fixtures';
import { bundle, findOnPath, run, runFn, tempDir } from './support/integrations';

const INPUT = JSON.stringify({
  apiVersion: 'config.kubernetes.io/v1',
  kind: 'ResourceList',
  items: [nodeGroup('workers'), node('gpu-1'), node('gpu-2'), cache('m', 's3://bucket/m')],
});
const PYTHON = findOnPath('python3');

/** The function with stdin a pipe that is written only after a pause, as a slow producer does. */
function throughSlowPipe(command: string, args: string[]): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  setTimeout(() => child.stdin.end(INPUT), 300);
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout })));
}

describe('KRM mode reads stdin', () => {
  const expected = runFn([], { input: INPUT });

  test('from a pipe: the whole ResourceList', () => {
    assert.equal(expected.status, 0, expected.stderr);
    assert.match(expected.stdout, /kind: Job/);
  });

  test('from a file: the same bytes', () => {
    const file = join(tempDir('stdin'), 'input.yaml');
    writeFileSync(file, INPUT);
    const fromFile = run('sh', ['-c', `"${process.execPath}" "${bundle()}" < "${file}"`]);
    assert.equal(fromFile.stdout, expected.stdout);
  });

  test('from a pipe whose writer is slow: the same bytes', async () => {
    const slow = await throughSlowPipe(process.execPath, [bundle()]);
    assert.equal(slow.status, 0);
    assert.equal(slow.stdout, expected.stdout);
  });

  test('from a pipe someone made non-blocking, written slowly: the same bytes', async (t) => {
    if (!PYTHON) return t.skip('python3 not found on PATH: it makes the pipe non-blocking before starting Node');
    const nonBlocking = 'import os, sys; os.set_blocking(0, False); os.execv(sys.argv[1], sys.argv[1:])';
    const slow = await throughSlowPipe(PYTHON, ['-c', nonBlocking, process.execPath, bundle()]);
    assert.equal(slow.status, 0);
    assert.equal(slow.stdout, expected.stdout);
  });
});
