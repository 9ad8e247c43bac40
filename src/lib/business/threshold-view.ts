/**
 * Everything the threshold-and-cost sandbox shows for one threshold and one cost model, computed
 * from a model's scored validation rows: the confusion matrix, ML metrics beside the money,
 * the profit curve on a grid with its best threshold, and the theoretical optimum for
 * calibrated scores at the average fraud amount.
 */
import { accuracy, falsePositiveRate, precision, recall } from '../ml/metrics';
import {
  fraudCostsForAmount,
  fraudSavingsAt,
  profitCurve,
  profitCurveOnGrid,
  theoreticalOptimalThreshold,
  type FraudCostModel,
  type FraudSavings,
  type ProfitGrid,
} from './fraud-money';

/** A model's scores on labelled rows, with each row's fraud amount. */
export interface ScoredRowsLike {
  scores: ArrayLike<number>;
  labels: ArrayLike<number>;
  amountsUsd: ArrayLike<number>;
}

/** What the sandbox draws. */
export interface ThresholdView {
  threshold: number;
  savings: FraudSavings;
  accuracy: number;
  precision: number;
  recall: number;
  falsePositiveRate: number;
  /** Net savings at 101 thresholds 0, 0.01, …, 1 (for the chart). */
  grid: ProfitGrid;
  /** The best threshold over every distinct score, and its net savings. */
  bestThreshold: number;
  bestNetSavingsUsd: number;
  /** Mean amount of the fraudulent rows, in USD (0 when there are none). */
  meanFraudAmountUsd: number;
  /**
   * c_FP / (c_FP + c_FN) at the mean fraud amount: the best threshold if scores were calibrated
   * probabilities and every fraud had the mean amount.
   */
  theoreticalThreshold: number;
}

/** Computes the view; O(n log n) for the curve, O(n) for the rest. */
export function thresholdView(
  rows: ScoredRowsLike,
  costs: FraudCostModel,
  threshold: number,
): ThresholdView {
  const savings = fraudSavingsAt(rows.labels, rows.scores, rows.amountsUsd, threshold, costs);
  const curve = profitCurve(rows.labels, rows.scores, rows.amountsUsd, costs);
  let fraudAmountUsd = 0;
  let frauds = 0;
  for (let i = 0; i < rows.labels.length; i++) {
    if ((rows.labels[i] ?? 0) >= 0.5) {
      fraudAmountUsd += rows.amountsUsd[i] ?? 0;
      frauds++;
    }
  }
  const meanFraudAmountUsd = frauds === 0 ? 0 : fraudAmountUsd / frauds;
  const { costFalsePositiveUsd, costFalseNegativeUsd } = fraudCostsForAmount(
    meanFraudAmountUsd,
    costs,
  );
  const { confusion } = savings;
  return {
    threshold,
    savings,
    accuracy: accuracy(confusion),
    precision: precision(confusion),
    recall: recall(confusion),
    falsePositiveRate: falsePositiveRate(confusion),
    grid: profitCurveOnGrid(curve),
    // The curve's first point is "flag nothing" at +Infinity; show it as threshold 1.
    bestThreshold: Math.min(curve.bestThreshold, 1),
    bestNetSavingsUsd: curve.bestNetSavingsUsd,
    meanFraudAmountUsd,
    theoreticalThreshold: theoreticalOptimalThreshold(costFalsePositiveUsd, costFalseNegativeUsd),
  };
}
