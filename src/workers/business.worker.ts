/// <reference lib="webworker" />
/**
 * The business worker: bootstrap intervals for the threshold sandbox (1,000 resamples), kept off
 * the main thread so dragging the threshold stays smooth.
 */
import * as Comlink from 'comlink';
import {
  bootstrapAccuracyAndSavings,
  type AccuracyAndSavingsIntervals,
} from '../lib/business/bootstrap';
import type { FraudCostModel } from '../lib/business/fraud-money';
import {
  compareModels,
  type ModelComparison,
  type NamedScoredRows,
} from '../lib/business/model-comparison';

const api = {
  /** Two models judged by accuracy and by money, with intervals (see business/model-comparison). */
  compare(
    models: NamedScoredRows[],
    costs: FraudCostModel,
    threshold: number,
    seed: number,
  ): ModelComparison {
    return compareModels(models, costs, threshold, seed);
  },
  /** Percentile intervals of accuracy and net savings at a threshold (see business/bootstrap). */
  intervals(
    labels: Float32Array,
    scores: Float32Array,
    amountsUsd: Float32Array,
    threshold: number,
    costs: FraudCostModel,
    seed: number,
  ): AccuracyAndSavingsIntervals {
    return bootstrapAccuracyAndSavings(labels, scores, amountsUsd, threshold, {
      costs,
      seed,
      resamples: 1000,
      confidence: 0.95,
    });
  },
};

/** The business worker's API as seen through Comlink. */
export type BusinessWorkerApi = typeof api;

Comlink.expose(api);
