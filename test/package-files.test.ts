// Which files of a package folder `render` reads: `.krmignore` (kpt's convention) keeps files out,
// kustomize's own files are never resources, and any other YAML that is not a resource is an error
// that names the file and the way out.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseKrmignore } from '../fn/modes/krmignore';
import { cache, node, nodeGroup } from './support/fixtures';
import { runInProcess } from './support/in-process';
import { parseStream, tempDir } from './support/integrations';

function packageDir(files: Record<string, string>): string {
  const dir = tempDir('package-files');
  const all: Record<string, string> = {
    'models.yaml': [cache('llama', 'hf://meta/llama'), nodeGroup('workers'), node('gpu-1')]
      .map((o) => stringify(o))
      .join('---\n'),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const MKDOCS = 'site_name: Models\nnav:\n  - index.md\n';

describe('package files: .krmignore, kustomization files, files that are not resources', () => {
  it('an untyped kustomization.yaml (the form kustomize writes) is not read as a resource', async () => {
    const dir = packageDir({ 'kustomization.yaml': 'resources:\n  - models.yaml\n' });
    const r = await runInProcess(['render', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(parseStream(r.stdout).some((o) => o.kind === 'Job'));
  });

  it('a YAML file that is not a resource is an error naming the file and .krmignore', async () => {
    const dir = packageDir({ 'docs/mkdocs.yml': MKDOCS });
    const r = await runInProcess(['render', dir]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: docs\/mkdocs\.yml is not a Kubernetes resource \(no apiVersion and no kind\);/);
    assert.match(r.stderr, /list it in a \.krmignore file/);
  });

  it('a list at the top of a file is the same error', async () => {
    const r = await runInProcess(['render', packageDir({ 'values.yaml': '- a\n- b\n' })]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /values\.yaml is not a Kubernetes resource \(not a YAML mapping\).*\.krmignore/);
  });

  it('.krmignore keeps the files it names out, also in sub-folders with their own .krmignore', async () => {
    const dir = packageDir({
      '.krmignore': '# kpt-style\ndocs/\n',
      'docs/mkdocs.yml': MKDOCS,
      'chart/.krmignore': 'values*.yaml\n',
      'chart/values.yaml': 'replicas: 2\n',
    });
    const r = await runInProcess(['render', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(parseStream(r.stdout).some((o) => o.kind === 'Job'));
  });

  it('the patterns are read as .gitignore reads them', () => {
    const ignored = parseKrmignore(
      [
        '# comment',
        '',
        '*.md.yaml',
        '/top.yaml',
        'build/',
        'a/**/z.yaml',
        '!keep.md.yaml',
        'f?.yaml',
        '[xy].yaml',
      ].join('\n'),
    );
    const cases: [string, boolean, boolean][] = [
      ['notes.md.yaml', false, true],
      ['deep/notes.md.yaml', false, true],
      ['keep.md.yaml', false, false],
      ['top.yaml', false, true],
      ['sub/top.yaml', false, false],
      ['build', true, true],
      ['build', false, false],
      ['sub/build', true, true],
      ['a/z.yaml', false, true],
      ['a/b/c/z.yaml', false, true],
      ['b/a/z.yaml', false, false],
      ['f1.yaml', false, true],
      ['f12.yaml', false, false],
      ['x.yaml', false, true],
      ['z.yaml', false, false],
      ['models.yaml', false, false],
    ];
    for (const [path, isFolder, expected] of cases)
      assert.equal(ignored(path, isFolder), expected, `${path}${isFolder ? '/' : ''}`);
  });
});
