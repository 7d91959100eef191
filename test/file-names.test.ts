// File names of objects: `<namespace or _cluster>/<kind>_<name>.yaml`, shortened when a valid name
// (a PV name may have 253 characters) would make a file name over 255 bytes, which no common file
// system (nor kpt) can create. Both `render --out` and the KRM path annotation follow the rule.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { MAX_FILE_NAME_BYTES, objectFile } from '../fn/assemble';
import { PATH } from '../fn/krm/annotations';
import type { KObject } from '../fn/krm/objects';
import { cache, node, nodeGroup } from './support/fixtures';
import { errors, generated, runItems } from './support/harness';
import { runInProcess } from './support/in-process';
import { hasKpt, kptPackage, parseStream, snapshot, tempDir } from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const CACHE = 'm'.repeat(63);
/** With the 63-character cache name, the download PV `<cache>-<group>-download` has 253 characters. */
const GROUP = 'g'.repeat(253 - 63 - '--download'.length);
const longPackage = () => [nodeGroup(GROUP), node('gpu-1'), cache(CACHE, 'hf://org/model', [GROUP])];
const DOWNLOAD_PV = `${CACHE}-${GROUP}-download`;

const segments = (path: string) => path.split('/');
const bytes = (s: string) => Buffer.byteLength(s);

describe('file names (pure)', () => {
  const pv = (name: string): KObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name } });

  test('a name that fits is used as it is', () => {
    assert.equal(objectFile(pv('small')), '_cluster/persistentvolume_small.yaml');
    const longest = 'x'.repeat(MAX_FILE_NAME_BYTES - 'persistentvolume_.yaml'.length);
    assert.equal(objectFile(pv(longest)), `_cluster/persistentvolume_${longest}.yaml`);
  });

  test('a 253-character name: cut to 255 bytes with a hash of the whole name; the same name, the same file', () => {
    const file = objectFile(pv(DOWNLOAD_PV));
    const name = basename(file);
    assert.equal(bytes(name), MAX_FILE_NAME_BYTES);
    assert.match(name, /^persistentvolume_m+-g+-[0-9a-f]{10}\.yaml$/);
    assert.equal(objectFile(pv(DOWNLOAD_PV)), file);
    const sibling = `${DOWNLOAD_PV.slice(0, -1)}x`;
    assert.notEqual(objectFile(pv(sibling)), file, 'two long names sharing a prefix do not collide');
  });

  test('an over-long namespace folder is shortened the same way', () => {
    const folder = segments(objectFile({ kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n'.repeat(300) } }))[0];
    assert.equal(bytes(folder), MAX_FILE_NAME_BYTES);
    assert.match(folder, /^n+-[0-9a-f]{10}$/);
  });
});

describe('file names of generated objects', () => {
  test('KRM mode: the path annotation of a 253-character PV has no segment over 255 bytes; the object keeps its name', () => {
    const out = runItems(longPackage());
    assert.deepEqual(errors(out), []);
    const pv = generated(out.items).find((o) => o.metadata?.name === DOWNLOAD_PV);
    assert.ok(pv, 'the 253-character download PV is generated');
    const path = pv.metadata?.annotations?.[PATH] as string;
    assert.match(path, /^generated\/_cluster\/persistentvolume_m+-g+-[0-9a-f]{10}\.yaml$/);
    for (const o of generated(out.items))
      for (const segment of segments(o.metadata?.annotations?.[PATH] as string))
        assert.ok(bytes(segment) <= MAX_FILE_NAME_BYTES, `${segment.length} bytes: ${segment}`);
  });

  test('render --out (real files): the files are written, hold the full names, and a second run changes nothing', async () => {
    const source = tempDir('long-source');
    writeFileSync(
      join(source, 'package.yaml'),
      longPackage()
        .map((o) => stringify(o))
        .join('---\n'),
    );
    const out = join(tempDir('long-out'), 'rendered');
    const first = await runInProcess(['render', source, '--out', out]);
    assert.equal(first.status, 0, first.stderr);
    const files = snapshot(out);
    const pvFile = [...files.keys()].find(
      (p) => parseStream(files.get(p) as string)[0]?.metadata?.name === DOWNLOAD_PV,
    );
    assert.ok(pvFile, 'the 253-character PV is written, under its full name');
    assert.match(pvFile, /^_cluster\/persistentvolume_m+-g+-[0-9a-f]{10}\.yaml$/);
    for (const p of files.keys())
      for (const segment of segments(p)) assert.ok(bytes(segment) <= MAX_FILE_NAME_BYTES, p);
    const second = await runInProcess(['render', source, '--out', out]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /0 added, 0 changed, 0 removed/);
  });

  test('real kpt fn render writes the shortened files (kpt cannot create an over-long name either)', {
    skip: fullSuiteOnly,
  }, (t) => {
    if (!hasKpt(t)) return;
    const { dir, kpt } = kptPackage();
    writeFileSync(
      join(dir, 'long.yaml'),
      longPackage()
        .map((o) => stringify(o))
        .join('---\n'),
    );
    const result = kpt('fn', 'render', '--allow-exec');
    assert.equal(result.status, 0, result.stderr);
    const written = [...snapshot(dir).keys()].filter((p) => p.includes('m'.repeat(63)));
    assert.ok(written.length > 0, 'the long cache generated files');
    for (const p of written) for (const segment of segments(p)) assert.ok(bytes(segment) <= MAX_FILE_NAME_BYTES, p);
  });
});
