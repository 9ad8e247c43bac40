/**
 * The ad click-through sandbox (lesson 1) as exercises see it. One run learns a click model
 * from a log of impressions and runs an auction day with it, with the true probabilities
 * (oracle) and with random picks (see `business/ad-experiment` and `business/ad-revenue`).
 *
 * Inputs (flat): `seed`; `impressions` (logged impressions to learn from); which feature groups
 * the model sees, `contextFeatures` / `adFeatures` / `matchFeatures` ('on' | 'off');
 * `negativeSamplingRate` (share of non-clicks kept for training); `correction` ('on' | 'off',
 * the downsampling correction); `recalibration` ('none' | 'platt'); `reserveUsdPerThousand`.
 *
 * State, for each policy `<p>` in `learned`, `oracle`, `random` (rounded as the sandbox shows):
 * - money: `<p>.rpmUsd`, `<p>.expectedRpmUsd`, `<p>.adRpmUsd` (USD per 1,000 impressions,
 *   2 decimals), `<p>.rpmPercentOfOracle` (1 decimal), `<p>.fillRate` (3 decimals),
 *   `<p>.adsShown`, `<p>.clicks`, `<p>.forecastAdRevenueUsd`, `<p>.realisedAdRevenueUsd`,
 *   `<p>.expectedAdRevenueUsd` (whole USD), `<p>.forecastErrorPercent` (1 decimal; null when
 *   nothing was earned);
 * - ML, on the day's logged impressions: `<p>.accuracy` (at 0.5, 4 decimals), `<p>.rocAuc`
 *   (3), `<p>.logLoss` (4), `<p>.meanPredictedClickRate`, `<p>.observedClickRate`, `<p>.ece`
 *   (4), `<p>.calibrationRatio` (mean predicted ÷ observed, 2; null with no clicks);
 * - `training.rows` (rows after downsampling), `training.logClickRate` (4), `day.impressions`;
 * - every input under `input.<name>`.
 */
import * as z from 'zod/mini';
import {
  AD_DAY_IMPRESSIONS,
  runAdExperiment,
  type AdExperimentResult,
  type AdExperimentSettings,
  type PolicyResult,
} from '../../business/ad-experiment';
import type { AdFeatureGroup } from '../../data/ads';
import type { CalibrationBin } from '../../ml/calibration';
import type { PlattScaling } from '../../ml/recalibration';
import type { FlatState } from '../receipt-schema';
import { parseWithSchema, type SandboxKind } from '../sandbox-kind';

/** A switch input: 'on' or 'off' (strings, so YAML and the page agree). */
export type Switch = 'on' | 'off';

/** The ad sandbox's flat inputs. */
export interface AdsSandboxInputs extends Record<string, unknown> {
  /** Seed of the log, the day, the downsampling and the random picks. */
  seed: number;
  /** Logged impressions the model learns from (80% train, 20% validation). */
  impressions: number;
  /** Whether the model sees the slot's context (top slot, phone, visitor's engagement). */
  contextFeatures: Switch;
  /** Whether it sees the ad's own features (quality, category). */
  adFeatures: Switch;
  /** Whether it sees the visitor's interest in the ad's category. */
  matchFeatures: Switch;
  /** Share of non-click rows kept for training, 0.01–1. */
  negativeSamplingRate: number;
  /** Whether scores are corrected for the downsampling: p = q / (q + (1 − q)/w). */
  correction: Switch;
  /** 'platt' refits the probabilities on the validation split. */
  recalibration: 'none' | 'platt';
  /** The value of a slot left to organic content, USD per 1,000 impressions. */
  reserveUsdPerThousand: number;
}

/** The three policies of a run, in the order the sandbox shows them. */
export const AD_POLICIES = ['learned', 'oracle', 'random'] as const;
/** One policy. */
export type AdPolicy = (typeof AD_POLICIES)[number];

/** Plain names of the policies. */
export const AD_POLICY_LABELS: Readonly<Record<AdPolicy, string>> = {
  learned: 'Your model',
  oracle: 'True probabilities',
  random: 'Random ad',
};

/** Fewest and most logged impressions. */
export const AD_IMPRESSIONS_RANGE = { min: 5_000, max: 100_000 } as const;

const whole = (min: number, max: number) =>
  z.number().check(z.int(), z.minimum(min), z.maximum(max));
