/**
 * A/B test statistics for conversion rates: the standard normal CDF and quantile, the
 * two-proportion z-test, the sample size per arm for a given power, and the power of a
 * given sample size.
 *
 * Sign convention: every difference is B − A (treatment minus control), so z > 0 means
 * arm B converts better.
 */

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The standard normal CDF Φ(x) = P(Z ≤ x), to near double precision, in two pieces:
 * - |x| ≤ 3: Marsaglia's Taylor series (G. Marsaglia, "Evaluating the Normal Distribution",
 *   J. Stat. Software 11(4), 2004): Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + x⁷/(3·5·7) + …),
 *   summed until a term no longer changes the sum;
 * - |x| > 3: the Laplace continued fraction of the Mills ratio (Abramowitz & Stegun 26.2.14),
 *   1 − Φ(z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + …)))), 60 levels evaluated backwards, and
 *   Φ(−z) = 1 − Φ(z).
 * φ(x) = e^{−x²/2}/√(2π). Checked against double-precision erfc on [−37, 37]: relative error
 * below 1e-10 everywhere (so tail p-values keep their digits), unlike the absolute-error
 * formula of Abramowitz & Stegun 7.1.26 (1.5e-7), which has no correct digit below ~1e-7.
 * Φ(±∞) = 1 or 0; NaN → NaN.
 */
export function normalCdf(x: number): number {
  if (x !== x) return Number.NaN;
  const z = Math.abs(x);
  if (z <= 3) {
    const q = x * x;
    let term = x;
    let sum = x;
    for (let i = 3; i < 200; i += 2) {
      term *= q / i;
      const next = sum + term;
      if (next === sum) break;
      sum = next;
    }
    return 0.5 + INV_SQRT_2PI * Math.exp(-0.5 * q) * sum;
  }
  if (z === Number.POSITIVE_INFINITY) return x > 0 ? 1 : 0;
  let fraction = z;
  for (let k = 60; k >= 1; k--) fraction = z + k / fraction;
  const upperTail = (INV_SQRT_2PI * Math.exp(-0.5 * z * z)) / fraction;
  return x < 0 ? upperTail : 1 - upperTail;
}

const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
] as const;
const ACKLAM_B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
] as const;
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
] as const;
const ACKLAM_D = [
  7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416,
] as const;

/**
 * The standard normal quantile Φ⁻¹(p), by Peter J. Acklam's algorithm (2003): a rational
 * approximation in q = p − ½ on the central region 0.02425 ≤ p ≤ 0.97575 and in
 * q = √(−2·ln p) (or of 1 − p) in the tails; relative error below 1.15e-9 on (0, 1).
 * Returns −∞ at 0, +∞ at 1 and NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const [a1, a2, a3, a4, a5, a6] = ACKLAM_A;
  const [b1, b2, b3, b4, b5] = ACKLAM_B;
  const [c1, c2, c3, c4, c5, c6] = ACKLAM_C;
  const [d1, d2, d3, d4] = ACKLAM_D;
  const pLow = 0.02425;
  if (p < pLow || p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(p < pLow ? p : 1 - p));
    const x =
      (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) /
      ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
    return p < pLow ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q) /
    (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1)
  );
}

/** Counts of one A/B test on a conversion metric. */
export interface ConversionCounts {
  /** Users (or sessions) in arm A, the control. */
  usersA: number;
  /** Conversions in arm A. */
  conversionsA: number;
  /** Users in arm B, the treatment. */
  usersB: number;
  /** Conversions in arm B. */
  conversionsB: number;
}

/** The result of a two-proportion z-test. */
export interface TwoProportionTest {
  /** conversionsA / usersA. */
  rateA: number;
  /** conversionsB / usersB. */
  rateB: number;
  /** rateB − rateA. */
  difference: number;
  /** (rateB − rateA) / rateA; NaN when rateA is 0. */
  relativeLift: number;
  /** (conversionsA + conversionsB) / (usersA + usersB). */
  pooledRate: number;
  /** √(p̂(1 − p̂)(1/nA + 1/nB)) with the pooled rate p̂. */
  standardError: number;
  /** difference / standardError; positive when B converts better. 0 when SE is 0. */
  z: number;
  /** Two-sided p-value 2·(1 − Φ(|z|)). */
  pValue: number;
  /** Wald interval of the difference at 1 − alpha, with the unpooled standard error. */
  differenceInterval: { low: number; high: number };
  /** pValue < alpha. */
  significant: boolean;
  /** The significance level used. */
  alpha: number;
}

