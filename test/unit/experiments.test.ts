import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalCdf,
  normalQuantile,
  powerOf,
  sampleSizePerArm,
  twoProportionZTest,
} from '@lib/experiments/ab-test';
import {
  peekingFalsePositiveRate,
  sequentialBoundaries,
  simulateSequentialTest,
} from '@lib/experiments/peeking';

describe('normalCdf and normalQuantile', () => {
  it('matches double-precision reference values', () => {
    // References: scipy.stats.norm.cdf / norm.ppf.
    expect(normalCdf(0)).toBeCloseTo(0.5, 12);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 12);
    // Relative accuracy in the far tail (what small p-values need).
    expect(Math.abs(normalCdf(-5) / 2.866515718791939e-7 - 1)).toBeLessThan(1e-10);
    expect(Math.abs(normalCdf(-10) / 7.61985302416047e-24 - 1)).toBeLessThan(1e-10);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 8);
    expect(normalQuantile(0.5)).toBe(0);
    expect(Math.abs(normalQuantile(1e-10) / -6.361340902404056 - 1)).toBeLessThan(2e-9);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  it('are inverse to each other and monotone', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), (p) => {
        expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
      }),
    );
    fc.assert(
      fc.property(
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.double({ min: -30, max: 30, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(normalCdf(lo)).toBeLessThanOrEqual(normalCdf(hi));
          expect(normalCdf(a)).toBeGreaterThanOrEqual(0);
          expect(normalCdf(a)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('twoProportionZTest', () => {
  const counts = { usersA: 2000, conversionsA: 200, usersB: 2000, conversionsB: 250 };

  it('pins 200/2,000 vs 250/2,000: z ≈ +2.50 (B better), p ≈ 0.012', () => {
    const result = twoProportionZTest(counts);
    // p̂ = 450/4000 = 0.1125; SE = √(0.1125·0.8875·(2/2000)) = 0.0099922; z = 0.025/SE.
    expect(result.pooledRate).toBeCloseTo(0.1125, 12);
    expect(result.standardError).toBeCloseTo(0.0099922, 6);
    expect(result.z).toBeGreaterThan(2.49);
    expect(result.z).toBeLessThan(2.51);
    expect(result.pValue).toBeCloseTo(0.01235, 4);
    expect(result.significant).toBe(true);
    expect(result.relativeLift).toBeCloseTo(0.25, 12);
    expect(result.differenceInterval.low).toBeGreaterThan(0);
  });

  it('flips the sign of z when the arms swap, and keeps p', () => {
    const swapped = twoProportionZTest({
      usersA: 2000,
      conversionsA: 250,
      usersB: 2000,
      conversionsB: 200,
    });
    expect(swapped.z).toBeCloseTo(-twoProportionZTest(counts).z, 12);
    expect(swapped.pValue).toBeCloseTo(twoProportionZTest(counts).pValue, 12);
  });

  it('returns z = 0, p = 1 for equal rates and rejects bad counts', () => {
    const same = twoProportionZTest({ usersA: 100, conversionsA: 0, usersB: 50, conversionsB: 0 });
    expect(same.z).toBe(0);
    expect(same.pValue).toBe(1);
    expect(() =>
      twoProportionZTest({ usersA: 10, conversionsA: 11, usersB: 10, conversionsB: 1 }),
    ).toThrow(RangeError);
  });
});

describe('sampleSizePerArm and powerOf', () => {
  it('pins 10% → 12% at α = 0.05, 80% power: 3,841 per arm', () => {
    // (1.959964·√(2·0.11·0.89) + 0.841621·√(0.09 + 0.1056))² / 0.02² = 3,840.8 → 3,841.
    expect(sampleSizePerArm(0.1, 0.12)).toBe(3841);
    expect(sampleSizePerArm(0.12, 0.1)).toBe(3841);
    expect(powerOf(3841, 0.1, 0.12)).toBeGreaterThanOrEqual(0.8);
    expect(powerOf(3840, 0.1, 0.12)).toBeLessThan(0.8);
  });

  it('power equals alpha with no effect and rises with n', () => {
    expect(powerOf(1000, 0.2, 0.2)).toBeCloseTo(0.05, 6);
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 100_000 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        (n, p1, delta) => {
          const p2 = p1 + delta;
          const power = powerOf(n, p1, p2);
          expect(power).toBeGreaterThanOrEqual(0.05 - 1e-7);
          expect(power).toBeLessThanOrEqual(1);
          expect(powerOf(n * 2, p1, p2)).toBeGreaterThanOrEqual(power - 1e-12);
          const needed = sampleSizePerArm(p1, p2);
          expect(powerOf(needed, p1, p2)).toBeGreaterThanOrEqual(0.8 - 1e-7);
        },
      ),
    );
  });
});

describe('peeking', () => {
  it('holds alpha with one look', () => {
    const result = peekingFalsePositiveRate({ looks: 1, seed: 'peek-1' });
    expect(Math.abs(result.rejectionRate - 0.05)).toBeLessThan(0.01);
  });

  it.each([
    [2, 0.083],
    [5, 0.142],
    [20, 0.248],
  ])('inflates the false-positive rate with %i looks to about %f', (looks, expected) => {
    const result = peekingFalsePositiveRate({ looks, seed: `peek-${looks}`, simulations: 20_000 });
    expect(Math.abs(result.rejectionRate - expected)).toBeLessThan(0.015);
    const byLook = result.rejectionsByLook.reduce((a, b) => a + b, 0);
    expect(byLook).toBeCloseTo(result.rejectionRate, 12);
  });

  it('is deterministic for a seed', () => {
    const a = peekingFalsePositiveRate({ looks: 5, seed: 7, simulations: 2000 });
    const b = peekingFalsePositiveRate({ looks: 5, seed: 7, simulations: 2000 });
    expect(a.rejectionRate).toBe(b.rejectionRate);
  });
});

describe('sequential boundaries', () => {
  it('matches the Pocock and O’Brien–Fleming tables for 5 looks', () => {
    // Jennison & Turnbull (2000), Tables 2.1 and 2.3, two-sided α = 0.05, K = 5.
    const pocock = sequentialBoundaries(5, 'pocock');
    const obf = sequentialBoundaries(5, 'obrien-fleming');
    expect(Math.abs(pocock.constant - 2.413)).toBeLessThan(0.03);
    expect(Math.abs(obf.constant - 2.04)).toBeLessThan(0.03);
    expect(Array.from(pocock.zBoundaries).every((b) => b === pocock.constant)).toBe(true);
    // O'Brien–Fleming: strict early, close to 1.96 at the end.
    expect(obf.zBoundaries[0]).toBeCloseTo(obf.constant * Math.sqrt(5), 12);
    expect(obf.zBoundaries[4]).toBeCloseTo(obf.constant, 12);
    expect(pocock.nominalAlphas[0]).toBeCloseTo(2 * normalCdf(-pocock.constant), 12);
  });

  it.each(['pocock', 'obrien-fleming'] as const)(
    '%s keeps the false-positive rate of 5 looks within 1.5 points of 5%%',
    (method) => {
      const { zBoundaries } = sequentialBoundaries(5, method);
      // A different seed from the one that found the constant.
      const result = simulateSequentialTest(zBoundaries, { seed: `check-${method}` });
      expect(Math.abs(result.rejectionRate - 0.05)).toBeLessThan(0.015);
    },
  );

  it('keeps most of the power of a fixed design (O’Brien–Fleming)', () => {
    // θ = z_{0.975} + z_{0.8} ≈ 2.80 gives 80% power to a single final look.
    const theta = normalQuantile(0.975) + normalQuantile(0.8);
    const { zBoundaries } = sequentialBoundaries(5, 'obrien-fleming');
    const result = simulateSequentialTest(zBoundaries, {
      seed: 'power',
      expectedFinalZ: theta,
      simulations: 10_000,
    });
    expect(result.rejectionRate).toBeGreaterThan(0.76);
    expect(result.rejectionRate).toBeLessThan(0.82);
  });
});
