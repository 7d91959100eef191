// Input is UTF-8, as YAML for Kubernetes and kpt require. Bytes that are not are refused with their
// offset, never decoded to U+FFFD: a Latin-1 `Zürich` would otherwise pass through as `Z�rich`.
import { isUtf8 } from 'node:buffer';

/** Longest first: UTF-32 little-endian starts with UTF-16 little-endian's mark. */
const BYTE_ORDER_MARKS: readonly { bytes: readonly number[]; name: string }[] = [
  { bytes: [0x00, 0x00, 0xfe, 0xff], name: 'UTF-32BE' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], name: 'UTF-32LE' },
  { bytes: [0xfe, 0xff], name: 'UTF-16BE' },
  { bytes: [0xff, 0xfe], name: 'UTF-16LE' },
];

/** The text, or what is wrong with the bytes, as the end of a sentence that starts with the input's name. */
export function decodeUtf8(bytes: Buffer): { text: string } | { problem: string } {
  const mark = BYTE_ORDER_MARKS.find((m) => m.bytes.every((b, i) => bytes[i] === b));
  if (mark) {
    return {
      problem: `is ${mark.name} text (it starts with the ${mark.name} byte-order mark); YAML for Kubernetes is UTF-8: convert it, e.g. iconv -f ${mark.name} -t UTF-8`,
    };
  }
  // YAML's own rule for a stream without a mark: a NUL among the first bytes is UTF-16 or UTF-32.
  const unmarked = unmarkedEncoding(bytes);
  if (unmarked)
    return {
      problem: `looks like ${unmarked} text without a byte-order mark (it has NUL bytes); YAML for Kubernetes is UTF-8: convert it, e.g. iconv -f ${unmarked} -t UTF-8`,
    };
  if (isUtf8(bytes)) return { text: bytes.toString('utf8') };
  const offset = firstInvalidByte(bytes);
  const line = bytes.subarray(0, offset).filter((b) => b === 0x0a).length + 1;
  const hex = bytes[offset].toString(16).toUpperCase().padStart(2, '0');
  return {
    problem: `is not UTF-8 text: byte ${offset} (line ${line}) is 0x${hex}, which is not valid UTF-8 there (Latin-1 or Windows-1252 text?); save it as UTF-8, e.g. iconv -f LATIN1 -t UTF-8`,
  };
}

function unmarkedEncoding(b: Buffer): string | undefined {
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0) return 'UTF-32BE';
  if (b.length >= 4 && b[1] === 0 && b[2] === 0 && b[3] === 0) return 'UTF-32LE';
  if (b.length >= 2 && b[0] === 0) return 'UTF-16BE';
  if (b.length >= 2 && b[1] === 0) return 'UTF-16LE';
  return undefined;
}

/**
 * Offset of the first byte that breaks RFC 3629 (overlong forms, surrogates and code points past
 * U+10FFFF included).
 */
function firstInvalidByte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] < 0x80) {
      i++;
      continue;
    }
    const sequence = sequenceOf(bytes[i]);
    if (!sequence) return i;
    const [length, low, high] = sequence;
    if (i + length > bytes.length || bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k < length; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    i += length;
  }
  return i;
}

/** For a lead byte: its sequence's length and the range its second byte must lie in (RFC 3629, section 4). */
function sequenceOf(lead: number): [number, number, number] | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return undefined;
}
