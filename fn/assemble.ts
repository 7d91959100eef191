// Puts the output together: generated objects marked and placed in files, everything in one stable order
// whatever the order of the input. (Earlier output was set aside when the input was indexed.)
import { createHash } from 'node:crypto';
import { INDEX, OWNER_LABEL, OWNER_VALUE, PATH } from './krm/annotations';
import type { KObject } from './krm/objects';
import { nameOf, namespaceOf } from './krm/objects';
import { compareStrings } from './krm/order';
import { fileOf } from './krm/report';

/** The kinds this function generates, in the order they are output (and applied). */
export const GENERATED_KIND_ORDER = [
  'Namespace',
  'ConfigMap',
  'ServiceAccount',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Job',
  'DaemonSet',
];

/** `<outputDir>/<namespace or _cluster>/<kind>_<name>.yaml`: one object a file, so diffs stay small. */
function generatedPath(outputDir: string, o: KObject): string {
  return `${outputDir}/${objectFile(o)}`;
}

/**
 * `<namespace or _cluster>/<kind>_<name>.yaml`, the layout kpt users and `render --out` share. A
 * character a file name cannot safely hold (`/`, `..` in a namespace) becomes `_`: never a path outside.
 * A name too long for a file system is shortened (see fileName); the object inside keeps its full name.
 */
export function objectFile(o: KObject): string {
  const folder = fileName(safeSegment(namespaceOf(o)) || '_cluster', '');
  return `${folder}/${fileName(safeSegment(`${(o.kind ?? '').toLowerCase()}_${nameOf(o)}`), '.yaml')}`;
}

const safeSegment = (s: string): string =>
  s.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length));

/** The longest file name ext4, XFS, Btrfs, APFS and NTFS accept (a valid PV name is up to 253 characters). */
export const MAX_FILE_NAME_BYTES = 255;
const NAME_HASH_LENGTH = 10;

/**
 * `stem + suffix`, or when that is over MAX_FILE_NAME_BYTES, the stem cut short and ended by a hash of
 * the whole stem: the same name always gives the same file, and two long names sharing a prefix do
 * not collide. Safe segments are ASCII, so a character is a byte.
 */
function fileName(stem: string, suffix: string): string {
  if (stem.length + suffix.length <= MAX_FILE_NAME_BYTES) return stem + suffix;
  const hash = createHash('sha256').update(stem).digest('hex').slice(0, NAME_HASH_LENGTH);
  return `${stem.slice(0, MAX_FILE_NAME_BYTES - suffix.length - NAME_HASH_LENGTH - 1)}-${hash}${suffix}`;
}

/** Ownership label and file annotations; the object is new, so mutating it is safe. */
export function markGenerated(o: KObject, outputDir: string): KObject {
  o.metadata ??= {};
  const metadata = o.metadata;
  metadata.labels = { ...metadata.labels, [OWNER_LABEL]: OWNER_VALUE };
  metadata.annotations = { ...metadata.annotations, [PATH]: generatedPath(outputDir, o), [INDEX]: '0' };
  return o;
}

export function sortGenerated(objects: KObject[]): KObject[] {
  const kindRank = (o: KObject) => GENERATED_KIND_ORDER.indexOf(o.kind ?? '');
  return objects.sort(
    (a, b) =>
      kindRank(a) - kindRank(b) ||
      compareStrings(namespaceOf(a), namespaceOf(b)) ||
      compareStrings(nameOf(a), nameOf(b)),
  );
}

/**
 * Input items by file and position when tools gave them one (kpt, kustomize), the rest by kind,
 * namespace and name; identical keys fall back to content, so shuffled input gives the same order.
 */
export function sortPassThrough(items: readonly KObject[]): KObject[] {
  const decorated = items.map((o) => {
    const file = fileOf(o);
    return { o, path: file?.path, index: file?.index ?? 0 };
  });
  const content = new Map<KObject, string>();
  const contentOf = (o: KObject) => {
    const known = content.get(o);
    if (known !== undefined) return known;
    const s = JSON.stringify(o);
    content.set(o, s);
    return s;
  };
  decorated.sort((a, b) => {
    if (a.path !== undefined && b.path === undefined) return -1;
    if (a.path === undefined && b.path !== undefined) return 1;
    const byFile = a.path !== undefined ? compareStrings(a.path, b.path as string) || a.index - b.index : 0;
    return (
      byFile ||
      compareStrings(a.o.kind ?? '', b.o.kind ?? '') ||
      compareStrings(namespaceOf(a.o), namespaceOf(b.o)) ||
      compareStrings(nameOf(a.o), nameOf(b.o)) ||
      compareStrings(contentOf(a.o), contentOf(b.o))
    );
  });
  return decorated.map((d) => d.o);
}
