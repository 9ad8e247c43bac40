/**
 * Calibration of predicted probabilities: does "2%" mean two clicks in a hundred?
 *
 * Rare events put almost every prediction near 0, so equal-width bins over [0, 1] would put
 * nearly all rows in the first bin. Bins here hold equal numbers of rows instead (rows sorted by
 * prediction, split into `bins` runs of ⌊n/bins⌋ or ⌈n/bins⌉), as in the "equal-mass" ECE of
 * Nixon et al., "Measuring Calibration in Deep Learning" (2019).
 */

/** One bin of a calibration curve. */
export interface CalibrationBin {
  /** Rows in the bin. */
  rows: number;
  /** Mean predicted probability of its rows. */
  meanPredicted: number;
  /** Share of its rows whose label is 1. */
  observedRate: number;
}

/** A calibration summary of predictions against 0/1 labels. */
export interface CalibrationSummary {
  /** Mean predicted probability over all rows. */
  meanPredicted: number;
  /** Share of rows with label 1. */
  observedRate: number;
  /** meanPredicted / observedRate (1 = calibrated in the large); NaN with no positives. */
  ratio: number;
  /** ECE = Σ_b (n_b / n)·|meanPredicted_b − observedRate_b| over the equal-count bins. */
  expectedCalibrationError: number;
  /** The bins, from the lowest predictions to the highest. */
  bins: CalibrationBin[];
}

/**
 * Calibration of `predictions` against `labels` (a label ≥ 0.5 counts as 1) over `bins`
 * equal-count bins (default 10; fewer when there are fewer rows). Rows are ordered by
 * prediction; a run of tied predictions that straddles a bin edge is shared between the bins in
 * proportion, clicks included (as a random order of the tied rows would on average), so a
 * constant predictor gets bins with equal observed rates. Throws on a length mismatch or no
 * rows. Cost: two native numeric sorts and one pass.
 */
export function calibrationSummary(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  bins = 10,
): CalibrationSummary {
  const n = labels.length;
  if (predictions.length !== n) throw new RangeError('labels and predictions differ in length');
  if (n === 0) throw new RangeError('no rows');
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i]! >= 0.5) positives++;
  const positive = new Float64Array(positives);
  const negative = new Float64Array(n - positives);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i]! >= 0.5) positive[p++] = predictions[i]!;
    else negative[q++] = predictions[i]!;
  }
  positive.sort();
  negative.sort();

  const binCount = Math.max(1, Math.min(bins, n));
  const edge = (b: number): number => Math.floor((b * n) / binCount);
  const rows = new Float64Array(binCount);
  const predicted = new Float64Array(binCount);
  const clicked = new Float64Array(binCount);
  let bin = 0;
  let position = 0;
  let i = 0;
  let j = 0;
  while (i < positive.length || j < negative.length) {
    // The next run of equal predictions, from both classes.
    const value = Math.min(
      i < positive.length ? positive[i]! : Number.POSITIVE_INFINITY,
      j < negative.length ? negative[j]! : Number.POSITIVE_INFINITY,
    );
    let dp = 0;
    let dn = 0;
    while (i < positive.length && positive[i] === value) {
      dp++;
      i++;
    }
    while (j < negative.length && negative[j] === value) {
      dn++;
      j++;
    }
    if (dp + dn === 0) {
      // NaN predictions never compare equal: count them as they come, one by one.
      if (i < positive.length) {
        dp = 1;
        i++;
      } else {
        dn = 1;
        j++;
      }
    }
    let left = dp + dn;
    const clickShare = dp / (dp + dn);
    while (left > 0) {
      while (bin < binCount - 1 && position >= edge(bin + 1)) bin++;
      const room = bin === binCount - 1 ? left : Math.min(left, edge(bin + 1) - position);
      rows[bin]! += room;
      predicted[bin]! += room * value;
      clicked[bin]! += room * clickShare;
      position += room;
      left -= room;
    }
  }

  const out: CalibrationBin[] = [];
  let totalPredicted = 0;
  let ece = 0;
  for (let b = 0; b < binCount; b++) {
    const size = rows[b]!;
    totalPredicted += predicted[b]!;
    const entry = {
      rows: size,
      meanPredicted: size > 0 ? predicted[b]! / size : 0,
      observedRate: size > 0 ? clicked[b]! / size : 0,
    };
    ece += (size / n) * Math.abs(entry.meanPredicted - entry.observedRate);
    out.push(entry);
  }
  const observedRate = positives / n;
  return {
    meanPredicted: totalPredicted / n,
    observedRate,
    ratio: observedRate > 0 ? totalPredicted / n / observedRate : Number.NaN,
    expectedCalibrationError: ece,
    bins: out,
  };
}
