/**
 * One training job of the sandbox, end to end: build the dataset from the settings, pick the
 * loss weighting, train with backend fallback, and score the final model on the validation and
 * test splits. The worker is a thin shell around this, so all of it runs under Vitest in Node.
 */
import { makeFraudDataset, type FraudDataset } from '../data/fraud-features';
import { classificationReport, type ClassificationReport } from '../ml/metrics';
import { createTfMlp, predictProbabilities } from '../ml/tf-mlp';
import { balancedPositiveWeight, type EpochReport } from '../ml/train';
import {
  DEFAULT_TRAINING_SETTINGS,
  effectiveHiddenSizes,
  describeArchitecture,
  type TrainingSettings,
} from '../ml/training-settings';
import { initialWeights, parameterCount, type ModelWeights } from '../ml/weights';
import type { BackendName } from './backend-names';
import type { BackendLoaders } from './backends';
import { trainWithFallback, type BackendFailure, type FallbackEvent } from './fallback';
import { csvTrainingDataset, type TrainingData } from './training-data';

export type { TrainingData } from './training-data';

/** What the job tells its caller while it runs. */
export type TrainingJobEvent =
  | {
      type: 'dataset';
      rows: number;
      trainRows: number;
      fraudRate: number;
      featureCount: number;
      architecture: string;
      parameters: number;
      /** Present only for a run on an uploaded file: which file and which target value is 1. */
      csv?: { fileName: string; targetColumn: string; positiveLabel: string };
    }
  | FallbackEvent
  | { type: 'epoch'; report: EpochReport };

/** The end of a job: why it ended, the metrics, and where it ran. */
export interface TrainingJobResult {
  status: 'completed' | 'stopped' | 'diverged';
  backend: BackendName;
  epochsCompleted: number;
  history: EpochReport[];
  /** Final validation metrics (of the last good weights); null when no epoch finished. */
  validation: ClassificationReport | null;
  /**
   * The final model's validation scores with the split's labels and fraud amounts, for
   * sandboxes that price decisions (thresholds, costs); null when no epoch finished.
   */
  validationScored: ScoredRows | null;
  /** Final metrics on the held-out test split; null when no epoch finished. */
  test: ClassificationReport | null;
  /** Typical (median) training time per epoch on the backend that finished the run, in ms. */
  msPerEpoch: number | null;
  failures: BackendFailure[];
  /** A plain explanation and suggestion when the run diverged. */
  divergence: { epoch: number; loss: number; message: string } | null;
  architecture: string;
  /**
   * The final weights (the last good epoch's; the initial ones when no epoch finished), so the
   * page can record the run with its model. Plain typed arrays: they cross the worker boundary.
   */
  weights: ModelWeights;
}

/** Scores of a model on labelled rows, with each row's fraud amount. */
export interface ScoredRows {
  scores: Float32Array;
  labels: Float32Array;
  amountsUsd: Float32Array;
}

let cachedDataset: { key: string; dataset: FraudDataset } | null = null;

/** The dataset for the settings, reused while rows, seed and fraud rate stay the same. */
export function datasetFor(
  settings: Pick<TrainingSettings, 'rows' | 'seed' | 'fraudRatePercent'>,
): FraudDataset {
  const key = `${settings.rows}/${settings.seed}/${settings.fraudRatePercent}`;
  if (cachedDataset?.key !== key) {
    cachedDataset = {
      key,
      dataset: makeFraudDataset({
        rows: settings.rows,
        seed: settings.seed,
        fraudRate: settings.fraudRatePercent / 100,
      }),
    };
  }
  return cachedDataset.dataset;
}

/**
 * The words the learner reads when a run diverges: what happened, why, and what to try.
 */
export function explainDivergence(epoch: number, loss: number, learningRate: number): string {
  const what = Number.isNaN(loss)
    ? 'became NaN (not a number)'
    : Number.isFinite(loss)
      ? `exploded to ${loss.toExponential(2)}`
      : 'became infinite';
  const smaller = Number((learningRate / 10).toPrecision(2));
  return (
    `Training stopped at epoch ${epoch}: the loss ${what}. ` +
    `With a learning rate of ${learningRate}, each step overshoots the minimum and the weights grow ` +
    `until the loss blows up, and further epochs cannot recover. ` +
    `Try a learning rate at least ten times smaller (${smaller} or less); ` +
    `the default, ${DEFAULT_TRAINING_SETTINGS.learningRate}, trains this model well.`
  );
}

