/**
 * One run of the pipeline-bisect sandbox: pick last month's or this month's version of each
 * component (data, feature code, training configuration, numeric library), train a logistic
 * regression (`ml/logistic-regression.ts`, Adam on the full batch, deterministic) on the chosen
 * month's training rows, and score it on this month's held-out rows through the serving path,
 * as the monthly retraining job does.
 *
 * Training configuration. Version 1 trains for 20 epochs with learning rate 0.05 (set
 * explicitly) and an L2 penalty λ = 0.0001 on standardised weights; version 2 is the incident's
 * {@link ConfigChange}.
 *
 * Numeric library. Version 1 ("numlib 1.9") computes in double precision; its default learning
 * rate is 0.05. Version 2 ("numlib 2.0") rounds the feature matrices, and the fitted weights
 * before scoring, to single precision (Math.fround), and its default learning rate is 3: a
 * setting left to the default means something else after the upgrade.
 *
 * Metrics on the held-out rows: ROC AUC (`ml/metrics.ts`, Mann–Whitney), and the recall at a
 * false-positive rate of at most 1%: the threshold is the (k+1)-th highest score of a
 * legitimate payment, k = ⌊0.01 · legitimate rows⌋, and the recall is the share of frauds
 * scoring strictly above it.
 */
import { sigmoid, trainLogisticRegression, type LogisticModel } from '@lib/ml/logistic-regression';
import { rocAuc } from '@lib/ml/metrics';
import { encodePayments, FEATURE_COUNT } from './feature-code';
import {
  COMPONENTS,
  resolveIncident,
  type Component,
  type ComponentVersion,
  type Incident,
} from './incidents';
import { lastMonthTraining, thisMonthRows, type LabelledRows, type MonthRows } from './months';

/** The version of each component a run uses. */
export type PipelineChoice = Readonly<Record<Component, ComponentVersion>>;

/** Last month's pipeline: every component old. */
export const LAST_MONTH: PipelineChoice = {
  data: 'old',
  features: 'old',
  config: 'old',
  library: 'old',
};
/** This month's pipeline: every component new. */
export const THIS_MONTH: PipelineChoice = {
  data: 'new',
  features: 'new',
  config: 'new',
  library: 'new',
};

/** Learning rate that version 1 of the config sets, and numlib 1.9's default. */
export const V1_LEARNING_RATE = 0.05;
/** numlib 2.0's default learning rate. */
export const V2_DEFAULT_LEARNING_RATE = 3;
/** Epochs of version 1 of the config. */
export const V1_EPOCHS = 20;
/** Epochs of the `three-epochs` config change. */
export const SHORT_EPOCHS = 3;
/** L2 penalty on standardised weights, in every version. */
export const L2_PENALTY = 0.0001;
/** Largest false-positive rate for the recall metric. */
export const RECALL_FPR = 0.01;

/** What a run's training used, resolved from the versions. */
export interface TrainingSetup {
  /** Adam's learning rate. */
  learningRate: number;
  /** Passes over the training rows. */
  epochs: number;
  /** L2 penalty λ on standardised weights. */
  l2: number;
  /** Whether numbers are rounded to single precision. */
  singlePrecision: boolean;
}

/** The training setup of a choice under an incident (see the module header). */
export function trainingSetup(incident: Incident, choice: PipelineChoice): TrainingSetup {
  const defaultRate = choice.library === 'new' ? V2_DEFAULT_LEARNING_RATE : V1_LEARNING_RATE;
  let learningRate = V1_LEARNING_RATE;
  let epochs = V1_EPOCHS;
  if (choice.config === 'new') {
    if (incident.config === 'three-epochs') epochs = SHORT_EPOCHS;
    if (incident.config === 'relies-on-default') learningRate = defaultRate;
  }
  return { learningRate, epochs, l2: L2_PENALTY, singlePrecision: choice.library === 'new' };
}

/** Validation metrics of one run. */
export interface RunMetrics {
  /** ROC AUC on the month's validation rows. */
  rocAuc: number;
  /** Share of frauds caught at a false-positive rate of at most {@link RECALL_FPR}. */
  recallAtFpr: number;
  /** Validation rows, and frauds among them (as labelled). */
  validationRows: number;
  validationFrauds: number;
}

