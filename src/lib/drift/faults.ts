/**
 * Faults for the drift lab's production stream: what goes wrong with a deployed fraud model
 * without a single error message, each seeded and scheduled on a day.
 *
 * A fault is a plain record ({@link FaultSpec}): a kind, a start day, a strength (whose meaning
 * depends on the kind, see {@link FAULT_KIND_INFO}), the encoded column it touches, and
 * optionally an end day and a ramp. Faults act at one of two stages:
 *
 * - **world** faults change the transactions themselves, before encoding (the stream in
 *   `stream.ts` applies them while it draws a day):
 *   - `covariate-shift`: the population moves along one feature. Rows are drawn from the usual
 *     generator and kept with probability σ(Σ sₖ·zₖ) (a logistic tilt), where
 *     zₖ = (xₖ − meanₖ) / sdₖ is the row's standardised value of the tilted column and sₖ the
 *     tilt in log-odds per standard deviation. Acceptance depends on the features only, never on
 *     the label, so P(y | x) is unchanged and only P(x) moves: the textbook covariate shift. For
 *     a normal column the mean moves by about s/2 sd when |s| ≤ 1, and by at most ~0.8 sd.
 *   - `label-shift`: the fraud rate is multiplied (prior shift). The generator draws the label
 *     first and the features from the label's story, so P(x | y) is unchanged and only P(y)
 *     moves; P(y | x) moves with it, so a fixed model becomes miscalibrated.
 *   - `concept-drift`: fraud moves to a new pattern. A share of the frauds of the old kinds fade
 *     (their rows become legitimate) and as many legitimate payments become fraud, picked where
 *     the fault's feature and the amount are high (by default big foreign payments: cloned cards
 *     spent abroad, which the old data called safe). No feature changes and the fraud count is
 *     the same, so P(x) and P(y) stay exactly put and only P(y | x) moves; a model retrained on
 *     recent labels learns the new pattern ({@link moveFraud}).
 *   - `seasonality`: a periodic covariate shift, tilt(d) = amplitude · cos(2π(d − start)/period),
 *     e.g. more online shopping every weekend. Nothing is broken; monitors that compare each day
 *     with a fixed reference raise false alarms on a cycle.
 * - **pipeline** faults are bugs in the code that builds the model's input from a payment. They
 *   act on the encoded, unstandardised rows after generation (see `FRAUD_FEATURE_NAMES`), never
 *   on the labels or on the true amounts used for money:
 *   - `cents-for-dollars`: the amount reaches the encoder in cents: log1p(amountUsd) becomes
 *     log1p(100 · amountUsd), about +4.6 on that column.
 *   - `missing-as-zero`: a lookup times out and the missing value is filled with 0 (for
 *     log1p(accountAgeDays), 0 means a brand-new account).
 *   - `swapped-columns`: a refactor reorders two columns; their values trade places.
 *   - `stale-feature`: the job that computes a feature stops; every request gets a value it
 *     computed on the fault's start day. Mode `snapshot` (default): each request gets the value
 *     of a request of that day chosen by a hash of its id, so the column keeps its distribution
 *     but loses its link to the label. Mode `constant`: every request gets the start day's median.
 *
 * For pipeline faults, `strength` is the share of requests hit (a bad deploy may reach only some
 * servers); which requests are hit is decided by a hash of the request id and the fault, so day
 * k is the same whatever was computed before. A ramp (`rampDays`) grows every fault linearly
 * from 1/rampDays of its strength on the start day to all of it; `endDay` (exclusive) ends it.
 *
 * Everything here is deterministic: randomness comes from generators passed in (forked from the
 * stream's seed by the caller) or from {@link requestHashUnit}.
 */
import { FRAUD_FEATURE_NAMES } from '@lib/data/fraud-features';
import { MAX_FRAUD_RATE, MIN_FRAUD_RATE } from '@lib/data/fraud';
import { hashString32, type Rng } from '@lib/random';

