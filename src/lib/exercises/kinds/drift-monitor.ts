/**
 * The drift-monitor sandbox (lesson 6) as exercises see it. Its inputs are flat: the stream
 * (seed, days, payments a day, label delay), up to two faults as `fault1*` / `fault2*` fields
 * (kind or `none`, start day, strength, column or `default`), and the monitor's settings
 * (reference source and days, feature rule, method and threshold, prediction method and
 * threshold, band width k, realised-performance window). The run is `runDriftLab`
 * (`drift/monitor-lab.ts`): synchronous and deterministic, ~0.1–0.2 s for 30 days of 2,000
 * payments in Node.
 *
 * State (money rounded to whole dollars, the threshold to 2 decimals):
 * - `run.days`, `run.requests`, `run.unansweredRequests` (always 0), `run.alertDays`,
 *   `run.cleanDays` (days with no fault acting), `run.falseAlarmDays` (alert days among them),
 *   `run.lostVsOracleUsd`, `run.netSavingsUsd`, `run.firstAlertDay` (null if none);
 * - `family.<f>.firstAlertDay`, `family.<f>.alertDays`, `family.<f>.falseAlarmDays` for each
 *   family f (`feature`, `prediction`, `estimatedPerformance`, `label`, `performance`: the
 *   families of `MONITOR_FAMILIES` with paths' camelCase, {@link FAMILY_STATE_KEYS});
 * - `fault1.*` and `fault2.*` (null when that fault is `none`): `kind`, `meantFor`, `startDay`,
 *   `detectedDay`, `daysToDetect`, `detectedBy` (families that alerted first, comma-joined, ''
 *   if never), `family.<f>.daysToDetect`, `requestsBeforeCaught`, `lostBeforeCaughtUsd`,
 *   `requestsAffected`, `moneyLostUsd`, `excessLossUsd`;
 * - `model.thresholdScore`;
 * - every input under `input.<name>`.
 */
import * as z from 'zod/mini';
import { FRAUD_FEATURE_NAMES } from '../../data/fraud-features';
import {
  FAULT_KINDS,
  FAULT_KIND_INFO,
  resolveFault,
  type FaultKind,
  type MonitorFamily,
} from '../../drift/faults';
import { DEFAULT_THRESHOLDS, isPValueMethod, type DriftMethod } from '../../drift/monitor';
import {
  DRIFT_LAB_DEFAULTS,
  runDriftLab,
  type DriftLabFault,
  type DriftLabResult,
  type DriftLabSettings,
  type FeatureMethodChoice,
  type ReferenceSource,
} from '../../drift/monitor-lab';
import { MONITOR_FAMILIES } from '../../drift/production-monitor';
import type { FlatState } from '../receipt-schema';
import { parseWithSchema, type SandboxKind } from '../sandbox-kind';

/** A fault choice: none, or a kind. */
export type DriftFaultChoice = 'none' | FaultKind;
/** Fault choices: none first. */
export const DRIFT_FAULT_CHOICES: readonly DriftFaultChoice[] = ['none', ...FAULT_KINDS];
/** Column choices of a fault: the kind's default, or an encoded column. */
export const DRIFT_FEATURE_CHOICES: readonly string[] = ['default', ...FRAUD_FEATURE_NAMES];
/** Feature detectors offered. */
export const FEATURE_METHOD_CHOICES: readonly FeatureMethodChoice[] = [
  'evidently',
  'ks',
  'wasserstein',
  'jensen-shannon',
  'psi',
];
/** Prediction detectors offered. */
export const PREDICTION_METHOD_CHOICES: readonly FeatureMethodChoice[] = [
  'evidently',
  'ks',
  'wasserstein',
  'psi',
];

