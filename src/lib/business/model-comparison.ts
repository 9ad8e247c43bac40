/**
 * Two (or more) models on the same validation rows, judged twice: by accuracy and by the money
 * they save at one threshold, each with a bootstrap interval. It answers the question behind
 * "94% → 94.2%": does the better-scoring model make more money, and can the data even tell?
 */
import { rocAuc } from '../ml/metrics';
import { bootstrapAccuracyAndSavings, type BootstrapInterval } from './bootstrap';
import { fraudSavingsAt, type FraudCostModel } from './fraud-money';
import type { ScoredRowsLike } from './threshold-view';

/** One model to compare: a name for people and its scored validation rows. */
export interface NamedScoredRows {
  name: string;
  rows: ScoredRowsLike;
}

/** One model's two judgements. */
export interface ModelJudgement {
  name: string;
  rocAuc: number;
  accuracy: BootstrapInterval;
  netSavingsUsd: BootstrapInterval;
}

/** The comparison and what it means. */
export interface ModelComparison {
  models: ModelJudgement[];
  /** Index of the model with the highest accuracy (first on ties). */
  accuracyLeader: number;
  /** Index of the model with the highest net savings (first on ties). */
  savingsLeader: number;
  /** true when accuracy and money pick different models. */
  rankingsDisagree: boolean;
  /** Gap between the best and second-best accuracy, in percentage points. */
  accuracyGapPoints: number;
  /** true when the leaders' 95% intervals overlap: the data cannot tell them apart. */
  accuracyIntervalsOverlap: boolean;
  savingsIntervalsOverlap: boolean;
}

function overlap(a: BootstrapInterval, b: BootstrapInterval): boolean {
  return a.low <= b.high && b.low <= a.high;
}

function leader(values: number[]): number {
  let best = 0;
  values.forEach((value, index) => {
    if (value > (values[best] ?? -Infinity)) best = index;
  });
  return best;
}

/** Index of the best value other than `skip`. */
function runnerUp(values: number[], skip: number): number {
  let best = -1;
  values.forEach((value, index) => {
    if (index !== skip && (best < 0 || value > (values[best] ?? -Infinity))) best = index;
  });
  return best;
}

/**
 * Judges each model at `threshold` with the same cost model and the same bootstrap seed
 * (1,000 resamples, 95%), and says whether accuracy and money agree. Needs at least two models.
 */
export function compareModels(
  models: readonly NamedScoredRows[],
  costs: FraudCostModel,
  threshold: number,
  seed: number,
): ModelComparison {
  if (models.length < 2) throw new RangeError('compareModels needs at least two models');
  const judged: ModelJudgement[] = models.map(({ name, rows }) => {
    const intervals = bootstrapAccuracyAndSavings(
      rows.labels,
      rows.scores,
      rows.amountsUsd,
      threshold,
      { costs, seed, resamples: 1000, confidence: 0.95 },
    );
    // The interval's estimate is the statistic on the original rows; recompute savings exactly.
    const savings = fraudSavingsAt(rows.labels, rows.scores, rows.amountsUsd, threshold, costs);
    return {
      name,
      rocAuc: rocAuc(rows.labels, rows.scores),
      accuracy: intervals.accuracy,
      netSavingsUsd: { ...intervals.netSavingsUsd, estimate: savings.netSavingsUsd },
    };
  });
  const accuracies = judged.map((m) => m.accuracy.estimate);
  const savings = judged.map((m) => m.netSavingsUsd.estimate);
  const accuracyLeader = leader(accuracies);
  const savingsLeader = leader(savings);
  const accuracySecond = runnerUp(accuracies, accuracyLeader);
  const savingsSecond = runnerUp(savings, savingsLeader);
  return {
    models: judged,
    accuracyLeader,
    savingsLeader,
    rankingsDisagree: accuracyLeader !== savingsLeader,
    accuracyGapPoints:
      100 * ((accuracies[accuracyLeader] ?? 0) - (accuracies[accuracySecond] ?? 0)),
    accuracyIntervalsOverlap: overlap(
      judged[accuracyLeader]!.accuracy,
      judged[accuracySecond]!.accuracy,
    ),
    savingsIntervalsOverlap: overlap(
      judged[savingsLeader]!.netSavingsUsd,
      judged[savingsSecond]!.netSavingsUsd,
    ),
  };
}
