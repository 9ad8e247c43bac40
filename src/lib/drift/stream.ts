/**
 * A production stream for the drift lab: day after day, card payments arrive, a deployed model
 * scores them, and their labels (chargebacks, customer complaints) come back later.
 *
 * Day k is a pure function of the configuration and k ({@link createProductionStream}): its
 * payments are drawn from the fraud generator (`data/fraud.ts`) with a seed derived from the
 * stream's seed and k, the world faults of that day change them (`faults.ts`), they are encoded
 * into the 14 columns of `FRAUD_FEATURE_NAMES`, and the pipeline faults of that day are applied
 * to the encoded rows. So day 40 is the same whether or not days 0–39 were computed, which lets a
 * worker compute days in any order and lets a retraining window be rebuilt on demand.
 *
 * Request ids are global: request r of day k has id k · requestsPerDay + r. The feature rows are
 * what the model sees (after any bug); the labels and the amounts are the truth.
 *
 * Money follows `business/fraud-money.ts`: a request is flagged when its score ≥ the model's
 * threshold, and net savings = share · Σ_TP amount − review · (TP + FP) − decline · FP. The
 * oracle is the perfect model for money: it flags exactly the frauds worth flagging, those with
 * share · amount > review (a $2 card test costs more to review than it saves), and nothing else,
 * so its net savings Σ_fraud max(0, share · amount − review) bound every model's from above,
 * request by request, and "lost against the oracle" is never negative.
 *
 * Labels arrive `labelDelayDays` after the day they belong to: the labels of day d are released
 * at the end of day d + labelDelayDays (0 means the same evening). {@link stepStream} runs a
 * single fixed model over the stream as a step function and releases labels on that schedule.
 */
import { DEFAULT_FRAUD_RATE, assertValidFraudRate, generateTransactions } from '@lib/data/fraud';
import {
  FRAUD_FEATURE_COUNT,
  FRAUD_FEATURE_NAMES,
  encodeTransactions,
} from '@lib/data/fraud-features';
import { DEFAULT_FRAUD_COSTS, type FraudCostModel } from '@lib/business/fraud-money';
import { createRng } from '@lib/random';
import {
  applyPipelineFault,
  conceptDriftOnDay,
  covariateTiltsOnDay,
  fraudRateOnDay,
  isFaultActive,
  moveFraud,
  resolveFaults,
  staleSnapshotOf,
  tiltKeepProbability,
  type FaultSpec,
  type ResolvedFault,
  type StaleSnapshot,
  type TiltReference,
} from '@lib/drift/faults';

/** How the production stream is drawn. */
export interface StreamConfig {
  /** Seed of the whole stream; the same seed and faults give the same days. */
  seed: number | string;
  /** Requests (payments) per day, an integer 1–100,000. */
  requestsPerDay: number;
  /** Fraud rate of a day without label shift, 0.001–0.2; default 0.01. */
  fraudRate?: number;
  /** Days until a day's labels arrive, an integer 0–60. */
  labelDelayDays: number;
  /** Faults to inject (default none). */
  faults?: readonly FaultSpec[];
  /** The money model (default `DEFAULT_FRAUD_COSTS`). */
  costs?: FraudCostModel;
}

/** Most requests a day the stream draws. */
export const MAX_REQUESTS_PER_DAY = 100_000;
/** Longest label delay accepted, in days. */
export const MAX_LABEL_DELAY_DAYS = 60;
/** Most chunks a tilted day may draw before giving up (acceptance is ~1/2, so 2–3 suffice). */
const MAX_TILT_CHUNKS = 64;

/** One day of production traffic. */
export interface ProductionDay {
  /** Day index, ≥ 0. */
  day: number;
  /** Id of the first request; request r has id firstRequestId + r. */
  firstRequestId: number;
  /** Number of requests. */
  rows: number;
  /** Number of encoded columns ({@link FRAUD_FEATURE_COUNT}). */
  cols: number;
  /** Row-major `rows × cols` encoded, unstandardised features as the model sees them. */
  features: Float32Array;
  /** The truth: 1 for fraud, 0 for legitimate. */
  labels: Uint8Array;
  /** The true amount of each payment, in USD (pipeline bugs never change it). */
  amountsUsd: Float32Array;
  /** The fraud rate the generator used that day (base rate with label shift). */
  targetFraudRate: number;
  /** Realised share of fraud among the day's requests. */
  realisedFraudRate: number;
  /** Ids of the faults acting that day. */
  activeFaultIds: readonly string[];
}

