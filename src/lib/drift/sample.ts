/**
 * Small helpers shared by the drift detectors: sorted copies of a column, counts of distinct
 * values, moments, quantiles and binary searches on sorted arrays.
 *
 * Missing values. Every detector treats NaN and ±∞ as missing and drops them before testing,
 * as Evidently does (it replaces ±∞ by NaN and drops NaN before a column's drift test).
 */

/** A column of numbers: a typed array or a plain array. Categories are numeric codes. */
export type NumberColumn = ArrayLike<number>;

/** Columns with at most this many distinct values are sorted by counting. */
const COUNTING_SORT_MAX_DISTINCT = 32;

/**
 * Sorts a column with few distinct values by counting them (O(n·k) for k ≤ 32 distinct
 * values, much faster than a comparison sort for binary and categorical codes); returns null
 * as soon as a 33rd distinct value shows up.
 */
function sortByCounting(values: NumberColumn): Float64Array | null {
  const keys = new Float64Array(COUNTING_SORT_MAX_DISTINCT);
  const counts = new Int32Array(COUNTING_SORT_MAX_DISTINCT);
  let distinct = 0;
  let finite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    finite++;
    let q = 0;
    while (q < distinct && keys[q] !== v) q++;
    if (q === distinct) {
      if (distinct === COUNTING_SORT_MAX_DISTINCT) return null;
      keys[distinct++] = v;
    }
    counts[q] = (counts[q] as number) + 1;
  }
  const order = Array.from({ length: distinct }, (_, q) => q).sort(
    (a, b) => (keys[a] as number) - (keys[b] as number),
  );
  const out = new Float64Array(finite);
  let k = 0;
  for (const q of order) {
    out.fill(keys[q] as number, k, k + (counts[q] as number));
    k += counts[q] as number;
  }
  return out;
}

/**
 * A new Float64Array holding the finite values of `values` in ascending order (NaN and ±∞
 * dropped). Columns with at most 32 distinct values (category codes, flags) are sorted by
 * counting, others by the typed-array sort (numeric, O(n log n)).
 */
export function sortedFinite(values: NumberColumn): Float64Array {
  const counted = sortByCounting(values);
  if (counted) return counted;
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) out[k++] = v;
  }
  const sorted = k === out.length ? out : out.slice(0, k);
  return sorted.sort();
}

/** Throws a RangeError naming `what` unless the sorted sample has at least one value. */
export function assertNonEmpty(sorted: ArrayLike<number>, what: string): void {
  if (sorted.length === 0) {
    throw new RangeError(`The ${what} sample has no finite values.`);
  }
}

/** Arithmetic mean Σx/n of a sample; NaN when it is empty. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return values.length > 0 ? sum / values.length : Number.NaN;
}

/**
 * Population standard deviation √(Σ(x − x̄)²/n) (numpy's `np.std`, ddof = 0), two-pass for
 * accuracy; NaN when the sample is empty.
 */
export function populationStd(values: ArrayLike<number>): number {
  const m = mean(values);
  if (Number.isNaN(m)) return Number.NaN;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const d = (values[i] as number) - m;
    ss += d * d;
  }
  return Math.sqrt(ss / values.length);
}

/** Number of elements of a sorted array that are strictly below `x` (lower bound). */
export function countBelow(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of a sorted array that are ≤ `x` (upper bound, numpy's side='right'). */
export function countAtMost(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of distinct values in one sorted array, counting no further than `limit`. */
export function distinctCountSorted(sorted: ArrayLike<number>, limit = Infinity): number {
  let count = 0;
  for (let i = 0; i < sorted.length && count < limit; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) count++;
  }
  return count;
}

/**
 * Number of distinct values in the union of two sorted arrays (pandas'
 * `concat([a, b]).nunique()`), counting no further than `limit` so the caller can stop early.
 */
export function distinctCountUnion(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  limit = Infinity,
): number {
  let i = 0;
  let j = 0;
  let count = 0;
  while ((i < a.length || j < b.length) && count < limit) {
    const x = Math.min(
      i < a.length ? (a[i] as number) : Infinity,
      j < b.length ? (b[j] as number) : Infinity,
    );
    count++;
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
  }
  return count;
}

/** The distinct values of a sorted array and how often each occurs. */
export interface ValueCounts {
  /** Distinct values, ascending. */
  values: Float64Array;
  /** counts[i] = occurrences of values[i]. */
  counts: Float64Array;
}

/** Distinct values and their counts from a sorted array, O(n). */
export function valueCountsSorted(sorted: ArrayLike<number>): ValueCounts {
  const distinct = distinctCountSorted(sorted);
  const values = new Float64Array(distinct);
  const counts = new Float64Array(distinct);
  let k = -1;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number;
    if (k < 0 || v !== values[k]) values[++k] = v;
    counts[k] = (counts[k] as number) + 1;
  }
  return { values, counts };
}

/** Two samples' counts over the union of their distinct values (categories). */
export interface AlignedCounts {
  /** The distinct values of both samples, ascending. */
  keys: Float64Array;
  /** Reference count of each key (0 where the key occurs only in the current sample). */
  reference: Float64Array;
  /** Current count of each key (0 where the key occurs only in the reference sample). */
  current: Float64Array;
}

/**
 * Aligns the value counts of two sorted samples on the union of their distinct values, the
 * way Evidently builds `{key: count}` dictionaries for its categorical tests.
 */
export function alignedCountsSorted(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): AlignedCounts {
  const size = distinctCountUnion(reference, current);
  const keys = new Float64Array(size);
  const ref = new Float64Array(size);
  const cur = new Float64Array(size);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < reference.length || j < current.length) {
    const x = Math.min(
      i < reference.length ? (reference[i] as number) : Infinity,
      j < current.length ? (current[j] as number) : Infinity,
    );
    keys[k] = x;
    let r = 0;
    let c = 0;
    while (i < reference.length && reference[i] === x) {
      i++;
      r++;
    }
    while (j < current.length && current[j] === x) {
      j++;
      c++;
    }
    ref[k] = r;
    cur[k] = c;
    k++;
  }
  return { keys, reference: ref, current: cur };
}

/**
 * The q-quantile of a sorted sample by linear interpolation between order statistics
 * (Hyndman & Fan type 7, numpy's default `np.quantile`): h = (n − 1)·q,
 * Q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  if (lo + 1 >= n) return a;
  const b = sorted[lo + 1] as number;
  return a + (h - lo) * (b - a);
}

/** Greatest common divisor of two non-negative integers (Euclid). */
export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}
