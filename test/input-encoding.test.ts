// Input that is not UTF-8 is refused in every mode of the command line: the file (or stdin) and
// the byte offset for invalid UTF-8, the encoding's name for a UTF-16 or UTF-32 byte-order mark.
// Nothing is printed or written, and nothing is ever decoded to U+FFFD.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { InProcessResult } from './support/in-process';
import { runInProcess } from './support/in-process';

const MANIFEST = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: city\ndata:\n  name: ';
const LIST =
  'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  data:\n    name: ';

const utf16 = (text: string, bigEndian: boolean) => {
  const le = Buffer.from(text, 'utf16le');
  return bigEndian ? Buffer.from(le.map((_, i) => le[i ^ 1])) : le;
};
const utf32 = (text: string, bigEndian: boolean) =>
  Buffer.concat(
    [...text].map((c) => {
      const b = Buffer.alloc(4);
      if (bigEndian) b.writeUInt32BE(c.codePointAt(0) as number);
      else b.writeUInt32LE(c.codePointAt(0) as number);
      return b;
    }),
  );

interface Case {
  name: string;
  bytes: (text: string) => Buffer;
  /** What the message must say, given where the value starts. */
  says: (offsetOfValue: number, line: number) => RegExp;
}

const CASES: Case[] = [
  {
    name: 'Latin-1 Zürich',
    bytes: (text) => Buffer.concat([Buffer.from(text), Buffer.from('Z\xfcrich\n', 'latin1')]),
    says: (at, line) => new RegExp(`is not UTF-8 text: byte ${at + 1} \\(line ${line}\\) is 0xFC`),
  },
  {
    name: 'a truncated UTF-8 sequence',
    bytes: (text) => Buffer.concat([Buffer.from(text), Buffer.from([0xe2, 0x82]), Buffer.from('\n')]),
    says: (at, line) => new RegExp(`is not UTF-8 text: byte ${at} \\(line ${line}\\) is 0xE2`),
  },
  {
    name: 'an encoded surrogate',
    bytes: (text) => Buffer.concat([Buffer.from(text), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\n')]),
    says: (at, line) => new RegExp(`is not UTF-8 text: byte ${at} \\(line ${line}\\) is 0xED`),
  },
  ...(['UTF-16LE', 'UTF-16BE', 'UTF-32LE', 'UTF-32BE'] as const).map(
    (encoding): Case => ({
      name: `${encoding} with its byte-order mark`,
      bytes: (text) =>
        (encoding.startsWith('UTF-16') ? utf16 : utf32)(`\ufeff${text}Zürich\n`, encoding.endsWith('BE')),
      says: () => new RegExp(`is ${encoding} text \\(it starts with the ${encoding} byte-order mark\\)`),
    }),
  ),
  {
    name: 'UTF-16LE without a byte-order mark',
    bytes: (text) => utf16(`${text}Zürich\n`, false),
    says: () => /looks like UTF-16LE text without a byte-order mark/,
  },
];

const root = mkdtempSync(join(tmpdir(), 'input-encoding-'));
after(() => rmSync(root, { recursive: true, force: true }));

const run = (args: string[], input?: Buffer, env: Record<string, string> = {}) => runInProcess(args, { input, env });

function assertRefused(result: InProcessResult, where: string, says: RegExp): void {
  assert.equal(result.status, 1, result.stderr);
  const stderr = result.stderr;
  assert.match(stderr, new RegExp(`error: ${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
  assert.match(stderr, says);
  assert.doesNotMatch(stderr, /^\s+at \S/m);
  assert.doesNotMatch(result.stdout, /\ufffd|Z.rich/);
}

describe('input that is not UTF-8 is refused in every mode', () => {
  CASES.forEach((c, i) => {
    const pkg = join(root, `pkg-${i}`);
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'good.yaml'), `${MANIFEST}Basel\n`);
    const file = join(pkg, 'city.yaml');
    writeFileSync(file, c.bytes(MANIFEST));

    it(`${c.name}: KRM mode (stdin)`, async () => {
      const result = await run([], c.bytes(LIST));
      assertRefused(result, 'the input on stdin', c.says(Buffer.byteLength(LIST), 7));
      assert.match(result.stdout, /^items: \[\]$/m);
    });
    it(`${c.name}: render`, async () => {
      const result = await run(['render', pkg]);
      assertRefused(result, file, c.says(Buffer.byteLength(MANIFEST), 6));
      assert.equal(result.stdout, '');
    });
    it(`${c.name}: render --argocd`, async () => {
      const result = await run(['render', '--argocd', pkg], undefined, { ARGOCD_APP_NAME: 'app' });
      assertRefused(result, file, c.says(Buffer.byteLength(MANIFEST), 6));
      assert.equal(result.stdout, '');
    });
    it(`${c.name}: render --out`, async () => {
      const out = join(root, `out-${i}`);
      const result = await run(['render', pkg, '--out', out]);
      assertRefused(result, file, c.says(Buffer.byteLength(MANIFEST), 6));
      assert.equal(existsSync(join(out, 'kustomization.yaml')), false, 'nothing written');
    });
  });
});