const finite = (min: number, max: number) =>
  z.number().check(z.refine(Number.isFinite), z.minimum(min), z.maximum(max));
const onOff = z.enum(['on', 'off']);

const shape = {
  seed: whole(0, 2 ** 31 - 1),
  impressions: whole(AD_IMPRESSIONS_RANGE.min, AD_IMPRESSIONS_RANGE.max),
  contextFeatures: onOff,
  adFeatures: onOff,
  matchFeatures: onOff,
  negativeSamplingRate: finite(0.01, 1),
  correction: onOff,
  recalibration: z.enum(['none', 'platt']),
  reserveUsdPerThousand: finite(0, 500),
};

const descriptions: Record<keyof typeof shape, string> = {
  seed: 'Seed of the impression log, the auction day, the downsampling and the random picks: a whole number from 0 to 2147483647.',
  impressions: `Logged impressions the model learns from (80% train, 20% validation): a whole number from ${AD_IMPRESSIONS_RANGE.min} to ${AD_IMPRESSIONS_RANGE.max}.`,
  contextFeatures:
    "'on' or 'off': whether the model sees the slot's context (top of the page, phone, the visitor's general readiness to click).",
  adFeatures: "'on' or 'off': whether the model sees the ad's own quality score and category.",
  matchFeatures:
    "'on' or 'off': whether the model sees the visitor's interest in the ad's category.",
  negativeSamplingRate:
    'Share of non-click impressions kept for training, from 0.01 to 1 (1 keeps them all; every click is kept).',
  correction:
    "'on' or 'off': whether predictions are corrected for the downsampling, p = q / (q + (1 − q) / rate).",
  recalibration:
    "'none' or 'platt': whether predictions are refitted (Platt scaling) on the validation split.",
  reserveUsdPerThousand:
    'What a slot left to organic content is worth, in USD per 1,000 impressions, from 0 to 500: an ad is shown only when its expected revenue beats it.',
};

/** The inputs the sandbox starts from: every feature, no downsampling, a $15 reserve. */
export const ADS_DEFAULTS: Readonly<AdsSandboxInputs> = {
  seed: 1,
  impressions: 50_000,
  contextFeatures: 'on',
  adFeatures: 'on',
  matchFeatures: 'on',
  negativeSamplingRate: 1,
  correction: 'off',
  recalibration: 'none',
  reserveUsdPerThousand: 15,
};

/** The experiment settings the inputs describe. */
export function adSettingsOf(inputs: AdsSandboxInputs): AdExperimentSettings {
  const groups: AdFeatureGroup[] = [];
  if (inputs.contextFeatures === 'on') groups.push('context');
  if (inputs.adFeatures === 'on') groups.push('ad');
  if (inputs.matchFeatures === 'on') groups.push('match');
  return {
    seed: inputs.seed,
    impressions: inputs.impressions,
    featureGroups: groups,
    negativeSamplingRate: inputs.negativeSamplingRate,
    correctDownsampling: inputs.correction === 'on',
    recalibration: inputs.recalibration,
    reserveUsdPerThousand: inputs.reserveUsdPerThousand,
  };
}

/** What the sandbox draws beyond the state: calibration bins and what the model learned. */
export interface AdsView {
  /** Calibration bins (10, equal count) on the day's logged impressions, per policy. */
  calibration: Record<AdPolicy, CalibrationBin[]>;
  /** The model's weights by feature name, in the features' own units. */
  weights: { feature: string; weight: number }[];
  /** The model's intercept. */
  bias: number;
  /** The Platt map when recalibration is on. */
  platt: PlattScaling | null;
}

/** One run: the state checks read and the view the sandbox draws. */
export interface AdsRun {
  state: FlatState;
  view: AdsView;
}

const round = (value: number, decimals: number): number | null =>
  Number.isFinite(value) ? Number(value.toFixed(decimals)) : null;

/** The state fields of each policy, under `<policy>.`. */
export const AD_POLICY_FIELDS = [
  'rpmUsd',
  'expectedRpmUsd',
  'adRpmUsd',
  'rpmPercentOfOracle',
  'fillRate',
  'adsShown',
  'clicks',
  'forecastAdRevenueUsd',
  'realisedAdRevenueUsd',
  'expectedAdRevenueUsd',
  'forecastErrorPercent',
  'accuracy',
  'rocAuc',
  'logLoss',
  'meanPredictedClickRate',
  'observedClickRate',
  'calibrationRatio',
  'ece',
] as const;

