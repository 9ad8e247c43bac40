/**
 * The fraud money model: what a thresholded fraud classifier saves, in dollars.
 *
 * Conventions (the same as `src/lib/ml/metrics.ts`):
 * - `labels[i] >= 0.5` means transaction i is fraud.
 * - A transaction is flagged (an alert) iff `scores[i] >= threshold`; a NaN score is never
 *   flagged.
 * - `amountsUsd[i]` is the transaction's amount; only the amounts of fraudulent transactions
 *   enter the money, because stopping a legitimate transaction costs a flat decline cost
 *   rather than its amount.
 *
 * Per threshold the model counts:
 *
 *   fraudStoppedUsd      = recoveredShareOfCaughtFraud · Σ_{TP} amountUsd
 *   reviewCostUsd        = reviewCostPerAlertUsd · (TP + FP)
 *   falsePositiveCostUsd = declineCostPerFalsePositiveUsd · FP
 *   netSavingsUsd        = fraudStoppedUsd − reviewCostUsd − falsePositiveCostUsd
 *
 * Net savings are measured against running no model at all (no alerts: net savings 0).
 */

import { confusionAt, type ConfusionMatrix } from '../ml/metrics';

/** What each outcome of a fraud alert costs or saves. All amounts are in US dollars. */
export interface FraudCostModel {
  /** Cost of an analyst reviewing one alert (true or false), in USD. */
  reviewCostPerAlertUsd: number;
  /**
   * Cost of wrongly declining one legitimate transaction, in USD: the lost margin on the sale
   * plus the expected value of customers who leave after a false decline.
   */
  declineCostPerFalsePositiveUsd: number;
  /** Share (0–1) of a caught fraud's amount that is actually saved; 1 means all of it. */
  recoveredShareOfCaughtFraud: number;
}

/**
 * Course defaults, chosen as round, plausible numbers rather than quoted from one source:
 * - `reviewCostPerAlertUsd = 5`: about five minutes of an analyst whose loaded cost is
 *   ~$60 an hour.
 * - `declineCostPerFalsePositiveUsd = 20`: a few dollars of lost margin on an average
 *   basket plus a small chance that the insulted customer churns (false declines are widely
 *   reported to cost merchants more than the fraud itself, because customers leave).
 * - `recoveredShareOfCaughtFraud = 1`: a caught fraud is stopped in full.
 */
export const DEFAULT_FRAUD_COSTS: Readonly<FraudCostModel> = {
  reviewCostPerAlertUsd: 5,
  declineCostPerFalsePositiveUsd: 20,
  recoveredShareOfCaughtFraud: 1,
};

/** The money at one threshold. */
export interface FraudSavings {
  /** The score at or above which a transaction is flagged. */
  threshold: number;
  /** recoveredShareOfCaughtFraud · Σ amountUsd over true positives. */
  fraudStoppedUsd: number;
  /** Σ amountUsd over false negatives (fraud that went through). */
  fraudMissedUsd: number;
  /** reviewCostPerAlertUsd · (TP + FP). */
  reviewCostUsd: number;
  /** declineCostPerFalsePositiveUsd · FP. */
  falsePositiveCostUsd: number;
  /** fraudStoppedUsd − reviewCostUsd − falsePositiveCostUsd. */
  netSavingsUsd: number;
  /** The confusion matrix at `threshold`. */
  confusion: ConfusionMatrix;
}

/** Throws unless labels, scores and amounts have the same length; returns it. */
function checkLengths(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  amountsUsd: ArrayLike<number>,
): number {
  if (labels.length !== scores.length || labels.length !== amountsUsd.length) {
    throw new RangeError(
      `labels, scores and amountsUsd differ in length (${labels.length}, ${scores.length}, ${amountsUsd.length})`,
    );
  }
  return labels.length;
}

/**
 * Net savings of one confusion outcome, given its true-positive fraud amount:
 * share · tpAmountUsd − review · (TP + FP) − decline · FP.
 */
export function netSavingsFromCounts(
  truePositives: number,
  falsePositives: number,
  truePositiveAmountUsd: number,
  costs: FraudCostModel,
): number {
  return (
    costs.recoveredShareOfCaughtFraud * truePositiveAmountUsd -
    costs.reviewCostPerAlertUsd * (truePositives + falsePositives) -
    costs.declineCostPerFalsePositiveUsd * falsePositives
  );
}

/**
 * The money of flagging every transaction with `score >= threshold`, in one pass:
 * fraudStoppedUsd = share·Σ_TP amount, fraudMissedUsd = Σ_FN amount,
 * reviewCostUsd = review·(TP+FP), falsePositiveCostUsd = decline·FP, and
 * netSavingsUsd = fraudStoppedUsd − reviewCostUsd − falsePositiveCostUsd.
 */
