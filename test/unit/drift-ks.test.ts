import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KS_MAX_AUTO_EXACT_ROWS,
  ksAutoMethod,
  ksExactPValue,
  ksStatisticSorted,
  ksTest,
} from '@lib/drift/ks';
import { GOLDEN, PLASTIC, relativeError, seq } from './drift-fixtures';

/** C(n, k) as a float (exact for the small n used here). */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * Independent exact p-value by brute force: the pooled ranks 0…N−1 (no ties) are split in
 * every one of the C(N, n) possible ways, D is computed straight from its definition
 * (max over x of |F_ref(x) − F_cur(x)|) and the share of splits with D ≥ D_obs counted.
 */
function bruteForcePValue(n: number, m: number, observed: number): number {
  const total = n + m;
  let hits = 0;
  let splits = 0;
  for (let mask = 0; mask < 1 << total; mask++) {
    let bits = 0;
    for (let b = 0; b < total; b++) if (mask & (1 << b)) bits++;
    if (bits !== n) continue;
    splits++;
    let inRef = 0;
    let d = 0;
    for (let x = 0; x < total; x++) {
      if (mask & (1 << x)) inRef++;
      d = Math.max(d, Math.abs(inRef / n - (x + 1 - inRef) / m));
    }
    if (d >= observed - 1e-12) hits++;
  }
  expect(splits).toBe(binomial(total, n));
  return hits / splits;
}

describe('ksStatisticSorted', () => {
  it('computes D by hand for separated samples', () => {
    const s = ksStatisticSorted([1, 2, 3], [4, 5, 6]);
    expect(s.statistic).toBe(1);
    expect(s.latticeDistance).toBe(3);
    expect(s.lcm).toBe(3);
    expect(s.sign).toBe(1); // the reference ECDF is above: the current sample sits to the right
    expect(s.location).toBe(3);
  });

  it('handles ties exactly', () => {
    // ECDFs at 1, 2, 3, 4: reference 1/4, 3/4, 1, 1; current 0, 3/4, 3/4, 1. By hand D = 1/4,
    // first reached at x = 1. A walk that stepped through tied values one by one would see
    // |2/4 − 3/4| or |1/4 − 3/4| = 1/2 inside the block of 2s. SciPy: D = 0.25, location 1.
    const s = ksStatisticSorted([1, 2, 2, 3], [2, 2, 2, 4]);
    expect(s.statistic).toBe(0.25);
    expect(s.location).toBe(1);
  });

  it('reports the sign of the largest gap', () => {
    expect(ksStatisticSorted([4, 5, 6], [1, 2, 3]).sign).toBe(-1);
    expect(ksStatisticSorted([4, 5, 6], [1, 2, 3]).location).toBe(3);
  });

  it('is 0 for identical samples and for a constant column against itself', () => {
    expect(ksStatisticSorted([1, 2, 3], [1, 2, 3]).statistic).toBe(0);
    expect(ksStatisticSorted([7, 7, 7], [7, 7]).statistic).toBe(0);
  });
});

