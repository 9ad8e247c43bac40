/**
 * The training loop over tfjs, on whichever backend is active. It reports each epoch through a
 * callback, stops on an AbortSignal, detects divergence (a NaN or infinite loss) and keeps a
 * snapshot of the weights at every epoch boundary, so a caller can resume the run elsewhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../random';
import { classificationReport, type ClassificationReport } from './metrics';
import { createAdamTrainer } from './adam-trainer';
import { createTfMlp, predictProbabilities } from './tf-mlp';
import { cloneWeights, type ModelWeights } from './weights';

/**
 * The epoch loss above which a run counts as diverged, besides NaN and ±Infinity. A mean log loss
 * above 20 nats per row means the model puts, on average, less than e^-20 ≈ 2·10⁻⁹ probability on
 * the true class; no working run gets near it (always predicting the base rate scores about 0.06
 * at 1% fraud). Adam normalises its steps, so too large a rate usually explodes the loss long
 * before anything overflows to NaN.
 */
export const EXPLODED_LOSS_NATS = 20;

/** A feature matrix (row-major, rows × featureCount) with 0/1 labels. */
export interface LabelledMatrix {
  features: Float32Array;
  labels: Float32Array;
  rows: number;
  featureCount: number;
}

/** What one finished epoch looked like. */
export interface EpochReport {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean weighted log loss over the epoch's training batches. */
  trainLoss: number;
  /** Metrics on the validation split at threshold 0.5. */
  validation: ClassificationReport;
  /** Wall time of the epoch's gradient steps, in ms (validation scoring excluded). */
  trainingMs: number;
  /** The tfjs backend that ran the epoch. */
  backend: string;
}

/** Hyperparameters and hooks for {@link trainOnActiveBackend}. */
export interface TrainOptions {
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Loss weight of positive rows (1 = unweighted). */
  positiveWeight: number;
  /** Seed of the batch order; epoch e always uses the same order, whatever the backend. */
  seed: number;
  /** Weights to start from (initial or resumed). */
  weights: ModelWeights;
  /** Number of epochs already done (0 for a new run). */
  startEpoch?: number;
  signal?: AbortSignal;
  onEpoch?: (report: EpochReport) => void;
  /** Called before each gradient step; throwing here models a backend fault mid-run. */
  beforeBatch?: (epoch: number, batchIndex: number) => void;
  /**
   * Resolves with a reason when the backend's GPU device or context is lost. tfjs does not
   * always fail after a loss (reading a WebGL result can wait forever), so every wait races
   * this, and a loss becomes a backend fault like any other.
   */
  deviceLost?: Promise<string>;
}

/** Why a run ended and what it produced. */
export interface TrainOutcome {
  status: 'completed' | 'stopped' | 'diverged';
  epochsCompleted: number;
  /** Weights after the last epoch that ended with a finite loss. */
  weights: ModelWeights;
  history: EpochReport[];
  /** Set when status is `diverged`: the epoch whose loss was not finite, and that loss. */
  divergence?: { epoch: number; loss: number };
}

