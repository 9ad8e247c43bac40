import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  CheckSyntaxError,
  describeCheck,
  describePath,
  evaluateCheck,
  evaluateGoal,
  goalChecklist,
  goalChecks,
  parseCheck,
  tryParseCheck,
  type GoalNode,
} from '@lib/exercises/checks';
import { exerciseIdFromFileName, formatIssuePath, parseExerciseFile } from '@lib/exercises/load';
import type { FlatState, Receipt } from '@lib/exercises/receipt-schema';
import {
  canonicalJson,
  createReceipt,
  hashInputs,
  sha256Hex,
  toleranceFor,
  valuesAgree,
  verifyReceipt,
  type ReplayFunction,
} from '@lib/exercises/receipts';
import { TRAINING_STATE_PATHS, exerciseFieldAt, type Exercise } from '@lib/exercises/schema';
import {
  deriveVariant,
  normaliseCode,
  parameterGrid,
  variantInputs,
} from '@lib/exercises/variants';
import { scenarioFor, solutionFor } from '@lib/exercises/exercise-inputs';

const FILE = 'content/exercises/good-one.yaml';

const GOOD_YAML = `
id: good-one
title: Beat the baseline
lesson: lessons/02-ml-vs-business-metrics
sandbox: training
summary: Reach a validation ROC AUC of at least the target with a logistic regression.
scenario:
  model: logistic
  rows: 10000
  epochs: 2
  learningRate: 0.001
  seed: 7
params:
  seed:
    default: 7
    min: 1
    max: 200
    step: 1
    input: seed
  target:
    default: 0.85
    min: 0.8
    max: 0.9
    step: 0.01
    label: Target ROC AUC
goal:
  all:
    - { check: "settings.model == 'logistic'", label: Use logistic regression }
    - validation.rocAuc >= $target
    - any:
        - confusion.falsePositiveRate <= 0.05
        - validation.recall >= 0.5
hints:
  - Look at the learning rate first.
  - Ten epochs at 0.05 is plenty.
explanation: A straight line through the features already ranks most frauds above most honest payments.
solution:
  learningRate: 0.05
  epochs: 10
`;

const good = (): Exercise => parseExerciseFile(FILE, GOOD_YAML);

/** The good file with one change, as YAML text. */
function mutated(change: (doc: Record<string, unknown>) => void): string {
  const doc = parse(GOOD_YAML) as Record<string, unknown>;
  change(doc);
  return stringify(doc);
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected an error');
}

