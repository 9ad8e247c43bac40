/**
 * The model-count lab (src/lib/scaling/model-count-lab.ts): its assumptions worked by hand, the
 * Newton form of Che's approximation against the engine's bisection, the warm simulation against
 * King's exact formula, and the three approaches for the chapter's 8 000 customers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '@lib/random';
import { cheHitRate, lruHitRateExact, zipfProbabilities } from '@lib/scaling/model-count';
import {
  PEAK_TO_MEAN,
  cheHitRates,
  computeReplicasFor,
  curveCapacities,
  modelCountLab,
  modelLoadMs,
  modelsThatFit,
  runtimeGb,
  warmLruHitRate,
  type ModelCountLabSettings,
} from '@lib/scaling/model-count-lab';
import { REPLICA_TYPES, SERVED_MODELS } from '@lib/scaling/models';

const trees = SERVED_MODELS['boosted-trees'];
const mlp = SERVED_MODELS['mlp-10m'];
const network = SERVED_MODELS['network-100m'];
const { gpu } = REPLICA_TYPES;
const large = REPLICA_TYPES['cpu-large'];
const small = REPLICA_TYPES['cpu-small'];

describe('the lab’s assumptions', () => {
  it('takes the busiest minute of the default day, about 1.65 × the mean', () => {
    // traffic.ts: the default daily curve peaks at 1.65 around 18:30.
    expect(PEAK_TO_MEAN).toBeGreaterThan(1.64);
    expect(PEAK_TO_MEAN).toBeLessThan(1.66);
  });

  it('splits a model’s memory into runtime and weights, and times a load', () => {
    expect(runtimeGb(network)).toBeCloseTo(15.6, 12); // 16 GB − 0.4 GB of weights
    // 50 ms + 0.4 GB ÷ 1 GB/s = 450 ms (the engine test's load time); 50 + 0.01 ÷ 0.5 s = 70 ms.
    expect(modelLoadMs(network, gpu)).toBeCloseTo(450, 9);
    expect(modelLoadMs(trees, large)).toBeCloseTo(70, 9);
  });

  it('counts the models a replica holds beside its runtime', () => {
    expect(modelsThatFit(network, gpu)).toBe(21); // (24 − 15.6) / 0.4 = 21
    expect(modelsThatFit(trees, large)).toBe(3001); // (32 − 1.99) / 0.01 = 3 001
    expect(modelsThatFit(mlp, small)).toBe(1); // (4 − 3.96) / 0.04 = 1
    expect(modelsThatFit(network, small)).toBe(0);
  });

  it('sizes the compute fleet at 60% busy in the busiest minute', () => {
    // 10 M a day = 115.74/s on average; × 1.6528 = 191.3/s; × 7 ms (10 M network on a CPU)
    // = 1.339 replicas busy; ÷ 0.6 = 2.23 → 3.
    const busy = ((10_000_000 / 86_400) * PEAK_TO_MEAN * 7) / 1000;
    expect(busy).toBeCloseTo(1.339, 3);
    expect(computeReplicasFor(mlp, large, 10_000_000)).toBe(3);
    // 10 000 a day keeps a replica busy 0.4% of the time: still one replica.
    expect(computeReplicasFor(trees, large, 10_000)).toBe(1);
  });

  it('lists the curve’s cache sizes', () => {
    expect(curveCapacities(1)).toEqual([1]);
    expect(curveCapacities(10)).toEqual([1, 2, 3, 5, 10]);
    expect(curveCapacities(8000)).toEqual([
      1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 8000,
    ]);
  });
});

describe('Che’s hit rate by Newton steps', () => {
  it('is K / N for uniform popularity', () => {
    const rates = cheHitRates(zipfProbabilities(100, 0), [30, 0, 100, 150]);
    expect(rates[0]).toBeCloseTo(0.3, 9);
    expect(Array.from(rates.slice(1))).toEqual([0, 1, 1]);
  });

  it('agrees with the engine’s bisection to 1e-9, whatever the order of the sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }),
        (n, s, sizes) => {
          const p = zipfProbabilities(n, s);
          const fast = cheHitRates(p, sizes);
          sizes.forEach((k, i) => expect(Math.abs(fast[i]! - cheHitRate(p, k))).toBeLessThan(1e-9));
        },
      ),
      { seed: 11, numRuns: 60 },
    );
  });
});

describe('the warm simulation', () => {
  it('matches King’s exact stationary hit rate on a small catalogue', () => {
    const p = Float64Array.from([0.4, 0.25, 0.15, 0.1, 0.06, 0.04]);
    // 100 000 counted requests: standard error about 0.0015.
    expect(warmLruHitRate(p, 3, createRng(9))).toBeCloseTo(lruHitRateExact(p, 3), 2);
  });

  it('is reproducible from its seed', () => {
    const p = zipfProbabilities(500, 1);
    expect(warmLruHitRate(p, 50, createRng(4))).toBe(warmLruHitRate(p, 50, createRng(4)));
  });
});

describe('the three approaches for 8 000 customers', () => {
  const settings: ModelCountLabSettings = {
    approach: 'lru-cache',
    customers: 8000,
    zipfExponent: 1,
    cacheModels: 21,
    model: 'network-100m',
    replica: 'gpu',
    requestsPerDay: 5_000_000,
    seed: 1,
  };

  it('shards 8 000 big networks over 381 GPUs, or caches 21 of them', () => {
    const view = modelCountLab(settings);
    const [one, all, lru] = view.approaches;
    // 5 M a day × 1.6528 / 86 400 × 6.5 ms / 0.6 = 1.04 → 2 GPUs for compute.
    expect(view.computeReplicas).toBe(2);
    expect(one!.replicas).toBe(2);
    expect(one!.costUsdPerDay).toBe(48);
    // 8 000 × 0.4 GB over 8.4 GB of room per GPU: ⌈380.95⌉ = 381 shards of at most 21 models,
    // each 15.6 + 21 × 0.4 = 24 GB: exactly a GPU.
    expect(all!.shards).toBe(381);
    expect(all!.memoryPerReplicaGb).toBeCloseTo(24, 9);
    expect(all!.fits).toBe(true);
    expect(all!.replicas).toBeGreaterThanOrEqual(381);
    expect(all!.costUsdPerDay).toBe(all!.replicas * 24);
    // The cache: Che's hit rate; misses above 1% put the 450 ms load in the p99.
    expect(lru!.hitRate).toBeCloseTo(cheHitRate(zipfProbabilities(8000, 1), 21), 12);
    expect(lru!.fits).toBe(true);
    expect(lru!.addedP99LatencyMs).toBeCloseTo(450, 9);
    expect(view.chosen).toBe(lru);
    expect(Math.abs(view.simulatedHitRate! - lru!.hitRate)).toBeLessThan(0.01);
    expect(view.curve.cacheModels).toEqual(curveCapacities(8000));
  });

  it('says when a cache does not fit, and skips the simulation when it holds everyone', () => {
    const view = modelCountLab({ ...settings, cacheModels: 22 });
    expect(view.chosen.fits).toBe(false);
    const everyone = modelCountLab({ ...settings, customers: 20, cacheModels: 40 });
    expect(everyone.simulatedHitRate).toBeNull();
    expect(everyone.chosen.hitRate).toBe(1);
    expect(everyone.chosen.addedP99LatencyMs).toBe(0);
  });

  it('refuses a model that cannot serve on the replica', () => {
    expect(() => modelCountLab({ ...settings, replica: 'cpu-small' })).toThrow(RangeError);
  });
});
