// The generated objects a `render --out` folder holds from the last render: what the cluster has, as
// far as Git knows, and so what the next apply updates.
import { isMap } from 'yaml';
import { OWNER_LABEL, OWNER_VALUE, PATH } from '../krm/annotations';
import type { KObject } from '../krm/objects';
import { isPlainObject, labelOf, mapOf } from '../krm/objects';
import { readYamlStream, toPlainObject } from '../krm/yaml-read';

/**
 * Objects carrying our ownership label, annotated with their file; a file that does not parse is
 * skipped (it is rewritten anyway).
 */
export function committedGenerated(files: ReadonlyMap<string, string>, out: string): KObject[] {
  const objects: KObject[] = [];
  for (const [path, text] of files) {
    if (!path.endsWith('.yaml')) continue;
    const { docs, problem } = readYamlStream(text);
    if (problem) continue;
    for (const doc of docs) {
      if (!isMap(doc.contents)) continue;
      const plain = toPlainObject(doc.contents, doc);
      if (!('object' in plain) || labelOf(plain.object, OWNER_LABEL) !== OWNER_VALUE) continue;
      const object = plain.object;
      const metadata = object.metadata;
      if (isPlainObject(metadata)) {
        const annotations = mapOf(metadata.annotations);
        metadata.annotations = { ...annotations, [PATH]: `${out}/${path}` };
      }
      objects.push(object);
    }
  }
  return objects;
}
