/**
 * Chi-square tests for categorical columns.
 *
 * The drift monitor uses {@link chiSquareHomogeneity}: Pearson's test of homogeneity on the
 * 2 × k contingency table (reference counts, current counts) over the categories seen in
 * either sample. It is `scipy.stats.chi2_contingency(table, correction=False)` with the
 * columns that are empty in both samples removed (SciPy raises an error on a zero expected
 * frequency; a category nobody chose carries no information, so dropping it is the natural
 * rule). A category present in only one sample stays in and counts towards drift.
 *
 * Evidently's own `chisquare` stattest is different: a goodness-of-fit test of the current
 * counts against the reference shares scaled to the current size,
 * `scipy.stats.chisquare(f_obs=current, f_exp=reference·n_cur/n_ref)`, over the union of
 * categories ({@link chiSquareEvidently}). It treats the reference shares as exact, so it
 * ignores the reference's own sampling noise: with the same distribution on both sides its
 * statistic is inflated by about (1 + n_cur/n_ref) (11× for a reference of 1,000 rows and a
 * day of 10,000), and a category absent from the reference gives an infinite statistic
 * (p = 0). It is kept here to show the difference; the monitor uses the homogeneity test.
 *
 * P-values: the chi-square survival function Q(df/2, χ²/2) from the regularised incomplete
 * gamma function, series or continued fraction (Numerical Recipes §6.2; see gamma.ts).
 */
import { chiSquareSf } from './gamma';

/** The result of a chi-square test. */
export interface ChiSquareResult {
  /** Pearson's χ² = Σ (O − E)² / E. */
  statistic: number;
  /** Degrees of freedom. */
  degreesOfFreedom: number;
  /** P(χ²_df ≥ statistic); 1 when df = 0. */
  pValue: number;
  /** Categories that entered the test. */
  categories: number;
}

function checkCounts(counts: ArrayLike<number>, what: string): void {
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    if (!(c >= 0 && Number.isFinite(c))) {
      throw new RangeError(`${what} counts must be finite and non-negative; got ${c}.`);
    }
  }
}

/**
 * Pearson's chi-square test of homogeneity for two samples of one categorical variable:
 * referenceCounts[i] and currentCounts[i] count category i. With row totals R (reference)
 * and C (current), column totals Tᵢ and N = R + C, the expected counts are R·Tᵢ/N and C·Tᵢ/N,
 * χ² = Σᵢ [(refᵢ − R·Tᵢ/N)²/(R·Tᵢ/N) + (curᵢ − C·Tᵢ/N)²/(C·Tᵢ/N)] and df = k − 1 over the k
 * categories with Tᵢ > 0 (categories empty in both are dropped). No continuity correction
 * (SciPy's chi2_contingency would apply Yates' correction when df = 1 by default). With
 * fewer than two non-empty categories there is nothing to compare: χ² = 0, df = 0, p = 1.
 * Symmetric in the two samples. Example: (10, 20, 30) vs (20, 20, 20) gives χ² = 16/3,
 * df = 2, p = e^{−8/3} ≈ 0.0695.
 *
 * @throws RangeError when the arrays differ in length, a count is negative or not finite, or
 *   a sample has no counts at all.
 */
export function chiSquareHomogeneity(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): ChiSquareResult {
  if (referenceCounts.length !== currentCounts.length) {
    throw new RangeError('Reference and current counts must cover the same categories.');
  }
  checkCounts(referenceCounts, 'Reference');
  checkCounts(currentCounts, 'Current');
  let R = 0;
  let C = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    R += referenceCounts[i] as number;
    C += currentCounts[i] as number;
  }
  if (!(R > 0 && C > 0)) throw new RangeError('Each sample needs at least one count.');
  const N = R + C;
  let statistic = 0;
  let categories = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    const r = referenceCounts[i] as number;
    const c = currentCounts[i] as number;
    const total = r + c;
    if (total === 0) continue;
    categories++;
    const expectedR = (R * total) / N;
    const expectedC = (C * total) / N;
    statistic += ((r - expectedR) * (r - expectedR)) / expectedR;
    statistic += ((c - expectedC) * (c - expectedC)) / expectedC;
  }
  const degreesOfFreedom = Math.max(0, categories - 1);
  const pValue = degreesOfFreedom > 0 ? chiSquareSf(statistic, degreesOfFreedom) : 1;
  return { statistic: degreesOfFreedom > 0 ? statistic : 0, degreesOfFreedom, pValue, categories };
}

/**
 * Pearson's goodness-of-fit test, as `scipy.stats.chisquare(f_obs, f_exp)`:
 * χ² = Σ (Oᵢ − Eᵢ)²/Eᵢ, df = k − 1. A category with Eᵢ = 0 and Oᵢ > 0 makes χ² infinite
 * (p = 0); one with Eᵢ = Oᵢ = 0 adds nothing but still counts in k (SciPy would return NaN
 * there; categories taken from the union of two samples never have both counts 0).
 *
 * @throws RangeError when the arrays differ in length or a count is negative or not finite.
 */
export function chiSquareGoodnessOfFit(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
): ChiSquareResult {
  if (observed.length !== expected.length) {
    throw new RangeError('Observed and expected counts must cover the same categories.');
  }
  checkCounts(observed, 'Observed');
  checkCounts(expected, 'Expected');
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i] as number;
    const e = expected[i] as number;
    if (e === 0) {
      if (o > 0) statistic = Infinity;
      continue;
    }
    statistic += ((o - e) * (o - e)) / e;
  }
  const degreesOfFreedom = Math.max(0, observed.length - 1);
  const pValue = degreesOfFreedom > 0 ? chiSquareSf(statistic, degreesOfFreedom) : 1;
  return { statistic, degreesOfFreedom, pValue, categories: observed.length };
}

/**
 * Evidently's `chisquare` stattest: {@link chiSquareGoodnessOfFit} of the current counts
 * against the reference counts scaled by n_cur/n_ref, over the union of categories (counts
 * aligned by index, zero where a category is missing). Not symmetric.
 */
export function chiSquareEvidently(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): ChiSquareResult {
  let R = 0;
  let C = 0;
  for (let i = 0; i < referenceCounts.length; i++) R += referenceCounts[i] as number;
  for (let i = 0; i < currentCounts.length; i++) C += currentCounts[i] as number;
  if (!(R > 0 && C > 0)) throw new RangeError('Each sample needs at least one count.');
  const expected = new Float64Array(referenceCounts.length);
  for (let i = 0; i < referenceCounts.length; i++) {
    expected[i] = (referenceCounts[i] as number) * (C / R);
  }
  return chiSquareGoodnessOfFit(currentCounts, expected);
}
