/**
 * The exercise framework over every sandbox kind: each kind's description agrees with itself
 * (defaults parse, state paths are what its state function writes, the state is deterministic),
 * and exercise files in a simulation sandbox are validated against that sandbox's inputs and
 * state, with receipts verified by recomputing the state.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SANDBOX_KINDS, findSandboxKind, sandboxKind } from '@lib/exercises/kinds/index';
import { returnsKind } from '@lib/exercises/kinds/returns';
import { parseExerciseFile } from '@lib/exercises/load';
import { createReceipt, verifyReceipt } from '@lib/exercises/receipts';
import { createSimulationReplay, simulationState } from '@lib/exercises/replay-simulation';
import { exerciseFieldAt } from '@lib/exercises/schema';
import { deriveVariant } from '@lib/exercises/variants';
import { scenarioFor } from '@lib/exercises/exercise-inputs';

describe.each(SANDBOX_KINDS.map((kind) => [kind.id, kind] as const))(
  'sandbox kind %s',
  (id, kind) => {
    it('is found by its id and describes every input', () => {
      expect(sandboxKind(id)).toBe(kind);
      for (const key of Object.keys(kind.inputsSchema.shape)) {
        expect(kind.inputDescriptions[key], key).toMatch(/\w{3}/);
      }
      for (const input of kind.paramInputs) {
        expect(Object.keys(kind.inputsSchema.shape), input).toContain(input);
      }
    });

    it('accepts its own defaults and refuses an unknown input', () => {
      expect(kind.parseInputs({})).toEqual(kind.defaults);
      expect(() => kind.parseInputs({ noSuchInput: 1 })).toThrow();
    });

    it.runIf(kind.stateOf !== undefined)(
      'writes exactly its state paths, deterministically, with its inputs under input.*',
      () => {
        const inputs = kind.parseInputs({});
        const first = kind.stateOf!(inputs);
        const second = kind.stateOf!(kind.parseInputs({}));
        expect(Object.keys(first).sort()).toEqual([...kind.statePaths]);
        expect(second).toEqual(first);
        for (const [key, value] of Object.entries(inputs)) {
          if (typeof value === 'number' || typeof value === 'string')
            expect(first[`input.${key}`], key).toBe(value);
        }
        for (const value of Object.values(first)) {
          if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
        }
      },
    );
  },
);

describe('the kind registry', () => {
  it('names an unknown sandbox and the known ones', () => {
    expect(findSandboxKind('nope')).toBeUndefined();
    expect(() => sandboxKind('nope')).toThrow(
      /unknown sandbox "nope" — expected one of training, ads, returns, take-rate, batch-online, ab-test/,
    );
  });
});

const RETURNS_EXERCISE = {
  id: 'cheap-build',
  title: 'Build it cheaply',
  lesson: 'lessons/05-realistic-returns',
  sandbox: 'returns',
  summary: 'Make the median month profitable.',
  scenario: {
    seed: 3,
    'buildCostUsd.low': 500000,
    'buildCostUsd.likely': 500000,
    'buildCostUsd.high': 500000,
  },
  params: {
    seed: { default: 3, min: 1, max: 50, step: 1, input: 'seed' },
    target: { default: 0, min: 0, max: 1000, step: 500 },
  },
  goal: { all: ['net.medianUsdPerMonth >= $target', 'input.buildCostUsd.likely >= 100000'] },
  hints: ['Lower the build cost.'],
  explanation: 'Costs count.',
  solution: {
    'buildCostUsd.low': 100000,
    'buildCostUsd.likely': 100000,
    'buildCostUsd.high': 100000,
  },
};

const FILE = 'content/exercises/cheap-build.yaml';
const parseWith = (changes: Record<string, unknown>) =>
  parseExerciseFile(FILE, stringify({ ...RETURNS_EXERCISE, ...changes }));
const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return '';
};

describe('an exercise in the returns sandbox', () => {
  it('parses, with the simulation tolerance by default', () => {
    const exercise = parseWith({});
    expect(exercise.sandbox).toBe('returns');
    expect(exercise.tolerance.absolute).toBe(1e-9);
    expect(exercise.tolerance.exactOn).toEqual([]);
  });

  it('loads the returns defaults under its scenario and variant', () => {
    const exercise = parseWith({});
    const inputs = scenarioFor(exercise, deriveVariant(exercise, 'carol'));
    expect(inputs['buildCostUsd.likely']).toBe(500000);
    expect(inputs['trafficPerMonth.likely']).toBe(returnsKind.defaults['trafficPerMonth.likely']);
    expect(inputs['seed']).toBe(deriveVariant(exercise, 'carol').params['seed']);
  });

  it('refuses a scenario the sandbox refuses (low above likely), naming the field', () => {
    const message = messageOf(() =>
      parseWith({ scenario: { ...RETURNS_EXERCISE.scenario, 'buildCostUsd.low': 600000 } }),
    );
    expect(message).toMatch(
      /scenario: the returns sandbox refuses these inputs: .*buildCostUsd.*low ≤ likely ≤ high/,
    );
  });

  it('refuses an unknown input, a training input and an unknown state path', () => {
    expect(messageOf(() => parseWith({ solution: { buildCost: 1 } }))).toMatch(
      /solution.buildCost: unknown field "buildCost"/,
    );
    expect(
      messageOf(() =>
        parseWith({ params: { seed: { default: 3, min: 1, max: 50, step: 1, input: 'epochs' } } }),
      ),
    ).toMatch(/params.seed.input: "epochs" is not a numeric input of the returns sandbox/);
    expect(messageOf(() => parseWith({ goal: 'validation.rocAuc >= 0.9' }))).toMatch(
      /unknown path "validation.rocAuc" — expected a path of the returns sandbox's state/,
    );
  });

  it('describes its scenario fields from the returns inputs', () => {
    expect(exerciseFieldAt(['scenario', 'seed'], 'returns').description).toMatch(
      /Required.*Monte Carlo/,
    );
    expect(exerciseFieldAt(['scenario'], 'returns').keys).toContain('buildCostUsd.likely');
  });

  it('gives receipts that verify by recomputing, and catches an invented result', async () => {
    const exercise = parseWith({});
    const variant = deriveVariant(exercise, null);
    const inputs = { ...scenarioFor(exercise, variant), ...RETURNS_EXERCISE.solution };
    const state = simulationState('returns', inputs);
    const receipt = await createReceipt({
      exercise,
      variant,
      inputs,
      state,
      backend: 'js',
      appVersion: 'test',
      now: new Date('2026-11-27T12:00:00Z'),
    });
    expect(receipt.passed).toBe(true);
    const replay = createSimulationReplay('returns');
    expect(await verifyReceipt(receipt, exercise, replay)).toEqual({
      ok: true,
      replayBackend: 'js',
      exact: false,
    });
    const forged = {
      ...receipt,
      results: {
        ...receipt.results,
        'net.p95UsdPerMonth': (state['net.p95UsdPerMonth'] as number) + 1,
      },
    };
    const verdict = await verifyReceipt(forged, exercise, replay);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(/net.p95UsdPerMonth.*does not reproduce/);
  });

  it('cannot be replayed by a sandbox without a state function', () => {
    expect(() => simulationState('training', {})).toThrow(/not a simulation/);
  });
});
