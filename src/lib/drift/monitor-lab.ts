/**
 * The drift-monitoring lab of lesson 6: a fraud model in production, faults that never raise an
 * error, and the monitors that may or may not notice.
 *
 * Everything is a function of {@link DriftLabSettings} (a seed among them):
 * - The model in production on day 0 is the lab's logistic regression (`lab-model.ts`) fitted
 *   to {@link DRIFT_LAB_HISTORY_DAYS} days of a fault-free history stream (seed
 *   `drift-lab:history:<seed>`, as many payments a day as production).
 * - Production is `createProductionStream` (seed `drift-lab:<seed>`) with up to two faults
 *   (ids `fault1`, `fault2` unless named), served by that model for `days` days; it is never retrained.
 * - The monitor is `createProductionMonitor` with the learner's settings; its reference is the
 *   last `referenceDays` days of the training window, or as many held-out history days after
 *   it (both scored by the model, with labels), or the first `referenceDays` production days
 *   (their labels join as they land).
 *
 * {@link runDriftLab} returns one {@link DriftLabDay} per day (money, flags, each family's
 * status, the per-column drift table) and a {@link DriftLabFaultScore} per fault (started,
 * caught, by whom, and what it cost meanwhile).
 */
import { FRAUD_FEATURE_NAMES } from '@lib/data/fraud-features';
import {
  FAULT_KIND_INFO,
  type FaultKind,
  type FaultSpec,
  type MonitorFamily,
} from '@lib/drift/faults';
import {
  asDeployedModel,
  referenceFromWindow,
  trainLabModel,
  type LabModel,
} from '@lib/drift/lab-model';
import type { DriftMethod } from '@lib/drift/monitor';
import {
  MONITOR_FAMILIES,
  createProductionMonitor,
  type DayMonitorReport,
  type FeatureAlertRule,
  type MetricCheck,
  type MonitorReference,
  type ProductionMonitorOptions,
} from '@lib/drift/production-monitor';
import { simulateProduction, type DayRecord } from '@lib/drift/rollout';
import { runTotals, scoreFaults, type RunTotals } from '@lib/drift/score-card';
import {
  createProductionStream,
  type LabelledWindow,
  type ProductionStream,
} from '@lib/drift/stream';

/** Days of history the deployed model is trained on. */
export const DRIFT_LAB_HISTORY_DAYS = 7;

/** One fault as the lab takes it. */
export interface DriftLabFault {
  /** Its name (default `fault1`, `fault2`, … by position). */
  id?: string;
  /** What goes wrong. */
  kind: FaultKind;
  /** First day it acts. */
  startDay: number;
  /** Strength in the kind's unit (`FAULT_KIND_INFO[kind].strengthMeaning`). */
  strength: number;
  /** Column touched, or null for the kind's default. */
  feature: string | null;
}

/** Where the monitor's reference comes from. */
export type ReferenceSource = 'training' | 'holdout' | 'production';

/** A feature detector: Evidently's per-column default, or one method for every column. */
export type FeatureMethodChoice = 'evidently' | DriftMethod;

/** Everything a lab run depends on. */
export interface DriftLabSettings {
  /** Seed of the history and of production. */
  seed: number;
  /** Days to serve. */
  days: number;
  /** Payments a day. */
  requestsPerDay: number;
  /** Days until a day's labels land. */
  labelDelayDays: number;
  /** Up to two faults. */
  faults: readonly DriftLabFault[];
  /** The training window's last days, held-out history days, or the first production days. */
  referenceSource: ReferenceSource;
  /** Days of reference. */
  referenceDays: number;
  /** Feature family: any drifting column, or dataset drift only. */
  featureRule: FeatureAlertRule;
  /** Feature detector. */
  featureMethod: FeatureMethodChoice;
  /** Feature threshold, or null for the method's default. */
  featureThreshold: number | null;
  /** Prediction-drift detector: Evidently's default, or one method. */
  predictionMethod: FeatureMethodChoice;
  /** Prediction-drift threshold, or null for the method's default. */
  predictionThreshold: number | null;
  /** k of the performance bands μ ± k·σ. */
  bandMultiplier: number;
  /** Labelled days pooled by realised performance. */
  performanceWindowDays: number;
}

