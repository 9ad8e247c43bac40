/**
 * The Kubernetes HPA step function (src/lib/scaling/hpa.ts), against sequences worked by hand
 * from the algorithm in the Kubernetes documentation ("Horizontal Pod Autoscaling") and the
 * controller's source (horizontal.go, replica_calculator.go).
 */
import { describe, expect, it } from 'vitest';
import {
  createHpaState,
  defaultHpaConfig,
  hpaRawRecommendation,
  hpaStep,
  type HpaConfig,
  type HpaState,
} from '@lib/scaling/hpa';

/** Steps every 15 s with all replicas ready; `metricFor(state)` gives the observed metric. */
function runSteps(
  state: HpaState,
  steps: number,
  startS: number,
  metricFor: (s: HpaState, timeS: number) => number,
): { state: HpaState; replicas: number[] } {
  const replicas: number[] = [];
  let s = state;
  for (let k = 0; k < steps; k++) {
    const timeS = startS + 15 * k;
    s = hpaStep(s, { timeS, readyReplicas: s.replicas, metricValue: metricFor(s, timeS) });
    replicas.push(s.replicas);
  }
  return { state: s, replicas };
}

describe('the replica formula and its tolerance', () => {
  it('desired = ⌈current × currentMetric / targetMetric⌉', () => {
    // 4 replicas at 90% against a 60% target: ⌈4 × 1.5⌉ = 6.
    expect(hpaRawRecommendation(4, 4, 0.9, 0.6, 0.1).replicas).toBe(6);
    // 10 at 20% against 60%: ⌈10/3⌉ = 4.
    expect(hpaRawRecommendation(10, 10, 0.2, 0.6, 0.1).replicas).toBe(4);
  });

  it('skips changes within the 0.1 tolerance: ratio 1.05 → no change, 1.15 → scale', () => {
    const config = defaultHpaConfig(1, 100, 0.6);
    const state = createHpaState(config, 10);
    const within = hpaStep(state, { timeS: 0, readyReplicas: 10, metricValue: 0.63 }); // ratio 1.05
    expect(within.replicas).toBe(10);
    expect(within.last.reason).toBe('within-tolerance');
    const below = hpaStep(state, { timeS: 0, readyReplicas: 10, metricValue: 0.57 }); // ratio 0.95
    expect(below.replicas).toBe(10);
    const beyond = hpaStep(state, { timeS: 0, readyReplicas: 10, metricValue: 0.69 }); // ratio 1.15
    expect(beyond.replicas).toBe(12); // ⌈11.5⌉
  });

  it('counts starting replicas as idle when scaling up (the controller’s not-ready rule)', () => {
    // 10 replicas, 5 ready at 100% against 50%: ratio 2, but with the 5 starting ones at 0 the
    // ratio is 2·5/10 = 1.0 — within tolerance, so wait for them.
    expect(hpaRawRecommendation(10, 5, 1.0, 0.5, 0.1)).toMatchObject({
      replicas: 10,
      reason: 'within-tolerance',
    });
    // At 150%: ratio′ = 3·5/10 = 1.5 → ⌈1.5 × 10⌉ = 15.
    expect(hpaRawRecommendation(10, 5, 1.5, 0.5, 0.1).replicas).toBe(15);
    // No ready replica: no metric, keep the count.
    expect(hpaRawRecommendation(3, 0, NaN, 0.5, 0.1)).toMatchObject({
      replicas: 3,
      reason: 'no-metric',
    });
  });
});

