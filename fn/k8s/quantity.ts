// Kubernetes resource quantities (`10Gi`, `500M`, `1.5e9`, `100m`): the modelSize of a cache and the
// storageLimit of a node group, read the way the API server reads them.

const BINARY_SUFFIX: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

/** Decimal SI suffixes as powers of ten; `m` (milli) and smaller make fractions. */
const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** Far beyond any disk; bounds the work a hostile `1e999999999` could ask for. */
const MAX_EXPONENT = 100;
/** Significant digits no size needs; bounds the work a hostile megabyte of digits could ask for. */
const MAX_DIGITS = 100;

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** A quantity exactly, as numerator / denominator (`100m` is 1/10); `undefined` when it is not a quantity. */
export function parseQuantityExact(q: string | number): { numerator: bigint; denominator: bigint } | undefined {
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) return undefined;
    return parseQuantityExact(Number.isInteger(q) && Math.abs(q) <= Number.MAX_SAFE_INTEGER ? q.toFixed(0) : String(q));
  }
  const match = QUANTITY.exec(q);
  if (!match) return undefined;
  const [, sign, number, suffix = ''] = match;
  const [whole, fraction = ''] = number.split('.');
  if (significantDigits(whole, fraction) > MAX_DIGITS) return undefined;
  const digits = BigInt(`${whole}${fraction}` || '0');

  let multiplier = 1n;
  let exponent = -fraction.length;
  if (suffix in BINARY_SUFFIX) multiplier = BINARY_SUFFIX[suffix];
  else if (suffix in DECIMAL_EXPONENT) exponent += DECIMAL_EXPONENT[suffix];
  else {
    const written = Number(suffix.slice(1));
    if (Math.abs(written) > MAX_EXPONENT) return undefined;
    exponent += written;
  }
  const scaled = (sign === '-' ? -digits : digits) * multiplier;
  return exponent >= 0
    ? { numerator: scaled * 10n ** BigInt(exponent), denominator: 1n }
    : { numerator: scaled, denominator: 10n ** BigInt(-exponent) };
}

/**
 * The quantity in whole units (bytes for storage), rounded away from zero as Kubernetes' `Value()`
 * does; `undefined` when it is not a quantity. A YAML number (`modelSize: 1000`) counts as written.
 */
export function parseQuantity(q: string | number): bigint | undefined {
  const exact = parseQuantityExact(q);
  if (!exact) return undefined;
  const { numerator, denominator } = exact;
  const magnitude = divideRoundingUp(numerator < 0n ? -numerator : numerator, denominator);
  return numerator < 0n ? -magnitude : magnitude;
}

/**
 * Digits between the first non-zero of the whole part and the last non-zero of the fraction (loops: a
 * regex is quadratic here).
 */
function significantDigits(whole: string, fraction: string): number {
  let start = 0;
  while (start < whole.length && whole[start] === '0') start++;
  let end = fraction.length;
  while (end > 0 && fraction[end - 1] === '0') end--;
  return whole.length - start + end;
}

const divideRoundingUp = (n: bigint, d: bigint): bigint => (n + d - 1n) / d;

const BINARY_UNITS: readonly [string, bigint][] = Object.entries(BINARY_SUFFIX).reverse();

/** Bytes in the largest binary unit they reach: exact where it divides (`10Gi`), else one decimal (`1.5Gi`). */
export function formatBytes(bytes: bigint): string {
  const sign = bytes < 0n ? '-' : '';
  const size = bytes < 0n ? -bytes : bytes;
  const unit = BINARY_UNITS.find(([, factor]) => size >= factor);
  if (!unit) return `${sign}${size}`;
  const [name, factor] = unit;
  if (size % factor === 0n) return `${sign}${size / factor}${name}`;
  const tenths = (size * 10n + factor / 2n) / factor;
  return `${sign}${tenths / 10n}.${tenths % 10n}${name}`;
}
