/**
 * The drift lab's second deployable model (lesson 6 sandbox only; exercises stay on the logistic
 * regression): an MLP features → 32 → 16 → 1 (ReLU, sigmoid output) trained with tfjs on the
 * active backend, on the same labelled history rows as the lab's logistic regression.
 *
 * Recipe, all from the training sandbox's defaults (`DEFAULT_TRAINING_SETTINGS`): Adam with
 * learning rate 0.01, batches of 256, 10 epochs, no class weighting (positive weight 1),
 * Glorot-uniform initial weights and batch order from the seed. Features are standardised with
 * the training rows' means and population standard deviations (`fitStandardizer`), as the
 * logistic regression does inside. The weights come back as plain arrays; scoring is done
 * without tfjs (`drift/lab-mlp.ts`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fitStandardizer, type Standardizer } from '../data/fraud-features';
import type { LabelledWindow } from '../drift/stream';
import { trainOnActiveBackend, type LabelledMatrix } from './train';
import { DEFAULT_TRAINING_SETTINGS } from './training-settings';
import { initialWeights, type ModelWeights } from './weights';

/** Hidden layer widths of the lab's MLP. */
export const DRIFT_MLP_HIDDEN_SIZES: readonly number[] = [32, 16];

/** Training hyperparameters of the lab's MLP: the training sandbox's defaults. */
export const DRIFT_MLP_TRAINING = {
  learningRate: DEFAULT_TRAINING_SETTINGS.learningRate,
  epochs: DEFAULT_TRAINING_SETTINGS.epochs,
  batchSize: DEFAULT_TRAINING_SETTINGS.batchSize,
  /** classWeighting 'none' → every row weighs 1. */
  positiveWeight: 1,
} as const;

/** A trained lab MLP: plain weights and the standardiser they expect, and how it was trained. */
export interface DriftMlpTraining {
  /** Layers input → 32 → 16 → 1 (kernel row-major fanIn × fanOut). */
  weights: ModelWeights;
  /** Means and standard deviations of the training rows, applied before the first layer. */
  standardizer: Standardizer;
  /** The tfjs backend that ran the training (`tf.getBackend()`). */
  backend: string;
  /** Wall time of the training, in ms. */
  trainingMs: number;
  /** Epochs completed. */
  epochs: number;
  /** Mean training log loss of the last epoch (nats per row). */
  finalLoss: number;
}

/** Standardises a row-major matrix: (x − mean[c]) / sd[c]. */
function standardise(labelled: LabelledWindow, standardizer: Standardizer): Float32Array {
  const out = new Float32Array(labelled.features.length);
  for (let i = 0; i < out.length; i++) {
    const c = i % labelled.cols;
    out[i] = (labelled.features[i]! - standardizer.means[c]!) / standardizer.stdDevs[c]!;
  }
  return out;
}

/**
 * Trains the lab's MLP on a labelled window with Adam on the ACTIVE tfjs backend (the caller
 * picks it: `compute/drift-mlp-job.ts`). The validation matrix tfjs reports per epoch is the
 * window's last day. Deterministic for a seed on the CPU backend.
 *
 * @throws Error when the run diverges, or whatever the backend throws (`BackendFaultError`).
 */
export async function trainDriftMlp(
  labelled: LabelledWindow,
  seed: number,
): Promise<DriftMlpTraining> {
  const started = performance.now();
  const standardizer = fitStandardizer(labelled.features, labelled.rows, labelled.cols);
  const features = standardise(labelled, standardizer);
  const train: LabelledMatrix = {
    features,
    labels: labelled.labels,
    rows: labelled.rows,
    featureCount: labelled.cols,
  };
  const days = labelled.toDay - labelled.fromDay + 1;
  const lastDayRows = Math.floor(labelled.rows / days);
  const first = labelled.rows - lastDayRows;
  const validation: LabelledMatrix = {
    features: features.slice(first * labelled.cols),
    labels: labelled.labels.slice(first),
    rows: lastDayRows,
    featureCount: labelled.cols,
  };
  const outcome = await trainOnActiveBackend(train, validation, {
    ...DRIFT_MLP_TRAINING,
    seed,
    weights: initialWeights(labelled.cols, DRIFT_MLP_HIDDEN_SIZES, seed),
  });
  if (outcome.status !== 'completed') {
    throw new Error(
      `The MLP's training ${outcome.status} after ${outcome.epochsCompleted} epochs.`,
    );
  }
  return {
    weights: outcome.weights,
    standardizer,
    backend: tf.getBackend(),
    trainingMs: performance.now() - started,
    epochs: outcome.epochsCompleted,
    finalLoss: outcome.history.at(-1)?.trainLoss ?? Number.NaN,
  };
}
