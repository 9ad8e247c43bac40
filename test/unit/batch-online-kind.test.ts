/**
 * The batch-vs-online sandbox as an exercise kind, and its two exercises: each is solved by its
 * reference solution (for the default variant, a spread of seeds and every latency budget) and
 * not by its starting scenario.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { simulateBatchOnlineDay } from '@lib/business/batch-vs-online';
import { evaluateGoal, goalChecks, parseCheck, type GoalNode } from '@lib/exercises/checks';
import {
  BATCH_ONLINE_DEFAULTS,
  batchOnlineKind,
  batchOnlineView,
  simulationInputsOf,
  type BatchOnlineSandboxInputs,
} from '@lib/exercises/kinds/batch-online';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ExerciseFile {
  id: string;
  lesson: string;
  sandbox: string;
  scenario: Record<string, unknown>;
  params?: Record<
    string,
    { default: number; min: number; max: number; step?: number; input?: string }
  >;
  goal: GoalNode;
  hints: string[];
  solution: Record<string, unknown>;
}

function readExercise(id: string): ExerciseFile {
  const text = readFileSync(join(repoRoot, 'content', 'exercises', `${id}.yaml`), 'utf8');
  return parse(text) as ExerciseFile;
}

/** Parameter values on a grid: min, min + step, …, max. */
function grid(param: { min: number; max: number; step?: number }): number[] {
  const step = param.step ?? (param.max - param.min) / 100;
  const values: number[] = [];
  for (let v = param.min; v <= param.max + 1e-9; v += step) values.push(Number(v.toFixed(6)));
  return values;
}

/** The variant's parameters and the inputs it loads (parameters with `input:` set inputs). */
function variant(
  exercise: ExerciseFile,
  overrides: Record<string, number> = {},
): { params: Record<string, number>; inputs: Record<string, unknown> } {
  const params: Record<string, number> = {};
  const inputs: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(exercise.params ?? {})) {
    params[name] = overrides[name] ?? param.default;
    if (param.input) inputs[param.input] = params[name];
  }
  return { params, inputs };
}

function grade(
  exercise: ExerciseFile,
  inputs: Record<string, unknown>,
  params: Record<string, number>,
) {
  const state = batchOnlineKind.stateOf!(batchOnlineKind.parseInputs(inputs));
  return evaluateGoal(exercise.goal, state, params);
}

describe('batch-online kind', () => {
  it('parses the defaults and fills missing inputs from them', () => {
    expect(batchOnlineKind.parseInputs({})).toEqual(BATCH_ONLINE_DEFAULTS);
    expect(batchOnlineKind.parseInputs({ k: 2 }).k).toBe(2);
  });

  it('refuses bad inputs with a RangeError naming the field', () => {
    expect(() => batchOnlineKind.parseInputs({ k: 0 })).toThrow(/k = 0/);
    expect(() => batchOnlineKind.parseInputs({ k: 2.5 })).toThrow(RangeError);
    expect(() => batchOnlineKind.parseInputs({ intentShiftProbability: 0.6 })).toThrow(
      /intentShiftProbability/,
    );
    expect(() => batchOnlineKind.parseInputs({ onlineModel: 'huge' })).toThrow(/onlineModel/);
    expect(() => batchOnlineKind.parseInputs({ sessions: 3 })).toThrow(/unknown input "sessions"/);
    expect(() => batchOnlineKind.parseInputs({ users: Number.NaN })).toThrow(RangeError);
  });

  it('every numeric input a parameter may set exists, and describes itself', () => {
    for (const name of batchOnlineKind.paramInputs) {
      expect(typeof BATCH_ONLINE_DEFAULTS[name]).toBe('number');
    }
    for (const name of Object.keys(BATCH_ONLINE_DEFAULTS)) {
      expect(batchOnlineKind.inputDescriptions[name]?.length ?? 0).toBeGreaterThan(10);
    }
  });

  it('gives a deterministic state with every listed path and the inputs under input.*', () => {
    const inputs = batchOnlineKind.parseInputs({ seed: 5 });
    const state = batchOnlineKind.stateOf!(inputs);
    expect(batchOnlineKind.stateOf!(inputs)).toEqual(state);
    expect(Object.keys(state).sort()).toEqual([...batchOnlineKind.statePaths]);
    expect(state['input.seed']).toBe(5);
    expect(state['input.onlineModel']).toBe('medium');
    for (const value of Object.values(state)) {
      if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
    }
  });

  it('rounds the state from the simulated day, as the sandbox shows it', () => {
    const inputs: BatchOnlineSandboxInputs = { ...BATCH_ONLINE_DEFAULTS, seed: 2 };
    const { day, state } = batchOnlineView(inputs);
    expect(day).toEqual(simulateBatchOnlineDay(simulationInputsOf(inputs)));
    expect(state['online.relevance']).toBe(Math.round(day.online.relevance * 1000) / 1000);
    expect(state['batch.revenueUsdPerDay']).toBe(Math.round(day.batch.revenueUsdPerDay));
    expect(state['comparison.onlineNetGainUsdPerDay']).toBe(
      Math.round(day.online.netRevenueUsdPerDay - day.batch.netRevenueUsdPerDay),
    );
    expect(state['online.latencyP95Ms']).toBe(Math.round(day.online.latencyP95Ms));
  });

  it('halfShift is the same day with intent moving half as often', () => {
    const at = (p: number) =>
      batchOnlineKind.stateOf!(batchOnlineKind.parseInputs({ intentShiftProbability: p }));
    const full = at(0.1);
    const half = at(0.05);
    expect(full['halfShift.intentShiftProbability']).toBe(0.05);
    expect(full['halfShift.onlineNetGainUsdPerDay']).toBe(
      half['comparison.onlineNetGainUsdPerDay'],
    );
  });
});

