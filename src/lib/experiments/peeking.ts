/**
 * Peeking at an A/B test, and sequential designs that allow it.
 *
 * Model: a test is looked at k times, after equal batches of users. For large samples the
 * z-statistics at the looks have the canonical joint distribution of group-sequential tests
 * (Jennison & Turnbull, "Group Sequential Methods with Applications to Clinical Trials",
 * 2000, §3.1): Z_j = S_j / √j, where S_j = X_1 + … + X_j is a random walk with independent
 * X_i ~ N(θ/√k, 1), and θ = E[Z_k] is the expected final z (0 under the null, i.e. an A/A
 * test). Simulating this Brownian motion at k points costs k normal deviates per test,
 * instead of drawing every user's conversion, and is exact in the large-sample limit of the
 * two-proportion z-test.
 *
 * "Peeking" stops at the first look with |Z_j| > z_{1−α/2}, the naive fixed-sample critical
 * value. Under the null it rejects far more often than α (Armitage, McPherson & Rowe, "Repeated
 * significance tests on accumulating data", JRSS A 132, 1969): at α = 0.05 about 0.083 with
 * 2 looks, 0.142 with 5, 0.193 with 10 and 0.248 with 20. Pocock (1977) and O'Brien &
 * Fleming (1979) boundaries widen the critical values so that the overall rate is α again.
 */

import { sortedQuantile } from '../business/bootstrap';
import { createRng } from '../random';
import { normalCdf, normalQuantile } from './ab-test';

/** Options of a Monte Carlo run. */
export interface SimulationOptions {
  /** Number of simulated tests; default 20,000. */
  simulations?: number;
  /** Seed; the same seed gives the same rate. */
  seed: number | string;
  /** θ = E[Z at the last look]: 0 simulates the null (A/A test); > 0 simulates power. */
  expectedFinalZ?: number;
}

/** The outcome of simulating a sequential test many times. */
export interface SequentialSimulation {
  /** Share of simulated tests that rejected at some look. */
  rejectionRate: number;
  /** Share of simulated tests that first rejected at look j (index j − 1); sums to rejectionRate. */
  rejectionsByLook: Float64Array;
  /** Monte Carlo standard error of rejectionRate: √(r(1 − r)/simulations). */
  standardError: number;
  /** Number of simulated tests. */
  simulations: number;
}

/**
 * Simulates a test that looks k = zBoundaries.length times and stops at the first look j with
 * |Z_j| > zBoundaries[j − 1]; Z_j = S_j/√j with S a Gaussian random walk (see the module
 * comment). Cost: at most k normal deviates per simulated test.
 */
export function simulateSequentialTest(
  zBoundaries: ArrayLike<number>,
  options: SimulationOptions,
): SequentialSimulation {
  const looks = zBoundaries.length;
  if (looks < 1) throw new RangeError('need at least one look');
  const simulations = options.simulations ?? 20_000;
  if (!Number.isInteger(simulations) || simulations < 1) {
    throw new RangeError('simulations must be a positive integer');
  }
  const drift = (options.expectedFinalZ ?? 0) / Math.sqrt(looks);
  // Compare |S_j| with b_j·√j rather than dividing S_j every time.
  const sumBounds = new Float64Array(looks);
  for (let j = 0; j < looks; j++) sumBounds[j] = zBoundaries[j]! * Math.sqrt(j + 1);
  const rng = createRng(options.seed);
  const counts = new Float64Array(looks);
  let rejections = 0;
  for (let s = 0; s < simulations; s++) {
    let sum = 0;
    for (let j = 0; j < looks; j++) {
      sum += rng.normal() + drift;
      if (Math.abs(sum) > sumBounds[j]!) {
        counts[j]!++;
        rejections++;
        break;
      }
    }
  }
  const rejectionRate = rejections / simulations;
  for (let j = 0; j < looks; j++) counts[j]! /= simulations;
  return {
    rejectionRate,
    rejectionsByLook: counts,
    standardError: Math.sqrt((rejectionRate * (1 - rejectionRate)) / simulations),
    simulations,
  };
}

/** Options of a peeking simulation. */
export interface PeekingOptions extends SimulationOptions {
  /** Number of equally spaced looks k ≥ 1 (the last one is the planned end). */
  looks: number;
  /** Nominal two-sided significance level used at every look; default 0.05. */
  alpha?: number;
}

