import { describe, expect, it } from 'vitest';
import {
  AD_CATEGORY_COUNT,
  TRUE_CLICK_MODEL,
  adFeatureMatrix,
  adFeatureNames,
  generateAdDay,
  isClicked,
  trueClickLogit,
} from '@lib/data/ads';

describe('generateAdDay', () => {
  it('gives the same day for the same seed and a different one for another seed', () => {
    const a = generateAdDay({ impressions: 300, seed: 7 });
    const b = generateAdDay({ impressions: 300, seed: 7 });
    const c = generateAdDay({ impressions: 300, seed: 8 });
    expect(Array.from(a.clickProbability)).toEqual(Array.from(b.clickProbability));
    expect(Array.from(a.bidUsdPerClick)).toEqual(Array.from(b.bidUsdPerClick));
    expect(Array.from(a.clickProbability)).not.toEqual(Array.from(c.clickProbability));
  });

  it('sizes every array by impressions and candidates', () => {
    const day = generateAdDay({ impressions: 50, candidatesPerImpression: 3, seed: 1 });
    expect(day.topSlot).toHaveLength(50);
    expect(day.interest).toHaveLength(50 * AD_CATEGORY_COUNT);
    expect(day.adCategory).toHaveLength(150);
    expect(day.clickProbability).toHaveLength(150);
    expect(Math.max(...day.loggedCandidate)).toBeLessThan(3);
  });

  it('refuses sizes it cannot draw', () => {
    expect(() => generateAdDay({ impressions: 0, seed: 1 })).toThrow(RangeError);
    expect(() => generateAdDay({ impressions: 10, candidatesPerImpression: 9, seed: 1 })).toThrow(
      RangeError,
    );
  });

  it('stores each candidate’s probability from the documented logistic model', () => {
    const day = generateAdDay({ impressions: 20, seed: 3 });
    const k = day.candidatesPerImpression;
    for (let i = 0; i < day.impressions; i++) {
      for (let a = 0; a < k; a++) {
        const category = day.adCategory[i * k + a]!;
        const z = trueClickLogit(
          { topSlot: day.topSlot[i]!, mobile: day.mobile[i]!, engagement: day.engagement[i]! },
          { quality: day.adQuality[i * k + a]!, category },
          day.interest[i * AD_CATEGORY_COUNT + category]!,
        );
        expect(day.clickProbability[i * k + a]).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
      }
    }
  });

  it('pins the true model on a hand-made candidate', () => {
    // Top slot, desktop, average visitor, average ad in "tech", interest 1 sd above the mean:
    // z = −4.6 + 0.7 + 0.3 (tech) + 1.0 = −2.6, p = 1 / (1 + e^2.6) = 0.069138…
    expect(TRUE_CLICK_MODEL.intercept).toBe(-4.6);
    const z = trueClickLogit(
      { topSlot: 1, mobile: 0, engagement: 0 },
      { quality: 0, category: 1 },
      1,
    );
    expect(z).toBeCloseTo(-2.6, 12);
    expect(1 / (1 + Math.exp(-z))).toBeCloseTo(0.069138, 6);
  });

  it('has rare clicks, and the click draws agree with the probabilities', () => {
    const day = generateAdDay({ impressions: 40_000, seed: 11 });
    let clicks = 0;
    let expected = 0;
    for (let i = 0; i < day.impressions; i++) {
      const a = day.loggedCandidate[i]!;
      clicks += isClicked(day, i, a) ? 1 : 0;
      expected += day.clickProbability[i * day.candidatesPerImpression + a]!;
    }
    const rate = clicks / day.impressions;
    // Clicks on random ads are rare (a few percent), and the observed count is within 4
    // binomial standard deviations of the sum of the probabilities.
    expect(rate).toBeGreaterThan(0.01);
    expect(rate).toBeLessThan(0.04);
    expect(Math.abs(clicks - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it('draws prices per click within the documented bounds, in cents', () => {
    const day = generateAdDay({ impressions: 2_000, seed: 2 });
    for (const bid of day.bidUsdPerClick) {
      expect(bid).toBeGreaterThanOrEqual(0.05);
      expect(bid).toBeLessThanOrEqual(20);
      expect(Math.abs(bid * 100 - Math.round(bid * 100))).toBeLessThan(1e-9);
    }
  });
});

describe('adFeatureMatrix', () => {
  it('lays out the chosen groups in a fixed order', () => {
    expect(adFeatureNames(['match', 'context'])).toEqual([
      'top slot',
      'mobile',
      'engagement',
      "interest in the ad's category",
    ]);
    const day = generateAdDay({ impressions: 5, seed: 4 });
    const k = day.candidatesPerImpression;
    const { x, featureCount } = adFeatureMatrix(day, [2], [1], ['context', 'ad', 'match']);
    expect(featureCount).toBe(8);
    const category = day.adCategory[2 * k + 1]!;
    expect(Array.from(x)).toEqual([
      day.topSlot[2],
      day.mobile[2],
      day.engagement[2],
      day.adQuality[2 * k + 1],
      category === 1 ? 1 : 0,
      category === 2 ? 1 : 0,
      category === 3 ? 1 : 0,
      day.interest[2 * AD_CATEGORY_COUNT + category],
    ]);
  });

  it('gives no columns for no groups', () => {
    const day = generateAdDay({ impressions: 5, seed: 4 });
    const { x, featureCount } = adFeatureMatrix(day, [0, 1], [0, 0], []);
    expect(featureCount).toBe(0);
    expect(x).toHaveLength(0);
  });
});
