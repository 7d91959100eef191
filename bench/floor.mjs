// The floor of any YAML-based KRM function: what a bare Node process must do with the same library to
// read this input and print this output, and nothing else. Bundled by bench.ts with the same esbuild
// settings as the function, so both load the same yaml code the same way.
//
//   node floor.cjs INPUT.yaml OUTPUT.json 'SETTINGS-JSON' > output.yaml
//
// 1. read INPUT.yaml, parseDocument with the function's parse options, toJS every item (what the
//    function must do to see plain objects);
// 2. load OUTPUT.json: the function's own output ResourceList as plain data, converted by the harness
//    before any timing. This stands in for computing the output, which the floor does not do; its cost
//    (read + JSON.parse) is measured here and reported on stderr so the harness subtracts it;
// 3. print that object graph with the function's createNode and toString options, item by item (one
//    small document per item, then the item's lines cut out of it), written in batches of 64 KiB.
//    This is the cheapest way this library has to print a long list: one document for the whole list
//    keeps every node alive at once and builds one giant string, which costs about a quarter more
//    time and twice the memory; `directives: false` skips a walk of every node that looks for tag
//    directives a fresh document never has. The harness checks the bytes equal the function's.
import { readFileSync } from 'node:fs';
import { Document, isMap, isSeq, parseDocument } from 'yaml';

const [inputPath, outputJsonPath, settingsJson] = process.argv.slice(2);
const settings = JSON.parse(settingsJson);

const input = parseDocument(readFileSync(inputPath, 'utf8'), settings.parse);
if (input.errors.length > 0) throw input.errors[0];
const items = isMap(input.contents) ? input.contents.get('items', true) : undefined;
const plain = isSeq(items) ? items.items.map((node) => node.toJS(input, settings.toJS)) : [];
if (plain.length === 0) throw new Error('no items in the input');

const started = performance.now();
const output = JSON.parse(readFileSync(outputJsonPath, 'utf8'));
const excludedMs = performance.now() - started;

const doc = new Document(null, { version: '1.1' });
const print = (contents) => {
  doc.contents = doc.createNode(contents, settings.createNode);
  return doc.toString({ ...settings.toString, directives: false });
};
let pending = '';
const write = (text) => {
  pending += text;
  if (pending.length >= 1 << 16) {
    process.stdout.write(pending);
    pending = '';
  }
};
const { apiVersion, kind, items: outputItems, ...tail } = output;
write(print({ apiVersion, kind }));
if (outputItems.length === 0) write(print({ items: [] }));
else {
  write('items:\n');
  for (const item of outputItems) write(print({ items: [item] }).slice('items:\n'.length));
}
if (Object.keys(tail).length > 0) write(print(tail));
process.stdout.write(pending);
process.stderr.write(`excluded-ms ${excludedMs}\n`);
