import { describe, expect, it } from 'vitest';
import { binaryZTest } from '@lib/drift/z-test-binary';
import { histogramSorted, sturgesEdges } from '@lib/drift/binning';
import { jensenShannonDistance, jensenShannonDrift } from '@lib/drift/jensen-shannon';
import { normedWasserstein, wassersteinDistance } from '@lib/drift/wasserstein';
import { GOLDEN, PLASTIC, relativeError, seq } from './drift-fixtures';

describe('binaryZTest', () => {
  it('matches the two-proportion z-test by hand', () => {
    // 200 of 2,000 vs 250 of 2,000: pooled p̂ = 0.1125, SE = √(0.1125·0.8875·2/2000),
    // z = 0.025/SE = 2.501955416802671, p = 2·norm.sf(z) = 0.012350947711191423 (SciPy).
    const ref = new Float64Array(2000);
    const cur = new Float64Array(2000);
    ref.fill(1, 0, 200);
    cur.fill(1, 0, 250);
    const r = binaryZTest(ref, cur);
    expect(r.z).toBeCloseTo(2.501955416802671, 12);
    expect(relativeError(r.pValue, 0.012350947711191423)).toBeLessThan(1e-9);
    expect(r.referenceShare).toBe(0.1);
    expect(r.currentShare).toBe(0.125);
  });

  it('maps any two codes as Evidently does (smaller value → 0)', () => {
    const a = binaryZTest([3, 3, 7, 7, 7], [3, 7, 7, 7, 7, 7]);
    const b = binaryZTest([0, 0, 1, 1, 1], [0, 1, 1, 1, 1, 1]);
    expect(a.pValue).toBe(b.pValue);
    expect(a.firstValue).toBe(3);
    expect(a.secondValue).toBe(7);
  });

  it('gives p = 1 for one constant value on both sides and a tiny p for opposite constants', () => {
    const same = binaryZTest([1, 1, 1], [1, 1]);
    expect(same.pValue).toBe(1);
    expect(same.secondValue).toBeNull();
    // All 0 vs all 1, 50 rows each: p̂ = ½, SE = √(¼·(2/50)) = 0.1, z = 10.
    const flipped = binaryZTest(new Array(50).fill(0), new Array(50).fill(1));
    expect(flipped.z).toBeCloseTo(10, 12);
    expect(flipped.pValue).toBeLessThan(1e-20);
  });

  it('refuses more than two values', () => {
    expect(() => binaryZTest([0, 1, 2], [0, 1])).toThrow(RangeError);
    expect(() => binaryZTest([0, 1], [0, 5, 1])).toThrow(RangeError);
  });
});

describe('wassersteinDistance', () => {
  it('matches SciPy documentation examples and hand values', () => {
    // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.0 (SciPy docs).
    expect(wassersteinDistance([0, 1, 3], [5, 6, 8])).toBe(5);
    // Half the mass of {0, 0} moves from 0 to 1: 0.5.
    expect(wassersteinDistance([0, 0], [0, 1])).toBe(0.5);
    // Unequal sizes: {0, 2} to {1}: half the mass moves 1 each way: 1.
    expect(wassersteinDistance([0, 2], [1])).toBe(1);
    expect(wassersteinDistance([4, 4, 4], [4])).toBe(0);
  });

  it('matches SciPy on larger samples, with ties', () => {
    // [n, m, shift, scale, round, stats.wasserstein_distance(a, b), np.std(a)] with
    // a = seq(n, GOLDEN, 1, 0, round), b = seq(m, PLASTIC, scale, shift, round), SciPy 1.17.1.
    const cases: Array<[number, number, number, number, number, number, number]> = [
      [37, 53, 0.05, 1, 0, 0.045501992825754956, 0.286738084028812],
      [1000, 10000, 0.03, 2, 0, 0.5299287638515392, 0.288647776639381],
      [60, 90, 0.1, 1, 10, 0.09111111111111111, 0.29268868558020256],
    ];
    for (const [n, m, shift, scale, round, w, std] of cases) {
      const a = seq(n, GOLDEN, 1, 0, round);
      const b = seq(m, PLASTIC, scale, shift, round);
      expect(relativeError(wassersteinDistance(a, b), w)).toBeLessThan(1e-12);
      const normed = normedWasserstein(a, b);
      expect(relativeError(normed.referenceStd, std)).toBeLessThan(1e-12);
      expect(relativeError(normed.statistic, w / std)).toBeLessThan(1e-12);
    }
  });

  it("norms by the reference's population std, floored at 0.001 (Evidently)", () => {
    // Reference 1, 2, 3, 4: std (ddof 0) = √1.25. Shifting everything by 0.5 moves W by 0.5.
    const r = normedWasserstein([1, 2, 3, 4], [1.5, 2.5, 3.5, 4.5]);
    expect(r.distance).toBeCloseTo(0.5, 14);
    expect(r.statistic).toBeCloseTo(0.5 / Math.sqrt(1.25), 14);
    // A constant reference: std 0, normed by 0.001, so a shift of 0.0002 scores 0.2 (drift).
    const constant = normedWasserstein([5, 5, 5], [5.0002, 5.0002]);
    expect(constant.referenceStd).toBe(0);
    expect(constant.normaliser).toBe(0.001);
    expect(constant.statistic).toBeCloseTo(0.2, 9);
  });
});

