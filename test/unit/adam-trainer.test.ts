import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
// Only the test needs tfjs's automatic gradients: it checks the hand-written ones against them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { createAdamTrainer } from '@lib/ml/adam-trainer';
import { createTfMlp } from '@lib/ml/tf-mlp';
import { initialWeights } from '@lib/ml/weights';
import { createRng } from '@lib/random';

function batch(rows: number, inputSize: number, seed: number): [tf.Tensor2D, tf.Tensor2D] {
  const rng = createRng(seed);
  const x = tf.tensor2d(
    Float32Array.from({ length: rows * inputSize }, () => rng.normal()),
    [rows, inputSize],
  );
  const y = tf.tensor2d(
    Float32Array.from({ length: rows }, () => (rng.bernoulli(0.3) ? 1 : 0)),
    [rows, 1],
  );
  return [x, y];
}

/** The same loss written with tfjs ops, for tfjs's automatic differentiation. */
function autodiffLoss(
  model: ReturnType<typeof createTfMlp>,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  positiveWeight: number,
): tf.Scalar {
  const z = model.logits(x);
  const perRow = tf.sub(tf.softplus(z), tf.mul(z, y));
  const w = tf.add(tf.mul(y, positiveWeight - 1), 1);
  return tf.mean(tf.mul(perRow, w));
}

async function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [da, db] = await Promise.all([a.data(), b.data()]);
  let worst = 0;
  for (let i = 0; i < da.length; i++)
    worst = Math.max(worst, Math.abs((da[i] ?? 0) - (db[i] ?? 0)));
  return worst;
}

describe('createAdamTrainer', () => {
  it('computes the same gradients as tfjs autodiff, for an MLP and for logistic regression', async () => {
    await tf.setBackend('cpu');
    for (const [hidden, positiveWeight] of [
      [[6, 4], 1],
      [[5], 12.5],
      [[], 3],
    ] as const) {
      const model = createTfMlp(initialWeights(7, hidden, 11));
      const trainer = createAdamTrainer(model, { learningRate: 0.01 });
      const [x, y] = batch(40, 7, 5);
      const manual = trainer.gradients(x, y, positiveWeight);
      const { grads } = tf.variableGrads(
        () => autodiffLoss(model, x, y, positiveWeight),
        [model.parameters],
      );
      const reference = grads[model.parameters.name] as tf.Tensor;
      expect(manual.shape).toEqual(reference.shape);
      expect(manual.shape).toEqual([model.parameters.size]);
      expect(await maxAbsDifference(manual, reference)).toBeLessThan(1e-5);
      tf.dispose([manual, ...Object.values(grads), x, y]);
      trainer.dispose();
      model.dispose();
    }
  });

  it('takes the same Adam steps as tf.train.adam', async () => {
    await tf.setBackend('cpu');
    const start = initialWeights(6, [8], 2);
    const ours = createTfMlp(start);
    const theirs = createTfMlp(start);
    const trainer = createAdamTrainer(ours, { learningRate: 0.05 });
    const optimizer = tf.train.adam(0.05);
    for (let step = 0; step < 5; step++) {
      const [x, y] = batch(32, 6, 100 + step);
      const loss = trainer.step(x, y, 4);
      const theirLoss = optimizer.minimize(() => autodiffLoss(theirs, x, y, 4), true, [
        theirs.parameters,
      ]);
      expect((await loss.data())[0]).toBeCloseTo((await theirLoss!.data())[0]!, 5);
      tf.dispose([loss, theirLoss!, x, y]);
    }
    expect(await maxAbsDifference(ours.parameters, theirs.parameters)).toBeLessThan(1e-5);
    // The flat layout reads back into the same layer shapes it was built from.
    const weights = await ours.readWeights();
    expect(weights.map((layer) => [layer.inputSize, layer.outputSize])).toEqual([
      [6, 8],
      [8, 1],
    ]);
    expect(weights[0]!.kernel).toHaveLength(48);
    expect(weights[1]!.bias).toHaveLength(1);
    trainer.dispose();
    optimizer.dispose();
    ours.dispose();
    theirs.dispose();
  });

  it('keeps no tensors beyond its moment estimates', async () => {
    await tf.setBackend('cpu');
    const model = createTfMlp(initialWeights(5, [4], 1));
    const before = tf.memory().numTensors;
    const trainer = createAdamTrainer(model, { learningRate: 0.01 });
    const [x, y] = batch(16, 5, 1);
    for (let i = 0; i < 3; i++) trainer.step(x, y, 1).dispose();
    // Two moment estimates, plus the two batch tensors.
    expect(tf.memory().numTensors).toBe(before + 2 + 2);
    trainer.dispose();
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('createTfMlp', () => {
  it('round-trips weights through its flat variable exactly', async () => {
    await tf.setBackend('cpu');
    const weights = initialWeights(5, [4, 3], 9);
    weights[1]!.bias.set([0.5, -0.25, 2]);
    const model = createTfMlp(weights);
    expect(model.parameters.size).toBe(5 * 4 + 4 + 4 * 3 + 3 + 3 * 1 + 1);
    expect(await model.readWeights()).toEqual(weights);
    model.dispose();
  });
});