describe.each(['when-online-pays', 'online-model-latency-budget'])('exercise %s', (id) => {
  const exercise = readExercise(id);

  it('is a batch-online exercise of lesson 3 whose checks read known paths', () => {
    expect(exercise.id).toBe(id);
    expect(exercise.sandbox).toBe(batchOnlineKind.id);
    expect(exercise.lesson).toBe('lessons/03-company-metrics');
    expect(exercise.hints.length).toBeGreaterThanOrEqual(1);
    expect(exercise.hints.length).toBeLessThanOrEqual(5);
    for (const { check } of goalChecks(exercise.goal)) {
      const parsed = parseCheck(check);
      expect(batchOnlineKind.statePaths).toContain(parsed.path);
      if (parsed.operand.kind === 'param') {
        expect(Object.keys(exercise.params ?? {})).toContain(parsed.operand.name);
      }
    }
    for (const param of Object.values(exercise.params ?? {})) {
      if (param.input) expect(batchOnlineKind.paramInputs).toContain(param.input);
    }
    // The scenario and solution are valid inputs.
    expect(() =>
      batchOnlineKind.parseInputs({ ...exercise.scenario, ...exercise.solution }),
    ).not.toThrow();
  });

  it('does not pass with its starting scenario', () => {
    const { params, inputs } = variant(exercise);
    expect(grade(exercise, { ...exercise.scenario, ...inputs }, params).passed).toBe(false);
  });

  it('is solved by its reference solution for the default variant', () => {
    const { params, inputs } = variant(exercise);
    const result = grade(
      exercise,
      { ...exercise.scenario, ...exercise.solution, ...inputs },
      params,
    );
    expect(result.results.filter((r) => !r.passed).map((r) => `${r.label}: ${r.reason}`)).toEqual(
      [],
    );
    expect(result.passed).toBe(true);
  });

  it('is solved for a spread of seeds and every value of the other parameters', () => {
    const params = exercise.params ?? {};
    const seeds = [1, 37, 74, 111, 148, 200];
    for (const seed of seeds) {
      const others = Object.entries(params).filter(([name]) => name !== 'seed');
      const combos: Record<string, number>[] = [{}];
      for (const [name, param] of others) {
        const next: Record<string, number>[] = [];
        for (const combo of combos)
          for (const value of grid(param)) next.push({ ...combo, [name]: value });
        combos.splice(0, combos.length, ...next);
      }
      // The state depends on the seed only; the other parameters are numbers for checks.
      const { inputs } = variant(exercise, { seed });
      const state = batchOnlineKind.stateOf!(
        batchOnlineKind.parseInputs({ ...exercise.scenario, ...exercise.solution, ...inputs }),
      );
      for (const combo of combos) {
        const { params: values } = variant(exercise, { seed, ...combo });
        expect(
          evaluateGoal(exercise.goal, state, values).passed,
          `seed ${seed} ${JSON.stringify(combo)}`,
        ).toBe(true);
      }
    }
  });
});

describe('the exercises need thought, not one click', () => {
  it('when-online-pays: a high chance of moves pays but fails the half check; a tiny one loses', () => {
    const exercise = readExercise('when-online-pays');
    const { params, inputs } = variant(exercise);
    const at = (p: number) =>
      grade(exercise, { ...exercise.scenario, ...inputs, intentShiftProbability: p }, params);
    expect(at(0.5).passed).toBe(false);
    expect(at(0.02).passed).toBe(false);
    expect(at(0.05).passed).toBe(true);
  });

  it('online-model-latency-budget: only the medium model passes', () => {
    const exercise = readExercise('online-model-latency-budget');
    const { params, inputs } = variant(exercise);
    const passes = (onlineModel: string) =>
      grade(exercise, { ...exercise.scenario, ...inputs, onlineModel }, params).passed;
    expect(passes('small')).toBe(false);
    expect(passes('medium')).toBe(true);
    expect(passes('large')).toBe(false);
  });
});
