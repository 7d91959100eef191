// A short, unified-diff-like view of one changed file for `render --check`: the span between the
// first and the last differing line, enough for a reviewer to see what moved, never the whole file.

/**
 * `@@ -start,count +start,count @@` followed by the removed and the added lines of the one span
 * that covers every difference, each side cut after `maxLines` lines.
 */
export function shortDiff(before: string, after: string, maxLines = 12): string[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return [];
  const side = (lines: string[], mark: string): string[] => {
    const shown = lines.slice(0, maxLines).map((l) => `${mark}${l}`);
    return lines.length > maxLines ? [...shown, `${mark}… ${lines.length - maxLines} more lines`] : shown;
  };
  return [
    `@@ -${start + 1},${endA - start} +${start + 1},${endB - start} @@`,
    ...side(a.slice(start, endA), '-'),
    ...side(b.slice(start, endB), '+'),
  ];
}

const splitLines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
