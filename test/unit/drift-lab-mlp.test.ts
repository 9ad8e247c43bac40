/**
 * The drift lab's tfjs MLP (lesson 6 sandbox): trains on the CPU backend in Node, scores every
 * request with the plain-JS forward pass, is deterministic for a seed, and the cents-for-dollars
 * bug costs it far more than it costs the logistic regression.
 *
 * Measured on the default seed (seed 1, 30 days × 2,000 payments, cents bug from day 10), CPU
 * backend, 2026-11: net savings clean / with the bug — logistic $91,014 / $91,660 (the bug costs
 * nothing: its standardised amount weight is about 0), MLP $154,770 / $107,004 (the bug costs
 * $47,766). The bounds below are loose versions of those numbers.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendLoaders } from '@lib/compute/backends';
import { trainDriftMlpWithFallback } from '@lib/compute/drift-mlp-job';
import { fitStandardizer } from '@lib/data/fraud-features';
import { featureColumnIndex } from '@lib/drift/faults';
import { driftLabTrainingHistory, mlpLabModel, runDriftLabWithMlp } from '@lib/drift/lab-mlp';
import { driftLabModel, runDriftLab } from '@lib/drift/monitor-lab';
import { trainDriftMlp, type DriftMlpTraining } from '@lib/ml/drift-mlp';
import { DRIFT_MONITOR_DEFAULTS, driftLabSettingsOf } from '@lib/exercises/kinds/drift-monitor';

const settings = driftLabSettingsOf({ ...DRIFT_MONITOR_DEFAULTS });
const clean = { ...settings, faults: [] };
let trained: DriftMlpTraining;

beforeAll(async () => {
  await tf.setBackend('cpu');
  trained = await trainDriftMlp(driftLabTrainingHistory(1, 2000).trainWindow, 1);
}, 60_000);

describe('the drift lab MLP', () => {
  it('trains on the same history rows as the logistic model, on the CPU backend', () => {
    const lab = driftLabTrainingHistory(1, 2000);
    const logistic = driftLabModel(1, 2000);
    expect(lab.trainWindow.features).toEqual(logistic.trainWindow.features);
    expect(trained.backend).toBe('cpu');
    expect(trained.epochs).toBe(10);
    expect(trained.weights.map((l) => [l.inputSize, l.outputSize])).toEqual([
      [lab.trainWindow.cols, 32],
      [32, 16],
      [16, 1],
    ]);
    // A 0.7 % fraud base rate gives a constant-prediction log loss of about 0.04 nats; a model
    // that learnt something ends below it.
    expect(trained.finalLoss).toBeLessThan(0.04);
  });

  it('scores every request with a probability and picks a grid threshold', () => {
    const lab = driftLabTrainingHistory(1, 2000);
    const model = mlpLabModel(lab.trainWindow, trained);
    const day = lab.history.day(9);
    const scores = model.scorer(day.features, day.rows, day.cols);
    expect(scores.length).toBe(2000);
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(Math.round(model.thresholdScore * 100) / 100).toBe(model.thresholdScore);
    const result = runDriftLabWithMlp(settings, trained);
    expect(result.totals.requests).toBe(60_000);
    expect(result.unansweredRequests).toBe(0);
    expect(result.model.thresholdScore).toBe(model.thresholdScore);
  });

  it('is deterministic for a seed on the CPU backend, and another seed changes it', async () => {
    const window = driftLabTrainingHistory(1, 2000).trainWindow;
    const again = await trainDriftMlp(window, 1);
    expect(again.weights).toEqual(trained.weights);
    expect(runDriftLabWithMlp(settings, again).totals).toEqual(
      runDriftLabWithMlp(settings, trained).totals,
    );
    const other = await trainDriftMlp(window, 2);
    expect(other.weights[0]!.kernel).not.toEqual(trained.weights[0]!.kernel);
  }, 60_000);

  it('loses far more money to the cents bug than the logistic regression does', () => {
    const lostLogisticUsd =
      runDriftLab(clean).totals.netSavingsUsd - runDriftLab(settings).totals.netSavingsUsd;
    const lostMlpUsd =
      runDriftLabWithMlp(clean, trained).totals.netSavingsUsd -
      runDriftLabWithMlp(settings, trained).totals.netSavingsUsd;
    // Measured: logistic −$646 (a gain), MLP $47,766.
    expect(Math.abs(lostLogisticUsd)).toBeLessThan(5_000);
    expect(lostMlpUsd).toBeGreaterThan(20_000);
    // The logistic model's amount weight (standardised) is about 0; it cannot care.
    const logistic = driftLabModel(1, 2000).model.logistic;
    const amount = featureColumnIndex('log1pAmountUsd');
    const window = driftLabModel(1, 2000).trainWindow;
    const sd = fitStandardizer(window.features, window.rows, window.cols).stdDevs[amount]!;
    expect(Math.abs(logistic.weights[amount]! * sd)).toBeLessThan(0.2);
  });

  it('falls back to the CPU backend when WASM cannot start', async () => {
    const loaders = {
      wasm: () => Promise.reject(new Error('no wasm here')),
      cpu: () => Promise.resolve(),
    } as unknown as BackendLoaders;
    const job = await trainDriftMlpWithFallback(
      driftLabTrainingHistory(1, 2000).trainWindow,
      1,
      loaders,
    );
    expect(job.failures.map((f) => f.backend)).toEqual(['wasm']);
    expect(job.training.backend).toBe('cpu');
    expect(job.training.weights).toEqual(trained.weights);
  }, 60_000);
});
