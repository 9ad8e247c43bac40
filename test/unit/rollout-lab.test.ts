import { beforeAll, describe, expect, it } from 'vitest';
import { FRAUD_FEATURE_NAMES } from '@lib/data/fraud-features';
import { createProductionStream } from '@lib/drift/stream';
import {
  INITIAL_MODEL_ID,
  SWAPPED_TRAINING_COLUMNS,
  damagedWindow,
  describeComparison,
  initialLabModel,
  labFaults,
  labPolicy,
  rolloutLabView,
  runRolloutLab,
  runRolloutLabAsync,
  type RolloutLabRuns,
  type RolloutLabSettings,
} from '@lib/drift/rollout-lab';
import {
  ROLLOUT_DEFAULTS,
  ROLLOUT_STATE_PATHS,
  rolloutExerciseState,
  rolloutKind,
  rolloutRunOf,
} from '@lib/exercises/kinds/rollout';

/** A small run: 24 days of 600 payments, concept drift on day 8, labels a day late. */
const SMALL: RolloutLabSettings = rolloutKind.parseInputs({
  seed: 3,
  days: 24,
  requestsPerDay: 600,
  labelDelayDays: 1,
  faultKind: 'concept-drift',
  faultDay: 8,
  faultStrength: 0.7,
  retrainTrigger: 'schedule',
  retrainEveryDays: 4,
  retrainWindowDays: 5,
  shadowDays: 1,
  canaryPercent: 30,
  canaryDays: 2,
  evaluationDays: 1,
});

describe('rollout lab: settings', () => {
  it('maps the percent and point inputs onto the policy', () => {
    const policy = labPolicy({ ...SMALL, canaryPercent: 20, falsePositiveMarginPoints: 2.5 });
    expect(policy.canaryShare).toBe(0.2);
    expect(policy.falsePositiveRateMargin).toBeCloseTo(0.025, 15);
    expect(policy.canaryMinDays).toBe(SMALL.canaryDays);
    expect(policy.evaluationWindowDays).toBe(SMALL.evaluationDays);
    expect(policy.netSavingsMarginUsdPerRequest).toBe(SMALL.netSavingsMarginUsd);
  });

  it('injects one fault, or none', () => {
    expect(labFaults({ ...SMALL, faultKind: 'none' })).toEqual([]);
    expect(labFaults(SMALL)).toEqual([
      { id: 'concept-drift', kind: 'concept-drift', startDay: 8, strength: 0.7 },
    ]);
  });
});

describe('rollout lab: the retraining job’s bugs', () => {
  const window = createProductionStream({
    seed: 'bugs',
    requestsPerDay: 400,
    labelDelayDays: 0,
  }).labelledDays(0, 2);
  const request = { modelId: 'm1', fromDay: 0, toDay: 2 };

  it('leaves the window alone without a bug', () => {
    expect(damagedWindow(request, window, 'none')).toBe(window);
  });

  it('shuffles the labels: the same frauds, on other payments, the same way every time', () => {
    const shuffled = damagedWindow(request, window, 'shuffled-labels');
    const frauds = (labels: Float32Array) => labels.reduce((n, y) => n + y, 0);
    expect(frauds(shuffled.labels)).toBe(frauds(window.labels));
    expect(frauds(window.labels)).toBeGreaterThan(0);
    let moved = 0;
    for (let i = 0; i < window.rows; i++) if (shuffled.labels[i] !== window.labels[i]) moved++;
    expect(moved).toBeGreaterThan(0);
    expect(shuffled.features).toBe(window.features);
    expect(damagedWindow(request, window, 'shuffled-labels').labels).toEqual(shuffled.labels);
    expect(window.labels).not.toEqual(shuffled.labels); // the original is not modified
  });

  it('swaps exactly the two columns in every training row', () => {
    const swapped = damagedWindow(request, window, 'swapped-columns');
    const [a, b] = SWAPPED_TRAINING_COLUMNS.map((name) => FRAUD_FEATURE_NAMES.indexOf(name));
    for (let r = 0; r < window.rows; r++) {
      for (let c = 0; c < window.cols; c++) {
        const from = c === a ? b! : c === b ? a! : c;
        expect(swapped.features[r * window.cols + c]).toBe(window.features[r * window.cols + from]);
      }
    }
    expect(swapped.labels).toBe(window.labels);
  });
});

