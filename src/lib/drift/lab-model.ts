/**
 * The drift lab's deployed model: a logistic regression (`ml/logistic-regression.ts`, Newton's
 * method, deterministic, no tfjs) fitted on a labelled window of the production stream, with a
 * decision threshold chosen for money, and the reference the monitor compares production with.
 *
 * Threshold. The raw in-sample profit curve of a week of rare fraud is ragged (one $2,000 fraud
 * moves its peak), and its best point can even be "flag nothing". So the threshold is the best
 * point of the profit curve read on a fixed grid, t ∈ {0.01, 0.02, …, 0.50} (`profitCurveOnGrid`):
 * net savings = share · Σ_TP amount − review · (TP + FP) − decline · FP, the highest t on ties.
 */
import { profitCurve, profitCurveOnGrid, DEFAULT_FRAUD_COSTS } from '@lib/business/fraud-money';
import type { FraudCostModel } from '@lib/business/fraud-money';
import {
  predictProbabilities,
  trainLogisticRegression,
  type LogisticModel,
} from '@lib/ml/logistic-regression';
import type { MonitorReference } from '@lib/drift/production-monitor';
import type { DeployedModel, LabelledWindow, ProductionStream, Scorer } from '@lib/drift/stream';

/** The threshold grid searched: 0.01, 0.02, …, 0.50. */
export const LAB_THRESHOLD_GRID: Float64Array = Float64Array.from({ length: 50 }, (_, i) =>
  Number(((i + 1) / 100).toFixed(2)),
);

/** Ridge penalty λ of the lab's logistic regression (in the standardised scale). */
export const LAB_L2 = 1e-4;

/** A trained lab model. */
export interface LabModel {
  /** The fitted weights (original units) and bias. */
  logistic: LogisticModel;
  /** P(fraud) for each row of a row-major matrix. */
  scorer: Scorer;
  /** Flag when score ≥ this. */
  thresholdScore: number;
  /** In-sample net savings at the threshold, USD. */
  trainNetSavingsUsd: number;
  /** Rows trained on. */
  trainRows: number;
}

/**
 * The grid threshold with the highest net savings on (labels, scores, amounts): see the module
 * header. Ties go to the highest threshold.
 */
export function bestGridThreshold(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  amountsUsd: ArrayLike<number>,
  costs: FraudCostModel = DEFAULT_FRAUD_COSTS,
): { thresholdScore: number; netSavingsUsd: number } {
  const grid = profitCurveOnGrid(
    profitCurve(labels, scores, amountsUsd, costs),
    LAB_THRESHOLD_GRID,
  );
  let best = 0;
  for (let g = 1; g < grid.thresholds.length; g++) {
    if (grid.netSavingsUsd[g]! >= grid.netSavingsUsd[best]!) best = g;
  }
  return { thresholdScore: grid.thresholds[best]!, netSavingsUsd: grid.netSavingsUsd[best]! };
}

/**
 * Fits the lab's logistic regression on a labelled window (Newton, λ = {@link LAB_L2}) and picks
 * its threshold ({@link bestGridThreshold}). About 50 ms for 14,000 rows in Node.
 */
export function trainLabModel(
  trainingWindow: LabelledWindow,
  costs: FraudCostModel = DEFAULT_FRAUD_COSTS,
): LabModel {
  const logistic = trainLogisticRegression(
    trainingWindow.features,
    trainingWindow.cols,
    trainingWindow.labels,
    {
      l2: LAB_L2,
    },
  );
  const scorer: Scorer = (features, rows) =>
    Float32Array.from(predictProbabilities(logistic, features, rows));
  const inSample = scorer(trainingWindow.features, trainingWindow.rows, trainingWindow.cols);
  const best = bestGridThreshold(trainingWindow.labels, inSample, trainingWindow.amountsUsd, costs);
  return {
    logistic,
    scorer,
    thresholdScore: best.thresholdScore,
    trainNetSavingsUsd: best.netSavingsUsd,
    trainRows: trainingWindow.rows,
  };
}

/** A lab model as the driver's initial model, named `id`, trained before the stream. */
export function asDeployedModel(
  model: Pick<LabModel, 'scorer' | 'thresholdScore'>,
  id = 'm0',
): DeployedModel {
  return {
    id,
    scorer: model.scorer,
    thresholdScore: model.thresholdScore,
    trainedFromDay: null,
    trainedToDay: null,
  };
}

/**
 * The monitor's reference from the last `days` days of a labelled window: those rows, the
 * model's scores on them, their labels and the model's threshold.
 *
 * @throws RangeError when `days` is not a whole number from 1 to the window's length.
 */
export function referenceFromWindow(
  trainingWindow: LabelledWindow,
  model: Pick<LabModel, 'scorer' | 'thresholdScore'>,
  days: number,
): MonitorReference {
  const windowDays = trainingWindow.toDay - trainingWindow.fromDay + 1;
  if (!(Number.isInteger(days) && days >= 1 && days <= windowDays)) {
    throw new RangeError(`The reference needs 1 to ${windowDays} days; got ${days}.`);
  }
  const rowsPerDay = trainingWindow.rows / windowDays;
  const rows = rowsPerDay * days;
  const start = trainingWindow.rows - rows;
  const features = trainingWindow.features.slice(start * trainingWindow.cols);
  return {
    features,
    rows,
    cols: trainingWindow.cols,
    scores: model.scorer(features, rows, trainingWindow.cols),
    labels: trainingWindow.labels.slice(start),
    thresholdScore: model.thresholdScore,
  };
}

/** The training history of a lab run: `days` days of a stream drawn before day 0. */
export function historyWindow(history: ProductionStream, days: number): LabelledWindow {
  return history.labelledDays(0, days - 1);
}
