/**
 * The peeking panel's numbers: the false-positive rate of an A/A test looked at k times, for
 * naive peeking and for the Pocock and O'Brien–Fleming boundaries, one point at a time or as a
 * curve over k = 1 … maxLooks. Built on `peeking.ts`; heavy (a curve is ~1.2 million simulated
 * tests), so the sandbox runs it in a worker.
 *
 * Every point is seeded by (seed, method, looks), so the point shown for the chosen setting is
 * exactly the curve's value at that k.
 */

import { normalQuantile } from './ab-test';
import {
  peekingFalsePositiveRate,
  sequentialBoundaries,
  simulateSequentialTest,
  type BoundaryMethod,
} from './peeking';

/** How the test is looked at: naive peeking at the fixed-sample threshold, or a boundary. */
export type PeekingMethod = 'naive' | BoundaryMethod;
/** The methods, in the order the sandbox lists them. */
export const PEEKING_METHODS: readonly PeekingMethod[] = ['naive', 'pocock', 'obrien-fleming'];
/** Simulated A/A tests per point: SE ≈ √(0.05·0.95/20,000) ≈ 0.0015 at 5%. */
export const PEEKING_SIMULATIONS = 20_000;
/**
 * Null paths used to find a boundary's constant. 20,000 (not the 100,000 default of
 * `sequentialBoundaries`) keeps a whole curve near a second; the level the boundary holds is
 * then off by about √(α(1 − α)/20,000) ≈ 0.0015, below what the chart can show.
 */
export const PEEKING_BOUNDARY_SIMULATIONS = 20_000;
/** Most looks the panel offers. */
export const PEEKING_MAX_LOOKS = 20;

/** Options of one point. */
export interface PeekingPointOptions {
  /** Number of equally spaced looks, 1 … {@link PEEKING_MAX_LOOKS}. */
  looks: number;
  /** How each look is judged. */
  method: PeekingMethod;
  /** Nominal two-sided significance level, the overall level the boundaries aim for. */
  alpha: number;
  /** Seed of the simulated tests. */
  seed: number;
  /** Simulated tests; default {@link PEEKING_SIMULATIONS}. */
  simulations?: number;
}

/** One point: the false-positive rate of a method at k looks. */
export interface PeekingPoint {
  looks: number;
  method: PeekingMethod;
  alpha: number;
  /** Share of simulated A/A tests that declared a difference at some look. */
  falsePositiveRate: number;
  /** Monte Carlo standard error √(r(1 − r)/simulations). */
  standardError: number;
  /** Number of simulated tests. */
  simulations: number;
  /** The |z| a look must exceed, look by look. */
  zBoundaries: number[];
  /** The p-value a look must beat, look by look: 2·(1 − Φ(boundary)). */
  nominalAlphas: number[];
}

function checkPointOptions(options: PeekingPointOptions): void {
  if (!Number.isInteger(options.looks) || options.looks < 1 || options.looks > PEEKING_MAX_LOOKS) {
    throw new RangeError(`looks must be a whole number from 1 to ${PEEKING_MAX_LOOKS}`);
  }
  if (!PEEKING_METHODS.includes(options.method)) {
    throw new RangeError(`method must be one of ${PEEKING_METHODS.join(', ')}`);
  }
  if (!(options.alpha > 0 && options.alpha < 1)) throw new RangeError('alpha must lie in (0, 1)');
}

/**
 * The false-positive rate of an A/A test looked at `looks` times with `method`:
 * naive → `peekingFalsePositiveRate` (|Z_j| > z_{1−α/2} at every look); pocock / obrien-fleming
 * → `simulateSequentialTest` with `sequentialBoundaries(looks, method, {alpha,
 * simulations: PEEKING_BOUNDARY_SIMULATIONS})`. Seeded by `${seed}/${method}/${looks}`.
 * Reference values at α = 0.05: naive ≈ 0.083 (2 looks), 0.142 (5), 0.248 (20); both boundaries
 * ≈ 0.05 at any k.
 */
export function peekingPoint(options: PeekingPointOptions): PeekingPoint {
  checkPointOptions(options);
  const { looks, method, alpha } = options;
  const simulations = options.simulations ?? PEEKING_SIMULATIONS;
  const seed = `${options.seed}/${method}/${looks}`;
  if (method === 'naive') {
    const simulation = peekingFalsePositiveRate({ looks, alpha, seed, simulations });
    const critical = normalQuantile(1 - alpha / 2);
    return {
      looks,
      method,
      alpha,
      falsePositiveRate: simulation.rejectionRate,
      standardError: simulation.standardError,
      simulations: simulation.simulations,
      zBoundaries: Array.from({ length: looks }, () => critical),
      nominalAlphas: Array.from({ length: looks }, () => alpha),
    };
  }
  const bounds = sequentialBoundaries(looks, method, {
    alpha,
    simulations: PEEKING_BOUNDARY_SIMULATIONS,
  });
  const simulation = simulateSequentialTest(bounds.zBoundaries, { seed, simulations });
  return {
    looks,
    method,
    alpha,
    falsePositiveRate: simulation.rejectionRate,
    standardError: simulation.standardError,
    simulations: simulation.simulations,
    zBoundaries: Array.from(bounds.zBoundaries),
    nominalAlphas: Array.from(bounds.nominalAlphas),
  };
}

/** The false-positive rate of each method at k = 1 … maxLooks looks. */
export interface PeekingCurve {
  alpha: number;
  /** 1, 2, …, maxLooks. */
  looks: number[];
  /** Per method, the false-positive rate at each entry of `looks`. */
  rates: Record<PeekingMethod, number[]>;
  /** Per method, the Monte Carlo standard error of each rate. */
  standardErrors: Record<PeekingMethod, number[]>;
  /** Simulated tests per point. */
  simulations: number;
}

/**
 * {@link peekingPoint} for every method and every k = 1 … maxLooks (default
 * {@link PEEKING_MAX_LOOKS}); about 1.2 million simulated tests with the defaults, so call it
 * from a worker.
 */
export function peekingCurve(options: {
  alpha: number;
  seed: number;
  maxLooks?: number;
  simulations?: number;
}): PeekingCurve {
  const maxLooks = options.maxLooks ?? PEEKING_MAX_LOOKS;
  const looks = Array.from({ length: maxLooks }, (_, i) => i + 1);
  const rates = {} as Record<PeekingMethod, number[]>;
  const standardErrors = {} as Record<PeekingMethod, number[]>;
  let simulations = 0;
  for (const method of PEEKING_METHODS) {
    const points = looks.map((k) =>
      peekingPoint({
        looks: k,
        method,
        alpha: options.alpha,
        seed: options.seed,
        ...(options.simulations === undefined ? {} : { simulations: options.simulations }),
      }),
    );
    rates[method] = points.map((p) => p.falsePositiveRate);
    standardErrors[method] = points.map((p) => p.standardError);
    simulations = points[0]?.simulations ?? 0;
  }
  return { alpha: options.alpha, looks, rates, standardErrors, simulations };
}
