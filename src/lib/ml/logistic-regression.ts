/**
 * Logistic regression in plain TypeScript (no tfjs), small enough to train synchronously in a
 * worker or in Node: P(y = 1 | x) = σ(b + w·x).
 *
 * Training minimises the weighted mean log loss plus an optional L2 penalty on the weights
 * (not the bias):
 *
 *   L(w, b) = −Σᵢ sᵢ[yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)] / Σᵢ sᵢ + (λ/2)·‖w‖²,
 *
 * with optional sample weights sᵢ (default 1). Two optimisers, both deterministic:
 * - `newton` (default): Newton's method, also called iteratively reweighted least squares.
 *   Each step solves H·Δ = ∇L with the exact Hessian H = Σ sᵢpᵢ(1 − pᵢ)·x̃ᵢx̃ᵢᵀ / Σ sᵢ + λI
 *   (x̃ = (x, 1)), halving the step while it does not lower L. A handful of steps reach the
 *   optimum to machine precision, so at the end Σ sᵢpᵢ = Σ sᵢyᵢ on the training rows exactly:
 *   the model is calibrated in the large on its own training data, whatever it was shown.
 * - `adam`: gradient descent with Adam steps (Kingma & Ba, 2015), full batch or mini-batches
 *   shuffled by a seeded generator. Slow on rare events (the bias converges last), so it is
 *   here for teaching and comparison, not the sandbox.
 *
 * Features are standardised internally (mean 0, sd 1 on the training rows; the penalty applies
 * in that scale) and the returned weights are in the original units. The bias starts at the
 * log-odds of the weighted mean label.
 */
import { createRng } from '../random';

/** Training options; every field has a default. */
export interface LogisticRegressionOptions {
  /** 'newton' (default; exact) or 'adam' (gradient descent). */
  optimizer?: 'newton' | 'adam';
  /** Newton: most steps (default 30). Adam: passes over the data (default 150). */
  epochs?: number;
  /** Adam step size in the standardised feature scale (default 0.1); unused by Newton. */
  learningRate?: number;
  /** L2 penalty λ on the standardised weights (default 0). */
  l2?: number;
  /** Adam: rows per step; 0 or ≥ rows means full batch (default 0). */
  batchSize?: number;
  /** Adam: seed of the mini-batch shuffles (default 1). */
  seed?: number;
  /** Per-row weights sᵢ ≥ 0 (default all 1). */
  sampleWeights?: ArrayLike<number>;
}

/** A fitted model: P(y = 1 | x) = σ(bias + Σ weights[j]·x[j]), x in the original units. */
export interface LogisticModel {
  /** One weight per feature, in the features' original units. */
  weights: Float64Array;
  /** The intercept b. */
  bias: number;
}

/** σ(z) = 1 / (1 + e^(−z)), without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** logit(p) = ln(p / (1 − p)), with p clipped to [ε, 1 − ε] (default ε = 1e-12). */
export function logit(p: number, epsilon = 1e-12): number {
  const q = Math.min(1 - epsilon, Math.max(epsilon, p));
  return Math.log(q / (1 - q));
}

/** ln(1 + e^z) without overflow: the log loss of a negative row with logit z. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** The training rows in the standardised scale, with their weights. */
interface Problem {
  n: number;
  d: number;
  z: Float64Array;
  y: Uint8Array;
  s: Float64Array;
  totalWeight: number;
  l2: number;
}

/** Solves A·x = b (A symmetric positive definite, m × m, row-major) by Gaussian elimination. */
function solve(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const A = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++)
      if (Math.abs(A[r * m + col]!) > Math.abs(A[pivot * m + col]!)) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < m; c++) {
        const t = A[col * m + c]!;
        A[col * m + c] = A[pivot * m + c]!;
        A[pivot * m + c] = t;
      }
      const t = x[col]!;
      x[col] = x[pivot]!;
      x[pivot] = t;
    }
    const diagonal = A[col * m + col]!;
    if (Math.abs(diagonal) < 1e-300) continue;
    for (let r = col + 1; r < m; r++) {
      const factor = A[r * m + col]! / diagonal;
      if (factor === 0) continue;
      for (let c = col; c < m; c++) A[r * m + c]! -= factor * A[col * m + c]!;
      x[r]! -= factor * x[col]!;
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let v = x[r]!;
    for (let c = r + 1; c < m; c++) v -= A[r * m + c]! * x[c]!;
    const diagonal = A[r * m + r]!;
    x[r] = Math.abs(diagonal) < 1e-300 ? 0 : v / diagonal;
  }
  return x;
}

