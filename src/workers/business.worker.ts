/// <reference lib="webworker" />
/**
 * The business worker: bootstrap intervals for the threshold sandbox (1,000 resamples), kept off
 * the main thread so dragging the threshold stays smooth; and the take-rate sandbox's month of
 * home pages (about 150 ms for 2,000 members and three recommenders); and the batch-vs-online
 * sandbox's simulated day (tens of ms for 4,000 sessions, twice); and the ad sandbox's click
 * model and auction day (a few hundred ms for 50,000 logged impressions).
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
import {
  batchOnlineKind,
  batchOnlineView,
  type BatchOnlineView,
} from '../lib/exercises/kinds/batch-online';
import { adsRun, type AdsRun, type AdsSandboxInputs } from '../lib/exercises/kinds/ads';
import {
  takeRateRun,
  type TakeRateRun,
  type TakeRateSandboxInputs,
} from '../lib/exercises/kinds/take-rate';

const api = {
  /** The ad sandbox: a click model trained and an auction day run (exercises/kinds/ads). */
  ads(inputs: AdsSandboxInputs): AdsRun {
    return adsRun(inputs);
  },
  /**
   * The batch-vs-online sandbox's day, its half-shift twin and exercise state for these inputs
   * (validated by the kind; a RangeError names a refused input). See kinds/batch-online.
   */
  batchOnline(inputs: Record<string, unknown>): BatchOnlineView {
    return batchOnlineView(batchOnlineKind.parseInputs(inputs));
  },
  /** The take-rate sandbox: three recommenders simulated and compared (exercises/kinds/take-rate). */
  takeRate(inputs: TakeRateSandboxInputs): TakeRateRun {
    return takeRateRun(inputs);
  },
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
