/**
 * How closely a reproduced run must match its record: the exercise framework's default
 * tolerances (`exercises/tolerances.ts`, where their reasons are given), in the shape of
 * `ExerciseTolerance`, so receipts' `toleranceFor` and `valuesAgree` apply unchanged.
 */
import type { ExerciseTolerance } from '../exercises/schema';
import { DEFAULT_SIMULATION_TOLERANCE, DEFAULT_TRAINING_TOLERANCE } from '../exercises/tolerances';

/**
 * Backends that compute bit-identically on every machine: tfjs's plain-JavaScript `cpu` backend,
 * and `js`, the label of simulations computed in plain JavaScript without tfjs.
 */
export const DETERMINISTIC_BACKENDS: readonly string[] = ['cpu', 'js'];

/** Backends that run on the GPU, whose floating point differs between devices and drivers. */
export const GPU_BACKENDS: readonly string[] = ['webgl', 'webgpu'];

/** Tolerance for training runs: the training exercises' (metrics ±0.03, recall/precision/F1 ±0.05). */
export const RUN_TRAINING_TOLERANCE: ExerciseTolerance = DEFAULT_TRAINING_TOLERANCE;

/** Tolerance for simulation runs: plain JavaScript, so agreement to rounding error (1e-9). */
export const RUN_SIMULATION_TOLERANCE: ExerciseTolerance = DEFAULT_SIMULATION_TOLERANCE;

/** The tolerance for a sandbox's runs: training's for `training`, else the simulation one. */
export function runToleranceFor(sandbox: string): ExerciseTolerance {
  return sandbox === 'training' ? RUN_TRAINING_TOLERANCE : RUN_SIMULATION_TOLERANCE;
}
