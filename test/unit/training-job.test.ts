import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { runTrainingJob, typicalEpochMs, type TrainingJobEvent } from '@lib/compute/training-job';
import type { BackendLoaders } from '@lib/compute/backends';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from '@lib/ml/training-settings';
import { rocAuc } from '@lib/ml/metrics';

const cpuOnly: BackendLoaders = {
  cpu: async () => {},
  wasm: async () => {
    throw new Error('not in this test');
  },
  webgl: async () => {
    throw new Error('not in this test');
  },
  webgpu: async () => {
    throw new Error('not in this test');
  },
};

describe('runTrainingJob on the CPU backend', () => {
  it('trains the default MLP to a validation ROC AUC of at least 0.9', async () => {
    const events: TrainingJobEvent[] = [];
    // The course's default job: 20,000 transactions, MLP 32→16, 10 epochs.
    const settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS };
    const result = await runTrainingJob(settings, ['cpu'], cpuOnly, (e) => events.push(e));
    expect(result.status).toBe('completed');
    expect(result.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(result.epochsCompleted).toBe(10);
    expect(result.validation?.rocAuc).toBeGreaterThanOrEqual(0.9);
    expect(result.test?.rocAuc).toBeGreaterThanOrEqual(0.9);
    expect(result.history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The loss falls as the model learns.
    expect(result.history[9]!.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(10);
    expect(events[0]).toMatchObject({
      type: 'dataset',
      featureCount: 14,
      architecture: '14→32→16→1',
    });
    console.info(
      `cpu: val AUC ${result.validation?.rocAuc.toFixed(4)}, ${result.msPerEpoch?.toFixed(0)} ms/epoch`,
    );
  });

  it('reports a huge learning rate as divergence with a suggestion', async () => {
    const settings: TrainingSettings = {
      ...DEFAULT_TRAINING_SETTINGS,
      rows: 4_000,
      epochs: 5,
      learningRate: 50,
    };
    const result = await runTrainingJob(settings, ['cpu'], cpuOnly, () => {});
    expect(result.status).toBe('diverged');
    expect(result.divergence?.message).toMatch(/learning rate/i);
    expect(result.divergence?.message).toMatch(/smaller/);
  });

  it('reproduces a run exactly from the same settings', async () => {
    const settings: TrainingSettings = {
      ...DEFAULT_TRAINING_SETTINGS,
      rows: 3_000,
      epochs: 2,
      seed: 17,
    };
    const first = await runTrainingJob(settings, ['cpu'], cpuOnly, () => {});
    const second = await runTrainingJob(settings, ['cpu'], cpuOnly, () => {});
    expect(second.history.map((r) => r.trainLoss)).toEqual(first.history.map((r) => r.trainLoss));
    expect(second.test).toEqual(first.test);
    const otherSeed = await runTrainingJob({ ...settings, seed: 18 }, ['cpu'], cpuOnly, () => {});
    expect(otherSeed.history[0]!.trainLoss).not.toBe(first.history[0]!.trainLoss);
  });

  it('stops on the abort signal and keeps the finished epochs', async () => {
    const controller = new AbortController();
    const settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, rows: 3_000, epochs: 50 };
    const result = await runTrainingJob(
      settings,
      ['cpu'],
      cpuOnly,
      (event) => {
        if (event.type === 'epoch' && event.report.epoch === 2) controller.abort();
      },
      controller.signal,
    );
    expect(result.status).toBe('stopped');
    expect(result.epochsCompleted).toBe(2);
    expect(result.validation?.rocAuc).toEqual(expect.any(Number));
    expect(result.test?.rocAuc).toEqual(expect.any(Number));
  });

  it('frees every tensor it made', async () => {
    const settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, rows: 2_000, epochs: 3 };
    await runTrainingJob(settings, ['cpu'], cpuOnly, () => {});
    const before = tf.memory().numTensors;
    await runTrainingJob(settings, ['cpu'], cpuOnly, () => {});
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('typicalEpochMs', () => {
  const epoch = (n: number, ms: number, backend = 'wasm') =>
    ({ epoch: n, trainingMs: ms, backend }) as Parameters<typeof typicalEpochMs>[0][number];
  it('is the median of the epochs after the first, on the given backend', () => {
    expect(
      typicalEpochMs([epoch(1, 900), epoch(2, 100), epoch(3, 300), epoch(4, 200)], 'wasm'),
    ).toBe(200);
    expect(typicalEpochMs([epoch(1, 900), epoch(2, 100), epoch(3, 300)], 'wasm')).toBe(200);
    expect(typicalEpochMs([epoch(1, 900)], 'wasm')).toBe(900);
    expect(typicalEpochMs([epoch(1, 50, 'webgl'), epoch(2, 70), epoch(3, 90)], 'wasm')).toBe(90);
    expect(typicalEpochMs([], 'wasm')).toBeNull();
  });
});

describe('runTrainingJob scores for pricing', () => {
  it('returns the final validation scores with labels and fraud amounts that reproduce its metrics', async () => {
    const settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, rows: 4_000, epochs: 2 };
    const result = await runTrainingJob(settings, ['cpu'], cpuOnly, () => {});
    const scored = result.validationScored!;
    expect(scored.scores).toHaveLength(result.validation!.rows);
    expect(scored.labels).toHaveLength(scored.scores.length);
    expect(scored.amountsUsd).toHaveLength(scored.scores.length);
    expect(rocAuc(scored.labels, scored.scores)).toBeCloseTo(result.validation!.rocAuc, 10);
    expect(Math.min(...scored.amountsUsd)).toBeGreaterThan(0);
  });
});
