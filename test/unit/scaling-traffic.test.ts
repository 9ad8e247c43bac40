/**
 * Traffic shapes and arrival times (src/lib/scaling/traffic.ts).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '@lib/random';
import {
  DEFAULT_DAILY_CURVE,
  MINUTES_PER_DAY,
  arrivalRatePerSecond,
  countPerMinute,
  dailyFactor,
  defaultTrafficProfile,
  expectedRequests,
  generateArrivalTimes,
  homogeneousArrivalTimes,
  noiseFactor,
  ratesPerMinute,
  spikeFactor,
  validateTrafficProfile,
  weeklyFactor,
} from '@lib/scaling/traffic';

const quiet = (requestsPerDay: number) => defaultTrafficProfile(requestsPerDay, { noiseSigma: 0 });

describe('the rate λ(t)', () => {
  it('has a daily shape averaging exactly 1, with a night trough and an evening peak', () => {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let minHour = 0;
    let maxHour = 0;
    for (let s = 0; s < 86_400; s += 10) {
      const f = dailyFactor(DEFAULT_DAILY_CURVE, s);
      sum += f;
      if (f < min) [min, minHour] = [f, s / 3600];
      if (f > max) [max, maxHour] = [f, s / 3600];
    }
    // A Riemann sum of a trigonometric polynomial over whole periods is exact.
    expect(sum / 8640).toBeCloseTo(1, 12);
    expect(minHour).toBeGreaterThan(2);
    expect(minHour).toBeLessThan(4);
    expect(maxHour).toBeGreaterThan(17.5);
    expect(maxHour).toBeLessThan(19.5);
    expect(min).toBeGreaterThan(0.15);
    expect(max / min).toBeGreaterThan(5);
  });

  it('keeps requestsPerDay as the weekly mean (weekly factors normalised to mean 1)', () => {
    const profile = quiet(1_000_000);
    let week = 0;
    for (let day = 0; day < 7; day++)
      week += expectedRequests(profile, day * 86_400, (day + 1) * 86_400);
    expect(week / 7).toBeCloseTo(1_000_000, 3);
    // Monday = 1.04 of the mean; unnormalised factors are normalised.
    expect(expectedRequests(profile, 0, 86_400)).toBeCloseTo(1_040_000, 3);
    expect(weeklyFactor([2, 2, 2, 2, 2, 2, 2], 3)).toBe(1);
    expect(weeklyFactor([1, 1, 1, 1, 1, 1, 8], 6)).toBeCloseTo(8 / 2, 12);
  });

  it('multiplies a spike in with linear ramps', () => {
    const spike = { startS: 1000, durationS: 600, multiplier: 5, rampS: 100 };
    expect(spikeFactor([spike], 999)).toBe(1);
    expect(spikeFactor([spike], 1050)).toBeCloseTo(1 + 4 * 0.5, 12);
    expect(spikeFactor([spike], 1300)).toBe(5);
    expect(spikeFactor([spike], 1650)).toBeCloseTo(3, 12);
    expect(spikeFactor([spike], 1700)).toBe(1);
    const step = { startS: 0, durationS: 60, multiplier: 0.5 };
    expect(spikeFactor([spike, step], 30)).toBe(0.5);
    const profile = defaultTrafficProfile(100_000, { noiseSigma: 0, spikes: [spike] });
    const t = 1300;
    expect(arrivalRatePerSecond(profile, t)).toBeCloseTo(
      5 * (100_000 / 86_400) * 1.04 * dailyFactor(DEFAULT_DAILY_CURVE, t),
      12,
    );
  });

  it('has seeded noise with mean 1 that is the same for the same seed', () => {
    const a = defaultTrafficProfile(100_000, { noiseSigma: 0.2, noiseSeed: 'a' });
    const b = defaultTrafficProfile(100_000, { noiseSigma: 0.2, noiseSeed: 'b' });
    expect(noiseFactor(a, 17)).toBe(noiseFactor({ ...a }, 17));
    expect(noiseFactor(a, 17)).not.toBe(noiseFactor(b, 17));
    let sum = 0;
    const n = 40_000;
    for (let m = 0; m < n; m++) sum += noiseFactor(a, m);
    // Knots every 15 min: ~2 700 independent knots; σ of the mean ≈ 0.2/√2700 ≈ 0.004.
    expect(sum / n).toBeGreaterThan(0.985);
    expect(sum / n).toBeLessThan(1.015);
  });

  it('gives per-minute rates whose sum is the day’s expected count', () => {
    const profile = defaultTrafficProfile(2_000_000, {
      spikes: [{ startS: 3600 * 12 + 17, durationS: 1800, multiplier: 3, rampS: 333 }],
    });
    const rates = ratesPerMinute(profile, 0);
    expect(rates.length).toBe(MINUTES_PER_DAY);
    let sum = 0;
    for (const r of rates) sum += r * 60;
    expect(sum).toBeCloseTo(expectedRequests(profile, 0, 86_400), 4);
    // A minute's rate is the mean of λ over the minute (midpoint is close when λ is smooth).
    const m = 600;
    expect(rates[m]).toBeCloseTo(arrivalRatePerSecond(profile, m * 60 + 30), 3);
  });

  it('rejects profiles outside the chapter’s range or with impossible shapes', () => {
    expect(() => defaultTrafficProfile(9_999)).toThrow(RangeError);
    expect(() => defaultTrafficProfile(10_000_001)).toThrow(RangeError);
    expect(() =>
      validateTrafficProfile({
        ...quiet(10_000),
        daily: { ...DEFAULT_DAILY_CURVE, amplitude2: 0.5 },
      }),
    ).toThrow(RangeError);
    expect(() => validateTrafficProfile({ ...quiet(10_000), weeklyFactors: [1, 1, 1] })).toThrow(
      RangeError,
    );
    expect(() =>
      validateTrafficProfile({
        ...quiet(10_000),
        spikes: [{ startS: 0, durationS: 10, multiplier: 0 }],
      }),
    ).toThrow(RangeError);
  });
});

describe('arrival times by thinning', () => {
  it('draws about the expected number, sorted, inside the window, per minute as expected', () => {
    const profile = defaultTrafficProfile(1_000_000, {
      spikes: [{ startS: 18 * 3600, durationS: 3600, multiplier: 4, rampS: 300 }],
    });
    const arrivals = generateArrivalTimes(profile, createRng(7));
    const expected = expectedRequests(profile, 0, 86_400);
    // Poisson: σ = √expected ≈ 1 000.
    expect(Math.abs(arrivals.count - expected)).toBeLessThan(5 * Math.sqrt(expected));
    const t = arrivals.timesS;
    expect(t.length).toBe(arrivals.count);
    let unsorted = 0;
    for (let i = 1; i < t.length; i++) if (!(t[i]! >= t[i - 1]!)) unsorted++;
    expect(unsorted).toBe(0);
    expect(t[0]).toBeGreaterThanOrEqual(0);
    expect(t[t.length - 1]).toBeLessThan(86_400);
    // Counts per minute against 60·λ̄: a chi-square over 1 440 cells has mean 1 440, sd ≈ 54.
    const counts = countPerMinute(arrivals);
    const rates = ratesPerMinute(profile, 0);
    let chi2 = 0;
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      const e = rates[m]! * 60;
      chi2 += (counts[m]! - e) ** 2 / e;
    }
    expect(chi2).toBeGreaterThan(1440 - 6 * 54);
    expect(chi2).toBeLessThan(1440 + 6 * 54);
  });

  it('follows the spike: the launch hour carries 4× what it would without it', () => {
    const profile = defaultTrafficProfile(500_000, {
      noiseSigma: 0,
      spikes: [{ startS: 3 * 3600, durationS: 3600, multiplier: 4 }],
    });
    const arrivals = generateArrivalTimes(profile, createRng(1), 0, 6 * 3600);
    const counts = countPerMinute(arrivals, 360);
    const hour = (h: number) => counts.subarray(h * 60, h * 60 + 60).reduce((a, b) => a + b, 0);
    const e = (h: number) => expectedRequests(profile, h * 3600, (h + 1) * 3600);
    expect(hour(3) / e(3)).toBeGreaterThan(0.95);
    expect(hour(3) / e(3)).toBeLessThan(1.05);
    const flat = defaultTrafficProfile(500_000, { noiseSigma: 0 });
    expect(e(3) / expectedRequests(flat, 3 * 3600, 4 * 3600)).toBeCloseTo(4, 9);
    expect(e(2)).toBeCloseTo(expectedRequests(flat, 2 * 3600, 3 * 3600), 6);
  });

  it('is deterministic by seed and does not advance the caller’s rng', () => {
    const profile = defaultTrafficProfile(50_000);
    const rng = createRng(99);
    const state = rng.getState();
    const a = generateArrivalTimes(profile, rng, 0, 7200);
    expect(rng.getState()).toEqual(state);
    const b = generateArrivalTimes(profile, createRng(99), 0, 7200);
    const c = generateArrivalTimes(profile, createRng(100), 0, 7200);
    expect(Array.from(a.timesS)).toEqual(Array.from(b.timesS));
    expect(Array.from(a.timesS)).not.toEqual(Array.from(c.timesS));
  });

  it('draws a homogeneous Poisson process with mean gap 1/λ', () => {
    const arrivals = homogeneousArrivalTimes(50, 2000, createRng(5));
    // 100 000 expected, σ ≈ 316.
    expect(Math.abs(arrivals.count - 100_000)).toBeLessThan(1600);
    expect(arrivals.timesS[arrivals.count - 1]).toBeLessThan(2000);
  });
});