/** Every fault the lab can inject. */
export const FAULT_KINDS = [
  'covariate-shift',
  'label-shift',
  'concept-drift',
  'seasonality',
  'cents-for-dollars',
  'missing-as-zero',
  'swapped-columns',
  'stale-feature',
] as const;

/** One of {@link FAULT_KINDS}. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Where a fault acts: on the world (the transactions) or in the feature pipeline. */
export type FaultStage = 'world' | 'pipeline';

/**
 * Families of monitor, by what they read:
 * - `feature`: the distribution of an input column (KS, chi-square, Wasserstein, JS, PSI);
 * - `prediction`: the distribution of the model's scores or its alert rate;
 * - `label`: the fraud rate, once labels arrive;
 * - `performance`: realised metrics (recall, false-positive rate, net savings), once labels arrive;
 * - `estimated-performance`: performance estimated without labels from the model's own
 *   confidence (CBPE), which trusts the model's calibration.
 */
export type MonitorFamily =
  'feature' | 'prediction' | 'label' | 'performance' | 'estimated-performance';

/** How a stale feature is served: see the module header. */
export type StaleMode = 'snapshot' | 'constant';

/** A fault to inject, as a learner or an exercise writes it. */
export interface FaultSpec {
  /** A name unique within the stream; default `${kind}@${startDay}`. */
  id?: string;
  /** What goes wrong. */
  kind: FaultKind;
  /** First day on which the fault acts, an integer ≥ 0. */
  startDay: number;
  /** First day on which it no longer acts (exclusive), an integer > startDay; default never. */
  endDay?: number;
  /** Days to reach full strength, an integer ≥ 0; 0 (default) means all at once. */
  rampDays?: number;
  /** How strong: its meaning and range depend on the kind ({@link FAULT_KIND_INFO}). */
  strength: number;
  /** The encoded column touched (a name of `FRAUD_FEATURE_NAMES`); default per kind. */
  feature?: string;
  /** `swapped-columns` only: the column swapped with `feature`. */
  otherFeature?: string;
  /** `seasonality` only: the period in days, an integer ≥ 2; default 7. */
  periodDays?: number;
  /** `stale-feature` only: `snapshot` (default) or `constant`. */
  staleMode?: StaleMode;
}

/** A validated fault with every default filled in and its columns resolved to indices. */
export interface ResolvedFault {
  /** Unique name. */
  id: string;
  /** What goes wrong. */
  kind: FaultKind;
  /** World or pipeline. */
  stage: FaultStage;
  /** First day it acts. */
  startDay: number;
  /** First day it no longer acts; Infinity when it never ends. */
  endDay: number;
  /** Days of linear ramp; 0 for a sudden fault. */
  rampDays: number;
  /** Strength, in the kind's unit. */
  strength: number;
  /** Index of the column touched, or −1 when the kind touches none. */
  column: number;
  /** Index of the second column (`swapped-columns`), else −1. */
  otherColumn: number;
  /** Period of `seasonality`, in days. */
  periodDays: number;
  /** How a stale feature is served. */
  staleMode: StaleMode;
  /** A 32-bit salt derived from the id, for the per-request hashes of this fault. */
  salt: number;
}

/** What the UI and the documentation need to know about one kind of fault. */
export interface FaultKindInfo {
  /** World or pipeline. */
  stage: FaultStage;
  /** A short plain name. */
  label: string;
  /** What `strength` means, in words with its unit. */
  strengthMeaning: string;
  /** A sensible default strength. */
  defaultStrength: number;
  /** Smallest accepted strength (inclusive unless `strengthExclusiveMin`). */
  minStrength: number;
  /** Largest accepted strength (inclusive). */
  maxStrength: number;
  /** Whether `minStrength` itself is excluded. */
  strengthExclusiveMin: boolean;
  /** Whether the fault touches one column (`feature`). */
  needsFeature: boolean;
  /** The column touched when none is given. */
  defaultFeature: string | null;
  /** `swapped-columns`: the second column when none is given. */
  defaultOtherFeature: string | null;
  /** The monitor family meant to catch it first. */
  meantFor: MonitorFamily;
  /** Monitor families that move under it (with the course's logistic model and 5,000 requests a day). */
  seenBy: readonly MonitorFamily[];
  /** Monitor families that stay quiet under it. */
  missedBy: readonly MonitorFamily[];
  /** How it shows, in one or two sentences. */
  howItShows: string;
}

