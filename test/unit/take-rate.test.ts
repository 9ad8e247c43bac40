import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareTakeRates,
  DEFAULT_TAKE_RATE_LINK,
  isQualityPlay,
  logistic,
  streamingOutcomes,
  takeRate,
} from '@lib/business/take-rate';

describe('takeRate', () => {
  it('divides quality plays by recommendations seen', () => {
    // 12 quality plays out of 240 recommendations seen: 12 / 240 = 0.05.
    expect(takeRate(12, 240)).toBe(0.05);
    expect(takeRate(0, 10)).toBe(0);
    expect(takeRate(10, 10)).toBe(1);
  });

  it('is 0 when nothing was seen', () => {
    expect(takeRate(0, 0)).toBe(0);
  });

  it('rejects negatives, non-finite counts and more plays than recommendations', () => {
    expect(() => takeRate(-1, 10)).toThrow(RangeError);
    expect(() => takeRate(1, -10)).toThrow(RangeError);
    expect(() => takeRate(11, 10)).toThrow(RangeError);
    expect(() => takeRate(Number.NaN, 10)).toThrow(RangeError);
    expect(() => takeRate(1, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('lies in [0, 1] for every valid pair', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), (x, y) => {
        const plays = Math.min(x, y);
        const seen = Math.max(x, y);
        const rate = takeRate(plays, seen);
        return rate >= 0 && rate <= 1 && !Number.isNaN(rate);
      }),
    );
  });
});

describe('isQualityPlay', () => {
  it('counts a play past 70% of the runtime by default', () => {
    expect(isQualityPlay(70, 100)).toBe(true);
    expect(isQualityPlay(69, 100)).toBe(false);
  });

  it('also counts a play past a minimum of minutes when that rule is set', () => {
    const rule = { minShareWatched: 0.7, minMinutesWatched: 6 };
    expect(isQualityPlay(6, 120, rule)).toBe(true);
    expect(isQualityPlay(5, 120, rule)).toBe(false);
  });

  it('rejects negative minutes and a zero runtime', () => {
    expect(() => isQualityPlay(-1, 10)).toThrow(RangeError);
    expect(() => isQualityPlay(1, 0)).toThrow(RangeError);
  });
});

describe('logistic', () => {
  it('matches hand-computed values', () => {
    expect(logistic(0)).toBe(0.5);
    // 1 / (1 + e^3.5) = 1 / (1 + 33.11545…) = 0.0293122…
    expect(logistic(-3.5)).toBeCloseTo(0.0293122, 6);
    expect(logistic(2)).toBeCloseTo(0.8807971, 6);
  });

  it('does not overflow', () => {
    expect(logistic(-1000)).toBe(0);
    expect(logistic(1000)).toBe(1);
  });
});

