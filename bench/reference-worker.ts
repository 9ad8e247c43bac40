/**
 * Worker entry for the benchmark's baseline: the plain Float32Array MLP of
 * src/lib/ml/reference-mlp.ts trained on the sandbox's own dataset (makeFraudDataset with the
 * same rows, seed and fraud rate, so the same 14,000 training rows). bench/run.ts bundles this
 * file with esbuild into one IIFE and starts it from a Blob URL on the lesson page, so it runs in
 * the same browser, under the same conditions, as the tfjs training worker.
 */
import { makeFraudDataset } from '../src/lib/data/fraud-features.ts';
import { rocAuc } from '../src/lib/ml/metrics.ts';
import {
  createReferenceMlp,
  predictReference,
  trainEpochReference,
} from '../src/lib/ml/reference-mlp.ts';
import { createRng } from '../src/lib/random.ts';
import { bootstrapAccuracyAndSavings } from '../src/lib/business/bootstrap.ts';
import { DEFAULT_FRAUD_COSTS } from '../src/lib/business/fraud-money.ts';
import { thresholdView } from '../src/lib/business/threshold-view.ts';

/** The job the page asks for. */
export interface ReferenceJob {
  rows: number;
  seed: number;
  fraudRate: number;
  hiddenSizes: number[];
  batchSize: number;
  learningRate: number;
  epochs: number;
}

/** What the worker answers. */
export interface ReferenceReport {
  /** Time to generate and encode the dataset (makeFraudDataset), ms. */
  datasetMs: number;
  trainRows: number;
  featureCount: number;
  /** Wall time of each epoch's gradient steps, ms (shuffle included, validation excluded). */
  epochMs: number[];
  /** Mean training loss of each epoch. */
  trainLoss: number[];
  /** ROC AUC on the validation split after the last epoch. */
  validationAuc: number;
  /** Rows priced by the business timing (all three splits). */
  businessRows: number;
  /**
   * Each repetition's time for the threshold sandbox's work on every row: the full threshold
   * sweep and grid (thresholdView) plus 1,000 bootstrap resamples of accuracy and savings, ms.
   */
  businessMs: number[];
}

const BUSINESS_REPETITIONS = 5;

/** Concatenates typed arrays. */
function joined(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<ReferenceJob>) => void) | null;
  postMessage(message: ReferenceReport | { error: string }): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event: MessageEvent<ReferenceJob>): void => {
  try {
    const job = event.data;
    const datasetStart = performance.now();
    const dataset = makeFraudDataset({ rows: job.rows, seed: job.seed, fraudRate: job.fraudRate });
    const datasetMs = performance.now() - datasetStart;
    const { train, validation } = dataset;
    const model = createReferenceMlp({
      inputSize: train.featureCount,
      hiddenSizes: job.hiddenSizes,
      seed: job.seed,
    });
    const rng = createRng(`${job.seed}/reference-batch-order`);
    const epochMs: number[] = [];
    const trainLoss: number[] = [];
    for (let epoch = 0; epoch < job.epochs; epoch++) {
      const started = performance.now();
      const loss = trainEpochReference(model, train.features, train.labels, {
        batchSize: job.batchSize,
        learningRate: job.learningRate,
        rng,
      });
      epochMs.push(performance.now() - started);
      trainLoss.push(loss);
    }
    const scores = predictReference(model, validation.features, validation.rows);
    const splits = [train, validation, dataset.test];
    const priced = {
      scores: joined(splits.map((split) => predictReference(model, split.features, split.rows))),
      labels: joined(splits.map((split) => split.labels)),
      amountsUsd: joined(splits.map((split) => split.amountsUsd)),
    };
    const businessMs: number[] = [];
    for (let repetition = 0; repetition < BUSINESS_REPETITIONS; repetition++) {
      const started = performance.now();
      thresholdView(priced, DEFAULT_FRAUD_COSTS, 0.5);
      bootstrapAccuracyAndSavings(priced.labels, priced.scores, priced.amountsUsd, 0.5, {
        seed: repetition,
        resamples: 1000,
        costs: DEFAULT_FRAUD_COSTS,
      });
      businessMs.push(performance.now() - started);
    }
    scope.postMessage({
      businessRows: priced.scores.length,
      businessMs,
      datasetMs,
      trainRows: train.rows,
      featureCount: train.featureCount,
      epochMs,
      trainLoss,
      validationAuc: rocAuc(validation.labels, scores),
    });
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
