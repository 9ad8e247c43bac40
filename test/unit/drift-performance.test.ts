import { describe, expect, it } from 'vitest';
import {
  alertBand,
  checkPerformance,
  chunkRanges,
  estimatePerformance,
  fitPerformanceBands,
  realizedPerformance,
} from '@lib/drift/performance-estimate';
import { createRng } from '@lib/random';

describe('estimatePerformance (confidence-based, no labels)', () => {
  it('computes the expected confusion matrix by hand', () => {
    // Scores 0.9, 0.2, 0.6, 0.4 at t = 0.5. Predicted positive: 0.9 and 0.6, so
    // E[TP] = 1.5, E[FP] = 0.5; predicted negative: 0.2 and 0.4, so E[FN] = 0.6, E[TN] = 1.4.
    const e = estimatePerformance([0.9, 0.2, 0.6, 0.4]);
    expect(e.confusion.truePositives).toBeCloseTo(1.5, 14);
    expect(e.confusion.falsePositives).toBeCloseTo(0.5, 14);
    expect(e.confusion.falseNegatives).toBeCloseTo(0.6, 14);
    expect(e.confusion.trueNegatives).toBeCloseTo(1.4, 14);
    // Accuracy = (1.5 + 1.4)/4 = mean of max(p, 1 − p) = (0.9 + 0.8 + 0.6 + 0.6)/4 = 0.725.
    expect(e.accuracy).toBeCloseTo(0.725, 14);
    expect(e.precision).toBeCloseTo(0.75, 14); // 1.5 / 2
    expect(e.recall).toBeCloseTo(1.5 / 2.1, 14);
    expect(e.f1).toBeCloseTo(3 / 4.1, 14); // 2·1.5 / (2·1.5 + 0.5 + 0.6)
    expect(e.predictedPositiveShare).toBe(0.5);
    // Spread: √(0.9·0.1 + 0.8·0.2 + 0.6·0.4 + 0.6·0.4)/4 = √0.73/4.
    expect(e.accuracyStd).toBeCloseTo(Math.sqrt(0.73) / 4, 14);
  });

  it('uses the given threshold and range of rows', () => {
    const e = estimatePerformance([0.9, 0.2, 0.6, 0.4], 0.65, 1, 3);
    // Rows 0.2 and 0.6, both predicted negative at 0.65: accuracy (0.8 + 0.4)/2.
    expect(e.accuracy).toBeCloseTo(0.6, 14);
    expect(e.precision).toBeNaN();
    expect(e.rows).toBe(2);
  });

  it('predicts the realised accuracy of calibrated scores', () => {
    // Labels drawn as Bernoulli(score): the scores are calibrated by construction, so the
    // realised metrics scatter around the estimate (accuracy within a few accuracyStd).
    const rng = createRng('cbpe');
    const n = 20_000;
    const scores = new Float64Array(n);
    const labels = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = rng.next() ** 3; // mostly low scores, like a fraud model
      scores[i] = p;
      labels[i] = rng.next() < p ? 1 : 0;
    }
    const e = estimatePerformance(scores);
    const r = realizedPerformance(scores, labels);
    expect(Math.abs(r.accuracy - e.accuracy)).toBeLessThan(4 * e.accuracyStd);
    expect(Math.abs(r.precision - e.precision)).toBeLessThan(0.03);
    expect(Math.abs(r.recall - e.recall)).toBeLessThan(0.03);
  });

  it('refuses scores or thresholds outside [0, 1]', () => {
    expect(() => estimatePerformance([0.2, 1.2])).toThrow(RangeError);
    expect(() => estimatePerformance([0.2], 2)).toThrow(RangeError);
    expect(() => estimatePerformance([Number.NaN])).toThrow(RangeError);
  });
});

describe('realizedPerformance', () => {
  it('counts the confusion matrix', () => {
    // Scores 0.9, 0.2, 0.6, 0.4 with labels 1, 0, 0, 1: TP 1 (0.9), FP 1 (0.6), FN 1 (0.4),
    // TN 1 (0.2).
    const r = realizedPerformance([0.9, 0.2, 0.6, 0.4], [1, 0, 0, 1]);
    expect(r.confusion).toEqual({
      truePositives: 1,
      falsePositives: 1,
      trueNegatives: 1,
      falseNegatives: 1,
    });
    expect(r).toMatchObject({ accuracy: 0.5, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(() => realizedPerformance([0.5], [2])).toThrow(RangeError);
    expect(() => realizedPerformance([0.5, 0.2], [1])).toThrow(RangeError);
  });
});

describe('alert bands', () => {
  it("reproduces NannyML's StandardDeviationThreshold example", () => {
    // NannyML docs: values 0…9 give (−4.116843969807043, 13.116843969807043) with the default
    // multipliers 3: mean 4.5 ± 3·std, std with ddof = 0 (√8.25).
    const band = alertBand([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3, -Infinity, Infinity);
    expect(band.mean).toBe(4.5);
    expect(band.std).toBeCloseTo(Math.sqrt(8.25), 14);
    expect(band.lower).toBeCloseTo(-4.116843969807043, 12);
    expect(band.upper).toBeCloseTo(13.116843969807043, 12);
    // Clipped to [0, 1] by default, and NaN chunk values are skipped.
    const clipped = alertBand([0.9, 0.99, Number.NaN, 0.95]);
    expect(clipped.upper).toBe(1);
    expect(clipped.mean).toBeCloseTo(0.9466666666666667, 14);
  });

  it('chunks the reference, the remainder joining the last chunk', () => {
    expect(chunkRanges(10, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
    expect(chunkRanges(2, 5)).toEqual([[0, 2]]);
    expect(chunkRanges(0, 5)).toEqual([]);
    expect(() => chunkRanges(10, 0)).toThrow(RangeError);
  });
});

describe('fitPerformanceBands and checkPerformance', () => {
  const rng = createRng('bands');
  const draw = (n: number, confidence: number): { scores: Float64Array; labels: Float64Array } => {
    const scores = new Float64Array(n);
    const labels = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Calibrated scores whose distance from ½ shrinks as confidence falls.
      const side = rng.next() < 0.5 ? 1 : -1;
      const p = 0.5 + side * 0.5 * confidence * rng.next();
      scores[i] = p;
      labels[i] = rng.next() < p ? 1 : 0;
    }
    return { scores, labels };
  };
  const reference = draw(10_000, 0.95);
  const bands = fitPerformanceBands(reference.scores, reference.labels, 1000);

  it('fits one chunk value per 1,000 reference rows', () => {
    expect(bands.estimated.accuracy.chunkValues).toHaveLength(10);
    expect(bands.realized?.accuracy.chunkValues).toHaveLength(10);
    const direct = estimatePerformance(reference.scores, 0.5, 2000, 3000).accuracy;
    expect(bands.estimated.accuracy.chunkValues[2]).toBe(direct);
    expect(bands.estimated.accuracy.lower).toBeLessThan(bands.estimated.accuracy.mean);
  });

  it('stays quiet on a window like the reference and alerts when confidence drops', () => {
    const calm = draw(1000, 0.95);
    expect(checkPerformance(calm.scores, bands).estimatedAlerts).toEqual([]);
    const shaky = draw(1000, 0.5);
    const check = checkPerformance(shaky.scores, bands, shaky.labels);
    expect(check.estimatedAlerts).toContain('accuracy');
    expect(check.realized?.accuracy).toBeLessThan(bands.realized?.accuracy.lower ?? 0);
    expect(check.realizedAlerts).toContain('accuracy');
  });
});
