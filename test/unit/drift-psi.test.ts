import { describe, expect, it } from 'vitest';
import { referenceQuantileCuts } from '@lib/drift/binning';
import { PSI_EPSILON, populationStabilityIndex, psiBand, psiFromShares } from '@lib/drift/psi';
import { GOLDEN, PLASTIC, relativeError, seq } from './drift-fixtures';

describe('psiFromShares', () => {
  it('computes Σ (cur − ref)·ln(cur/ref) by hand', () => {
    // (0.25 − 0.5)·ln(0.5) + (0.75 − 0.5)·ln(1.5) = 0.25·(ln 2 + ln 1.5) = 0.25·ln 3.
    expect(psiFromShares([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.25 * Math.log(3), 15);
    expect(psiFromShares([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
  });

  it('replaces empty shares by ε = 0.0001', () => {
    // Bin 3 is empty in the reference: (0.1 − ε)·ln(0.1/ε); bin 2: (0.4 − 0.5)·ln(0.8).
    const expected = -0.1 * Math.log(0.8) + (0.1 - 1e-4) * Math.log(0.1 / 1e-4);
    expect(PSI_EPSILON).toBe(1e-4);
    expect(psiFromShares([0.5, 0.5, 0], [0.5, 0.4, 0.1])).toBeCloseTo(expected, 14);
    // A bin empty on both sides adds nothing.
    expect(psiFromShares([0.5, 0.5, 0], [0.5, 0.5, 0])).toBe(0);
  });

  it('is symmetric in the two share vectors', () => {
    expect(psiFromShares([0.1, 0.6, 0.3], [0.3, 0.3, 0.4])).toBeCloseTo(
      psiFromShares([0.3, 0.3, 0.4], [0.1, 0.6, 0.3]),
      15,
    );
  });
});

describe('psiBand', () => {
  it('reads the conventional bands', () => {
    expect(psiBand(0.0999)).toBe('none');
    expect(psiBand(0.1)).toBe('moderate');
    expect(psiBand(0.2499)).toBe('moderate');
    expect(psiBand(0.25)).toBe('major');
  });
});

describe('populationStabilityIndex', () => {
  it('uses reference deciles (numpy linear quantiles)', () => {
    // Reference 1…100: Q(k/10) = 1 + 99·k/10 = 10.9, 20.8, …, 90.1, ten rows per bin.
    const ref = Array.from({ length: 100 }, (_, i) => i + 1);
    const cuts = referenceQuantileCuts(Float64Array.from(ref), 10);
    [10.9, 20.8, 30.7, 40.6, 50.5, 60.4, 70.3, 80.2, 90.1].forEach((c, k) =>
      expect(cuts[k]).toBeCloseTo(c, 12),
    );
    expect(cuts.length).toBe(9);
    expect(populationStabilityIndex(ref, ref).statistic).toBe(0);
    // Current 11…110: bin 1 empty (ε), bins 2–9 hold 10 rows (no change), the top bin 20 rows.
    const shifted = ref.map((x) => x + 10);
    const expected = (1e-4 - 0.1) * Math.log(1e-4 / 0.1) + 0.1 * Math.log(2);
    const r = populationStabilityIndex(ref, shifted);
    expect(r.statistic).toBeCloseTo(expected, 13);
    expect(r.band).toBe('major');
    expect(r.bins.reference.length).toBe(10);
  });

  it('matches a NumPy re-computation on larger samples, with ties', () => {
    // [n, m, shift, scale, round, psi, cut count]: np.quantile(ref, k/10) cuts (unique), shares
    // from np.searchsorted(side='right'), zeros replaced by 1e-4, Σ (c − r)·ln(c/r); on
    // seq(n, GOLDEN, 1, 0, round) and seq(m, PLASTIC, scale, shift, round).
    const cases: Array<[number, number, number, number, number, number, number]> = [
      [37, 53, 0.05, 1, 0, 0.08888296656087384, 9],
      [1000, 10000, 0.03, 2, 0, 1.151882183921959, 9],
      [2000, 3000, 0.1, 1, 10, 0.21754022413184315, 9],
      [500, 500, 0.3, 1, 0, 2.486705234764874, 9],
    ];
    for (const [n, m, shift, scale, round, expected, cuts] of cases) {
      const r = populationStabilityIndex(
        seq(n, GOLDEN, 1, 0, round),
        seq(m, PLASTIC, scale, shift, round),
      );
      expect(relativeError(r.statistic, expected), `n=${n}, m=${m}`).toBeLessThan(1e-12);
      expect(r.bins.edges?.length).toBe(cuts);
    }
  });

  it('merges tied cuts and sees a constant reference shift either way', () => {
    // Reference with heavy ties: 0 ×60, 1 ×30, 2 ×10. By hand (h = 99k/10, linear
    // interpolation) its deciles are 0 (k = 1…5), 0.4 (k = 6), 1 (k = 7, 8) and 1.1 (k = 9):
    // four distinct cuts, five bins.
    const ref = [...new Array(60).fill(0), ...new Array(30).fill(1), ...new Array(10).fill(2)];
    const r = populationStabilityIndex(ref, ref);
    expect(r.statistic).toBe(0);
    expect(Array.from(r.bins.edges ?? [])).toEqual(
      [0, 0.4, 1, 1.1].map((c) => expect.closeTo(c, 12)),
    );
    expect(Array.from(r.bins.reference)).toEqual(
      [0.6, 0, 0.3, 0, 0.1].map((c) => expect.closeTo(c, 12)),
    );
    // Constant reference 5: bins (−∞, 5), [5, 5], (5, ∞).
    const down = populationStabilityIndex([5, 5, 5, 5], [4, 4, 5, 5]);
    const up = populationStabilityIndex([5, 5, 5, 5], [6, 6, 5, 5]);
    expect(down.bins.reference.length).toBe(3);
    expect(down.statistic).toBeGreaterThan(0.25);
    expect(up.statistic).toBeCloseTo(down.statistic, 15);
  });

  it('bins categories one per value', () => {
    // Codes 0/1/2 with shares (0.5, 0.3, 0.2) vs (0.3, 0.3, 0.4).
    const ref = [...new Array(5).fill(0), ...new Array(3).fill(1), ...new Array(2).fill(2)];
    const cur = [...new Array(3).fill(0), ...new Array(3).fill(1), ...new Array(4).fill(2)];
    const expected = (0.3 - 0.5) * Math.log(0.3 / 0.5) + (0.4 - 0.2) * Math.log(0.4 / 0.2);
    expect(populationStabilityIndex(ref, cur, { numeric: false }).statistic).toBeCloseTo(
      expected,
      14,
    );
  });

  it('refuses empty samples and bad bin counts', () => {
    expect(() => populationStabilityIndex([], [1])).toThrow(RangeError);
    expect(() => populationStabilityIndex([1, 2], [1], { bins: 1 })).toThrow(RangeError);
  });
});
