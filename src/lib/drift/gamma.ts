/**
 * The log-gamma function and the regularised incomplete gamma functions, for chi-square
 * p-values (Press, Teukolsky, Vetterling & Flannery, "Numerical Recipes", 3rd ed., §6.1–6.2).
 */

/** Lanczos coefficients for g = 7, n = 9 (P. Godfrey), good to about 1e-15 relative. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
] as const;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, 9 terms):
 * Γ(z + 1) = √(2π) (z + g + ½)^{z+½} e^{−(z+g+½)} A_g(z), A_g(z) = c₀ + Σ cₖ/(z + k);
 * for x < ½ the reflection Γ(x)Γ(1 − x) = π / sin(πx). Relative error about 1e-15.
 * Returns NaN for x ≤ 0 (not needed here).
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  for (let k = 1; k < LANCZOS.length; k++) a += (LANCZOS[k] as number) / (z + k);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-16;
/** Smallest normal double over EPS (NR's FPMIN). */
const FPMIN = 2.2250738585072014e-308 / EPS;
const MAX_ITERATIONS = 100_000;

/** P(a, x) by its series: e^{−x} x^a / Γ(a) · Σ_{n≥0} x^n / (a(a+1)…(a+n)) (NR §6.2, gser). */
function gammaPSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < MAX_ITERATIONS; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/**
 * Q(a, x) by its continued fraction e^{−x} x^a / Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a −
 * 2·(2 − a)/(x + 5 − a − …))), evaluated by the modified Lentz method (NR §6.2, gcf).
 */
function gammaQContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/**
 * The regularised upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a) = 1 − P(a, x), for
 * a > 0, x ≥ 0: the series for P when x < a + 1 (then Q = 1 − P), the continued fraction for
 * Q otherwise, so each is used where it converges fast and Q keeps its relative accuracy in
 * the far tail (Numerical Recipes §6.2). Q(a, 0) = 1, Q(a, ∞) = 0.
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  if (x < a + 1) return Math.max(0, 1 - gammaPSeries(a, x));
  return Math.min(1, gammaQContinuedFraction(a, x));
}

/** The regularised lower incomplete gamma function P(a, x) = 1 − Q(a, x). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  if (x < a + 1) return Math.min(1, gammaPSeries(a, x));
  return Math.max(0, 1 - gammaQContinuedFraction(a, x));
}

/**
 * The chi-square survival function P(χ²_k > x) = Q(k/2, x/2) with k degrees of freedom
 * (k > 0). Closed forms to check against: k = 2 gives e^{−x/2}; k = 1 gives 2(1 − Φ(√x)).
 */
export function chiSquareSf(x: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(degreesOfFreedom / 2, x / 2);
}
