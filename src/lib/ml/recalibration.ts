/**
 * Turning a click model's scores back into honest probabilities.
 *
 * Negative downsampling: click logs are mostly non-clicks, so training often keeps every click
 * but only a share w of the non-clicks. That multiplies the odds the model learns by 1/w, so
 * its outputs q overstate the click probability. Since q/(1 − q) = (p/(1 − p))/w, the standard
 * correction (He et al., "Practical Lessons from Predicting Clicks on Ads at Facebook", 2014) is
 *
 *   p = q / (q + (1 − q)/w).
 *
 * Platt scaling (Platt, 1999): fit p = σ(a·logit(s) + b) on held-out rows that were not
 * downsampled, by the same logistic regression used for the model (one feature, logit(s)).
 */
import { logit, sigmoid, trainLogisticRegression } from './logistic-regression';

/**
 * Undoes negative downsampling: p = q / (q + (1 − q)/w), where q is the probability predicted
 * by a model trained on data that kept a share w ∈ (0, 1] of the negatives. w = 1 leaves q.
 */
export function correctForDownsampling(q: number, keptNegativeShare: number): number {
  const w = keptNegativeShare;
  if (!(w > 0 && w <= 1))
    throw new RangeError(`the kept share of negatives must be in (0, 1], got ${w}`);
  if (q <= 0) return 0;
  return q / (q + (1 - q) / w);
}

/** {@link correctForDownsampling} applied to every score, into a new array. */
export function correctAllForDownsampling(
  scores: ArrayLike<number>,
  keptNegativeShare: number,
): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    out[i] = correctForDownsampling(scores[i]!, keptNegativeShare);
  }
  return out;
}

/** A Platt map p = σ(a·logit(s) + b). */
export interface PlattScaling {
  /** Slope a on logit(s); 1 means the score's spread was right. */
  slope: number;
  /** Offset b; 0 means the score's level was right. */
  offset: number;
}

/**
 * Fits a Platt map on held-out scores and labels: a logistic regression of the label on
 * logit(score), fitted exactly by Newton's method (deterministic).
 */
export function fitPlattScaling(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): PlattScaling {
  if (scores.length !== labels.length) throw new RangeError('scores and labels differ in length');
  const x = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) x[i] = logit(scores[i]!);
  const model = trainLogisticRegression(x, 1, labels);
  return { slope: model.weights[0]!, offset: model.bias };
}

/** Applies a Platt map to every score, into a new array. */
export function applyPlattScaling(scores: ArrayLike<number>, map: PlattScaling): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    out[i] = sigmoid(map.slope * logit(scores[i]!) + map.offset);
  }
  return out;
}
