import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  candidateAnswers,
  compareArms,
  initialRolloutState,
  resolveRolloutPolicy,
  rolloutStep,
  routeDay,
  simulateProduction,
  simulateProductionAsync,
  type DayEvidence,
  type ProductionRunResult,
  type RolloutAction,
  type RolloutInput,
  type RolloutPhase,
  type RolloutPolicy,
  type RolloutState,
  type TrainedModel,
} from '@lib/drift/rollout';
import { createProductionStream, emptyTally, type DecisionTally } from '@lib/drift/stream';
import type { FaultSpec } from '@lib/drift/faults';
import { createTestMonitor, deployLogistic, trainLogisticScorer } from './drift-stream-fixtures';

const PHASES: RolloutPhase[] = ['none', 'shadow', 'canary', 'full'];

describe('routing', () => {
  it('answers every request by exactly one model, in every phase (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PHASES),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (phase, share, firstRequestId, rows, salt) => {
          const routing = routeDay(phase, share, firstRequestId, rows, salt);
          let candidate = 0;
          let strange = 0;
          for (const who of routing.answeredBy) {
            if (who !== 0 && who !== 1) strange++;
            candidate += who;
          }
          expect(strange).toBe(0);
          expect(routing.answeredByCurrent + routing.answeredByCandidate).toBe(rows);
          expect(routing.answeredByCandidate).toBe(candidate);
          if (phase === 'none' || phase === 'shadow') expect(candidate).toBe(0);
          if (phase === 'full') expect(candidate).toBe(rows);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is sticky: a request goes the same way however the day is cut', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 499 }),
        (share, first, rows, offset) => {
          const whole = routeDay('canary', share, first, rows, 99);
          const r = offset % rows;
          expect(whole.answeredBy[r]).toBe(
            candidateAnswers('canary', share, first + r, 99) ? 1 : 0,
          );
          expect(routeDay('canary', share, first + r, 1, 99).answeredBy[0]).toBe(
            whole.answeredBy[r],
          );
        },
      ),
    );
  });

  it('sends the canary its share', () => {
    const routing = routeDay('canary', 0.2, 1_000_000, 100_000, 7);
    // Binomial(100000, 0.2): sd ≈ 126; 5 sd.
    expect(Math.abs(routing.answeredByCandidate - 20_000)).toBeLessThan(632);
  });
});

function tally(requests: number, netSavingsUsd: number, falsePositives: number): DecisionTally {
  return {
    ...emptyTally(),
    requests,
    netSavingsUsd,
    falsePositives,
    trueNegatives: requests - falsePositives,
  };
}

function evidence(
  day: number,
  phase: RolloutPhase,
  candidateModelId: string,
  candidateNetPerRequest: number,
  candidateFpr = 0.02,
): DayEvidence {
  return {
    day,
    phase,
    candidateModelId,
    current: tally(1000, 1000, 20), // $1.00 per request, FPR 2%
    candidate: tally(1000, 1000 * candidateNetPerRequest, Math.round(1000 * candidateFpr)),
  };
}

describe('comparison', () => {
  it('pools days and applies the margins', () => {
    const policy = { netSavingsMarginUsdPerRequest: 0.1, falsePositiveRateMargin: 0.01 };
    // Candidate $0.95 and $0.80 per request over two equal days: $0.875 < $1.00 − $0.10.
    const worse = compareArms(
      [evidence(1, 'canary', 'm1', 0.95), evidence(2, 'canary', 'm1', 0.8)],
      policy,
    );
    expect(worse.candidateNetSavingsPerRequestUsd).toBeCloseTo(0.875, 12);
    expect(worse.netSavingsWorse).toBe(true);
    const within = compareArms([evidence(1, 'canary', 'm1', 0.95)], policy);
    expect(within.worse).toBe(false);
    const noisy = compareArms([evidence(1, 'canary', 'm1', 1.5, 0.031)], policy);
    expect(noisy.falsePositiveRateWorse).toBe(true);
    expect(noisy.worse).toBe(true);
  });
});