/**
 * Newton's method with step halving. Each pass over the rows computes the loss at θ together
 * with its gradient and Hessian; a step that raised the loss is undone and halved.
 */
function newton(problem: Problem, theta: Float64Array, maxSteps: number): void {
  const { n, d, z, y, s, totalWeight, l2 } = problem;
  const m = d + 1;
  const gradient = new Float64Array(m);
  const hessian = new Float64Array(m * m);
  const row = new Float64Array(m);
  row[d] = 1;
  const previous = Float64Array.from(theta);
  let previousLoss = Number.POSITIVE_INFINITY;
  let delta = new Float64Array(m);
  let scale = 1;
  for (let pass = 0; pass < 4 * maxSteps; pass++) {
    gradient.fill(0);
    hessian.fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let v = theta[d]!;
      for (let j = 0; j < d; j++) {
        row[j] = z[i * d + j]!;
        v += theta[j]! * row[j]!;
      }
      const p = sigmoid(v);
      const si = s[i]!;
      sum += si * (y[i] ? softplus(-v) : softplus(v));
      const residual = si * (p - y[i]!);
      const curvature = si * p * (1 - p);
      for (let a = 0; a < m; a++) {
        gradient[a]! += residual * row[a]!;
        const ca = curvature * row[a]!;
        for (let b = 0; b <= a; b++) hessian[a * m + b]! += ca * row[b]!;
      }
    }
    let penalty = 0;
    for (let j = 0; j < d; j++) penalty += theta[j]! ** 2;
    const current = sum / totalWeight + 0.5 * l2 * penalty;
    // Near the optimum the loss moves by rounding noise only; that is not an overshoot.
    if (current > previousLoss + 1e-13 * Math.abs(previousLoss)) {
      // The last step overshot: go back and take half of it.
      scale /= 2;
      if (scale < 1e-9) {
        theta.set(previous);
        return;
      }
      for (let a = 0; a < m; a++) theta[a] = previous[a]! - scale * delta[a]!;
      continue;
    }
    for (let a = 0; a < m; a++) {
      gradient[a] = gradient[a]! / totalWeight + (a < d ? l2 * theta[a]! : 0);
      for (let b = 0; b <= a; b++) {
        const value = hessian[a * m + b]! / totalWeight + (a === b && a < d ? l2 : 0);
        hessian[a * m + b] = value;
        hessian[b * m + a] = value;
      }
      // A tiny ridge keeps the system solvable when a feature never varies.
      hessian[a * m + a]! += 1e-12;
    }
    delta = solve(hessian, gradient, m);
    let largest = 0;
    for (let a = 0; a < m; a++) largest = Math.max(largest, Math.abs(delta[a]!));
    if (largest < 1e-12) return;
    previous.set(theta);
    previousLoss = current;
    scale = 1;
    for (let a = 0; a < m; a++) theta[a] = previous[a]! - delta[a]!;
  }
}

function adam(
  problem: Problem,
  theta: Float64Array,
  options: { epochs: number; learningRate: number; batchSize: number; seed: number },
): void {
  const { n, d, z, y, s, totalWeight, l2 } = problem;
  const meanWeight = totalWeight / n;
  const grad = new Float64Array(d + 1);
  const m1 = new Float64Array(d + 1);
  const m2 = new Float64Array(d + 1);
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = createRng(options.seed);
  const batchSize = options.batchSize > 0 && options.batchSize < n ? options.batchSize : n;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    if (batchSize < n) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
    }
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      grad.fill(0);
      for (let r = start; r < end; r++) {
        const i = order[r]!;
        let v = theta[d]!;
        for (let j = 0; j < d; j++) v += theta[j]! * z[i * d + j]!;
        const residual = (s[i]! / meanWeight) * (sigmoid(v) - y[i]!);
        for (let j = 0; j < d; j++) grad[j]! += residual * z[i * d + j]!;
        grad[d]! += residual;
      }
      step++;
      const c1 = 1 - beta1 ** step;
      const c2 = 1 - beta2 ** step;
      for (let j = 0; j <= d; j++) {
        const g = grad[j]! / (end - start) + (j < d ? l2 * theta[j]! : 0);
        m1[j] = beta1 * m1[j]! + (1 - beta1) * g;
        m2[j] = beta2 * m2[j]! + (1 - beta2) * g * g;
        theta[j]! -= (options.learningRate * (m1[j]! / c1)) / (Math.sqrt(m2[j]! / c2) + 1e-8);
      }
    }
  }
}