/** Labelled rows of consecutive days, for retraining. */
export interface LabelledWindow {
  /** First day included. */
  fromDay: number;
  /** Last day included. */
  toDay: number;
  /** Total rows. */
  rows: number;
  /** Columns per row. */
  cols: number;
  /** Row-major `rows × cols` features as the pipeline logged them (bugs included). */
  features: Float32Array;
  /** 1 for fraud, 0 for legitimate, as floats for trainers. */
  labels: Float32Array;
  /** True amounts, in USD. */
  amountsUsd: Float32Array;
}

/** A validated stream: its configuration, its faults and its days. */
export interface ProductionStream {
  /** The configuration with defaults filled in. */
  config: Readonly<Required<Omit<StreamConfig, 'faults'>>>;
  /** The faults, validated. */
  faults: readonly ResolvedFault[];
  /** Draws day `day` (pure in the configuration and `day`; stale snapshots are memoised). */
  day(day: number): ProductionDay;
  /** The days fromDay..toDay (inclusive) concatenated, for retraining. */
  labelledDays(fromDay: number, toDay: number): LabelledWindow;
}

function assertStreamConfig(config: StreamConfig): void {
  const { requestsPerDay, labelDelayDays } = config;
  if (!(Number.isInteger(requestsPerDay) && requestsPerDay >= 1)) {
    throw new RangeError(`Requests per day must be a whole number ≥ 1; got ${requestsPerDay}.`);
  }
  if (requestsPerDay > MAX_REQUESTS_PER_DAY) {
    throw new RangeError(
      `Requests per day must be at most ${MAX_REQUESTS_PER_DAY}; got ${requestsPerDay}.`,
    );
  }
  if (!(
    Number.isInteger(labelDelayDays) &&
    labelDelayDays >= 0 &&
    labelDelayDays <= MAX_LABEL_DELAY_DAYS
  )) {
    throw new RangeError(
      `The label delay must be a whole number of days from 0 to ${MAX_LABEL_DELAY_DAYS}; got ${labelDelayDays}.`,
    );
  }
  assertValidFraudRate(config.fraudRate ?? DEFAULT_FRAUD_RATE);
}

/** The encoded world of one day, before pipeline faults. */
interface WorldDay {
  features: Float32Array;
  labels: Uint8Array;
  amountsUsd: Float32Array;
  targetFraudRate: number;
}

/**
 * Draws the world of one day: `rows` payments at the day's fraud rate, encoded, with concept
 * drift applied to their labels. With a population tilt the rows come from chunks of `rows` draws, each row kept with
 * probability {@link tiltKeepProbability} (reference means and sds from chunk 0), in order,
 * until `rows` are kept.
 */
function drawWorldDay(
  seedKey: string,
  baseFraudRate: number,
  rows: number,
  faults: readonly ResolvedFault[],
  day: number,
): WorldDay {
  const cols = FRAUD_FEATURE_COUNT;
  const targetFraudRate = fraudRateOnDay(baseFraudRate, faults, day);
  const tilts = covariateTiltsOnDay(faults, day);
  const concept = conceptDriftOnDay(faults, day);
  const daySeed = `${seedKey}/day${day}`;
  const dayRng = createRng(daySeed);

  const drawChunk = (
    chunk: number,
  ): { features: Float32Array; labels: Uint8Array; amountsUsd: Float32Array } => {
    const transactions = generateTransactions({
      rows,
      seed: chunk === 0 ? daySeed : `${daySeed}/chunk${chunk}`,
      fraudRate: targetFraudRate,
    });
    const labels = new Uint8Array(rows);
    const amountsUsd = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      const tx = transactions[r]!;
      labels[r] = tx.isFraud ? 1 : 0;
      amountsUsd[r] = tx.amountUsd;
    }
    const features = encodeTransactions(transactions);
    if (concept) {
      const rng = dayRng.fork(`concept${chunk}`);
      moveFraud(features, labels, rows, cols, concept.fault.column, concept.share, rng);
    }
    return { features, labels, amountsUsd };
  };

  if (tilts.length === 0) return { ...drawChunk(0), targetFraudRate };

  const features = new Float32Array(rows * cols);
  const labels = new Uint8Array(rows);
  const amountsUsd = new Float32Array(rows);
  let kept = 0;
  let reference: TiltReference | null = null;
  for (let chunk = 0; kept < rows; chunk++) {
    if (chunk >= MAX_TILT_CHUNKS) {
      throw new RangeError(`The covariate tilt keeps too few rows on day ${day}; lower it.`);
    }
    const drawn = drawChunk(chunk);
    if (reference === null) reference = columnMoments(drawn.features, rows, cols);
    const keepRng = dayRng.fork(`tilt${chunk}`);
    for (let r = 0; r < rows && kept < rows; r++) {
      if (!(keepRng.next() < tiltKeepProbability(drawn.features, r * cols, tilts, reference))) {
        continue;
      }
      features.set(drawn.features.subarray(r * cols, (r + 1) * cols), kept * cols);
      labels[kept] = drawn.labels[r]!;
      amountsUsd[kept] = drawn.amountsUsd[r]!;
      kept++;
    }
  }
  return { features, labels, amountsUsd, targetFraudRate };
}

