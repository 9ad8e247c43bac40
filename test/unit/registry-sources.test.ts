import '@tensorflow/tfjs-backend-cpu';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TrainingJobResult } from '../../src/lib/compute/training-job';
import { returnsKind } from '../../src/lib/exercises/kinds/returns';
import type { ClassificationReport } from '../../src/lib/ml/metrics';
import { replayTraining } from '../../src/lib/exercises/replay-training';
import {
  DEFAULT_TRAINING_SETTINGS,
  type TrainingSettings,
} from '../../src/lib/ml/training-settings';
import { metricsFromState, uploadDataVersion } from '../../src/lib/registry/record';
import { reproduceRun, type RunReplayFunction } from '../../src/lib/registry/reproduce';
import { simulationRun, trainingRun } from '../../src/lib/registry/sources';
import { decodeWeights } from '../../src/lib/registry/weights-bytes';
import { smallWeights } from './registry-fixtures';

const stamp = { createdAt: new Date('2026-11-27T12:00:00.000Z'), appVersion: '0.1.0' };

const report = (rocAuc: number): ClassificationReport => ({
  accuracy: 0.99,
  precision: 0.5,
  recall: 0.6,
  f1: 6 / 11,
  rocAuc,
  prAuc: 0.4,
  logLoss: 0.05,
  confusion: { truePositives: 30, falsePositives: 30, trueNegatives: 2900, falseNegatives: 20 },
  threshold: 0.5,
  positives: 50,
  rows: 2980,
});

const result: TrainingJobResult = {
  status: 'completed',
  backend: 'wasm',
  epochsCompleted: 10,
  history: [],
  validation: report(0.93),
  validationScored: null,
  test: report(0.91),
  msPerEpoch: 12,
  failures: [],
  divergence: null,
  architecture: '3→2→1',
  weights: [],
};

describe('trainingRun', () => {
  it('records the data version, model, settings, backend, metrics and weights of a training run', async () => {
    const { record, weightBytes } = await trainingRun(
      DEFAULT_TRAINING_SETTINGS,
      result,
      smallWeights(),
      stamp,
    );
    // Hand-written canonical JSON of the default data: 20,000 rows, 1 % fraud, seed 42.
    expect(record.dataVersion).toMatchObject({
      kind: 'generator',
      generator: 'fraud-features',
      seed: 42,
      hash: createHash('sha256')
        .update(
          '{"generator":"fraud-features","params":{"fraudRatePercent":1,"rows":20000},"seed":42}',
        )
        .digest('hex'),
    });
    expect(record.backend).toBe('wasm');
    expect(record.settings['backend']).toBe('auto');
    expect(record.settings['hiddenSizes']).toEqual([32, 16]);
    expect(record.model).toEqual({
      family: 'mlp',
      layers: [
        { inputSize: 3, outputSize: 2 },
        { inputSize: 2, outputSize: 1 },
      ],
      hiddenActivation: 'relu',
      outputActivation: 'sigmoid',
      parameters: 11,
    });
    expect(record.metrics['validation.rocAuc']).toBe(0.93);
    expect(record.metrics['test.rocAuc']).toBe(0.91);
    // FPR = FP / (FP + TN) = 30 / 2930.
    expect(record.metrics['confusion.falsePositiveRate']).toBeCloseTo(30 / 2930, 15);
    expect(Object.keys(record.metrics).some((path) => path.startsWith('settings.'))).toBe(false);
    expect(decodeWeights(weightBytes!, record.model!.layers)).toEqual(smallWeights());
  });

  it('records a run that finished no epoch without weights', async () => {
    const empty = {
      ...result,
      status: 'stopped' as const,
      validation: null,
      test: null,
      epochsCompleted: 0,
    };
    const { record, weightBytes } = await trainingRun(
      DEFAULT_TRAINING_SETTINGS,
      empty,
      null,
      stamp,
    );
    expect(record.weights).toBeNull();
    expect(record.model).toBeNull();
    expect(weightBytes).toBeNull();
  });
});

