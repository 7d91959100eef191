// A folder of YAML files as ResourceList items, and items back as a plain multi-document stream: the
// `render` command's view of the same data KRM mode gets from kpt.
import type { Node as YamlNode } from 'yaml';
import { Document, isMap, isScalar } from 'yaml';
import { INDEX, LEGACY_INDEX, LEGACY_PATH, LOCAL_CONFIG, PATH } from './annotations';
import { InputError, MAX_INPUT_BYTES, tooLargeMessage } from './input-error';
import { keepDocumentComments, keepKeyLineComments } from './item-comments';
import type { KObject } from './objects';
import { annotationOf, groupOf, isPlainObject, mapOf } from './objects';
import type { ParsedResourceList } from './resource-list';
import { removeServerFields } from './server-fields';
import { formatYamlProblem, readYamlStream, toPlainObject } from './yaml-read';
import { CREATE_NODE_OPTIONS, OUTPUT_DOCUMENT_OPTIONS, TO_STRING_OPTIONS } from './yaml-settings';

export interface SourceFile {
  /** Slash-separated, relative to the package root. */
  path: string;
  text: string;
}

/** Every document of every file becomes an item annotated with its file and position, as kpt does. */
export function parseFiles(files: readonly SourceFile[]): ParsedResourceList {
  const total = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  if (total > MAX_INPUT_BYTES) {
    throw new InputError([{ severity: 'error', message: tooLargeMessage(`${total} bytes`) }]);
  }
  const items: KObject[] = [];
  const nodes = new Map<KObject, YamlNode>();
  for (const file of files) {
    const { docs, problem } = readYamlStream(file.text);
    if (problem) {
      throw new InputError([
        { severity: 'error', message: formatYamlProblem(problem), file: { path: file.path, index: problem.document } },
      ]);
    }
    docs.forEach((doc, index) => {
      const root = doc.contents;
      if (root === null || (isScalar(root) && root.value === null)) return; // an empty document, e.g. after a final `---`
      // A file that is not a manifest (mkdocs.yml, a chart's values.yaml) is kept out by `.krmignore`.
      if (!isMap(root) || (!root.has('apiVersion') && !root.has('kind'))) {
        throw new InputError([
          {
            severity: 'error',
            message: `${file.path} is not a Kubernetes resource (${isMap(root) ? 'no apiVersion and no kind' : 'not a YAML mapping'}); render reads every YAML file under the folder. If the file is not a manifest, list it in a .krmignore file (kpt's convention, written like .gitignore) in the package folder`,
            file: { path: file.path, index },
          },
        ]);
      }
      keepKeyLineComments(root);
      removeServerFields(root);
      keepDocumentComments(doc, root);
      const plain = toPlainObject(root, doc);
      if ('problem' in plain)
        throw new InputError([{ severity: 'error', message: plain.problem, file: { path: file.path, index } }]);
      const object = plain.object;
      // On the object only: results and ordering use them; the printed node stays as the user wrote it.
      if (isPlainObject(object.metadata ?? {})) {
        object.metadata ??= {};
        const metadata = object.metadata;
        metadata.annotations = {
          ...mapOf(metadata.annotations),
          [PATH]: file.path,
          [INDEX]: String(index),
        };
      }
      items.push(object);
      nodes.set(object, root);
    });
  }
  return { items, nodes };
}

/** Client-side objects: never applied to a cluster (kpt's Kptfile, function configs, a node inventory). */
export const isLocalConfig = (o: KObject): boolean =>
  annotationOf(o, LOCAL_CONFIG) === 'true' || groupOf(o) === 'kpt.dev' || groupOf(o) === 'kustomize.config.k8s.io';

const FILE_ANNOTATIONS = [
  PATH,
  INDEX,
  LEGACY_PATH,
  LEGACY_INDEX,
  'internal.config.kubernetes.io/id',
  'internal.config.kubernetes.io/seqindent',
  'config.k8s.io/id',
  'kustomize.config.k8s.io/id',
];

/** A plain `---`-separated stream of manifests to apply, without the tools' file annotations. */
export function stringifyManifests(items: readonly KObject[], nodes: ReadonlyMap<KObject, YamlNode>): string {
  return items
    .map((o) => {
      const doc = new Document(null, OUTPUT_DOCUMENT_OPTIONS);
      const node = (nodes.get(o) ?? doc.createNode(o, CREATE_NODE_OPTIONS)).clone() as YamlNode;
      doc.contents = node;
      const annotations = doc.getIn(['metadata', 'annotations']);
      if (isMap(annotations)) {
        for (const key of FILE_ANNOTATIONS) annotations.delete(key);
        if (annotations.items.length === 0) doc.deleteIn(['metadata', 'annotations']);
      }
      return doc.toString(TO_STRING_OPTIONS);
    })
    .join('---\n');
}