/**
 * The false-positive rate of peeking: an A/A test (no true difference) looked at `looks`
 * times, stopping at the first look whose two-sided p-value is below alpha, i.e. with the
 * constant boundary |Z_j| > z_{1−α/2}. With 1 look this is alpha; with more it inflates
 * (≈ 0.083, 0.142, 0.248 for 2, 5, 20 looks at α = 0.05, Armitage et al. 1969).
 */
export function peekingFalsePositiveRate(options: PeekingOptions): SequentialSimulation {
  const alpha = options.alpha ?? 0.05;
  if (!Number.isInteger(options.looks) || options.looks < 1) {
    throw new RangeError('looks must be a positive integer');
  }
  const critical = normalQuantile(1 - alpha / 2);
  return simulateSequentialTest(new Float64Array(options.looks).fill(critical), {
    ...options,
    expectedFinalZ: options.expectedFinalZ ?? 0,
  });
}

/** The two classical group-sequential boundary shapes. */
export type BoundaryMethod = 'pocock' | 'obrien-fleming';

/** Critical values of a group-sequential test. */
export interface SequentialBoundaries {
  /** The shape. */
  method: BoundaryMethod;
  /** Number of equally spaced looks. */
  looks: number;
  /** Overall two-sided significance level the boundaries hold. */
  alpha: number;
  /**
   * The constant c: Pocock rejects at look j when |Z_j| > c; O'Brien–Fleming when
   * |Z_j| > c·√(k/j).
   */
  constant: number;
  /** The z critical value at each look. */
  zBoundaries: Float64Array;
  /** The nominal two-sided p-value threshold at each look, 2·(1 − Φ(b_j)). */
  nominalAlphas: Float64Array;
}

/** Options of `sequentialBoundaries`. */
export interface BoundaryOptions {
  /** Overall two-sided significance level; default 0.05. */
  alpha?: number;
  /** Simulated null paths used to find the constant; default 100,000. */
  simulations?: number;
  /** Seed of those paths; default 'sequential-boundaries' (fixed, so results are stable). */
  seed?: number | string;
}

/** Memo of computed boundaries: the Monte Carlo is deterministic, so compute each once. */
const boundaryCache = new Map<string, SequentialBoundaries>();

/**
 * Pocock or O'Brien–Fleming boundaries for k equally spaced looks at overall two-sided level
 * alpha. The constant c solves P_null(∃ j: |Z_j| > c·w_j) = alpha with w_j = 1 (Pocock) or
 * w_j = √(k/j) (O'Brien–Fleming). It is found by Monte Carlo over null paths with a fixed
 * seed: for each path M = max_j |Z_j|/w_j, and c is the (1 − alpha) quantile of M (no
 * bisection needed). With the default 100,000 paths c is within about ±0.01 of the tables
 * (Jennison & Turnbull 2000, Tables 2.1 and 2.3; at α = 0.05, k = 5: Pocock 2.413,
 * O'Brien–Fleming 2.040).
 */
export function sequentialBoundaries(
  looks: number,
  method: BoundaryMethod,
  options: BoundaryOptions = {},
): SequentialBoundaries {
  const alpha = options.alpha ?? 0.05;
  const simulations = options.simulations ?? 100_000;
  const seed = options.seed ?? 'sequential-boundaries';
  if (!Number.isInteger(looks) || looks < 1) throw new RangeError('looks must be ≥ 1');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('alpha must lie in (0, 1)');
  const key = `${looks}|${method}|${alpha}|${simulations}|${String(seed)}`;
  const cached = boundaryCache.get(key);
  if (cached) return cached;

  const weights = new Float64Array(looks);
  for (let j = 0; j < looks; j++) {
    weights[j] = method === 'pocock' ? 1 : Math.sqrt(looks / (j + 1));
  }
  const rng = createRng(seed);
  const maxima = new Float64Array(simulations);
  for (let s = 0; s < simulations; s++) {
    let sum = 0;
    let max = 0;
    for (let j = 0; j < looks; j++) {
      sum += rng.normal();
      const scaled = Math.abs(sum) / Math.sqrt(j + 1) / weights[j]!;
      if (scaled > max) max = scaled;
    }
    maxima[s] = max;
  }
  maxima.sort();
  const constant = sortedQuantile(maxima, 1 - alpha);
  const zBoundaries = weights.map((w) => constant * w);
  const nominalAlphas = zBoundaries.map((b) => 2 * normalCdf(-b));
  const result: SequentialBoundaries = {
    method,
    looks,
    alpha,
    constant,
    zBoundaries,
    nominalAlphas,
  };
  boundaryCache.set(key, result);
  return result;
}