describe('exercise schema and loader', () => {
  it('parses a good file and fills in the default tolerance', () => {
    const exercise = good();
    expect(exercise.id).toBe('good-one');
    expect(exercise.sandbox).toBe('training');
    expect(exercise.scenario).toMatchObject({ model: 'logistic', seed: 7 });
    expect(exercise.params?.['target']).toMatchObject({ default: 0.85, step: 0.01 });
    expect(exercise.tolerance.absolute).toBe(0.03);
    expect(exercise.tolerance.ignore).toContain('run.backend');
    expect(exercise.hints).toHaveLength(2);
    // Plain data: survives a JSON round trip unchanged (Astro passes it to an island as a prop).
    expect(JSON.parse(JSON.stringify(exercise))).toEqual(exercise);
  });

  it('names the id after the file, whatever the folder', () => {
    expect(exerciseIdFromFileName('/content/exercises/a-b.yaml')).toBe('a-b');
    expect(exerciseIdFromFileName('c:\\x\\a-b.yml')).toBe('a-b');
    expect(formatIssuePath(['goal', 'all', 1, 'check'])).toBe('goal.all[1].check');
    expect(formatIssuePath([])).toBe('(top level)');
  });

  it('knows the training state paths and describes every field', () => {
    expect(TRAINING_STATE_PATHS).toContain('validation.rocAuc');
    expect(TRAINING_STATE_PATHS).toContain('confusion.falsePositiveRate');
    expect(TRAINING_STATE_PATHS).toContain('settings.model');
    for (const field of [
      'id',
      'title',
      'lesson',
      'sandbox',
      'summary',
      'scenario',
      'params',
      'goal',
      'hints',
      'explanation',
      'solution',
      'tolerance',
    ]) {
      expect(exerciseFieldAt([field]).description, field).toMatch(/\w{4}/);
    }
    expect(exerciseFieldAt(['scenario', 'epochs']).description).toMatch(/1 to 200/);
    expect(exerciseFieldAt(['params', 'x', 'step']).description).toMatch(/grid/i);
    expect(exerciseFieldAt(['scenario']).keys).toContain('learningRate');
  });

  const badFiles: [string, string, RegExp[]][] = [
    [
      'an id that differs from the file name',
      mutated((d) => (d['id'] = 'other-one')),
      [/^content\/exercises\/good-one\.yaml: id: found "other-one" — expected "good-one"/],
    ],
    [
      'an id that is not kebab-case',
      mutated((d) => (d['id'] = 'Good_One')),
      [/good-one\.yaml: id: .*kebab-case/],
    ],
    [
      'a missing title',
      mutated((d) => delete d['title']),
      [/good-one\.yaml: title: missing — expected: Short title/],
    ],
    [
      'a lesson that is not a slug',
      mutated((d) => (d['lesson'] = '02-metrics')),
      [/good-one\.yaml: lesson: .*lessons\/02-ml-vs-business-metrics/],
    ],
    [
      'an unknown sandbox',
      mutated((d) => (d['sandbox'] = 'drift')),
      [/good-one\.yaml: sandbox: found string "drift" — expected one of training/],
    ],
    [
      'Markdown in the summary',
      mutated((d) => (d['summary'] = 'Reach **0.9** AUC.')),
      [/good-one\.yaml: summary: expected plain words .* without Markdown/],
    ],
    [
      'a misspelt scenario setting',
      mutated((d) => ((d['scenario'] as Record<string, unknown>)['learningrate'] = 0.1)),
      [
        /good-one\.yaml: scenario\.learningrate: unknown field "learningrate" \(did you mean learningRate\?\) — expected one of model, hiddenSizes/,
      ],
    ],
    [
      'a scenario value out of range',
      mutated((d) => ((d['scenario'] as Record<string, unknown>)['epochs'] = 500)),
      [/good-one\.yaml: scenario\.epochs: found number 500, .*whole number from 1 to 200/],
    ],
    [
      'a scenario without a seed',
      mutated((d) => delete (d['scenario'] as Record<string, unknown>)['seed']),
      [/good-one\.yaml: scenario\.seed: missing — expected: Required\./],
    ],
    [
      'an unknown model',
      mutated((d) => ((d['scenario'] as Record<string, unknown>)['model'] = 'svm')),
      [/good-one\.yaml: scenario\.model: found string "svm" — expected one of logistic, mlp/],
    ],
    [
      'an unknown operator',
      mutated((d) => ((d['goal'] as { all: unknown[] }).all[1] = 'validation.rocAuc => 0.9')),
      [
        /good-one\.yaml: goal\.all\[1\]: unknown operator "=>" — expected one of >=, <=, >, <, ==, != \(check "validation\.rocAuc => 0\.9"\)/,
      ],
    ],
    [
      'an unknown state path',
      mutated((d) => ((d['goal'] as { all: unknown[] }).all[1] = 'validation.rocAUC >= 0.9')),
      [
        /good-one\.yaml: goal\.all\[1\]: unknown path "validation\.rocAUC" .*did you mean validation\.rocAuc\?/,
      ],
    ],
    [
      'an undeclared parameter',
      mutated((d) => ((d['goal'] as { all: unknown[] }).all[1] = 'validation.rocAuc >= $goal')),
      [
        /good-one\.yaml: goal\.all\[1\]: unknown parameter \$goal .*expected one of \$seed, \$target/,
      ],
    ],
    [
      'a number comparison with text, deep in the tree',
      mutated(
        (d) =>
          ((((d['goal'] as { all: unknown[] }).all[2] as { any: unknown[] }).any as unknown[])[0] =
            "settings.model >= 'mlp'"),
      ),
      [/good-one\.yaml: goal\.all\[2\]\.any\[0\]: ">=" compares numbers, not strings/],
    ],
    [
      'a missing goal',
      mutated((d) => delete d['goal']),
      [/good-one\.yaml: goal: found nothing \(the field is missing\) — expected a check string/],
    ],
    [
      'a misspelt key in a goal node',
      mutated(
        (d) => ((d['goal'] as { all: unknown[] }).all[0] = { chek: 'validation.recall >= 0.5' }),
      ),
      [
        /good-one\.yaml: goal\.all\[0\]\.chek: unknown key "chek" — expected a check string, \{ check/,
      ],
    ],
    [
      'a goal node with both check and all',
      mutated((d) => (d['goal'] = { check: 'validation.recall >= 0.5', all: ['run.epochs >= 1'] })),
      [/good-one\.yaml: goal: found both check and all — use exactly one/],
    ],
    [
      'an empty any',
      mutated((d) => ((d['goal'] as { all: unknown[] }).all[2] = { any: [] })),
      [
        /good-one\.yaml: goal\.all\[2\]\.any: found an empty list — expected a non-empty list of goals/,
      ],
    ],
    ['no hints', mutated((d) => (d['hints'] = [])), [/good-one\.yaml: hints: .*at least 1 hint/]],
    [
      'six hints',
      mutated((d) => (d['hints'] = ['a', 'b', 'c', 'd', 'e', 'f'])),
      [/good-one\.yaml: hints: .*at most 5 hints/],
    ],
    [
      'a parameter default outside its range',
      mutated(
        (d) =>
          ((d['params'] as Record<string, Record<string, unknown>>)['target']!['default'] = 0.95),
      ),
      [
        /good-one\.yaml: params\.target\.default: 0\.95 lies outside \[0\.8, 0\.9\] — expected min ≤ default ≤ max/,
      ],
    ],
    [
      'a parameter max off its grid',
      mutated(
        (d) => ((d['params'] as Record<string, Record<string, unknown>>)['target']!['step'] = 0.03),
      ),
      [/good-one\.yaml: params\.target\.max: 0\.9 is not on the grid 0\.8 \+ k × 0\.03/],
    ],
    [
      'a seed parameter that can draw a fraction',
      mutated(
        (d) => ((d['params'] as Record<string, Record<string, unknown>>)['seed']!['step'] = 0.5),
      ),
      [
        /good-one\.yaml: params\.seed: can draw 1\.5, which seed does not accept — expected: Seed of the data/,
      ],
    ],
    [
      'a scenario seed that differs from the seed parameter default',
      mutated((d) => ((d['scenario'] as Record<string, unknown>)['seed'] = 8)),
      [/good-one\.yaml: params\.seed\.default: 7 differs from scenario\.seed = 8/],
    ],
    [
      'a solution that overrides the variant seed',
      mutated((d) => ((d['solution'] as Record<string, unknown>)['seed'] = 3)),
      [/good-one\.yaml: solution\.seed: is set by the variant parameter "seed"/],
    ],
    [
      'an unknown tolerance key',
      mutated((d) => (d['tolerance'] = { absolut: 0.1 })),
      [
        /good-one\.yaml: tolerance\.absolut: unknown field "absolut" — expected one of absolute, relative, paths, ignore/,
      ],
    ],
    [
      'broken YAML',
      'id: good-one\ntitle: [unclosed\n',
      [/good-one\.yaml: invalid YAML at line \d+, column \d+: .* — expected a YAML map/],
    ],
    ['an empty file', '', [/good-one\.yaml: the file is empty — expected a YAML map/]],
    [
      'a list instead of a map',
      '- id: good-one\n',
      [/good-one\.yaml: \(top level\): found a list|good-one\.yaml: \(top level\): .*expected/],
    ],
  ];

  it.each(badFiles)(
    'rejects %s, naming the file, the field and the expectation',
    (_name, text, patterns) => {
      const message = messageOf(() => parseExerciseFile(FILE, text));
      for (const pattern of patterns) expect(message).toMatch(pattern);
    },
  );

  it('lists every problem of a file, one per line', () => {
    const text = mutated((d) => {
      delete d['title'];
      (d['scenario'] as Record<string, unknown>)['epochs'] = 0;
    });
    const lines = messageOf(() => parseExerciseFile(FILE, text)).split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.startsWith(`${FILE}: `)).toBe(true);
  });
});

