// `npm run bench -- --against REF`: the bench's arguments. What it measures is not tested here: no
// timing is asserted anywhere, on a shared 2-core machine it would only flake.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBenchArgs } from '../bench/against';

const refusal = (argv: string[]): string => {
  const result = parseBenchArgs(argv);
  assert.ok(result instanceof Error, `${JSON.stringify(argv)} was taken`);
  return result.message;
};

describe('npm run bench arguments', () => {
  it('no argument: ours against the floors only', () => {
    assert.deepEqual(parseBenchArgs([]), {});
  });

  it('--against REF and --against=REF name the ref to build beside ours', () => {
    assert.deepEqual(parseBenchArgs(['--against', '6e3bfc7']), { against: '6e3bfc7' });
    assert.deepEqual(parseBenchArgs(['--against=origin/main']), { against: 'origin/main' });
    assert.deepEqual(parseBenchArgs(['--against=HEAD~2']), { against: 'HEAD~2' });
  });

  it('refuses, in one line with the usage, what it does not know', () => {
    for (const [argv, says] of [
      [['--against'], '--against needs a git ref'],
      [['--against='], '--against needs a git ref'],
      [['--against', '--other'], 'not "--other"'],
      [['--against', 'a', '--against', 'b'], 'given twice'],
      [['main'], 'unknown argument "main"'],
      [['--agianst', 'main'], 'unknown argument "--agianst"'],
    ] as const) {
      const message = refusal([...argv]);
      assert.ok(message.includes(says), message);
      assert.ok(message.endsWith('usage: npm run bench [-- --against <git ref>]'), message);
      assert.ok(!message.includes('\n'), message);
    }
  });
});