/** A family's status on a day: quiet, alerting, or not yet able to check (labels missing). */
export type FamilyStatus = 'quiet' | 'alert' | 'waiting';

/** One column's row of the per-day drift table. */
export interface DriftLabColumn {
  /** Column name. */
  name: string;
  /** Detector used. */
  method: DriftMethod;
  /** Its statistic (KS D, normed Wasserstein, JS distance, …). */
  statistic: number;
  /** The p-value for tests, null for distances. */
  pValue: number | null;
  /** The threshold compared with (p-value level or distance). */
  threshold: number;
  /** Whether the column drifted. */
  drifted: boolean;
}

/** One served day as the sandbox shows it. Money in USD. */
export interface DriftLabDay {
  /** Day index. */
  day: number;
  /** Payments served (all of them, every day). */
  requests: number;
  /** Payments flagged. */
  flagged: number;
  /** Net savings of the served decisions. */
  netSavingsUsd: number;
  /** Net savings of the oracle. */
  oracleNetSavingsUsd: number;
  /** Oracle minus served. */
  lostVsOracleUsd: number;
  /** Faults acting today. */
  activeFaultIds: readonly string[];
  /** The day whose labels landed tonight, or null. */
  labelsForDay: number | null;
  /** Each family's status. */
  status: Record<MonitorFamily, FamilyStatus>;
  /** Families that alerted. */
  alertedFamilies: readonly MonitorFamily[];
  /** Whether any family alerted. */
  alert: boolean;
  /** Columns drifted, of `columnCount`. */
  driftedColumns: number;
  /** Columns monitored. */
  columnCount: number;
  /** Whether the dataset drifted (share ≥ drift share). */
  datasetDrifted: boolean;
  /** Prediction drift: method, statistic, threshold (null while collecting the reference). */
  prediction: { method: DriftMethod; statistic: number; threshold: number } | null;
  /** CBPE estimates with their bands (null while collecting). */
  estimated: readonly MetricCheck[] | null;
  /** The labelled day's fraud rate and the z-test's p-value, or null. */
  label: {
    labelledDay: number;
    fraudRate: number;
    referenceFraudRate: number;
    pValue: number;
  } | null;
  /** Realised metrics over the pooled window with their bands, or null. */
  realised: { fromDay: number; toDay: number; metrics: readonly MetricCheck[] } | null;
  /** The per-column table (null while collecting the reference). */
  columns: readonly DriftLabColumn[] | null;
}

/** One fault's line of the score card. */
export interface DriftLabFaultScore {
  /** `fault1` or `fault2`. */
  id: string;
  /** Its kind. */
  kind: FaultKind;
  /** The family meant to catch it (`FAULT_KIND_INFO`). */
  meantFor: MonitorFamily;
  /** First day it acted. */
  startDay: number;
  /** First alert while it acted, or null. */
  detectedDay: number | null;
  /** detectedDay − startDay, or null. */
  daysToDetect: number | null;
  /** Families that alerted first, on detectedDay. */
  detectedBy: readonly MonitorFamily[];
  /** Days from the start to each family's first alert while it acted (null if never). */
  daysToDetectByFamily: Record<MonitorFamily, number | null>;
  /** Payments served from the start through the day it was caught (or the last day). */
  requestsBeforeCaught: number;
  /** Σ lost vs the oracle over those days. */
  lostBeforeCaughtUsd: number;
  /** Payments served from its start to the end of the run (never fixed: no retraining). */
  requestsAffected: number;
  /** Σ lost vs the oracle over those days. */
  moneyLostUsd: number;
  /** That loss minus the pre-fault daily baseline × days, or null without a clean day first. */
  excessLossUsd: number | null;
}