/** Mean and population sd of every column of a row-major matrix (sd 1 where it is 0). */
function columnMoments(features: Float32Array, rows: number, cols: number): TiltReference {
  const means = new Float64Array(cols);
  const stdDevs = new Float64Array(cols);
  for (let i = 0; i < rows * cols; i++) means[i % cols]! += features[i]!;
  for (let c = 0; c < cols; c++) means[c]! /= Math.max(1, rows);
  for (let i = 0; i < rows * cols; i++)
    stdDevs[i % cols]! += (features[i]! - means[i % cols]!) ** 2;
  for (let c = 0; c < cols; c++) {
    const sd = Math.sqrt(stdDevs[c]! / Math.max(1, rows));
    stdDevs[c] = sd > 1e-12 ? sd : 1;
  }
  return { means, stdDevs };
}

/**
 * Validates a stream configuration and returns its stream. Each call of `day(k)` draws day k
 * afresh (about 4 ms for 5,000 requests in Node, about 12 ms on a day with a covariate tilt);
 * the only memory kept is the snapshot of each stale feature's start day.
 *
 * @throws RangeError when requests per day, the label delay, the fraud rate or a fault is
 *   invalid.
 */
export function createProductionStream(config: StreamConfig): ProductionStream {
  assertStreamConfig(config);
  const faults = resolveFaults(config.faults ?? []);
  const resolved = {
    seed: config.seed,
    requestsPerDay: config.requestsPerDay,
    fraudRate: config.fraudRate ?? DEFAULT_FRAUD_RATE,
    labelDelayDays: config.labelDelayDays,
    costs: config.costs ?? DEFAULT_FRAUD_COSTS,
  };
  const seedKey = `drift-stream:${typeof config.seed}:${String(config.seed)}`;
  const rows = resolved.requestsPerDay;
  const cols = FRAUD_FEATURE_COUNT;
  const snapshots = new Map<string, StaleSnapshot>();

  const snapshotFor = (fault: ResolvedFault, world: WorldDay, day: number): StaleSnapshot => {
    let snapshot = snapshots.get(fault.id);
    if (!snapshot) {
      const startWorld =
        day === fault.startDay
          ? world
          : drawWorldDay(seedKey, resolved.fraudRate, rows, faults, fault.startDay);
      snapshot = staleSnapshotOf(startWorld.features, rows, cols, fault.column);
      snapshots.set(fault.id, snapshot);
    }
    return snapshot;
  };

  const day = (dayIndex: number): ProductionDay => {
    if (!(Number.isInteger(dayIndex) && dayIndex >= 0)) {
      throw new RangeError(`A day must be a whole number ≥ 0; got ${dayIndex}.`);
    }
    const world = drawWorldDay(seedKey, resolved.fraudRate, rows, faults, dayIndex);
    const firstRequestId = dayIndex * rows;
    // Snapshots read the world before any pipeline fault, so take them first.
    const pending: [ResolvedFault, StaleSnapshot | undefined][] = [];
    for (const fault of faults) {
      if (fault.stage !== 'pipeline' || !isFaultActive(fault, dayIndex)) continue;
      pending.push([
        fault,
        fault.kind === 'stale-feature' ? snapshotFor(fault, world, dayIndex) : undefined,
      ]);
    }
    const features = world.features;
    for (const [fault, snapshot] of pending) {
      applyPipelineFault(
        fault,
        { day: dayIndex, features, rows, cols, firstRequestId, amountsUsd: world.amountsUsd },
        snapshot,
      );
    }
    let frauds = 0;
    for (let r = 0; r < rows; r++) frauds += world.labels[r]!;
    return {
      day: dayIndex,
      firstRequestId,
      rows,
      cols,
      features,
      labels: world.labels,
      amountsUsd: world.amountsUsd,
      targetFraudRate: world.targetFraudRate,
      realisedFraudRate: frauds / rows,
      activeFaultIds: faults.filter((f) => isFaultActive(f, dayIndex)).map((f) => f.id),
    };
  };

  const windowOf = (fromDay: number, toDay: number): LabelledWindow => {
    if (!(
      Number.isInteger(fromDay) &&
      Number.isInteger(toDay) &&
      fromDay >= 0 &&
      toDay >= fromDay
    )) {
      throw new RangeError(`A window needs whole days 0 ≤ from ≤ to; got ${fromDay}–${toDay}.`);
    }
    const days = toDay - fromDay + 1;
    const features = new Float32Array(days * rows * cols);
    const labels = new Float32Array(days * rows);
    const amountsUsd = new Float32Array(days * rows);
    for (let k = 0; k < days; k++) {
      const batch = day(fromDay + k);
      features.set(batch.features, k * rows * cols);
      labels.set(batch.labels, k * rows);
      amountsUsd.set(batch.amountsUsd, k * rows);
    }
    return { fromDay, toDay, rows: days * rows, cols, features, labels, amountsUsd };
  };

  return { config: resolved, faults, day, labelledDays: windowOf };
}

