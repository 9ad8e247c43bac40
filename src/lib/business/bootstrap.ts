/**
 * Bootstrap confidence intervals over rows (Efron's nonparametric bootstrap, percentile
 * method; Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13).
 *
 * A resample draws n row indices uniformly with replacement. Instead of building a new array
 * of rows per resample, the generic path hands the statistic a reused buffer of multinomial
 * counts (how many times each row was drawn), and the fast paths accumulate per-row values
 * straight from the drawn indices, so no resample allocates anything.
 */

import { createRng, type Rng } from '../random';
import type { FraudCostModel } from './fraud-money';
import { DEFAULT_FRAUD_COSTS } from './fraud-money';

/** Options shared by every bootstrap here. */
export interface BootstrapOptions {
  /** Number of resamples B; default 1,000. */
  resamples?: number;
  /** Two-sided confidence level of the interval; default 0.95. */
  confidence?: number;
  /** Seed of the resampling; the same seed gives the same interval. */
  seed: number | string;
}

/** A percentile bootstrap interval. */
export interface BootstrapInterval {
  /** The statistic on the original rows (every count 1). */
  estimate: number;
  /** The (1 − confidence)/2 quantile of the replicates. */
  low: number;
  /** The (1 + confidence)/2 quantile of the replicates. */
  high: number;
  /** The confidence level used. */
  confidence: number;
  /** Number of resamples. */
  resamples: number;
  /** Standard deviation of the replicates (the bootstrap standard error, n − 1 denominator). */
  standardError: number;
  /** The replicates, sorted ascending (for histograms). */
  replicates: Float64Array;
}

function resolveOptions(options: BootstrapOptions): { resamples: number; confidence: number } {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 2) {
    throw new RangeError('resamples must be an integer ≥ 2');
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be in (0, 1)');
  return { resamples, confidence };
}

/**
 * The q-quantile of an ascending array with linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of R and NumPy): h = (m − 1)·q,
 * Q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const m = sorted.length;
  if (m === 0) return Number.NaN;
  const h = (m - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  if (lo + 1 >= m) return a;
  return a + (h - lo) * (sorted[lo + 1]! - a);
}

/** Sorts the replicates in place and turns them into a percentile interval. */
function summarise(
  estimate: number,
  replicates: Float64Array,
  confidence: number,
): BootstrapInterval {
  const m = replicates.length;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += replicates[i]!;
  mean /= m;
  let squares = 0;
  for (let i = 0; i < m; i++) squares += (replicates[i]! - mean) ** 2;
  replicates.sort();
  const tail = (1 - confidence) / 2;
  return {
    estimate,
    low: sortedQuantile(replicates, tail),
    high: sortedQuantile(replicates, 1 - tail),
    confidence,
    resamples: m,
    standardError: Math.sqrt(squares / (m - 1)),
    replicates,
  };
}

/**
 * Percentile bootstrap interval of any statistic of `rowCount` rows.
 *
 * `statistic(counts)` receives a Uint32Array where counts[i] is how many times row i is in
 * the resample (a Multinomial(n; 1/n, …, 1/n) draw, Σ counts = n). It is first called with
 * every count 1 for the estimate. The buffer is reused between calls: read it, do not keep
 * it. Cost: B·(n draws + one statistic call).
 */
export function bootstrapInterval(
  rowCount: number,
  statistic: (counts: Uint32Array) => number,
  options: BootstrapOptions,
): BootstrapInterval {
  const { resamples, confidence } = resolveOptions(options);
  if (!Number.isInteger(rowCount) || rowCount < 1) {
    throw new RangeError('rowCount must be a positive integer');
  }
  const rng = createRng(options.seed);
  const counts = new Uint32Array(rowCount).fill(1);
  const estimate = statistic(counts);
  const replicates = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let j = 0; j < rowCount; j++) counts[Math.floor(rng.next() * rowCount)]!++;
    replicates[b] = statistic(counts);
  }
  return summarise(estimate, replicates, confidence);
}

/**
 * Percentile bootstrap intervals of the sums Σ_i columns[c][i] of several per-row value
 * columns, resampled jointly (the same rows for every column). Fast path: each resample
 * draws n indices and adds each column's value at each index; nothing is allocated per
 * resample. Divide by n for means.
 */
