import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runAdExperiment, type AdExperimentSettings } from '@lib/business/ad-experiment';
import {
  chooseAtRandom,
  chooseByExpectedRevenue,
  clickModelReport,
  settleAuction,
} from '@lib/business/ad-revenue';
import { generateAdDay, type AdDay } from '@lib/data/ads';
import { createRng } from '@lib/random';

/** Two slots, two candidates each, written by hand. */
function handDay(): AdDay {
  return {
    impressions: 2,
    candidatesPerImpression: 2,
    topSlot: new Uint8Array(2),
    mobile: new Uint8Array(2),
    engagement: new Float64Array(2),
    interest: new Float64Array(8),
    adCategory: new Uint8Array(4),
    adQuality: new Float64Array(4),
    bidUsdPerClick: Float64Array.from([1, 10, 2, 1]),
    clickProbability: Float64Array.from([0.1, 0.02, 0.01, 0.03]),
    clickDraw: Float64Array.from([0.5, 0.01, 0.5, 0.5]),
    loggedCandidate: new Uint8Array(2),
  };
}

describe('the auction (worked by hand)', () => {
  // Slot 0: p·price = 0.10 and 0.20, so candidate 1 wins; 1000 · 0.20 = 200 beats a reserve of
  // 50, it is shown, and its draw 0.01 < 0.02 makes a $10 click. Slot 1: 0.02 and 0.03; the
  // best is worth 30 per 1,000 < 50, so the slot stays organic and counts 50 / 1000 = $0.05.
  const day = handDay();
  const choices = chooseByExpectedRevenue(day, day.clickProbability, 50);

  it('picks the highest expected revenue and applies the reserve', () => {
    expect(Array.from(choices)).toEqual([1, -1]);
  });

  it('settles realised, expected and forecast revenue and RPM', () => {
    const outcome = settleAuction(day, choices, day.clickProbability, 50);
    expect(outcome.adsShown).toBe(1);
    expect(outcome.fillRate).toBe(0.5);
    expect(outcome.clicks).toBe(1);
    expect(outcome.adRevenueUsd).toBe(10);
    expect(outcome.expectedAdRevenueUsd).toBeCloseTo(0.2, 12);
    expect(outcome.forecastAdRevenueUsd).toBeCloseTo(0.2, 12);
    expect(outcome.organicValueUsd).toBeCloseTo(0.05, 12);
    // RPM = (10 + 0.05) · 1000 / 2 = 5025; expected (0.2 + 0.05) · 1000 / 2 = 125; ads only 5000.
    expect(outcome.rpmUsd).toBeCloseTo(5025, 9);
    expect(outcome.expectedRpmUsd).toBeCloseTo(125, 9);
    expect(outcome.adRpmUsd).toBeCloseTo(5000, 9);
    // The forecast of $0.20 against a lucky $10: 100 · (0.2 − 10) / 10 = −98%.
    expect(outcome.forecastErrorPercent).toBeCloseTo(-98, 9);
  });

  it('with no reserve shows an ad in every slot', () => {
    expect(Array.from(chooseByExpectedRevenue(day, day.clickProbability, 0))).toEqual([1, 1]);
  });

  it('refuses mismatched arrays and negative reserves', () => {
    expect(() => chooseByExpectedRevenue(day, [0.1], 0)).toThrow(RangeError);
    expect(() => chooseByExpectedRevenue(day, day.clickProbability, -1)).toThrow(RangeError);
    expect(() => settleAuction(day, Int16Array.from([2, 0]), day.clickProbability, 0)).toThrow(
      RangeError,
    );
  });
});

describe('chooseAtRandom', () => {
  it('fills every slot with some candidate, the same way for the same seed', () => {
    const day = generateAdDay({ impressions: 200, seed: 1 });
    const a = chooseAtRandom(day, 'x');
    expect(Array.from(a)).toEqual(Array.from(chooseAtRandom(day, 'x')));
    expect(Math.min(...a)).toBe(0);
    expect(Math.max(...a)).toBe(day.candidatesPerImpression - 1);
  });
});

