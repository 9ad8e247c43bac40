/**
 * The scalability lab as exercises see it (src/lib/exercises/kinds/scaling.ts): its defaults are
 * the chapter's case, its state is the analytic day rounded as the lab shows it, it refuses
 * impossible inputs, and the claims its exercises rest on hold.
 */
import { describe, expect, it } from 'vitest';
import {
  SCALING_DEFAULTS,
  SCALING_STATE_PATHS,
  configOf,
  roundOrNull,
  scalingAnalyticView,
  scalingKind,
  workloadOf,
} from '@lib/exercises/kinds/scaling';
import { runScenarioAnalytic, CHAPTER_PEAK_SCENARIO } from '@lib/scaling/scenarios';

const stateOf = (inputs: Record<string, unknown>) =>
  scalingKind.stateOf!(scalingKind.parseInputs(inputs));

describe('the scaling kind', () => {
  it('starts from the chapter’s case: 100 GPUs all day against the autoscaler', () => {
    const state = stateOf({});
    const [hundred] = runScenarioAnalytic(CHAPTER_PEAK_SCENARIO).reports;
    // 100 GPUs × 24 h × $1 = $2 400, 2 400 GPU-hours, no breach (scenarios.ts pins the same).
    expect(state['a.costUsdPerDay']).toBe(2400);
    expect(state['a.gpuHours']).toBe(2400);
    expect(state['a.sloBreachMinutes']).toBe(0);
    expect(state['a.latencyP99Ms']).toBe(roundOrNull(hundred!.p99Ms, 1));
    // ($2 400 / expected requests) × 1 000, rounded to 4 decimals.
    expect(state['a.costPerThousandPredictionsUsd']).toBe(
      roundOrNull((2400 / (state['traffic.requests'] as number)) * 1000, 4),
    );
    // The autoscaler: a sixth of the cost, a few minutes over the SLO while GPUs start.
    expect(state['b.costUsdPerDay'] as number).toBeLessThan(2400 / 5);
    expect(state['b.sloBreachMinutes'] as number).toBeGreaterThan(0);
    expect(state['b.sloBreachMinutes'] as number).toBeLessThan(20);
    expect(state['compare.cheaper']).toBe('b');
    expect(state['compare.fewerBreaches']).toBe('a');
    expect(state['compare.costRatioBToA']).toBe(
      roundOrNull((state['b.costUsdPerDay'] as number) / 2400, 3),
    );
    expect(state['b.serviceTimeMs']).toBe(96);
    expect(state['b.coldStartS']).toBe(76);
    expect(state['b.fitsMemory']).toBe(true);
    expect(Object.keys(state).sort()).toEqual([...SCALING_STATE_PATHS]);
  });

  it('gives the same state as the view the lab draws, and the same on every call', () => {
    const inputs = scalingKind.parseInputs({ seed: 42, bTargetUtilisationPercent: 45 });
    expect(scalingAnalyticView(inputs).state).toEqual(scalingKind.stateOf!(inputs));
    expect(scalingKind.stateOf!(inputs)).toEqual(scalingKind.stateOf!(inputs));
    expect(configOf(inputs, 'b').targetUtilisationPercent).toBe(45);
    expect(workloadOf(inputs).seed).toBe(42);
  });

  it('writes null for numbers that do not exist: nothing served, no latency', () => {
    const state = stateOf({ aReplicaType: 'cpu-small' });
    expect(state['a.fitsMemory']).toBe(false);
    expect(state['a.latencyP99Ms']).toBeNull();
    expect(state['a.worstMinuteP99Ms']).toBeNull();
    expect(state['a.costPerThousandPredictionsUsd']).toBeNull();
    expect(state['a.servedRequests']).toBe(0);
    expect(state['a.droppedRequests']).toBe(state['traffic.requests']);
    expect(state['a.gpuHours']).toBe(0); // small CPUs are not GPUs
    // The machines are paid for all the same: 100 × $0.10 × 24 h = $240.
    expect(state['a.costUsdPerDay']).toBe(240);
  });

  it('refuses impossible inputs with the field’s name', () => {
    expect(() => scalingKind.parseInputs({ requestsPerDay: 5000 })).toThrow(/requestsPerDay/);
    expect(() => scalingKind.parseInputs({ bMinReplicas: 50, bMaxReplicas: 10 })).toThrow(
      /bMinReplicas = 50 is above bMaxReplicas = 10/,
    );
    expect(() => scalingKind.parseInputs({ aModel: 'gpt' })).toThrow(/aModel/);
    expect(() => scalingKind.parseInputs({ aReplicas: 0 })).toThrow(/aReplicas/);
    expect(scalingKind.parseInputs({})).toEqual(SCALING_DEFAULTS);
  });
});