/**
 * What each fault is, how strong it can be and which monitors should catch it. The claims in
 * `seenBy` / `missedBy` are checked on seeded streams in `test/unit/drift-stream-faults.test.ts`.
 */
export const FAULT_KIND_INFO: Readonly<Record<FaultKind, FaultKindInfo>> = {
  'covariate-shift': {
    stage: 'world',
    label: 'Covariate shift',
    strengthMeaning: 'tilt in log-odds of keeping a row per standard deviation of the feature',
    defaultStrength: 1.5,
    minStrength: -6,
    maxStrength: 6,
    strengthExclusiveMin: false,
    needsFeature: true,
    defaultFeature: 'log1pDistanceFromHomeKm',
    defaultOtherFeature: null,
    meantFor: 'feature',
    seenBy: ['feature', 'prediction', 'label', 'performance'],
    missedBy: [],
    howItShows:
      'The tilted column, and the columns correlated with it, move at once. The model stays ' +
      'calibrated, since P(fraud | features) is unchanged, but every rate computed over the ' +
      'population moves with the mix: the alert rate, then the fraud rate and the ' +
      'false-positive rate once labels arrive.',
  },
  'label-shift': {
    stage: 'world',
    label: 'Label shift',
    strengthMeaning: 'multiplier of the fraud rate (3 means three times as much fraud)',
    defaultStrength: 3,
    minStrength: 0,
    maxStrength: 20,
    strengthExclusiveMin: true,
    needsFeature: false,
    defaultFeature: null,
    defaultOtherFeature: null,
    meantFor: 'label',
    seenBy: ['prediction', 'label'],
    missedBy: ['feature'],
    howItShows:
      'More of the score distribution sits high (more fraud to flag) at once; the fraud rate ' +
      'and precision rise once labels arrive. Each class looks as before, so feature monitors ' +
      'see only the small change in the mixture.',
  },
  'concept-drift': {
    stage: 'world',
    label: 'Concept drift',
    strengthMeaning: 'share of the fraud that moves to the new pattern (0–1)',
    defaultStrength: 0.7,
    minStrength: 0,
    maxStrength: 1,
    strengthExclusiveMin: true,
    needsFeature: true,
    defaultFeature: 'foreignCountry',
    defaultOtherFeature: null,
    meantFor: 'performance',
    seenBy: ['performance'],
    missedBy: ['feature', 'prediction', 'label', 'estimated-performance'],
    howItShows:
      'Recall and net savings fall and false alarms rise, but only labels show it, after the ' +
      'delay: the payments, the scores and the fraud rate are exactly what they were, so ' +
      'feature and prediction monitors, and an estimate from the model’s own confidence, see ' +
      'nothing wrong.',
  },
  seasonality: {
    stage: 'world',
    label: 'Seasonal pattern',
    strengthMeaning: 'peak tilt in log-odds per standard deviation of the feature',
    defaultStrength: 2,
    minStrength: -6,
    maxStrength: 6,
    strengthExclusiveMin: false,
    needsFeature: true,
    defaultFeature: 'merchant=online-retail',
    defaultOtherFeature: null,
    meantFor: 'feature',
    seenBy: ['feature', 'prediction'],
    missedBy: [],
    howItShows:
      'The feature swings on a cycle (peak on the start day, trough half a period later); a ' +
      'monitor with a fixed reference alarms on the peaks although nothing is broken.',
  },
  'cents-for-dollars': {
    stage: 'pipeline',
    label: 'Amounts in cents',
    strengthMeaning: 'share of requests hit (0–1)',
    defaultStrength: 1,
    minStrength: 0,
    maxStrength: 1,
    strengthExclusiveMin: true,
    needsFeature: false,
    defaultFeature: 'log1pAmountUsd',
    defaultOtherFeature: null,
    meantFor: 'feature',
    seenBy: ['feature'],
    missedBy: ['label'],
    howItShows:
      'The amount column jumps by ln 100 ≈ 4.6 at once. What it does to scores and money ' +
      'depends on how the model uses the amount: a linear model barely does (fraud amounts ' +
      'are both tiny and large), while a network that scores big amounts as riskier starts ' +
      'flagging ordinary payments (measured on seed 1: about $48,000 lost over 20 days).',
  },
  'missing-as-zero': {
    stage: 'pipeline',
    label: 'Missing values filled with 0',
    strengthMeaning: 'share of requests whose value is missing (0–1)',
    defaultStrength: 0.3,
    minStrength: 0,
    maxStrength: 1,
    strengthExclusiveMin: true,
    needsFeature: true,
    defaultFeature: 'log1pAccountAgeDays',
    defaultOtherFeature: null,
    meantFor: 'feature',
    seenBy: ['feature', 'prediction', 'performance'],
    missedBy: ['label'],
    howItShows:
      'A spike of zeros appears in the column at once (an account age of 0 days reads as a ' +
      'brand-new account, which the model finds suspicious).',
  },
  'swapped-columns': {
    stage: 'pipeline',
    label: 'Two features swapped',
    strengthMeaning: 'share of requests hit (0–1)',
    defaultStrength: 1,
    minStrength: 0,
    maxStrength: 1,
    strengthExclusiveMin: true,
    needsFeature: true,
    defaultFeature: 'log1pDistanceFromHomeKm',
    defaultOtherFeature: 'log1pAccountAgeDays',
    meantFor: 'feature',
    seenBy: ['feature', 'prediction', 'performance'],
    missedBy: ['label'],
    howItShows:
      'Both columns change distribution at once (each takes the other’s); the model reads ' +
      'nonsense and its scores move.',
  },
  'stale-feature': {
    stage: 'pipeline',
    label: 'Stale feature',
    strengthMeaning: 'share of requests served a stale value (0–1)',
    defaultStrength: 1,
    minStrength: 0,
    maxStrength: 1,
    strengthExclusiveMin: true,
    needsFeature: true,
    defaultFeature: 'transactionsLast24h',
    defaultOtherFeature: null,
    meantFor: 'performance',
    seenBy: ['performance'],
    missedBy: ['feature', 'label'],
    howItShows:
      'In snapshot mode (default) the column keeps its distribution (one day’s values served ' +
      'again), so feature monitors stay quiet while recall slowly falls: only labels pooled ' +
      'over days show it, or a check that the column is identical day after day. In constant ' +
      'mode the column collapses to one value and feature monitors fire at once.',
  },
};