describe('clickModelReport', () => {
  it('scores a model that always says "no click" at the share of non-clicks', () => {
    // 2 clicks in 100 rows: predicting 0.02 everywhere is 98% accurate at 0.5 and ranks nothing.
    const clicked = Array.from({ length: 100 }, (_, i) => (i < 2 ? 1 : 0));
    const report = clickModelReport(clicked, new Array(100).fill(0.02));
    expect(report.accuracy).toBe(0.98);
    expect(report.rocAuc).toBe(0.5);
    // Log loss of a calibrated constant: −(0.02 ln 0.02 + 0.98 ln 0.98) = 0.09803 nats.
    expect(report.logLoss).toBeCloseTo(-(0.02 * Math.log(0.02) + 0.98 * Math.log(0.98)), 9);
    expect(report.calibration.ratio).toBeCloseTo(1, 12);
  });
});

/** A copy of a day whose prices are multiplied, candidate by candidate, by factors ≥ 1. */
function withRaisedBids(day: AdDay, factors: number[]): AdDay {
  const bids = Float64Array.from(
    day.bidUsdPerClick,
    (b, i) => b * (factors[i % factors.length] ?? 1),
  );
  return { ...day, bidUsdPerClick: bids };
}

function randomPredictions(day: AdDay, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from(day.clickProbability, () => rng.next() * 0.2);
}

const dayArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  impressions: fc.integer({ min: 1, max: 60 }),
  candidates: fc.integer({ min: 1, max: 6 }),
  reserve: fc.double({ min: 0, max: 300, noNaN: true }),
});