/**
 * The typical epoch time on a backend: the median over its epochs after the first. The first
 * includes shader compilation or WASM warm-up, and the median shrugs off the JIT's early epochs
 * and the odd pause, which a mean would not.
 */
export function typicalEpochMs(history: readonly EpochReport[], backend: string): number | null {
  const epochs = history.filter((report) => report.backend === backend);
  if (epochs.length === 0) return null;
  const steady = (epochs.length > 1 ? epochs.slice(1) : epochs).map((r) => r.trainingMs);
  steady.sort((a, b) => a - b);
  const middle = Math.floor(steady.length / 2);
  return steady.length % 2 === 1
    ? (steady[middle] as number)
    : ((steady[middle - 1] as number) + (steady[middle] as number)) / 2;
}

/**
 * Runs one training job; see the module comment. `data` picks the rows: the synthetic
 * transactions of the settings (the default, also `{ kind: 'generator' }`) or an uploaded file
 * (`{ kind: 'csv', … }`, split with the settings' seed; rows and fraud rate then do not apply).
 */
export async function runTrainingJob(
  settings: TrainingSettings,
  backendOrder: readonly BackendName[],
  loaders: BackendLoaders,
  onEvent: (event: TrainingJobEvent) => void,
  signal?: AbortSignal,
  beforeBatch?: (epoch: number, batchIndex: number) => void,
  data?: TrainingData,
): Promise<TrainingJobResult> {
  const csv = data?.kind === 'csv' ? csvTrainingDataset(data, settings.seed) : null;
  const dataset: FraudDataset = csv ?? datasetFor(settings);
  const hiddenSizes = effectiveHiddenSizes(settings);
  const featureCount = dataset.train.featureCount;
  const weights = initialWeights(featureCount, hiddenSizes, settings.seed);
  const architecture = describeArchitecture(featureCount, hiddenSizes);
  onEvent({
    type: 'dataset',
    rows: csv ? csv.matrix.rows : settings.rows,
    trainRows: dataset.train.rows,
    fraudRate: dataset.fraudRate,
    featureCount,
    architecture,
    parameters: parameterCount(weights),
    ...(csv && data?.kind === 'csv'
      ? {
          csv: {
            fileName: data.fileName,
            targetColumn: csv.targetColumn,
            positiveLabel: csv.positiveLabel,
          },
        }
      : {}),
  });
  const positiveWeight =
    settings.classWeighting === 'balanced' ? balancedPositiveWeight(dataset.train.labels) : 1;

  const outcome = await trainWithFallback(
    backendOrder,
    loaders,
    dataset.train,
    dataset.validation,
    {
      learningRate: settings.learningRate,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      positiveWeight,
      seed: settings.seed,
      weights,
      onEpoch: (report) => onEvent({ type: 'epoch', report }),
      ...(signal ? { signal } : {}),
      ...(beforeBatch ? { beforeBatch } : {}),
    },
    onEvent,
  );

  const { history, divergence } = outcome;
  const lastEpoch = history[history.length - 1];
  let test: ClassificationReport | null = null;
  let validationScored: ScoredRows | null = null;
  if (lastEpoch) {
    const model = createTfMlp(outcome.weights);
    try {
      const testScores = await predictProbabilities(
        model,
        dataset.test.features,
        dataset.test.rows,
        featureCount,
      );
      test = classificationReport(dataset.test.labels, testScores, 0.5);
      validationScored = {
        scores: await predictProbabilities(
          model,
          dataset.validation.features,
          dataset.validation.rows,
          featureCount,
        ),
        labels: dataset.validation.labels.slice(),
        amountsUsd: dataset.validation.amountsUsd.slice(),
      };
    } finally {
      model.dispose();
    }
  }

  return {
    status: outcome.status,
    backend: outcome.backend,
    epochsCompleted: outcome.epochsCompleted,
    history,
    validation: lastEpoch?.validation ?? null,
    validationScored,
    test,
    msPerEpoch: typicalEpochMs(history, outcome.backend),
    failures: outcome.failures,
    divergence: divergence
      ? {
          ...divergence,
          message: explainDivergence(divergence.epoch, divergence.loss, settings.learningRate),
        }
      : null,
    architecture,
    weights: outcome.weights,
  };
}
