/** Hand-made runs for the registry tests. */
import type { ModelWeights } from '../../src/lib/ml/weights';
import {
  createRunRecord,
  generatorDataVersion,
  type CreateRunRecordOptions,
  type RunRecord,
} from '../../src/lib/registry/record';
import {
  describeWeightBytes,
  encodeWeights,
  modelSpecOf,
} from '../../src/lib/registry/weights-bytes';

/**
 * A 3→2→1 model whose weights are exact in float32 (powers of two): 3·2 + 2 + 2·1 + 1 = 11
 * parameters, 44 bytes.
 */
export function smallWeights(): ModelWeights {
  return [
    {
      inputSize: 3,
      outputSize: 2,
      kernel: Float32Array.from([0.5, -1, 0.25, 2, -0.125, 1]),
      bias: Float32Array.from([0, 0.5]),
    },
    {
      inputSize: 2,
      outputSize: 1,
      kernel: Float32Array.from([1.5, -0.75]),
      bias: Float32Array.from([0.0625]),
    },
  ];
}

/** A training run on cpu with the small model; `overrides` replace any option. */
export async function makeRun(
  overrides: Partial<CreateRunRecordOptions> = {},
  weights: ModelWeights = smallWeights(),
): Promise<{ record: RunRecord; bytes: Uint8Array }> {
  const bytes = encodeWeights(weights);
  const record = await createRunRecord({
    createdAt: new Date('2026-11-27T10:00:00.000Z'),
    appVersion: '0.1.0',
    sandbox: 'training',
    dataVersion: await generatorDataVersion({
      generator: 'fraud-features',
      params: { rows: 20000, fraudRatePercent: 1 },
      seed: 42,
    }),
    model: modelSpecOf(weights, 'mlp'),
    settings: {
      model: 'mlp',
      hiddenSizes: [2],
      learningRate: 0.01,
      epochs: 10,
      batchSize: 256,
      seed: 42,
    },
    seed: 42,
    backend: 'cpu',
    metrics: {
      'run.status': 'completed',
      'run.epochs': 10,
      'validation.rocAuc': 0.93,
      'validation.logLoss': 0.05,
      'validation.recall': 0.6,
      'confusion.falsePositives': 40,
    },
    weights: await describeWeightBytes(bytes),
    ...overrides,
  });
  return { record, bytes };
}