describe('auction properties', () => {
  it('never produces NaN revenue, and counts stay within their bounds', () => {
    fc.assert(
      fc.property(dayArbitrary, fc.integer(), ({ seed, impressions, candidates, reserve }, s) => {
        const day = generateAdDay({ impressions, candidatesPerImpression: candidates, seed });
        const predicted = randomPredictions(day, s);
        for (const choices of [
          chooseByExpectedRevenue(day, predicted, reserve),
          chooseAtRandom(day, s),
        ]) {
          const o = settleAuction(day, choices, predicted, reserve);
          for (const value of [
            o.rpmUsd,
            o.expectedRpmUsd,
            o.adRpmUsd,
            o.adRevenueUsd,
            o.expectedAdRevenueUsd,
            o.forecastAdRevenueUsd,
            o.organicValueUsd,
            o.fillRate,
          ]) {
            expect(Number.isFinite(value)).toBe(true);
            expect(value).toBeGreaterThanOrEqual(0);
          }
          expect(o.fillRate).toBeLessThanOrEqual(1);
          expect(o.clicks).toBeLessThanOrEqual(o.adsShown);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('raising bids never lowers the oracle’s expected revenue', () => {
    fc.assert(
      fc.property(
        dayArbitrary,
        fc.array(fc.double({ min: 1, max: 5, noNaN: true }), { minLength: 1, maxLength: 7 }),
        ({ seed, impressions, candidates, reserve }, factors) => {
          const day = generateAdDay({ impressions, candidatesPerImpression: candidates, seed });
          const raised = withRaisedBids(day, factors);
          const before = settleAuction(
            day,
            chooseByExpectedRevenue(day, day.clickProbability, reserve),
            day.clickProbability,
            reserve,
          );
          const after = settleAuction(
            raised,
            chooseByExpectedRevenue(raised, raised.clickProbability, reserve),
            raised.clickProbability,
            reserve,
          );
          expect(after.expectedRpmUsd).toBeGreaterThanOrEqual(before.expectedRpmUsd - 1e-9);
          expect(after.expectedAdRevenueUsd).toBeGreaterThanOrEqual(
            before.expectedAdRevenueUsd - 1e-12,
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it('no model beats the true probabilities in expectation', () => {
    fc.assert(
      fc.property(dayArbitrary, fc.integer(), ({ seed, impressions, candidates, reserve }, s) => {
        const day = generateAdDay({ impressions, candidatesPerImpression: candidates, seed });
        const oracle = settleAuction(
          day,
          chooseByExpectedRevenue(day, day.clickProbability, reserve),
          day.clickProbability,
          reserve,
        );
        const predicted = randomPredictions(day, s);
        const model = settleAuction(
          day,
          chooseByExpectedRevenue(day, predicted, reserve),
          predicted,
          reserve,
        );
        const random = settleAuction(day, chooseAtRandom(day, s), predicted, reserve);
        expect(oracle.expectedRpmUsd).toBeGreaterThanOrEqual(model.expectedRpmUsd - 1e-9);
        expect(oracle.expectedRpmUsd).toBeGreaterThanOrEqual(random.expectedRpmUsd - 1e-9);
      }),
      { numRuns: 80 },
    );
  });

  it('a higher reserve never fills more slots', () => {
    fc.assert(
      fc.property(
        dayArbitrary,
        fc.double({ min: 0, max: 200, noNaN: true }),
        ({ seed, impressions, candidates, reserve }, extra) => {
          const day = generateAdDay({ impressions, candidatesPerImpression: candidates, seed });
          const fill = (r: number) =>
            settleAuction(
              day,
              chooseByExpectedRevenue(day, day.clickProbability, r),
              day.clickProbability,
              r,
            ).fillRate;
          expect(fill(reserve + extra)).toBeLessThanOrEqual(fill(reserve));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('runAdExperiment', () => {
  const base: AdExperimentSettings = {
    seed: 3,
    impressions: 30_000,
    featureGroups: ['context', 'ad', 'match'],
    negativeSamplingRate: 1,
    correctDownsampling: false,
    recalibration: 'none',
    reserveUsdPerThousand: 15,
    dayImpressions: 20_000,
  };

  it('is deterministic in its settings', () => {
    const a = runAdExperiment(base);
    const b = runAdExperiment(base);
    expect(a.learned.auction).toEqual(b.learned.auction);
    expect(Array.from(a.model.weights)).toEqual(Array.from(b.model.weights));
  });

  it('earns with ranking, not with accuracy', () => {
    const full = runAdExperiment(base);
    const bidOnly = runAdExperiment({ ...base, featureGroups: [] });
    // Accuracy at 0.5 is the share of non-clicks for every policy: nothing reaches 0.5.
    for (const run of [full, bidOnly]) {
      expect(run.learned.ml.accuracy).toBeCloseTo(run.random.ml.accuracy, 2);
      expect(run.oracle.ml.accuracy).toBeCloseTo(run.random.ml.accuracy, 2);
    }
    // Yet the money differs: the full model is close to the oracle; price alone is far below.
    const oracle = full.oracle.auction.expectedRpmUsd;
    expect(full.learned.auction.expectedRpmUsd / oracle).toBeGreaterThan(0.97);
    expect(bidOnly.learned.auction.expectedRpmUsd / oracle).toBeLessThan(0.8);
    expect(full.random.auction.expectedRpmUsd / oracle).toBeLessThan(0.5);
    expect(full.learned.ml.rocAuc).toBeGreaterThan(0.75);
    expect(bidOnly.learned.ml.rocAuc).toBe(0.5);
  });

  it('inflates predictions when trained on downsampled negatives, and the correction undoes it', () => {
    const inflated = runAdExperiment({ ...base, negativeSamplingRate: 0.1 });
    const corrected = runAdExperiment({
      ...base,
      negativeSamplingRate: 0.1,
      correctDownsampling: true,
    });
    const platt = runAdExperiment({ ...base, negativeSamplingRate: 0.1, recalibration: 'platt' });
    // Odds × 10: the mean prediction is several times the observed click rate, and so is the
    // revenue forecast; the ranking (AUC) is unchanged, since the correction is monotone.
    expect(inflated.learned.ml.calibration.ratio).toBeGreaterThan(4);
    expect(inflated.learned.auction.forecastErrorPercent).toBeGreaterThan(200);
    expect(corrected.learned.ml.rocAuc).toBeCloseTo(inflated.learned.ml.rocAuc, 9);
    expect(Math.abs(corrected.learned.ml.calibration.ratio - 1)).toBeLessThan(0.15);
    expect(Math.abs(corrected.learned.auction.forecastErrorPercent)).toBeLessThan(15);
    expect(Math.abs(platt.learned.ml.calibration.ratio - 1)).toBeLessThan(0.25);
    // Overstated probabilities fill slots that were worth more left to organic content.
    expect(inflated.learned.auction.fillRate).toBeGreaterThan(corrected.learned.auction.fillRate);
    expect(corrected.learned.auction.expectedRpmUsd).toBeGreaterThan(
      inflated.learned.auction.expectedRpmUsd,
    );
    expect(corrected.training.rows).toBeLessThan(inflated.training.rows + 1);
    expect(corrected.training.rows).toBeLessThan(0.2 * 24_000);
  });

  it('refuses settings out of range', () => {
    expect(() => runAdExperiment({ ...base, negativeSamplingRate: 0 })).toThrow(RangeError);
    expect(() => runAdExperiment({ ...base, impressions: 10 })).toThrow(RangeError);
    expect(() => runAdExperiment({ ...base, reserveUsdPerThousand: -1 })).toThrow(RangeError);
  });
});
