import { describe, expect, it } from 'vitest';
import { calibrationSummary } from '@lib/ml/calibration';
import {
  logit,
  predictProbabilities,
  sigmoid,
  trainLogisticRegression,
} from '@lib/ml/logistic-regression';
import {
  applyPlattScaling,
  correctAllForDownsampling,
  correctForDownsampling,
  fitPlattScaling,
} from '@lib/ml/recalibration';
import { createRng } from '@lib/random';

/** Rows x ~ N(0, 1)^d and labels y ~ Bernoulli(σ(bias + w·x)), from a seed. */
function synthetic(rows: number, weights: number[], bias: number, seed: number) {
  const rng = createRng(seed);
  const d = weights.length;
  const x = new Float64Array(rows * d);
  const y = new Uint8Array(rows);
  const p = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = bias;
    for (let j = 0; j < d; j++) {
      x[i * d + j] = rng.normal();
      z += weights[j]! * x[i * d + j]!;
    }
    p[i] = sigmoid(z);
    y[i] = rng.next() < p[i]! ? 1 : 0;
  }
  return { x, y, p };
}

const mean = (values: ArrayLike<number>): number => {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
};

describe('trainLogisticRegression', () => {
  const truth = { weights: [1, -2, 0.5], bias: -1 };
  const data = synthetic(40_000, truth.weights, truth.bias, 5);

  it('recovers known weights from synthetic data (Newton)', () => {
    const model = trainLogisticRegression(data.x, 3, data.y);
    // With 40,000 rows the maximum-likelihood estimates have standard errors of about 0.02.
    truth.weights.forEach((w, j) => expect(model.weights[j]).toBeCloseTo(w, 1));
    expect(Math.abs(model.bias - truth.bias)).toBeLessThan(0.08);
    expect(Math.abs(model.weights[1]! - truth.weights[1]!)).toBeLessThan(0.08);
  });

  it('stops at the optimum: the gradient vanishes, so predicted and actual positives match', () => {
    const model = trainLogisticRegression(data.x, 3, data.y);
    const p = predictProbabilities(model, data.x);
    // ∂L/∂b = mean(p − y) = 0 and ∂L/∂w_j = mean((p − y)·x_j) = 0 at the optimum.
    expect(Math.abs(mean(p) - mean(data.y))).toBeLessThan(1e-9);
    for (let j = 0; j < 3; j++) {
      let g = 0;
      for (let i = 0; i < data.y.length; i++) g += (p[i]! - data.y[i]!) * data.x[i * 3 + j]!;
      expect(Math.abs(g / data.y.length)).toBeLessThan(1e-9);
    }
  });

  it('reaches the same optimum by full-batch Adam gradient descent', () => {
    const newton = trainLogisticRegression(data.x, 3, data.y);
    const adam = trainLogisticRegression(data.x, 3, data.y, {
      optimizer: 'adam',
      epochs: 400,
      learningRate: 0.05,
    });
    for (let j = 0; j < 3; j++) expect(adam.weights[j]).toBeCloseTo(newton.weights[j]!, 2);
    expect(adam.bias).toBeCloseTo(newton.bias, 2);
  });

  it('is deterministic in its seed with mini-batches', () => {
    const options = { optimizer: 'adam' as const, epochs: 3, batchSize: 256, learningRate: 0.05 };
    const a = trainLogisticRegression(data.x, 3, data.y, { ...options, seed: 1 });
    const b = trainLogisticRegression(data.x, 3, data.y, { ...options, seed: 1 });
    const c = trainLogisticRegression(data.x, 3, data.y, { ...options, seed: 2 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.weights)).not.toEqual(Array.from(c.weights));
    truth.weights.forEach((w, j) => expect(Math.abs(a.weights[j]! - w)).toBeLessThan(0.25));
  });

  it('shrinks the weights under an L2 penalty', () => {
    const norm = (l2: number) => {
      const model = trainLogisticRegression(data.x, 3, data.y, { l2 });
      return Math.hypot(...model.weights);
    };
    expect(norm(0.1)).toBeLessThan(norm(0.01));
    expect(norm(0.01)).toBeLessThan(norm(0));
  });

  it('treats a sample weight of 2 as the row twice', () => {
    const small = synthetic(500, [0.8], -0.5, 9);
    const doubled = {
      x: new Float64Array([...small.x, ...small.x.subarray(0, 100)]),
      y: new Uint8Array([...small.y, ...small.y.subarray(0, 100)]),
    };
    const weights = Array.from({ length: 500 }, (_, i) => (i < 100 ? 2 : 1));
    const a = trainLogisticRegression(doubled.x, 1, doubled.y);
    const b = trainLogisticRegression(small.x, 1, small.y, { sampleWeights: weights });
    expect(b.weights[0]).toBeCloseTo(a.weights[0]!, 8);
    expect(b.bias).toBeCloseTo(a.bias, 8);
  });

  it('with no features learns the log-odds of the base rate', () => {
    const y = [1, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const model = trainLogisticRegression([], 0, y);
    expect(model.bias).toBeCloseTo(Math.log(0.2 / 0.8), 9);
    expect(Array.from(predictProbabilities(model, [], 3))).toEqual(
      [0.2, 0.2, 0.2].map((v) => expect.closeTo(v, 9)),
    );
  });

  it('refuses inconsistent shapes', () => {
    expect(() => trainLogisticRegression([1, 2, 3], 2, [0, 1])).toThrow(RangeError);
    expect(() => trainLogisticRegression([], 1, [])).toThrow(RangeError);
  });
});

describe('downsampling correction', () => {
  it('follows p = q / (q + (1 − q)/w)', () => {
    // q = 0.5, w = 0.1: p = 0.5 / (0.5 + 0.5 / 0.1) = 0.5 / 5.5 = 0.0909…
    expect(correctForDownsampling(0.5, 0.1)).toBeCloseTo(1 / 11, 12);
    expect(correctForDownsampling(0.2, 1)).toBe(0.2);
    // In log-odds it is a shift by ln w.
    expect(logit(correctForDownsampling(0.3, 0.25))).toBeCloseTo(logit(0.3) + Math.log(0.25), 10);
    expect(() => correctForDownsampling(0.3, 0)).toThrow(RangeError);
  });

  it('restores calibration after training on downsampled negatives', () => {
    const trueWeights = [1];
    const trueBias = -4.2; // about 2.5% positives
    const train = synthetic(100_000, trueWeights, trueBias, 21);
    const test = synthetic(50_000, trueWeights, trueBias, 22);
    const keep = 0.1;
    const rng = createRng('downsample');
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < train.y.length; i++) {
      if (train.y[i] === 1 || rng.next() < keep) {
        x.push(train.x[i]!);
        y.push(train.y[i]!);
      }
    }
    const model = trainLogisticRegression(x, 1, y);
    const q = predictProbabilities(model, test.x);
    const corrected = correctAllForDownsampling(q, keep);
    const truth = mean(test.p);
    // Uncorrected, the odds are inflated by 1/w = 10: the mean prediction is several times
    // the true click rate. Corrected, it is within a few percent of it.
    expect(mean(q) / truth).toBeGreaterThan(5);
    expect(Math.abs(mean(corrected) / truth - 1)).toBeLessThan(0.06);
    expect(calibrationSummary(test.y, corrected).expectedCalibrationError).toBeLessThan(0.005);
    expect(calibrationSummary(test.y, q).expectedCalibrationError).toBeGreaterThan(0.05);
  });
});

