/**
 * Model performance without labels, and with them once they land.
 *
 * Confidence-based performance estimation (CBPE; the idea behind NannyML's estimator). If the
 * model's score pᵢ is calibrated, P(yᵢ = 1 | score = pᵢ) = pᵢ, so for a row predicted positive
 * (pᵢ ≥ t) the chance of a true positive is pᵢ and of a false positive 1 − pᵢ; for a row
 * predicted negative, a false negative pᵢ and a true negative 1 − pᵢ. Summing gives the
 * expected confusion matrix of a window without a single label:
 *
 *   E[TP] = Σ_{pᵢ≥t} pᵢ,  E[FP] = Σ_{pᵢ≥t} (1 − pᵢ),  E[FN] = Σ_{pᵢ<t} pᵢ,  E[TN] = Σ_{pᵢ<t} (1 − pᵢ).
 *
 * Expected accuracy = (E[TP] + E[TN])/n, which at t = ½ is the mean of max(pᵢ, 1 − pᵢ).
 * Precision, recall and F1 are estimated as ratios of these expectations (NannyML does the
 * same): precision ≈ E[TP]/#{pᵢ ≥ t}, recall ≈ E[TP]/Σpᵢ, F1 ≈ 2E[TP]/(2E[TP] + E[FP] + E[FN]).
 * A ratio of expectations is not the expectation of the ratio, but for windows of hundreds of
 * rows the difference is small. The rows' correctness is a sum of independent Bernoulli(cᵢ)
 * with cᵢ the chance row i is right, so the realised accuracy scatters around the estimate with
 * standard deviation √(Σ cᵢ(1 − cᵢ))/n.
 *
 * Valid only while the scores stay calibrated on the new data: under covariate shift with an
 * unchanged P(y | x) it holds; under concept drift (P(y | x) itself moves) it does not, and
 * only realised performance can tell.
 *
 * Alert band: the metric is computed on consecutive chunks of the reference, and values
 * outside mean ± 3σ of those chunk values raise an alert (σ the population standard deviation,
 * numpy's std with ddof = 0, as NannyML's StandardDeviationThreshold), the band clipped to
 * the metric's range [0, 1].
 */

/** Expected (estimated) or counted (realised) confusion matrix. */
export interface Confusion {
  /** True positives. */
  truePositives: number;
  /** False positives. */
  falsePositives: number;
  /** True negatives. */
  trueNegatives: number;
  /** False negatives. */
  falseNegatives: number;
}

/** Binary classification metrics of one window. */
export interface ClassificationMetrics {
  /** (TP + TN)/n. */
  accuracy: number;
  /** TP/(TP + FP); NaN when nothing is predicted positive. */
  precision: number;
  /** TP/(TP + FN); NaN when there are no positives. */
  recall: number;
  /** 2TP/(2TP + FP + FN); NaN when TP + FP + FN = 0. */
  f1: number;
  /** Share of rows predicted positive (score ≥ threshold). */
  predictedPositiveShare: number;
  /** Rows in the window. */
  rows: number;
  /** The confusion matrix behind the metrics. */
  confusion: Confusion;
}

/** An estimate from scores alone. */
export interface PerformanceEstimate extends ClassificationMetrics {
  /** √(Σ cᵢ(1 − cᵢ))/n: the spread of the realised accuracy around the estimate. */
  accuracyStd: number;
  /** The decision threshold used. */
  threshold: number;
}

/** The metrics the monitor tracks. */
export type PerformanceMetric = 'accuracy' | 'precision' | 'recall' | 'f1';

/** All tracked metrics, in display order. */
export const PERFORMANCE_METRICS: readonly PerformanceMetric[] = [
  'accuracy',
  'precision',
  'recall',
  'f1',
];

function metricsFromConfusion(
  confusion: Confusion,
  rows: number,
  predictedPositive: number,
): ClassificationMetrics {
  const {
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
  } = confusion;
  return {
    accuracy: rows > 0 ? (tp + tn) / rows : Number.NaN,
    precision: tp + fp > 0 ? tp / (tp + fp) : Number.NaN,
    recall: tp + fn > 0 ? tp / (tp + fn) : Number.NaN,
    f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : Number.NaN,
    predictedPositiveShare: rows > 0 ? predictedPositive / rows : Number.NaN,
    rows,
    confusion,
  };
}

