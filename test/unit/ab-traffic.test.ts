/**
 * The A/B test sandbox's engine: seeded traffic between two catalogue models, the decision
 * rule, the sample-size plan, and the peeking panel's Monte Carlo.
 */
import { describe, expect, it } from 'vitest';
import { twoProportionZTest } from '@lib/experiments/ab-test';
import {
  AB_GUARDRAIL_TOLERANCE,
  AB_MODEL_IDS,
  AB_MODELS,
  armOfUser,
  decideAbTest,
  planAbTest,
  simulateAbTest,
  usersInArmA,
  type AbModelId,
  type AbTrafficConfig,
} from '@lib/experiments/ab-traffic';
import { peekingCurve, peekingPoint } from '@lib/experiments/peeking-study';

const config = (
  modelB: AbModelId,
  usersPerArm: number,
  seed: number,
  modelA: AbModelId = 'current',
): AbTrafficConfig => ({ modelA, modelB, usersPerArm, alpha: 0.05, seed });

/** Share of seeds 1 … count for which `predicate` holds. */
function shareOfSeeds(count: number, predicate: (seed: number) => boolean): number {
  let hits = 0;
  for (let seed = 1; seed <= count; seed++) if (predicate(seed)) hits++;
  return hits / count;
}

describe('the model catalogue', () => {
  it('holds the chapter’s model that solves problems faster and sells less', () => {
    const fast = AB_MODELS['fast-answers'];
    const current = AB_MODELS.current;
    // Best offline, and fewer support contacts, yet fewer buyers.
    for (const id of AB_MODEL_IDS)
      expect(fast.offlineAccuracy).toBeGreaterThanOrEqual(AB_MODELS[id].offlineAccuracy);
    expect(fast.supportContactRate).toBeLessThan(current.supportContactRate);
    expect(fast.purchaseRate).toBeLessThan(current.purchaseRate);
  });

  it('keeps every rate a probability and every id its key', () => {
    for (const id of AB_MODEL_IDS) {
      const model = AB_MODELS[id];
      expect(model.id).toBe(id);
      for (const rate of [model.offlineAccuracy, model.purchaseRate, model.supportContactRate]) {
        expect(rate).toBeGreaterThan(0);
        expect(rate).toBeLessThan(1);
      }
    }
  });
});

describe('the seeded 50/50 split', () => {
  it('sends each user to a fixed arm for a seed, and about half to each', () => {
    expect(armOfUser(3, 17)).toBe(armOfUser(3, 17));
    const total = 100_000;
    const inA = usersInArmA(3, total);
    // Binomial(100,000, ½): SD = √(100,000/4) ≈ 158; allow 4 SD.
    expect(Math.abs(inA - total / 2)).toBeLessThan(4 * 158);
    // Another seed reassigns users: about half of them change arm.
    let moved = 0;
    for (let i = 0; i < 10_000; i++) if (armOfUser(3, i) !== armOfUser(4, i)) moved++;
    expect(moved).toBeGreaterThan(4_800);
    expect(moved).toBeLessThan(5_200);
  });

  it('counts the arm A users it reports', () => {
    let count = 0;
    for (let i = 0; i < 1_000; i++) if (armOfUser(9, i) === 'a') count++;
    expect(usersInArmA(9, 1_000)).toBe(count);
  });
});