describe('rollout lab: a run', () => {
  let runs: RolloutLabRuns;
  const progress: [number, number][] = [];
  beforeAll(() => {
    runs = runRolloutLab(SMALL, { onProgress: (done, total) => progress.push([done, total]) });
  });

  it('answers every request by exactly one model, with the policy and without', () => {
    for (const run of [runs.run, runs.baseline]) {
      expect(run.records).toHaveLength(SMALL.days);
      for (const r of run.records) {
        expect(r.unanswered).toBe(0);
        expect(r.answeredByCurrent + r.answeredByCandidate).toBe(SMALL.requestsPerDay);
      }
    }
  });

  it('never retrains in the baseline, and starts both runs from the same model', () => {
    const actions = runs.baseline.records.flatMap((r) => r.actions);
    expect(actions).toEqual([]);
    expect(runs.baseline.finalState.currentModelId).toBe(INITIAL_MODEL_ID);
    // Before the first retrained model answers, both runs serve the same decisions.
    const first = runs.run.records.findIndex((r) => r.answeredByCandidate > 0);
    expect(first).toBeGreaterThan(0);
    for (let d = 0; d < first; d++) {
      expect(runs.run.records[d]!.served).toEqual(runs.baseline.records[d]!.served);
    }
  });

  it('reports progress after every day of both runs', () => {
    expect(progress).toHaveLength(2 * SMALL.days);
    expect(progress[0]).toEqual([1, 48]);
    expect(progress.at(-1)).toEqual([48, 48]);
  });

  it('shows the records as they are: sums, exposure of rolled-back models, events', () => {
    const view = rolloutLabView(SMALL, runs);
    const records = runs.run.records;
    const sum = (f: (i: number) => number) => records.reduce((s, _, i) => s + f(i), 0);
    expect(view.totals.lostVsOracleUsd).toBeCloseTo(
      sum((i) => records[i]!.oracleNetSavingsUsd - records[i]!.served.netSavingsUsd),
      6,
    );
    // From the fault's day (8) to the end, summed from the records directly.
    let since = 0;
    let baselineSince = 0;
    for (let d = 8; d < SMALL.days; d++) {
      since += records[d]!.lostVsOracleUsd;
      baselineSince += runs.baseline.records[d]!.lostVsOracleUsd;
    }
    expect(view.sinceFault!.lostVsOracleUsd).toBeCloseTo(since, 6);
    expect(view.sinceFault!.baselineLostVsOracleUsd).toBeCloseTo(baselineSince, 6);
    const actions = records.flatMap((r) => r.actions).filter((a) => a.type !== 'ignored-delivery');
    expect(view.events.map((e) => `${e.day}:${e.type}`)).toEqual(
      actions.map((a) => `${a.day}:${a.type}`),
    );
    const rolledBack = new Set(actions.flatMap((a) => (a.type === 'rollback' ? [a.modelId] : [])));
    let exposed = 0;
    for (const r of records) {
      if (r.candidateModelId && rolledBack.has(r.candidateModelId))
        exposed += r.answeredByCandidate;
    }
    expect(view.requestsByRolledBackCandidates).toBe(exposed);
    expect(view.days.map((d) => d.faultActive)).toEqual(records.map((r) => r.day >= 8));
  });

  it('gives the same view through the asynchronous driver', async () => {
    const asyncRuns = await runRolloutLabAsync(SMALL);
    expect(asyncRuns.run.records).toEqual(runs.run.records);
    expect(rolloutLabView(SMALL, asyncRuns)).toEqual(rolloutLabView(SMALL, runs));
  });
});

describe('rollout lab: what the lesson claims', () => {
  it('catches a retraining job that swapped two columns by the false-positive guardrail', () => {
    const inputs = rolloutKind.parseInputs({
      seed: 2,
      days: 20,
      requestsPerDay: 800,
      labelDelayDays: 1,
      faultKind: 'none',
      retrainTrigger: 'schedule',
      retrainEveryDays: 6,
      retrainWindowDays: 5,
      retrainingBug: 'swapped-columns',
      shadowDays: 0,
      canaryPercent: 10,
      canaryDays: 2,
      evaluationDays: 1,
      netSavingsMarginUsd: 5,
      falsePositiveMarginPoints: 2,
    });
    const view = rolloutLabView(inputs, runRolloutLab(inputs));
    const rollbacks = view.events.filter((e) => e.type === 'rollback');
    expect(rollbacks.length).toBeGreaterThan(0);
    for (const e of rollbacks) expect(e.comparison!.falsePositiveRateWorse).toBe(true);
    expect(view.events.some((e) => e.type === 'full')).toBe(false);
    expect(view.finalModelId).toBe(INITIAL_MODEL_ID);
  });

  it('after concept drift, a week of labels beats four weeks (lesson 9, exercise scenario)', () => {
    const base = {
      seed: 1,
      days: 45,
      requestsPerDay: 1500,
      labelDelayDays: 3,
      faultKind: 'concept-drift',
      faultDay: 15,
      faultStrength: 0.7,
      retrainTrigger: 'alert',
      shadowDays: 1,
      canaryPercent: 25,
      canaryDays: 2,
      evaluationDays: 2,
      netSavingsMarginUsd: 1,
      falsePositiveMarginPoints: 3,
    };
    const saved = (retrainWindowDays: number) =>
      rolloutExerciseState(rolloutKind.parseInputs({ ...base, retrainWindowDays }))[
        'compare.savedSinceFaultUsd'
      ] as number;
    const week = saved(7);
    const month = saved(28);
    // Measured when written: about $32,000 and $8,000 saved against never retraining.
    expect(month).toBeGreaterThan(0);
    expect(week).toBeGreaterThan(2 * month);
  });
});

