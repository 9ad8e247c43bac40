import { describe, expect, it } from 'vitest';
import { accuracy, confusionAt } from '@lib/ml/metrics';
import {
  computeGradientsForTest,
  createReferenceMlp,
  predictReference,
  trainEpochReference,
  type ReferenceMlp,
} from '@lib/ml/reference-mlp';
import { createRng } from '@lib/random';

/** Random rows with standard-normal features and 0/1 labels. */
function randomData(
  seed: string,
  rows: number,
  inputSize: number,
): { features: Float32Array; labels: Float32Array } {
  const rng = createRng(seed);
  const features = new Float32Array(rows * inputSize);
  const labels = new Float32Array(rows);
  for (let k = 0; k < features.length; k++) features[k] = rng.normal();
  for (let r = 0; r < rows; r++) labels[r] = rng.bernoulli(0.4) ? 1 : 0;
  return { features, labels };
}

/** Points uniform in [−1, 1]², labelled 1 inside the circle x² + y² < 0.5 (≈ 39% of them). */
function circleData(seed: string, rows: number): { features: Float32Array; labels: Float32Array } {
  const rng = createRng(seed);
  const features = new Float32Array(rows * 2);
  const labels = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const x = rng.uniform(-1, 1);
    const y = rng.uniform(-1, 1);
    features[2 * r] = x;
    features[2 * r + 1] = y;
    labels[r] = x * x + y * y < 0.5 ? 1 : 0;
  }
  return { features, labels };
}

function allParameters(model: ReferenceMlp): Float32Array[] {
  return [...model.weights, ...model.biases];
}

