/**
 * The trainable model over tfjs: dense layers with ReLU hidden units and a single logit output,
 * built from plain {@link ModelWeights} so a run can move between compute backends.
 */
import * as tf from '@tensorflow/tfjs-core';
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
  // Variables are left unnamed: tfjs names must be unique, and two models may be alive at once.
  const layers = weights.map((layer) => ({
    inputSize: layer.inputSize,
    outputSize: layer.outputSize,
    kernel: tf.tidy(() =>
      tf.variable(tf.tensor2d(layer.kernel, [layer.inputSize, layer.outputSize]), true),
    ),
    bias: tf.tidy(() => tf.variable(tf.tensor1d(layer.bias), true)),
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
