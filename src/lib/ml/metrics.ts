/**
 * Binary classification metrics over plain arrays of labels and scores.
 *
 * Conventions shared by every function here:
 * - `labels[i]` is the true class of row i: a value ≥ 0.5 counts as positive (1), anything
 *   else as negative (0), so 0/1 numbers and 0/1 Float32Array entries both work.
 * - `scores[i]` is the model's probability that row i is positive.
 * - `labels` and `scores` must have the same length; a mismatch throws a RangeError.
 * - A ratio whose denominator is 0 (precision with no predicted positives, recall with no
 *   actual positives, …) is reported as 0, as scikit-learn does with `zero_division=0`.
 *   The ranking metrics are the exception: they are NaN when undefined (see each one).
 *
 * Everything is written for being called once per epoch on tens of thousands of rows inside a
 * worker: one pass for the confusion matrix, one numeric sort per class for the ranking
 * metrics, and no per-row object allocations.
 */

/** Counts of the four outcomes of a thresholded binary classifier. */
export interface ConfusionMatrix {
  /** Actual positives predicted positive. */
  truePositives: number;
  /** Actual negatives predicted positive. */
  falsePositives: number;
  /** Actual negatives predicted negative. */
  trueNegatives: number;
  /** Actual positives predicted negative. */
  falseNegatives: number;
}

/** Everything the training sandbox shows about one set of predictions. */
export interface ClassificationReport {
  /** (TP + TN) / n at `threshold`. */
  accuracy: number;
  /** TP / (TP + FP) at `threshold`; 0 when nothing is predicted positive. */
  precision: number;
  /** TP / (TP + FN) at `threshold`; 0 when there are no positives. */
  recall: number;
  /** 2·TP / (2·TP + FP + FN) at `threshold`; 0 when undefined. */
  f1: number;
  /** Area under the ROC curve; NaN when one class is absent. */
  rocAuc: number;
  /** Average precision (area under the precision–recall curve); NaN with no positives. */
  prAuc: number;
  /** Mean binary cross-entropy in nats, with probabilities clipped to [1e-7, 1 − 1e-7]. */
  logLoss: number;
  /** The confusion matrix at `threshold`. */
  confusion: ConfusionMatrix;
  /** The score at or above which a row is predicted positive. */
  threshold: number;
  /** Number of actual positives. */
  positives: number;
  /** Number of rows. */
  rows: number;
}

/** Checks that labels and scores line up and returns their common length. */
function checkLengths(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  if (labels.length !== scores.length) {
    throw new RangeError(
      `labels and scores differ in length (${labels.length} vs ${scores.length})`,
    );
  }
  return labels.length;
}

/** n / d, or 0 when d is 0 (scikit-learn's zero_division=0). */
function ratioOrZero(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * Counts the confusion matrix when a row is predicted positive iff `score >= threshold`.
 * A NaN score is never ≥ anything, so it is predicted negative. Cells sum to n.
 */
export function confusionAt(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold = 0.5,
): ConfusionMatrix {
  const n = checkLengths(labels, scores);
  let truePositives = 0;
  let falsePositives = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const isPositive = labels[i]! >= 0.5;
    if (isPositive) positives++;
    if (scores[i]! >= threshold) {
      if (isPositive) truePositives++;
      else falsePositives++;
    }
  }
  return {
    truePositives,
    falsePositives,
    trueNegatives: n - positives - falsePositives,
    falseNegatives: positives - truePositives,
  };
}

/** Accuracy = (TP + TN) / (TP + FP + TN + FN); 0 for an empty matrix. */
export function accuracy(c: ConfusionMatrix): number {
  const total = c.truePositives + c.falsePositives + c.trueNegatives + c.falseNegatives;
  return ratioOrZero(c.truePositives + c.trueNegatives, total);
}

/** Precision = TP / (TP + FP); 0 when nothing is predicted positive (zero_division=0). */
export function precision(c: ConfusionMatrix): number {
  return ratioOrZero(c.truePositives, c.truePositives + c.falsePositives);
}

/** Recall (true positive rate) = TP / (TP + FN); 0 with no positives (zero_division=0). */
export function recall(c: ConfusionMatrix): number {
  return ratioOrZero(c.truePositives, c.truePositives + c.falseNegatives);
}

/**
 * F1 = 2·P·R / (P + R) = 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall;
 * 0 when 2·TP + FP + FN = 0, i.e. no positives and none predicted (zero_division=0).
 */
export function f1Score(c: ConfusionMatrix): number {
  return ratioOrZero(
    2 * c.truePositives,
    2 * c.truePositives + c.falsePositives + c.falseNegatives,
  );
}

/** False positive rate = FP / (FP + TN); 0 when there are no negatives (zero_division=0). */
export function falsePositiveRate(c: ConfusionMatrix): number {
  return ratioOrZero(c.falsePositives, c.falsePositives + c.trueNegatives);
}

/** The scores of each class, each sorted ascending, and whether any score is NaN. */
interface ScoresByClass {
  positiveScores: Float64Array;
  negativeScores: Float64Array;
  hasNaN: boolean;
}

/**
 * Splits the scores by class and sorts each part ascending with the native numeric sort of
 * Float64Array (no comparator, no index objects). Both ranking metrics walk these two arrays.
 */