/** A lab run. */
export interface DriftLabResult {
  /** The settings it ran on. */
  settings: DriftLabSettings;
  /** The deployed model. */
  model: { thresholdScore: number; trainRows: number; trainNetSavingsUsd: number };
  /** One entry per day. */
  days: DriftLabDay[];
  /** One entry per fault, in order. */
  faults: DriftLabFaultScore[];
  /** Sums over the run. */
  totals: RunTotals;
  /** Requests left unanswered (always 0: the service keeps answering). */
  unansweredRequests: number;
  /** Alert days with no fault acting, by family and in all. */
  falseAlarmDays: Record<MonitorFamily | 'any', number>;
  /** Days with no fault acting (the denominator of false alarms). */
  cleanDays: number;
}

/**
 * The lab's defaults: 30 days of 2,000 payments, labels 3 days late, a reference of 3 held-out
 * days (a reference the model trained on makes its scores look better than they will be, and
 * the performance bands raise false alarms: 44 alert days of 600 clean ones over 20 seeds
 * against 6 of 600 held out, measured), Evidently's monitors.
 */
export const DRIFT_LAB_DEFAULTS: Readonly<Omit<DriftLabSettings, 'faults'>> = {
  seed: 1,
  days: 30,
  requestsPerDay: 2000,
  labelDelayDays: 3,
  referenceSource: 'holdout',
  referenceDays: 3,
  featureRule: 'column',
  featureMethod: 'evidently',
  featureThreshold: null,
  predictionMethod: 'evidently',
  predictionThreshold: null,
  bandMultiplier: 3,
  performanceWindowDays: 7,
};

/** The stream faults of the settings, named fault1, fault2. */
export function driftLabFaults(settings: Pick<DriftLabSettings, 'faults'>): FaultSpec[] {
  return settings.faults.map((f, i) => ({
    id: f.id ?? `fault${i + 1}`,
    kind: f.kind,
    startDay: f.startDay,
    strength: f.strength,
    ...(f.feature ? { feature: f.feature } : {}),
  }));
}

/** The deployed model with its history: the history stream and the training window. */
export interface DriftLabModelHistory {
  /** The trained model. */
  model: LabModel;
  /** The fault-free history stream (seed `drift-lab:history:<seed>`). */
  history: ProductionStream;
  /** Its first {@link DRIFT_LAB_HISTORY_DAYS} days, which the model was trained on. */
  trainWindow: LabelledWindow;
}

/**
 * Any deployed model with its history, as the lab serves and monitors it: the logistic
 * {@link DriftLabModelHistory}, or another model trained on the same window (the sandbox's
 * tfjs MLP, `drift/lab-mlp.ts`), given to {@link runDriftLab} through `options.deployed`.
 */
export interface DriftLabDeployment {
  /** The deployed model: its scorer, threshold and training summary. */
  model: Pick<LabModel, 'scorer' | 'thresholdScore' | 'trainRows' | 'trainNetSavingsUsd'>;
  /** The fault-free history stream (seed `drift-lab:history:<seed>`). */
  history: ProductionStream;
  /** The window the model was trained on. */
  trainWindow: LabelledWindow;
}

let modelCache: { key: string; value: DriftLabModelHistory } | null = null;

/** The fault-free history stream of a seed (seed `drift-lab:history:<seed>`, labels at once). */
export function createProductionStreamForLab(
  seed: number,
  requestsPerDay: number,
): ProductionStream {
  return createProductionStream({
    seed: `drift-lab:history:${seed}`,
    requestsPerDay,
    labelDelayDays: 0,
  });
}

/**
 * The deployed model of a seed and daily volume: `trainLabModel` on the first
 * {@link DRIFT_LAB_HISTORY_DAYS} days of a fault-free history stream. Memoised for the last
 * pair (it is pure).
 */
export function driftLabModel(seed: number, requestsPerDay: number): DriftLabModelHistory {
  const key = `${seed}/${requestsPerDay}`;
  if (modelCache?.key !== key) {
    const history = createProductionStreamForLab(seed, requestsPerDay);
    const trainWindow = history.labelledDays(0, DRIFT_LAB_HISTORY_DAYS - 1);
    modelCache = { key, value: { model: trainLabModel(trainWindow), history, trainWindow } };
  }
  return modelCache.value;
}

/**
 * The monitor's reference for the settings, or undefined when it is collected from production:
 * `training` = the last `referenceDays` days of the training window (rows the model has seen);
 * `holdout` = the `referenceDays` history days right after it (never trained on).
 */