/** Index of an encoded column by name, or a RangeError naming the valid ones. */
export function featureColumnIndex(name: string): number {
  const index = FRAUD_FEATURE_NAMES.indexOf(name);
  if (index < 0) {
    throw new RangeError(
      `Unknown feature "${name}"; expected one of: ${FRAUD_FEATURE_NAMES.join(', ')}.`,
    );
  }
  return index;
}

function assertDay(value: number, what: string): void {
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new RangeError(`${what} must be a whole number ≥ 0; got ${value}.`);
  }
}

/**
 * Validates one fault and fills in its defaults ({@link FAULT_KIND_INFO}).
 *
 * @throws RangeError for an unknown kind or feature, a day that is not a whole number ≥ 0, an
 *   end day not after the start, a strength outside the kind's range, swapped columns that are
 *   the same, or a period below 2 days.
 */
export function resolveFault(spec: FaultSpec): ResolvedFault {
  const info = FAULT_KIND_INFO[spec.kind];
  if (!info) throw new RangeError(`Unknown fault kind "${String(spec.kind)}".`);
  assertDay(spec.startDay, 'The start day');
  const endDay = spec.endDay ?? Number.POSITIVE_INFINITY;
  if (spec.endDay !== undefined) {
    assertDay(spec.endDay, 'The end day');
    if (!(spec.endDay > spec.startDay)) {
      throw new RangeError(
        `The end day (${spec.endDay}) must come after the start day (${spec.startDay}).`,
      );
    }
  }
  const rampDays = spec.rampDays ?? 0;
  assertDay(rampDays, 'The ramp');
  const { strength } = spec;
  const belowMin = info.strengthExclusiveMin
    ? !(strength > info.minStrength)
    : !(strength >= info.minStrength);
  if (!Number.isFinite(strength) || belowMin || strength > info.maxStrength) {
    throw new RangeError(
      `The strength of ${spec.kind} (${info.strengthMeaning}) must be in ` +
        `${info.strengthExclusiveMin ? '(' : '['}${info.minStrength}, ${info.maxStrength}]; got ${strength}.`,
    );
  }
  const featureName = spec.feature ?? info.defaultFeature;
  const column = featureName === null ? -1 : featureColumnIndex(featureName);
  if (spec.kind === 'cents-for-dollars' && column !== featureColumnIndex('log1pAmountUsd')) {
    throw new RangeError('cents-for-dollars acts on the amount column (log1pAmountUsd) only.');
  }
  let otherColumn = -1;
  if (spec.kind === 'swapped-columns') {
    otherColumn = featureColumnIndex(spec.otherFeature ?? info.defaultOtherFeature ?? '');
    if (otherColumn === column) throw new RangeError('A column cannot be swapped with itself.');
  }
  const periodDays = spec.periodDays ?? 7;
  if (!(Number.isInteger(periodDays) && periodDays >= 2)) {
    throw new RangeError(`The period must be a whole number of days ≥ 2; got ${periodDays}.`);
  }
  const staleMode = spec.staleMode ?? 'snapshot';
  if (staleMode !== 'snapshot' && staleMode !== 'constant') {
    throw new RangeError(`The stale mode must be snapshot or constant; got ${String(staleMode)}.`);
  }
  const id = spec.id ?? `${spec.kind}@${spec.startDay}`;
  return {
    id,
    kind: spec.kind,
    stage: info.stage,
    startDay: spec.startDay,
    endDay,
    rampDays,
    strength,
    column: info.needsFeature || spec.kind === 'cents-for-dollars' ? column : -1,
    otherColumn,
    periodDays,
    staleMode,
    salt: hashString32(`fault:${id}`),
  };
}

