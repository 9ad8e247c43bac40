/**
 * A plain, hand-written multilayer perceptron over typed arrays: the benchmark that the tfjs
 * path is compared against, and a cross-check of what tfjs computes.
 *
 * Architecture: inputSize → hiddenSizes… (ReLU) → 1 (sigmoid). With `hiddenSizes: []` it is
 * logistic regression. Training minimises the weighted binary cross-entropy with Adam, using the
 * same defaults as `tf.train.adam` (β1 = 0.9, β2 = 0.999, ε = 1e-7).
 *
 * Layout: layer l's kernel is a Float32Array of fanIn × fanOut in row-major order, entry
 * [i·fanOut + o] joining input i to unit o. That is the layout of a tfjs Dense kernel of shape
 * [fanIn, fanOut], so `tf.tensor2d(model.weights[l], [fanIn, fanOut])` loads it as is.
 *
 * Speed: weights are Float32Array (as in tfjs); activations, deltas and gradient sums live in
 * Float64Array scratch buffers that are allocated once per model and batch capacity, so the
 * batch loop allocates nothing. Every inner loop runs over contiguous memory.
 */

import { createRng, type Rng } from '../random';

/** How to build a reference MLP. */
export interface ReferenceMlpConfig {
  /** Number of input features per row. */
  inputSize: number;
  /** Units in each ReLU hidden layer, input side first; [] gives logistic regression. */
  hiddenSizes: readonly number[];
  /** Seed for the Glorot-uniform initial weights. */
  seed: number | string;
}

/** A reference MLP's parameters and its Adam optimiser state. Training mutates it in place. */
export interface ReferenceMlp {
  /** Number of input features per row. */
  readonly inputSize: number;
  /** Units in each hidden layer. */
  readonly hiddenSizes: readonly number[];
  /** [inputSize, ...hiddenSizes, 1]: the width of every layer, input and output included. */
  readonly layerSizes: readonly number[];
  /** One kernel per layer, fanIn × fanOut row-major (tfjs Dense layout). */
  readonly weights: Float32Array[];
  /** One bias vector per layer, of length fanOut; initialised to 0 as in tfjs Dense. */
  readonly biases: Float32Array[];
  /** Adam first-moment estimates m, shaped like `weights` then `biases`. */
  readonly adamFirstMoments: {
    weights: Float32Array[];
    biases: Float32Array[];
  };
  /** Adam second-moment estimates v, shaped like `weights` then `biases`. */
  readonly adamSecondMoments: {
    weights: Float32Array[];
    biases: Float32Array[];
  };
  /** Number of Adam steps (batches) taken so far, t in the bias corrections 1 − β^t. */
  adamStep: number;
}

/** Options of one training epoch. */
export interface TrainEpochOptions {
  /** Rows per minibatch (the last batch may be smaller). */
  batchSize: number;
  /** Adam step size α. */
  learningRate: number;
  /** Loss weight w of a positive row; negatives weigh 1. Default 1. */
  positiveWeight?: number;
  /** Source of the epoch's shuffle. */
  rng: Rng;
}

