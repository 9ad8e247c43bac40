/**
 * The model-count sandbox kind (src/lib/exercises/kinds/model-count.ts): inputs, the refusal of a
 * model too big for its replica, and a state that carries the lab's numbers rounded as shown,
 * with the window the lesson's exercises rely on.
 */
import { describe, expect, it } from 'vitest';
import {
  MODEL_COUNT_DEFAULTS,
  modelCountExerciseState,
  modelCountKind,
  modelCountView,
} from '@lib/exercises/kinds/model-count';
import { cheHitRate, zipfProbabilities } from '@lib/scaling/model-count';

const stateOf = (inputs: Record<string, unknown>) =>
  modelCountExerciseState(modelCountKind.parseInputs(inputs));

describe('the model-count kind', () => {
  it('starts from 8 000 customers with boosted trees on large CPU replicas', () => {
    expect(modelCountKind.parseInputs({})).toEqual(MODEL_COUNT_DEFAULTS);
    expect(MODEL_COUNT_DEFAULTS.customers).toBe(8000);
  });

  it('refuses a model whose runtime does not fit the replica, naming both', () => {
    expect(() =>
      modelCountKind.parseInputs({ model: 'network-100m', replica: 'cpu-small' }),
    ).toThrow(/100-million-parameter network needs 16 GB.*4 GB/);
    expect(() => modelCountKind.parseInputs({ zipfExponent: 2.5 })).toThrow(/zipfExponent/);
    expect(() => modelCountKind.parseInputs({ customers: 8001 })).toThrow(/customers/);
  });

  it('publishes the chosen approach rounded as shown, beside the other two', () => {
    const inputs = modelCountKind.parseInputs({});
    const { view, state } = modelCountView(inputs);
    const lru = view.approaches[2]!;
    expect(state['hitRate']).toBe(Math.round(lru.hitRate * 10_000) / 10_000);
    // Che's hit rate for 200 of 8 000 customers at s = 1, from the engine.
    expect(state['hitRate']).toBeCloseTo(cheHitRate(zipfProbabilities(8000, 1), 200), 4);
    // 5 M requests × (1 − h) loads of 50 + 0.01 GB ÷ 0.5 GB/s = 70 ms each.
    expect(state['coldLoadsPerDay']).toBe(Math.round(5_000_000 * (1 - lru.hitRate)));
    expect(state['modelLoadMs']).toBe(70);
    expect(state['addedP99LatencyMs']).toBe(70);
    // 1.99 GB of runtime + 200 × 10 MB.
    expect(state['memoryPerReplicaGb']).toBe(3.99);
    expect(state['compare.lruCache.costUsdPerDay']).toBe(state['costUsdPerDay']);
    // Every model in memory: 1.99 + 80 GB over 30.01 GB of room → 3 shards of ≤ 2 667 models.
    expect(state['compare.allInMemory.memoryPerReplicaGb']).toBe(28.66);
    expect(state['compare.oneModel.memoryPerReplicaGb']).toBe(2);
    expect(state['input.approach']).toBe('lru-cache');
    expect(Object.keys(state).sort()).toEqual([...modelCountKind.statePaths]);
  });

  it('keeps loads out of the p99 only above a 99% hit rate (the first exercise’s window)', () => {
    const p = zipfProbabilities(8000, 1.6);
    // The smallest cache with fewer than 1% misses, by the engine's Che approximation.
    let smallest = 1;
    while (1 - cheHitRate(p, smallest) > 0.01) smallest += 50;
    while (1 - cheHitRate(p, smallest - 1) <= 0.01) smallest -= 1;
    expect(smallest).toBeGreaterThan(1250);
    expect(smallest).toBeLessThan(1350);
    const at = (cacheModels: number) => stateOf({ zipfExponent: 1.6, cacheModels });
    expect(at(smallest)['addedP99LatencyMs']).toBe(0);
    expect(at(smallest - 1)['addedP99LatencyMs']).toBe(70);
    // 16 GB allows 1.99 + K × 0.01 ≤ 16: K ≤ 1 401, so the window is about a hundred models wide.
    expect(at(1401)['memoryPerReplicaGb']).toBe(16);
    expect(at(1402)['memoryPerReplicaGb']).toBeGreaterThan(16);
  });

  it('makes sharding on large CPUs the only affordable way in the second exercise', () => {
    const base = { model: 'mlp-10m', zipfExponent: 1.4 };
    // The largest caches that fit leave more than 1% of misses, on either replica.
    for (const [replica, fit] of [
      ['gpu', 501],
      ['cpu-large', 701],
    ] as const) {
      const state = stateOf({ ...base, replica, cacheModels: fit });
      expect(state['fits']).toBe(true);
      expect(state['cacheModelsThatFit']).toBe(fit);
      expect(state['addedP99LatencyMs']).toBeGreaterThan(0);
    }
    // 320 GB of models: 16 GPU shards at $24 a day, 12 large-CPU shards at $9.60.
    const gpu = stateOf({ ...base, approach: 'all-in-memory', replica: 'gpu' });
    const large = stateOf({ ...base, approach: 'all-in-memory', replica: 'cpu-large' });
    expect(gpu['shards']).toBe(16);
    expect(gpu['costUsdPerDay']).toBe(384);
    expect(large['shards']).toBe(12);
    expect(large['costUsdPerDay']).toBe(115.2);
  });
});
