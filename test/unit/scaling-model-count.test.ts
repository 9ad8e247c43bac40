/**
 * Model count (src/lib/scaling/model-count.ts): Zipf popularity, the LRU cache against an exact
 * hand-worked case, King's formula and Che's approximation, the stack property, and the three
 * strategies side by side.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '@lib/random';
import {
  cheHitRate,
  compareModelStrategies,
  lruHitRateExact,
  sampleCustomers,
  simulateLru,
  zipfProbabilities,
  type ModelCountInput,
} from '@lib/scaling/model-count';

describe('Zipf popularity', () => {
  it('normalises i^{−s} and is uniform at s = 0', () => {
    const p = zipfProbabilities(3, 1);
    // 1, 1/2, 1/3 over 11/6.
    expect(Array.from(p)).toEqual([6 / 11, 3 / 11, 2 / 11].map((x) => expect.closeTo(x, 15)));
    expect(Array.from(zipfProbabilities(4, 0))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('samples customers in proportion', () => {
    const p = zipfProbabilities(5, 1.2);
    const draws = sampleCustomers(p, 200_000, createRng(1));
    const counts = new Array<number>(5).fill(0);
    for (const c of draws) counts[c]!++;
    for (let i = 0; i < 5; i++) expect(counts[i]! / 200_000).toBeCloseTo(p[i]!, 2);
  });
});

describe('the LRU cache', () => {
  it('follows a hand-traced sequence', () => {
    // Capacity 2 over A B A C B A (0 1 0 2 1 0): miss miss hit miss(evict B) miss(evict A) miss.
    expect(simulateLru(Int32Array.from([0, 1, 0, 2, 1, 0]), 3, 2)).toEqual({
      hits: 1,
      misses: 5,
      hitRate: 1 / 6,
    });
    // Capacity 3 holds everything after the first three misses.
    expect(simulateLru(Int32Array.from([0, 1, 0, 2, 1, 0]), 3, 3).hits).toBe(3);
    expect(simulateLru(Int32Array.from([0, 0, 0]), 3, 0).hits).toBe(0);
  });

  it('King’s exact formula: p = (0.5, 0.3, 0.2), K = 2 gives 0.719 285 7…', () => {
    // By hand: a request misses only if the two most recent distinct items are the other two.
    // miss(1) = p2·p3/(1−p2) + p3·p2/(1−p3) = 0.06/0.7 + 0.06/0.8 = 0.160 714…
    // miss(2) = 0.1/0.5 + 0.1/0.8 = 0.325;  miss(3) = 0.15/0.5 + 0.15/0.7 = 0.514 285…
    // hit = 1 − (0.5·0.160714 + 0.3·0.325 + 0.2·0.514286) = 0.719 285 7…
    const byHand =
      1 -
      (0.5 * (0.06 / 0.7 + 0.06 / 0.8) +
        0.3 * (0.1 / 0.5 + 0.1 / 0.8) +
        0.2 * (0.15 / 0.5 + 0.15 / 0.7));
    expect(byHand).toBeCloseTo(0.7192857, 7);
    expect(lruHitRateExact([0.5, 0.3, 0.2], 2)).toBeCloseTo(byHand, 14);
    // Uniform popularity: the hit rate is K/N.
    expect(lruHitRateExact([0.25, 0.25, 0.25, 0.25], 3)).toBeCloseTo(0.75, 14);
  });

  it('the simulation converges to the exact stationary hit rate', () => {
    const p = Float64Array.from([0.4, 0.25, 0.15, 0.1, 0.06, 0.04]);
    const exact = lruHitRateExact(p, 3);
    const requests = sampleCustomers(p, 400_000, createRng(2));
    expect(simulateLru(requests, 6, 3).hitRate).toBeCloseTo(exact, 2);
  });

  it('Che’s approximation: exact for uniform popularity, within 1% of simulation under Zipf', () => {
    expect(cheHitRate(zipfProbabilities(100, 0), 30)).toBeCloseTo(0.3, 9);
    expect(cheHitRate(zipfProbabilities(100, 1), 100)).toBe(1);
    const p = zipfProbabilities(2000, 0.9);
    const requests = sampleCustomers(p, 1_000_000, createRng(3));
    for (const k of [20, 200, 800]) {
      const simulated = simulateLru(requests, 2000, k).hitRate;
      expect(Math.abs(cheHitRate(p, k) - simulated)).toBeLessThan(0.01);
    }
    // And close to King's exact value on a small catalogue.
    const small = zipfProbabilities(7, 1);
    expect(Math.abs(cheHitRate(small, 3) - lruHitRateExact(small, 3))).toBeLessThan(0.02);
  });

  it('a bigger cache never lowers the hit count on the same sequence (LRU is a stack algorithm)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 29 }), { minLength: 1, maxLength: 500 }),
        fc.integer({ min: 0, max: 30 }),
        (ids, k) => {
          const requests = Int32Array.from(ids);
          expect(simulateLru(requests, 30, k + 1).hits).toBeGreaterThanOrEqual(
            simulateLru(requests, 30, k).hits,
          );
        },
      ),
      { seed: 8, numRuns: 300 },
    );
  });
});

describe('one model, all models, or a cache', () => {
  // The chapter's 8 000 customers, one 100 M-parameter model each (0.4 GB of weights), on
  // 24 GB GPUs with a 4 GB runtime; 10 GPUs for compute; a load takes 450 ms.
  const input: ModelCountInput = {
    customers: 8000,
    zipfExponent: 1,
    requestsPerDay: 5_000_000,
    modelWeightsGb: 0.4,
    runtimeGb: 4,
    replicaMemoryGb: 24,
    replicaCostUsdPerHour: 1,
    computeReplicas: 10,
    cacheModels: 50,
    modelLoadMs: 450,
    simulatedRequests: 200_000,
  };

  it('shows why 8 000 models cannot all sit in memory', () => {
    const [one, all, lru] = compareModelStrategies(input, createRng(4));
    expect(one!.memoryPerReplicaGb).toBeCloseTo(4.4, 12);
    expect(one!.costUsdPerDay).toBe(240);
    // 4 + 8 000 × 0.4 = 3 204 GB per replica; 20 GB of room per GPU → 160 shards, each needing
    // at least one GPU.
    expect(all!.memoryPerReplicaGb).toBeCloseTo(3204, 9);
    expect(all!.fitsOneReplica).toBe(false);
    expect(all!.shards).toBe(160);
    expect(all!.replicas).toBeGreaterThanOrEqual(160);
    expect(all!.costUsdPerDay).toBeGreaterThanOrEqual(160 * 24);
    // 50 models: 4 + 20 = 24 GB — fits; the hit rate is Che's.
    expect(lru!.memoryPerReplicaGb).toBeCloseTo(24, 9);
    expect(lru!.fitsOneReplica).toBe(true);
    expect(lru!.hitRate).toBeCloseTo(cheHitRate(zipfProbabilities(8000, 1), 50), 12);
    expect(Math.abs(lru!.hitRateSimulated - lru!.hitRate)).toBeLessThan(0.02);
    // Misses above 1% put the load time into the p99.
    expect(1 - lru!.hitRate).toBeGreaterThan(0.05);
    expect(lru!.addedP99LatencyMs).toBe(450);
    expect(lru!.addedMeanLatencyMs).toBeCloseTo((1 - lru!.hitRate) * 450, 9);
    expect(lru!.coldLoadsPerDay).toBeCloseTo(5_000_000 * (1 - lru!.hitRate), 6);
    // Loads occupy replicas: ⌈loads × 0.45 s / 86 400 s⌉ more.
    expect(lru!.replicas).toBe(10 + Math.ceil((lru!.coldLoadsPerDay * 0.45) / 86_400));
    expect(lru!.costUsdPerDay).toBeLessThan(all!.costUsdPerDay);
  });

  it('puts the added latency in the tail only when misses are common enough', () => {
    // Small models (logistic regressions, 10 kB) fit 2 000 per replica: 1 − h < 1% → p99 adds 0.
    const [, all, lru] = compareModelStrategies(
      {
        ...input,
        modelWeightsGb: 0.000_01,
        runtimeGb: 1,
        replicaMemoryGb: 4,
        cacheModels: 7000,
        zipfExponent: 1.2,
        simulatedRequests: 0,
      },
      createRng(5),
    );
    expect(all!.fitsOneReplica).toBe(true);
    expect(all!.shards).toBe(1);
    expect(1 - lru!.hitRate).toBeLessThan(0.01);
    expect(lru!.addedP99LatencyMs).toBe(0);
    expect(Number.isNaN(lru!.hitRateSimulated)).toBe(true);
  });

  it('validates its inputs', () => {
    expect(() => compareModelStrategies({ ...input, customers: 0 }, createRng(1))).toThrow(
      RangeError,
    );
    expect(() => compareModelStrategies({ ...input, cacheModels: 0 }, createRng(1))).toThrow(
      RangeError,
    );
  });
});