export function bootstrapSums(
  columns: readonly ArrayLike<number>[],
  options: BootstrapOptions,
): BootstrapInterval[] {
  const { resamples, confidence } = resolveOptions(options);
  const n = columns[0]?.length ?? 0;
  if (n < 1) throw new RangeError('need at least one row');
  for (const column of columns) {
    if (column.length !== n) throw new RangeError('columns differ in length');
  }
  const rng = createRng(options.seed);
  const data = columns.map((column) => Float64Array.from(column));
  const replicates = columns.map(() => new Float64Array(resamples));
  const estimates = data.map((column) => column.reduce((sum, v) => sum + v, 0));
  if (data.length === 2) {
    // The common case (accuracy and savings) without the inner column loop.
    const a = data[0]!;
    const c = data[1]!;
    const ra = replicates[0]!;
    const rc = replicates[1]!;
    for (let b = 0; b < resamples; b++) {
      let sumA = 0;
      let sumC = 0;
      for (let j = 0; j < n; j++) {
        const row = Math.floor(rng.next() * n);
        sumA += a[row]!;
        sumC += c[row]!;
      }
      ra[b] = sumA;
      rc[b] = sumC;
    }
  } else {
    const sums = new Float64Array(data.length);
    for (let b = 0; b < resamples; b++) {
      sums.fill(0);
      for (let j = 0; j < n; j++) {
        const row = Math.floor(rng.next() * n);
        for (let c = 0; c < data.length; c++) sums[c]! += data[c]![row]!;
      }
      for (let c = 0; c < data.length; c++) replicates[c]![b] = sums[c]!;
    }
  }
  return data.map((_, c) => summarise(estimates[c]!, replicates[c]!, confidence));
}

/** Scales every number of an interval by a factor > 0 (sums → means). */
function scaleInterval(interval: BootstrapInterval, factor: number): BootstrapInterval {
  const replicates = interval.replicates.map((v) => v * factor);
  return {
    ...interval,
    estimate: interval.estimate * factor,
    low: interval.low * factor,
    high: interval.high * factor,
    standardError: interval.standardError * factor,
    replicates,
  };
}

/** Percentile bootstrap interval of the mean of `values` (the fast path of bootstrapSums). */
export function bootstrapMean(
  values: ArrayLike<number>,
  options: BootstrapOptions,
): BootstrapInterval {
  const [sum] = bootstrapSums([values], options);
  return scaleInterval(sum!, 1 / values.length);
}

/** Bootstrap intervals of accuracy and net savings at one threshold, from the same resamples. */
export interface AccuracyAndSavingsIntervals {
  /** Accuracy = (TP + TN) / n. */
  accuracy: BootstrapInterval;
  /** Net savings in USD, as `fraudSavingsAt` computes them. */
  netSavingsUsd: BootstrapInterval;
}

/**
 * A Binomial(trials, p) deviate: exact by inversion (CDF walk from k = 0) when
 * trials·min(p, 1 − p) < 30, otherwise a normal N(np, np(1 − p)) rounded and clamped to
 * [0, trials], the same switch-over that `Rng.poisson` uses. Draws on the smaller of p and
 * 1 − p so that the inversion stays short and (1 − p)^trials ≥ e^{−30} never underflows.
 */
export function binomialDeviate(rng: Rng, trials: number, p: number): number {
  if (trials <= 0 || p <= 0) return 0;
  if (p >= 1) return trials;
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  const mean = trials * q;
  let k: number;
  if (mean < 30) {
    const ratio = q / (1 - q);
    let probability = Math.pow(1 - q, trials);
    let cumulative = probability;
    const u = rng.next();
    k = 0;
    while (u >= cumulative && k < trials) {
      probability *= (ratio * (trials - k)) / (k + 1);
      k++;
      cumulative += probability;
    }
  } else {
    k = Math.round(rng.normal(mean, Math.sqrt(mean * (1 - q))));
    k = Math.min(trials, Math.max(0, k));
  }
  return flip ? trials - k : k;
}