describe('check parser', () => {
  it('reads every operator and operand form', () => {
    expect(parseCheck('validation.rocAuc >= 0.92')).toEqual({
      source: 'validation.rocAuc >= 0.92',
      path: 'validation.rocAuc',
      operator: '>=',
      operand: { kind: 'number', value: 0.92 },
    });
    expect(parseCheck('a<=-1e-3').operand).toEqual({ kind: 'number', value: -0.001 });
    expect(parseCheck('a > .5').operator).toBe('>');
    expect(parseCheck('a < 5').operator).toBe('<');
    expect(parseCheck(`settings.model == 'logistic'`).operand).toEqual({
      kind: 'string',
      value: 'logistic',
    });
    expect(parseCheck('settings.model != "mlp"').operand).toEqual({ kind: 'string', value: 'mlp' });
    expect(parseCheck('x.flag == true').operand).toEqual({ kind: 'boolean', value: true });
    expect(parseCheck('x.flag == false').operand).toEqual({ kind: 'boolean', value: false });
    expect(parseCheck('validation.recall >= $minRecall').operand).toEqual({
      kind: 'param',
      name: 'minRecall',
    });
    expect(parseCheck('test.rocAuc >= validation.rocAuc').operand).toEqual({
      kind: 'path',
      path: 'validation.rocAuc',
    });
  });

  it.each([
    ['', /empty check/],
    ['validation.rocAuc', /no operator after "validation\.rocAuc"/],
    ['validation.rocAuc => 0.9', /unknown operator "=>" — expected one of >=, <=, >, <, ==, !=/],
    ['validation.rocAuc = 0.9', /unknown operator "="/],
    ['validation.rocAuc >=', /nothing after ">="/],
    ['validation.rocAuc >= 0.9 0.8', /cannot read the value "0\.9 0\.8"/],
    [`settings.model == 'mlp`, /unterminated string/],
    ['$x >= 1', /"\$x" is not a state path/],
    ['settings.model > "mlp"', /">" compares numbers, not strings/],
    ['a.b >= true', /compares numbers, not booleans/],
  ])('refuses %j', (text, pattern) => {
    expect(() => parseCheck(text)).toThrow(CheckSyntaxError);
    expect(() => parseCheck(text)).toThrow(pattern);
    const result = tryParseCheck(text);
    expect(result.ok).toBe(false);
  });

  it('names the check in the error', () => {
    expect(() => parseCheck('a => 1')).toThrow(/in check "a => 1"/);
  });

  it('lists the checks of a goal with their locations', () => {
    const goal: GoalNode = { all: ['a >= 1', { any: ['b >= 1', { check: 'c >= 1' }] }] };
    expect(goalChecks(goal)).toEqual([
      { check: 'a >= 1', at: 'all[0]' },
      { check: 'b >= 1', at: 'all[1].any[0]' },
      { check: 'c >= 1', at: 'all[1].any[1].check' },
    ]);
  });
});

