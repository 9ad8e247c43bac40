/**
 * Model weights as plain typed arrays: the form in which weights are initialised, saved between
 * epochs, carried from a failing compute backend to the next one, and compared across backends.
 * No tfjs here, so the same weights feed the tfjs model and the hand-written reference.
 */
import { createRng } from '../random';

/** One dense layer: `kernel` is row-major inputSize × outputSize, `bias` has outputSize entries. */
export interface DenseLayerWeights {
  inputSize: number;
  outputSize: number;
  kernel: Float32Array;
  bias: Float32Array;
}

/** The layers of a model from input to output; the last one has a single output (the logit). */
export type ModelWeights = DenseLayerWeights[];

/**
 * Glorot-uniform initial weights (Glorot & Bengio, 2010): each kernel entry is drawn from
 * U(−limit, limit) with limit = √(6 / (fanIn + fanOut)); biases start at 0. The draws come from
 * the seeded PRNG, so every backend starts a run from identical weights.
 */
export function initialWeights(
  inputSize: number,
  hiddenSizes: readonly number[],
  seed: number,
): ModelWeights {
  const rng = createRng(seed).fork('initial-weights');
  const sizes = [inputSize, ...hiddenSizes, 1];
  const layers: ModelWeights = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const fanIn = sizes[i] as number;
    const fanOut = sizes[i + 1] as number;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const kernel = new Float32Array(fanIn * fanOut);
    for (let k = 0; k < kernel.length; k++) kernel[k] = rng.uniform(-limit, limit);
    layers.push({ inputSize: fanIn, outputSize: fanOut, kernel, bias: new Float32Array(fanOut) });
  }
  return layers;
}

/** A deep copy, so a snapshot cannot be changed by later training. */
export function cloneWeights(weights: ModelWeights): ModelWeights {
  return weights.map((layer) => ({
    ...layer,
    kernel: layer.kernel.slice(),
    bias: layer.bias.slice(),
  }));
}

/** Number of trainable parameters: Σ (inputSize × outputSize + outputSize). */
export function parameterCount(weights: ModelWeights): number {
  return weights.reduce((total, layer) => total + layer.kernel.length + layer.bias.length, 0);
}

/** true when every weight is a finite number (no NaN or ±Infinity). */
export function weightsAreFinite(weights: ModelWeights): boolean {
  return weights.every(
    (layer) => layer.kernel.every(Number.isFinite) && layer.bias.every(Number.isFinite),
  );
}