function checkThreshold(threshold: number): void {
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new RangeError(`The decision threshold must lie in [0, 1]; got ${threshold}.`);
  }
}

/**
 * Confidence-based estimate of accuracy, precision, recall and F1 from calibrated scores
 * (probabilities of the positive class) over rows [start, end) of `scores`; see the module
 * comment. A row is predicted positive when its score is ≥ `threshold` (default 0.5).
 *
 * @throws RangeError when a score lies outside [0, 1] or the threshold does.
 */
export function estimatePerformance(
  scores: ArrayLike<number>,
  threshold = 0.5,
  start = 0,
  end: number = scores.length,
): PerformanceEstimate {
  checkThreshold(threshold);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  let variance = 0;
  let predictedPositive = 0;
  for (let i = start; i < end; i++) {
    const p = scores[i] as number;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Scores must lie in [0, 1]; got ${p}.`);
    const correct = p >= threshold ? p : 1 - p;
    variance += correct * (1 - correct);
    if (p >= threshold) {
      predictedPositive++;
      tp += p;
      fp += 1 - p;
    } else {
      fn += p;
      tn += 1 - p;
    }
  }
  const rows = Math.max(0, end - start);
  const metrics = metricsFromConfusion(
    { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn },
    rows,
    predictedPositive,
  );
  return { ...metrics, accuracyStd: rows > 0 ? Math.sqrt(variance) / rows : Number.NaN, threshold };
}

/**
 * Realised accuracy, precision, recall and F1 over rows [start, end) once labels (1 positive,
 * 0 negative) are known, with the same decision rule (score ≥ threshold ⇒ positive).
 *
 * @throws RangeError when the lengths differ, a label is not 0 or 1, or the threshold lies
 *   outside [0, 1].
 */
export function realizedPerformance(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold = 0.5,
  start = 0,
  end: number = scores.length,
): ClassificationMetrics {
  checkThreshold(threshold);
  if (scores.length !== labels.length) throw new RangeError('Scores and labels differ in length.');
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = start; i < end; i++) {
    const y = labels[i] as number;
    if (y !== 0 && y !== 1) throw new RangeError(`Labels must be 0 or 1; got ${y}.`);
    const positive = (scores[i] as number) >= threshold;
    if (positive) {
      if (y === 1) tp++;
      else fp++;
    } else if (y === 1) fn++;
    else tn++;
  }
  return metricsFromConfusion(
    { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn },
    Math.max(0, end - start),
    tp + fp,
  );
}

/**
 * Consecutive chunks [start, end) of `rows` rows of `chunkRows` each; a remainder shorter
 * than a chunk joins the last chunk (so no chunk is smaller than `chunkRows`, unless there
 * are fewer rows than that, when there is one chunk of all rows).
 *
 * @throws RangeError when chunkRows is not a positive integer.
 */
export function chunkRanges(rows: number, chunkRows: number): Array<[number, number]> {
  if (!(Number.isInteger(chunkRows) && chunkRows > 0)) {
    throw new RangeError(`The chunk size must be a positive whole number; got ${chunkRows}.`);
  }
  if (rows <= 0) return [];
  const count = Math.max(1, Math.floor(rows / chunkRows));
  const ranges: Array<[number, number]> = [];
  for (let c = 0; c < count; c++) {
    ranges.push([c * chunkRows, c === count - 1 ? rows : (c + 1) * chunkRows]);
  }
  return ranges;
}

/** An alert band from reference chunk values. */
export interface AlertBand {
  /** Mean of the (non-NaN) chunk values. */
  mean: number;
  /** Their population standard deviation (ddof = 0). */
  std: number;
  /** max(lowest allowed, mean − multiplier·std). */
  lower: number;
  /** min(highest allowed, mean + multiplier·std). */
  upper: number;
  /** The multiplier (3 by default). */
  multiplier: number;
  /** The chunk values the band was fitted on. */
  chunkValues: number[];
}

/**
 * The band mean ± multiplier·σ of `values` (NaN values skipped; σ with ddof = 0), clipped to
 * [min, max] (default [0, 1], the range of the metrics here). NaN bounds when no value is a
 * number.
 */
export function alertBand(values: readonly number[], multiplier = 3, min = 0, max = 1): AlertBand {
  const finite = values.filter((v) => !Number.isNaN(v));
  const n = finite.length;
  const mean = n > 0 ? finite.reduce((s, v) => s + v, 0) / n : Number.NaN;
  const std =
    n > 0 ? Math.sqrt(finite.reduce((s, v) => s + (v - mean) * (v - mean), 0) / n) : Number.NaN;
  return {
    mean,
    std,
    lower: Math.max(min, mean - multiplier * std),
    upper: Math.min(max, mean + multiplier * std),
    multiplier,
    chunkValues: [...values],
  };
}

/** True when `value` is a number outside [band.lower, band.upper]. */
export function isOutsideBand(value: number, band: AlertBand): boolean {
  return !Number.isNaN(value) && (value < band.lower || value > band.upper);
}

/** Alert bands of every tracked metric. */
export type MetricBands = Record<PerformanceMetric, AlertBand>;

/** Reference bands for the estimated metrics and, when labels are given, the realised ones. */
export interface PerformanceBands {
  /** Bands of the CBPE estimates over reference chunks. */
  estimated: MetricBands;
  /** Bands of the realised metrics over reference chunks (null without labels). */
  realized: MetricBands | null;
  /** The chunk size used. */
  chunkRows: number;
  /** The decision threshold used. */
  threshold: number;
}

function bandsFrom(perChunk: ClassificationMetrics[], multiplier: number): MetricBands {
  const band = (metric: PerformanceMetric): AlertBand =>
    alertBand(
      perChunk.map((m) => m[metric]),
      multiplier,
    );
  return {
    accuracy: band('accuracy'),
    precision: band('precision'),
    recall: band('recall'),
    f1: band('f1'),
  };
}

/**
 * Fits alert bands on the reference: splits it into chunks of `chunkRows` ({@link chunkRanges}),
 * computes each metric per chunk — estimated from the scores, and realised when labels are
 * given — and takes mean ± multiplier·σ ({@link alertBand}).
 *
 * @throws RangeError as {@link estimatePerformance}, {@link realizedPerformance} and
 *   {@link chunkRanges} do.
 */
export function fitPerformanceBands(
  referenceScores: ArrayLike<number>,
  referenceLabels: ArrayLike<number> | null,
  chunkRows: number,
  threshold = 0.5,
  multiplier = 3,
): PerformanceBands {
  const ranges = chunkRanges(referenceScores.length, chunkRows);
  const estimated = ranges.map(([s, e]) => estimatePerformance(referenceScores, threshold, s, e));
  const realized = referenceLabels
    ? ranges.map(([s, e]) => realizedPerformance(referenceScores, referenceLabels, threshold, s, e))
    : null;
  return {
    estimated: bandsFrom(estimated, multiplier),
    realized: realized ? bandsFrom(realized, multiplier) : null,
    chunkRows,
    threshold,
  };
}

/** One window's performance, estimated and (when labels are in) realised, with alerts. */
export interface PerformanceCheck {
  /** The CBPE estimate. */
  estimated: PerformanceEstimate;
  /** Metrics whose estimate falls outside its band. */
  estimatedAlerts: PerformanceMetric[];
  /** Realised metrics, or null while labels are missing. */
  realized: ClassificationMetrics | null;
  /** Metrics whose realised value falls outside its realised band (or, without realised
   * bands, the estimated band). */
  realizedAlerts: PerformanceMetric[];
}

/**
 * Checks one window: estimates the metrics from its scores and compares them with the bands;
 * when `labels` are given, also computes the realised metrics and compares them with the
 * realised bands (or the estimated ones when the reference had no labels).
 *
 * @throws RangeError as {@link estimatePerformance} and {@link realizedPerformance} do.
 */
export function checkPerformance(
  scores: ArrayLike<number>,
  bands: PerformanceBands,
  labels: ArrayLike<number> | null = null,
): PerformanceCheck {
  const estimated = estimatePerformance(scores, bands.threshold);
  const estimatedAlerts = PERFORMANCE_METRICS.filter((m) =>
    isOutsideBand(estimated[m], bands.estimated[m]),
  );
  const realized = labels ? realizedPerformance(scores, labels, bands.threshold) : null;
  const realizedBands = bands.realized ?? bands.estimated;
  const realizedAlerts = realized
    ? PERFORMANCE_METRICS.filter((m) => isOutsideBand(realized[m], realizedBands[m]))
    : [];
  return { estimated, estimatedAlerts, realized, realizedAlerts };
}