/**
 * Splits a row-major `rows × cols` matrix into one column per name (column c = values
 * features[r·cols + c] for r = 0…rows − 1), the shape drift monitors read
 * (`Record<name, column>`). Default names: {@link FRAUD_FEATURE_NAMES}.
 *
 * @throws RangeError when the matrix is not `rows × cols` or there are not `cols` names.
 */
export function featureColumns(
  features: Float32Array,
  rows: number,
  cols: number,
  names: readonly string[] = FRAUD_FEATURE_NAMES,
): Record<string, Float32Array> {
  if (features.length !== rows * cols || names.length !== cols) {
    throw new RangeError(
      `Expected ${rows} × ${cols} values and ${cols} names; got ${features.length} values and ${names.length} names.`,
    );
  }
  const out: Record<string, Float32Array> = {};
  names.forEach((name, c) => {
    const column = new Float32Array(rows);
    for (let r = 0; r < rows; r++) column[r] = features[r * cols + c]!;
    out[name] = column;
  });
  return out;
}

// ---- Scoring and money ----

/**
 * A model as the stream sees it: maps a row-major `rows × cols` matrix of encoded,
 * unstandardised features to one fraud probability per row. Whatever standardisation the model
 * needs happens inside (see {@link withStandardizer}).
 */
export type Scorer = (features: Float32Array, rows: number, cols: number) => Float32Array;

/** A model that can answer requests: its scorer, its threshold and what it was trained on. */
export interface DeployedModel {
  /** Unique name, e.g. `m0`. */
  id: string;
  /** The scoring function. */
  scorer: Scorer;
  /** A request is flagged when its score ≥ this threshold. */
  thresholdScore: number;
  /** First day of its training data, or null for a model trained before the stream. */
  trainedFromDay: number | null;
  /** Last day of its training data, or null for a model trained before the stream. */
  trainedToDay: number | null;
}

/**
 * Wraps a scorer that expects standardised features: x′ = (x − mean[c]) / sd[c] for each
 * column c, then the scorer. The copy is made once per call into a reused buffer.
 */
export function withStandardizer(
  scorer: Scorer,
  standardizer: { means: ArrayLike<number>; stdDevs: ArrayLike<number> },
): Scorer {
  let buffer = new Float32Array(0);
  return (features, rows, cols) => {
    if (buffer.length !== features.length) buffer = new Float32Array(features.length);
    for (let i = 0; i < features.length; i++) {
      const c = i % cols;
      buffer[i] = (features[i]! - (standardizer.means[c] ?? 0)) / (standardizer.stdDevs[c] ?? 1);
    }
    return scorer(buffer, rows, cols);
  };
}