describe('createReferenceMlp', () => {
  it('lays out tfjs-shaped kernels with Glorot-uniform weights and zero biases', () => {
    const model = createReferenceMlp({
      inputSize: 8,
      hiddenSizes: [32, 16],
      seed: 1,
    });
    expect(model.layerSizes).toEqual([8, 32, 16, 1]);
    expect(model.weights.map((w) => w.length)).toEqual([8 * 32, 32 * 16, 16 * 1]);
    expect(model.biases.map((b) => b.length)).toEqual([32, 16, 1]);
    for (const b of model.biases) expect(b.every((v) => v === 0)).toBe(true);
    // Glorot uniform: |w| ≤ √(6 / (fanIn + fanOut)), variance limit² / 3 = 2 / (fanIn + fanOut).
    const kernel = model.weights[1]!; // 32 × 16, limit √(6/48) ≈ 0.354, variance 1/24
    const limit = Math.sqrt(6 / 48);
    expect(kernel.every((v) => Math.abs(v) <= limit)).toBe(true);
    const variance = kernel.reduce((s, v) => s + v * v, 0) / kernel.length;
    expect(variance).toBeGreaterThan((1 / 24) * 0.8);
    expect(variance).toBeLessThan((1 / 24) * 1.2);
  });

  it('is deterministic by seed', () => {
    const a = createReferenceMlp({
      inputSize: 4,
      hiddenSizes: [6],
      seed: 'same',
    });
    const b = createReferenceMlp({
      inputSize: 4,
      hiddenSizes: [6],
      seed: 'same',
    });
    const c = createReferenceMlp({
      inputSize: 4,
      hiddenSizes: [6],
      seed: 'other',
    });
    expect(allParameters(a)).toEqual(allParameters(b));
    expect(allParameters(a)).not.toEqual(allParameters(c));
  });

  it('rejects layer sizes that are not positive integers', () => {
    expect(() => createReferenceMlp({ inputSize: 0, hiddenSizes: [], seed: 1 })).toThrow(
      RangeError,
    );
    expect(() => createReferenceMlp({ inputSize: 2, hiddenSizes: [3.5], seed: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('predictReference', () => {
  it('computes σ(x·w + b) for logistic regression', () => {
    const model = createReferenceMlp({
      inputSize: 2,
      hiddenSizes: [],
      seed: 1,
    });
    model.weights[0]!.set([2, -1]);
    model.biases[0]!.set([0.5]);
    const features = new Float32Array([1, 1, 0, 2, -1, 0.5]);
    const p = predictReference(model, features, 3);
    // z = 2·1 − 1·1 + 0.5 = 1.5; 0 − 2 + 0.5 = −1.5; −2 − 0.5 + 0.5 = −2
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    expect(p[0]).toBeCloseTo(sigmoid(1.5), 6); // 0.8175745
    expect(p[1]).toBeCloseTo(sigmoid(-1.5), 6); // 0.1824255
    expect(p[2]).toBeCloseTo(sigmoid(-2), 6); // 0.1192029
  });

  it('gives the same answers across its 1,024-row chunks as row by row', () => {
    const model = createReferenceMlp({
      inputSize: 3,
      hiddenSizes: [5],
      seed: 2,
    });
    const { features } = randomData('chunks', 2500, 3);
    const all = predictReference(model, features, 2500);
    for (const r of [0, 1023, 1024, 2047, 2048, 2499]) {
      const one = predictReference(model, features.subarray(r * 3, r * 3 + 3), 1);
      expect(all[r]).toBe(one[0]);
    }
  });

  it('throws when the features hold fewer than rows × inputSize values', () => {
    const model = createReferenceMlp({
      inputSize: 3,
      hiddenSizes: [],
      seed: 1,
    });
    expect(() => predictReference(model, new Float32Array(5), 2)).toThrow(RangeError);
  });
});

describe('computeGradientsForTest', () => {
  /** Central differences (L(θ + h) − L(θ − h)) / (Δθ actually stored in float32). */
  function checkGradients(model: ReferenceMlp, positiveWeight: number): number {
    const { features, labels } = randomData('gradients', 9, model.inputSize);
    const analytic = computeGradientsForTest(model, features, labels, positiveWeight);
    const h = 1e-3;
    let checked = 0;
    const groups: [Float32Array[], Float64Array[]][] = [
      [model.weights, analytic.weights],
      [model.biases, analytic.biases],
    ];
    for (const [params, grads] of groups) {
      for (let l = 0; l < params.length; l++) {
        const theta = params[l]!;
        const grad = grads[l]!;
        for (let k = 0; k < theta.length; k++) {
          const original = theta[k]!;
          theta[k] = original + h;
          const up = theta[k]!;
          const lossUp = computeGradientsForTest(model, features, labels, positiveWeight).loss;
          theta[k] = original - h;
          const down = theta[k]!;
          const lossDown = computeGradientsForTest(model, features, labels, positiveWeight).loss;
          theta[k] = original;
          const numeric = (lossUp - lossDown) / (up - down);
          expect(Math.abs(numeric - grad[k]!)).toBeLessThan(1e-5 + 1e-3 * Math.abs(grad[k]!));
          checked++;
        }
      }
    }
    return checked;
  }

  it('matches finite differences for every weight and bias of a 3→5→4→1 network', () => {
    const model = createReferenceMlp({
      inputSize: 3,
      hiddenSizes: [5, 4],
      seed: 'grad',
    });
    // One short epoch first, so that the biases are no longer 0.
    const warm = randomData('warm-up', 32, 3);
    trainEpochReference(model, warm.features, warm.labels, {
      batchSize: 8,
      learningRate: 0.05,
      rng: createRng('warm-up'),
    });
    expect(model.biases.some((b) => b.some((v) => v !== 0))).toBe(true);
    const checked = checkGradients(model, 2.5);
    expect(checked).toBe(3 * 5 + 5 * 4 + 4 * 1 + 5 + 4 + 1);
  });

  it('matches the closed form mean(w·(p − y)·x) for logistic regression', () => {
    const model = createReferenceMlp({
      inputSize: 4,
      hiddenSizes: [],
      seed: 'lr',
    });
    model.biases[0]![0] = 0.3;
    const { features, labels } = randomData('closed-form', 7, 4);
    const positiveWeight = 3;
    const p = predictReference(model, features, 7);
    const expected = [0, 0, 0, 0];
    let expectedBias = 0;
    let expectedLoss = 0;
    for (let r = 0; r < 7; r++) {
      const y = labels[r]!;
      const w = y === 1 ? positiveWeight : 1;
      for (let i = 0; i < 4; i++) expected[i]! += (w * (p[r]! - y) * features[r * 4 + i]!) / 7;
      expectedBias += (w * (p[r]! - y)) / 7;
      expectedLoss += (-w * (y * Math.log(p[r]!) + (1 - y) * Math.log(1 - p[r]!))) / 7;
    }
    const got = computeGradientsForTest(model, features, labels, positiveWeight);
    // p is rounded to float32 here, hence the 1e-6 tolerances.
    for (let i = 0; i < 4; i++) expect(got.weights[0]![i]).toBeCloseTo(expected[i]!, 6);
    expect(got.biases[0]![0]).toBeCloseTo(expectedBias, 6);
    expect(got.loss).toBeCloseTo(expectedLoss, 6);
  });

  it('scales the loss of positive rows by positiveWeight', () => {
    const model = createReferenceMlp({
      inputSize: 2,
      hiddenSizes: [3],
      seed: 3,
    });
    const features = new Float32Array([0.5, -1, 2, 0.25]);
    const positives = new Float32Array([1, 1]);
    const negatives = new Float32Array([0, 0]);
    const base = computeGradientsForTest(model, features, positives, 1).loss;
    expect(computeGradientsForTest(model, features, positives, 4).loss).toBeCloseTo(4 * base, 12);
    const negativeLoss = computeGradientsForTest(model, features, negatives, 1).loss;
    expect(computeGradientsForTest(model, features, negatives, 4).loss).toBe(negativeLoss);
  });
});

describe('trainEpochReference', () => {
  it("takes tf.train.adam's first step: Δθ = −α·g / (|g| + 1e-7) with one full batch", () => {
    const model = createReferenceMlp({
      inputSize: 3,
      hiddenSizes: [4],
      seed: 'adam',
    });
    const { features, labels } = randomData('adam', 20, 3);
    const before = allParameters(model).map((p) => p.slice());
    const g = computeGradientsForTest(model, features, labels);
    const gradients = [...g.weights, ...g.biases];
    const learningRate = 0.01;
    trainEpochReference(model, features, labels, {
      batchSize: 20,
      learningRate,
      rng: createRng(1),
    });
    expect(model.adamStep).toBe(1);
    const after = allParameters(model);
    for (let l = 0; l < after.length; l++) {
      for (let k = 0; k < after[l]!.length; k++) {
        const gk = gradients[l]![k]!;
        const expected = before[l]![k]! - (learningRate * gk) / (Math.abs(gk) + 1e-7);
        expect(after[l]![k]).toBeCloseTo(expected, 6);
      }
    }
  });

  it('returns the mean per-row loss of the epoch, before each batch’s update', () => {
    const model = createReferenceMlp({
      inputSize: 3,
      hiddenSizes: [4],
      seed: 'loss',
    });
    const { features, labels } = randomData('loss', 30, 3);
    const expected = computeGradientsForTest(model, features, labels, 2).loss;
    const loss = trainEpochReference(model, features, labels, {
      batchSize: 64,
      learningRate: 0.01,
      positiveWeight: 2,
      rng: createRng(1),
    });
    expect(loss).toBeCloseTo(expected, 10);
  });

  it('is deterministic given the model seed and the shuffle rng', () => {
    const { features, labels } = randomData('determinism', 500, 4);
    const run = (shuffleSeed: number) => {
      const model = createReferenceMlp({
        inputSize: 4,
        hiddenSizes: [8, 4],
        seed: 9,
      });
      const rng = createRng(shuffleSeed);
      const losses = [0, 1, 2].map(() =>
        trainEpochReference(model, features, labels, {
          batchSize: 32,
          learningRate: 0.01,
          rng,
        }),
      );
      return {
        losses,
        parameters: allParameters(model),
        p: predictReference(model, features, 500),
      };
    };
    const a = run(5);
    const b = run(5);
    const c = run(6);
    expect(a.losses).toEqual(b.losses);
    expect(a.parameters).toEqual(b.parameters);
    expect(a.p).toEqual(b.p);
    expect(a.losses).not.toEqual(c.losses);
  });

  it('learns a circle (> 0.9 accuracy), which logistic regression cannot', () => {
    const train = circleData('circle-train', 2000);
    const test = circleData('circle-test', 1000);
    const fit = (hiddenSizes: number[]) => {
      const model = createReferenceMlp({
        inputSize: 2,
        hiddenSizes,
        seed: 'circle',
      });
      const rng = createRng('circle-shuffle');
      const losses: number[] = [];
      for (let epoch = 0; epoch < 60; epoch++) {
        losses.push(
          trainEpochReference(model, train.features, train.labels, {
            batchSize: 64,
            learningRate: 0.01,
            rng,
          }),
        );
      }
      const p = predictReference(model, test.features, 1000);
      return { losses, accuracy: accuracy(confusionAt(test.labels, p)) };
    };
    const mlp = fit([16, 8]);
    const logistic = fit([]);
    expect(mlp.losses.at(-1)!).toBeLessThan(mlp.losses[0]! * 0.5);
    expect(mlp.accuracy).toBeGreaterThan(0.9);
    // A line cannot do much better than always saying "outside" (≈ 61% of the points).
    expect(logistic.accuracy).toBeLessThan(0.7);
  });

  it('rejects a batch size that is not a positive integer', () => {
    const model = createReferenceMlp({
      inputSize: 2,
      hiddenSizes: [],
      seed: 1,
    });
    const { features, labels } = randomData('bad', 4, 2);
    expect(() =>
      trainEpochReference(model, features, labels, {
        batchSize: 0,
        learningRate: 0.1,
        rng: createRng(1),
      }),
    ).toThrow(RangeError);
  });
});