/** Gradients of the mean weighted loss over one batch, for tests and cross-checks. */
export interface ReferenceGradients {
  /** Mean weighted binary cross-entropy over the batch, in nats. */
  loss: number;
  /** ∂loss/∂W for each layer, in the kernels' layout. */
  weights: Float64Array[];
  /** ∂loss/∂b for each layer. */
  biases: Float64Array[];
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-7;
/** Rows per chunk when predicting, to bound scratch memory. */
const PREDICT_CHUNK_ROWS = 1024;

/** Scratch buffers for batches of up to `capacityRows` rows. */
interface Scratch {
  capacityRows: number;
  /**
   * activations[0] is the gathered input; activations[l] is the output of layer l: its ReLU
   * for hidden layers, the logit z for the last.
   */
  activations: Float64Array[];
  /** deltas[l] = ∂loss/∂(pre-activation of layer l), l ≥ 1; deltas[0] is unused (empty). */
  deltas: Float64Array[];
  /** Per-row weights w and labels y of the batch. */
  rowWeights: Float64Array;
  rowLabels: Float64Array;
  gradWeights: Float64Array[];
  gradBiases: Float64Array[];
}

const scratchByModel = new WeakMap<ReferenceMlp, Scratch>();

function getScratch(model: ReferenceMlp, rows: number): Scratch {
  const existing = scratchByModel.get(model);
  if (existing && existing.capacityRows >= rows) return existing;
  const sizes = model.layerSizes;
  const scratch: Scratch = {
    capacityRows: rows,
    activations: sizes.map((size) => new Float64Array(rows * size)),
    deltas: sizes.map((size, l) => new Float64Array(l === 0 ? 0 : rows * size)),
    rowWeights: new Float64Array(rows),
    rowLabels: new Float64Array(rows),
    gradWeights: model.weights.map((w) => new Float64Array(w.length)),
    gradBiases: model.biases.map((b) => new Float64Array(b.length)),
  };
  scratchByModel.set(model, scratch);
  return scratch;
}

/**
 * Builds an MLP inputSize → hiddenSizes… → 1 with Glorot-uniform kernels,
 * W ~ U(−√(6 / (fanIn + fanOut)), +√(6 / (fanIn + fanOut))), drawn from `createRng(seed)`
 * layer by layer in row-major order, and zero biases (the tfjs Dense defaults).
 */
export function createReferenceMlp(config: ReferenceMlpConfig): ReferenceMlp {
  const { inputSize, hiddenSizes, seed } = config;
  for (const size of [inputSize, ...hiddenSizes]) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`layer sizes must be positive integers, got ${size}`);
    }
  }
  const layerSizes = [inputSize, ...hiddenSizes, 1];
  const rng = createRng(seed);
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 1; l < layerSizes.length; l++) {
    const fanIn = layerSizes[l - 1]!;
    const fanOut = layerSizes[l]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const kernel = new Float32Array(fanIn * fanOut);
    for (let k = 0; k < kernel.length; k++) kernel[k] = rng.uniform(-limit, limit);
    weights.push(kernel);
    biases.push(new Float32Array(fanOut));
  }
  const zerosLike = (arrays: Float32Array[]): Float32Array[] =>
    arrays.map((a) => new Float32Array(a.length));
  return {
    inputSize,
    hiddenSizes: [...hiddenSizes],
    layerSizes,
    weights,
    biases,
    adamFirstMoments: {
      weights: zerosLike(weights),
      biases: zerosLike(biases),
    },
    adamSecondMoments: {
      weights: zerosLike(weights),
      biases: zerosLike(biases),
    },
    adamStep: 0,
  };
}

/**
 * Forward pass over the first `rows` rows of scratch.activations[0]:
 * a_l = ReLU(a_{l−1}·W_l + b_l) for hidden layers, z = a_{L−1}·W_L + b_L for the output logit.
 * Accumulates each row as a sum of input-scaled kernel rows, so the inner loop is contiguous
 * and skips inputs that ReLU zeroed.
 */
function forward(model: ReferenceMlp, scratch: Scratch, rows: number): void {
  const sizes = model.layerSizes;
  const layerCount = sizes.length - 1;
  for (let l = 1; l <= layerCount; l++) {
    const fanIn = sizes[l - 1]!;
    const fanOut = sizes[l]!;
    const input = scratch.activations[l - 1]!;
    const output = scratch.activations[l]!;
    const kernel = model.weights[l - 1]!;
    const bias = model.biases[l - 1]!;
    const isHidden = l < layerCount;
    for (let r = 0; r < rows; r++) {
      const inBase = r * fanIn;
      const outBase = r * fanOut;
      for (let o = 0; o < fanOut; o++) output[outBase + o] = bias[o]!;
      for (let i = 0; i < fanIn; i++) {
        const a = input[inBase + i]!;
        if (a === 0) continue;
        const kBase = i * fanOut;
        for (let o = 0; o < fanOut; o++) {
          output[outBase + o] = output[outBase + o]! + a * kernel[kBase + o]!;
        }
      }
      if (isHidden) {
        for (let o = 0; o < fanOut; o++) if (output[outBase + o]! < 0) output[outBase + o] = 0;
      }
    }
  }
}

/**
 * Backward pass for the first `rows` rows after `forward`, into scratch.gradWeights/gradBiases.
 * Loss per row: ℓ = w·[softplus(z) − y·z] = −w·[y·ln σ(z) + (1 − y)·ln(1 − σ(z))], mean over
 * the batch, so δ_L = w·(σ(z) − y) / rows; then ∂W_l = a_{l−1}ᵀ·δ_l, ∂b_l = Σ_rows δ_l and
 * δ_{l−1} = (δ_l·W_lᵀ) ⊙ [a_{l−1} > 0]. Returns the batch's summed (not mean) loss.
 */