/**
 * Validates a list of faults ({@link resolveFault}) and checks that their ids are unique.
 *
 * @throws RangeError as {@link resolveFault}, or when two faults share an id.
 */
export function resolveFaults(specs: readonly FaultSpec[]): ResolvedFault[] {
  const faults = specs.map(resolveFault);
  const seen = new Set<string>();
  for (const fault of faults) {
    if (seen.has(fault.id)) throw new RangeError(`Two faults share the id "${fault.id}".`);
    seen.add(fault.id);
  }
  return faults;
}

/** Whether the fault acts on `day`: startDay ≤ day < endDay. */
export function isFaultActive(fault: ResolvedFault, day: number): boolean {
  return day >= fault.startDay && day < fault.endDay;
}

/**
 * The share of its strength a fault has on `day`: 0 outside [startDay, endDay); else
 * ramp = min(1, (day − startDay + 1) / rampDays) (1 when rampDays = 0). For `seasonality` the
 * ramp is multiplied by cos(2π(day − startDay) / periodDays), so the result lies in [−1, 1].
 */
export function faultIntensity(fault: ResolvedFault, day: number): number {
  if (!isFaultActive(fault, day)) return 0;
  const ramp = fault.rampDays > 0 ? Math.min(1, (day - fault.startDay + 1) / fault.rampDays) : 1;
  if (fault.kind === 'seasonality') {
    return ramp * Math.cos((2 * Math.PI * (day - fault.startDay)) / fault.periodDays);
  }
  return ramp;
}