/** Outcomes and money of a set of decisions. All amounts in USD. */
export interface DecisionTally {
  /** Requests decided. */
  requests: number;
  /** Frauds flagged. */
  truePositives: number;
  /** Legitimate payments flagged. */
  falsePositives: number;
  /** Legitimate payments let through. */
  trueNegatives: number;
  /** Frauds let through. */
  falseNegatives: number;
  /** Σ amount over true positives. */
  caughtFraudUsd: number;
  /** Σ amount over false negatives. */
  missedFraudUsd: number;
  /** share · caughtFraudUsd − review · (TP + FP) − decline · FP. */
  netSavingsUsd: number;
}

/** A tally of no requests. */
export function emptyTally(): DecisionTally {
  return {
    requests: 0,
    truePositives: 0,
    falsePositives: 0,
    trueNegatives: 0,
    falseNegatives: 0,
    caughtFraudUsd: 0,
    missedFraudUsd: 0,
    netSavingsUsd: 0,
  };
}

/** The sum of two tallies, field by field. */
export function addTallies(a: DecisionTally, b: DecisionTally): DecisionTally {
  return {
    requests: a.requests + b.requests,
    truePositives: a.truePositives + b.truePositives,
    falsePositives: a.falsePositives + b.falsePositives,
    trueNegatives: a.trueNegatives + b.trueNegatives,
    falseNegatives: a.falseNegatives + b.falseNegatives,
    caughtFraudUsd: a.caughtFraudUsd + b.caughtFraudUsd,
    missedFraudUsd: a.missedFraudUsd + b.missedFraudUsd,
    netSavingsUsd: a.netSavingsUsd + b.netSavingsUsd,
  };
}

/**
 * Tallies decisions row by row: row r is flagged iff flagged[r] ≠ 0, and only rows with
 * include(r) (default all) count. Net savings as in `fraud-money.ts`:
 * share · Σ_TP amount − review · (TP + FP) − decline · FP.
 */
export function tallyFlags(
  labels: ArrayLike<number>,
  flagged: ArrayLike<number>,
  amountsUsd: ArrayLike<number>,
  costs: FraudCostModel,
  include?: (row: number) => boolean,
): DecisionTally {
  const t = emptyTally();
  for (let r = 0; r < labels.length; r++) {
    if (include && !include(r)) continue;
    t.requests++;
    const fraud = labels[r]! >= 0.5;
    if (flagged[r]) {
      if (fraud) {
        t.truePositives++;
        t.caughtFraudUsd += amountsUsd[r]!;
      } else t.falsePositives++;
    } else if (fraud) {
      t.falseNegatives++;
      t.missedFraudUsd += amountsUsd[r]!;
    } else t.trueNegatives++;
  }
  t.netSavingsUsd =
    costs.recoveredShareOfCaughtFraud * t.caughtFraudUsd -
    costs.reviewCostPerAlertUsd * (t.truePositives + t.falsePositives) -
    costs.declineCostPerFalsePositiveUsd * t.falsePositives;
  return t;
}

/** Flags of a scorer's output at a threshold: 1 where score ≥ threshold (never for NaN). */
export function flagsAt(scores: ArrayLike<number>, thresholdScore: number): Uint8Array {
  const flags = new Uint8Array(scores.length);
  for (let r = 0; r < scores.length; r++) flags[r] = scores[r]! >= thresholdScore ? 1 : 0;
  return flags;
}

/**
 * The oracle's net savings: Σ over frauds of max(0, share · amount − review). It flags a fraud
 * exactly when catching it is worth the review, and never a legitimate payment.
 */
export function oracleNetSavingsUsd(
  labels: ArrayLike<number>,
  amountsUsd: ArrayLike<number>,
  costs: FraudCostModel,
): number {
  let net = 0;
  for (let r = 0; r < labels.length; r++) {
    if (labels[r]! < 0.5) continue;
    net += Math.max(
      0,
      costs.recoveredShareOfCaughtFraud * amountsUsd[r]! - costs.reviewCostPerAlertUsd,
    );
  }
  return net;
}

