import { describe, expect, it } from 'vitest';
import {
  chiSquareEvidently,
  chiSquareGoodnessOfFit,
  chiSquareHomogeneity,
} from '@lib/drift/chi-square';
import { chiSquareSf, logGamma, regularizedGammaP, regularizedGammaQ } from '@lib/drift/gamma';
import { normalCdf, twoProportionZTest } from '@lib/experiments/ab-test';
import { relativeError } from './drift-fixtures';

describe('logGamma', () => {
  it('matches factorials and Γ(½) = √π', () => {
    let logFactorial = 0;
    for (let n = 1; n <= 25; n++) {
      // ln Γ(n) = ln (n − 1)!
      expect(logGamma(n)).toBeCloseTo(logFactorial, 11);
      logFactorial += Math.log(n);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
  });

  it('matches SciPy gammaln', () => {
    // scipy.special.gammaln, SciPy 1.17.1.
    expect(relativeError(logGamma(100), 359.1342053695754)).toBeLessThan(1e-14);
    expect(relativeError(logGamma(0.1), 2.252712651734206)).toBeLessThan(1e-13);
    expect(relativeError(logGamma(1234.5), 7550.550901077894)).toBeLessThan(1e-14);
  });
});

describe('regularised incomplete gamma', () => {
  it('has closed forms for integer a', () => {
    // Q(1, x) = e^{−x}; Q(3, x) = e^{−x}(1 + x + x²/2) (Poisson tail identity).
    for (const x of [0.1, 1, 2.5, 4, 10, 30]) {
      expect(relativeError(regularizedGammaQ(1, x), Math.exp(-x))).toBeLessThan(1e-13);
      expect(
        relativeError(regularizedGammaQ(3, x), Math.exp(-x) * (1 + x + (x * x) / 2)),
      ).toBeLessThan(1e-13);
      expect(regularizedGammaP(3, x) + regularizedGammaQ(3, x)).toBeCloseTo(1, 14);
    }
  });

  it('handles the ends', () => {
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaQ(2, Infinity)).toBe(0);
    expect(regularizedGammaQ(0, 1)).toBeNaN();
  });
});

describe('chiSquareSf', () => {
  it('has closed forms for 1, 2 and 4 degrees of freedom', () => {
    for (const x of [0.01, 0.5, 3.84, 10, 50]) {
      // df = 2: e^{−x/2}; df = 4: e^{−x/2}(1 + x/2); df = 1: 2(1 − Φ(√x)), Φ from the A/B-test
      // engine's independent normal CDF.
      expect(relativeError(chiSquareSf(x, 2), Math.exp(-x / 2))).toBeLessThan(1e-13);
      expect(relativeError(chiSquareSf(x, 4), Math.exp(-x / 2) * (1 + x / 2))).toBeLessThan(1e-13);
      expect(relativeError(chiSquareSf(x, 1), 2 * normalCdf(-Math.sqrt(x)))).toBeLessThan(1e-9);
    }
    // The familiar 5% critical value of one degree of freedom.
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
  });

  it('matches SciPy chi2.sf, including far tails', () => {
    // scipy.stats.chi2.sf(x, df), SciPy 1.17.1.
    const cases: Array<[number, number, number]> = [
      [3, 7, 0.8850022316431506],
      [14.07, 7, 0.049950250317479475],
      [40, 30, 0.10486428110798468],
      [100, 30, 1.8568023365102314e-9],
      [124.3, 100, 0.050266398300158416],
      [300, 100, 7.4121008573230175e-22],
      [0.5, 5, 0.9921232932326296],
      [0.001, 3, 0.9999915920809419],
      [60, 3, 5.878230727906921e-13],
    ];
    for (const [x, df, expected] of cases) {
      expect(relativeError(chiSquareSf(x, df), expected), `x=${x}, df=${df}`).toBeLessThan(1e-10);
    }
  });
});