export function driftLabReference(
  settings: Pick<DriftLabSettings, 'referenceSource' | 'referenceDays'>,
  lab: DriftLabDeployment,
): MonitorReference | undefined {
  const days = settings.referenceDays;
  if (settings.referenceSource === 'training') {
    return referenceFromWindow(lab.trainWindow, lab.model, days);
  }
  if (settings.referenceSource === 'holdout') {
    const first = DRIFT_LAB_HISTORY_DAYS;
    return referenceFromWindow(lab.history.labelledDays(first, first + days - 1), lab.model, days);
  }
  return undefined;
}

/** The monitor options of the settings for a lab model. */
export function driftLabMonitorOptions(
  settings: DriftLabSettings,
  lab: DriftLabDeployment,
): ProductionMonitorOptions {
  const reference = driftLabReference(settings, lab);
  return {
    thresholdScore: lab.model.thresholdScore,
    referenceDays: settings.referenceDays,
    ...(reference ? { reference } : {}),
    featureRule: settings.featureRule,
    ...(settings.featureMethod !== 'evidently' ? { featureMethod: settings.featureMethod } : {}),
    ...(settings.featureThreshold !== null ? { featureThreshold: settings.featureThreshold } : {}),
    ...(settings.predictionMethod !== 'evidently'
      ? { predictionMethod: settings.predictionMethod }
      : {}),
    ...(settings.predictionThreshold !== null
      ? { predictionThreshold: settings.predictionThreshold }
      : {}),
    bandMultiplier: settings.bandMultiplier,
    performanceWindowDays: settings.performanceWindowDays,
  };
}

function statusOf(report: DayMonitorReport): Record<MonitorFamily, FamilyStatus> {
  const monitoring = report.phase === 'monitoring';
  const s = (family: MonitorFamily, checked: boolean): FamilyStatus =>
    report.fired[family] ? 'alert' : checked ? 'quiet' : 'waiting';
  return {
    feature: s('feature', monitoring),
    prediction: s('prediction', monitoring),
    'estimated-performance': s('estimated-performance', monitoring),
    label: s('label', report.label !== null),
    performance: s('performance', report.realised !== null),
  };
}

function dayOf(record: DayRecord, report: DayMonitorReport): DriftLabDay {
  const features = report.features;
  return {
    day: record.day,
    requests: record.requests,
    flagged: record.served.truePositives + record.served.falsePositives,
    netSavingsUsd: record.served.netSavingsUsd,
    oracleNetSavingsUsd: record.oracleNetSavingsUsd,
    lostVsOracleUsd: record.lostVsOracleUsd,
    activeFaultIds: record.activeFaultIds,
    labelsForDay: record.labelsReleasedForDay,
    status: statusOf(report),
    alertedFamilies: report.alertedFamilies,
    alert: report.alert,
    driftedColumns: features?.driftedColumns ?? 0,
    columnCount: features?.columnCount ?? FRAUD_FEATURE_NAMES.length,
    datasetDrifted: features?.datasetDrifted ?? false,
    prediction: report.prediction
      ? {
          method: report.prediction.method,
          statistic: report.prediction.statistic,
          threshold: report.prediction.threshold,
        }
      : null,
    estimated: report.estimated,
    label: report.label
      ? {
          labelledDay: report.label.labelledDay,
          fraudRate: report.label.fraudRate,
          referenceFraudRate: report.label.referenceFraudRate,
          pValue: report.label.pValue,
        }
      : null,
    realised: report.realised
      ? {
          fromDay: report.realised.fromDay,
          toDay: report.realised.toDay,
          metrics: report.realised.metrics,
        }
      : null,
    columns: features
      ? features.columns.map((c) => ({
          name: c.name,
          method: c.method,
          statistic: c.statistic,
          pValue: c.pValue,
          threshold: c.threshold,
          drifted: c.drifted,
        }))
      : null,
  };
}

