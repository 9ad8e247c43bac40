/**
 * Shared fixtures of the drift-stream tests: a logistic scorer trained on a stream window, and a
 * small stateful monitor with four detector families (feature KS per column, prediction KS and
 * alert rate, fraud rate, realised recall and false-positive rate). The monitor is deliberately
 * simple and self-contained, so these tests do not depend on the detectors in development next
 * to them; it only has to satisfy `ProductionMonitor`.
 */
import { profitCurve } from '@lib/business/fraud-money';
import { FRAUD_FEATURE_NAMES } from '@lib/data/fraud-features';
import { predictProbabilities, trainLogisticRegression } from '@lib/ml/logistic-regression';
import type {
  DayObservation,
  MonitorVerdict,
  ProductionMonitor,
  TrainedModel,
} from '@lib/drift/rollout';
import type { DeployedModel, LabelledWindow, Scorer } from '@lib/drift/stream';

/** A logistic regression (Newton, tiny ridge) on the window, thresholded at its best profit. */
export function trainLogisticScorer(labelled: LabelledWindow): TrainedModel {
  const model = trainLogisticRegression(labelled.features, labelled.cols, labelled.labels, {
    l2: 1e-4,
  });
  const scorer: Scorer = (features) => Float32Array.from(predictProbabilities(model, features));
  const inSample = scorer(labelled.features, labelled.rows, labelled.cols);
  return {
    scorer,
    thresholdScore: profitCurve(labelled.labels, inSample, labelled.amountsUsd).bestThreshold,
  };
}

/** {@link trainLogisticScorer} as a deployed model named `id`. */
export function deployLogistic(labelled: LabelledWindow, id: string): DeployedModel {
  return {
    id,
    ...trainLogisticScorer(labelled),
    trainedFromDay: null,
    trainedToDay: null,
  };
}

/**
 * The two-sample Kolmogorov–Smirnov statistic D = sup |F₁(x) − F₂(x)| of two samples sorted
 * ascending, by one merge pass (ties advance both sides together).
 */
export function ksStatistic(
  a: Float32Array | Float64Array,
  b: Float32Array | Float64Array,
): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/** KS critical value c(α)·√((n + m)/(n·m)) with c(α) = √(−ln(α/2)/2). */
export function ksCritical(n: number, m: number, alpha: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
}

function column(features: Float32Array, rows: number, cols: number, c: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = features[r * cols + c]!;
  return out.sort();
}

/** Statistics of one observed day, for inspection. */
export interface DayStatistics {
  day: number;
  /** KS statistic of each feature column against the reference. */
  featureKs: number[];
  /** KS critical value of a feature column at the monitor's α. */
  featureCritical: number;
  /** KS statistic of the served scores against the reference. */
  scoreKs: number;
  /** z of today's alert rate against the reference alert rate. */
  flagRateZ: number;
  /** z of the labelled day's fraud rate against the reference (0 without labels). */
  fraudRateZ: number;
  /** One-sided z of the pooled recall drop over the performance window (0 when unknown). */
  recallDropZ: number;
  /** One-sided z of the pooled false-positive-rate rise over the performance window. */
  fprRiseZ: number;
}

/** Options of {@link createTestMonitor}. */
export interface TestMonitorOptions {
  /** Days observed to build each reference (default 3). */
  referenceDays?: number;
  /** Family-wise α of each KS family (Bonferroni over columns; default 1e-4). */
  alpha?: number;
  /** z above which a rate test fires (default 4). */
  zAlert?: number;
  /** Labelled days pooled by the performance detector (default 7). */
  performanceWindowDays?: number;
}

/** A {@link ProductionMonitor} that also keeps every day's statistics. */
export interface TestMonitor extends ProductionMonitor {
  /** Statistics of each observed day after the reference. */
  readonly history: DayStatistics[];
}

/**
 * A monitor with detectors named `feature:<column>`, `prediction`, `label` and `performance`.
 * The first `referenceDays` observed days (and their labels, as they arrive) make the reference;
 * after `rebase` a new reference is collected from the next days.
 */