function backward(model: ReferenceMlp, scratch: Scratch, rows: number): number {
  const sizes = model.layerSizes;
  const layerCount = sizes.length - 1;
  const logits = scratch.activations[layerCount]!;
  const outDelta = scratch.deltas[layerCount]!;
  const { rowWeights, rowLabels } = scratch;
  const invRows = 1 / rows;
  let lossSum = 0;
  for (let r = 0; r < rows; r++) {
    const z = logits[r]!;
    const y = rowLabels[r]!;
    const w = rowWeights[r]!;
    // softplus(z) = max(z, 0) + ln(1 + e^{−|z|}), exact and overflow-free.
    const softplus = (z > 0 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)));
    lossSum += w * (softplus - y * z);
    const p = 1 / (1 + Math.exp(-z));
    outDelta[r] = w * (p - y) * invRows;
  }
  for (let l = layerCount; l >= 1; l--) {
    const fanIn = sizes[l - 1]!;
    const fanOut = sizes[l]!;
    const input = scratch.activations[l - 1]!;
    const delta = scratch.deltas[l]!;
    const gradKernel = scratch.gradWeights[l - 1]!;
    const gradBias = scratch.gradBiases[l - 1]!;
    const kernel = model.weights[l - 1]!;
    gradKernel.fill(0);
    gradBias.fill(0);
    const prevDelta = l > 1 ? scratch.deltas[l - 1]! : null;
    for (let r = 0; r < rows; r++) {
      const inBase = r * fanIn;
      const outBase = r * fanOut;
      for (let o = 0; o < fanOut; o++) gradBias[o] = gradBias[o]! + delta[outBase + o]!;
      for (let i = 0; i < fanIn; i++) {
        const a = input[inBase + i]!;
        if (a === 0) {
          // ReLU was inactive (or the input is 0): no kernel gradient, no delta passes back.
          if (prevDelta) prevDelta[inBase + i] = 0;
          continue;
        }
        const kBase = i * fanOut;
        let back = 0;
        for (let o = 0; o < fanOut; o++) {
          const d = delta[outBase + o]!;
          gradKernel[kBase + o] = gradKernel[kBase + o]! + a * d;
          back += d * kernel[kBase + o]!;
        }
        // Hidden activations are ReLU outputs, so a ≠ 0 means a > 0 and the derivative is 1.
        if (prevDelta) prevDelta[inBase + i] = back;
      }
    }
  }
  return lossSum;
}

/** Copies rows (by index, or in order when `order` is null) into the batch input. */
function gatherBatch(
  model: ReferenceMlp,
  scratch: Scratch,
  features: Float32Array,
  labels: Float32Array | null,
  order: Uint32Array | null,
  start: number,
  rows: number,
  positiveWeight: number,
): void {
  const inputSize = model.inputSize;
  const input = scratch.activations[0]!;
  for (let r = 0; r < rows; r++) {
    const source = order ? order[start + r]! : start + r;
    const from = source * inputSize;
    const to = r * inputSize;
    for (let i = 0; i < inputSize; i++) input[to + i] = features[from + i]!;
    if (labels) {
      const y = labels[source]!;
      scratch.rowLabels[r] = y;
      scratch.rowWeights[r] = y >= 0.5 ? positiveWeight : 1;
    }
  }
}

/**
 * One Adam step on every parameter θ with gradient g (tf.train.adam's update):
 * m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², θ ← θ − α·m̂ / (√v̂ + ε),
 * with m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).
 */
function adamUpdate(model: ReferenceMlp, scratch: Scratch, learningRate: number): void {
  model.adamStep += 1;
  const t = model.adamStep;
  const firstCorrection = 1 / (1 - ADAM_BETA1 ** t);
  const secondCorrection = 1 / (1 - ADAM_BETA2 ** t);
  const groups: [Float32Array[], Float64Array[], Float32Array[], Float32Array[]][] = [
    [
      model.weights,
      scratch.gradWeights,
      model.adamFirstMoments.weights,
      model.adamSecondMoments.weights,
    ],
    [
      model.biases,
      scratch.gradBiases,
      model.adamFirstMoments.biases,
      model.adamSecondMoments.biases,
    ],
  ];
  for (const [params, grads, firsts, seconds] of groups) {
    for (let l = 0; l < params.length; l++) {
      const theta = params[l]!;
      const g = grads[l]!;
      const m = firsts[l]!;
      const v = seconds[l]!;
      for (let k = 0; k < theta.length; k++) {
        const gk = g[k]!;
        const mk = ADAM_BETA1 * m[k]! + (1 - ADAM_BETA1) * gk;
        const vk = ADAM_BETA2 * v[k]! + (1 - ADAM_BETA2) * gk * gk;
        m[k] = mk;
        v[k] = vk;
        theta[k] =
          theta[k]! -
          (learningRate * mk * firstCorrection) / (Math.sqrt(vk * secondCorrection) + ADAM_EPSILON);
      }
    }
  }
}