/** Raised when the backend failed mid-run; carries the last good state so the run can resume. */
export class BackendFaultError extends Error {
  constructor(
    readonly backend: string,
    override readonly cause: unknown,
    readonly lastGoodWeights: ModelWeights,
    readonly epochsCompleted: number,
    readonly history: EpochReport[],
  ) {
    super(
      `The ${backend} backend failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'BackendFaultError';
  }
}

/**
 * Lets queued messages (a Stop press) reach the worker during a long epoch. A MessageChannel
 * round trip is a macrotask without setTimeout's 4 ms clamp.
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined')
    return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

const YIELD_EVERY_MS = 25;

/** A permutation of 0..rows−1 for one epoch, from the run's seed and the epoch number. */
export function epochOrder(rows: number, seed: number, epoch: number): Int32Array {
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const rng = createRng(seed).fork(`batch-order/${epoch}`);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}

/**
 * Trains with Adam on the active tfjs backend. Resolves when the epochs are done, when the signal
 * aborts (status `stopped`, after the current batch) or when the epoch loss is NaN, infinite or
 * above {@link EXPLODED_LOSS_NATS} (status `diverged`; the weights stay those of the last good epoch). A fault of the backend rejects with {@link BackendFaultError}.
 */
export async function trainOnActiveBackend(
  train: LabelledMatrix,
  validation: LabelledMatrix,
  options: TrainOptions,
): Promise<TrainOutcome> {
  const backend = tf.getBackend();
  const history: EpochReport[] = [];
  let lastGood = cloneWeights(options.weights);
  let epochsCompleted = options.startEpoch ?? 0;
  const featureCount = train.featureCount;

  let lostReason: string | null = null;
  void options.deviceLost?.then((reason) => (lostReason = reason));
  const lost = options.deviceLost?.then((reason): never => {
    throw new Error(reason);
  });
  // Keeps a rejected `lost` from being reported as unhandled when nothing awaits it.
  lost?.catch(() => undefined);
  const unlessLost = <T>(promise: Promise<T>): Promise<T> =>
    lost ? Promise.race([promise, lost]) : promise;

  const model = createTfMlp(options.weights);
  const trainer = createAdamTrainer(model, { learningRate: options.learningRate });
  const trainX = tf.tensor2d(train.features, [train.rows, featureCount]);
  const trainY = tf.tensor2d(train.labels, [train.rows, 1]);
  const outcome = (
    status: TrainOutcome['status'],
    extra: Partial<TrainOutcome> = {},
  ): TrainOutcome => ({
    status,
    epochsCompleted,
    weights: lastGood,
    history,
    ...extra,
  });

  try {
    for (let epoch = epochsCompleted + 1; epoch <= options.epochs; epoch++) {
      if (options.signal?.aborted) return outcome('stopped');
      const started = performance.now();
      let sinceYield = started;
      const order = tf.tensor1d(epochOrder(train.rows, options.seed, epoch), 'int32');
      const costs: tf.Scalar[] = [];
      const batchRows: number[] = [];
      try {
        for (
          let start = 0, batchIndex = 0;
          start < train.rows;
          start += options.batchSize, batchIndex++
        ) {
          options.beforeBatch?.(epoch, batchIndex);
          if (lostReason !== null) throw new Error(lostReason);
          const size = Math.min(options.batchSize, train.rows - start);
          const [x, y] = tf.tidy(() => {
            const indices = tf.slice(order, start, size);
            return [
              tf.gather(trainX, indices) as tf.Tensor2D,
              tf.gather(trainY, indices) as tf.Tensor2D,
            ];
          });
          try {
            costs.push(trainer.step(x, y, options.positiveWeight));
          } finally {
            x.dispose();
            y.dispose();
          }
          batchRows.push(size);
          const now = performance.now();
          if (now - sinceYield > YIELD_EVERY_MS) {
            await unlessLost(yieldToEventLoop());
            sinceYield = performance.now();
            if (options.signal?.aborted) return outcome('stopped');
          }
        }
        const stacked = tf.stack(costs);
        const perBatch = await unlessLost(stacked.data());
        stacked.dispose();
        let weighted = 0;
        perBatch.forEach((cost, i) => (weighted += cost * (batchRows[i] as number)));
        const trainLoss = weighted / train.rows;
        const trainingMs = performance.now() - started;
        if (!(trainLoss <= EXPLODED_LOSS_NATS)) {
          return outcome('diverged', { divergence: { epoch, loss: trainLoss } });
        }

        const weights = await unlessLost(model.readWeights());
        const scores = await unlessLost(
          predictProbabilities(model, validation.features, validation.rows, featureCount),
        );
        lastGood = weights;
        epochsCompleted = epoch;
        const report: EpochReport = {
          epoch,
          trainLoss,
          validation: classificationReport(validation.labels, scores, 0.5),
          trainingMs,
          backend,
        };
        history.push(report);
        options.onEpoch?.(report);
      } finally {
        order.dispose();
        for (const cost of costs) cost.dispose();
      }
    }
    return outcome('completed');
  } catch (error) {
    throw new BackendFaultError(backend, error, lastGood, epochsCompleted, history);
  } finally {
    model.dispose();
    trainer.dispose();
    trainX.dispose();
    trainY.dispose();
  }
}

/**
 * Loss weight that balances the classes: negatives ÷ positives of the training labels
 * (so both classes carry equal total weight), or 1 when there are no positives.
 */
export function balancedPositiveWeight(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  return positives === 0 ? 1 : (labels.length - positives) / positives;
}