describe('simulateAbTest', () => {
  it('conserves users and is deterministic by seed', () => {
    for (const seed of [1, 2, 3]) {
      const result = simulateAbTest(config('session-aware', 5_000, seed));
      expect(result.a.users + result.b.users).toBe(10_000);
      for (const arm of [result.a, result.b]) {
        expect(arm.purchases).toBeGreaterThanOrEqual(0);
        expect(arm.purchases).toBeLessThanOrEqual(arm.users);
        expect(arm.supportContacts).toBeLessThanOrEqual(arm.users);
      }
      expect(simulateAbTest(config('session-aware', 5_000, seed))).toEqual(result);
    }
    expect(simulateAbTest(config('session-aware', 5_000, 1)).a).not.toEqual(
      simulateAbTest(config('session-aware', 5_000, 2)).a,
    );
  });

  it('tests the KPI and the guardrail with the two-proportion z-test on its counts', () => {
    const result = simulateAbTest(config('upsell', 8_000, 5));
    const kpi = twoProportionZTest({
      usersA: result.a.users,
      conversionsA: result.a.purchases,
      usersB: result.b.users,
      conversionsB: result.b.purchases,
    });
    expect(result.kpi).toEqual(kpi);
    expect(result.guardrail.difference).toBeCloseTo(
      result.b.supportContacts / result.b.users - result.a.supportContacts / result.a.users,
      12,
    );
  });

  it('rejects a true lift of 0 in about α of the seeds (an A/A test)', () => {
    // 2,000 seeds: SE of the share = √(0.05·0.95/2,000) ≈ 0.0049; allow 3 SE around 0.05.
    const share = shareOfSeeds(
      2_000,
      (seed) => simulateAbTest(config('current', 2_000, seed)).kpi.significant,
    );
    expect(share).toBeGreaterThan(0.05 - 3 * 0.0049);
    expect(share).toBeLessThan(0.05 + 3 * 0.0049);
    // The offline-better retrained model has no true effect either.
    const retrained = shareOfSeeds(
      1_000,
      (seed) => simulateAbTest(config('retrained', 2_000, seed)).kpi.significant,
    );
    expect(retrained).toBeLessThan(0.05 + 3 * 0.0069);
  });

  it('detects a real lift about as often as the power formula says', () => {
    // 10% → 11% with 14,751 users per arm: planned power 0.80. 300 seeds: SE ≈ 0.023.
    const share = shareOfSeeds(300, (seed) => {
      const r = simulateAbTest(config('session-aware', 14_751, seed));
      return r.kpi.significant && r.kpi.difference > 0;
    });
    expect(share).toBeGreaterThan(0.8 - 3 * 0.023);
    expect(share).toBeLessThan(0.8 + 3 * 0.023);
  });

  it('ships a big true lift tested on a big sample', () => {
    // 10% → 11% at 100,000 users per arm: power ≈ 1 − 1e-9 (z shift ≈ 7.3).
    for (let seed = 1; seed <= 20; seed++) {
      const result = simulateAbTest(config('session-aware', 100_000, seed));
      expect(result.decision).toEqual({ decision: 'ship-b', reason: 'kpi-up' });
    }
  });

  it('keeps the control when the offline-best model sells less (the chapter’s point)', () => {
    const result = simulateAbTest(config('fast-answers', 200_000, 4));
    expect(result.offline.prefers).toBe('b');
    expect(result.kpi.significant).toBe(true);
    expect(result.kpi.difference).toBeLessThan(0);
    // Support contacts fall: the guardrail looks better, the business metric is worse.
    expect(result.guardrail.difference).toBeLessThan(0);
    expect(result.decision).toEqual({ decision: 'keep-a', reason: 'kpi-down' });
  });

  it('keeps the control when the KPI rises but the guardrail is harmed', () => {
    const result = simulateAbTest(config('upsell', 200_000, 4));
    expect(result.kpi.significant && result.kpi.difference > 0).toBe(true);
    expect(result.guardrailWorse).toBe(true);
    expect(result.decision).toEqual({ decision: 'keep-a', reason: 'guardrail-worse' });
  });

  it('refuses impossible inputs', () => {
    expect(() => simulateAbTest(config('current', 50, 1))).toThrow(RangeError);
    expect(() => simulateAbTest(config('current', 1000.5, 1))).toThrow(RangeError);
    expect(() => simulateAbTest({ ...config('current', 1000, 1), alpha: 0 })).toThrow(RangeError);
    expect(() => simulateAbTest(config('nope' as AbModelId, 1000, 1))).toThrow(RangeError);
  });
});

describe('decideAbTest', () => {
  const test = (conversionsA: number, conversionsB: number) =>
    twoProportionZTest({ usersA: 10_000, conversionsA, usersB: 10_000, conversionsB });
  // 1,000 vs 1,200 of 10,000: z ≈ 4.5, significant. 500 vs 600: z ≈ 3.1, +1 point.
  const kpiUp = test(1_000, 1_200);
  const kpiDown = test(1_200, 1_000);
  const kpiFlat = test(1_000, 1_010);
  const guardrailUp = test(500, 600);
  const guardrailFlat = test(500, 505);

  it('ships B only on a significant lift with the guardrail held', () => {
    expect(decideAbTest(kpiUp, guardrailFlat)).toEqual({ decision: 'ship-b', reason: 'kpi-up' });
    expect(decideAbTest(kpiUp, guardrailUp)).toEqual({
      decision: 'keep-a',
      reason: 'guardrail-worse',
    });
    expect(decideAbTest(kpiFlat, guardrailFlat)).toEqual({
      decision: 'keep-a',
      reason: 'no-clear-difference',
    });
    expect(decideAbTest(kpiDown, guardrailFlat)).toEqual({
      decision: 'keep-a',
      reason: 'kpi-down',
    });
    // A guardrail that improves significantly never blocks.
    expect(decideAbTest(kpiUp, test(600, 500)).decision).toBe('ship-b');
  });

  it('tolerates a significant guardrail rise smaller than the tolerance', () => {
    // 100,000 per arm, 5.0% → 5.3%: z ≈ 3.0 (significant) but +0.3 points < 0.5.
    const small = twoProportionZTest({
      usersA: 100_000,
      conversionsA: 5_000,
      usersB: 100_000,
      conversionsB: 5_300,
    });
    expect(small.significant).toBe(true);
    expect(small.difference).toBeLessThan(AB_GUARDRAIL_TOLERANCE);
    expect(decideAbTest(kpiUp, small).decision).toBe('ship-b');
    expect(decideAbTest(kpiUp, small, 0.002).decision).toBe('keep-a');
  });
});