describe('ksExactPValue', () => {
  it('gives 2/C(2n, n) for completely separated samples', () => {
    // Only the two extreme splits reach D = 1: p = 2/C(6, 3) = 0.1; SciPy: 0.09999999999999999.
    expect(ksTest([1, 2, 3], [4, 5, 6]).pValue).toBeCloseTo(0.1, 15);
    // Constant columns 5 vs 6, ten rows each: 2/C(20, 10) = 1.0825088224469e-5.
    expect(
      relativeError(ksTest(new Array(10).fill(5), new Array(10).fill(6)).pValue, 2 / 184756),
    ).toBeLessThan(1e-12);
  });

  it('matches a brute-force enumeration of all splits', () => {
    const sizes: Array<[number, number]> = [
      [3, 4],
      [5, 5],
      [4, 7],
      [6, 8],
      [2, 9],
      [7, 7],
    ];
    for (const [n, m] of sizes) {
      const lcm = (n * m) / gcdOf(n, m);
      for (let h = 1; h <= lcm; h++) {
        const d = h / lcm;
        const exact = ksExactPValue(n, m, h);
        const brute = bruteForcePValue(n, m, d);
        expect(exact, `n=${n}, m=${m}, h=${h}`).toBeCloseTo(brute, 12);
      }
    }
  });

  it('matches brute force on random untied samples', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 1 << 20 }),
        (n, m, seed) => {
          // A random split of the ranks 0…n+m−1 drawn from the seed.
          const ranks = Array.from({ length: n + m }, (_, i) => i);
          let state = seed;
          for (let i = ranks.length - 1; i > 0; i--) {
            state = (state * 1103515245 + 12345) % 2147483648;
            const j = state % (i + 1);
            [ranks[i], ranks[j]] = [ranks[j] as number, ranks[i] as number];
          }
          const ref = ranks.slice(0, n);
          const cur = ranks.slice(n);
          const result = ksTest(ref, cur);
          expect(result.pValue).toBeCloseTo(bruteForcePValue(n, m, result.statistic), 12);
        },
      ),
      { numRuns: 60 },
    );
  });
});

function gcdOf(a: number, b: number): number {
  return b === 0 ? a : gcdOf(b, a % b);
}

// Reference values: [n, m, shift, round, D, p ('auto'), p ('asymp')] from
// scipy.stats.ks_2samp(seq(n, GOLDEN, 1, 0, round), seq(m, PLASTIC, 1, shift, round)),
// SciPy 1.17.1 (see drift-fixtures.ts). Covers exact n ≠ m, exact n = m, ties (round > 0),
// 'auto' switching to the asymptotic method above 10,000 rows, and a p-value of 1e-68.
const SCIPY_KS: Array<[number, number, number, number, number, number, number]> = [
  [37, 53, 0.05, 0, 0.07547169811320754, 0.9980526249376213, 0.9986041683168649],
  [100, 150, 0.1, 0, 0.11666666666666667, 0.36847493005920456, 0.3596470115103577],
  [200, 200, 0.08, 0, 0.085, 0.46628639073563594, 0.4410737228347541],
  [1000, 10000, 0.03, 0, 0.0314, 0.3259798407883925, 0.3247987076355159],
  [60, 90, 0.1, 10, 0.10555555555555556, 0.7912453805278936, 0.7785519198042505],
  [12000, 300, 0.05, 0, 0.05624999999999997, 0.3006516671152434, 0.3006516671152434],
  [300, 12000, 0.05, 20, 0.05183333333333334, 0.39711101276848115, 0.39711101276848115],
  [500, 700, 0.5, 0, 0.5048571428571429, 3.3888285084004624e-68, 1.9240983770185226e-69],
  [25, 40, 0.3, 0, 0.315, 0.07503349352797963, 0.08035235229713655],
  [8, 12, 0.2, 0, 0.25, 0.8970707311264589, 0.8446],
];

describe('ksTest against SciPy ks_2samp', () => {
  it('matches statistic and p-value, auto and asymptotic', () => {
    for (const [n, m, shift, round, d, pAuto, pAsymp] of SCIPY_KS) {
      const ref = seq(n, GOLDEN, 1, 0, round);
      const cur = seq(m, PLASTIC, 1, shift, round);
      const auto = ksTest(ref, cur);
      const label = `n=${n}, m=${m}`;
      expect(auto.statistic, label).toBeCloseTo(d, 14);
      expect(relativeError(auto.pValue, pAuto), label).toBeLessThan(1e-9);
      expect(auto.method).toBe(Math.max(n, m) <= KS_MAX_AUTO_EXACT_ROWS ? 'exact' : 'asymp');
      const asymp = ksTest(ref, cur, { method: 'asymp' });
      expect(relativeError(asymp.pValue, pAsymp), label).toBeLessThan(1e-9);
    }
  });

  it('is symmetric in the two samples', () => {
    const a = seq(40, GOLDEN);
    const b = seq(70, PLASTIC, 1, 0.1);
    const ab = ksTest(a, b);
    const ba = ksTest(b, a);
    expect(ba.statistic).toBe(ab.statistic);
    expect(ba.pValue).toBeCloseTo(ab.pValue, 14);
    expect(ba.sign).toBe(-ab.sign);
  });
});