describe('Sturges bins (numpy histogram_bin_edges)', () => {
  it('matches numpy on pooled samples', () => {
    // np.histogram_bin_edges(concat(seq(37, GOLDEN), seq(53, PLASTIC, 1, 0.05)), bins='sturges'),
    // NumPy 2.x: ⌈log₂ 90 + 1⌉ = 8 bins.
    const pooled = [...seq(37, GOLDEN), ...seq(53, PLASTIC, 1, 0.05)];
    const edges = sturgesEdges(Math.min(...pooled), Math.max(...pooled), pooled.length);
    const numpy = [
      0.013155617496426686, 0.14138687107036665, 0.2696181246443066, 0.3978493782182466,
      0.5260806317921866, 0.6543118853661265, 0.7825431389400666, 0.9107743925140065,
      1.0390056460879464,
    ];
    expect(edges.length).toBe(numpy.length);
    numpy.forEach((e, i) => expect(edges[i]).toBeCloseTo(e, 14));
  });

  it('counts like np.histogram: half-open bins, the last closed', () => {
    const counts = histogramSorted([0, 1, 1, 2, 3, 4], [0, 2, 4]);
    expect(Array.from(counts)).toEqual([3, 3]);
    // A constant sample: one bin [c − ½, c + ½].
    expect(Array.from(sturgesEdges(3, 3, 10))).toEqual([2.5, 3.5]);
  });
});

describe('jensenShannonDistance', () => {
  it('matches SciPy documentation examples', () => {
    // scipy.spatial.distance.jensenshannon([1, 0, 0], [0, 1, 0], 2.0) = 1.0 and
    // jensenshannon([1.0, 0.0], [0.5, 0.5]) = 0.46450140402245893 (natural log, SciPy docs).
    expect(jensenShannonDistance([1, 0, 0], [0, 1, 0], 2)).toBeCloseTo(1, 15);
    expect(jensenShannonDistance([1, 0], [0.5, 0.5])).toBeCloseTo(0.46450140402245893, 14);
    // Disjoint supports in base e: √(ln 2).
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.LN2), 15);
    expect(jensenShannonDistance([0.2, 0.8], [0.2, 0.8])).toBe(0);
  });

  it('normalises weights first and refuses bad input', () => {
    expect(jensenShannonDistance([2, 6], [5, 5], 2)).toBeCloseTo(
      jensenShannonDistance([0.25, 0.75], [0.5, 0.5], 2),
      15,
    );
    expect(() => jensenShannonDistance([1], [1, 0])).toThrow(RangeError);
    expect(() => jensenShannonDistance([0, 0], [1, 0])).toThrow(RangeError);
    expect(() => jensenShannonDistance([-1, 2], [1, 0])).toThrow(RangeError);
  });

  it("matches Evidently's jensenshannon stattest re-run with NumPy and SciPy", () => {
    // [n, m, shift, scale, round, distance, bins]: Evidently's get_binned_data (Sturges bins
    // over both samples when the reference has > 20 distinct values, else one bin per value)
    // followed by distance.jensenshannon(ref, cur, 2), re-run in Python on
    // seq(n, GOLDEN, 1, 0, round) and seq(m, PLASTIC, scale, shift, round).
    const cases: Array<[number, number, number, number, number, number, number]> = [
      [37, 53, 0.05, 1, 0, 0.09554407768505711, 8],
      [1000, 10000, 0.03, 2, 0, 0.5484781221976402, 15],
      [2000, 3000, 0.1, 1, 10, 0.24865464544086033, 12],
      [1500, 1500, 0.2, 1, 4, 0.3473528936455129, 6],
    ];
    for (const [n, m, shift, scale, round, expected, bins] of cases) {
      const r = jensenShannonDrift(
        seq(n, GOLDEN, 1, 0, round),
        seq(m, PLASTIC, scale, shift, round),
        true,
      );
      expect(relativeError(r.statistic, expected), `n=${n}, m=${m}`).toBeLessThan(1e-12);
      expect(r.bins.reference.length).toBe(bins);
    }
  });
});
