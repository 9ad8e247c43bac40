/**
 * One training step of the dense ReLU network with hand-written gradients and Adam.
 *
 * tfjs can differentiate the loss itself (optimizer.minimize), but its tape and per-variable
 * optimizer cost about half of each step on the WASM backend for a model this small (measured:
 * ~2× slower per epoch). The network is a plain MLP, so its backward pass is short enough to
 * write out, and a unit test checks it against tfjs's own gradients.
 *
 * Forward: a₀ = x, aₗ = relu(aₗ₋₁·Wₗ + bₗ) for hidden layers, z = a_{L−1}·W_L + b_L.
 * Loss: mean over rows of w·(softplus(z) − y·z), w = positiveWeight for y = 1, else 1.
 * Backward: dz = w·(σ(z) − y)/n; for each layer from the top, ∂W = aᵀ·dz, ∂b = Σ_rows dz, and
 * for the layer below dz ← (dz·Wᵀ) ⊙ [a > 0].
 * Adam (Kingma & Ba, 2015), exactly as tf.train.adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * θ ← θ − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerTensors, TfMlp } from './tf-mlp';

/** Adam's hyperparameters; the defaults are tf.train.adam's on a float32 backend. */
export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** A stateful trainer: Adam's moment estimates live on the active backend. */
export interface AdamTrainer {
  /** One step on a batch; returns the batch's mean weighted loss (before the update). */
  step(features: tf.Tensor2D, labels: tf.Tensor2D, positiveWeight: number): tf.Scalar;
  /**
   * Gradient of the mean weighted loss for a batch, laid out like model.parameters, without
   * updating (for tests).
   */
  gradients(features: tf.Tensor2D, labels: tf.Tensor2D, positiveWeight: number): tf.Tensor1D;
  /** Frees the moment estimates. */
  dispose(): void;
}

/** Creates an Adam trainer for a model built by createTfMlp. */
export function createAdamTrainer(model: TfMlp, options: AdamOptions): AdamTrainer {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-7;
  const { parameters } = model;
  const layerCount = model.layout.length;
  // tidy frees the zero tensors; the variables keep their own reference to the data.
  const firstMoment = tf.tidy(() => tf.variable(tf.zerosLike(parameters), false));
  const secondMoment = tf.tidy(() => tf.variable(tf.zerosLike(parameters), false));
  let stepCount = 0;

  /** Loss and the flat gradient; call inside tf.tidy. */
  function lossAndGradient(
    features: tf.Tensor2D,
    labels: tf.Tensor2D,
    positiveWeight: number,
  ): { loss: tf.Scalar; gradient: tf.Tensor1D } {
    const rows = features.shape[0];
    const layers = model.layers();
    const activations: tf.Tensor2D[] = [features];
    let current = features;
    layers.forEach((layer, index) => {
      current = tf.fused.matMul({
        a: current,
        b: layer.kernel,
        bias: layer.bias,
        activation: index === layerCount - 1 ? 'linear' : 'relu',
      }) as tf.Tensor2D;
      activations.push(current);
    });
    const logits = current;
    const rowWeights = positiveWeight === 1 ? null : tf.add(tf.mul(labels, positiveWeight - 1), 1);
    const perRow = tf.sub(tf.softplus(logits), tf.mul(logits, labels));
    const loss = tf.mean(rowWeights ? tf.mul(perRow, rowWeights) : perRow) as tf.Scalar;

    const residual = tf.sub(tf.sigmoid(logits), labels);
    let delta = tf.mul(
      rowWeights ? tf.mul(residual, rowWeights) : residual,
      1 / rows,
    ) as tf.Tensor2D;
    const pieces: tf.Tensor1D[] = new Array<tf.Tensor1D>(2 * layerCount);
    for (let index = layerCount - 1; index >= 0; index--) {
      const input = activations[index] as tf.Tensor2D;
      pieces[2 * index] = tf.reshape(tf.matMul(input, delta, true, false), [-1]);
      pieces[2 * index + 1] = tf.sum(delta, 0);
      if (index > 0) {
        const kernel = (layers[index] as LayerTensors).kernel;
        const upstream = tf.matMul(delta, kernel, false, true);
        // input is relu's output, so input > 0 exactly where relu's derivative is 1.
        delta = tf.mul(upstream, tf.step(input)) as tf.Tensor2D;
      }
    }
    return { loss, gradient: tf.concat(pieces) };
  }

  return {
    step(features, labels, positiveWeight) {
      stepCount++;
      const firstCorrection = 1 / (1 - beta1 ** stepCount);
      const secondCorrection = 1 / (1 - beta2 ** stepCount);
      return tf.tidy(() => {
        const { loss, gradient } = lossAndGradient(features, labels, positiveWeight);
        firstMoment.assign(tf.add(tf.mul(firstMoment, beta1), tf.mul(gradient, 1 - beta1)));
        secondMoment.assign(
          tf.add(tf.mul(secondMoment, beta2), tf.mul(tf.square(gradient), 1 - beta2)),
        );
        const denominator = tf.add(tf.sqrt(tf.mul(secondMoment, secondCorrection)), epsilon);
        const update = tf.div(
          tf.mul(firstMoment, options.learningRate * firstCorrection),
          denominator,
        );
        parameters.assign(tf.sub(parameters, update));
        return loss;
      });
    },
    gradients(features, labels, positiveWeight) {
      return tf.tidy(() => lossAndGradient(features, labels, positiveWeight).gradient);
    },
    dispose() {
      firstMoment.dispose();
      secondMoment.dispose();
    },
  };
}
