/**
 * An exercise's starting inputs and its reference solution for a variant, over the defaults of
 * the exercise's own sandbox (looked up in the kind registry, which bundles every sandbox's
 * engine: Node, tests and tools use this; the page passes the defaults to `scenarioOver`).
 */
import { sandboxKind } from './kinds/index';
import type { Exercise } from './schema';
import { scenarioOver, solutionOver, type SandboxInputs, type Variant } from './variants';

/** The inputs the sandbox loads for a variant (see `scenarioOver`). */
export function scenarioFor(
  exercise: Pick<Exercise, 'sandbox' | 'scenario' | 'params'>,
  variant: Variant,
): SandboxInputs {
  return scenarioOver(sandboxKind(exercise.sandbox).defaults, exercise, variant);
}

/** The inputs of the reference solution for a variant (see `solutionOver`). */
export function solutionFor(
  exercise: Pick<Exercise, 'sandbox' | 'scenario' | 'params' | 'solution'>,
  variant: Variant,
): SandboxInputs {
  return solutionOver(sandboxKind(exercise.sandbox).defaults, exercise, variant);
}
