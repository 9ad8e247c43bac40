/**
 * The drift lab's score card: for each injected fault, how fast it was caught, what it cost and
 * how many requests it touched before a fixed model answered all traffic.
 *
 * Per fault, from the day records of a run (`rollout.ts`, {@link DayRecord}):
 * - detectedDay = the first day d with startDay ≤ d < endDay whose monitor verdict is an alert
 *   (optionally: an alert by one of the detectors meant for that fault), and
 *   daysToDetect = detectedDay − startDay (0 = caught on the day it started); null if never.
 * - fixedDay = the first day d ≥ startDay on which every request was answered by a model
 *   trained on data reaching the fault (trainedToDay ≥ startDay), i.e. the first day of full
 *   rollout of a retrained model; or endDay if the fault ended before that; null if neither
 *   happened within the run.
 * - the affected days are startDay ≤ d < (fixedDay ?? last day + 1); over them,
 *   requestsAffected = Σ requests and moneyLostVsOracleUsd = Σ (oracle net savings − served net
 *   savings), each day's loss being ≥ 0 (see `stream.ts`).
 * - Even a model with no fault loses money against the oracle. The baseline is the mean daily
 *   loss over the days before the first fault starts; excessLossUsd = moneyLostVsOracleUsd −
 *   baseline × affected days is what the fault itself cost (null when no day precedes the faults).
 *
 * A fault "fixed" by retraining on buggy features (a pipeline bug) means the model learnt the
 * bug, not that the pipeline was repaired; faults that overlap share days, so their sums overlap.
 */
import {
  resolveFaults,
  type FaultKind,
  type FaultSpec,
  type ResolvedFault,
} from '@lib/drift/faults';
import type { DayRecord } from '@lib/drift/rollout';

/** The parts of a day record the score card reads. */
export type ScoreCardDay = Pick<
  DayRecord,
  | 'day'
  | 'requests'
  | 'alert'
  | 'detectors'
  | 'servingModels'
  | 'lostVsOracleUsd'
  | 'oracleNetSavingsUsd'
  | 'served'
>;

/** One fault's line of the score card. */
export interface FaultScore {
  /** The fault's id. */
  faultId: string;
  /** Its kind. */
  kind: FaultKind;
  /** First day it acted. */
  startDay: number;
  /** First day it no longer acted, or null if it never ended. */
  endDay: number | null;
  /** First alert while it acted, or null. */
  detectedDay: number | null;
  /** detectedDay − startDay, or null. */
  daysToDetect: number | null;
  /** First day with a fixed model answering all traffic (or the fault's end), or null. */
  fixedDay: number | null;
  /** What ended the damage: a retrained model in full rollout, the fault's end, or nothing yet. */
  fixedBy: 'retrained-model' | 'fault-ended' | null;
  /** Days from startDay to fixedDay (or to the end of the run). */
  affectedDays: number;
  /** Requests served over the affected days. */
  requestsAffected: number;
  /** Σ (oracle − served) net savings over the affected days, USD. */
  moneyLostVsOracleUsd: number;
  /** Mean daily loss against the oracle before any fault, USD, or null. */
  baselineLostVsOracleUsdPerDay: number | null;
  /** moneyLostVsOracleUsd − baseline × affectedDays, USD, or null. */
  excessLossUsd: number | null;
}

/** Options of {@link scoreFaults}. */
export interface ScoreCardOptions {
  /**
   * For a fault id, the detectors whose alerts count as catching it (default: any alert). Use
   * it to ask "was it caught by the monitor meant for it?".
   */
  detectorsByFault?: Readonly<Record<string, readonly string[]>>;
}

/** Mean daily loss against the oracle over the days before `firstFaultDay`, or null. */
export function baselineLostPerDayUsd(
  records: readonly ScoreCardDay[],
  firstFaultDay: number,
): number | null {
  let sum = 0;
  let days = 0;
  for (const record of records) {
    if (record.day < firstFaultDay) {
      sum += record.lostVsOracleUsd;
      days++;
    }
  }
  return days === 0 ? null : sum / days;
}

/** Whether every request of the day was answered by a model trained through `day` or later. */
function allServedByModelTrainedThrough(record: ScoreCardDay, day: number): boolean {
  if (record.servingModels.length === 0) return false;
  return record.servingModels.every(
    (model) => model.requests === 0 || (model.trainedToDay !== null && model.trainedToDay >= day),
  );
}

