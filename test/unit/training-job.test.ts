import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { runTrainingJob, type TrainingJobEvent } from '@lib/compute/training-job';
import type { BackendLoaders } from '@lib/compute/backends';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from '@lib/ml/training-settings';

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
    const settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, rows: 12_000, epochs: 6 };
    const result = await runTrainingJob(settings, ['cpu'], cpuOnly, (e) => events.push(e));
    expect(result.status).toBe('completed');
    expect(result.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(result.epochsCompleted).toBe(6);
    expect(result.validation?.rocAuc).toBeGreaterThanOrEqual(0.9);
    expect(result.test?.rocAuc).toBeGreaterThanOrEqual(0.88);
    expect(result.history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    // The loss falls as the model learns.
    expect(result.history[5]!.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(6);
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
});