export function fraudSavingsAt(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  amountsUsd: ArrayLike<number>,
  threshold: number,
  costs: FraudCostModel = DEFAULT_FRAUD_COSTS,
): FraudSavings {
  const n = checkLengths(labels, scores, amountsUsd);
  let caughtUsd = 0;
  let missedUsd = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i]! >= 0.5) {
      if (scores[i]! >= threshold) caughtUsd += amountsUsd[i]!;
      else missedUsd += amountsUsd[i]!;
    }
  }
  const confusion = confusionAt(labels, scores, threshold);
  const alerts = confusion.truePositives + confusion.falsePositives;
  const fraudStoppedUsd = costs.recoveredShareOfCaughtFraud * caughtUsd;
  const reviewCostUsd = costs.reviewCostPerAlertUsd * alerts;
  const falsePositiveCostUsd = costs.declineCostPerFalsePositiveUsd * confusion.falsePositives;
  return {
    threshold,
    fraudStoppedUsd,
    fraudMissedUsd: missedUsd,
    reviewCostUsd,
    falsePositiveCostUsd,
    netSavingsUsd: fraudStoppedUsd - reviewCostUsd - falsePositiveCostUsd,
    confusion,
  };
}

/** Net savings at every distinct threshold, from the strictest (no alerts) down. */
export interface ProfitCurve {
  /**
   * Thresholds in descending order. Entry 0 is +Infinity (flag nothing, net savings 0); entry
   * k ≥ 1 is the k-th largest distinct finite score, at which every row scoring ≥ it is flagged.
   */
  thresholds: Float64Array;
  /** Net savings at each threshold, in USD. */
  netSavingsUsd: Float64Array;
  /** True positives at each threshold. */
  truePositives: Uint32Array;
  /** False positives at each threshold. */
  falsePositives: Uint32Array;
  /** The threshold with the highest net savings (the highest such threshold on ties). */
  bestThreshold: number;
  /** The highest net savings, in USD (≥ 0, because flagging nothing is always a candidate). */
  bestNetSavingsUsd: number;
  /** Index of the optimum in the arrays above. */
  bestIndex: number;
  /** Number of fraudulent rows. */
  positives: number;
  /** Number of legitimate rows. */
  negatives: number;
}

/**
 * Net savings at every distinct threshold in one O(n log n) sweep: rows with a finite score
 * are sorted by score once (descending), then TP, FP and the caught fraud amount are running
 * sums, and net savings = share·caughtUsd − review·(TP+FP) − decline·FP at each group of tied
 * scores. NaN scores are never flagged; ±Infinity scores are treated as ordinary scores.
 */
export function profitCurve(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  amountsUsd: ArrayLike<number>,
  costs: FraudCostModel = DEFAULT_FRAUD_COSTS,
): ProfitCurve {
  const n = checkLengths(labels, scores, amountsUsd);
  let positives = 0;
  let scored = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i]! >= 0.5) positives++;
    if (scores[i] === scores[i]) scored++;
  }
  const order = new Uint32Array(scored);
  for (let i = 0, k = 0; i < n; i++) if (scores[i] === scores[i]) order[k++] = i;
  const s = Float64Array.from(scores as ArrayLike<number>);
  order.sort((a, b) => s[b]! - s[a]! || a - b);

  // Count distinct scores so that the outputs are allocated once.
  let distinct = 0;
  for (let k = 0; k < scored; k++) {
    if (k === 0 || s[order[k]!] !== s[order[k - 1]!]) distinct++;
  }
  const thresholds = new Float64Array(distinct + 1);
  const netSavingsUsd = new Float64Array(distinct + 1);
  const truePositives = new Uint32Array(distinct + 1);
  const falsePositives = new Uint32Array(distinct + 1);
  thresholds[0] = Number.POSITIVE_INFINITY;

  let tp = 0;
  let fp = 0;
  let caughtUsd = 0;
  let bestIndex = 0;
  let bestNetSavingsUsd = 0;
  let point = 0;
  let k = 0;
  while (k < scored) {
    const value = s[order[k]!]!;
    while (k < scored && s[order[k]!] === value) {
      const row = order[k]!;
      if (labels[row]! >= 0.5) {
        tp++;
        caughtUsd += amountsUsd[row]!;
      } else fp++;
      k++;
    }
    point++;
    const net = netSavingsFromCounts(tp, fp, caughtUsd, costs);
    thresholds[point] = value;
    netSavingsUsd[point] = net;
    truePositives[point] = tp;
    falsePositives[point] = fp;
    if (net > bestNetSavingsUsd) {
      bestNetSavingsUsd = net;
      bestIndex = point;
    }
  }
  return {
    thresholds,
    netSavingsUsd,
    truePositives,
    falsePositives,
    bestThreshold: thresholds[bestIndex]!,
    bestNetSavingsUsd,
    bestIndex,
    positives,
    negatives: n - positives,
  };
}