/** Net savings per request, in USD: netSavingsUsd / requests (0 with no requests). */
export function netSavingsPerRequestUsd(tally: DecisionTally): number {
  return tally.requests === 0 ? 0 : tally.netSavingsUsd / tally.requests;
}

/** False-positive rate FP / (FP + TN) (0 with no legitimate requests). */
export function tallyFalsePositiveRate(tally: DecisionTally): number {
  const negatives = tally.falsePositives + tally.trueNegatives;
  return negatives === 0 ? 0 : tally.falsePositives / negatives;
}

/** Recall TP / (TP + FN) (0 with no fraud). */
export function tallyRecall(tally: DecisionTally): number {
  const positives = tally.truePositives + tally.falseNegatives;
  return positives === 0 ? 0 : tally.truePositives / positives;
}

// ---- A fixed model over the stream, as a step function ----

/** A scored day waiting for its labels, or released with them. */
export interface ScoredDay {
  /** The day the requests were served. */
  day: number;
  /** The truth, 1 for fraud. */
  labels: Uint8Array;
  /** The scores that were served. */
  scores: Float32Array;
  /** 1 where the request was flagged. */
  flagged: Uint8Array;
  /** True amounts, in USD. */
  amountsUsd: Float32Array;
  /** The served decisions' outcomes and money. */
  tally: DecisionTally;
}

/** State of {@link stepStream}: the next day to serve and the days whose labels are out. */
export interface StreamState {
  /** The next day to serve. */
  nextDay: number;
  /** Served days whose labels have not arrived yet, oldest first. */
  awaitingLabels: readonly ScoredDay[];
}

/** What one {@link stepStream} step produced. */
export interface StreamDayOutput {
  /** The day's traffic (features for the monitors, labels kept hidden until released). */
  batch: ProductionDay;
  /** The model's scores, one per request. */
  scores: Float32Array;
  /** Outcomes and money of the served decisions (known to the simulation, not yet to the bank). */
  tally: DecisionTally;
  /** The oracle's net savings that day, in USD. */
  oracleNetSavingsUsd: number;
  /** oracleNetSavingsUsd − tally.netSavingsUsd, ≥ 0. */
  lostVsOracleUsd: number;
  /** Days whose labels arrived at the end of this day (day = this day − labelDelayDays). */
  released: readonly ScoredDay[];
}

/** The state of a stream before day 0. */
export function createStreamState(): StreamState {
  return { nextDay: 0, awaitingLabels: [] };
}

/**
 * Serves one day with a fixed model: draws day `state.nextDay`, scores it, flags at the model's
 * threshold, tallies the money and the oracle's, queues the day for its labels and releases
 * every queued day d with d + labelDelayDays ≤ this day. Returns the next state (the input is
 * not modified) and the day's output.
 */
export function stepStream(
  stream: ProductionStream,
  state: StreamState,
  model: DeployedModel,
): { state: StreamState; output: StreamDayOutput } {
  const batch = stream.day(state.nextDay);
  const scores = model.scorer(batch.features, batch.rows, batch.cols);
  if (scores.length !== batch.rows) {
    throw new RangeError(`The scorer returned ${scores.length} scores for ${batch.rows} rows.`);
  }
  const flagged = flagsAt(scores, model.thresholdScore);
  const costs = stream.config.costs;
  const tally = tallyFlags(batch.labels, flagged, batch.amountsUsd, costs);
  const oracle = oracleNetSavingsUsd(batch.labels, batch.amountsUsd, costs);
  const scored: ScoredDay = {
    day: batch.day,
    labels: batch.labels,
    scores,
    flagged,
    amountsUsd: batch.amountsUsd,
    tally,
  };
  const queue = [...state.awaitingLabels, scored];
  const releaseThrough = batch.day - stream.config.labelDelayDays;
  const released = queue.filter((d) => d.day <= releaseThrough);
  const awaitingLabels = queue.filter((d) => d.day > releaseThrough);
  return {
    state: { nextDay: state.nextDay + 1, awaitingLabels },
    output: {
      batch,
      scores,
      tally,
      oracleNetSavingsUsd: oracle,
      lostVsOracleUsd: oracle - tally.netSavingsUsd,
      released,
    },
  };
}