function checkData(model: ReferenceMlp, features: Float32Array, rows: number): void {
  if (features.length < rows * model.inputSize) {
    throw new RangeError(
      `features hold ${features.length} values, fewer than ${rows} rows × ${model.inputSize}`,
    );
  }
}

/**
 * Trains one epoch: shuffles the row order with `rng` (Fisher–Yates), then for each minibatch
 * runs forward, backward and one Adam step. The loss per row is
 * ℓ = −w·[y·ln p + (1 − y)·ln(1 − p)], w = positiveWeight for positives (y ≥ 0.5) else 1,
 * averaged over the batch; it is computed from the logit z as w·(softplus(z) − y·z), the same
 * value without clipping. Returns the epoch's mean loss, Σ_rows ℓ / rows, each row's loss taken
 * before its batch's update (as tfjs reports the epoch loss of model.fit).
 */
export function trainEpochReference(
  model: ReferenceMlp,
  features: Float32Array,
  labels: Float32Array,
  options: TrainEpochOptions,
): number {
  const { batchSize, learningRate, rng } = options;
  const positiveWeight = options.positiveWeight ?? 1;
  const rows = labels.length;
  checkData(model, features, rows);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  if (rows === 0) return Number.NaN;
  const order = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) order[r] = r;
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  const scratch = getScratch(model, Math.min(batchSize, rows));
  let lossSum = 0;
  for (let start = 0; start < rows; start += batchSize) {
    const batchRows = Math.min(batchSize, rows - start);
    gatherBatch(model, scratch, features, labels, order, start, batchRows, positiveWeight);
    forward(model, scratch, batchRows);
    lossSum += backward(model, scratch, batchRows);
    adamUpdate(model, scratch, learningRate);
  }
  return lossSum / rows;
}

/**
 * For tests and cross-checks: the mean weighted loss of all `labels.length` rows taken as one
 * batch, in order, and its exact gradients ∂loss/∂W_l, ∂loss/∂b_l from the same backward pass
 * that training uses. Does not change the model. Returns copies.
 */
export function computeGradientsForTest(
  model: ReferenceMlp,
  features: Float32Array,
  labels: Float32Array,
  positiveWeight = 1,
): ReferenceGradients {
  const rows = labels.length;
  checkData(model, features, rows);
  const scratch = getScratch(model, rows);
  gatherBatch(model, scratch, features, labels, null, 0, rows, positiveWeight);
  forward(model, scratch, rows);
  const lossSum = backward(model, scratch, rows);
  return {
    loss: lossSum / rows,
    weights: scratch.gradWeights.map((g) => g.slice()),
    biases: scratch.gradBiases.map((g) => g.slice()),
  };
}

/**
 * Predicted probabilities p = σ(z) = 1 / (1 + e^{−z}) for the first `rows` rows of `features`
 * (row-major, rows × inputSize), in chunks of 1,024 rows.
 */
export function predictReference(
  model: ReferenceMlp,
  features: Float32Array,
  rows: number,
): Float32Array {
  checkData(model, features, rows);
  const out = new Float32Array(rows);
  if (rows === 0) return out;
  const scratch = getScratch(model, Math.min(PREDICT_CHUNK_ROWS, rows));
  const chunk = scratch.capacityRows;
  const logits = scratch.activations[model.layerSizes.length - 1]!;
  for (let start = 0; start < rows; start += chunk) {
    const chunkRows = Math.min(chunk, rows - start);
    gatherBatch(model, scratch, features, null, null, start, chunkRows, 1);
    forward(model, scratch, chunkRows);
    for (let r = 0; r < chunkRows; r++) out[start + r] = 1 / (1 + Math.exp(-logits[r]!));
  }
  return out;
}