describe('Platt scaling', () => {
  it('learns the map that undoes a known distortion', () => {
    // Scores σ(2z + 1) for labels drawn from σ(z): the right map is a = 0.5, b = −0.5.
    const data = synthetic(30_000, [1], -1, 31);
    const scores = new Float64Array(data.y.length);
    for (let i = 0; i < scores.length; i++) scores[i] = sigmoid(2 * (data.x[i]! - 1) + 1);
    const map = fitPlattScaling(scores, data.y);
    expect(map.slope).toBeCloseTo(0.5, 1);
    expect(map.offset).toBeCloseTo(-0.5, 1);
    const fixed = applyPlattScaling(scores, map);
    expect(Math.abs(mean(fixed) - mean(data.y))).toBeLessThan(1e-6);
  });
});

describe('calibrationSummary', () => {
  it('bins by predicted value with equal counts (worked by hand)', () => {
    // Bins {0.1, 0.2} and {0.3, 0.4}: mean predictions 0.15 and 0.35, one click each (0.5).
    // ECE = ½·|0.15 − 0.5| + ½·|0.35 − 0.5| = 0.175 + 0.075 = 0.25.
    const summary = calibrationSummary([1, 0, 1, 0], [0.4, 0.1, 0.2, 0.3], 2);
    expect(summary.bins.map((b) => b.rows)).toEqual([2, 2]);
    expect(summary.bins[0]!.meanPredicted).toBeCloseTo(0.15, 12);
    expect(summary.bins[1]!.meanPredicted).toBeCloseTo(0.35, 12);
    expect(summary.bins.map((b) => b.observedRate)).toEqual([0.5, 0.5]);
    expect(summary.expectedCalibrationError).toBeCloseTo(0.25, 12);
    expect(summary.meanPredicted).toBeCloseTo(0.25, 12);
    expect(summary.ratio).toBeCloseTo(0.5, 12);
  });

  it('shares tied predictions between bins in proportion', () => {
    // A constant 0.02 for 10 rows with 1 click: each of 5 bins gets 2 rows and 0.1 clicks per
    // row, so ECE = |0.02 − 0.1| = 0.08 and mean predicted ÷ observed = 0.2.
    const labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const summary = calibrationSummary(labels, new Array(10).fill(0.02), 5);
    for (const bin of summary.bins) {
      expect(bin.rows).toBe(2);
      expect(bin.observedRate).toBeCloseTo(0.1, 12);
    }
    expect(summary.expectedCalibrationError).toBeCloseTo(0.08, 12);
    expect(summary.ratio).toBeCloseTo(0.2, 12);
  });

  it('is NaN-free for any sizes and says so when there are no clicks', () => {
    const summary = calibrationSummary([0, 0, 0], [0.1, 0.2, 0.3], 10);
    expect(summary.bins).toHaveLength(3);
    expect(summary.ratio).toBeNaN();
    expect(() => calibrationSummary([], [])).toThrow(RangeError);
  });
});