/**
 * Fits a logistic regression to the rows of a row-major matrix `x` (`featureCount` columns)
 * and 0/1 labels `y` (a label ≥ 0.5 counts as 1). See the module header for the loss and the
 * optimisers. Deterministic: the same inputs and options give the same model.
 */
export function trainLogisticRegression(
  x: ArrayLike<number>,
  featureCount: number,
  y: ArrayLike<number>,
  options: LogisticRegressionOptions = {},
): LogisticModel {
  const n = y.length;
  const d = featureCount;
  if (!Number.isInteger(d) || d < 0) throw new RangeError(`featureCount must be ≥ 0, got ${d}`);
  if (x.length !== n * d) {
    throw new RangeError(`x has ${x.length} values, expected rows × features = ${n * d}`);
  }
  if (n === 0) throw new RangeError('no training rows');
  const l2 = options.l2 ?? 0;
  if (!(l2 >= 0)) throw new RangeError(`l2 must be ≥ 0, got ${l2}`);
  const weightsIn = options.sampleWeights;
  if (weightsIn !== undefined && weightsIn.length !== n) {
    throw new RangeError('sampleWeights must have one weight per row');
  }

  const s = new Float64Array(n);
  const labels = new Uint8Array(n);
  let totalWeight = 0;
  let positiveWeight = 0;
  for (let i = 0; i < n; i++) {
    const si = weightsIn ? weightsIn[i]! : 1;
    if (!(si >= 0)) throw new RangeError(`sample weight ${i} must be ≥ 0, got ${si}`);
    s[i] = si;
    labels[i] = y[i]! >= 0.5 ? 1 : 0;
    totalWeight += si;
    positiveWeight += si * labels[i]!;
  }
  if (!(totalWeight > 0)) throw new RangeError('sample weights sum to 0');

  // Standardise each column; constant columns keep sd 1 (their weight then stays at 0).
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]! / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) sd[j]! += (x[i * d + j]! - mean[j]!) ** 2 / n;
  }
  for (let j = 0; j < d; j++) sd[j] = sd[j]! > 1e-24 ? Math.sqrt(sd[j]!) : 1;
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) z[i * d + j] = (x[i * d + j]! - mean[j]!) / sd[j]!;
  }

  const problem: Problem = { n, d, z, y: labels, s, totalWeight, l2 };
  const theta = new Float64Array(d + 1);
  theta[d] = logit(positiveWeight / totalWeight, 1e-9);
  if ((options.optimizer ?? 'newton') === 'newton') {
    newton(problem, theta, options.epochs ?? 30);
  } else {
    adam(problem, theta, {
      epochs: options.epochs ?? 150,
      learningRate: options.learningRate ?? 0.1,
      batchSize: options.batchSize ?? 0,
      seed: options.seed ?? 1,
    });
  }

  // Back to the original units: w_j = θ_j / sd_j, b = θ_b − Σ_j w_j·mean_j.
  const weights = new Float64Array(d);
  let bias = theta[d]!;
  for (let j = 0; j < d; j++) {
    weights[j] = theta[j]! / sd[j]!;
    bias -= weights[j]! * mean[j]!;
  }
  return { weights, bias };
}

/** The model's logit b + w·x for each row of a row-major matrix. */
export function predictLogits(model: LogisticModel, x: ArrayLike<number>): Float64Array {
  const d = model.weights.length;
  if (d === 0) return new Float64Array(0);
  const n = x.length / d;
  if (!Number.isInteger(n)) {
    throw new RangeError(`x has ${x.length} values, not a multiple of ${d} features`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let value = model.bias;
    for (let j = 0; j < d; j++) value += model.weights[j]! * x[i * d + j]!;
    out[i] = value;
  }
  return out;
}

/**
 * P(y = 1 | x) = σ(b + w·x) for each row. A model with no features predicts σ(b) for each of
 * `rows` rows (required then, since x is empty).
 */
export function predictProbabilities(
  model: LogisticModel,
  x: ArrayLike<number>,
  rows?: number,
): Float64Array {
  if (model.weights.length === 0) return new Float64Array(rows ?? 0).fill(sigmoid(model.bias));
  const logits = predictLogits(model, x);
  for (let i = 0; i < logits.length; i++) logits[i] = sigmoid(logits[i]!);
  return logits;
}
