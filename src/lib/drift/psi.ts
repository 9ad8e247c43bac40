/**
 * The population stability index, the credit-scoring industry's drift score:
 *
 *   PSI = Σᵢ (curᵢ − refᵢ) · ln(curᵢ / refᵢ)
 *
 * over shared bins, with refᵢ and curᵢ the shares of each sample in bin i. It is the
 * symmetrised Kullback–Leibler divergence KL(cur ‖ ref) + KL(ref ‖ cur): symmetric in the two
 * share vectors and 0 when they agree. (Numeric bins are cut at the reference's quantiles, so
 * swapping the two samples changes the bins and can change the value.) Conventional bands (Siddiqi, "Credit Risk
 * Scorecards", Wiley 2006; Yurdakul, "Statistical properties of the population stability
 * index", Western Michigan University, 2018): < 0.1 no significant change, 0.1–0.25 moderate
 * change, ≥ 0.25 major change.
 *
 * Bins. Numeric columns: 10 bins cut at the reference deciles (each holds about a tenth of the
 * reference; see {@link referenceQuantileShares} for ties, the open end bins and a constant
 * reference). Categorical columns: one bin per category of either sample.
 *
 * Empty bins. ln(0) is undefined, so a share of 0 is replaced by ε = 0.0001 before the sum,
 * on either side, without renormalising — the value Evidently's `get_binned_data` fills in
 * (it uses the smallest non-zero share / 10⁶ instead when that share is itself ≤ 0.0001).
 * A bin empty in both samples adds (ε − ε)·ln 1 = 0.
 */
import { alignedCountsSorted, assertNonEmpty, sortedFinite, type NumberColumn } from './sample';
import { referenceQuantileShares, type BinnedShares } from './binning';

/** Default number of reference-quantile bins for numeric columns. */
export const PSI_DEFAULT_BINS = 10;
/** Share put in place of an empty bin (Evidently's fill value). */
export const PSI_EPSILON = 1e-4;
/** PSI at or above this is a moderate change. */
export const PSI_MODERATE = 0.1;
/** PSI at or above this is a major change. */
export const PSI_MAJOR = 0.25;

/** The conventional reading of a PSI value. */
export type PsiBand = 'none' | 'moderate' | 'major';

/** 'none' below 0.1, 'moderate' from 0.1 to below 0.25, 'major' from 0.25. */
export function psiBand(psi: number): PsiBand {
  if (psi >= PSI_MAJOR) return 'major';
  if (psi >= PSI_MODERATE) return 'moderate';
  return 'none';
}

/**
 * PSI = Σ (curᵢ − refᵢ)·ln(curᵢ/refᵢ) from two arrays of shares over the same bins, each
 * share of 0 replaced by `epsilon`.
 *
 * @throws RangeError when the lengths differ or a share is negative or not finite.
 */
export function psiFromShares(
  referenceShares: ArrayLike<number>,
  currentShares: ArrayLike<number>,
  epsilon: number = PSI_EPSILON,
): number {
  if (referenceShares.length !== currentShares.length) {
    throw new RangeError('Both share arrays need the same bins.');
  }
  let psi = 0;
  for (let i = 0; i < referenceShares.length; i++) {
    let r = referenceShares[i] as number;
    let c = currentShares[i] as number;
    if (!(r >= 0 && c >= 0 && Number.isFinite(r) && Number.isFinite(c))) {
      throw new RangeError('Shares must be finite and non-negative.');
    }
    if (r === 0) r = epsilon;
    if (c === 0) c = epsilon;
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/** Options of {@link psiSorted} and {@link populationStabilityIndex}. */
export interface PsiOptions {
  /** Numeric (reference-quantile bins) or categorical (one bin per value); default numeric. */
  numeric?: boolean;
  /** Number of reference-quantile bins for numeric columns; default 10. */
  bins?: number;
  /** Share used for empty bins; default 0.0001. */
  epsilon?: number;
}

/** A PSI score and its reading. */
export interface PsiResult {
  /** The population stability index. */
  statistic: number;
  /** 'none', 'moderate' or 'major'. */
  band: PsiBand;
  /** The binned shares it was computed on. */
  bins: BinnedShares;
}

/**
 * PSI of two sorted, non-empty samples (ascending, finite) with reference-decile bins for
 * numeric columns or one bin per value for categorical ones.
 *
 * @throws RangeError when a sample is empty or `bins` is not an integer ≥ 2.
 */
export function psiSorted(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: PsiOptions = {},
): PsiResult {
  assertNonEmpty(reference, 'reference');
  assertNonEmpty(current, 'current');
  const binCount = options.bins ?? PSI_DEFAULT_BINS;
  if (!(Number.isInteger(binCount) && binCount >= 2)) {
    throw new RangeError(`PSI needs a whole number of bins ≥ 2; got ${binCount}.`);
  }
  let bins: BinnedShares;
  if (options.numeric ?? true) {
    bins = referenceQuantileShares(reference, current, binCount);
  } else {
    const aligned = alignedCountsSorted(reference, current);
    bins = {
      reference: aligned.reference.map((c) => c / reference.length),
      current: aligned.current.map((c) => c / current.length),
      edges: null,
      keys: aligned.keys,
    };
  }
  const statistic = psiFromShares(bins.reference, bins.current, options.epsilon ?? PSI_EPSILON);
  return { statistic, band: psiBand(statistic), bins };
}

/**
 * PSI of two columns (NaN and ±∞ dropped); see {@link psiSorted}.
 *
 * @throws RangeError when a sample has no finite value.
 */
export function populationStabilityIndex(
  reference: NumberColumn,
  current: NumberColumn,
  options: PsiOptions = {},
): PsiResult {
  return psiSorted(sortedFinite(reference), sortedFinite(current), options);
}