/** Net savings at fixed thresholds, for charts. */
export interface ProfitGrid {
  /** The grid thresholds, ascending as given (by default 0, 0.01, …, 1). */
  thresholds: Float64Array;
  /** Net savings at each grid threshold, in USD. */
  netSavingsUsd: Float64Array;
  /** True positives at each grid threshold. */
  truePositives: Uint32Array;
  /** False positives at each grid threshold. */
  falsePositives: Uint32Array;
}

/** `count` evenly spaced thresholds from 0 to 1 inclusive: t_i = i / (count − 1). */
export function thresholdGrid(count = 101): Float64Array {
  if (!Number.isInteger(count) || count < 2) throw new RangeError('grid needs ≥ 2 points');
  const grid = new Float64Array(count);
  for (let i = 0; i < count; i++) grid[i] = i / (count - 1);
  return grid;
}

/**
 * Net savings at each threshold of a fixed grid (default: 101 points from 0 to 1), read off a
 * profit curve by binary search: at threshold t, the flagged rows are those of the last curve
 * point whose threshold is ≥ t. The costs are those the curve was built with.
 */
export function profitCurveOnGrid(
  curve: ProfitCurve,
  thresholds: ArrayLike<number> = thresholdGrid(),
): ProfitGrid {
  const m = thresholds.length;
  const out: ProfitGrid = {
    thresholds: Float64Array.from(thresholds as ArrayLike<number>),
    netSavingsUsd: new Float64Array(m),
    truePositives: new Uint32Array(m),
    falsePositives: new Uint32Array(m),
  };
  const t = curve.thresholds;
  for (let g = 0; g < m; g++) {
    const threshold = thresholds[g]!;
    // Largest index with t[index] >= threshold; t is descending and t[0] = +Infinity.
    let lo = 0;
    let hi = t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (t[mid]! >= threshold) lo = mid;
      else hi = mid - 1;
    }
    out.truePositives[g] = curve.truePositives[lo]!;
    out.falsePositives[g] = curve.falsePositives[lo]!;
    out.netSavingsUsd[g] = curve.netSavingsUsd[lo]!;
  }
  return out;
}

/**
 * The cost-minimising threshold for calibrated probabilities:
 * t* = c_FP / (c_FP + c_FN).
 *
 * Derivation: a row with true fraud probability p costs, in expectation, (1 − p)·c_FP if
 * flagged and p·c_FN if not. Flagging is cheaper exactly when p·c_FN > (1 − p)·c_FP, i.e.
 * p > c_FP / (c_FP + c_FN). For the fraud model, c_FP = review + decline and
 * c_FN = share · amount − review (the net gain of catching the fraud), see
 * `fraudCostsForAmount`. Both costs must be finite and ≥ 0; when both are 0 every threshold
 * is optimal and 0.5 is returned.
 */
export function theoreticalOptimalThreshold(
  costFalsePositiveUsd: number,
  costFalseNegativeUsd: number,
): number {
  if (
    !(costFalsePositiveUsd >= 0 && costFalseNegativeUsd >= 0) ||
    !Number.isFinite(costFalsePositiveUsd) ||
    !Number.isFinite(costFalseNegativeUsd)
  ) {
    throw new RangeError('costs must be finite and non-negative');
  }
  const total = costFalsePositiveUsd + costFalseNegativeUsd;
  return total === 0 ? 0.5 : costFalsePositiveUsd / total;
}

/**
 * The two error costs of the fraud model for a transaction of `amountUsd`:
 * c_FP = review + decline (flagging a legitimate one) and
 * c_FN = max(0, share · amount − review) (the net gain forgone by not flagging a fraud).
 */
export function fraudCostsForAmount(
  amountUsd: number,
  costs: FraudCostModel = DEFAULT_FRAUD_COSTS,
): { costFalsePositiveUsd: number; costFalseNegativeUsd: number } {
  return {
    costFalsePositiveUsd: costs.reviewCostPerAlertUsd + costs.declineCostPerFalsePositiveUsd,
    costFalseNegativeUsd: Math.max(
      0,
      costs.recoveredShareOfCaughtFraud * amountUsd - costs.reviewCostPerAlertUsd,
    ),
  };
}