/** The drift-monitor sandbox's flat inputs. */
export interface DriftMonitorInputs extends Record<string, unknown> {
  seed: number;
  days: number;
  requestsPerDay: number;
  labelDelayDays: number;
  fault1Kind: DriftFaultChoice;
  fault1Day: number;
  fault1Strength: number;
  fault1Feature: string;
  fault2Kind: DriftFaultChoice;
  fault2Day: number;
  fault2Strength: number;
  fault2Feature: string;
  referenceSource: ReferenceSource;
  referenceDays: number;
  featureRule: 'column' | 'dataset';
  featureMethod: FeatureMethodChoice;
  /** 0 = the method's default. */
  featureThreshold: number;
  predictionMethod: FeatureMethodChoice;
  /** 0 = the method's default. */
  predictionThreshold: number;
  bandMultiplier: number;
  performanceWindowDays: number;
}

const whole = (min: number, max: number) =>
  z.number().check(z.int(), z.minimum(min), z.maximum(max));
const finite = (min: number, max: number) =>
  z.number().check(z.refine(Number.isFinite), z.minimum(min), z.maximum(max));

const shape = {
  seed: whole(0, 2 ** 31 - 1),
  days: whole(7, 90),
  requestsPerDay: whole(500, 5000),
  labelDelayDays: whole(0, 30),
  fault1Kind: z.enum(DRIFT_FAULT_CHOICES as [DriftFaultChoice, ...DriftFaultChoice[]]),
  fault1Day: whole(0, 89),
  fault1Strength: finite(-6, 20),
  fault1Feature: z.enum(DRIFT_FEATURE_CHOICES as [string, ...string[]]),
  fault2Kind: z.enum(DRIFT_FAULT_CHOICES as [DriftFaultChoice, ...DriftFaultChoice[]]),
  fault2Day: whole(0, 89),
  fault2Strength: finite(-6, 20),
  fault2Feature: z.enum(DRIFT_FEATURE_CHOICES as [string, ...string[]]),
  referenceSource: z.enum(['training', 'holdout', 'production']),
  referenceDays: whole(1, 7),
  featureRule: z.enum(['column', 'dataset']),
  featureMethod: z.enum(FEATURE_METHOD_CHOICES as [FeatureMethodChoice, ...FeatureMethodChoice[]]),
  featureThreshold: finite(0, 10),
  predictionMethod: z.enum(
    PREDICTION_METHOD_CHOICES as [FeatureMethodChoice, ...FeatureMethodChoice[]],
  ),
  predictionThreshold: finite(0, 10),
  bandMultiplier: finite(1, 6),
  performanceWindowDays: whole(1, 14),
};

const faultWords = (n: 1 | 2): Record<string, string> => ({
  [`fault${n}Kind`]: `Fault ${n}: none, or one of ${FAULT_KINDS.join(', ')}.`,
  [`fault${n}Day`]: `Fault ${n}: the day it starts, a whole number from 0 to 89 (before the last day).`,
  [`fault${n}Strength`]: `Fault ${n}: its strength, in the kind's unit and range (see the fault table).`,
  [`fault${n}Feature`]: `Fault ${n}: the column it touches, default or one of ${FRAUD_FEATURE_NAMES.join(', ')}.`,
});

const descriptions: Record<keyof typeof shape, string> = {
  seed: 'Seed of the training history and of production: a whole number from 0 to 2147483647.',
  days: 'Days to serve: a whole number from 7 to 90.',
  requestsPerDay: 'Card payments a day: a whole number from 500 to 5000.',
  labelDelayDays: 'Days until a day’s labels (chargebacks) arrive: a whole number from 0 to 30.',
  ...(faultWords(1) as Record<
    'fault1Kind' | 'fault1Day' | 'fault1Strength' | 'fault1Feature',
    string
  >),
  ...(faultWords(2) as Record<
    'fault2Kind' | 'fault2Day' | 'fault2Strength' | 'fault2Feature',
    string
  >),
  referenceSource:
    'Where the reference comes from: training (the last days of the training data), holdout (history days after the training data, never trained on) or production (the first days served).',
  referenceDays: 'Days of reference: a whole number from 1 to 7.',
  featureRule:
    'When feature drift alerts: column (any column drifts) or dataset (at least half the columns drift).',
  featureMethod: `Feature detector: evidently (Evidently's choice per column) or one of ${FEATURE_METHOD_CHOICES.slice(1).join(', ')}.`,
  featureThreshold:
    'Feature threshold: 0 for the method’s default, else a p-value level below 1 (ks) or a distance (wasserstein, jensen-shannon, psi); needs a method other than evidently.',
  predictionMethod: `Prediction-drift detector: evidently or one of ${PREDICTION_METHOD_CHOICES.slice(1).join(', ')}.`,
  predictionThreshold:
    'Prediction-drift threshold: 0 for the method’s default, else a p-value level below 1 (ks) or a distance; needs a method other than evidently.',
  bandMultiplier: 'Width of the performance bands, k in mean ± k·σ: from 1 to 6.',
  performanceWindowDays:
    'Labelled days pooled by the realised-performance monitor: a whole number from 1 to 14.',
};