describe('streamingOutcomes', () => {
  it('computes the default link model by hand at a 5% take-rate', () => {
    const out = streamingOutcomes(0.05, 1_000_000);
    // 8 + 1.5 · 300 · 0.05 = 30.5 hours per member per month.
    expect(out.hoursPerMemberPerMonth).toBeCloseTo(30.5, 12);
    expect(out.totalHoursPerMonth).toBeCloseTo(30_500_000, 4);
    // logistic(−2.5 − 20 · 0.05) = logistic(−3.5) ≈ 2.93% a month: plausible streaming churn.
    expect(out.monthlyCancellationRate).toBeCloseTo(0.0293122, 6);
    expect(out.cancellationsPerMonth).toBeCloseTo(29_312.2, 0);
  });

  it('gives 2–4% monthly churn at typical take-rates with the defaults', () => {
    for (const rate of [0.03, 0.05, 0.07]) {
      const churn = streamingOutcomes(rate, 1).monthlyCancellationRate;
      expect(churn).toBeGreaterThan(0.015);
      expect(churn).toBeLessThan(0.045);
    }
  });

  it('takes parameter overrides', () => {
    const out = streamingOutcomes(0.1, 10, {
      baseHoursPerMemberPerMonth: 0,
      hoursPerQualityPlay: 2,
      recommendationsSeenPerMemberPerMonth: 100,
      cancellationLogitIntercept: 0,
      cancellationLogitSlope: 0,
    });
    // 0 + 2 · 100 · 0.1 = 20 hours; logistic(0) = 0.5.
    expect(out.hoursPerMemberPerMonth).toBeCloseTo(20, 12);
    expect(out.totalHoursPerMonth).toBeCloseTo(200, 10);
    expect(out.monthlyCancellationRate).toBe(0.5);
    expect(out.cancellationsPerMonth).toBe(5);
  });

  it('rejects a take-rate outside [0, 1], negative members and a positive slope', () => {
    expect(() => streamingOutcomes(-0.1, 10)).toThrow(RangeError);
    expect(() => streamingOutcomes(1.1, 10)).toThrow(RangeError);
    expect(() => streamingOutcomes(0.1, -1)).toThrow(RangeError);
    expect(() => streamingOutcomes(0.1, 10, { cancellationLogitSlope: 1 })).toThrow(RangeError);
    expect(() => streamingOutcomes(0.1, 10, { hoursPerQualityPlay: -1 })).toThrow(RangeError);
  });

  const rate = fc.double({ min: 0, max: 1, noNaN: true });
  const members = fc.integer({ min: 0, max: 100_000_000 });
  const params = fc.record({
    baseHoursPerMemberPerMonth: fc.double({ min: 0, max: 200, noNaN: true }),
    hoursPerQualityPlay: fc.double({ min: 0, max: 5, noNaN: true }),
    recommendationsSeenPerMemberPerMonth: fc.double({ min: 0, max: 5000, noNaN: true }),
    cancellationLogitIntercept: fc.double({ min: -10, max: 5, noNaN: true }),
    cancellationLogitSlope: fc.double({ min: -100, max: 0, noNaN: true }),
  });

  it('never gives NaN and keeps the cancellation rate in [0, 1]', () => {
    fc.assert(
      fc.property(rate, members, params, (t, m, p) => {
        const out = streamingOutcomes(t, m, p);
        const values = Object.values(out);
        return (
          values.every((v) => Number.isFinite(v)) &&
          out.monthlyCancellationRate >= 0 &&
          out.monthlyCancellationRate <= 1
        );
      }),
    );
  });

  it('a higher take-rate gives more hours and fewer cancellations', () => {
    fc.assert(
      fc.property(rate, rate, members, params, (x, y, m, p) => {
        const lo = streamingOutcomes(Math.min(x, y), m, p);
        const hi = streamingOutcomes(Math.max(x, y), m, p);
        return (
          hi.hoursPerMemberPerMonth >= lo.hoursPerMemberPerMonth &&
          hi.totalHoursPerMonth >= lo.totalHoursPerMonth &&
          hi.monthlyCancellationRate <= lo.monthlyCancellationRate &&
          hi.cancellationsPerMonth <= lo.cancellationsPerMonth
        );
      }),
    );
  });

  it('is strictly better with the defaults when the take-rate rises', () => {
    const lo = streamingOutcomes(0.04, 1000);
    const hi = streamingOutcomes(0.06, 1000);
    expect(hi.hoursPerMemberPerMonth).toBeGreaterThan(lo.hoursPerMemberPerMonth);
    expect(hi.monthlyCancellationRate).toBeLessThan(lo.monthlyCancellationRate);
  });
});

describe('compareTakeRates', () => {
  it('reports b − a field by field', () => {
    const members = 2_000_000;
    const cmp = compareTakeRates(0.05, 0.06, members);
    // Hours: 1.5 · 300 · (0.06 − 0.05) = 4.5 more hours per member per month.
    expect(cmp.difference.hoursPerMemberPerMonth).toBeCloseTo(4.5, 10);
    expect(cmp.difference.totalHoursPerMonth).toBeCloseTo(9_000_000, 2);
    // Churn: logistic(−3.7) − logistic(−3.5).
    const expected = logistic(-3.7) - logistic(-3.5);
    expect(cmp.difference.monthlyCancellationRate).toBeCloseTo(expected, 12);
    expect(cmp.difference.monthlyCancellationRate).toBeLessThan(0);
    expect(cmp.difference.cancellationsPerMonth).toBeCloseTo(expected * members, 4);
    expect(cmp.a).toEqual(streamingOutcomes(0.05, members));
    expect(cmp.b).toEqual(streamingOutcomes(0.06, members));
  });

  it('uses the documented defaults', () => {
    expect(DEFAULT_TAKE_RATE_LINK.cancellationLogitSlope).toBeLessThan(0);
    const same = compareTakeRates(0.05, 0.05, 10);
    expect(Object.values(same.difference).every((v) => v === 0)).toBe(true);
  });
});