/**
 * The fraud rate the generator uses on `day`: the base rate times, for each active
 * `label-shift`, 1 + (multiplier − 1)·intensity, clamped to the generator's range
 * [MIN_FRAUD_RATE, MAX_FRAUD_RATE].
 */
export function fraudRateOnDay(
  baseFraudRate: number,
  faults: readonly ResolvedFault[],
  day: number,
): number {
  let rate = baseFraudRate;
  for (const fault of faults) {
    if (fault.kind !== 'label-shift') continue;
    const intensity = faultIntensity(fault, day);
    if (intensity > 0) rate *= 1 + (fault.strength - 1) * intensity;
  }
  return Math.min(MAX_FRAUD_RATE, Math.max(MIN_FRAUD_RATE, rate));
}

/** One logistic tilt of the population on a day: keep-odds multiply by e^(slope·z). */
export interface CovariateTilt {
  /** Index of the tilted encoded column. */
  column: number;
  /** Log-odds of keeping a row per standard deviation of the column (strength × intensity). */
  slopePerSd: number;
}

/** Tilts smaller than this (in log-odds per sd) are dropped, e.g. cos(π/2) ≈ 6e-17. */
export const MIN_TILT_PER_SD = 1e-9;

/**
 * The population tilts active on `day`, from `covariate-shift` (slope = strength × ramp) and
 * `seasonality` (slope = amplitude × ramp × cos(2π(day − start)/period)); tilts with
 * |slope| < {@link MIN_TILT_PER_SD} are left out, so an empty list means the day is drawn untilted.
 */
export function covariateTiltsOnDay(
  faults: readonly ResolvedFault[],
  day: number,
): CovariateTilt[] {
  const tilts: CovariateTilt[] = [];
  for (const fault of faults) {
    if (fault.kind !== 'covariate-shift' && fault.kind !== 'seasonality') continue;
    const slopePerSd = fault.strength * faultIntensity(fault, day);
    if (Math.abs(slopePerSd) >= MIN_TILT_PER_SD) {
      tilts.push({ column: fault.column, slopePerSd });
    }
  }
  return tilts;
}

/** Means and standard deviations of the tilted columns, measured on a day's first draw. */
export interface TiltReference {
  /** Mean of each column (index = column). */
  means: Float64Array;
  /** Population standard deviation of each column; 1 where it is 0. */
  stdDevs: Float64Array;
}

/**
 * Probability of keeping a row under the tilts: σ(Σₖ slopeₖ · (x[colₖ] − meanₖ) / sdₖ), with
 * σ(t) = 1 / (1 + e^−t). It reads only the row's features, never its label; with no tilt it is
 * 1/2 for every row, which keeps the distribution unchanged.
 */
export function tiltKeepProbability(
  features: Float32Array,
  offset: number,
  tilts: readonly CovariateTilt[],
  reference: TiltReference,
): number {
  let logit = 0;
  for (const tilt of tilts) {
    const value = features[offset + tilt.column] ?? 0;
    const mean = reference.means[tilt.column] ?? 0;
    const sd = reference.stdDevs[tilt.column] ?? 1;
    logit += (tilt.slopePerSd * (value - mean)) / sd;
  }
  return logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
}

/** The concept-drift fault acting on `day` with the largest share, or null. */
export function conceptDriftOnDay(
  faults: readonly ResolvedFault[],
  day: number,
): { fault: ResolvedFault; share: number } | null {
  let best: { fault: ResolvedFault; share: number } | null = null;
  for (const fault of faults) {
    if (fault.kind !== 'concept-drift') continue;
    const share = fault.strength * faultIntensity(fault, day);
    if (share > 0 && (best === null || share > best.share)) best = { fault, share };
  }
  return best;
}

