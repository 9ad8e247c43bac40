/**
 * The first Wasserstein (earth mover's) distance between two empirical distributions on the
 * line, as `scipy.stats.wasserstein_distance(u, v)` (unweighted), and Evidently's normed
 * version, its default drift score for numeric columns of a reference above 1,000 rows.
 *
 * W₁(u, v) = ∫ |U(x) − V(x)| dx, U and V the empirical CDFs. Both are step functions that
 * change only at observed values, so the integral is a finite sum over the merged sorted
 * values x₍₁₎ ≤ … ≤ x₍ₙ₊ₘ₎: Σₖ |U(x₍ₖ₎) − V(x₍ₖ₎)|·(x₍ₖ₊₁₎ − x₍ₖ₎), one merge walk, O(n + m)
 * after sorting. |U − V| is taken as the exact integer |i·m − j·n| over n·m. In units of
 * the data (moving all mass of a sample by 1 unit costs 1). For n = m it equals the mean
 * absolute difference of the order statistics, (1/n)·Σ|u₍ᵢ₎ − v₍ᵢ₎|.
 *
 * Evidently's `wasserstein` stattest divides by the reference's population standard
 * deviation (numpy's `np.std`, ddof = 0), floored at 0.001 — so a constant reference
 * (std 0) is normed by 0.001, and any shift of a constant column by more than 0.0001 drifts
 * — and flags drift when the normed distance is ≥ 0.1 (a tenth of a standard deviation).
 */
import { assertNonEmpty, populationStd, sortedFinite, type NumberColumn } from './sample';

/** Evidently's floor for the reference standard deviation (`max(np.std(ref), 0.001)`). */
export const WASSERSTEIN_MIN_STD = 0.001;

/** Evidently's default drift threshold for the normed Wasserstein distance (≥ 0.1 drifts). */
export const WASSERSTEIN_NORMED_THRESHOLD = 0.1;

/**
 * W₁ between two sorted, non-empty samples (ascending, finite): Σ |U − V|·Δx over the merged
 * values. Symmetric; 0 for identical samples; W₁(u, u + c) = |c|.
 */
export function wassersteinSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const n = u.length;
  const m = v.length;
  assertNonEmpty(u, 'first');
  assertNonEmpty(v, 'second');
  let i = 0;
  let j = 0;
  let total = 0;
  let x = Math.min(u[0] as number, v[0] as number);
  const scale = n * m;
  while (i < n || j < m) {
    while (i < n && u[i] === x) i++;
    while (j < m && v[j] === x) j++;
    if (i === n && j === m) break;
    const next = Math.min(i < n ? (u[i] as number) : Infinity, j < m ? (v[j] as number) : Infinity);
    total += (Math.abs(i * m - j * n) / scale) * (next - x);
    x = next;
  }
  return total;
}

/**
 * W₁ between two columns (NaN and ±∞ dropped), as `scipy.stats.wasserstein_distance`.
 *
 * @throws RangeError when a sample has no finite value.
 */
export function wassersteinDistance(u: NumberColumn, v: NumberColumn): number {
  return wassersteinSorted(sortedFinite(u), sortedFinite(v));
}

/** Evidently's normed Wasserstein drift score. */
export interface NormedWassersteinResult {
  /** W₁(reference, current) in data units. */
  distance: number;
  /** Population standard deviation of the reference. */
  referenceStd: number;
  /** The divisor used: max(referenceStd, 0.001). */
  normaliser: number;
  /** distance / normaliser, in reference standard deviations. */
  statistic: number;
}

/**
 * Evidently's `wasserstein` score on sorted samples: W₁(reference, current) divided by
 * max(std(reference), 0.001), std with ddof = 0. Not symmetric (the reference sets the unit).
 * `referenceStd` may be passed when already known.
 */
export function normedWassersteinSorted(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  referenceStd: number = populationStd(reference),
): NormedWassersteinResult {
  const distance = wassersteinSorted(reference, current);
  const normaliser = Math.max(referenceStd, WASSERSTEIN_MIN_STD);
  return { distance, referenceStd, normaliser, statistic: distance / normaliser };
}

/**
 * Evidently's normed Wasserstein score on two columns (NaN and ±∞ dropped).
 *
 * @throws RangeError when a sample has no finite value.
 */
export function normedWasserstein(
  reference: NumberColumn,
  current: NumberColumn,
): NormedWassersteinResult {
  return normedWassersteinSorted(sortedFinite(reference), sortedFinite(current));
}
