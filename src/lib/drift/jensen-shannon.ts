/**
 * The Jensen–Shannon distance between two discrete distributions, as
 * `scipy.spatial.distance.jensenshannon(p, q, base)`, and Evidently's `jensenshannon`
 * stattest built on it (its default for categorical columns, and for numeric columns with at
 * most 5 distinct values, when the reference has more than 1,000 rows).
 *
 * JSD(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2, KL(p ‖ m) = Σ pᵢ ln(pᵢ/mᵢ) (terms with
 * pᵢ = 0 are 0), divided by ln(base) when a base is given; the distance is √JSD. p and q are
 * first normalised to sum to 1. SciPy's default base is e (natural logarithm), where the
 * distance lies in [0, √ln 2 ≈ 0.8326]; in base 2 it lies in [0, 1]. Evidently calls SciPy
 * with base 2, and its threshold 0.1 is meant for that scale, so the drift detector here uses
 * base 2. Symmetric in p and q; 0 exactly when p = q. Empty bins need no smoothing: m > 0
 * wherever p or q is.
 *
 * Binning (Evidently's `get_binned_data(..., feel_zeroes=False)`, see binning.ts): numeric
 * columns whose reference has more than 20 distinct values go into ⌈log₂(n + m) + 1⌉
 * equal-width bins over the range of both samples (Sturges' rule on the pooled data, not bins
 * from the reference alone); other columns use one bin per distinct value.
 */
import { evidentlyBinnedShares, type BinnedShares } from './binning';
import { assertNonEmpty, sortedFinite, type NumberColumn } from './sample';

/** Evidently's default threshold for the Jensen–Shannon distance (≥ 0.1 drifts, base 2). */
export const JENSEN_SHANNON_THRESHOLD = 0.1;

/** The logarithm base Evidently uses for the Jensen–Shannon distance. */
export const JENSEN_SHANNON_EVIDENTLY_BASE = 2;

/**
 * √JSD(p, q) in the given base (natural logarithm when omitted, SciPy's default). p and q are
 * non-negative weights over the same bins, each normalised to sum 1. Rounding can leave a
 * sum a hair below 0; it is clamped to 0 before the square root.
 *
 * @throws RangeError when the lengths differ, a weight is negative or not finite, or a
 *   distribution sums to 0.
 */
export function jensenShannonDistance(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  base?: number,
): number {
  if (p.length !== q.length) throw new RangeError('Both distributions need the same bins.');
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] as number;
    const b = q[i] as number;
    if (!(a >= 0 && b >= 0 && Number.isFinite(a) && Number.isFinite(b))) {
      throw new RangeError('Weights must be finite and non-negative.');
    }
    sp += a;
    sq += b;
  }
  if (!(sp > 0 && sq > 0)) throw new RangeError('Each distribution needs a positive total.');
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const a = (p[i] as number) / sp;
    const b = (q[i] as number) / sq;
    const mid = (a + b) / 2;
    if (a > 0) left += a * Math.log(a / mid);
    if (b > 0) right += b * Math.log(b / mid);
  }
  let js = left + right;
  if (base !== undefined) js /= Math.log(base);
  return Math.sqrt(Math.max(0, js / 2));
}

/** Evidently's Jensen–Shannon drift score of one column. */
export interface JensenShannonResult {
  /** The Jensen–Shannon distance (base 2 by default). */
  statistic: number;
  /** The binned shares it was computed on. */
  bins: BinnedShares;
}

/**
 * Evidently's `jensenshannon` score of two sorted, non-empty samples (ascending, finite):
 * Evidently's binning, then {@link jensenShannonDistance} in base 2 (or `base`). `numeric`
 * says whether the column is numeric (only numeric columns with > 20 distinct reference
 * values are binned by width).
 */
export function jensenShannonSorted(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  numeric: boolean,
  base: number = JENSEN_SHANNON_EVIDENTLY_BASE,
): JensenShannonResult {
  assertNonEmpty(reference, 'reference');
  assertNonEmpty(current, 'current');
  const bins = evidentlyBinnedShares(reference, current, numeric);
  return { statistic: jensenShannonDistance(bins.reference, bins.current, base), bins };
}

/**
 * Evidently's `jensenshannon` score of two columns (NaN and ±∞ dropped).
 *
 * @throws RangeError when a sample has no finite value.
 */
export function jensenShannonDrift(
  reference: NumberColumn,
  current: NumberColumn,
  numeric: boolean,
  base: number = JENSEN_SHANNON_EVIDENTLY_BASE,
): JensenShannonResult {
  return jensenShannonSorted(sortedFinite(reference), sortedFinite(current), numeric, base);
}
