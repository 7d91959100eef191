// Comments that the yaml library keeps on a document or on the item list, not on an item, and that a
// re-printed item would lose: each goes onto the item it is next to. And the one kpt expects inside.
import type { Document, YAMLMap, YAMLSeq, Node as YamlNode } from 'yaml';
import { isCollection, isMap, isNode, isPair } from 'yaml';

const joined = (...comments: (string | null | undefined)[]): string | undefined =>
  comments.filter((c): c is string => !!c).join('\n') || undefined;

/** A file's comments before its first key and after its last one (at column 0) belong to its object. */
export function keepDocumentComments(doc: Document.Parsed, root: YAMLMap): void {
  root.commentBefore = joined(doc.commentBefore, root.commentBefore);
  root.comment = joined(root.comment, doc.comment);
  doc.commentBefore = null;
  doc.comment = null;
}

/**
 * A ResourceList's comments above its first item go before that item, those after its last item
 * (before the next key, or at the end of the list) after it: the list itself is printed anew. The
 * comment at the end of the list follows the function config when that comes last.
 */
export function keepListComments(doc: Document.Parsed, list: YAMLMap, items: YAMLSeq): void {
  const first = items.items[0];
  const last = items.items[items.items.length - 1];
  const at = list.items.findIndex((pair) => pair.value === items);
  const next = list.items[at + 1]?.key;
  const end = list.items[list.items.length - 1]?.value;
  if (isNode(first)) first.commentBefore = joined(items.commentBefore, first.commentBefore);
  if (isNode(last)) {
    last.comment = joined(last.comment, items.comment, isNode(next) ? next.commentBefore : undefined);
    if (isNode(next)) next.commentBefore = undefined;
  }
  const holder = end === items ? last : end;
  if (isNode(holder) && doc.comment) {
    holder.comment = joined(holder.comment, doc.comment);
    doc.comment = null;
  }
}

/**
 * kpt hands a file's leading comment to the function inside the item's first line (`- # comment`)
 * and puts it back on the item's first key when it writes the file. `yaml` prints a node's own
 * comment before the `-` instead, which kpt reads as a second comment: every render would then copy
 * the file's header comment once more. Moving it onto the first key prints it where kpt had it.
 */
export function keepLeadingCommentInside(node: YamlNode): void {
  if (!isMap(node) || !node.commentBefore) return;
  const first = node.items[0]?.key;
  if (!isNode(first)) return;
  first.commentBefore = first.commentBefore ? `${node.commentBefore}\n${first.commentBefore}` : node.commentBefore;
  node.commentBefore = undefined;
}

/**
 * A comment on a key's own line before a block value (`containers: # the main one`) is held by the
 * parser before the value and printed on a line of its own; kpt keeps it on the key's line. Moving it
 * onto the key prints it where it was written. Runs before any pair is removed: it pairs each key with
 * its source token by position.
 */
export function keepKeyLineComments(root: YamlNode): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isCollection(node)) continue;
    const tokens = isMap(node) && node.srcToken?.type === 'block-map' ? node.srcToken.items : [];
    node.items.forEach((item, i) => {
      if (!isPair(item)) {
        stack.push(item);
        return;
      }
      const { key, value } = item;
      stack.push(value);
      if (!isCollection(value) || !value.commentBefore || !isNode(key)) return;
      const sep = tokens[i]?.sep ?? [];
      const lineEnd = sep.findIndex((t) => t.type === 'newline');
      if (!sep.slice(0, lineEnd).some((t) => t.type === 'comment')) return;
      const [onKeyLine, ...below] = value.commentBefore.split('\n');
      key.comment = joined(key.comment, onKeyLine);
      value.commentBefore = joined(...below);
    });
  }
}