describe('stabilisation', () => {
  it('a dip in load does not scale down until the 300 s window has passed', () => {
    const config = defaultHpaConfig(1, 100, 0.6);
    // Steady at the target from t = 0 to 300 s (21 steps): every raw recommendation is 10.
    const steady = runSteps(createHpaState(config, 10), 21, 0, () => 0.6);
    expect(steady.replicas.every((r) => r === 10)).toBe(true);
    // From 315 s the load halves: raw recommendation ⌈10 × 0.3/0.6⌉ = 5.
    const dip = runSteps(steady.state, 19, 315, () => 0.3); // 315 … 585 s
    expect(dip.replicas.every((r) => r === 10)).toBe(true);
    expect(dip.state.last.reason).toBe('stabilised');
    expect(dip.state.last.rawReplicas).toBe(5);
    // At 600 s the last "10" (recorded at 300 s) leaves the window (recorded > now − 300 only).
    const after = hpaStep(dip.state, { timeS: 600, readyReplicas: 10, metricValue: 0.3 });
    expect(after.replicas).toBe(5);
  });

  it('a short dip followed by the old load never scales down', () => {
    const config = defaultHpaConfig(1, 100, 0.6);
    const steady = runSteps(createHpaState(config, 10), 10, 0, () => 0.6);
    const dip = runSteps(steady.state, 8, 150, () => 0.2); // two minutes at a third
    const back = runSteps(dip.state, 30, 270, () => 0.6);
    expect([...dip.replicas, ...back.replicas].every((r) => r === 10)).toBe(true);
  });

  it('a scale-up window takes the lowest recent recommendation', () => {
    const config = defaultHpaConfig(1, 100, 0.5, {
      scaleUp: {
        stabilizationWindowS: 60,
        policies: [{ type: 'Pods', value: 100, periodS: 15 }],
        selectPolicy: 'Max',
      },
    });
    // 4 replicas at 50%, then a burst at 100% (raw 8): held at 4 while a "4" is in the last 60 s.
    const steady = runSteps(createHpaState(config, 4), 4, 0, () => 0.5); // 0 … 45 s, raw 4
    const burst = runSteps(steady.state, 5, 60, (s) => (0.5 * 8) / s.replicas); // raw 8
    // At 60 s the raws in (0, 60] are 4, 4, 4 (15–45 s) → 4; at 105 s the last 4 (45 s) is out.
    expect(burst.replicas).toEqual([4, 4, 4, 8, 8]);
  });
});

