import { describe, expect, it } from 'vitest';
import { thresholdView } from '@lib/business/threshold-view';

// Four fraud rows worth $100/$300 and six honest ones; review $5, decline $20, full recovery.
const rows = {
  scores: [0.9, 0.8, 0.7, 0.6, 0.4, 0.35, 0.3, 0.2, 0.1, 0.05],
  labels: [1, 0, 1, 0, 1, 0, 0, 0, 1, 0],
  amountsUsd: [100, 50, 300, 20, 100, 10, 10, 10, 100, 10],
};
const costs = {
  reviewCostPerAlertUsd: 5,
  declineCostPerFalsePositiveUsd: 20,
  recoveredShareOfCaughtFraud: 1,
};

describe('thresholdView', () => {
  it('prices the confusion matrix at a threshold', () => {
    const view = thresholdView(rows, costs, 0.5);
    // Flagged: 0.9 (fraud $100), 0.8 (honest), 0.7 (fraud $300), 0.6 (honest).
    expect(view.savings.confusion).toEqual({
      truePositives: 2,
      falsePositives: 2,
      trueNegatives: 4,
      falseNegatives: 2,
    });
    // 400 stopped − 4 reviews × 5 − 2 declines × 20 = 340.
    expect(view.savings.netSavingsUsd).toBe(340);
    expect(view.accuracy).toBeCloseTo(0.6, 12);
    expect(view.precision).toBeCloseTo(0.5, 12);
    expect(view.recall).toBeCloseTo(0.5, 12);
    expect(view.falsePositiveRate).toBeCloseTo(2 / 6, 12);
  });

  it('finds the best threshold and puts the grid on the same money', () => {
    const view = thresholdView(rows, costs, 0.5);
    // Flagging down to 0.4 adds a $100 fraud for $5 more review: 340 + 95 = 435; going lower
    // only adds honest rows (−25 each) until the $100 fraud at 0.1 (435 − 75 + 95 = 455), then
    // the last honest row at 0.05 costs 25.
    expect(view.bestNetSavingsUsd).toBe(455);
    expect(view.bestThreshold).toBeCloseTo(0.1, 12);
    expect(view.grid.thresholds).toHaveLength(101);
    expect(view.grid.netSavingsUsd[50]).toBe(340);
    expect(Math.max(...view.grid.netSavingsUsd)).toBeLessThanOrEqual(view.bestNetSavingsUsd);
  });

  it('gives the calibrated-score optimum at the mean fraud amount', () => {
    const view = thresholdView(rows, costs, 0.5);
    expect(view.meanFraudAmountUsd).toBe(150);
    // c_FP = 5 + 20 = 25; c_FN = 150 − 5 = 145; t* = 25 / 170.
    expect(view.theoreticalThreshold).toBeCloseTo(25 / 170, 12);
  });

  it('shows "flag nothing" as threshold 1 when no threshold pays', () => {
    const view = thresholdView(
      { scores: [0.9, 0.8], labels: [0, 0], amountsUsd: [10, 10] },
      costs,
      0.5,
    );
    expect(view.bestThreshold).toBe(1);
    expect(view.bestNetSavingsUsd).toBe(0);
    expect(view.meanFraudAmountUsd).toBe(0);
  });
});