describe('rollout kind: inputs', () => {
  it('fills missing inputs from the defaults', () => {
    expect(rolloutKind.parseInputs({})).toEqual(ROLLOUT_DEFAULTS);
    expect(rolloutKind.parseInputs({ seed: 9 }).seed).toBe(9);
  });

  it('refuses unknown inputs, bad choices and out-of-range numbers with a RangeError', () => {
    const bad: Record<string, unknown>[] = [
      { rows: 3 },
      { faultKind: 'meteor' },
      { retrainTrigger: 'sometimes' },
      { retrainingBug: 'typo' },
      { days: 9 },
      { days: 121 },
      { requestsPerDay: 199 },
      { canaryPercent: 91 },
      { canaryPercent: 12.5 },
      { shadowDays: -1 },
      { netSavingsMarginUsd: -0.1 },
      { faultKind: 'label-shift', faultStrength: 0 },
      { faultKind: 'concept-drift', faultStrength: 1.5 },
      { days: 30, faultDay: 30 },
      { seed: null },
    ];
    for (const inputs of bad) {
      expect(() => rolloutKind.parseInputs(inputs), JSON.stringify(inputs)).toThrow(RangeError);
    }
    expect(() => rolloutKind.parseInputs({ days: 30, faultDay: 30 })).toThrow(/faultDay = 30/);
    // Without a fault, its day and strength do not matter.
    expect(
      rolloutKind.parseInputs({ faultKind: 'none', faultStrength: 15, days: 30, faultDay: 50 })
        .faultKind,
    ).toBe('none');
  });
});

describe('rollout kind: state', () => {
  const inputs = rolloutKind.parseInputs({ ...SMALL });
  let state: ReturnType<typeof rolloutExerciseState>;
  beforeAll(() => {
    state = rolloutExerciseState(inputs);
  });

  it('lists exactly its declared paths, is deterministic and carries the inputs', () => {
    expect(Object.keys(state).sort()).toEqual([...ROLLOUT_STATE_PATHS]);
    expect(rolloutKind.statePaths).toBe(ROLLOUT_STATE_PATHS);
    expect(rolloutExerciseState(inputs)).toEqual(state);
    for (const [key, value] of Object.entries(inputs)) expect(state[`input.${key}`]).toBe(value);
  });

  it('is what the worker publishes (asynchronous driver)', async () => {
    const view = rolloutLabView(inputs, await runRolloutLabAsync(inputs));
    expect(rolloutRunOf(inputs, view).state).toEqual(state);
  });

  it('adds up: requests, unanswered, money saved against never retraining', () => {
    expect(state['requests.total']).toBe(24 * 600);
    expect(state['requests.unanswered']).toBe(0);
    expect(
      (state['requests.byCurrent'] as number) + (state['requests.byCandidate'] as number),
    ).toBe(24 * 600);
    expect(state['compare.savedVsNeverRetrainUsd']).toBe(
      (state['neverRetrain.lostVsOracleUsd'] as number) -
        (state['money.lostVsOracleUsd'] as number),
    );
    expect(state['compare.savedSinceFaultUsd']).toBe(
      (state['neverRetrain.lostSinceFaultUsd'] as number) -
        (state['money.lostSinceFaultUsd'] as number),
    );
    expect(state['fault.startDay']).toBe(8);
    if (state['fault.fixedDay'] !== null) {
      expect(state['fault.daysToFix']).toBe((state['fault.fixedDay'] as number) - 8);
    }
    expect(state['phases.retrains']).toBeGreaterThan(0);
  });

  it('has no fault numbers without a fault, and saves nothing when never retraining', () => {
    const quiet = rolloutExerciseState(
      rolloutKind.parseInputs({ ...SMALL, faultKind: 'none', retrainTrigger: 'none' }),
    );
    for (const path of ROLLOUT_STATE_PATHS.filter((p) => p.startsWith('fault.'))) {
      if (path !== 'fault.kind') expect(quiet[path], path).toBeNull();
    }
    expect(quiet['fault.kind']).toBe('none');
    expect(quiet['compare.savedVsNeverRetrainUsd']).toBe(0);
    expect(quiet['phases.retrains']).toBe(0);
    expect(quiet['requests.byRetrainedModels']).toBe(0);
    expect(quiet['final.modelId']).toBe(INITIAL_MODEL_ID);
  });

  it('words a comparison with both models’ numbers', () => {
    expect(
      describeComparison({
        days: 2,
        currentNetSavingsPerRequestUsd: 1.5,
        candidateNetSavingsPerRequestUsd: -0.25,
        currentFalsePositiveRate: 0.02,
        candidateFalsePositiveRate: 0.105,
        netSavingsWorse: true,
        falsePositiveRateWorse: true,
      }),
    ).toBe(
      'over 2 labelled days, net savings per request −$0.25 (new) against $1.50 (current), ' +
        'false-positive rate 10.5% against 2.0%',
    );
  });

  it('memoises the initial model per seed', () => {
    expect(initialLabModel(3)).toBe(initialLabModel(3));
  });
});