function sortScoresByClass(labels: ArrayLike<number>, scores: ArrayLike<number>): ScoresByClass {
  const n = checkLengths(labels, scores);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i]! >= 0.5) positives++;
  const positiveScores = new Float64Array(positives);
  const negativeScores = new Float64Array(n - positives);
  let p = 0;
  let q = 0;
  let hasNaN = false;
  for (let i = 0; i < n; i++) {
    const score = scores[i]!;
    if (score !== score) hasNaN = true;
    if (labels[i]! >= 0.5) positiveScores[p++] = score;
    else negativeScores[q++] = score;
  }
  positiveScores.sort();
  negativeScores.sort();
  return { positiveScores, negativeScores, hasNaN };
}

/**
 * ROC AUC from class-sorted scores. Walks the distinct scores from high to low; at each one
 * with dp positives and dn negatives it adds dp·(negatives strictly below) + dp·dn/2.
 */
function rocAucSorted({ positiveScores, negativeScores, hasNaN }: ScoresByClass): number {
  const positives = positiveScores.length;
  const negatives = negativeScores.length;
  if (positives === 0 || negatives === 0 || hasNaN) return Number.NaN;
  let i = positives - 1;
  let j = negatives - 1;
  let negativesAbove = 0;
  let pairs = 0;
  while (i >= 0) {
    const pi = positiveScores[i]!;
    const nj = j >= 0 ? negativeScores[j]! : Number.NEGATIVE_INFINITY;
    const value = pi >= nj ? pi : nj;
    let dp = 0;
    let dn = 0;
    while (i >= 0 && positiveScores[i] === value) {
      dp++;
      i--;
    }
    while (j >= 0 && negativeScores[j] === value) {
      dn++;
      j--;
    }
    pairs += dp * (negatives - negativesAbove - dn) + 0.5 * dp * dn;
    negativesAbove += dn;
  }
  return pairs / (positives * negatives);
}

/**
 * Average precision from class-sorted scores: walks the distinct scores from high to low and
 * adds (R_n − R_{n−1})·P_n = (dp / positives) · TP_n / (TP_n + FP_n) at each one with dp > 0.
 */
function prAucSorted({ positiveScores, negativeScores, hasNaN }: ScoresByClass): number {
  const positives = positiveScores.length;
  if (positives === 0 || hasNaN) return Number.NaN;
  let i = positives - 1;
  let j = negativeScores.length - 1;
  let truePositives = 0;
  let falsePositives = 0;
  let sum = 0;
  // Once every positive is counted, recall stops rising and the remaining terms are 0.
  while (i >= 0) {
    const pi = positiveScores[i]!;
    const nj = j >= 0 ? negativeScores[j]! : Number.NEGATIVE_INFINITY;
    const value = pi >= nj ? pi : nj;
    let dp = 0;
    while (i >= 0 && positiveScores[i] === value) {
      dp++;
      i--;
    }
    while (j >= 0 && negativeScores[j] === value) {
      falsePositives++;
      j--;
    }
    if (dp > 0) {
      truePositives += dp;
      sum += (dp * truePositives) / (truePositives + falsePositives);
    }
  }
  return sum / positives;
}

/**
 * Area under the ROC curve, exactly, in O(n log n):
 * AUC = (#{(pos, neg): s_pos > s_neg} + ½·#{(pos, neg): s_pos = s_neg}) / (P·N),
 * which is the Mann–Whitney U statistic divided by P·N (equal to scikit-learn's
 * roc_auc_score). NaN when there are no positives, no negatives, or any score is NaN.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  return rocAucSorted(sortScoresByClass(labels, scores));
}

/**
 * Average precision, as scikit-learn's average_precision_score:
 * AP = Σ_n (R_n − R_{n−1})·P_n over the distinct score thresholds from high to low, where
 * P_n and R_n are the precision and recall when every row scoring ≥ the n-th threshold is
 * predicted positive (tied scores enter together; no interpolation). NaN when there are no
 * positives or any score is NaN.
 */
export function prAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  return prAucSorted(sortScoresByClass(labels, scores));
}

/**
 * Mean binary cross-entropy in nats:
 * logLoss = −(1/n)·Σ [y·ln p + (1 − y)·ln(1 − p)], with p = clip(score, ε, 1 − ε)
 * so that a confident mistake costs at most −ln ε (≈ 16.1 for ε = 1e-7). Uses the label value
 * y as given (0 or 1). NaN for no rows.
 */
export function logLoss(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  epsilon = 1e-7,
): number {
  const n = checkLengths(labels, scores);
  if (n === 0) return Number.NaN;
  const low = epsilon;
  const high = 1 - epsilon;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const raw = scores[i]!;
    const p = raw < low ? low : raw > high ? high : raw;
    const y = labels[i]!;
    sum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
  }
  return sum / n;
}

/**
 * All the metrics above at once, sharing one pass for the confusion matrix and one sort per
 * class for ROC AUC and average precision.
 */
export function classificationReport(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold = 0.5,
): ClassificationReport {
  const confusion = confusionAt(labels, scores, threshold);
  const sorted = sortScoresByClass(labels, scores);
  return {
    accuracy: accuracy(confusion),
    precision: precision(confusion),
    recall: recall(confusion),
    f1: f1Score(confusion),
    rocAuc: rocAucSorted(sorted),
    prAuc: prAucSorted(sorted),
    logLoss: logLoss(labels, scores),
    confusion,
    threshold,
    positives: sorted.positiveScores.length,
    rows: labels.length,
  };
}