/** Index of the amount column, log1p(amountUsd). */
const AMOUNT_COLUMN = FRAUD_FEATURE_NAMES.indexOf('log1pAmountUsd');

/** β_f of {@link moveFraud}: how sharply the new fraud concentrates on its feature. */
export const CONCEPT_DRIFT_SHARPNESS = 1.5;
/** β_a of {@link moveFraud}: how much the new fraud prefers large amounts. */
export const CONCEPT_DRIFT_AMOUNT_SHARPNESS = 0.75;

/**
 * Concept drift on one batch, in place on the labels only: fraud moves from its old patterns to
 * a new one without any payment changing.
 *
 * 1. Each fraud row, with probability `share`, becomes legitimate (the old pattern fades);
 *    say k rows do.
 * 2. k legitimate rows become fraud, drawn without replacement with weight
 *    wᵢ = exp(β_f · z_feature,i + β_a · z_amount,i) (β_f = {@link CONCEPT_DRIFT_SHARPNESS},
 *    β_a = {@link CONCEPT_DRIFT_AMOUNT_SHARPNESS}), where z is a column standardised over the
 *    batch: the new fraud sits among payments that are high on
 *    the fault's feature and large (by default foreign payments: cloned cards spent abroad),
 *    which the old data called safe. Sampling uses Efraimidis–Spirakis keys ln(u) / wᵢ, keeping
 *    the k largest.
 *
 * The features, and so P(x), are untouched, and the fraud count is unchanged, so the fraud rate
 * stays put: only P(y | x) moves. Draws one uniform per fraud row and one per legitimate row
 * (when k > 0) from `rng`. Returns k.
 */
export function moveFraud(
  features: Float32Array,
  labels: Uint8Array,
  rows: number,
  cols: number,
  column: number,
  share: number,
  rng: Rng,
): number {
  if (!(share > 0)) return 0;
  const honest: number[] = [];
  let moved = 0;
  for (let r = 0; r < rows; r++) {
    if (labels[r] === 1) {
      if (rng.next() < share) {
        labels[r] = 0;
        moved++;
      }
    } else honest.push(r);
  }
  if (moved === 0) return 0;
  const z = new Float64Array(rows);
  const weighting: [number, number][] = [
    [column, CONCEPT_DRIFT_SHARPNESS],
    [AMOUNT_COLUMN, CONCEPT_DRIFT_AMOUNT_SHARPNESS],
  ];
  for (const [c, beta] of weighting) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += features[r * cols + c]!;
    mean /= rows;
    let variance = 0;
    for (let r = 0; r < rows; r++) variance += (features[r * cols + c]! - mean) ** 2;
    const sd = Math.sqrt(variance / rows) || 1;
    for (let r = 0; r < rows; r++) z[r]! += (beta * (features[r * cols + c]! - mean)) / sd;
  }
  const keys = new Float64Array(honest.length);
  const order = new Uint32Array(honest.length);
  for (let i = 0; i < honest.length; i++) {
    order[i] = i;
    // ln(u) / w with u in (0, 1]; the largest keys are the sample.
    keys[i] = Math.log(1 - rng.next()) / Math.exp(z[honest[i]!]!);
  }
  order.sort((a, b) => keys[b]! - keys[a]! || a - b);
  const k = Math.min(moved, honest.length);
  for (let i = 0; i < k; i++) labels[honest[order[i]!]!] = 1;
  return k;
}

/**
 * A uniform number in [0, 1) from a request id and a 32-bit salt, by a 32-bit integer mix
 * (murmur3's fmix32 finaliser over id_low ⊕ salt, then the high bits of the id). The same id and
 * salt always give the same number, whatever else happened: this is how faults pick the
 * requests they hit and how the canary picks the requests it answers.
 */