describe('trainingRun on an uploaded file', () => {
  it('names the file by its SHA-256 and keeps the dataset spec among the settings', async () => {
    const bytes = new TextEncoder().encode('a,b,label\n1,2,0\n3,4,1\n');
    const dataVersion = await uploadDataVersion('loans.csv', bytes);
    const specJson = '{"target":"label"}';
    const { record } = await trainingRun(DEFAULT_TRAINING_SETTINGS, result, smallWeights(), stamp, {
      dataVersion,
      specJson,
    });
    expect(record.dataVersion).toEqual({
      kind: 'upload',
      fileName: 'loans.csv',
      bytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(record.settings['csvSpec']).toBe(specJson);
    // The same run on generated data is a different record: the data version is in the id.
    const generated = await trainingRun(DEFAULT_TRAINING_SETTINGS, result, smallWeights(), stamp);
    expect(generated.record.id).not.toBe(record.id);
    expect(generated.record.settings['csvSpec']).toBeUndefined();
  });
});

describe('simulationRun', () => {
  it('records a simulation from its kind and reproduces it exactly in plain JavaScript', async () => {
    const inputs = { ...returnsKind.defaults, seed: 7 };
    const { record } = await simulationRun(returnsKind, inputs, stamp);
    expect(record).toMatchObject({
      sandbox: 'returns',
      backend: 'js',
      seed: 7,
      model: null,
      weights: null,
    });
    expect(record.dataVersion).toMatchObject({
      kind: 'generator',
      generator: 'sandbox:returns',
      seed: 7,
    });
    expect(record.metrics).toEqual(
      metricsFromState(returnsKind.stateOf!(returnsKind.parseInputs(inputs))),
    );
    const verdict = await reproduceRun(
      record,
      async (r) => ({
        metrics: metricsFromState(returnsKind.stateOf!(returnsKind.parseInputs(r.settings))),
        backend: 'js',
      }),
      { appVersion: '0.1.0' },
    );
    expect(verdict.status).toBe('exact');
    expect(verdict.required).toBe('exact');
  });

  it('refuses invalid inputs', async () => {
    await expect(simulationRun(returnsKind, { seed: -1 }, stamp)).rejects.toThrow(RangeError);
  });
});

describe('a real training run, recorded and reproduced on the CPU backend', () => {
  const cpuOnly = {
    cpu: async () => {},
    wasm: async () => {
      throw new Error('cpu only');
    },
    webgl: async () => {
      throw new Error('cpu only');
    },
    webgpu: async () => {
      throw new Error('cpu only');
    },
  };
  const settings: TrainingSettings = {
    ...DEFAULT_TRAINING_SETTINGS,
    model: 'logistic',
    rows: 1000,
    epochs: 2,
    backend: 'cpu',
  };

  it('matches exactly, and says so, when replayed with the same settings', async () => {
    const first = await replayTraining(settings, cpuOnly);
    const { record } = await trainingRun(first.settings, first.result, null, stamp);
    const replay: RunReplayFunction = async (r) => {
      const again = await replayTraining(r.settings, cpuOnly);
      return { metrics: metricsFromState(again.state), backend: again.backend };
    };
    const verdict = await reproduceRun(record, replay, { appVersion: '0.1.0' });
    expect(verdict.status).toBe('exact');
    expect(verdict.comparisons.length).toBeGreaterThan(10);
  }, 60_000);

  it('does not match when the replay trains on another seed, and names the data version', async () => {
    const first = await replayTraining(settings, cpuOnly);
    const { record } = await trainingRun(first.settings, first.result, null, stamp);
    const replay: RunReplayFunction = async (r) => {
      const other = { ...r.settings, seed: 43 };
      const again = await replayTraining(other, cpuOnly);
      const data = await trainingRun(again.settings, again.result, null, stamp);
      return {
        metrics: metricsFromState(again.state),
        backend: again.backend,
        dataVersion: data.record.dataVersion,
      };
    };
    const verdict = await reproduceRun(record, replay, { appVersion: '0.1.0' });
    expect(verdict.status).toBe('mismatch');
    expect(verdict.reasons.some((reason) => reason.startsWith('Different data version'))).toBe(
      true,
    );
  }, 60_000);
});
