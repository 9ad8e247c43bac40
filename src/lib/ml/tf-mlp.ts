/**
 * The trainable model over tfjs: dense layers with ReLU hidden units and a single logit output,
 * built from plain {@link ModelWeights} so a run can move between compute backends.
 *
 * All weights live in ONE flat variable, layer by layer (kernel row-major, then bias). For a
 * model this small, each tfjs kernel call costs more than its arithmetic, and one variable lets
 * Adam update every weight with a handful of calls instead of a handful per tensor (measured on
 * WASM: about half the time per epoch of six separate variables).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelWeights } from './weights';

/** Where one layer's kernel and bias sit in the flat parameter vector. */
export interface LayerLayout {
  inputSize: number;
  outputSize: number;
  /** Offset of the kernel (inputSize × outputSize, row-major). */
  kernelOffset: number;
  /** Offset of the bias (outputSize entries). */
  biasOffset: number;
}

/** One layer's weights as tensors: slices of the flat variable (inside a tidy). */
export interface LayerTensors {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
}

/** A dense ReLU network held in one flat tfjs variable on the active backend. */
export interface TfMlp {
  /** Every weight, layer by layer: kernel then bias. */
  readonly parameters: tf.Variable<tf.Rank.R1>;
  /** Where each layer sits in `parameters`. */
  readonly layout: readonly LayerLayout[];
  /** Each layer's kernel and bias as slices of `parameters`. Call inside tf.tidy. */
  layers(): LayerTensors[];
  /** Logits (pre-sigmoid scores), shape [rows, 1]. Call inside tf.tidy. */
  logits(features: tf.Tensor2D): tf.Tensor2D;
  /** Reads the current weights back to plain arrays. */
  readWeights(): Promise<ModelWeights>;
  /** Frees the variable. */
  dispose(): void;
}

/** The flat layout of a model's weights, and the total number of parameters. */
export function flatLayout(weights: ModelWeights): { layout: LayerLayout[]; size: number } {
  let offset = 0;
  const layout = weights.map((layer) => {
    const kernelOffset = offset;
    const biasOffset = kernelOffset + layer.inputSize * layer.outputSize;
    offset = biasOffset + layer.outputSize;
    return { inputSize: layer.inputSize, outputSize: layer.outputSize, kernelOffset, biasOffset };
  });
  return { layout, size: offset };
}

/** Puts weights into one tfjs variable on the current backend. */
export function createTfMlp(weights: ModelWeights): TfMlp {
  const { layout, size } = flatLayout(weights);
  const flat = new Float32Array(size);
  weights.forEach((layer, index) => {
    const at = layout[index] as LayerLayout;
    flat.set(layer.kernel, at.kernelOffset);
    flat.set(layer.bias, at.biasOffset);
  });
  // tidy frees the initial tensor; the variable keeps its own reference to the data. Variables
  // are unnamed: tfjs names must be unique, and two models may be alive at once.
  const parameters = tf.tidy(() => tf.variable(tf.tensor1d(flat), true));
  const lastIndex = layout.length - 1;

  const layers = (): LayerTensors[] =>
    layout.map((at) => ({
      kernel: tf.reshape(tf.slice(parameters, at.kernelOffset, at.inputSize * at.outputSize), [
        at.inputSize,
        at.outputSize,
      ]),
      bias: tf.slice(parameters, at.biasOffset, at.outputSize),
    }));

  return {
    parameters,
    layout,
    layers,
    logits(features) {
      let activations: tf.Tensor2D = features;
      layers().forEach((layer, index) => {
        // fused matMul+bias(+ReLU) is one kernel call instead of three on every backend.
        activations = tf.fused.matMul({
          a: activations,
          b: layer.kernel,
          bias: layer.bias,
          activation: index === lastIndex ? 'linear' : 'relu',
        }) as tf.Tensor2D;
      });
      return activations;
    },
    async readWeights() {
      const values = await parameters.data();
      return layout.map((at) => ({
        inputSize: at.inputSize,
        outputSize: at.outputSize,
        kernel: Float32Array.from(values.subarray(at.kernelOffset, at.biasOffset)),
        bias: Float32Array.from(values.subarray(at.biasOffset, at.biasOffset + at.outputSize)),
      }));
    },
    dispose() {
      parameters.dispose();
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