export function requestHashUnit(requestId: number, salt: number): number {
  let h = (Math.imul(requestId >>> 0, 0x9e3779b1) ^ salt) >>> 0;
  h ^= Math.floor(requestId / 4294967296) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** The rows of one day as the pipeline built them, for {@link applyPipelineFaults}. */
export interface PipelineBatch {
  /** Day of the batch. */
  day: number;
  /** Row-major `rows × cols` encoded, unstandardised features, modified in place. */
  features: Float32Array;
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
  /** Id of row 0; row r has id firstRequestId + r. */
  firstRequestId: number;
  /** True amounts charged, in USD (read by cents-for-dollars, never changed). */
  amountsUsd: Float32Array;
}

/**
 * The column a `stale-feature` fault froze: its values on the start day (after world faults,
 * before pipeline faults), and their median for `constant` mode.
 */
export interface StaleSnapshot {
  /** The column's values on the fault's start day, one per request of that day. */
  values: Float32Array;
  /** The median of `values` (the upper median for an even count). */
  median: number;
}

/** Builds a {@link StaleSnapshot} from one column of a start day's rows. */
export function staleSnapshotOf(
  features: Float32Array,
  rows: number,
  cols: number,
  column: number,
): StaleSnapshot {
  const values = new Float32Array(rows);
  for (let r = 0; r < rows; r++) values[r] = features[r * cols + column] ?? 0;
  const sorted = Float32Array.from(values).sort();
  return { values, median: rows > 0 ? (sorted[rows >> 1] ?? 0) : 0 };
}

/** Whether request `requestId` is hit by a pipeline fault of share `share`: hash < share. */
export function isRequestHit(fault: ResolvedFault, requestId: number, share: number): boolean {
  return share >= 1 || requestHashUnit(requestId, fault.salt) < share;
}

/**
 * Applies one pipeline fault to a batch, in place, with share = strength × intensity(day):
 * - cents-for-dollars: x[amount] = log1p(100 · amountUsd) (the true amount times 100);
 * - missing-as-zero: x[col] = 0;
 * - swapped-columns: x[col] ↔ x[other];
 * - stale-feature: x[col] = snapshot.values[⌊u · n⌋] with u = requestHashUnit(id, salt ⊕ 0x5bd1e995)
 *   (snapshot mode) or snapshot.median (constant mode).
 * Only the rows hit ({@link isRequestHit}) change. Returns the number of rows changed.
 *
 * @throws RangeError when a stale-feature fault has no snapshot.
 */
export function applyPipelineFault(
  fault: ResolvedFault,
  batch: PipelineBatch,
  snapshot?: StaleSnapshot,
): number {
  const share = fault.strength * faultIntensity(fault, batch.day);
  if (fault.stage !== 'pipeline' || !(share > 0)) return 0;
  const { features, rows, cols, firstRequestId, amountsUsd } = batch;
  const col = fault.column;
  if (fault.kind === 'stale-feature' && !snapshot) {
    throw new RangeError(`The stale feature ${fault.id} needs the snapshot of its start day.`);
  }
  const snapshotRows = snapshot?.values.length ?? 0;
  let changed = 0;
  for (let r = 0; r < rows; r++) {
    const requestId = firstRequestId + r;
    if (!isRequestHit(fault, requestId, share)) continue;
    const base = r * cols;
    switch (fault.kind) {
      case 'cents-for-dollars':
        features[base + col] = Math.log1p(100 * (amountsUsd[r] ?? 0));
        break;
      case 'missing-as-zero':
        features[base + col] = 0;
        break;
      case 'swapped-columns': {
        const a = features[base + col] ?? 0;
        features[base + col] = features[base + fault.otherColumn] ?? 0;
        features[base + fault.otherColumn] = a;
        break;
      }
      case 'stale-feature': {
        if (fault.staleMode === 'constant' || snapshotRows === 0) {
          features[base + col] = snapshot!.median;
        } else {
          const u = requestHashUnit(requestId, (fault.salt ^ 0x5bd1e995) >>> 0);
          features[base + col] = snapshot!.values[Math.floor(u * snapshotRows)] ?? 0;
        }
        break;
      }
      default:
        continue;
    }
    changed++;
  }
  return changed;
}