describe('check evaluation', () => {
  const state: FlatState = {
    'validation.rocAuc': 0.93,
    'test.rocAuc': 0.91,
    'validation.recall': 0,
    'validation.prAuc': null,
    'confusion.falsePositiveRate': 0.01,
    'settings.model': 'logistic',
    'settings.epochs': 10,
  };

  it('compares numbers, strings and parameters', () => {
    expect(evaluateCheck('validation.rocAuc >= 0.92', state).passed).toBe(true);
    expect(evaluateCheck('validation.rocAuc > 0.93', state).passed).toBe(false);
    expect(evaluateCheck('validation.rocAuc <= 0.93', state).passed).toBe(true);
    expect(evaluateCheck('validation.rocAuc < 0.93', state).passed).toBe(false);
    expect(evaluateCheck('settings.epochs == 10', state).passed).toBe(true);
    expect(evaluateCheck('settings.epochs != 10', state).passed).toBe(false);
    expect(evaluateCheck("settings.model == 'logistic'", state).passed).toBe(true);
    expect(evaluateCheck("settings.model == 'mlp'", state).passed).toBe(false);
    expect(evaluateCheck('settings.model == 10', state).passed).toBe(false);
    const withParam = evaluateCheck('validation.rocAuc >= $target', state, { target: 0.95 });
    expect(withParam).toMatchObject({ passed: false, actual: 0.93, expected: 0.95 });
    expect(withParam.reason).toBe('ROC AUC (validation) is 0.93, which is below 0.95.');
    expect(withParam.label).toBe('ROC AUC (validation) ≥ 0.95');
  });

  it('compares two paths', () => {
    const result = evaluateCheck('test.rocAuc >= validation.rocAuc', state);
    expect(result).toMatchObject({ passed: false, actual: 0.91, expected: 0.93 });
    expect(evaluateCheck('validation.rocAuc > test.rocAuc', state).passed).toBe(true);
    expect(evaluateCheck('test.rocAuc >= validation.missing', state).reason).toMatch(
      /no value yet/,
    );
  });

  it('fails, with a reason, on missing paths, null values, unknown parameters and type mismatches', () => {
    expect(evaluateCheck('validation.f1 >= 0.5', state)).toMatchObject({
      passed: false,
      actual: null,
      reason: 'F1 score (validation) has no value yet — run the sandbox first.',
    });
    expect(evaluateCheck('validation.prAuc >= 0.5', state).reason).toBe(
      'PR AUC (validation) is undefined for this run.',
    );
    expect(evaluateCheck('validation.rocAuc >= $nope', state).reason).toBe(
      'Unknown variant parameter $nope.',
    );
    expect(evaluateCheck('settings.model >= 1', state).reason).toMatch(
      /cannot be compared as a number/,
    );
    // A failed != names the value it should not have been.
    expect(evaluateCheck("settings.model != 'logistic'", state).reason).toBe('Model is logistic.');
  });

  it('combines with all and any, and scores partial progress', () => {
    const goal: GoalNode = {
      all: [
        'validation.rocAuc >= 0.9',
        {
          any: [
            'validation.recall >= 0.5',
            { check: 'confusion.falsePositiveRate <= 0.02', label: 'Few false alarms' },
          ],
        },
      ],
    };
    const result = evaluateGoal(goal, state);
    expect(result.passed).toBe(true);
    expect(result.score).toBe(1);
    expect(result.results.map((r) => r.passed)).toEqual([true, false, true]);
    expect(result.results[2]?.label).toBe('Few false alarms');
    expect(result.root).toMatchObject({
      kind: 'all',
      passed: true,
      reason: '2 of 2 passed; all are needed.',
    });

    const failing = evaluateGoal(
      { all: ['validation.rocAuc >= 0.99', 'validation.recall <= 0.1'] },
      state,
    );
    expect(failing.passed).toBe(false);
    expect(failing.score).toBe(0.5);
    expect(
      evaluateGoal({ any: ['validation.rocAuc >= 0.99', 'validation.recall >= 0.5'] }, state)
        .passed,
    ).toBe(false);
    expect(evaluateGoal('validation.rocAuc >= 0.9', state).passed).toBe(true);
    expect(evaluateGoal('validation.rocAuc >= 0.9', {}).passed).toBe(false);
  });

  it('describes checks and paths in plain words', () => {
    expect(describeCheck('validation.rocAuc >= 0.92')).toBe('ROC AUC (validation) ≥ 0.92');
    expect(describeCheck('confusion.falsePositiveRate <= $maxFpr', { maxFpr: 0.02 })).toBe(
      'False-positive rate (validation, threshold 0.5) ≤ 0.02',
    );
    expect(describeCheck('confusion.falsePositiveRate <= $maxFpr')).toMatch(/≤ \$maxFpr$/);
    expect(describeCheck("settings.model == 'logistic'")).toBe('Model = logistic');
    expect(describeCheck('test.rocAuc != validation.rocAuc')).toBe(
      'ROC AUC (test) ≠ ROC AUC (validation)',
    );
    expect(describePath('unknown.thing')).toBe('unknown.thing');
    for (const path of TRAINING_STATE_PATHS) expect(describePath(path), path).not.toBe(path);
  });
});

