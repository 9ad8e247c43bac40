/**
 * Shared fixtures of the assignment tests: the course's real exercises (read from
 * content/exercises) and real receipts made by running a real simulation sandbox on an
 * exercise's reference solution, exactly as the page does when a student submits.
 */
import { fileURLToPath } from 'node:url';
import { solutionFor, scenarioFor } from '@lib/exercises/exercise-inputs';
import { loadAllExercises } from '@lib/exercises/load';
import type { Receipt } from '@lib/exercises/receipt-schema';
import { createReceipt, type ReplayFunction } from '@lib/exercises/receipts';
import { createSimulationReplay, simulationState } from '@lib/exercises/replay-simulation';
import type { Exercise } from '@lib/exercises/schema';
import { deriveVariant } from '@lib/exercises/variants';

const exercisesDir = fileURLToPath(new URL('../../content/exercises', import.meta.url));

/** Every exercise of the course, by id. */
export const exercises: Record<string, Exercise> = Object.fromEntries(
  loadAllExercises(exercisesDir).map((exercise) => [exercise.id, exercise]),
);

/** The ids of every exercise of the course. */
export const knownIds: ReadonlySet<string> = new Set(Object.keys(exercises));

/** The exercise with this id (throws when the course has none). */
export function exercise(id: string): Exercise {
  const found = exercises[id];
  if (!found) throw new Error(`no exercise ${id}`);
  return found;
}

/**
 * A receipt for `id` made with `code`: the reference solution (passes) or the untouched scenario
 * (`solved: false`, fails), run in the real sandbox state function.
 */
export async function realReceipt(
  id: string,
  code: string | null,
  { solved = true, at = '2026-11-27T10:00:00.000Z' }: { solved?: boolean; at?: string } = {},
): Promise<Receipt> {
  const ex = exercise(id);
  const variant = deriveVariant(ex, code);
  const inputs = solved ? solutionFor(ex, variant) : scenarioFor(ex, variant);
  return createReceipt({
    exercise: ex,
    variant,
    inputs,
    state: simulationState(ex.sandbox, inputs),
    backend: 'js',
    appVersion: '0.1.0',
    now: new Date(at),
  });
}

/** The real simulation replay for a sandbox (the function the page runs in its replay worker). */
export function replayFor(sandbox: string): ReplayFunction {
  return createSimulationReplay(sandbox);
}