describe('planAbTest', () => {
  it('gives the Fleiss sample size and the power of the chosen size', () => {
    // 10% → 12% (2 points), α 0.05, 80%: 3,841 per arm (ab-test.ts's pinned example).
    const two = planAbTest({
      baselineRatePercent: 10,
      minDetectableLiftPoints: 2,
      alpha: 0.05,
      power: 0.8,
      usersPerArm: 3_841,
    });
    expect(two.usersPerArmNeeded).toBe(3_841);
    expect(two.powerOfChosenSize).toBeCloseTo(0.8, 3);
    // 10% → 11%: by hand, (1.95996·√(2·0.105·0.895) + 0.84162·√(0.09 + 0.0979))² / 0.01²
    // = (0.84970 + 0.36481)² / 0.0001 = 14,750.3 → 14,751.
    const one = planAbTest({
      baselineRatePercent: 10,
      minDetectableLiftPoints: 1,
      alpha: 0.05,
      power: 0.8,
      usersPerArm: 2_000,
    });
    expect(one.usersPerArmNeeded).toBe(14_751);
    // Power of 2,000 per arm: Φ((0.01·√2000 − 0.84970)/0.43347) = Φ(−0.9286) ≈ 0.177.
    expect(one.powerOfChosenSize).toBeCloseTo(0.177, 2);
  });
});

describe('the peeking study', () => {
  it('reproduces the inflation of naive peeking and holds α with boundaries', () => {
    // Armitage et al. (1969): 5 looks at α = 0.05 → 0.142. SE at 20,000 tests ≈ 0.0025.
    const naive = peekingPoint({ looks: 5, method: 'naive', alpha: 0.05, seed: 1 });
    expect(naive.falsePositiveRate).toBeGreaterThan(0.142 - 4 * 0.0025);
    expect(naive.falsePositiveRate).toBeLessThan(0.142 + 4 * 0.0025);
    expect(naive.zBoundaries).toHaveLength(5);
    expect(naive.zBoundaries[0]).toBeCloseTo(1.96, 2);
    for (const method of ['pocock', 'obrien-fleming'] as const) {
      const point = peekingPoint({ looks: 5, method, alpha: 0.05, seed: 1 });
      // The boundary's own Monte Carlo (±0.0015) plus this one's (±0.0015).
      expect(Math.abs(point.falsePositiveRate - 0.05)).toBeLessThan(0.008);
      expect(point.standardError).toBeCloseTo(Math.sqrt((0.05 * 0.95) / 20_000), 3);
    }
    // Pocock k = 5: constant 2.413 in Jennison & Turnbull's Table 2.1 (±0.03 at 20,000 paths).
    const pocock = peekingPoint({ looks: 5, method: 'pocock', alpha: 0.05, seed: 1 });
    expect(pocock.zBoundaries[0]).toBeGreaterThan(2.38);
    expect(pocock.zBoundaries[0]).toBeLessThan(2.45);
  });

  it('draws a curve whose points are the points', () => {
    const curve = peekingCurve({ alpha: 0.05, seed: 2, maxLooks: 4, simulations: 2_000 });
    expect(curve.looks).toEqual([1, 2, 3, 4]);
    expect(curve.rates['naive'][2]).toBe(
      peekingPoint({ looks: 3, method: 'naive', alpha: 0.05, seed: 2, simulations: 2_000 })
        .falsePositiveRate,
    );
    expect(curve.rates['obrien-fleming']).toHaveLength(4);
    expect(() => peekingPoint({ looks: 21, method: 'naive', alpha: 0.05, seed: 1 })).toThrow(
      RangeError,
    );
  });
});