/** Scores one fault (see the module header); `records` must be in day order. */
export function scoreFault(
  records: readonly ScoreCardDay[],
  fault: ResolvedFault,
  baselinePerDayUsd: number | null,
  detectors?: readonly string[],
): FaultScore {
  const lastDay = records.length > 0 ? records[records.length - 1]!.day : -1;
  let detectedDay: number | null = null;
  let fixedDay: number | null = null;
  let fixedBy: FaultScore['fixedBy'] = null;
  for (const record of records) {
    if (record.day < fault.startDay) continue;
    if (
      detectedDay === null &&
      record.day < fault.endDay &&
      record.alert &&
      (!detectors || record.detectors.some((name) => detectors.includes(name)))
    ) {
      detectedDay = record.day;
    }
    if (fixedDay === null && allServedByModelTrainedThrough(record, fault.startDay)) {
      fixedDay = record.day;
      fixedBy = 'retrained-model';
    }
  }
  if (Number.isFinite(fault.endDay) && fault.endDay <= lastDay + 1) {
    if (fixedDay === null || fault.endDay < fixedDay) {
      fixedDay = fault.endDay;
      fixedBy = 'fault-ended';
    }
  }
  const stopDay = fixedDay ?? lastDay + 1;
  let requestsAffected = 0;
  let moneyLostVsOracleUsd = 0;
  let affectedDays = 0;
  for (const record of records) {
    if (record.day < fault.startDay || record.day >= stopDay) continue;
    requestsAffected += record.requests;
    moneyLostVsOracleUsd += record.lostVsOracleUsd;
    affectedDays++;
  }
  return {
    faultId: fault.id,
    kind: fault.kind,
    startDay: fault.startDay,
    endDay: Number.isFinite(fault.endDay) ? fault.endDay : null,
    detectedDay,
    daysToDetect: detectedDay === null ? null : detectedDay - fault.startDay,
    fixedDay,
    fixedBy,
    affectedDays,
    requestsAffected,
    moneyLostVsOracleUsd,
    baselineLostVsOracleUsdPerDay: baselinePerDayUsd,
    excessLossUsd:
      baselinePerDayUsd === null ? null : moneyLostVsOracleUsd - baselinePerDayUsd * affectedDays,
  };
}

/**
 * The score card of a run: one {@link FaultScore} per fault, in the order given, with the
 * baseline taken before the earliest fault.
 *
 * @throws RangeError when a fault is invalid ({@link resolveFaults}).
 */
export function scoreFaults(
  records: readonly ScoreCardDay[],
  faults: readonly (FaultSpec | ResolvedFault)[],
  options: ScoreCardOptions = {},
): FaultScore[] {
  const resolved = faults.map((fault) =>
    'stage' in fault && 'salt' in fault ? fault : resolveFaults([fault])[0]!,
  );
  if (resolved.length === 0) return [];
  const firstFaultDay = Math.min(...resolved.map((fault) => fault.startDay));
  const baseline = baselineLostPerDayUsd(records, firstFaultDay);
  return resolved.map((fault) =>
    scoreFault(records, fault, baseline, options.detectorsByFault?.[fault.id]),
  );
}

/** Totals of a whole run. */
export interface RunTotals {
  /** Days run. */
  days: number;
  /** Requests served. */
  requests: number;
  /** Σ served net savings, USD. */
  netSavingsUsd: number;
  /** Σ oracle net savings, USD. */
  oracleNetSavingsUsd: number;
  /** Σ (oracle − served), USD. */
  lostVsOracleUsd: number;
  /** Days with an alert. */
  alertDays: number;
}

/** Sums a run's records ({@link RunTotals}). */
export function runTotals(records: readonly ScoreCardDay[]): RunTotals {
  const totals: RunTotals = {
    days: records.length,
    requests: 0,
    netSavingsUsd: 0,
    oracleNetSavingsUsd: 0,
    lostVsOracleUsd: 0,
    alertDays: 0,
  };
  for (const record of records) {
    totals.requests += record.requests;
    totals.netSavingsUsd += record.served.netSavingsUsd;
    totals.oracleNetSavingsUsd += record.oracleNetSavingsUsd;
    totals.lostVsOracleUsd += record.lostVsOracleUsd;
    if (record.alert) totals.alertDays++;
  }
  return totals;
}