/** The sandbox's starting inputs: a clean 30-day run with Evidently's defaults. */
export const DRIFT_MONITOR_DEFAULTS: Readonly<DriftMonitorInputs> = {
  seed: DRIFT_LAB_DEFAULTS.seed,
  days: DRIFT_LAB_DEFAULTS.days,
  requestsPerDay: DRIFT_LAB_DEFAULTS.requestsPerDay,
  labelDelayDays: DRIFT_LAB_DEFAULTS.labelDelayDays,
  fault1Kind: 'cents-for-dollars',
  fault1Day: 10,
  fault1Strength: FAULT_KIND_INFO['cents-for-dollars'].defaultStrength,
  fault1Feature: 'default',
  fault2Kind: 'none',
  fault2Day: 20,
  fault2Strength: 1,
  fault2Feature: 'default',
  referenceSource: DRIFT_LAB_DEFAULTS.referenceSource,
  referenceDays: DRIFT_LAB_DEFAULTS.referenceDays,
  featureRule: DRIFT_LAB_DEFAULTS.featureRule,
  featureMethod: 'evidently',
  featureThreshold: 0,
  predictionMethod: 'evidently',
  predictionThreshold: 0,
  bandMultiplier: DRIFT_LAB_DEFAULTS.bandMultiplier,
  performanceWindowDays: DRIFT_LAB_DEFAULTS.performanceWindowDays,
};

function faultOf(inputs: DriftMonitorInputs, n: 1 | 2): DriftLabFault | null {
  const kind = inputs[`fault${n}Kind`] as DriftFaultChoice;
  if (kind === 'none') return null;
  const feature = inputs[`fault${n}Feature`] as string;
  return {
    id: `fault${n}`,
    kind,
    startDay: inputs[`fault${n}Day`] as number,
    strength: inputs[`fault${n}Strength`] as number,
    feature: feature === 'default' ? null : feature,
  };
}

function assertThreshold(method: FeatureMethodChoice, threshold: number, what: string): void {
  if (threshold === 0) return;
  if (method === 'evidently') {
    throw new RangeError(
      `drift-monitor inputs: ${what} threshold ${threshold} needs a method — Evidently picks a test per column, each with its own scale; choose one method to set a threshold, or set 0.`,
    );
  }
  if (isPValueMethod(method as DriftMethod) && !(threshold < 1)) {
    throw new RangeError(
      `drift-monitor inputs: ${what} threshold ${threshold} is a p-value level for ${method} — expected a number between 0 and 1.`,
    );
  }
}

/** The lab settings of validated inputs. */
export function driftLabSettingsOf(inputs: DriftMonitorInputs): DriftLabSettings {
  const faults = [faultOf(inputs, 1), faultOf(inputs, 2)].filter(
    (f): f is DriftLabFault => f !== null,
  );
  return {
    seed: inputs.seed,
    days: inputs.days,
    requestsPerDay: inputs.requestsPerDay,
    labelDelayDays: inputs.labelDelayDays,
    faults,
    referenceSource: inputs.referenceSource,
    referenceDays: inputs.referenceDays,
    featureRule: inputs.featureRule,
    featureMethod: inputs.featureMethod,
    featureThreshold: inputs.featureThreshold === 0 ? null : inputs.featureThreshold,
    predictionMethod: inputs.predictionMethod,
    predictionThreshold: inputs.predictionThreshold === 0 ? null : inputs.predictionThreshold,
    bandMultiplier: inputs.bandMultiplier,
    performanceWindowDays: inputs.performanceWindowDays,
  };
}