describe('chiSquareHomogeneity', () => {
  it('computes a 2 × 3 table by hand', () => {
    // Rows (10, 20, 30) and (20, 20, 20): totals 60 and 60, columns 30, 40, 50, N = 120, so the
    // expected counts are 15, 20, 25 in both rows and χ² = 2·(25/15 + 0 + 25/25) = 16/3 with
    // df = 2, whose survival function is exactly e^{−χ²/2} = e^{−8/3}.
    const r = chiSquareHomogeneity([10, 20, 30], [20, 20, 20]);
    expect(r.statistic).toBeCloseTo(16 / 3, 13);
    expect(r.degreesOfFreedom).toBe(2);
    expect(r.pValue).toBeCloseTo(Math.exp(-8 / 3), 13);
  });

  it('equals the squared two-proportion z statistic on a 2 × 2 table', () => {
    // Pearson's χ² without continuity correction is z² of the pooled two-proportion test.
    const r = chiSquareHomogeneity([1800, 200], [1750, 250]);
    const z = twoProportionZTest({
      usersA: 2000,
      conversionsA: 200,
      usersB: 2000,
      conversionsB: 250,
    });
    expect(r.statistic).toBeCloseTo(z.z * z.z, 10);
    expect(r.pValue).toBeCloseTo(z.pValue, 9);
  });

  it('matches SciPy chi2_contingency(correction=False) on a 2 × 6 table', () => {
    // stats.chi2_contingency([[120, 80, 95, 300, 20, 40], [1300, 700, 1100, 2800, 500, 300]],
    // correction=False), SciPy 1.17.1.
    const r = chiSquareHomogeneity([120, 80, 95, 300, 20, 40], [1300, 700, 1100, 2800, 500, 300]);
    expect(relativeError(r.statistic, 25.57284855265871)).toBeLessThan(1e-12);
    expect(relativeError(r.pValue, 0.0001079705382193136)).toBeLessThan(1e-9);
    expect(r.degreesOfFreedom).toBe(5);
  });

  it('drops categories empty in both samples and keeps those seen on one side', () => {
    const withEmpty = chiSquareHomogeneity([10, 0, 30], [20, 0, 20]);
    const without = chiSquareHomogeneity([10, 30], [20, 20]);
    expect(withEmpty.statistic).toBeCloseTo(without.statistic, 14);
    expect(withEmpty.degreesOfFreedom).toBe(1);
    expect(withEmpty.categories).toBe(2);
    // A category only the current window has: finite statistic, counted in df.
    const newCategory = chiSquareHomogeneity([50, 50, 0], [45, 45, 10]);
    expect(Number.isFinite(newCategory.statistic)).toBe(true);
    expect(newCategory.degreesOfFreedom).toBe(2);
    expect(newCategory.pValue).toBeLessThan(0.01);
  });

  it('gives p = 1 with a single category (a constant column)', () => {
    expect(chiSquareHomogeneity([40], [7])).toEqual({
      statistic: 0,
      degreesOfFreedom: 0,
      pValue: 1,
      categories: 1,
    });
    expect(chiSquareHomogeneity([40, 0], [7, 0]).pValue).toBe(1);
  });

  it('is symmetric and refuses bad input', () => {
    const a = chiSquareHomogeneity([5, 9, 14], [11, 3, 8]);
    const b = chiSquareHomogeneity([11, 3, 8], [5, 9, 14]);
    expect(b.statistic).toBeCloseTo(a.statistic, 13);
    expect(() => chiSquareHomogeneity([1, 2], [1])).toThrow(RangeError);
    expect(() => chiSquareHomogeneity([1, -2], [1, 2])).toThrow(RangeError);
    expect(() => chiSquareHomogeneity([0, 0], [1, 2])).toThrow(RangeError);
  });
});

describe("Evidently's goodness-of-fit chi-square", () => {
  it('matches SciPy chisquare with expected = reference × n_cur/n_ref', () => {
    // stats.chisquare([1300, 700, 1100, 2800, 500, 300], [x * 6700/655 for x in ref]),
    // SciPy 1.17.1.
    const r = chiSquareEvidently([120, 80, 95, 300, 20, 40], [1300, 700, 1100, 2800, 500, 300]);
    expect(relativeError(r.statistic, 517.5631709871693)).toBeLessThan(1e-12);
    expect(relativeError(r.pValue, 1.290815456045254e-109)).toBeLessThan(1e-8);
  });

  it('is infinite for a category the reference never saw', () => {
    const r = chiSquareGoodnessOfFit([45, 45, 10], [50, 50, 0]);
    expect(r.statistic).toBe(Infinity);
    expect(r.pValue).toBe(0);
  });

  it('inflates the statistic of a large window against a small reference', () => {
    // Same shares on both sides but a small reference: the homogeneity test accounts for the
    // reference's noise, the goodness-of-fit test does not. With reference shares off by
    // sampling noise, GOF's χ² is (1 + n_cur/n_ref) = 11 times the homogeneity χ² here.
    const ref = [260, 240, 500];
    const cur = [2400, 2600, 5000];
    const gof = chiSquareEvidently(ref, cur).statistic;
    const hom = chiSquareHomogeneity(ref, cur).statistic;
    expect(gof / hom).toBeCloseTo(11, 0);
  });
});
