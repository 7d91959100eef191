// kpt hands a file's leading comment to the function inside the item's first line (`- # comment`)
// and puts it back on the item's first key when it writes the file. `yaml` prints a node's own
// comment before the `-` instead, which kpt reads as a second comment: every render would then copy
// the file's header comment once more. Moving it onto the first key prints it where kpt had it.
import type { Node as YamlNode } from 'yaml';
import { isMap, isNode } from 'yaml';

export function keepLeadingCommentInside(node: YamlNode): void {
  if (!isMap(node) || !node.commentBefore) return;
  const first = node.items[0]?.key;
  if (!isNode(first)) return;
  first.commentBefore = first.commentBefore ? `${node.commentBefore}\n${first.commentBefore}` : node.commentBefore;
  node.commentBefore = undefined;
}