/** The threshold a method uses when the input is 0: its default. */
export function effectiveThreshold(method: FeatureMethodChoice, threshold: number): number | null {
  if (threshold > 0) return threshold;
  return method === 'evidently' ? null : DEFAULT_THRESHOLDS[method];
}

const round = (value: number, decimals: number): number => Number(value.toFixed(decimals));

/** The key of a monitor family in state paths (paths allow no hyphen). */
export const FAMILY_STATE_KEYS: Readonly<Record<MonitorFamily, string>> = {
  feature: 'feature',
  prediction: 'prediction',
  'estimated-performance': 'estimatedPerformance',
  label: 'label',
  performance: 'performance',
};
const key = (family: MonitorFamily): string => FAMILY_STATE_KEYS[family];

const FAULT_FIELDS = [
  'kind',
  'meantFor',
  'startDay',
  'detectedDay',
  'daysToDetect',
  'detectedBy',
  ...MONITOR_FAMILIES.map((f) => `family.${key(f)}.daysToDetect`),
  'requestsBeforeCaught',
  'lostBeforeCaughtUsd',
  'requestsAffected',
  'moneyLostUsd',
  'excessLossUsd',
];

/** Every path of the state, sorted (listed, so importing the kind simulates nothing). */
export const DRIFT_MONITOR_STATE_PATHS: readonly string[] = Object.freeze(
  [
    'run.days',
    'run.requests',
    'run.unansweredRequests',
    'run.alertDays',
    'run.cleanDays',
    'run.falseAlarmDays',
    'run.lostVsOracleUsd',
    'run.netSavingsUsd',
    'run.firstAlertDay',
    'model.thresholdScore',
    ...MONITOR_FAMILIES.flatMap((f) => [
      `family.${key(f)}.firstAlertDay`,
      `family.${key(f)}.alertDays`,
      `family.${key(f)}.falseAlarmDays`,
    ]),
    ...['fault1', 'fault2'].flatMap((id) => FAULT_FIELDS.map((field) => `${id}.${field}`)),
    ...Object.keys(shape).map((key) => `input.${key}`),
  ].sort(),
);

/** The flat state of a lab result for these inputs (see the module header). */
export function driftMonitorStateOf(inputs: DriftMonitorInputs, result: DriftLabResult): FlatState {
  const state: FlatState = {};
  const { days, totals } = result;
  const firstAlert = days.find((d) => d.alert);
  state['run.days'] = totals.days;
  state['run.requests'] = totals.requests;
  state['run.unansweredRequests'] = result.unansweredRequests;
  state['run.alertDays'] = totals.alertDays;
  state['run.cleanDays'] = result.cleanDays;
  state['run.falseAlarmDays'] = result.falseAlarmDays.any;
  state['run.lostVsOracleUsd'] = Math.round(totals.lostVsOracleUsd);
  state['run.netSavingsUsd'] = Math.round(totals.netSavingsUsd);
  state['run.firstAlertDay'] = firstAlert ? firstAlert.day : null;
  state['model.thresholdScore'] = round(result.model.thresholdScore, 2);
  for (const family of MONITOR_FAMILIES) {
    const alerted = days.filter((d) => d.alertedFamilies.includes(family));
    state[`family.${key(family)}.firstAlertDay`] = alerted[0]?.day ?? null;
    state[`family.${key(family)}.alertDays`] = alerted.length;
    state[`family.${key(family)}.falseAlarmDays`] = result.falseAlarmDays[family];
  }
  (['fault1', 'fault2'] as const).forEach((id) => {
    const score = result.faults.find((f) => f.id === id) ?? null;
    // fault2 alone (fault1 none) is still reported as fault2.
    for (const field of FAULT_FIELDS) state[`${id}.${field}`] = null;
    if (!score) return;
    state[`${id}.kind`] = score.kind;
    state[`${id}.meantFor`] = score.meantFor;
    state[`${id}.startDay`] = score.startDay;
    state[`${id}.detectedDay`] = score.detectedDay;
    state[`${id}.daysToDetect`] = score.daysToDetect;
    state[`${id}.detectedBy`] = score.detectedBy.join(',');
    for (const family of MONITOR_FAMILIES) {
      state[`${id}.family.${key(family)}.daysToDetect`] = score.daysToDetectByFamily[family];
    }
    state[`${id}.requestsBeforeCaught`] = score.requestsBeforeCaught;
    state[`${id}.lostBeforeCaughtUsd`] = Math.round(score.lostBeforeCaughtUsd);
    state[`${id}.requestsAffected`] = score.requestsAffected;
    state[`${id}.moneyLostUsd`] = Math.round(score.moneyLostUsd);
    state[`${id}.excessLossUsd`] =
      score.excessLossUsd === null ? null : Math.round(score.excessLossUsd);
  });
  for (const [key, value] of Object.entries(inputs)) {
    state[`input.${key}`] = value as string | number;
  }
  return state;
}