/** One trained and scored combination. */
export interface PipelineRun {
  choice: PipelineChoice;
  setup: TrainingSetup;
  model: LogisticModel;
  metrics: RunMetrics;
}

/**
 * Recall at a false-positive rate of at most `fpr`: the threshold is the (k+1)-th highest
 * legitimate score, k = ⌊fpr · legitimate rows⌋, and the recall is the share of positives
 * scoring strictly above it. 0 without positives.
 */
export function recallAtFalsePositiveRate(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  fpr: number,
): number {
  const negatives: number[] = [];
  const positives: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    (labels[i] === 1 ? positives : negatives).push(scores[i] as number);
  }
  if (positives.length === 0 || negatives.length === 0) return 0;
  negatives.sort((a, b) => b - a);
  const k = Math.floor(fpr * negatives.length);
  const threshold = negatives[Math.min(k, negatives.length - 1)] as number;
  return positives.filter((score) => score > threshold).length / positives.length;
}

/** A small cache of months and encodings: a bisect trains many combinations of one case. */
const cache = new Map<string, unknown>();
const CACHE_LIMIT = 24;
function cached<T>(key: string, make: () => T): T {
  if (cache.has(key)) {
    const value = cache.get(key) as T;
    cache.delete(key);
    cache.set(key, value);
    return value;
  }
  const value = make();
  cache.set(key, value);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return value;
}

function thisMonthOf(seed: number, incident: Incident): MonthRows {
  return cached(`month/${seed}/${incident.world}/${incident.data}`, () =>
    thisMonthRows(seed, incident.world, incident.data),
  );
}

function trainingRowsOf(seed: number, incident: Incident, data: ComponentVersion): LabelledRows {
  return data === 'old'
    ? cached(`month/${seed}/${incident.world}/last`, () => lastMonthTraining(seed, incident.world))
    : thisMonthOf(seed, incident).training;
}

/** Rounds every value to single precision (a copy). */
function toSingle(values: Float64Array): Float64Array {
  return values.map((v) => Math.fround(v));
}

/**
 * Trains and scores one combination for a seed and case (0 = the seed's mystery case).
 * Deterministic: the same arguments give bit-identical models and metrics.
 */
export function runPipeline(
  seed: number,
  incidentNumber: number,
  choice: PipelineChoice,
): PipelineRun {
  const incident = resolveIncident(incidentNumber, seed);
  const key = `run/${seed}/${incident.number}/${COMPONENTS.map((c) => choice[c]).join('')}`;
  return cached(key, () => {
    const setup = trainingSetup(incident, choice);
    const training = trainingRowsOf(seed, incident, choice.data);
    const validation = thisMonthOf(seed, incident).validation;
    const encode = (rows: LabelledRows, path: 'training' | 'serving'): Float64Array => {
      const x = encodePayments(rows, choice.features, incident.features, path);
      return setup.singlePrecision ? toSingle(x) : x;
    };
    const trainX = encode(training, 'training');
    const validationX = encode(validation, 'serving');
    const fitted = trainLogisticRegression(trainX, FEATURE_COUNT, training.labels, {
      optimizer: 'adam',
      learningRate: setup.learningRate,
      epochs: setup.epochs,
      l2: setup.l2,
    });
    const model: LogisticModel = setup.singlePrecision
      ? { weights: toSingle(fitted.weights), bias: Math.fround(fitted.bias) }
      : fitted;
    const rows = validation.labels.length;
    const scores = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let z = model.bias;
      for (let j = 0; j < FEATURE_COUNT; j++)
        z += model.weights[j]! * validationX[i * FEATURE_COUNT + j]!;
      scores[i] = sigmoid(z);
    }
    let frauds = 0;
    for (const label of validation.labels) frauds += label;
    return {
      choice: { ...choice },
      setup,
      model,
      metrics: {
        rocAuc: rocAuc(validation.labels, scores),
        recallAtFpr: recallAtFalsePositiveRate(validation.labels, scores, RECALL_FPR),
        validationRows: rows,
        validationFrauds: frauds,
      },
    };
  });
}
