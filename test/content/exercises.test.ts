/**
 * Every exercise file validates, and every exercise is solvable: its reference solution,
 * replayed in Node (training on the CPU backend; simulations by their `stateOf`), passes its own
 * checks for the default variant and for the codes 'alice' and 'bob'; the starting scenario does
 * not already pass; and a receipt made from the solution's run verifies by a second replay.
 * Simulation exercises are cheap, so up to 25 variants spread over their grids are also solved.
 *
 * Set EXERCISE_SWEEP=1 to also replay the solution for every value of every parameter that sets
 * a sandbox input (e.g. all 200 seeds) and grade it against every combination of the other
 * parameters: minutes of CPU, for when an exercise or the training code changes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import type { BackendLoaders } from '@lib/compute/backends';
import { evaluateGoal, goalChecklist } from '@lib/exercises/checks';
import { createRng } from '@lib/random';
import { loadAllExercises } from '@lib/exercises/load';
import { createReceipt, verifyReceipt } from '@lib/exercises/receipts';
import { createTrainingReplay, replayTraining } from '@lib/exercises/replay-training';
import {
  SIMULATION_BACKEND,
  createSimulationReplay,
  simulationState,
} from '@lib/exercises/replay-simulation';
import type { FlatState } from '@lib/exercises/receipt-schema';
import type { Exercise } from '@lib/exercises/schema';
import { deriveVariant, parameterGrid, type Variant } from '@lib/exercises/variants';
import { scenarioFor, solutionFor } from '@lib/exercises/exercise-inputs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const exercisesDir = join(repoRoot, 'content', 'exercises');

const refuse = async (): Promise<never> => {
  throw new Error('only the CPU backend in this test');
};
const cpuOnly: BackendLoaders = {
  cpu: async () => {},
  wasm: refuse,
  webgl: refuse,
  webgpu: refuse,
};

const CODES = [null, 'alice', 'bob'] as const;

/** Runs an exercise's sandbox on these inputs, as a replay would. */
async function runSandbox(
  exercise: Exercise,
  inputs: Record<string, unknown>,
): Promise<{ state: FlatState; backend: string }> {
  if (exercise.sandbox === 'training') return replayTraining(inputs, cpuOnly);
  return { state: simulationState(exercise.sandbox, inputs), backend: SIMULATION_BACKEND };
}

/** Failing checks of a graded state, one line each, for readable assertion messages. */
function failures(
  exercise: Exercise,
  state: Parameters<typeof evaluateGoal>[1],
  variant: Variant,
): string {
  const evaluation = evaluateGoal(exercise.goal, state, variant.params);
  if (evaluation.passed) return '';
  return goalChecklist(evaluation)
    .filter((result) => !result.passed)
    .map((result) => `${result.label}: ${result.reason}`)
    .join('; ');
}

const files = readdirSync(exercisesDir).filter((name) => /\.ya?ml$/.test(name));
let exercises: Exercise[] = [];

beforeAll(() => {
  exercises = loadAllExercises(exercisesDir);
});

describe('exercise files', () => {
  it('all parse, one exercise per file, at least three', () => {
    expect(exercises.map((e) => `${e.id}.yaml`).sort()).toEqual([...files].sort());
    expect(exercises.length).toBeGreaterThanOrEqual(3);
  });

  it('each belongs to a lesson that exists', () => {
    for (const exercise of exercises) {
      const lesson = join(repoRoot, 'content', 'docs', `${exercise.lesson}.mdx`);
      expect(existsSync(lesson), `${exercise.id}: ${exercise.lesson}`).toBe(true);
    }
  });
});