describe('ksTest deep tails and the optional work budget', () => {
  const ref = seq(1000, GOLDEN);
  const far = seq(10_000, PLASTIC, 1, 0.5);

  it('keeps its relative accuracy for p-values far below 1e-200', () => {
    // SciPy 1.17.1: ks_2samp(seq(1000, GOLDEN), seq(10000, PLASTIC, 1, 0.5)) → D = 0.5013,
    // p = 1.3600068634044496e-210 (exact); method='asymp' → 7.788579203934484e-212. And with
    // shift 0.2: D = 0.2014, p = 9.164419757101838e-33.
    const r = ksTest(ref, far);
    expect(r.statistic).toBeCloseTo(0.5013, 14);
    expect(r.method).toBe('exact');
    expect(relativeError(r.pValue, 1.3600068634044496e-210)).toBeLessThan(1e-9);
    expect(
      relativeError(ksTest(ref, seq(10_000, PLASTIC, 1, 0.2)).pValue, 9.164419757101838e-33),
    ).toBeLessThan(1e-9);
  });

  it('returns the asymptotic value of a negligible p-value past the budget, on request', () => {
    const budget = ksTest(ref, far, { maxExactSteps: 1_000_000 });
    expect(budget.method).toBe('asymp');
    expect(relativeError(budget.pValue, 7.788579203934484e-212)).toBeLessThan(1e-9);
    // A p-value that matters stays exact whatever the budget.
    const near = ksTest(ref, seq(10_000, PLASTIC, 1, 0.03), { maxExactSteps: 1 });
    expect(near.method).toBe('exact');
    expect(near.pValue).toBe(ksTest(ref, seq(10_000, PLASTIC, 1, 0.03)).pValue);
  });
});

describe('ksTest edge cases', () => {
  it('handles one-row samples', () => {
    // n = m = 1: D = 1 whenever the values differ, but both splits give D = 1, so p = 1.
    expect(ksTest([0], [1])).toMatchObject({ statistic: 1, pValue: 1 });
    // n = 1, m = 2, reference below both: D = 1; 2 of the 3 splits reach it (rank 0 or 2).
    expect(ksTest([0], [1, 2]).pValue).toBeCloseTo(2 / 3, 14);
  });

  it('drops NaN and infinities and refuses empty samples', () => {
    expect(ksTest([1, Number.NaN, 2, 3, Infinity], [4, 5, 6, -Infinity]).pValue).toBeCloseTo(
      0.1,
      15,
    );
    expect(() => ksTest([], [1])).toThrow(RangeError);
    expect(() => ksTest([1], [Number.NaN])).toThrow(RangeError);
  });

  it('accepts typed arrays without changing them', () => {
    const ref = Float32Array.from([3, 1, 2]);
    ksTest(ref, Float64Array.from([6, 5, 4]));
    expect(Array.from(ref)).toEqual([3, 1, 2]);
  });

  it("switches to the asymptotic p-value above 10,000 rows, as SciPy's 'auto'", () => {
    expect(ksAutoMethod(10_000, 10_000)).toBe('exact');
    expect(ksAutoMethod(10_001, 50)).toBe('asymp');
  });

  it('falls back to the asymptotic value when the exact series rounds above 1', () => {
    // SciPy does the same: for n = m = 1000 and D = 0.004 its exact series exceeds 1 and it
    // warns and switches to 'asymp' (p = 1).
    const ref = seq(1000, GOLDEN);
    const cur = seq(1000, PLASTIC);
    const r = ksTest(ref, cur);
    expect(r.statistic).toBeCloseTo(0.004, 15);
    expect(r.method).toBe('asymp');
    expect(r.pValue).toBe(1);
  });
});
