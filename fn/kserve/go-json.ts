// JSON exactly as Go's encoding/json.Marshal writes a map[string]string: keys in byte order, compact,
// and <, >, & (and U+2028/U+2029) escaped, since KServe hands STORAGE_OVERRIDE_CONFIG over as such.

export function goJsonMarshalStringMap(map: Readonly<Record<string, string>>): string {
  const keys = Object.keys(map).sort(byteOrder);
  return `{${keys.map((k) => `${goString(k)}:${goString(map[k])}`).join(',')}}`;
}

/** Go sorts map keys by their UTF-8 bytes; JS compares UTF-16 code units. They differ above U+FFFF only. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