function scoreLabFaults(
  records: readonly DayRecord[],
  days: readonly DriftLabDay[],
  specs: readonly FaultSpec[],
): DriftLabFaultScore[] {
  const cards = scoreFaults(records, specs);
  return specs.map((spec, i) => {
    const card = cards[i]!;
    const active = days.filter((d) => d.activeFaultIds.includes(card.faultId));
    const byFamily = {} as Record<MonitorFamily, number | null>;
    for (const family of MONITOR_FAMILIES) {
      const hit = active.find((d) => d.alertedFamilies.includes(family));
      byFamily[family] = hit ? hit.day - spec.startDay : null;
    }
    const caught = active.find((d) => d.alert) ?? null;
    const through = caught ? caught.day : Infinity;
    const before = days.filter((d) => d.day >= spec.startDay && d.day <= through);
    return {
      id: card.faultId,
      kind: spec.kind,
      meantFor: FAULT_KIND_INFO[spec.kind].meantFor,
      startDay: spec.startDay,
      detectedDay: caught ? caught.day : null,
      daysToDetect: caught ? caught.day - spec.startDay : null,
      detectedBy: caught ? caught.alertedFamilies : [],
      daysToDetectByFamily: byFamily,
      requestsBeforeCaught: before.reduce((n, d) => n + d.requests, 0),
      lostBeforeCaughtUsd: before.reduce((n, d) => n + d.lostVsOracleUsd, 0),
      requestsAffected: card.requestsAffected,
      moneyLostUsd: card.moneyLostVsOracleUsd,
      excessLossUsd: card.excessLossUsd,
    };
  });
}

/** Options of {@link runDriftLab}. */
export interface DriftLabOptions {
  /** Called after each served day with (days done, days in all), e.g. for a progress bar. */
  onDay?: (doneDays: number, totalDays: number) => void;
  /**
   * The model to deploy instead of the lab's logistic regression (it must have been trained on
   * this seed's history at this daily volume); absent = `driftLabModel(seed, requestsPerDay)`.
   */
  deployed?: DriftLabDeployment;
}

/**
 * Runs the lab (see the module header): trains (or reuses) the model, serves every day, runs
 * the monitor, scores the faults. Synchronous and deterministic; about 3–5 ms a day at 2,000
 * payments in Node, plus ~50 ms of training.
 *
 * @throws RangeError for an invalid stream, fault or monitor setting.
 */
export function runDriftLab(
  settings: DriftLabSettings,
  options: DriftLabOptions = {},
): DriftLabResult {
  const lab = options.deployed ?? driftLabModel(settings.seed, settings.requestsPerDay);
  const { model } = lab;
  const monitor = createProductionMonitor(driftLabMonitorOptions(settings, lab));
  const faults = driftLabFaults(settings);
  const records = simulateProduction({
    stream: {
      seed: `drift-lab:${settings.seed}`,
      requestsPerDay: settings.requestsPerDay,
      labelDelayDays: settings.labelDelayDays,
      faults,
    },
    days: settings.days,
    policy: { retrainTrigger: 'none' },
    initialModel: asDeployedModel(model),
    monitor,
    retrain: () => {
      throw new Error('The drift lab never retrains.');
    },
    onDay: (record) => options.onDay?.(record.day + 1, settings.days),
  }).records;
  const days = records.map((record, i) => dayOf(record, monitor.history[i]!));
  const falseAlarmDays = { any: 0 } as Record<MonitorFamily | 'any', number>;
  for (const family of MONITOR_FAMILIES) falseAlarmDays[family] = 0;
  let cleanDays = 0;
  for (const d of days) {
    if (d.activeFaultIds.length > 0) continue;
    cleanDays++;
    if (d.alert) falseAlarmDays.any++;
    for (const family of d.alertedFamilies) falseAlarmDays[family]++;
  }
  return {
    settings,
    model: {
      thresholdScore: model.thresholdScore,
      trainRows: model.trainRows,
      trainNetSavingsUsd: model.trainNetSavingsUsd,
    },
    days,
    faults: scoreLabFaults(records, days, faults),
    totals: runTotals(records),
    unansweredRequests: records.reduce((n, r) => n + r.unanswered, 0),
    falseAlarmDays,
    cleanDays,
  };
}
