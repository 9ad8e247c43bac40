import { describe, expect, it } from 'vitest';
import { emptyTally, createProductionStream } from '@lib/drift/stream';
import { simulateProduction, type ServingModel } from '@lib/drift/rollout';
import { resolveFault, type FaultSpec } from '@lib/drift/faults';
import {
  baselineLostPerDayUsd,
  runTotals,
  scoreFault,
  scoreFaults,
  type ScoreCardDay,
} from '@lib/drift/score-card';
import { createTestMonitor, deployLogistic, trainLogisticScorer } from './drift-stream-fixtures';

/**
 * Ten hand-made days of 100 requests. Day d loses 10·(d + 1) dollars against the oracle; an
 * alert by detector `x` fires on day 6; the initial model (trained before the stream) answers
 * alone until day 7, a model trained through day 5 answers 30 requests on day 8 (canary) and
 * all of them from day 9.
 */
function handMadeDays(): ScoreCardDay[] {
  return Array.from({ length: 10 }, (_, day) => {
    const initial: ServingModel = { modelId: 'initial', trainedToDay: null, requests: 100 };
    let servingModels: ServingModel[] = [initial];
    if (day === 8) {
      servingModels = [
        { ...initial, requests: 70 },
        { modelId: 'm1', trainedToDay: 5, requests: 30 },
      ];
    }
    if (day >= 9) servingModels = [{ modelId: 'm1', trainedToDay: 5, requests: 100 }];
    const lost = 10 * (day + 1);
    return {
      day,
      requests: 100,
      alert: day === 6,
      detectors: day === 6 ? ['x'] : [],
      servingModels,
      lostVsOracleUsd: lost,
      oracleNetSavingsUsd: 1000,
      served: { ...emptyTally(), requests: 100, netSavingsUsd: 1000 - lost },
    };
  });
}

describe('the score card by hand', () => {
  const days = handMadeDays();

  it('counts detection, the fix, requests and money', () => {
    const [score] = scoreFaults(days, [{ kind: 'label-shift', startDay: 4, strength: 2 }]);
    // Baseline: days 0–3 lose 10, 20, 30, 40 → 25 a day.
    // Affected: days 4–8 (day 9 is the first served wholly by m1, trained through day 5 ≥ 4).
    // Money: 50 + 60 + 70 + 80 + 90 = 350; excess = 350 − 5 · 25 = 225.
    expect(score).toEqual({
      faultId: 'label-shift@4',
      kind: 'label-shift',
      startDay: 4,
      endDay: null,
      detectedDay: 6,
      daysToDetect: 2,
      fixedDay: 9,
      fixedBy: 'retrained-model',
      affectedDays: 5,
      requestsAffected: 500,
      moneyLostVsOracleUsd: 350,
      baselineLostVsOracleUsdPerDay: 25,
      excessLossUsd: 225,
    });
  });

  it('counts only the detectors meant for the fault when asked', () => {
    const spec: FaultSpec = { id: 'f', kind: 'label-shift', startDay: 4, strength: 2 };
    expect(scoreFaults(days, [spec], { detectorsByFault: { f: ['x'] } })[0]!.detectedDay).toBe(6);
    expect(
      scoreFaults(days, [spec], { detectorsByFault: { f: ['y'] } })[0]!.detectedDay,
    ).toBeNull();
  });

  it('a model trained before the fault does not fix it', () => {
    // The fault starts on day 6: m1 (trained through day 5) knows nothing of it.
    const [score] = scoreFaults(days, [{ kind: 'label-shift', startDay: 6, strength: 2 }]);
    expect(score!.fixedDay).toBeNull();
    expect(score!.fixedBy).toBeNull();
    expect(score!.affectedDays).toBe(4); // days 6–9, to the end of the run
    expect(score!.requestsAffected).toBe(400);
    expect(score!.moneyLostVsOracleUsd).toBe(70 + 80 + 90 + 100);
    expect(score!.daysToDetect).toBe(0);
    // Baseline over days 0–5: (10 + … + 60) / 6 = 35.
    expect(score!.baselineLostVsOracleUsdPerDay).toBe(35);
  });

  it('a fault that ends stops counting, and alerts after its end do not detect it', () => {
    const fault = resolveFault({ kind: 'missing-as-zero', startDay: 2, endDay: 5, strength: 0.5 });
    const score = scoreFault(days, fault, null);
    expect(score.fixedDay).toBe(5);
    expect(score.fixedBy).toBe('fault-ended');
    expect(score.requestsAffected).toBe(300);
    expect(score.moneyLostVsOracleUsd).toBe(30 + 40 + 50);
    expect(score.detectedDay).toBeNull(); // the alert of day 6 came after the end
    expect(score.excessLossUsd).toBeNull();
  });

  it('has no baseline when a fault starts on day 0', () => {
    expect(baselineLostPerDayUsd(days, 0)).toBeNull();
    expect(scoreFaults(days, [])).toEqual([]);
  });

  it('sums a run', () => {
    expect(runTotals(days)).toEqual({
      days: 10,
      requests: 1000,
      netSavingsUsd: 10_000 - 550,
      oracleNetSavingsUsd: 10_000,
      lostVsOracleUsd: 550,
      alertDays: 1,
    });
  });
});

describe('the score card of a run', () => {
  it('scores concept drift caught by performance monitoring and fixed by retraining', () => {
    const N = 5000;
    const delay = 3;
    const fault: FaultSpec = { kind: 'concept-drift', startDay: 10, strength: 0.7 };
    const run = simulateProduction({
      stream: { seed: 5, requestsPerDay: N, labelDelayDays: delay, faults: [fault] },
      days: 40,
      policy: { retrainWindowDays: 3 },
      initialModel: deployLogistic(
        createProductionStream({
          seed: 'train',
          requestsPerDay: N,
          labelDelayDays: 0,
        }).labelledDays(0, 9),
        'initial',
      ),
      monitor: createTestMonitor(),
      retrain: (_request, window) => trainLogisticScorer(window),
    });
    const [score] = scoreFaults(run.records, [fault], {
      detectorsByFault: { 'concept-drift@10': ['performance'] },
    });
    // Only labels show concept drift, so it cannot be caught before the delay.
    expect(score!.daysToDetect).toBeGreaterThanOrEqual(delay);
    expect(score!.daysToDetect).toBeLessThanOrEqual(delay + 7);
    expect(score!.fixedBy).toBe('retrained-model');
    const fullDay = run.records.find((r) => r.phase === 'full')!.day;
    expect(score!.fixedDay).toBe(fullDay);
    expect(score!.requestsAffected).toBe((fullDay - 10) * N);
    const lost = run.records
      .filter((r) => r.day >= 10 && r.day < fullDay)
      .reduce((s, r) => s + r.lostVsOracleUsd, 0);
    expect(score!.moneyLostVsOracleUsd).toBeCloseTo(lost, 6);
    // The drift cost real money beyond what the model lost anyway before it.
    expect(score!.excessLossUsd!).toBeGreaterThan(0);
  });
});
