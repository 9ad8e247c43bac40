/**
 * Turning two samples into two histograms over the same bins, for the distance-based
 * detectors (Jensen–Shannon, PSI).
 *
 * - {@link evidentlyBinnedShares}: what Evidently's `get_binned_data` does. For a numeric
 *   column whose reference has more than 20 distinct values: equal-width bins over the range of
 *   both samples together, as many as Sturges' rule gives for their combined size,
 *   ⌈log₂(n + m) + 1⌉ (numpy's `histogram_bin_edges(concat(ref, cur), bins='sturges')`).
 *   Otherwise (categorical, or few distinct values): one bin per distinct value of either
 *   sample. Shares are counts over each sample's size.
 * - {@link referenceQuantileShares}: B bins cut at the reference's quantiles k/B (k = 1…B−1),
 *   the classic binning of the population stability index, so each bin holds about 1/B of
 *   the reference. Used by psi.ts.
 */
import {
  alignedCountsSorted,
  countAtMost,
  countBelow,
  distinctCountSorted,
  quantileSorted,
} from './sample';

/** Evidently's cut-off: a numeric reference with more than this many distinct values is binned. */
export const EVIDENTLY_BINNING_MIN_DISTINCT = 20;

/** Two samples' shares over shared bins. */
export interface BinnedShares {
  /** Share of the reference in each bin (sums to 1). */
  reference: Float64Array;
  /** Share of the current sample in each bin (sums to 1). */
  current: Float64Array;
  /** Bin edges (equal-width or quantile cuts), or null when the bins are distinct values. */
  edges: Float64Array | null;
  /** The distinct values behind each bin, or null for numeric bins. */
  keys: Float64Array | null;
}

/**
 * numpy's `histogram_bin_edges(values, bins='sturges')` for a sample with the given minimum,
 * maximum and size: width = (max − min)/(log₂ n + 1), bins = ⌈(max − min)/width⌉, edges
 * min + i·(max − min)/bins (numpy's linspace, last edge exactly max). A sample with
 * max = min gets one bin [min − 0.5, min + 0.5].
 */
export function sturgesEdges(min: number, max: number, size: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const range = max - min;
  let bins = 1;
  if (size > 0 && range > 0) {
    const width = range / (Math.log2(size) + 1);
    bins = Math.ceil((last - first) / width);
  }
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let i = 0; i <= bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/**
 * Counts of a sorted sample in the bins [e₀, e₁), [e₁, e₂), …, [e_{K−1}, e_K] (the last bin
 * closed), as `np.histogram(values, edges)`; values outside [e₀, e_K] are not counted.
 */
export function histogramSorted(sorted: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const k = edges.length - 1;
  const counts = new Float64Array(k);
  let previous = countBelow(sorted, edges[0] as number);
  for (let i = 1; i <= k; i++) {
    const edge = edges[i] as number;
    const upTo = i === k ? countAtMost(sorted, edge) : countBelow(sorted, edge);
    counts[i - 1] = upTo - previous;
    previous = upTo;
  }
  return counts;
}

function toShares(counts: Float64Array, size: number): Float64Array {
  const shares = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) shares[i] = (counts[i] as number) / size;
  return shares;
}

/**
 * Evidently's binning of two sorted, non-empty samples (see the module comment): Sturges
 * bins over both samples when `numeric` and the reference has more than 20 distinct values,
 * one bin per distinct value otherwise.
 */
export function evidentlyBinnedShares(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  numeric: boolean,
): BinnedShares {
  const n = reference.length;
  const m = current.length;
  if (
    numeric &&
    distinctCountSorted(reference, EVIDENTLY_BINNING_MIN_DISTINCT + 1) >
      EVIDENTLY_BINNING_MIN_DISTINCT
  ) {
    const min = Math.min(reference[0] as number, current[0] as number);
    const max = Math.max(reference[n - 1] as number, current[m - 1] as number);
    const edges = sturgesEdges(min, max, n + m);
    return {
      reference: toShares(histogramSorted(reference, edges), n),
      current: toShares(histogramSorted(current, edges), m),
      edges,
      keys: null,
    };
  }
  const aligned = alignedCountsSorted(reference, current);
  return {
    reference: toShares(aligned.reference, n),
    current: toShares(aligned.current, m),
    edges: null,
    keys: aligned.keys,
  };
}

/**
 * The distinct cut points of the reference quantiles Q(k/B), k = 1…B−1 (type 7), ascending.
 */
export function referenceQuantileCuts(
  sortedReference: ArrayLike<number>,
  bins: number,
): Float64Array {
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = quantileSorted(sortedReference, k / bins);
    if (cuts.length === 0 || q > (cuts[cuts.length - 1] as number)) cuts.push(q);
  }
  return Float64Array.from(cuts);
}

/**
 * Shares of two sorted, non-empty samples in bins cut at the reference quantiles:
 * (−∞, c₁], (c₁, c₂], …, (c_K, ∞) with c the distinct cuts of {@link referenceQuantileCuts},
 * so values outside the reference's range fall in the end bins and nothing is dropped. Ties
 * can merge cuts, leaving fewer than B bins. A constant reference (all values c) has a single
 * cut and gets the three bins (−∞, c), [c, c], (c, ∞), so a shift either way shows.
 */
export function referenceQuantileShares(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  bins: number,
): BinnedShares {
  const n = reference.length;
  const m = current.length;
  const lo = reference[0] as number;
  const hi = reference[n - 1] as number;
  if (lo === hi) {
    const count = (s: ArrayLike<number>): Float64Array => {
      const below = countBelow(s, lo);
      const atMost = countAtMost(s, lo);
      return Float64Array.of(below, atMost - below, s.length - atMost);
    };
    return {
      reference: toShares(count(reference), n),
      current: toShares(count(current), m),
      edges: Float64Array.of(lo, lo),
      keys: null,
    };
  }
  const cuts = referenceQuantileCuts(reference, bins);
  const count = (s: ArrayLike<number>): Float64Array => {
    const counts = new Float64Array(cuts.length + 1);
    let previous = 0;
    for (let i = 0; i < cuts.length; i++) {
      const upTo = countAtMost(s, cuts[i] as number);
      counts[i] = upTo - previous;
      previous = upTo;
    }
    counts[cuts.length] = s.length - previous;
    return counts;
  };
  return {
    reference: toShares(count(reference), n),
    current: toShares(count(current), m),
    edges: cuts,
    keys: null,
  };
}
