/**
 * The served-model catalogue (src/lib/scaling/models.ts): the chapter's numbers, batching,
 * memory fit and cold starts.
 */
import { describe, expect, it } from 'vitest';
import {
  REPLICA_TYPE_IDS,
  REPLICA_TYPES,
  SERVED_MODEL_IDS,
  SERVED_MODELS,
  batchServiceTimeMs,
  coldStartS,
  fitsInMemory,
  replicaThroughputPerS,
  serviceSpecFor,
  serviceTimeMs,
} from '@lib/scaling/models';

describe('the model catalogue', () => {
  it('spans the chapter’s two models: a 1 GB logistic regression and a 100 M-parameter, 16 GB network', () => {
    expect(SERVED_MODELS['logistic-regression'].memoryGb).toBe(1);
    expect(SERVED_MODELS['network-100m'].parameters).toBe(100_000_000);
    expect(SERVED_MODELS['network-100m'].memoryGb).toBe(16);
    // 100 M float32 weights = 0.4 GB.
    expect(SERVED_MODELS['network-100m'].weightsGb).toBeCloseTo((100e6 * 4) / 1e9, 12);
    for (const id of SERVED_MODEL_IDS) {
      const m = SERVED_MODELS[id];
      expect(m.id).toBe(id);
      expect(m.weightsGb).toBeLessThanOrEqual(m.memoryGb);
      expect(m.assumption.length).toBeGreaterThan(40);
    }
    for (const id of REPLICA_TYPE_IDS) expect(REPLICA_TYPES[id].id).toBe(id);
  });

  it('times a batch as fixed + per-item × k and gains throughput from batching on a GPU', () => {
    const net = SERVED_MODELS['network-100m'];
    const gpu = REPLICA_TYPES.gpu;
    expect(batchServiceTimeMs(net, gpu, 1)).toBeCloseTo(6.5, 12);
    expect(batchServiceTimeMs(net, gpu, 32)).toBeCloseTo(6 + 0.5 * 32, 12);
    expect(serviceTimeMs(net, REPLICA_TYPES['cpu-large'])).toBeCloseTo(50, 12);
    // 1000·k/(6 + 0.5k): 153.8/s alone, 1 454.5/s in batches of 32.
    expect(replicaThroughputPerS(net, gpu, 1)).toBeCloseTo(1000 / 6.5, 9);
    expect(replicaThroughputPerS(net, gpu, 32)).toBeCloseTo(32_000 / 22, 9);
    expect(() => batchServiceTimeMs(net, gpu, 0)).toThrow(RangeError);
  });

  it('knows what fits where: the 16 GB network fits the large CPU and the GPU, not the small CPU', () => {
    const net = SERVED_MODELS['network-100m'];
    expect(fitsInMemory(net, REPLICA_TYPES['cpu-small'])).toBe(false);
    expect(fitsInMemory(net, REPLICA_TYPES['cpu-large'])).toBe(true);
    expect(fitsInMemory(net, REPLICA_TYPES.gpu)).toBe(true);
    expect(fitsInMemory(SERVED_MODELS['logistic-regression'], REPLICA_TYPES['cpu-small'])).toBe(
      true,
    );
  });

  it('cold-starts in boot + memory / bandwidth', () => {
    // GPU: 60 s boot + 16 GB at 1 GB/s = 76 s; small CPU: 30 s + 1 GB at 0.2 GB/s = 35 s.
    expect(coldStartS(SERVED_MODELS['network-100m'], REPLICA_TYPES.gpu)).toBe(76);
    expect(coldStartS(SERVED_MODELS['logistic-regression'], REPLICA_TYPES['cpu-small'])).toBe(35);
  });

  it('turns a model and replica into the simulation’s service spec in seconds', () => {
    const spec = serviceSpecFor(SERVED_MODELS['mlp-10m'], REPLICA_TYPES.gpu, {
      maxBatch: 8,
      distribution: 'lognormal',
    });
    expect(spec).toEqual({
      fixedS: 0.002,
      perItemS: 0.0001,
      maxBatch: 8,
      distribution: 'lognormal',
      cv: 0.6,
    });
  });
});