describe('variants', () => {
  const exercise = good();

  it('gives the defaults without a code', () => {
    for (const code of [null, '', '   ']) {
      expect(deriveVariant(exercise, code)).toEqual({
        code: null,
        params: { seed: 7, target: 0.85 },
      });
    }
    expect(deriveVariant({ id: 'x', params: undefined }, 'alice')).toEqual({
      code: 'alice',
      params: {},
    });
  });

  it('is deterministic, and normalises the code', () => {
    const alice = deriveVariant(exercise, 'alice');
    expect(deriveVariant(exercise, 'alice')).toEqual(alice);
    expect(deriveVariant(exercise, '  ALICE ')).toEqual(alice);
    expect(normaliseCode(' Bob \t  Smith ')).toBe('bob smith');
    expect(normaliseCode('x'.repeat(150))).toHaveLength(100);
    expect(alice.code).toBe('alice');
    // The exercise id is part of the seed: one code gives different draws in different exercises.
    const other = deriveVariant({ ...exercise, id: 'other-one' }, 'alice');
    expect(other.params).not.toEqual(alice.params);
  });

  it('draws on the step grid within the range, and different codes mostly differ', () => {
    const codes = Array.from({ length: 300 }, (_, i) => `student-${i}`);
    const seen = new Set<string>();
    const seeds = new Set<number>();
    for (const code of codes) {
      const { params } = deriveVariant(exercise, code);
      const seed = params['seed'] as number;
      const target = params['target'] as number;
      expect(Number.isInteger(seed) && seed >= 1 && seed <= 200).toBe(true);
      expect(target).toBeGreaterThanOrEqual(0.8);
      expect(target).toBeLessThanOrEqual(0.9);
      expect(Math.round(target * 100) / 100).toBe(target); // on the 0.01 grid, no float noise
      seen.add(canonicalJson(params));
      seeds.add(seed);
    }
    // 200 seeds × 11 targets = 2,200 variants; 300 codes should nearly all differ.
    expect(seen.size).toBeGreaterThan(280);
    // And the draws cover the range rather than clustering.
    expect(seeds.size).toBeGreaterThan(140);
  });

  it('lists grids without float noise', () => {
    expect(parameterGrid({ min: 0.1, max: 0.5, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(parameterGrid({ min: 1, max: 3, step: 1 })).toEqual([1, 2, 3]);
    expect(parameterGrid({ min: 0, max: 1, step: undefined })).toHaveLength(101);
    expect(parameterGrid({ min: 2, max: 2, step: 1 })).toEqual([2]);
  });

  it('applies parameters that set inputs to the scenario and the solution', () => {
    const variant = deriveVariant(exercise, 'bob');
    expect(variantInputs(exercise, variant)).toEqual({ seed: variant.params['seed'] });
    const scenario = scenarioFor(exercise, variant);
    expect(scenario).toMatchObject({
      model: 'logistic',
      rows: 10000,
      epochs: 2,
      seed: variant.params['seed'],
    });
    expect(scenario.hiddenSizes).toEqual([32, 16]); // the sandbox default fills the rest
    const solution = solutionFor(exercise, variant);
    expect(solution).toMatchObject({
      learningRate: 0.05,
      epochs: 10,
      seed: variant.params['seed'],
    });
    expect(scenarioFor(exercise, deriveVariant(exercise, null)).seed).toBe(7);
  });
});

describe('receipts', () => {
  const exercise = good();

  it('writes canonical JSON: sorted keys at every depth, stable, no undefined', () => {
    const a = canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined });
    const b = canonicalJson({ a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([null, true, 'é', 1e-7])).toBe('[null,true,"é",1e-7]');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/\$\.x is NaN/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });

  it('hashes with SHA-256', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const base = {
      exerciseId: 'x',
      sandbox: 'training',
      variant: { code: null, params: {} },
      inputs: { a: 1, b: 2 },
    };
    const hash = await hashInputs(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashInputs({ ...base, inputs: { b: 2, a: 1 } })).toBe(hash);
    expect(await hashInputs({ ...base, inputs: { a: 1, b: 3 } })).not.toBe(hash);
  });

  /** A fake sandbox: results are a pure function of the inputs, as a seeded simulation's are. */
  function fakeState(inputs: Record<string, unknown>): FlatState {
    const seed = Number(inputs['seed']);
    const rate = Number(inputs['learningRate']);
    return {
      'settings.model': String(inputs['model']),
      'settings.seed': seed,
      'run.status': 'completed',
      'run.backend': 'cpu',
      'validation.rocAuc': 0.88 + rate + (seed % 7) / 1000,
      'validation.recall': 0.6,
      'confusion.falsePositiveRate': 0.03,
      'confusion.falsePositives': 90,
    };
  }
  const fakeReplay =
    (backend = 'cpu', nudge: (state: FlatState) => FlatState = (s) => s): ReplayFunction =>
    async (inputs) => ({ state: nudge(fakeState(inputs)), backend });

  async function validReceipt(code: string | null = 'alice'): Promise<Receipt> {
    const variant = deriveVariant(exercise, code);
    const inputs = solutionFor(exercise, variant) as unknown as Record<string, unknown>;
    return createReceipt({
      exercise,
      variant,
      inputs,
      state: fakeState(inputs),
      passed: true,
      backend: 'cpu',
      appVersion: '0.1.0',
      now: new Date('2026-11-02T10:00:00Z'),
    });
  }

  it('records everything a replay needs', async () => {
    const receipt = await validReceipt();
    expect(receipt).toMatchObject({
      format: 'mlsdl-receipt',
      version: 1,
      exerciseId: 'good-one',
      sandbox: 'training',
      variant: { code: 'alice' },
      passed: true,
      backend: 'cpu',
      appVersion: '0.1.0',
      createdAt: '2026-11-02T10:00:00.000Z',
    });
    expect(receipt.inputs['learningRate']).toBe(0.05);
    expect(receipt.results['validation.rocAuc']).toBeGreaterThan(0.9);
    expect(receipt.inputsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses to record a verdict the checks do not give', async () => {
    const variant = deriveVariant(exercise, null);
    const inputs = solutionFor(exercise, variant) as unknown as Record<string, unknown>;
    await expect(
      createReceipt({
        exercise,
        variant,
        inputs,
        state: { ...fakeState(inputs), 'validation.rocAuc': 0.5 },
        passed: true,
        backend: 'cpu',
        appVersion: '0.1.0',
        now: new Date(),
      }),
    ).rejects.toThrow(/passed = true but the checks/);
  });

  it('verifies a valid receipt by replaying it, exactly on the same backend', async () => {
    const receipt = await validReceipt();
    expect(await verifyReceipt(receipt, exercise, fakeReplay())).toEqual({
      ok: true,
      replayBackend: 'cpu',
      exact: true,
    });
    // A receipt round-trips through JSON (export, import) and still verifies.
    const copy: unknown = JSON.parse(JSON.stringify(receipt));
    expect((await verifyReceipt(copy, exercise, fakeReplay())).ok).toBe(true);
    // The default variant too.
    expect((await verifyReceipt(await validReceipt(null), exercise, fakeReplay())).ok).toBe(true);
  });

  const reasonOf = async (receipt: unknown, replay = fakeReplay()): Promise<string> => {
    const result = await verifyReceipt(receipt, exercise, replay);
    if (result.ok) throw new Error('expected the receipt to be refused');
    return result.reason;
  };

  it('detects tampered inputs by the hash', async () => {
    const receipt = await validReceipt();
    const tampered = { ...receipt, inputs: { ...receipt.inputs, learningRate: 0.5 } };
    expect(await reasonOf(tampered)).toMatch(/do not match the receipt’s hash/);
  });

  it('detects tampered inputs that were re-hashed, by the replay', async () => {
    const receipt = await validReceipt();
    const inputs = { ...receipt.inputs, learningRate: 0.06 };
    const rehashed = { ...receipt, inputs, inputsHash: await hashInputs({ ...receipt, inputs }) };
    expect(await reasonOf(rehashed)).toMatch(
      /ROC AUC \(validation\) \(validation\.rocAuc\) does not reproduce/,
    );
  });

  it('detects a tampered result', async () => {
    const receipt = await validReceipt();
    const tampered = { ...receipt, results: { ...receipt.results, 'validation.recall': 0.95 } };
    const reason = await reasonOf(tampered);
    expect(reason).toMatch(
      /Recall \(validation\) \(validation\.recall\) does not reproduce: the receipt says 0\.95/,
    );
    expect(reason).toMatch(/gives 0\.6 \(they must match exactly\)/);
  });

  it('detects a variant that does not match its code', async () => {
    const receipt = await validReceipt();
    const variant = { code: 'alice', params: { ...receipt.variant.params, target: 0.8 } };
    const forged = { ...receipt, variant, inputsHash: await hashInputs({ ...receipt, variant }) };
    const reason = await reasonOf(forged);
    expect(reason).toMatch(/The variant does not match its code: code "alice" gives target = /);
    expect(reason).toMatch(/the receipt says 0\.8/);
  });

  it('detects a run that did not use the variant’s seed', async () => {
    const receipt = await validReceipt();
    const seed = (receipt.variant.params['seed'] as number) + 1;
    const inputs = { ...receipt.inputs, seed };
    const forged = { ...receipt, inputs, inputsHash: await hashInputs({ ...receipt, inputs }) };
    expect(await reasonOf(forged)).toMatch(
      /did not use the variant’s seed: code "alice" sets seed = \d+, but the run used \d+/,
    );
  });

  it('detects a forged passed flag', async () => {
    const variant = deriveVariant(exercise, 'alice');
    const inputs = { ...solutionFor(exercise, variant), learningRate: 0.001 } as unknown as Record<
      string,
      unknown
    >;
    const failing = await createReceipt({
      exercise,
      variant,
      inputs,
      state: { ...fakeState(inputs), 'validation.rocAuc': 0.7 },
      backend: 'cpu',
      appVersion: '0.1.0',
      now: new Date(),
    });
    expect(failing.passed).toBe(false);
    const forged = { ...failing, passed: true };
    expect(await reasonOf(forged)).toMatch(
      /claims the checks passed, but its own results fail them: ROC AUC \(validation\) is 0\.7, which is below/,
    );
  });

  it('refuses foreign JSON, other exercises and damaged receipts with a clear reason', async () => {
    expect(await reasonOf({ hello: 'world' })).toMatch(/not an exercise receipt of this course/);
    expect(await reasonOf('just text')).toMatch(/not an exercise receipt/);
    expect(await reasonOf(null)).toMatch(/not an exercise receipt/);
    const receipt = await validReceipt();
    expect(await reasonOf({ ...receipt, version: 2 })).toMatch(/format version 2/);
    expect(await reasonOf({ ...receipt, inputsHash: 'abc' })).toMatch(/damaged: inputsHash/);
    expect(await reasonOf({ ...receipt, exerciseId: 'other-one' })).toMatch(
      /for exercise "other-one", not "good-one"/,
    );
  });

  it('accepts a replay on another backend within the tolerance, and no further', async () => {
    const receipt = await validReceipt();
    const near = (s: FlatState): FlatState => ({
      ...s,
      'run.backend': 'webgl',
      'validation.rocAuc': (s['validation.rocAuc'] as number) + 0.01,
      'confusion.falsePositives': 96,
    });
    expect(await verifyReceipt(receipt, exercise, fakeReplay('webgl', near))).toEqual({
      ok: true,
      replayBackend: 'webgl',
      exact: false,
    });
    // The same small difference on the cpu backend is a mismatch: it computes identically on
    // every machine. A GPU backend on another device may differ, so the tolerance applies.
    const webglReceipt = { ...receipt, backend: 'webgl' };
    expect(await verifyReceipt(webglReceipt, exercise, fakeReplay('webgl', near))).toEqual({
      ok: true,
      replayBackend: 'webgl',
      exact: false,
    });
    expect(await reasonOf(receipt, fakeReplay('cpu', near))).toMatch(/does not reproduce/);
    const far = (s: FlatState): FlatState => ({
      ...s,
      'validation.rocAuc': (s['validation.rocAuc'] as number) + 0.05,
    });
    expect(await reasonOf(receipt, fakeReplay('webgl', far))).toMatch(
      /ROC AUC \(validation\) .* the replay on webgl \(the receipt ran on cpu\) gives 0\.98\d* \(allowed difference across backends: 0\.03\)/,
    );
    const otherStatus = (s: FlatState): FlatState => ({ ...s, 'run.status': 'diverged' });
    expect(await reasonOf(receipt, fakeReplay('webgl', otherStatus))).toMatch(
      /Run status .*\(they must match exactly\)/,
    );
    const extra = (s: FlatState): FlatState => ({ ...s, 'test.rocAuc': 0.9 });
    expect(await reasonOf(receipt, fakeReplay('cpu', extra))).toMatch(
      /The receipt has no value for ROC AUC \(test\)/,
    );
  });

  it('reports a replay that cannot run', async () => {
    const receipt = await validReceipt();
    const broken: ReplayFunction = async () => {
      throw new Error('learningRate: out of range');
    };
    expect(await reasonOf(receipt, broken)).toBe(
      'The replay could not run these inputs: learningRate: out of range',
    );
  });

  it('picks the most specific tolerance for a path', () => {
    const { tolerance } = exercise;
    expect(toleranceFor(tolerance, 'validation.rocAuc')).toEqual({ absolute: 0.03, relative: 0 });
    expect(toleranceFor(tolerance, 'settings.learningRate')).toEqual({ absolute: 0, relative: 0 });
    expect(toleranceFor(tolerance, 'confusion.falsePositives')).toEqual({
      absolute: 10,
      relative: 0.2,
    });
    expect(valuesAgree(100, 125, false, { absolute: 10, relative: 0.2 })).toBe(true);
    expect(valuesAgree(100, 140, false, { absolute: 10, relative: 0.2 })).toBe(false);
    expect(valuesAgree(0.5, 0.5000001, true, { absolute: 1, relative: 0 })).toBe(false);
    expect(valuesAgree('a', 'a', false, { absolute: 0, relative: 0 })).toBe(true);
    expect(valuesAgree(null, 0, false, { absolute: 1, relative: 0 })).toBe(false);
  });
});

describe('goalChecklist', () => {
  const goal: GoalNode = {
    all: [
      'validation.rocAuc >= 0.9',
      { any: ['settings.model == "logistic"', 'settings.epochs <= 3'], label: 'Cheap model' },
    ],
  };

  it('shows a nested group as one line with its own verdict', () => {
    const state = { 'validation.rocAuc': 0.95, 'settings.model': 'mlp', 'settings.epochs': 2 };
    const lines = goalChecklist(evaluateGoal(goal, state));
    expect(lines.map((line) => [line.label, line.passed, line.actual])).toEqual([
      ['ROC AUC (validation) ≥ 0.9', true, 0.95],
      ['Cheap model', true, '1 of 2'],
    ]);
  });

  it('fails the group line only when no alternative holds', () => {
    const state = { 'validation.rocAuc': 0.8, 'settings.model': 'mlp', 'settings.epochs': 9 };
    const lines = goalChecklist(evaluateGoal(goal, state));
    expect(lines.map((line) => line.passed)).toEqual([false, false]);
    expect(lines[1]?.reason).toBe('0 of 2 passed; one is enough.');
  });

  it('gives one line for a goal that is a single check', () => {
    const lines = goalChecklist(evaluateGoal('run.epochs >= 1', { 'run.epochs': 0 }));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.passed).toBe(false);
  });
});