describe.each(files.map((name) => name.replace(/\.ya?ml$/, '')))('exercise %s', (id) => {
  const exercise = (): Exercise => {
    const found = exercises.find((e) => e.id === id);
    if (!found) throw new Error(`no exercise ${id}`);
    return found;
  };

  it('does not pass with its starting scenario', async () => {
    const variant = deriveVariant(exercise(), null);
    const { state } = await runSandbox(exercise(), { ...scenarioFor(exercise(), variant) });
    expect(evaluateGoal(exercise().goal, state, variant.params).passed).toBe(false);
    console.info(`${id} [start] fails as it should: ${failures(exercise(), state, variant)}`);
  });

  it.each(CODES)(
    'is solved by its reference solution for code %s, and its receipt verifies',
    async (code) => {
      const variant = deriveVariant(exercise(), code);
      const inputs = { ...solutionFor(exercise(), variant) };
      const started = performance.now();
      const run = await runSandbox(exercise(), inputs);
      const trainingMs = performance.now() - started;
      const training = exercise().sandbox === 'training';
      expect(run.backend).toBe(training ? 'cpu' : SIMULATION_BACKEND);
      expect(failures(exercise(), run.state, variant)).toBe('');

      const receipt = await createReceipt({
        exercise: exercise(),
        variant,
        inputs,
        state: run.state,
        passed: true,
        backend: run.backend,
        appVersion: 'test',
        now: new Date('2026-11-02T12:00:00Z'),
      });
      const verdict = await verifyReceipt(
        JSON.parse(JSON.stringify(receipt)),
        exercise(),
        training ? createTrainingReplay(cpuOnly) : createSimulationReplay(exercise().sandbox),
      );
      expect(verdict).toEqual(
        training
          ? { ok: true, replayBackend: 'cpu', exact: true }
          : { ok: true, replayBackend: SIMULATION_BACKEND, exact: false },
      );
      console.info(
        `${id} [${code ?? 'default'}] ${JSON.stringify(variant.params)}: ` +
          `${evaluateGoal(exercise().goal, run.state, variant.params)
            .results.map((r) => `${r.check} → ${String(r.actual)}`)
            .join(', ')} (${trainingMs.toFixed(0)} ms)`,
      );
    },
  );
});

/** Every combination of the given parameters' grids. */
function combinations(grids: [string, number[]][]): Record<string, number>[] {
  return grids.reduce<Record<string, number>[]>(
    (acc, [name, values]) =>
      acc.flatMap((combo) => values.map((value) => ({ ...combo, [name]: value }))),
    [{}],
  );
}

/** `count` items drawn without replacement by a seeded PRNG (all of them when fewer), in order. */
function sample<T>(items: T[], count: number, seed: string): T[] {
  if (items.length <= count) return items;
  const rng = createRng(seed);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(rng.int(0, items.length));
  return [...picked].sort((a, b) => a - b).map((index) => items[index] as T);
}

const SWEEP = process.env['EXERCISE_SWEEP'] === '1';

describe('every variant is solvable (sweep: all of them with EXERCISE_SWEEP=1, else 25 per simulation exercise)', () => {
  // Which sandbox a file uses, read from its text: the files are parsed in beforeAll.
  const simulation = (name: string): boolean =>
    !/^sandbox:\s*training\s*$/m.test(readFileSync(join(exercisesDir, name), 'utf8'));
  const ids = files
    .filter((name) => SWEEP || simulation(name))
    .map((name) => name.replace(/\.ya?ml$/, ''));
  it.each(ids)(
    '%s',
    async (id) => {
      const exercise = exercises.find((e) => e.id === id) as Exercise;
      const params = Object.entries(exercise.params ?? {});
      const inputGrids = params
        .filter(([, p]) => p.input !== undefined)
        .map(([n, p]) => [n, parameterGrid(p)] as [string, number[]]);
      const checkGrids = params
        .filter(([, p]) => p.input === undefined)
        .map(([n, p]) => [n, parameterGrid(p)] as [string, number[]]);
      const unsolved: string[] = [];
      const margins: Record<string, number[]> = {};
      const all = combinations(inputGrids);
      for (const inputCombo of SWEEP ? all : sample(all, 25, `sweep/${id}`)) {
        const base = deriveVariant(exercise, null);
        const variant: Variant = { code: 'sweep', params: { ...base.params, ...inputCombo } };
        const { state } = await runSandbox(exercise, { ...solutionFor(exercise, variant) });
        for (const result of evaluateGoal(exercise.goal, state, variant.params).results) {
          if (typeof result.actual === 'number') (margins[result.check] ??= []).push(result.actual);
        }
        for (const checkCombo of combinations(checkGrids)) {
          const graded = { ...variant.params, ...checkCombo };
          const why = failures(exercise, state, { code: 'sweep', params: graded });
          if (why) unsolved.push(`${JSON.stringify(graded)}: ${why}`);
        }
      }
      for (const [check, values] of Object.entries(margins)) {
        console.info(
          `${id}: ${check}: min ${Math.min(...values).toFixed(4)}, max ${Math.max(...values).toFixed(4)}`,
        );
      }
      expect(unsolved).toEqual([]);
    },
    3_600_000,
  );
});
