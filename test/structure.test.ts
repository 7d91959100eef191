// The module structure of fn/ (docs/architecture.md, "Layers"): every import points at the same layer or
// a lower one, and no file reaches itself through its imports. Type-only imports count: a type is as
// much a dependency for the reader as a function.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const FN = resolve(__dirname, '..', 'fn');

/** Lowest first. A file's layer is that of the longest prefix of its path under fn/. */
const LAYERS: readonly (readonly string[])[] = [
  ['krm/', 'k8s/', 'steps/'],
  ['kserve/'],
  ['inputs/'],
  ['names/', 'credentials/'],
  ['validate/'],
  ['plan/'],
  ['manifests/'],
  ['gitops/'],
  ['notes/'],
  ['assemble.ts', 'compile.ts'],
  ['status/', 'cli/'],
  ['modes/'],
  ['main.ts'],
];

function layerOf(file: string): number {
  const path = relative(FN, file);
  const layer = LAYERS.findIndex((prefixes) => prefixes.some((p) => path === p || path.startsWith(p)));
  assert.notEqual(layer, -1, `fn/${path} is in no layer: add its folder to LAYERS in test/structure.test.ts`);
  return layer;
}

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** The fn/ files a file imports, type-only imports included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+'(\.{1,2}\/[^']+)'/g)].map(
    (m) => m[1],
  );
  return specifiers.map((s) => {
    const base = resolve(dirname(file), s);
    const candidates = [`${base}.ts`, `${base}.d.ts`, join(base, 'index.ts')];
    const found = candidates.find((c) => FILES.has(c));
    return found ?? base;
  });
}

const FILES = new Set(sources(FN));
const GRAPH = new Map([...FILES].map((f) => [f, importsOf(f).filter((i) => FILES.has(i))]));

test('every import of fn/ points at its own layer or a lower one', () => {
  const upward = [...GRAPH].flatMap(([file, imports]) =>
    imports
      .filter((i) => layerOf(i) > layerOf(file))
      .map((i) => `fn/${relative(FN, file)} imports fn/${relative(FN, i)}, a higher layer`),
  );
  assert.deepEqual(upward, []);
});

test('no file of fn/ imports itself through other files', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(FN, f)).join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const i of GRAPH.get(file) ?? []) visit(i, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of GRAPH.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});

test('the structure check reads the imports it judges', () => {
  // A parser that found no imports would pass both tests above: compile.ts imports every stage.
  const compile = GRAPH.get(join(FN, 'compile.ts')) ?? [];
  for (const stage of ['inputs/', 'validate/', 'plan/', 'manifests/', 'gitops/'])
    assert.ok(
      compile.some((i) => relative(FN, i).startsWith(stage)),
      `compile.ts imports nothing from fn/${stage}`,
    );
  assert.ok(layerOf(join(FN, 'krm', 'objects.ts')) < layerOf(join(FN, 'compile.ts')));
});

test('only fn/main.ts touches the process: the modes get their streams, stdin and env as arguments', () => {
  // Tests run the command line in process (test/support/in-process.ts) on that promise: a mode that read
  // process.env or wrote to process.stdout would behave differently there than in the binary.
  const PROCESS = /\bprocess\.(stdout|stderr|stdin|env|argv|exit|exitCode|chdir|cwd|umask|on|once)\b|\bconsole\./;
  const MAIN = join(FN, 'main.ts');
  const touching = [...FILES]
    .filter((f) => f !== MAIN)
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `fn/${relative(FN, f)}:${i + 1}` }))
        .filter(({ line }) => !/^\s*(\/\/|\/\*|\*)/.test(line) && PROCESS.test(line))
        .map(({ at }) => at),
    );
  assert.deepEqual(touching, []);
  const stdinReaders = [...GRAPH]
    .filter(([, imports]) => imports.includes(join(FN, 'krm', 'stdin.ts')))
    .map(([f]) => `fn/${relative(FN, f)}`);
  assert.deepEqual(stdinReaders, ['fn/main.ts'], 'only main.ts reads the real stdin');
});
