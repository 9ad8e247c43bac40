import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bootstrapAccuracyAndSavings,
  bootstrapInterval,
  bootstrapMean,
  sortedQuantile,
} from '@lib/business/bootstrap';
import {
  DEFAULT_FRAUD_COSTS,
  fraudCostsForAmount,
  fraudSavingsAt,
  profitCurve,
  profitCurveOnGrid,
  theoreticalOptimalThreshold,
  thresholdGrid,
  type FraudCostModel,
} from '@lib/business/fraud-money';
import { createRng } from '@lib/random';

// The 8-row example of metrics.test.ts, with an amount per transaction.
//   row     0    1    2    3    4    5    6    7
//   fraud   1    0    1    1    0    0    1    0
//   score  0.9  0.8  0.5  0.4  0.5  0.1  0.7  0.3
//   USD    100   50  200  300   20   10   80    5
const labels = [1, 0, 1, 1, 0, 0, 1, 0];
const scores = [0.9, 0.8, 0.5, 0.4, 0.5, 0.1, 0.7, 0.3];
const amountsUsd = [100, 50, 200, 300, 20, 10, 80, 5];
const costs: FraudCostModel = {
  reviewCostPerAlertUsd: 5,
  declineCostPerFalsePositiveUsd: 20,
  recoveredShareOfCaughtFraud: 1,
};

/** A synthetic scored dataset with calibrated scores: label ~ Bernoulli(score). */
function calibratedData(rows: number, seed: string, amountUsd?: number) {
  const rng = createRng(seed);
  const l = new Float32Array(rows);
  const s = new Float32Array(rows);
  const a = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    s[i] = rng.next();
    l[i] = rng.bernoulli(s[i]!) ? 1 : 0;
    a[i] = amountUsd ?? Math.round(rng.logNormal(4, 1));
  }
  return { labels: l, scores: s, amountsUsd: a };
}

const costArb = fc.record({
  reviewCostPerAlertUsd: fc.double({ min: 0, max: 100, noNaN: true }),
  declineCostPerFalsePositiveUsd: fc.double({ min: 0, max: 200, noNaN: true }),
  recoveredShareOfCaughtFraud: fc.double({ min: 0, max: 1, noNaN: true }),
});
const rowsArb = fc
  .array(
    fc.tuple(
      fc.boolean(),
      fc.integer({ min: 0, max: 20 }).map((k) => k / 20),
      fc.double({ min: 0, max: 5000, noNaN: true }),
    ),
    { minLength: 1, maxLength: 60 },
  )
  .map((rows) => ({
    labels: rows.map(([y]) => (y ? 1 : 0)),
    scores: rows.map(([, s]) => s),
    amountsUsd: rows.map(([, , a]) => a),
  }));

describe('fraudSavingsAt', () => {
  it('works the 8-row example by hand at 0.5', () => {
    // Flagged: rows 0, 2, 6 (fraud, $380) and 1, 4 (legitimate). Missed: row 3 ($300).
    const result = fraudSavingsAt(labels, scores, amountsUsd, 0.5, costs);
    expect(result.fraudStoppedUsd).toBe(380);
    expect(result.fraudMissedUsd).toBe(300);
    expect(result.reviewCostUsd).toBe(25); // 5 alerts × $5
    expect(result.falsePositiveCostUsd).toBe(40); // 2 FP × $20
    expect(result.netSavingsUsd).toBe(315);
    expect(result.confusion).toEqual({
      truePositives: 3,
      falsePositives: 2,
      trueNegatives: 2,
      falseNegatives: 1,
    });
  });

  it('scales the stopped fraud by the recovered share', () => {
    const half = fraudSavingsAt(labels, scores, amountsUsd, 0.5, {
      ...costs,
      recoveredShareOfCaughtFraud: 0.5,
    });
    expect(half.fraudStoppedUsd).toBe(190);
    expect(half.netSavingsUsd).toBe(125);
  });

  it('is non-increasing in each cost and never NaN for finite inputs', () => {
    fc.assert(
      fc.property(
        rowsArb,
        costArb,
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (data, base, extraReview, extraDecline, threshold) => {
          const at = (c: FraudCostModel) =>
            fraudSavingsAt(data.labels, data.scores, data.amountsUsd, threshold, c).netSavingsUsd;
          const net = at(base);
          expect(Number.isNaN(net)).toBe(false);
          const tolerance = 1e-9 * (1 + Math.abs(net));
          expect(
            at({ ...base, reviewCostPerAlertUsd: base.reviewCostPerAlertUsd + extraReview }),
          ).toBeLessThanOrEqual(net + tolerance);
          expect(
            at({
              ...base,
              declineCostPerFalsePositiveUsd: base.declineCostPerFalsePositiveUsd + extraDecline,
            }),
          ).toBeLessThanOrEqual(net + tolerance);
        },
      ),
    );
  });
});

