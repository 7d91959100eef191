// argv → command: every combination the README documents, and the mistakes users make.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommand } from '../fn/cli/args';
import { runInProcess } from './support/in-process';

const render = (options: object) => ({
  kind: 'render',
  options: { dir: '.', check: false, argocd: false, allowEmpty: false, strict: false, ...options },
});

describe('parseCommand', () => {
  test('no arguments, or `krm`, is KRM mode (how kpt and kustomize start the function)', () => {
    assert.deepEqual(parseCommand([]), { kind: 'krm' });
    assert.deepEqual(parseCommand(['krm']), { kind: 'krm' });
  });

  test('render with its folder and options, in any order', () => {
    assert.deepEqual(parseCommand(['render']), render({}));
    assert.deepEqual(parseCommand(['render', 'pkg']), render({ dir: 'pkg' }));
    assert.deepEqual(parseCommand(['render', '--argocd', '.']), render({ argocd: true }));
    assert.deepEqual(
      parseCommand(['render', '--out', 'out', 'pkg', '--check']),
      render({ dir: 'pkg', out: 'out', check: true }),
    );
    assert.deepEqual(
      parseCommand(['render', 'pkg', '--out=out', '--allow-empty']),
      render({ dir: 'pkg', out: 'out', allowEmpty: true }),
    );
    assert.deepEqual(parseCommand(['render', '--strict', 'pkg']), render({ dir: 'pkg', strict: true }));
    assert.deepEqual(
      parseCommand(['render', 'pkg', '--out', 'out', '--check', '--strict']),
      render({ dir: 'pkg', out: 'out', check: true, strict: true }),
    );
  });

  test('inventory: a dump file or stdin (none, or -), and --for DIR', () => {
    assert.deepEqual(parseCommand(['inventory']), { kind: 'inventory', options: {} });
    assert.deepEqual(parseCommand(['inventory', '-']), { kind: 'inventory', options: {} });
    assert.deepEqual(parseCommand(['inventory', 'nodes.json', '--for', 'pkg']), {
      kind: 'inventory',
      options: { file: 'nodes.json', forDir: 'pkg' },
    });
    assert.equal(parseCommand(['inventory', 'a.json', 'b.json']).kind, 'usage-error');
    assert.equal(parseCommand(['inventory', '--for']).kind, 'usage-error');
    assert.equal(parseCommand(['inventory', '--out', 'x']).kind, 'usage-error');
  });

  test('help', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['render', '--help']])
      assert.deepEqual(parseCommand(argv), { kind: 'help' }, argv.join(' '));
  });

  test('mistakes are usage errors that say what is wrong', () => {
    const cases: [string[], RegExp][] = [
      [['build'], /unknown command "build"/],
      [['krm', 'extra'], /KRM mode takes no arguments/],
      [['render', 'a', 'b'], /render takes one folder, got 2: a b/],
      [['render', '--check'], /--check compares a folder written by --out; add --out OUT/],
      [['render', '--out'], /--out/],
      [['render', '--out', ''], /--out needs a folder/],
      [['render', '--outdir', 'x'], /Unknown option '--outdir'/],
    ];
    for (const [argv, message] of cases) {
      const command = parseCommand(argv);
      assert.equal(command.kind, 'usage-error', argv.join(' '));
      if (command.kind === 'usage-error') assert.match(command.message, message);
    }
  });
});

describe('the command line: exit codes and messages', () => {
  test('a usage error exits 2 with the usage on stderr; --help prints it on stdout and exits 0', async () => {
    const wrong = await runInProcess(['render', '--check']);
    assert.equal(wrong.status, 2);
    assert.equal(wrong.stdout, '');
    assert.match(wrong.stderr, /^kserve-localmodel-fn: --check compares.*\n\nusage:/);
    const help = await runInProcess(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /kserve-localmodel-fn render \[DIR\] --out OUT \[--check\]/);
  });

  test('render of a folder that does not exist says so, without a stack trace', async () => {
    const result = await runInProcess(['render', 'no/such/folder']);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'error: no/such/folder is not a folder; give the package folder to render\n');
  });
});