/** What one run of the sandbox shows: the lab result and the state exercises read. */
export interface DriftMonitorRun {
  result: DriftLabResult;
  /** Equal to `driftMonitorKind.stateOf(inputs)`. */
  state: FlatState;
}

/** One run (in the drift worker): the lab result and its flat state. */
export function driftMonitorRun(
  inputs: DriftMonitorInputs,
  onDay?: (doneDays: number, totalDays: number) => void,
): DriftMonitorRun {
  const result = runDriftLab(driftLabSettingsOf(inputs), onDay ? { onDay } : {});
  return { result, state: driftMonitorStateOf(inputs, result) };
}

/** The drift-monitor sandbox's state for some inputs: run the lab, flatten. */
export function driftMonitorExerciseState(inputs: DriftMonitorInputs): FlatState {
  return driftMonitorRun(inputs).state;
}

/** The drift-monitor sandbox (lesson 6) for the exercise framework. */
export const driftMonitorKind: SandboxKind<DriftMonitorInputs> = {
  id: 'drift-monitor',
  actionPhrase: 'Run the production stream',
  inputsSchema: z.object(shape),
  inputDescriptions: descriptions,
  defaults: DRIFT_MONITOR_DEFAULTS,
  paramInputs: [
    'seed',
    'days',
    'requestsPerDay',
    'labelDelayDays',
    'fault1Day',
    'fault1Strength',
    'fault2Day',
    'fault2Strength',
    'referenceDays',
    'featureThreshold',
    'predictionThreshold',
    'bandMultiplier',
    'performanceWindowDays',
  ],
  parseInputs(inputs) {
    const parsed = parseWithSchema<DriftMonitorInputs>(driftMonitorKind, inputs);
    for (const n of [1, 2] as const) {
      const fault = faultOf(parsed, n);
      if (!fault) continue;
      if (!(fault.startDay < parsed.days)) {
        throw new RangeError(
          `drift-monitor inputs: fault${n}Day = ${fault.startDay} is refused — expected a day before the last (${parsed.days - 1}).`,
        );
      }
      try {
        resolveFault({
          kind: fault.kind,
          startDay: fault.startDay,
          strength: fault.strength,
          ...(fault.feature ? { feature: fault.feature } : {}),
        });
      } catch (error) {
        throw new RangeError(
          `drift-monitor inputs: fault ${n} is refused — ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    }
    if (parsed.referenceSource === 'production' && !(parsed.referenceDays < parsed.days)) {
      throw new RangeError(
        `drift-monitor inputs: referenceDays = ${parsed.referenceDays} is refused — a production reference needs fewer days than the run (${parsed.days}).`,
      );
    }
    assertThreshold(parsed.featureMethod, parsed.featureThreshold, 'the feature');
    assertThreshold(parsed.predictionMethod, parsed.predictionThreshold, 'the prediction');
    return parsed;
  },
  stateOf: driftMonitorExerciseState,
  statePaths: DRIFT_MONITOR_STATE_PATHS,
};