/**
 * Two-proportion z-test of H0: rateA = rateB with the pooled standard error
 * SE = √(p̂(1 − p̂)(1/nA + 1/nB)), p̂ = (xA + xB)/(nA + nB), z = (p̂B − p̂A)/SE and the
 * two-sided p = 2·(1 − Φ(|z|)) (equivalent to Pearson's χ² test without continuity
 * correction). Example: 200/2,000 vs 250/2,000 gives z ≈ 2.50, p ≈ 0.012.
 * The interval of the difference uses the unpooled SE √(p̂A(1−p̂A)/nA + p̂B(1−p̂B)/nB).
 */
export function twoProportionZTest(counts: ConversionCounts, alpha = 0.05): TwoProportionTest {
  const { usersA, conversionsA, usersB, conversionsB } = counts;
  if (!(usersA > 0 && usersB > 0)) throw new RangeError('each arm needs at least one user');
  if (!(
    conversionsA >= 0 &&
    conversionsA <= usersA &&
    conversionsB >= 0 &&
    conversionsB <= usersB
  )) {
    throw new RangeError('conversions must lie between 0 and the number of users');
  }
  const rateA = conversionsA / usersA;
  const rateB = conversionsB / usersB;
  const difference = rateB - rateA;
  const pooledRate = (conversionsA + conversionsB) / (usersA + usersB);
  const standardError = Math.sqrt(pooledRate * (1 - pooledRate) * (1 / usersA + 1 / usersB));
  const z = standardError > 0 ? difference / standardError : 0;
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  const unpooled = Math.sqrt((rateA * (1 - rateA)) / usersA + (rateB * (1 - rateB)) / usersB);
  const zCrit = normalQuantile(1 - alpha / 2);
  return {
    rateA,
    rateB,
    difference,
    relativeLift: rateA > 0 ? difference / rateA : Number.NaN,
    pooledRate,
    standardError,
    z,
    pValue,
    differenceInterval: { low: difference - zCrit * unpooled, high: difference + zCrit * unpooled },
    significant: pValue < alpha,
    alpha,
  };
}

function checkRate(p: number, name: string): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`${name} must lie strictly between 0 and 1`);
}

/**
 * Users needed per arm for a two-sided two-proportion z-test to detect p1 → p2 with the
 * given power (Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions", 3rd
 * ed., eq. 4.14, without continuity correction):
 *
 *   n = ( z_{1−α/2}·√(2·p̄(1 − p̄)) + z_{1−β}·√(p1(1 − p1) + p2(1 − p2)) )² / (p1 − p2)²,
 *   p̄ = (p1 + p2)/2, power = 1 − β, rounded up.
 *
 * Example: 10% → 12% at α = 0.05 and 80% power needs 3,841 users per arm (n = 3,840.8).
 */
export function sampleSizePerArm(p1: number, p2: number, alpha = 0.05, power = 0.8): number {
  checkRate(p1, 'p1');
  checkRate(p2, 'p2');
  if (p1 === p2) throw new RangeError('p1 and p2 must differ');
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
    throw new RangeError('alpha and power must lie in (0, 1)');
  }
  const pBar = (p1 + p2) / 2;
  const numerator =
    normalQuantile(1 - alpha / 2) * Math.sqrt(2 * pBar * (1 - pBar)) +
    normalQuantile(power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  // The tiny relative slack keeps an exact integer (up to rounding error) from rounding up.
  return Math.ceil((numerator * numerator) / ((p1 - p2) * (p1 - p2)) - 1e-9);
}

/**
 * Power of a two-sided two-proportion z-test with `usersPerArm` users in each arm when the
 * true rates are p1 and p2, the inverse of `sampleSizePerArm`:
 *
 *   power = Φ((|p1 − p2|·√n − z_{1−α/2}·√(2p̄(1 − p̄))) / √(p1(1−p1) + p2(1−p2)))
 *         + Φ((−|p1 − p2|·√n − z_{1−α/2}·√(2p̄(1 − p̄))) / √(p1(1−p1) + p2(1−p2))),
 *
 * the second term being the (tiny) chance of rejecting in the wrong direction. Equals alpha
 * when p1 = p2.
 */
export function powerOf(usersPerArm: number, p1: number, p2: number, alpha = 0.05): number {
  checkRate(p1, 'p1');
  checkRate(p2, 'p2');
  if (!(usersPerArm > 0)) throw new RangeError('usersPerArm must be positive');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('alpha must lie in (0, 1)');
  const pBar = (p1 + p2) / 2;
  const nullSd = Math.sqrt(2 * pBar * (1 - pBar));
  const altSd = Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  const zCrit = normalQuantile(1 - alpha / 2);
  const shift = Math.abs(p1 - p2) * Math.sqrt(usersPerArm);
  return normalCdf((shift - zCrit * nullSd) / altSd) + normalCdf((-shift - zCrit * nullSd) / altSd);
}