function policyValues(
  result: PolicyResult,
  oracleRpmUsd: number,
): Record<(typeof AD_POLICY_FIELDS)[number], number | null> {
  const a = result.auction;
  const ml = result.ml;
  return {
    rpmUsd: round(a.rpmUsd, 2),
    expectedRpmUsd: round(a.expectedRpmUsd, 2),
    adRpmUsd: round(a.adRpmUsd, 2),
    rpmPercentOfOracle: round((100 * a.rpmUsd) / oracleRpmUsd, 1),
    fillRate: round(a.fillRate, 3),
    adsShown: a.adsShown,
    clicks: a.clicks,
    forecastAdRevenueUsd: round(a.forecastAdRevenueUsd, 0),
    realisedAdRevenueUsd: round(a.adRevenueUsd, 0),
    expectedAdRevenueUsd: round(a.expectedAdRevenueUsd, 0),
    forecastErrorPercent: round(a.forecastErrorPercent, 1),
    accuracy: round(ml.accuracy, 4),
    rocAuc: round(ml.rocAuc, 3),
    logLoss: round(ml.logLoss, 4),
    meanPredictedClickRate: round(ml.calibration.meanPredicted, 4),
    observedClickRate: round(ml.calibration.observedRate, 4),
    calibrationRatio: round(ml.calibration.ratio, 2),
    ece: round(ml.calibration.expectedCalibrationError, 4),
  };
}

/** State paths that are not per policy or inputs. */
const RUN_PATHS = ['training.rows', 'training.logClickRate', 'day.impressions'] as const;

/** The flat state of a finished experiment (see the module header for every path). */
export function adsStateFrom(inputs: AdsSandboxInputs, result: AdExperimentResult): FlatState {
  const state: FlatState = {};
  const oracleRpmUsd = result.oracle.auction.rpmUsd;
  for (const policy of AD_POLICIES) {
    const values = policyValues(result[policy], oracleRpmUsd);
    for (const field of AD_POLICY_FIELDS) state[`${policy}.${field}`] = values[field];
  }
  state['training.rows'] = result.training.rows;
  state['training.logClickRate'] = round(result.training.logClickRate, 4);
  state['day.impressions'] = result.learned.auction.impressions;
  for (const [key, value] of Object.entries(inputs)) {
    state[`input.${key}`] = value as string | number;
  }
  return state;
}

/** Runs the experiment for validated inputs and returns its state and view. */
export function adsRun(inputs: AdsSandboxInputs): AdsRun {
  const result = runAdExperiment(adSettingsOf(inputs));
  return {
    state: adsStateFrom(inputs, result),
    view: {
      calibration: {
        learned: result.learned.ml.calibration.bins,
        oracle: result.oracle.ml.calibration.bins,
        random: result.random.ml.calibration.bins,
      },
      weights: result.model.featureNames.map((feature, j) => ({
        feature,
        weight: result.model.weights[j]!,
      })),
      bias: result.model.bias,
      platt: result.platt,
    },
  };
}

/** The state checks read: {@link adsRun}'s state. */
export function adsExerciseState(inputs: AdsSandboxInputs): FlatState {
  return adsRun(inputs).state;
}

/** The ad sandbox (lesson 1) for the exercise framework. */
export const adsKind: SandboxKind<AdsSandboxInputs> = {
  id: 'ads',
  actionPhrase: 'Train the click model and run the auction day',
  inputsSchema: z.object(shape),
  inputDescriptions: descriptions,
  defaults: ADS_DEFAULTS,
  paramInputs: ['seed', 'impressions', 'negativeSamplingRate', 'reserveUsdPerThousand'],
  parseInputs: (inputs) => parseWithSchema<AdsSandboxInputs>(adsKind, inputs),
  stateOf: adsExerciseState,
  statePaths: Object.freeze(
    [
      ...AD_POLICIES.flatMap((policy) => AD_POLICY_FIELDS.map((field) => `${policy}.${field}`)),
      ...RUN_PATHS,
      ...Object.keys(shape).map((key) => `input.${key}`),
    ].sort(),
  ),
};

/** Slots in the auction day (fixed; the log size is the `impressions` input). */
export const ADS_DAY_IMPRESSIONS = AD_DAY_IMPRESSIONS;