describe('profitCurve', () => {
  it('sweeps every distinct threshold of the 8-row example', () => {
    const curve = profitCurve(labels, scores, amountsUsd, costs);
    expect(Array.from(curve.thresholds)).toEqual([Infinity, 0.9, 0.8, 0.7, 0.5, 0.4, 0.3, 0.1]);
    // e.g. at 0.4: 4 TP ($680), 2 FP → 680 − 6·5 − 2·20 = 610.
    expect(Array.from(curve.netSavingsUsd)).toEqual([0, 95, 70, 145, 315, 610, 585, 560]);
    expect(curve.bestThreshold).toBe(0.4);
    expect(curve.bestNetSavingsUsd).toBe(610);
    expect(curve.positives).toBe(4);
    expect(curve.negatives).toBe(4);
  });

  it('agrees with fraudSavingsAt at every point, and its optimum beats every grid point', () => {
    fc.assert(
      fc.property(rowsArb, costArb, (data, c) => {
        const curve = profitCurve(data.labels, data.scores, data.amountsUsd, c);
        for (let k = 1; k < curve.thresholds.length; k++) {
          const direct = fraudSavingsAt(
            data.labels,
            data.scores,
            data.amountsUsd,
            curve.thresholds[k]!,
            c,
          );
          expect(curve.netSavingsUsd[k]).toBeCloseTo(direct.netSavingsUsd, 6);
          expect(curve.truePositives[k]).toBe(direct.confusion.truePositives);
          expect(curve.netSavingsUsd[k]).toBeLessThanOrEqual(curve.bestNetSavingsUsd);
        }
        const grid = profitCurveOnGrid(curve, thresholdGrid(101));
        for (let g = 0; g < 101; g++) {
          const t = grid.thresholds[g]!;
          const direct = fraudSavingsAt(data.labels, data.scores, data.amountsUsd, t, c);
          expect(grid.netSavingsUsd[g]).toBeCloseTo(direct.netSavingsUsd, 6);
          expect(grid.netSavingsUsd[g]).toBeLessThanOrEqual(curve.bestNetSavingsUsd + 1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('never flags NaN scores and returns 0 when flagging nothing is best', () => {
    const curve = profitCurve([0, 1, 0], [0.9, Number.NaN, 0.8], [10, 1000, 10], costs);
    expect(Array.from(curve.thresholds)).toEqual([Infinity, 0.9, 0.8]);
    expect(curve.bestThreshold).toBe(Infinity);
    expect(curve.bestNetSavingsUsd).toBe(0);
  });

  it('finds the theoretical threshold on calibrated scores', () => {
    // Every amount $100: c_FP = 5 + 20 = 25, c_FN = 100 − 5 = 95 → t* = 25/120 ≈ 0.208.
    const data = calibratedData(20_000, 'calibrated', 100);
    const { costFalsePositiveUsd, costFalseNegativeUsd } = fraudCostsForAmount(100, costs);
    const tStar = theoreticalOptimalThreshold(costFalsePositiveUsd, costFalseNegativeUsd);
    expect(tStar).toBeCloseTo(25 / 120, 12);
    const curve = profitCurve(data.labels, data.scores, data.amountsUsd, costs);
    expect(Math.abs(curve.bestThreshold - tStar)).toBeLessThan(0.04);
  });
});

describe('theoreticalOptimalThreshold', () => {
  it('is c_FP / (c_FP + c_FN), in [0, 1], rising with c_FP and falling with c_FN', () => {
    expect(theoreticalOptimalThreshold(1, 9)).toBeCloseTo(0.1, 12);
    expect(theoreticalOptimalThreshold(0, 0)).toBe(0.5);
    expect(() => theoreticalOptimalThreshold(-1, 2)).toThrow(RangeError);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (cFp, cFn, extra) => {
          const t = theoreticalOptimalThreshold(cFp, cFn);
          expect(t).toBeGreaterThanOrEqual(0);
          expect(t).toBeLessThanOrEqual(1);
          if (cFp + cFn > 0) {
            expect(theoreticalOptimalThreshold(cFp + extra, cFn)).toBeGreaterThanOrEqual(t);
            expect(theoreticalOptimalThreshold(cFp, cFn + extra)).toBeLessThanOrEqual(t);
          }
        },
      ),
    );
  });

  it('uses the course defaults for the fraud costs', () => {
    expect(fraudCostsForAmount(200)).toEqual({
      costFalsePositiveUsd:
        DEFAULT_FRAUD_COSTS.reviewCostPerAlertUsd +
        DEFAULT_FRAUD_COSTS.declineCostPerFalsePositiveUsd,
      costFalseNegativeUsd: 200 - DEFAULT_FRAUD_COSTS.reviewCostPerAlertUsd,
    });
  });
});

describe('bootstrap', () => {
  it('interpolates quantiles like NumPy (type 7)', () => {
    expect(sortedQuantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(sortedQuantile([1, 2, 3, 4], 0)).toBe(1);
    expect(sortedQuantile([1, 2, 3, 4], 1)).toBe(4);
    expect(sortedQuantile([10], 0.3)).toBe(10);
  });

  it('gives the same replicates through counts and through the fast path', () => {
    const rng = createRng('values');
    const values = Array.from({ length: 200 }, () => rng.normal(5, 2));
    const options = { seed: 'same', resamples: 300 };
    const viaCounts = bootstrapInterval(
      values.length,
      (counts) => {
        let sum = 0;
        for (let i = 0; i < counts.length; i++) sum += counts[i]! * values[i]!;
        return sum / values.length;
      },
      options,
    );
    const fast = bootstrapMean(values, options);
    expect(viaCounts.estimate).toBeCloseTo(fast.estimate, 9);
    expect(viaCounts.low).toBeCloseTo(fast.low, 9);
    expect(viaCounts.high).toBeCloseTo(fast.high, 9);
    expect(fast.low).toBeLessThan(fast.estimate);
    expect(fast.high).toBeGreaterThan(fast.estimate);
    // The bootstrap SE of a mean is close to s/√n = 2/√200 ≈ 0.141.
    expect(fast.standardError).toBeGreaterThan(0.11);
    expect(fast.standardError).toBeLessThan(0.17);
    expect(bootstrapMean(values, options).low).toBe(fast.low);
  });

  it('covers the true Bernoulli(0.3) mean about 95% of the time', () => {
    const rng = createRng('coverage');
    const repetitions = 300;
    let covered = 0;
    const sample = new Float64Array(100);
    for (let r = 0; r < repetitions; r++) {
      for (let i = 0; i < sample.length; i++) sample[i] = rng.bernoulli(0.3) ? 1 : 0;
      const interval = bootstrapMean(sample, { seed: r, resamples: 400 });
      if (interval.low <= 0.3 && 0.3 <= interval.high) covered++;
    }
    const coverage = covered / repetitions;
    expect(coverage).toBeGreaterThanOrEqual(0.9);
    expect(coverage).toBeLessThanOrEqual(0.98);
  });

  it('bootstraps accuracy and net savings consistently with the point metrics', () => {
    const data = calibratedData(2000, 'accuracy-savings');
    const threshold = 0.3;
    const result = bootstrapAccuracyAndSavings(
      data.labels,
      data.scores,
      data.amountsUsd,
      threshold,
      { seed: 1, resamples: 500, costs },
    );
    const direct = fraudSavingsAt(data.labels, data.scores, data.amountsUsd, threshold, costs);
    const c = direct.confusion;
    expect(result.accuracy.estimate).toBeCloseTo((c.truePositives + c.trueNegatives) / 2000, 9);
    expect(result.netSavingsUsd.estimate).toBeCloseTo(direct.netSavingsUsd, 3);
    expect(result.accuracy.low).toBeLessThan(result.accuracy.estimate);
    expect(result.accuracy.high).toBeGreaterThan(result.accuracy.estimate);
    expect(result.netSavingsUsd.low).toBeLessThan(result.netSavingsUsd.estimate);
    expect(result.netSavingsUsd.high).toBeGreaterThan(result.netSavingsUsd.estimate);
    expect(result.accuracy.resamples).toBe(500);
  });

  it('gives the same intervals from confusion cells as from row draws', () => {
    const data = calibratedData(2000, 'cells-vs-rows');
    const run = (method: 'cells' | 'rows') =>
      bootstrapAccuracyAndSavings(data.labels, data.scores, data.amountsUsd, 0.6, {
        seed: 'cells',
        resamples: 1000,
        costs,
        method,
      });
    const cells = run('cells');
    const rows = run('rows');
    expect(cells.accuracy.estimate).toBeCloseTo(rows.accuracy.estimate, 12);
    expect(cells.netSavingsUsd.estimate).toBeCloseTo(rows.netSavingsUsd.estimate, 6);
    // Same distribution, different draws: the standard errors agree to Monte Carlo noise.
    const ratio = (a: number, b: number) => Math.abs(a / b - 1);
    expect(ratio(cells.accuracy.standardError, rows.accuracy.standardError)).toBeLessThan(0.12);
    expect(ratio(cells.netSavingsUsd.standardError, rows.netSavingsUsd.standardError)).toBeLessThan(
      0.12,
    );
  });

  it('rejects bad options', () => {
    expect(() => bootstrapMean([1, 2], { seed: 1, resamples: 1 })).toThrow(RangeError);
    expect(() => bootstrapMean([1, 2], { seed: 1, confidence: 1 })).toThrow(RangeError);
  });
});