/** Options of `bootstrapAccuracyAndSavings`. */
export interface AccuracyAndSavingsOptions extends BootstrapOptions {
  /** The money model; default `DEFAULT_FRAUD_COSTS`. */
  costs?: FraudCostModel;
  /**
   * 'cells' (default, fast): multinomial cell counts plus draws among true positives only;
   * 'rows': n uniform row draws per resample through `bootstrapSums` (slower, no
   * approximation at all).
   */
  method?: 'cells' | 'rows';
}

/**
 * Percentile bootstrap intervals of accuracy and of net savings at `threshold`, jointly
 * resampled. Both are sums of per-row terms: correct_i ∈ {0, 1}, and the savings term
 * share·amount − review for a true positive, −(review + decline) for a false positive and 0
 * otherwise (their sum is `fraudSavingsAt`'s netSavingsUsd).
 *
 * The default 'cells' method uses that only true positives have row-specific terms. Drawing n
 * rows uniformly with replacement is the same as first drawing the multinomial counts of the
 * four confusion cells, (c_TP, c_FP, c_FN, c_TN) ~ Multinomial(n; TP/n, FP/n, FN/n, TN/n), by
 * sequential binomials (`binomialDeviate`), then c_TP uniform draws among the true-positive
 * rows. So accuracy* = (c_TP + c_TN)/n and savings* = Σ_{c_TP draws} term − c_FP·(review +
 * decline), at a cost of a few binomials plus ~TP random draws per resample instead of n.
 * The only approximation is the rounded normal for binomials whose smaller mean is ≥ 30.
 */
export function bootstrapAccuracyAndSavings(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  amountsUsd: ArrayLike<number>,
  threshold: number,
  options: AccuracyAndSavingsOptions,
): AccuracyAndSavingsIntervals {
  const n = labels.length;
  if (scores.length !== n || amountsUsd.length !== n) {
    throw new RangeError('labels, scores and amountsUsd differ in length');
  }
  if (n < 1) throw new RangeError('need at least one row');
  const costs = options.costs ?? DEFAULT_FRAUD_COSTS;
  const falsePositiveTermUsd = -costs.reviewCostPerAlertUsd - costs.declineCostPerFalsePositiveUsd;
  const correct = new Float64Array(n);
  const savingsUsd = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const isFraud = labels[i]! >= 0.5;
    const flagged = scores[i]! >= threshold;
    correct[i] = isFraud === flagged ? 1 : 0;
    if (flagged) {
      if (isFraud) {
        savingsUsd[i] =
          costs.recoveredShareOfCaughtFraud * amountsUsd[i]! - costs.reviewCostPerAlertUsd;
        tp++;
      } else {
        savingsUsd[i] = falsePositiveTermUsd;
        fp++;
      }
    } else if (isFraud) fn++;
  }
  if (options.method === 'rows') {
    const [correctSum, savingsSum] = bootstrapSums([correct, savingsUsd], options);
    return { accuracy: scaleInterval(correctSum!, 1 / n), netSavingsUsd: savingsSum! };
  }

  const { resamples, confidence } = resolveOptions(options);
  const tn = n - tp - fp - fn;
  const tpTerms = new Float64Array(tp);
  let estimateSavingsUsd = 0;
  for (let i = 0, k = 0; i < n; i++) {
    estimateSavingsUsd += savingsUsd[i]!;
    if (labels[i]! >= 0.5 && scores[i]! >= threshold) tpTerms[k++] = savingsUsd[i]!;
  }
  const rng = createRng(options.seed);
  const accuracyReplicates = new Float64Array(resamples);
  const savingsReplicates = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    const cTp = binomialDeviate(rng, n, tp / n);
    const cFp = binomialDeviate(rng, n - cTp, fp / Math.max(1, n - tp));
    const rest = n - cTp - cFp;
    const cFn = fn + tn > 0 ? binomialDeviate(rng, rest, fn / (fn + tn)) : 0;
    let sum = cFp * falsePositiveTermUsd;
    for (let j = 0; j < cTp; j++) sum += tpTerms[Math.floor(rng.next() * tp)]!;
    accuracyReplicates[b] = (cTp + rest - cFn) / n;
    savingsReplicates[b] = sum;
  }
  return {
    accuracy: summarise((tp + tn) / n, accuracyReplicates, confidence),
    netSavingsUsd: summarise(estimateSavingsUsd, savingsReplicates, confidence),
  };
}