export function createTestMonitor(options: TestMonitorOptions = {}): TestMonitor {
  const referenceDays = options.referenceDays ?? 3;
  const alpha = options.alpha ?? 1e-4;
  const zAlert = options.zAlert ?? 4;
  const perfWindow = options.performanceWindowDays ?? 7;
  let refFeatureDays: DayObservation[] = [];
  let refColumns: Float32Array[] | null = null;
  let refScores: Float32Array | null = null;
  let refFlagRate = 0;
  let refDaySet = new Set<number>();
  let refLabelled = { frauds: 0, rows: 0, tp: 0, fp: 0, negatives: 0, days: 0 };
  let recent: { tp: number; frauds: number; fp: number; negatives: number }[] = [];
  const history: DayStatistics[] = [];

  const reset = (): void => {
    refFeatureDays = [];
    refColumns = null;
    refScores = null;
    refDaySet = new Set();
    refLabelled = { frauds: 0, rows: 0, tp: 0, fp: 0, negatives: 0, days: 0 };
    recent = [];
  };

  const observe = (o: DayObservation): MonitorVerdict => {
    // Labels: reference days feed the reference, later days the performance window.
    const labelled = o.labelled;
    let fraudRateZ = 0;
    if (labelled) {
      const t = labelled.tally;
      const frauds = t.truePositives + t.falseNegatives;
      const negatives = t.falsePositives + t.trueNegatives;
      if (refDaySet.has(labelled.day)) {
        refLabelled = {
          frauds: refLabelled.frauds + frauds,
          rows: refLabelled.rows + t.requests,
          tp: refLabelled.tp + t.truePositives,
          fp: refLabelled.fp + t.falsePositives,
          negatives: refLabelled.negatives + negatives,
          days: refLabelled.days + 1,
        };
      } else if (refLabelled.days === referenceDays) {
        const p0 = refLabelled.frauds / refLabelled.rows;
        fraudRateZ = (frauds / t.requests - p0) / Math.sqrt((p0 * (1 - p0)) / t.requests);
        recent.push({ tp: t.truePositives, frauds, fp: t.falsePositives, negatives });
        if (recent.length > perfWindow) recent.shift();
      }
    }
    if (refColumns === null) {
      refFeatureDays.push(o);
      refDaySet.add(o.day);
      if (refFeatureDays.length === referenceDays) {
        const rows = refFeatureDays.reduce((n, d) => n + d.rows, 0);
        const all = new Float32Array(rows * o.cols);
        const scores = new Float32Array(rows);
        let offset = 0;
        let flags = 0;
        for (const d of refFeatureDays) {
          all.set(d.features, offset * o.cols);
          scores.set(d.scores, offset);
          for (const f of d.flagged) flags += f;
          offset += d.rows;
        }
        refColumns = FRAUD_FEATURE_NAMES.map((_, c) => column(all, rows, o.cols, c));
        refScores = scores.sort();
        refFlagRate = flags / rows;
      }
      return { alert: false };
    }
    const detectors: string[] = [];
    const featureCritical = ksCritical(o.rows, refColumns[0]!.length, alpha / o.cols);
    const featureKs = refColumns.map((ref, c) =>
      ksStatistic(column(o.features, o.rows, o.cols, c), ref),
    );
    featureKs.forEach((d, c) => {
      if (d > featureCritical) detectors.push(`feature:${FRAUD_FEATURE_NAMES[c]}`);
    });
    const scoreKs = ksStatistic(Float32Array.from(o.scores).sort(), refScores!);
    let flags = 0;
    for (const f of o.flagged) flags += f;
    const flagRateZ =
      (flags / o.rows - refFlagRate) / Math.sqrt((refFlagRate * (1 - refFlagRate)) / o.rows);
    if (scoreKs > ksCritical(o.rows, refScores!.length, alpha) || Math.abs(flagRateZ) > zAlert) {
      detectors.push('prediction');
    }
    if (Math.abs(fraudRateZ) > zAlert) detectors.push('label');
    let recallDropZ = 0;
    let fprRiseZ = 0;
    if (recent.length === perfWindow && refLabelled.frauds > 0) {
      const r0 = refLabelled.tp / refLabelled.frauds;
      const f0 = refLabelled.fp / refLabelled.negatives;
      const tp = recent.reduce((n, d) => n + d.tp, 0);
      const frauds = recent.reduce((n, d) => n + d.frauds, 0);
      const fp = recent.reduce((n, d) => n + d.fp, 0);
      const negatives = recent.reduce((n, d) => n + d.negatives, 0);
      recallDropZ = (r0 - tp / frauds) / Math.sqrt((r0 * (1 - r0)) / frauds);
      fprRiseZ = (fp / negatives - f0) / Math.sqrt((f0 * (1 - f0)) / negatives);
      if (recallDropZ > zAlert || fprRiseZ > zAlert) detectors.push('performance');
    }
    history.push({
      day: o.day,
      featureKs,
      featureCritical,
      scoreKs,
      flagRateZ,
      fraudRateZ,
      recallDropZ,
      fprRiseZ,
    });
    return { alert: detectors.length > 0, detectors };
  };

  return { observe, rebase: reset, history };
}
