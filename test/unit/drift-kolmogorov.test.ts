import { describe, expect, it } from 'vitest';
import { kolmogorovLimitSf, kolmogorovSf, smirnovSf } from '@lib/drift/kolmogorov';
import { relativeError } from './drift-fixtures';

describe('kolmogorovLimitSf (limiting Kolmogorov distribution)', () => {
  it('matches SciPy on both series', () => {
    // Reference: scipy.special.kolmogorov(x), SciPy 1.17.1 (x ≤ 0.82 and x > 0.82 use
    // different series).
    const cases: Array<[number, number]> = [
      [0.3, 0.9999906941986655],
      [0.5, 0.9639452436648751],
      [0.82, 0.5119717052984973],
      [0.83, 0.4961909953505036],
      [1, 0.26999967167735456],
      [2, 0.0006709252557796953],
      [3, 3.045995948942526e-8],
    ];
    for (const [x, expected] of cases) {
      expect(relativeError(kolmogorovLimitSf(x), expected)).toBeLessThan(1e-13);
    }
  });

  it('gives the textbook 5% critical value 1.358', () => {
    // Smirnov (1948) table: P(K > 1.358) = 0.05 (two-sided, large samples).
    expect(kolmogorovLimitSf(1.3581)).toBeCloseTo(0.05, 5);
  });

  it('agrees with the alternating series summed directly', () => {
    // Independent formula: K(x) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²x²), converging fast for x ≥ 0.6.
    for (const x of [0.6, 0.9, 1.2, 1.5, 2.5]) {
      let sum = 0;
      for (let k = 1; k <= 50; k++) sum += (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * x * x);
      expect(kolmogorovLimitSf(x)).toBeCloseTo(2 * sum, 14);
    }
  });

  it('is 1 at and below 0 and NaN for NaN', () => {
    expect(kolmogorovLimitSf(0)).toBe(1);
    expect(kolmogorovLimitSf(-1)).toBe(1);
    expect(kolmogorovLimitSf(Number.NaN)).toBeNaN();
  });
});

// Reference values: [n, x, scipy.stats.kstwo.sf(x, n), scipy.special.smirnov(n, x)], SciPy
// 1.17.1. The cases cover every branch of SciPy's _kolmogn: Ruben–Gambino (nx ≤ 1 and
// nx ≥ n − 1), x ≥ 0.5 (2·smirnov), n ≤ 140 with Durbin's matrix / Pomeranz / smirnov, and
// n > 140 with Durbin / Pelz–Good / smirnov.
const KSTWO: Array<[number, number, number, number]> = [
  [5, 0.3, 0.664, 0.34282],
  [10, 0.25, 0.4841115325000003, 0.24491372483398438],
  [50, 0.05, 0.9990238098461883, 0.7540751208901442],
  [50, 0.1, 0.6623112704658186, 0.34490701996888],
  [50, 0.2, 0.03143877776953241, 0.01571942744940561],
  [50, 0.35, 5.573523514803185e-6, 2.7867617574015925e-6],
  [100, 0.3, 1.7719869892662917e-8, 8.859934946331458e-9],
  [140, 0.07, 0.4776228287946577, 0.24219493474690557],
  [141, 0.05, 0.854845693009663, 0.47825576606563275],
  [500, 0.03, 0.7473166700457021, 0.39860651692047355],
  [500, 0.07, 0.01416832020019071, 0.007084160100095355],
  [500, 0.2, 5.256835361945869e-18, 2.6284176809729344e-18],
  [1000, 0.02, 0.8108971656895577, 0.44342498843949424],
  [1000, 0.04, 0.07933956059000224, 0.03967222345491756],
  [5000, 0.01, 0.6954557253913853, 0.36544317503217305],
  [20000, 0.02, 2.2181270070049744e-7, 1.1090635035024872e-7],
  [200000, 0.002, 0.39995085369038097, 0.20162757353974722],
  [3, 0.9, 0.0019999999999999987, 0.0009999999999999994],
  [7, 0.6, 0.006140397691438094, 0.003070198845719047],
  [1000, 0.3, 2.590715705736845e-80, 1.2953578528684224e-80],
  [30, 0.25, 0.038724156701105295, 0.019362146406273577],
  [150, 0.044, 0.9210729270405793, 0.5436142605678599],
  [1000, 0.012, 0.9984464668620097, 0.743828685884585],
];

describe('kolmogorovSf (exact two-sided, SciPy kstwo.sf)', () => {
  it('matches SciPy on every branch', () => {
    for (const [n, x, expected] of KSTWO) {
      expect(relativeError(kolmogorovSf(n, x), expected), `n=${n}, x=${x}`).toBeLessThan(1e-11);
    }
  });

  it("keeps the CDF's digits where Durbin's matrix serves n > 140", () => {
    // scipy.stats.kstwo.cdf(x, n): n·x^1.5 ≤ 1.4 and n > 140 select the matrix method.
    expect(relativeError(1 - kolmogorovSf(150, 0.044), 0.07892707295942067)).toBeLessThan(1e-9);
    expect(relativeError(1 - kolmogorovSf(1000, 0.012), 0.0015535331379903396)).toBeLessThan(1e-8);
  });

  it('has the closed form 2(1 − x) for one observation', () => {
    // D₁ = max(U, 1 − U) for U uniform, so P(D₁ ≥ x) = 2(1 − x) for x ≥ ½ and 1 below.
    expect(kolmogorovSf(1, 0.3)).toBe(1);
    expect(kolmogorovSf(1, 0.7)).toBeCloseTo(0.6, 14);
    expect(kolmogorovSf(1, 0.95)).toBeCloseTo(0.1, 14);
  });

  it('approaches the limiting distribution as n grows', () => {
    // P(Dₙ ≥ λ/√n) → K(λ); the gap shrinks like 1/√n.
    const lambda = 1.2;
    const gap = (n: number): number =>
      Math.abs(kolmogorovSf(n, lambda / Math.sqrt(n)) - kolmogorovLimitSf(lambda));
    expect(gap(100_000)).toBeLessThan(gap(1000));
    expect(gap(100_000)).toBeLessThan(2e-3);
  });

  it('handles the edges', () => {
    expect(kolmogorovSf(10, 0)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
    expect(kolmogorovSf(10, 0.04)).toBe(1); // nx ≤ ½: D₁₀ is always at least 1/20
    // nx² ≥ 370 for n > 140: SciPy returns 0 without computing (kstwo.sf(0.3, 5000) = 0.0).
    expect(kolmogorovSf(5000, 0.3)).toBe(0);
    expect(kolmogorovSf(2.5, 0.3)).toBeNaN();
    expect(kolmogorovSf(10, Number.NaN)).toBeNaN();
  });
});

describe('smirnovSf (exact one-sided)', () => {
  it('matches SciPy special.smirnov', () => {
    for (const [n, x, , expected] of KSTWO) {
      expect(relativeError(smirnovSf(n, x), expected), `n=${n}, x=${x}`).toBeLessThan(1e-11);
    }
  });

  it('has closed forms at the ends', () => {
    // n = 1: P(D⁺ ≥ x) = 1 − x; x ≥ 1 − 1/n: (1 − x)ⁿ.
    expect(smirnovSf(1, 0.3)).toBeCloseTo(0.7, 15);
    expect(smirnovSf(4, 0.8)).toBeCloseTo(0.2 ** 4, 15);
    expect(smirnovSf(5, 0)).toBe(1);
    expect(smirnovSf(5, 1)).toBe(0);
  });
});
