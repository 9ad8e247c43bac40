/**
 * Exact percentiles of large samples without sorting them: selection in place on typed arrays
 * (Hoare's FIND refined by Floyd and Rivest's sampling), expected O(n).
 *
 * Definition used throughout (the nearest-rank method): the p-th percentile of n values is the
 * value of rank ⌈p·n⌉ in ascending order (1-based), i.e. the smallest sample value x such that at
 * least a fraction p of the sample is ≤ x. It is always one of the observed values.
 */

/** A numeric typed array the selection works on. */
export type NumericArray = Float64Array | Float32Array;

/** The 0-based index of the nearest-rank p-th percentile among `count` values: ⌈p·n⌉ − 1. */
export function nearestRankIndex(count: number, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction must lie in (0, 1]`);
  if (count <= 0) return -1;
  // The small epsilon keeps p·n that should be an integer (0.95·100) from rounding up to 96.
  return Math.min(count - 1, Math.max(0, Math.ceil(fraction * count - 1e-9) - 1));
}

/**
 * Rearranges values[from, to) so that values[k] holds the value of (0-based) rank k − from in
 * that range, with everything before it ≤ it and everything after it ≥ it, and returns it.
 * Floyd and Rivest's SELECT (R. W. Floyd and R. L. Rivest, "Algorithm 489: The algorithm
 * SELECT", CACM 18(3), 1975): on ranges above 600 values it first recurses on a small sample
 * around the expected position of rank k, so the final partition pass touches few values;
 * expected ~1.5 passes over the range. Values must not be NaN.
 */
export function selectInPlace(
  values: NumericArray,
  k: number,
  from = 0,
  to = values.length,
): number {
  if (!(k >= from && k < to)) throw new RangeError(`rank ${k} outside [${from}, ${to})`);
  floydRivest(values, k, from, to - 1);
  return values[k] as number;
}

function floydRivest(values: NumericArray, k: number, leftStart: number, rightStart: number): void {
  let left = leftStart;
  let right = rightStart;
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      floydRivest(values, k, newLeft, newRight);
    }
    const pivot = values[k] as number;
    let i = left;
    let j = right;
    swap(values, left, k);
    if ((values[right] as number) > pivot) swap(values, left, right);
    while (i < j) {
      swap(values, i, j);
      i++;
      j--;
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
    }
    if (values[left] === pivot) swap(values, left, j);
    else {
      j++;
      swap(values, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(values: NumericArray, i: number, j: number): void {
  const tmp = values[i] as number;
  values[i] = values[j] as number;
  values[j] = tmp;
}

/**
 * Exact nearest-rank percentiles of values[from, to), in place (the range is reordered).
 * `fractions` must be ascending (e.g. [0.5, 0.95, 0.99]): after selecting a rank, everything to
 * its right is ≥ it, so the next (higher) rank is selected only among those — for p50, p95 and
 * p99 that is about 1 + 0.5 + 0.05 of the range instead of three full passes.
 * Returns NaN for each fraction when the range is empty.
 */
export function percentilesInPlace(
  values: NumericArray,
  fractions: readonly number[],
  from = 0,
  to = values.length,
): number[] {
  const count = to - from;
  const out = new Array<number>(fractions.length).fill(NaN);
  if (count <= 0) return out;
  let left = from;
  for (let f = 0; f < fractions.length; f++) {
    const fraction = fractions[f] as number;
    if (f > 0 && fraction < (fractions[f - 1] as number))
      throw new RangeError('fractions must be ascending');
    const k = from + nearestRankIndex(count, fraction);
    out[f] = k < left ? (out[f - 1] as number) : selectInPlace(values, k, left, to);
    left = k + 1;
  }
  return out;
}

/**
 * Exact nearest-rank percentiles of a sample, leaving it untouched (works on a copy).
 * Convenience for tests and small samples; see {@link percentilesInPlace}.
 */
export function percentiles(values: ArrayLike<number>, fractions: readonly number[]): number[] {
  const copy = Float64Array.from(values);
  return percentilesInPlace(copy, fractions);
}

/**
 * Exact nearest-rank percentiles of values[from, to) of a Float32Array of non-negative numbers,
 * by two passes instead of selection over the whole range: the bit patterns of non-negative
 * float32 values order like unsigned integers, so a histogram of their top 16 bits (sign,
 * exponent and 7 mantissa bits: buckets 1/128 wide in relative terms) locates the bucket holding
 * each rank; a second pass gathers those buckets' values and the rank is selected among them.
 * Falls back to {@link percentilesInPlace} if a value is negative or NaN. Leaves `values` as it is.
 */
export function percentilesOfNonNegative(
  values: Float32Array,
  fractions: readonly number[],
  from = 0,
  to = values.length,
): number[] {
  const count = to - from;
  if (count <= 0) return fractions.map(() => NaN);
  const bits = new Uint32Array(values.buffer, values.byteOffset + from * 4, count);
  const histogram = new Uint32Array(65_536);
  for (let i = 0; i < count; i++) {
    const b = (bits[i] as number) >>> 16;
    histogram[b] = (histogram[b] as number) + 1;
  }
  // Sign bit set (negative or −0) or a NaN pattern (exponent all ones): not for this method.
  for (let b = 0x7f80; b < 65_536; b++)
    if ((histogram[b] as number) > 0) return percentilesInPlace(values.slice(from, to), fractions);
  // Bucket and rank within the bucket for each fraction.
  const targets = fractions.map((fraction) => nearestRankIndex(count, fraction));
  const buckets: number[] = [];
  const offsets: number[] = [];
  for (const rank of targets) {
    let seen = 0;
    let b = 0;
    while (seen + (histogram[b] as number) <= rank) seen += histogram[b++] as number;
    buckets.push(b);
    offsets.push(rank - seen);
  }
  const distinct = [...new Set(buckets)];
  const gathered = distinct.map((b) => new Float32Array(histogram[b] as number));
  const filled = distinct.map(() => 0);
  const b0 = distinct[0] as number;
  const b1 = distinct.length > 1 ? (distinct[1] as number) : -1;
  const b2 = distinct.length > 2 ? (distinct[2] as number) : -1;
  if (distinct.length <= 3) {
    const g0 = gathered[0] as Float32Array;
    const g1 = gathered[1] ?? g0;
    const g2 = gathered[2] ?? g0;
    let n0 = 0;
    let n1 = 0;
    let n2 = 0;
    for (let i = 0; i < count; i++) {
      const b = (bits[i] as number) >>> 16;
      if (b === b0) g0[n0++] = values[from + i] as number;
      else if (b === b1) g1[n1++] = values[from + i] as number;
      else if (b === b2) g2[n2++] = values[from + i] as number;
    }
  } else {
    for (let i = 0; i < count; i++) {
      const k = distinct.indexOf((bits[i] as number) >>> 16);
      if (k >= 0) (gathered[k] as Float32Array)[filled[k]!++] = values[from + i] as number;
    }
  }
  return buckets.map((b, f) =>
    selectInPlace(gathered[distinct.indexOf(b)] as Float32Array, offsets[f] as number),
  );
}