describe('rate policies and bounds', () => {
  it('scale up is limited to max(+100%, +4 pods) per 15 s by default: 2 → 6 → 12 → 20', () => {
    const config = defaultHpaConfig(1, 24, 0.5);
    // The metric always asks for 20: currentMetric = target × 20 / ready.
    const { replicas } = runSteps(createHpaState(config, 2), 4, 0, (s) => (0.5 * 20) / s.replicas);
    // Step 1: max(⌈2 × 2⌉, 2 + 4) = 6. Step 2 (the event 15 s ago is outside the period):
    // max(12, 10) = 12. Step 3: max(24, 16) = 24 ≥ 20 → 20.
    expect(replicas).toEqual([6, 12, 20, 20]);
  });

  it('rounds a Percent allowance up when scaling up and down when scaling down', () => {
    const up = defaultHpaConfig(1, 100, 0.5, {
      scaleUp: {
        stabilizationWindowS: 0,
        policies: [{ type: 'Percent', value: 50, periodS: 15 }],
        selectPolicy: 'Max',
      },
    });
    // From 5: ⌈7.5⌉ = 8, then ⌈12⌉ = 12, then ⌈18⌉ = 18 (the metric always asks for 40).
    expect(runSteps(createHpaState(up, 5), 3, 0, (s) => (0.5 * 40) / s.replicas).replicas).toEqual([
      8, 12, 18,
    ]);
    const down = defaultHpaConfig(1, 100, 0.5, {
      scaleDown: {
        stabilizationWindowS: 0,
        policies: [{ type: 'Percent', value: 50, periodS: 15 }],
        selectPolicy: 'Max',
      },
    });
    // From 5: ⌊2.5⌋ = 2 — the controller truncates, so a scale down may go further than half.
    expect(runSteps(createHpaState(down, 5), 1, 0, (s) => (0.5 * 1) / s.replicas).replicas).toEqual(
      [2],
    );
  });

  it('selectPolicy Min takes the smaller allowance; Disabled forbids the direction', () => {
    const min: HpaConfig = defaultHpaConfig(1, 100, 0.5, {
      scaleUp: {
        stabilizationWindowS: 0,
        policies: [
          { type: 'Percent', value: 100, periodS: 15 },
          { type: 'Pods', value: 4, periodS: 15 },
        ],
        selectPolicy: 'Min',
      },
    });
    const s = hpaStep(createHpaState(min, 10), { timeS: 0, readyReplicas: 10, metricValue: 1.5 });
    expect(s.replicas).toBe(14); // min(20, 14)
    expect(s.last.reason).toBe('rate-limited');
    const off = defaultHpaConfig(1, 100, 0.5, {
      scaleUp: { ...min.scaleUp, selectPolicy: 'Disabled' },
    });
    expect(
      hpaStep(createHpaState(off, 10), { timeS: 0, readyReplicas: 10, metricValue: 1.5 }).replicas,
    ).toBe(10);
  });

  it('scale down limited to −10% per 60 s: 100 → 90, held for a minute, then 81', () => {
    const config = defaultHpaConfig(1, 200, 0.5, {
      scaleDown: {
        stabilizationWindowS: 0,
        policies: [{ type: 'Percent', value: 10, periodS: 60 }],
        selectPolicy: 'Max',
      },
    });
    // The metric asks for 50 throughout.
    const { replicas } = runSteps(
      createHpaState(config, 100),
      6,
      0,
      (s) => (0.5 * 50) / s.replicas,
    );
    // t = 0: ⌊100 × 0.9⌋ = 90. t = 15 … 45: 10 removed within the last 60 s → period start 100
    // → limit 90. t = 60: the event at 0 is out → ⌊90 × 0.9⌋ = 81. t = 75: start 90 → 81.
    expect(replicas).toEqual([90, 90, 90, 90, 81, 81]);
  });

  it('scale down by at most 4 pods per 60 s', () => {
    const config = defaultHpaConfig(1, 200, 0.5, {
      scaleDown: {
        stabilizationWindowS: 0,
        policies: [{ type: 'Pods', value: 4, periodS: 60 }],
        selectPolicy: 'Max',
      },
    });
    const { replicas } = runSteps(createHpaState(config, 20), 9, 0, (s) => (0.5 * 2) / s.replicas);
    expect(replicas).toEqual([16, 16, 16, 16, 12, 12, 12, 12, 8]);
  });

  it('clamps to [min, max] and records why', () => {
    const config = defaultHpaConfig(5, 8, 0.5);
    const below = hpaStep(createHpaState(config, 3), {
      timeS: 0,
      readyReplicas: 3,
      metricValue: 0.5,
    });
    expect(below.replicas).toBe(5);
    expect(below.last.reason).toBe('below-min');
    const above = hpaStep(createHpaState(config, 12), {
      timeS: 0,
      readyReplicas: 12,
      metricValue: 0.5,
    });
    expect(above.replicas).toBe(8);
    // Asking for 40 from 6 is capped at max 8 (the rate policy would allow 12).
    const capped = hpaStep(createHpaState(config, 6), {
      timeS: 0,
      readyReplicas: 6,
      metricValue: 5,
    });
    expect(capped.replicas).toBe(8);
    expect(capped.last.reason).toBe('bounded');
    // Asking for 1 is held at min 5.
    const floor = hpaStep(createHpaState(config, 6), {
      timeS: 0,
      readyReplicas: 6,
      metricValue: 0.01,
    });
    expect(floor.replicas).toBe(5);
  });
});

describe('purity', () => {
  it('returns new states and never changes the old one; time may not go backwards', () => {
    const state = createHpaState(defaultHpaConfig(1, 50, 0.6), 10);
    const frozen = JSON.stringify(state);
    const next = hpaStep(state, { timeS: 0, readyReplicas: 10, metricValue: 1.2 });
    expect(JSON.stringify(state)).toBe(frozen);
    expect(next).not.toBe(state);
    expect(next.scaleUpEvents).toEqual([{ timeS: 0, change: 10 }]);
    const again = hpaStep(state, { timeS: 0, readyReplicas: 10, metricValue: 1.2 });
    expect(again).toEqual(next);
    expect(() => hpaStep(next, { timeS: -1, readyReplicas: 10, metricValue: 1 })).toThrow(
      RangeError,
    );
    expect(() => defaultHpaConfig(5, 2, 0.5)).toThrow(RangeError);
  });

  it('forgets history older than its windows and periods', () => {
    const config = defaultHpaConfig(1, 50, 0.6);
    const { state } = runSteps(createHpaState(config, 10), 100, 0, () => 0.6);
    // Window 300 s at 15 s steps: at most 20 recommendations are kept.
    expect(state.recommendations.length).toBeLessThanOrEqual(20);
    expect(state.scaleUpEvents.length).toBe(0);
  });
});