const POLICY: RolloutPolicy = resolveRolloutPolicy({
  retrainTrigger: 'alert',
  retrainWindowDays: 5,
  minDaysBetweenRetrains: 2,
  shadowDays: 2,
  canaryShare: 0.2,
  canaryMinDays: 2,
  evaluationWindowDays: 2,
  fullDays: 1,
});

function input(day: number, extra: Partial<RolloutInput> = {}): RolloutInput {
  return { day, latestLabelledDay: day - 1, released: [], alert: false, delivered: null, ...extra };
}

describe('the rollout state machine', () => {
  it('rejects bad policies', () => {
    expect(() => resolveRolloutPolicy({ canaryShare: 1 })).toThrow(RangeError);
    expect(() => resolveRolloutPolicy({ shadowDays: -1 })).toThrow(RangeError);
    expect(() => resolveRolloutPolicy({ evaluationWindowDays: 0 })).toThrow(RangeError);
    expect(() => resolveRolloutPolicy({ retrainTrigger: 'sometimes' as 'none' })).toThrow(
      RangeError,
    );
    expect(() => resolveRolloutPolicy({ falsePositiveRateMargin: -0.1 })).toThrow(RangeError);
  });

  it('walks a good candidate from retraining to full and promotes it', () => {
    const log: RolloutAction[] = [];
    let s: RolloutState = initialRolloutState('m0');
    const step = (i: RolloutInput) => {
      const out = rolloutStep(s, i, POLICY);
      s = out.state;
      log.push(...out.actions);
      return out.actions.map((a) => a.type);
    };
    expect(step(input(0, { alert: true, latestLabelledDay: null }))).toEqual([]); // no labels yet
    expect(step(input(3, { alert: true }))).toEqual(['retrain']);
    expect(log.at(-1)).toMatchObject({
      request: { modelId: 'm1', fromDay: 0, toDay: 2, reason: 'alert' },
    });
    expect(step(input(4, { alert: true }))).toEqual([]); // pending: no second request
    expect(step(input(5, { delivered: 'm1' }))).toEqual(['shadow']);
    expect(s).toMatchObject({
      phase: 'shadow',
      phaseStartDay: 6,
      candidateModelId: 'm1',
      pendingRetrain: null,
    });
    expect(step(input(6, { alert: true }))).toEqual([]); // busy: alerts do not retrain
    expect(step(input(7))).toEqual(['canary']);
    expect(s).toMatchObject({ phase: 'canary', phaseStartDay: 8 });
    // Labels arrive a day late: shadow days 6 and 7, then canary days 8 and 9.
    expect(step(input(8, { released: [evidence(7, 'shadow', 'm1', 1.2)] }))).toEqual([]);
    expect(step(input(9, { released: [evidence(8, 'canary', 'm1', 1.2)] }))).toEqual([]);
    expect(step(input(10, { released: [evidence(9, 'canary', 'm1', 1.1)] }))).toEqual(['full']);
    expect(s).toMatchObject({ phase: 'full', phaseStartDay: 11 });
    expect(step(input(11, { alert: true }))).toEqual(['promoted']); // no retraining that night
    expect(s).toMatchObject({ phase: 'none', currentModelId: 'm1', candidateModelId: null });
    expect(log.at(-1)).toEqual({ type: 'promoted', day: 11, modelId: 'm1', retiredModelId: 'm0' });
    expect(step(input(12, { alert: true }))).toEqual(['retrain']);
    expect(log.at(-1)).toMatchObject({ request: { modelId: 'm2', fromDay: 7, toDay: 11 } });
  });

  it('rolls a worse candidate back, in shadow or in canary', () => {
    let s: RolloutState = {
      ...initialRolloutState('m0'),
      phase: 'shadow',
      phaseStartDay: 6,
      candidateModelId: 'm1',
    };
    // One bad shadow day is not a full window yet.
    let out = rolloutStep(s, input(6, { released: [evidence(5, 'shadow', 'm1', 0.2)] }), {
      ...POLICY,
      shadowDays: 5,
    });
    expect(out.actions).toEqual([]);
    s = out.state;
    out = rolloutStep(s, input(7, { released: [evidence(6, 'shadow', 'm1', 0.5)] }), {
      ...POLICY,
      shadowDays: 5,
    });
    expect(out.actions.map((a) => a.type)).toEqual(['rollback']);
    expect(out.state).toMatchObject({
      phase: 'none',
      candidateModelId: null,
      currentModelId: 'm0',
    });

    // In canary, a false-positive guardrail breach rolls back even with better savings.
    s = { ...initialRolloutState('m0'), phase: 'canary', phaseStartDay: 8, candidateModelId: 'm1' };
    out = rolloutStep(
      s,
      input(10, {
        released: [evidence(8, 'canary', 'm1', 1.5, 0.05), evidence(9, 'canary', 'm1', 1.5, 0.05)],
      }),
      POLICY,
    );
    expect(out.actions[0]).toMatchObject({ type: 'rollback', phase: 'canary' });
    const action = out.actions[0]!;
    expect(action.type === 'rollback' && action.comparison.falsePositiveRateWorse).toBe(true);
  });

  it('ignores evidence about other models and deliveries nobody asked for', () => {
    const s: RolloutState = {
      ...initialRolloutState('m0'),
      phase: 'canary',
      phaseStartDay: 1,
      candidateModelId: 'm2',
    };
    const out = rolloutStep(
      s,
      input(5, {
        released: [evidence(3, 'canary', 'm1', 0), evidence(4, 'canary', 'm1', 0)],
        delivered: 'm7',
      }),
      POLICY,
    );
    expect(out.state.evidence).toEqual([]);
    expect(out.actions.map((a) => a.type)).toEqual(['ignored-delivery']);
    expect(out.state.candidateModelId).toBe('m2');
  });

  it('retrains on a calendar when asked to, skipping busy days', () => {
    const policy = resolveRolloutPolicy({
      ...POLICY,
      retrainTrigger: 'schedule',
      retrainEveryDays: 5,
    });
    let s = initialRolloutState('m0');
    const requested: number[] = [];
    for (let day = 0; day < 20; day++) {
      const delivered =
        s.pendingRetrain && day === s.pendingRetrain.requestedDay + 1
          ? s.pendingRetrain.modelId
          : null;
      const out = rolloutStep(s, input(day, { delivered }), policy);
      s = out.state;
      for (const a of out.actions) if (a.type === 'retrain') requested.push(a.request.requestedDay);
    }
    // Days 4, 9, 14, 19 are on the calendar; 9 falls in m1's rollout (shadow from 6, canary
    // from 8, no labelled canary evidence arrives here, so it stays in canary): only day 4.
    expect(requested).toEqual([4]);
    expect(s.phase).toBe('canary');
  });

  it('keeps its invariants under any sequence of inputs (property)', () => {
    const inputArb = fc.record({
      alert: fc.boolean(),
      deliver: fc.boolean(),
      strayDelivery: fc.boolean(),
      releaseNet: fc.option(fc.double({ min: -2, max: 3, noNaN: true })),
      releaseFpr: fc.double({ min: 0, max: 0.1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(inputArb, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom<RolloutPolicy['retrainTrigger']>('none', 'schedule', 'alert'),
        (inputs, delay, trigger) => {
          const policy = resolveRolloutPolicy({
            ...POLICY,
            retrainTrigger: trigger,
            retrainEveryDays: 3,
          });
          let s = initialRolloutState('m0');
          let retrains = 0;
          inputs.forEach((x, day) => {
            const latest = day - delay >= 0 ? day - delay : null;
            const released =
              x.releaseNet !== null && s.candidateModelId !== null && latest !== null
                ? [evidence(latest, s.phase, s.candidateModelId, x.releaseNet, x.releaseFpr)]
                : [];
            const delivered = x.strayDelivery
              ? 'm999'
              : x.deliver && s.pendingRetrain
                ? s.pendingRetrain.modelId
                : null;
            const out = rolloutStep(
              s,
              { day, latestLabelledDay: latest, released, alert: x.alert, delivered },
              policy,
            );
            s = out.state;
            for (const a of out.actions) {
              if (a.type === 'retrain') {
                retrains++;
                expect(a.request.toDay).toBe(latest);
                expect(a.request.fromDay).toBeGreaterThanOrEqual(0);
                expect(a.request.toDay - a.request.fromDay + 1).toBeLessThanOrEqual(
                  policy.retrainWindowDays,
                );
              }
              if (trigger === 'none') expect(a.type).not.toBe('retrain');
            }
            expect(s.phase === 'none').toBe(s.candidateModelId === null);
            if (s.pendingRetrain) {
              expect(s.phase).toBe('none');
              expect(s.candidateModelId).toBeNull();
            }
            expect(s.currentModelId).toMatch(/^m\d+$/);
            expect(s.retrainCount).toBe(retrains);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---- The driver, end to end ----

const N = 5000;
const DELAY = 3;
const initial = deployLogistic(
  createProductionStream({ seed: 'train', requestsPerDay: N, labelDelayDays: 0 }).labelledDays(
    0,
    9,
  ),
  'initial',
);

/** A model that flags requests at random (about 10% of them): plainly worse. */
const coinFlipper: TrainedModel = {
  scorer: (_features, rows) => {
    const scores = new Float32Array(rows);
    for (let i = 0; i < rows; i++) scores[i] = (Math.imul(i + 1, 2654435761) >>> 0) / 2 ** 32;
    return scores;
  },
  thresholdScore: 0.9,
};

describe('the production driver', () => {
  const conceptDrift: FaultSpec[] = [{ kind: 'concept-drift', startDay: 10, strength: 0.7 }];
  let fixed: ProductionRunResult;
  let unfixed: ProductionRunResult;
  beforeAll(() => {
    fixed = simulateProduction({
      stream: { seed: 5, requestsPerDay: N, labelDelayDays: DELAY, faults: conceptDrift },
      days: 40,
      // Retrain on the last 3 labelled days only: a longer window is mostly pre-drift data and
      // gives a weaker fix (with 14 days the retrained model earns about a fifth as much).
      policy: { retrainWindowDays: 3 },
      initialModel: initial,
      monitor: createTestMonitor(),
      retrain: (_request, window) => trainLogisticScorer(window),
    });
    unfixed = simulateProduction({
      stream: { seed: 5, requestsPerDay: N, labelDelayDays: DELAY, faults: conceptDrift },
      days: 40,
      policy: { retrainTrigger: 'none' },
      initialModel: initial,
      retrain: () => {
        throw new Error('never called');
      },
    });
  });

  it('answers every request, by exactly one model, every day', () => {
    for (const run of [fixed, unfixed]) {
      for (const r of run.records) {
        expect(r.unanswered).toBe(0);
        expect(r.answeredByCurrent + r.answeredByCandidate).toBe(r.requests);
        expect(r.servingModels.reduce((n, m) => n + m.requests, 0)).toBe(r.requests);
        expect(r.served.requests).toBe(r.requests);
        if (r.phase === 'none' || r.phase === 'shadow') expect(r.answeredByCandidate).toBe(0);
        if (r.phase === 'full') expect(r.answeredByCandidate).toBe(r.requests);
        if (r.phase === 'canary') {
          expect(r.answeredByCandidate).toBeGreaterThan(0);
          expect(r.answeredByCurrent).toBeGreaterThan(0);
        }
      }
    }
  });

  it('hears about each day’s labels exactly labelDelayDays later', () => {
    fixed.records.forEach((r) => {
      expect(r.labelsReleasedForDay).toBe(r.day >= DELAY ? r.day - DELAY : null);
    });
  });

  it('catches concept drift, retrains, and rolls the better model out to full', () => {
    const types = fixed.records.flatMap((r) => r.actions.map((a) => `${r.day}:${a.type}`));
    const retrain = fixed.records.flatMap((r) => r.actions).find((a) => a.type === 'retrain');
    expect(retrain).toBeDefined();
    // Labels of the first drifted day (10) arrive at the end of day 13; the pooled
    // performance window then needs a couple of days to fall far enough.
    expect(retrain!.day).toBeGreaterThanOrEqual(10 + DELAY);
    expect(retrain!.day).toBeLessThanOrEqual(10 + DELAY + 7);
    const order = ['retrain', 'shadow', 'canary', 'full', 'promoted'];
    const firstOf = order.map((t) => types.findIndex((x) => x.endsWith(`:${t}`)));
    expect(firstOf.every((i) => i >= 0)).toBe(true);
    expect([...firstOf].sort((a, b) => a - b)).toEqual(firstOf);
    expect(types.some((x) => x.endsWith(':rollback'))).toBe(false);
    // The canary cannot be judged before its labels: canary start + delay + window − 1.
    const canaryDay = fixed.records.find((r) => r.phase === 'canary')!.day;
    const fullDecision = fixed.records.find((r) => r.actions.some((a) => a.type === 'full'))!.day;
    expect(fullDecision).toBeGreaterThanOrEqual(canaryDay + DELAY + 3 - 1);
    expect(fixed.finalState.currentModelId).toBe('m1');
    // After the swap the retrained model earns more than the old one did on the same days.
    const after = (run: typeof fixed) =>
      run.records.filter((r) => r.day >= 30).reduce((s, r) => s + r.served.netSavingsUsd, 0);
    expect(after(fixed)).toBeGreaterThan(after(unfixed) + 10 * 3000);
  });

  it('rolls back a worse candidate and keeps serving with the current model', () => {
    const run = simulateProduction({
      stream: { seed: 8, requestsPerDay: N, labelDelayDays: 1, faults: [] },
      days: 20,
      policy: { retrainTrigger: 'schedule', retrainEveryDays: 5 },
      initialModel: initial,
      retrain: () => coinFlipper,
    });
    const rollback = run.records.flatMap((r) => r.actions).find((a) => a.type === 'rollback');
    expect(rollback).toBeDefined();
    expect(rollback!.type === 'rollback' && rollback!.comparison.worse).toBe(true);
    expect(run.records.flatMap((r) => r.actions).some((a) => a.type === 'full')).toBe(false);
    expect(run.finalState.currentModelId).toBe('initial');
    const rolledBackOn = rollback!.day;
    const next = run.records.find((r) => r.day === rolledBackOn + 1)!;
    expect(next.answeredByCandidate).toBe(0);
    expect(next.answeredByCurrent).toBe(N);
  });

  it('gives the same records with asynchronous scorers and training', async () => {
    const stream = { seed: 8, requestsPerDay: 2000, labelDelayDays: 1, faults: [] };
    const policy = { retrainTrigger: 'schedule' as const, retrainEveryDays: 4, shadowDays: 1 };
    const sync = simulateProduction({
      stream,
      days: 14,
      policy,
      initialModel: initial,
      retrain: (_r, w) => trainLogisticScorer(w),
    });
    const progress: number[] = [];
    const asyncRun = await simulateProductionAsync({
      stream,
      days: 14,
      policy,
      initialModel: { ...initial, scorer: async (x, rows, cols) => initial.scorer(x, rows, cols) },
      retrain: async (_r, w) => {
        const trained = trainLogisticScorer(w);
        return { ...trained, scorer: async (x, rows, cols) => trained.scorer(x, rows, cols) };
      },
      onDay: (record) => progress.push(record.day),
    });
    expect(progress).toEqual(Array.from({ length: 14 }, (_, d) => d));
    expect(asyncRun.records).toEqual(sync.records);
    expect([...asyncRun.models.keys()]).toEqual([...sync.models.keys()]);
  });

  it('refuses an initial model named like a retrained one', () => {
    expect(() =>
      simulateProduction({
        stream: { seed: 1, requestsPerDay: 100, labelDelayDays: 0 },
        days: 1,
        initialModel: { ...initial, id: 'm1' },
        retrain: () => coinFlipper,
      }),
    ).toThrow(RangeError);
  });
});