describe('what the exercises rest on', () => {
  it('launch day: at 60% the autoscaler breaks the objective, at 45% it does not', () => {
    const launch = { spikeMultiplier: 6.5 };
    expect(stateOf({ ...launch })['b.sloBreachMinutes'] as number).toBeGreaterThan(0);
    const tuned = stateOf({ ...launch, bTargetUtilisationPercent: 45 });
    expect(tuned['b.sloBreachMinutes']).toBe(0);
    // Raising min replicas does not fix the launch (the breaches come while GPUs start).
    expect(
      stateOf({ ...launch, bMinReplicas: 20 })['b.sloBreachMinutes'] as number,
    ).toBeGreaterThan(0);
  });

  it('the 16 GB network: no large-CPU fleet beats one GPU per 1,000 predictions', () => {
    const base = {
      requestsPerDay: 2_000_000,
      spike: 'off',
      itemsPerRequest: 1,
      sloP99Ms: 300,
      noisePercent: 5,
      seed: 3,
      bFleet: 'fixed',
      bModel: 'network-100m',
    };
    const gpu = stateOf({ ...base, bReplicaType: 'gpu', bReplicas: 1 });
    expect(gpu['b.sloBreachMinutes']).toBe(0);
    // $24 a day over ~2.1 M predictions ≈ $0.0115 per 1 000.
    expect(gpu['b.costPerThousandPredictionsUsd'] as number).toBeLessThanOrEqual(0.0125);
    let cheapestCpu = Infinity;
    for (const replicas of [3, 4, 5, 6]) {
      const s = stateOf({
        ...base,
        bReplicaType: 'cpu-large',
        bFleet: 'fixed',
        bReplicas: replicas,
      });
      if (s['b.sloBreachMinutes'] === 0)
        cheapestCpu = Math.min(cheapestCpu, s['b.costPerThousandPredictionsUsd'] as number);
    }
    for (const min of [1, 2, 3])
      for (const target of [30, 40, 50, 60, 70])
        for (const window of [0, 300]) {
          const s = stateOf({
            ...base,
            bReplicaType: 'cpu-large',
            bFleet: 'hpa',
            bMinReplicas: min,
            bMaxReplicas: 20,
            bTargetUtilisationPercent: target,
            bScaleDownWindowS: window,
          });
          if (s['b.sloBreachMinutes'] === 0)
            cheapestCpu = Math.min(cheapestCpu, s['b.costPerThousandPredictionsUsd'] as number);
        }
    // Measured: the cheapest large-CPU setting that meets the objective costs $0.0138.
    expect(cheapestCpu).toBeGreaterThan(0.0125);
  });

  it('a hundred times the traffic needs about seven times the machines', () => {
    const base = {
      requestsPerDay: 10_000_000,
      day: 'tuesday',
      spike: 'off',
      itemsPerRequest: 10,
      sloP99Ms: 200,
      noisePercent: 5,
      seed: 5,
      bFleet: 'fixed',
      bReplicaType: 'cpu-small',
      bModel: 'mlp-10m',
    };
    const smallest = (requestsPerDay: number): number => {
      for (let n = 1; n <= 50; n++)
        if (stateOf({ ...base, requestsPerDay, bReplicas: n })['b.sloBreachMinutes'] === 0)
          return n;
      return Infinity;
    };
    const before = smallest(100_000);
    const after = smallest(10_000_000);
    expect(before).toBe(2);
    expect(after).toBeGreaterThanOrEqual(13);
    expect(after).toBeLessThanOrEqual(15);
  });
});
