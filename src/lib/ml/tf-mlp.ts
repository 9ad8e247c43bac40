/**
 * The trainable model over tfjs: dense layers with ReLU hidden units and a single logit output,
 * built from plain {@link ModelWeights} so a run can move between compute backends.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone knows no gradients; the @tensorflow/tfjs bundle registers them, we do it here.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { ModelWeights } from './weights';

/** A dense ReLU network held in tfjs variables on the active backend. */
export interface TfMlp {
  /** kernel and bias variables, layer by layer. */
  readonly variables: tf.Variable[];
  /** Logits (pre-sigmoid scores), shape [rows, 1]. Call inside tf.tidy. */
  logits(features: tf.Tensor2D): tf.Tensor2D;
  /** Reads the current weights back to plain arrays. */
  readWeights(): Promise<ModelWeights>;
  /** Frees the variables. */
  dispose(): void;
}

/** Puts weights into tfjs variables on the current backend. */
export function createTfMlp(weights: ModelWeights): TfMlp {
  // tf.variable keeps its own reference to the initial values' data, so those tensors are
  // disposed (tidied) right away; otherwise every model built would leak two tensors per layer.
  const layers = weights.map((layer, index) => ({
    inputSize: layer.inputSize,
    outputSize: layer.outputSize,
    kernel: tf.tidy(() =>
      tf.variable(
        tf.tensor2d(layer.kernel, [layer.inputSize, layer.outputSize]),
        true,
        `dense${index}/kernel`,
      ),
    ),
    bias: tf.tidy(() => tf.variable(tf.tensor1d(layer.bias), true, `dense${index}/bias`)),
  }));
  const lastIndex = layers.length - 1;
  return {
    variables: layers.flatMap((layer) => [layer.kernel, layer.bias]),
    logits(features) {
      let activations: tf.Tensor2D = features;
      layers.forEach((layer, index) => {
        // fused matMul+bias(+ReLU) is one kernel call instead of three on every backend.
        activations = tf.fused.matMul({
          a: activations,
          b: layer.kernel as tf.Tensor2D,
          bias: layer.bias,
          activation: index === lastIndex ? 'linear' : 'relu',
        }) as tf.Tensor2D;
      });
      return activations;
    },
    async readWeights() {
      return Promise.all(
        layers.map(async (layer) => ({
          inputSize: layer.inputSize,
          outputSize: layer.outputSize,
          kernel: new Float32Array(await layer.kernel.data()),
          bias: new Float32Array(await layer.bias.data()),
        })),
      );
    },
    dispose() {
      for (const layer of layers) {
        layer.kernel.dispose();
        layer.bias.dispose();
      }
    },
  };
}

/**
 * Weighted binary cross-entropy from logits, averaged over rows:
 * mean( w · (softplus(z) − z·y) ), which equals −w·[y·log σ(z) + (1−y)·log(1−σ(z))] without
 * overflow for large |z|. w = positiveWeight for positive rows and 1 otherwise.
 */
export function weightedLogLossFromLogits(
  logits: tf.Tensor2D,
  labels: tf.Tensor2D,
  positiveWeight: number,
): tf.Scalar {
  const perRow = tf.sub(tf.softplus(logits), tf.mul(logits, labels));
  if (positiveWeight === 1) return tf.mean(perRow);
  const rowWeights = tf.add(tf.mul(labels, positiveWeight - 1), 1);
  return tf.mean(tf.mul(perRow, rowWeights));
}

/** Scores (probabilities) for many rows, read back as a Float32Array. */
export async function predictProbabilities(
  model: TfMlp,
  features: Float32Array,
  rows: number,
  featureCount: number,
): Promise<Float32Array> {
  const probabilities = tf.tidy(() =>
    tf.sigmoid(model.logits(tf.tensor2d(features, [rows, featureCount]))),
  );
  try {
    return new Float32Array(await probabilities.data());
  } finally {
    probabilities.dispose();
  }
}
