// `.krmignore`: kpt's way to keep files of a package folder out of the function's input, written like
// `.gitignore` (blank lines and `#` comments skipped, `!` re-includes, a trailing `/` means folders
// only, a `/` elsewhere anchors the pattern to the folder holding the file, `*`, `?`, `[…]`, `**`).
// The last pattern that matches a path decides.

export const KRMIGNORE = '.krmignore';

interface Rule {
  pattern: RegExp;
  negated: boolean;
  foldersOnly: boolean;
}

/** Tells whether a path (slash-separated, relative to the folder holding the file) is ignored. */
export type IgnoreTest = (relativePath: string, isFolder: boolean) => boolean;

export function parseKrmignore(text: string): IgnoreTest {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const foldersOnly = line.endsWith('/');
    if (foldersOnly) line = line.replace(/\/+$/, '');
    if (line === '') continue;
    const anchored = line.includes('/');
    const body = globToRegExp(line.replace(/^\//, ''));
    rules.push({ pattern: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`), negated, foldersOnly });
  }
  return (path, isFolder) => {
    let ignored = false;
    for (const rule of rules) {
      if (rule.foldersOnly && !isFolder) continue;
      if (rule.pattern.test(path)) ignored = !rule.negated;
    }
    return ignored;
  };
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
      if (atStart && atEnd) {
        // `**/` is any number of folders (none included); a final `**` is everything below.
        out += i + 2 === glob.length ? '.*' : '(?:.*/)?';
        i += 2;
        continue;
      }
    }
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) out += escapeChar(glob[++i]);
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        const inner = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${inner}]`;
        i = end;
      }
    } else out += escapeChar(c);
  }
  return out;
}

const escapeChar = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
