/**
 * Rolling out a retrained fraud model without interrupting service, as a pure state machine,
 * and a driver that runs it over the production stream of `stream.ts`.
 *
 * Phases of a candidate model (the one being rolled out) next to the current one:
 *
 *   none ──delivered──▶ shadow ──shadowDays──▶ canary ──evidence ok──▶ full ──fullDays──▶ none
 *                          │                      │                                 (promoted)
 *                          └──────── worse ───────┴──▶ none (rollback)
 *
 * - none: the current model answers every request.
 * - shadow: the candidate scores every request but answers none; the current model answers all.
 * - canary: request id i is answered by the candidate iff requestHashUnit(i, salt) < canaryShare
 *   (a seeded hash, so the split is sticky and independent of the order of computation), by the
 *   current model otherwise.
 * - full: the candidate answers every request; the old model stays loaded for `fullDays` days,
 *   then the candidate becomes the current model ("promoted").
 * In every phase each request is answered by exactly one model:
 * answeredByCurrent + answeredByCandidate = requests ({@link routeDay}).
 *
 * Evidence and rollback. Once a served day's labels arrive (labelDelayDays later) its evidence is
 * released to the state machine: in shadow, both models' decisions on all requests (paired); in
 * canary, each model's decisions on the requests it answered. Over the last
 * `evaluationWindowDays` released days of the candidate ({@link compareArms}) the candidate is
 * worse when
 *   netSavingsPerRequest(candidate) < netSavingsPerRequest(current) − netSavingsMarginUsdPerRequest
 * or
 *   FPR(candidate) > FPR(current) + falsePositiveRateMargin,
 * with net savings per request = Σ net savings / Σ requests and FPR = Σ FP / Σ (FP + TN). A worse
 * candidate is rolled back at once (shadow or canary). A canary is promoted to full once it has
 * run `canaryMinDays` days and `evaluationWindowDays` of its canary days have labels, and it is
 * not worse.
 *
 * Retraining. Policy `none`, `schedule` (at the end of days N−1, 2N−1, … when idle) or `alert`
 * (at the end of a day whose monitor verdict is an alert, when idle), at least
 * `minDaysBetweenRetrains` apart. Idle means: no candidate in rollout, no retraining pending,
 * and no promotion at the end of that same day (the new model has not served yet, and an alert
 * raised against the old model's reference says nothing about it).
 * The step emits a `retrain` action for the window of the last `retrainWindowDays` labelled days
 * [max(0, L − W + 1), L], L = the latest day with labels; the training itself happens outside (in
 * a worker), and a later step's input delivers the model, which enters the first phase the next
 * day. Actions carry the day whose end decided them; phase changes take effect the next day.
 */
import {
  addTallies,
  emptyTally,
  flagsAt,
  netSavingsPerRequestUsd,
  oracleNetSavingsUsd,
  tallyFalsePositiveRate,
  tallyFlags,
  createProductionStream,
  type DecisionTally,
  type DeployedModel,
  type LabelledWindow,
  type ProductionStream,
  type ScoredDay,
  type StreamConfig,
} from '@lib/drift/stream';
import { requestHashUnit } from '@lib/drift/faults';

/** Where the candidate model stands. */
export type RolloutPhase = 'none' | 'shadow' | 'canary' | 'full';

/** When to retrain. */
export type RetrainTrigger = 'none' | 'schedule' | 'alert';

/** The rules of retraining and rollout. */
export interface RolloutPolicy {
  /** When to retrain. */
  retrainTrigger: RetrainTrigger;
  /** `schedule`: retrain at the end of every N-th day (N − 1, 2N − 1, …), an integer ≥ 1. */
  retrainEveryDays: number;
  /** Days of labelled data to train on, an integer ≥ 1. */
  retrainWindowDays: number;
  /** Fewest days between two retraining requests, an integer ≥ 1. */
  minDaysBetweenRetrains: number;
  /** Days in shadow, an integer ≥ 0 (0 skips shadow). */
  shadowDays: number;
  /** Share of requests the candidate answers in canary, in [0, 1) (0 skips canary). */
  canaryShare: number;
  /** Fewest days in canary, an integer ≥ 1. */
  canaryMinDays: number;
  /** Labelled days compared before a decision, an integer ≥ 1. */
  evaluationWindowDays: number;
  /** Roll back when the candidate's net savings per request trail by more than this, USD ≥ 0. */
  netSavingsMarginUsdPerRequest: number;
  /** Roll back when the candidate's false-positive rate exceeds the current one's by more, ≥ 0. */
  falsePositiveRateMargin: number;
  /** Days in full before the old model is retired, an integer ≥ 1. */
  fullDays: number;
  /** Salt of the canary's hash of request ids, an unsigned 32-bit integer. */
  routingSalt: number;
}

/**
 * Defaults: retrain on an alert, on the last 14 labelled days; 2 days of shadow; a 20% canary
 * for at least 3 days, decided on 3 labelled days; roll back when the candidate loses more than
 * $0.10 of net savings per request or raises the false-positive rate by more than 2 points.
 */
export const DEFAULT_ROLLOUT_POLICY: Readonly<RolloutPolicy> = {
  retrainTrigger: 'alert',
  retrainEveryDays: 14,
  retrainWindowDays: 14,
  minDaysBetweenRetrains: 3,
  shadowDays: 2,
  canaryShare: 0.2,
  canaryMinDays: 3,
  evaluationWindowDays: 3,
  netSavingsMarginUsdPerRequest: 0.1,
  falsePositiveRateMargin: 0.02,
  fullDays: 1,
  routingSalt: 0x2545f491,
};

function assertWhole(value: number, min: number, what: string): void {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new RangeError(`${what} must be a whole number ≥ ${min}; got ${value}.`);
  }
}

/**
 * Fills a partial policy with {@link DEFAULT_ROLLOUT_POLICY} and validates it.
 *
 * @throws RangeError for an unknown trigger, a count that is not a whole number in range, a
 *   canary share outside [0, 1) or a negative margin.
 */
export function resolveRolloutPolicy(policy: Partial<RolloutPolicy> = {}): RolloutPolicy {
  const p: RolloutPolicy = { ...DEFAULT_ROLLOUT_POLICY, ...policy };
  if (!['none', 'schedule', 'alert'].includes(p.retrainTrigger)) {
    throw new RangeError(`Unknown retraining trigger "${String(p.retrainTrigger)}".`);
  }
  assertWhole(p.retrainEveryDays, 1, 'The retraining period');
  assertWhole(p.retrainWindowDays, 1, 'The retraining window');
  assertWhole(p.minDaysBetweenRetrains, 1, 'The gap between retrainings');
  assertWhole(p.shadowDays, 0, 'The shadow phase');
  assertWhole(p.canaryMinDays, 1, 'The canary phase');
  assertWhole(p.evaluationWindowDays, 1, 'The evaluation window');
  assertWhole(p.fullDays, 1, 'The full phase');
  if (!(p.canaryShare >= 0 && p.canaryShare < 1)) {
    throw new RangeError(`The canary share must be in [0, 1); got ${p.canaryShare}.`);
  }
  if (!(p.netSavingsMarginUsdPerRequest >= 0 && p.falsePositiveRateMargin >= 0)) {
    throw new RangeError('Rollback margins must be ≥ 0.');
  }
  if (!(Number.isInteger(p.routingSalt) && p.routingSalt >= 0 && p.routingSalt < 2 ** 32)) {
    throw new RangeError(
      `The routing salt must be an unsigned 32-bit integer; got ${p.routingSalt}.`,
    );
  }
  return p;
}

// ---- Routing ----

/**
 * Whether request `requestId` is answered by the candidate: never in none and shadow, always in
 * full, and in canary iff requestHashUnit(requestId, salt) < share.
 */
export function candidateAnswers(
  phase: RolloutPhase,
  share: number,
  requestId: number,
  salt: number,
): boolean {
  if (phase === 'full') return true;
  if (phase !== 'canary') return false;
  return requestHashUnit(requestId, salt) < share;
}

/** Who answers each request of a day. */
export interface DayRouting {
  /** 1 where the candidate answers request firstRequestId + r, 0 where the current model does. */
  answeredBy: Uint8Array;
  /** Requests answered by the current model. */
  answeredByCurrent: number;
  /** Requests answered by the candidate. */
  answeredByCandidate: number;
}

/**
 * Routes `rows` consecutive requests ({@link candidateAnswers}). Every request gets exactly one
 * answering model, so answeredByCurrent + answeredByCandidate = rows.
 */
export function routeDay(
  phase: RolloutPhase,
  share: number,
  firstRequestId: number,
  rows: number,
  salt: number,
): DayRouting {
  const answeredBy = new Uint8Array(rows);
  let answeredByCandidate = 0;
  for (let r = 0; r < rows; r++) {
    if (candidateAnswers(phase, share, firstRequestId + r, salt)) {
      answeredBy[r] = 1;
      answeredByCandidate++;
    }
  }
  return { answeredBy, answeredByCurrent: rows - answeredByCandidate, answeredByCandidate };
}

// ---- Evidence and comparison ----

/** One served day's labelled comparison of the current model and the candidate. */
export interface DayEvidence {
  /** The day served. */
  day: number;
  /** The phase it was served in (shadow: paired on all requests; canary: each on its own). */
  phase: RolloutPhase;
  /** The candidate it is evidence about. */
  candidateModelId: string;
  /** The current model's decisions. */
  current: DecisionTally;
  /** The candidate's decisions. */
  candidate: DecisionTally;
}

/** The comparison that decides a rollback or a promotion. */
export interface ArmComparison {
  /** Days pooled. */
  days: number;
  /** Requests decided by the current model over those days. */
  currentRequests: number;
  /** Requests decided by the candidate over those days. */
  candidateRequests: number;
  /** Σ net savings / Σ requests of the current model, USD. */
  currentNetSavingsPerRequestUsd: number;
  /** Σ net savings / Σ requests of the candidate, USD. */
  candidateNetSavingsPerRequestUsd: number;
  /** Σ FP / Σ (FP + TN) of the current model. */
  currentFalsePositiveRate: number;
  /** Σ FP / Σ (FP + TN) of the candidate. */
  candidateFalsePositiveRate: number;
  /** candidate < current − margin on net savings per request. */
  netSavingsWorse: boolean;
  /** candidate > current + margin on the false-positive rate. */
  falsePositiveRateWorse: boolean;
  /** Either of the two. */
  worse: boolean;
}

/** Pools evidence days and compares the candidate with the current model (module header). */
export function compareArms(
  evidence: readonly DayEvidence[],
  policy: Pick<RolloutPolicy, 'netSavingsMarginUsdPerRequest' | 'falsePositiveRateMargin'>,
): ArmComparison {
  let current = emptyTally();
  let candidate = emptyTally();
  for (const day of evidence) {
    current = addTallies(current, day.current);
    candidate = addTallies(candidate, day.candidate);
  }
  const currentNet = netSavingsPerRequestUsd(current);
  const candidateNet = netSavingsPerRequestUsd(candidate);
  const currentFpr = tallyFalsePositiveRate(current);
  const candidateFpr = tallyFalsePositiveRate(candidate);
  const netSavingsWorse = candidateNet < currentNet - policy.netSavingsMarginUsdPerRequest;
  const falsePositiveRateWorse = candidateFpr > currentFpr + policy.falsePositiveRateMargin;
  return {
    days: evidence.length,
    currentRequests: current.requests,
    candidateRequests: candidate.requests,
    currentNetSavingsPerRequestUsd: currentNet,
    candidateNetSavingsPerRequestUsd: candidateNet,
    currentFalsePositiveRate: currentFpr,
    candidateFalsePositiveRate: candidateFpr,
    netSavingsWorse,
    falsePositiveRateWorse,
    worse: netSavingsWorse || falsePositiveRateWorse,
  };
}

// ---- The state machine ----

/** A request to train a new model on the labelled days fromDay..toDay. */
export interface RetrainRequest {
  /** Id the new model will carry. */
  modelId: string;
  /** The day whose end triggered it. */
  requestedDay: number;
  /** First day of training data. */
  fromDay: number;
  /** Last day of training data (the latest labelled day). */
  toDay: number;
  /** What triggered it. */
  reason: 'schedule' | 'alert';
}

/** The rollout's state between days. */
export interface RolloutState {
  /** The candidate's phase on the next day served. */
  phase: RolloutPhase;
  /** First day served in the current phase. */
  phaseStartDay: number;
  /** The model answering outside the candidate's share. */
  currentModelId: string;
  /** The candidate being rolled out, or null in phase none. */
  candidateModelId: string | null;
  /** The retraining asked for and not delivered yet. */
  pendingRetrain: RetrainRequest | null;
  /** Day of the last retraining request, or null. */
  lastRetrainRequestDay: number | null;
  /** Released evidence about the candidate, oldest first. */
  evidence: readonly DayEvidence[];
  /** Retraining requests so far (names models m1, m2, …). */
  retrainCount: number;
}

/** What happened at the end of a day. */
export type RolloutAction =
  | { type: 'retrain'; day: number; request: RetrainRequest }
  | {
      type: 'shadow' | 'canary' | 'full';
      day: number;
      modelId: string;
      comparison: ArmComparison | null;
    }
  | { type: 'promoted'; day: number; modelId: string; retiredModelId: string }
  | {
      type: 'rollback';
      day: number;
      modelId: string;
      phase: RolloutPhase;
      comparison: ArmComparison;
    }
  | { type: 'ignored-delivery'; day: number; modelId: string };

/** What the state machine learns at the end of a day. */
export interface RolloutInput {
  /** The day that just ended. */
  day: number;
  /** The latest day whose labels are in (day − labelDelayDays), or null before any. */
  latestLabelledDay: number | null;
  /** Evidence of the days whose labels arrived today. */
  released: readonly DayEvidence[];
  /** Whether today's monitor verdict is an alert. */
  alert: boolean;
  /** Id of a model whose training finished today, or null. */
  delivered: string | null;
}

/** The state before day 0, with `currentModelId` answering everything. */
export function initialRolloutState(currentModelId: string): RolloutState {
  return {
    phase: 'none',
    phaseStartDay: 0,
    currentModelId,
    candidateModelId: null,
    pendingRetrain: null,
    lastRetrainRequestDay: null,
    evidence: [],
    retrainCount: 0,
  };
}

/** The phase a delivered candidate enters: shadow, else canary, else full. */
function firstPhase(policy: RolloutPolicy): 'shadow' | 'canary' | 'full' {
  if (policy.shadowDays > 0) return 'shadow';
  return policy.canaryShare > 0 ? 'canary' : 'full';
}

/**
 * One end-of-day step of the rollout (see the module header): takes in released evidence,
 * rolls back or advances the candidate's phase, accepts a delivered model, and asks for
 * retraining. Pure: returns a new state and the actions taken, in order.
 */
export function rolloutStep(
  state: RolloutState,
  input: RolloutInput,
  policy: RolloutPolicy,
): { state: RolloutState; actions: RolloutAction[] } {
  const t = input.day;
  const actions: RolloutAction[] = [];
  let s: RolloutState = { ...state };

  // 1. Evidence about the candidate in rollout.
  if (s.candidateModelId !== null && (s.phase === 'shadow' || s.phase === 'canary')) {
    const fresh = input.released.filter(
      (e) =>
        e.candidateModelId === s.candidateModelId && (e.phase === 'shadow' || e.phase === 'canary'),
    );
    if (fresh.length > 0) s.evidence = [...s.evidence, ...fresh];
  }

  // 2. Rollback or advance.
  const daysInPhase = t - s.phaseStartDay + 1;
  if (s.candidateModelId !== null && (s.phase === 'shadow' || s.phase === 'canary')) {
    const evidence = s.evidence.slice(-policy.evaluationWindowDays);
    const comparison = evidence.length > 0 ? compareArms(evidence, policy) : null;
    const candidateId = s.candidateModelId;
    if (comparison && evidence.length >= policy.evaluationWindowDays && comparison.worse) {
      actions.push({ type: 'rollback', day: t, modelId: candidateId, phase: s.phase, comparison });
      s = { ...s, phase: 'none', phaseStartDay: t + 1, candidateModelId: null, evidence: [] };
    } else if (s.phase === 'shadow' && daysInPhase >= policy.shadowDays) {
      const next = policy.canaryShare > 0 ? ('canary' as const) : ('full' as const);
      actions.push({ type: next, day: t, modelId: candidateId, comparison });
      s = { ...s, phase: next, phaseStartDay: t + 1 };
    } else if (s.phase === 'canary' && daysInPhase >= policy.canaryMinDays) {
      const canaryDays = s.evidence.filter((e) => e.phase === 'canary');
      if (canaryDays.length >= policy.evaluationWindowDays) {
        const canaryComparison = compareArms(
          canaryDays.slice(-policy.evaluationWindowDays),
          policy,
        );
        if (canaryComparison.worse) {
          actions.push({
            type: 'rollback',
            day: t,
            modelId: candidateId,
            phase: 'canary',
            comparison: canaryComparison,
          });
          s = { ...s, phase: 'none', phaseStartDay: t + 1, candidateModelId: null, evidence: [] };
        } else {
          actions.push({
            type: 'full',
            day: t,
            modelId: candidateId,
            comparison: canaryComparison,
          });
          s = { ...s, phase: 'full', phaseStartDay: t + 1 };
        }
      }
    }
  } else if (s.phase === 'full' && s.candidateModelId !== null && daysInPhase >= policy.fullDays) {
    actions.push({
      type: 'promoted',
      day: t,
      modelId: s.candidateModelId,
      retiredModelId: s.currentModelId,
    });
    s = {
      ...s,
      phase: 'none',
      phaseStartDay: t + 1,
      currentModelId: s.candidateModelId,
      candidateModelId: null,
      evidence: [],
    };
  }

  // 3. A delivered model enters the rollout if it is the one asked for and nothing else runs.
  if (input.delivered !== null) {
    if (
      s.pendingRetrain?.modelId === input.delivered &&
      s.phase === 'none' &&
      s.candidateModelId === null
    ) {
      const phase = firstPhase(policy);
      actions.push({ type: phase, day: t, modelId: input.delivered, comparison: null });
      s = {
        ...s,
        phase,
        phaseStartDay: t + 1,
        candidateModelId: input.delivered,
        pendingRetrain: null,
        evidence: [],
      };
    } else {
      actions.push({ type: 'ignored-delivery', day: t, modelId: input.delivered });
      if (s.pendingRetrain?.modelId === input.delivered) s = { ...s, pendingRetrain: null };
    }
  }

  // 4. Retraining, unless a model was promoted tonight (it has not served a day yet).
  const promotedTonight = actions.some((action) => action.type === 'promoted');
  const idle =
    s.phase === 'none' &&
    s.candidateModelId === null &&
    s.pendingRetrain === null &&
    !promotedTonight;
  const gapOk =
    s.lastRetrainRequestDay === null ||
    t - s.lastRetrainRequestDay >= policy.minDaysBetweenRetrains;
  if (idle && gapOk && input.latestLabelledDay !== null && input.latestLabelledDay >= 0) {
    let reason: RetrainRequest['reason'] | null = null;
    if (policy.retrainTrigger === 'schedule' && (t + 1) % policy.retrainEveryDays === 0) {
      reason = 'schedule';
    } else if (policy.retrainTrigger === 'alert' && input.alert) reason = 'alert';
    if (reason !== null) {
      const toDay = input.latestLabelledDay;
      const request: RetrainRequest = {
        modelId: `m${s.retrainCount + 1}`,
        requestedDay: t,
        fromDay: Math.max(0, toDay - policy.retrainWindowDays + 1),
        toDay,
        reason,
      };
      actions.push({ type: 'retrain', day: t, request });
      s = {
        ...s,
        pendingRetrain: request,
        lastRetrainRequestDay: t,
        retrainCount: s.retrainCount + 1,
      };
    }
  }
  return { state: s, actions };
}

// ---- Monitors, as the driver sees them ----

/** What a monitor sees at the end of a day. */
export interface DayObservation {
  /** The day that just ended. */
  day: number;
  /** Row-major `rows × cols` features as the model saw them today. */
  features: Float32Array;
  /** Requests today. */
  rows: number;
  /** Columns per request. */
  cols: number;
  /** The scores that answered today's requests. */
  scores: Float32Array;
  /** 1 where today's request was flagged. */
  flagged: Uint8Array;
  /** The day whose labels arrived today (day − labelDelayDays), with its served scores. */
  labelled: ScoredDay | null;
}

/** A monitor's verdict on a day. */
export interface MonitorVerdict {
  /** Whether to raise an alert. */
  alert: boolean;
  /** Names of the detectors that fired (for the score card), if any. */
  detectors?: readonly string[];
}

/**
 * The smallest interface a drift monitor needs for the driver: `observe` once per day, in
 * order; `rebase` (optional) when a model trained on the given labelled window is promoted, so
 * the monitor can take that window as its new reference.
 */
export interface ProductionMonitor {
  /** Reads one day and says whether to alert. */
  observe(observation: DayObservation): MonitorVerdict;
  /** Called when a retrained model is promoted. */
  rebase?(model: { modelId: string; fromDay: number; toDay: number }): void;
}

// ---- The driver ----

/** A trained model as the retraining function returns it; the driver names it. */
export type TrainedModel = Pick<DeployedModel, 'scorer' | 'thresholdScore'>;

/** One model's share of a day's answers. */
export interface ServingModel {
  /** Model id. */
  modelId: string;
  /** Last day of its training data (null for the initial model). */
  trainedToDay: number | null;
  /** Requests it answered. */
  requests: number;
}

/** Everything that happened on one production day. */
export interface DayRecord {
  /** Day index. */
  day: number;
  /** The candidate's phase while the day was served. */
  phase: RolloutPhase;
  /** The current model. */
  currentModelId: string;
  /** The candidate, or null. */
  candidateModelId: string | null;
  /** Requests. */
  requests: number;
  /** Requests answered by the current model. */
  answeredByCurrent: number;
  /** Requests answered by the candidate. */
  answeredByCandidate: number;
  /** requests − answeredByCurrent − answeredByCandidate: always 0. */
  unanswered: number;
  /** Who answered how many. */
  servingModels: readonly ServingModel[];
  /** Faults active. */
  activeFaultIds: readonly string[];
  /** Fraud rate the generator used. */
  targetFraudRate: number;
  /** Realised fraud share. */
  realisedFraudRate: number;
  /** The answered decisions' outcomes and money. */
  served: DecisionTally;
  /** The current model's decisions had it answered everything (counterfactual). */
  currentAll: DecisionTally;
  /** The candidate's decisions had it answered everything, or null without a candidate. */
  candidateAll: DecisionTally | null;
  /** The oracle's net savings, USD. */
  oracleNetSavingsUsd: number;
  /** oracleNetSavingsUsd − served.netSavingsUsd, USD, ≥ 0. */
  lostVsOracleUsd: number;
  /** Share of requests flagged. */
  flagRate: number;
  /** The day whose labels arrived today, or null. */
  labelsReleasedForDay: number | null;
  /** The monitor's verdict (no alert without a monitor). */
  alert: boolean;
  /** Detectors that fired. */
  detectors: readonly string[];
  /** What the rollout did at the end of the day. */
  actions: readonly RolloutAction[];
}

/** Options of {@link simulateProduction}. */
export interface ProductionRunOptions {
  /** The stream, or its configuration. */
  stream: StreamConfig | ProductionStream;
  /** Days to run, an integer ≥ 1. */
  days: number;
  /** Rollout rules (defaults: {@link DEFAULT_ROLLOUT_POLICY}). */
  policy?: Partial<RolloutPolicy>;
  /** Days from a retraining request to its delivery, an integer ≥ 1 (default 1). */
  trainingDays?: number;
  /** The model deployed on day 0 (its id must not look like m1, m2, …). */
  initialModel: DeployedModel;
  /** A monitor to raise alerts (default none). */
  monitor?: ProductionMonitor;
  /** Called after each day, e.g. for a progress bar. */
  onDay?: (record: DayRecord) => void;
}

/** What is known about a deployed or delivered model, without its scorer. */
export type ModelInfo = Omit<DeployedModel, 'scorer'>;

/** The outcome of a run. */
export interface ProductionRunResult {
  /** One record per day. */
  records: DayRecord[];
  /** Every model that was deployed or delivered, by id. */
  models: ReadonlyMap<string, ModelInfo>;
  /** The rollout state after the last day. */
  finalState: RolloutState;
  /** The stream that was run. */
  stream: ProductionStream;
}

/** The driver's mutable state (scorers are functions, so it is kept out of RolloutState). */
interface Engine {
  stream: ProductionStream;
  policy: RolloutPolicy;
  trainingDays: number;
  rollout: RolloutState;
  models: Map<string, DeployedModel>;
  awaitingEvidence: DayEvidence[];
  awaitingLabels: ScoredDay[];
  deliveries: { day: number; modelId: string }[];
  monitor: ProductionMonitor | undefined;
}

function createEngine(options: ProductionRunOptions): Engine {
  assertWhole(options.days, 1, 'The number of days');
  if (/^m[1-9]\d*$/.test(options.initialModel.id)) {
    throw new RangeError(
      `The initial model cannot be named ${options.initialModel.id}: m1, m2, … name retrained models.`,
    );
  }
  const trainingDays = options.trainingDays ?? 1;
  assertWhole(trainingDays, 1, 'The training time');
  const stream =
    'day' in options.stream && typeof options.stream.day === 'function'
      ? options.stream
      : createProductionStream(options.stream as StreamConfig);
  const models = new Map<string, DeployedModel>([[options.initialModel.id, options.initialModel]]);
  return {
    stream,
    policy: resolveRolloutPolicy(options.policy),
    trainingDays,
    rollout: initialRolloutState(options.initialModel.id),
    models,
    awaitingEvidence: [],
    awaitingLabels: [],
    deliveries: [],
    monitor: options.monitor,
  };
}

/** The models to score today: the current one, and the candidate when one is in rollout. */
function modelsToScore(engine: Engine): {
  current: DeployedModel;
  candidate: DeployedModel | null;
} {
  const { rollout, models } = engine;
  const current = models.get(rollout.currentModelId);
  if (!current) throw new RangeError(`No model named ${rollout.currentModelId}.`);
  const candidate =
    rollout.candidateModelId === null ? null : (models.get(rollout.candidateModelId) ?? null);
  return { current, candidate };
}

function checkScores(scores: Float32Array, rows: number, modelId: string): Float32Array {
  if (scores.length !== rows) {
    throw new RangeError(`Model ${modelId} returned ${scores.length} scores for ${rows} requests.`);
  }
  return scores;
}

/**
 * Serves day `day` with the scores already computed, runs the monitor and the rollout step, and
 * returns the day's record and the retraining requests to fulfil.
 */
function finishDay(
  engine: Engine,
  day: number,
  batch: ReturnType<ProductionStream['day']>,
  currentScores: Float32Array,
  candidateScores: Float32Array | null,
): { record: DayRecord; retrains: RetrainRequest[] } {
  const { stream, policy, rollout } = engine;
  const costs = stream.config.costs;
  const { current, candidate } = modelsToScore(engine);
  const phase = rollout.phase;
  const routing = routeDay(
    candidate ? phase : 'none',
    policy.canaryShare,
    batch.firstRequestId,
    batch.rows,
    policy.routingSalt,
  );
  const currentFlags = flagsAt(currentScores, current.thresholdScore);
  const candidateFlags =
    candidate && candidateScores ? flagsAt(candidateScores, candidate.thresholdScore) : null;
  const servedScores = new Float32Array(batch.rows);
  const servedFlags = new Uint8Array(batch.rows);
  for (let r = 0; r < batch.rows; r++) {
    const byCandidate = routing.answeredBy[r] === 1 && candidateScores && candidateFlags;
    servedScores[r] = byCandidate ? candidateScores[r]! : currentScores[r]!;
    servedFlags[r] = byCandidate ? candidateFlags[r]! : currentFlags[r]!;
  }
  const { labels, amountsUsd } = batch;
  const served = tallyFlags(labels, servedFlags, amountsUsd, costs);
  const currentAll = tallyFlags(labels, currentFlags, amountsUsd, costs);
  const candidateAll = candidateFlags
    ? tallyFlags(labels, candidateFlags, amountsUsd, costs)
    : null;
  const oracle = oracleNetSavingsUsd(labels, amountsUsd, costs);

  // Evidence about the candidate, held back until the day's labels arrive.
  if (candidate && candidateFlags && (phase === 'shadow' || phase === 'canary')) {
    const evidence: DayEvidence =
      phase === 'shadow'
        ? {
            day,
            phase,
            candidateModelId: candidate.id,
            current: currentAll,
            candidate: candidateAll!,
          }
        : {
            day,
            phase,
            candidateModelId: candidate.id,
            current: tallyFlags(
              labels,
              currentFlags,
              amountsUsd,
              costs,
              (r) => routing.answeredBy[r] === 0,
            ),
            candidate: tallyFlags(
              labels,
              candidateFlags,
              amountsUsd,
              costs,
              (r) => routing.answeredBy[r] === 1,
            ),
          };
    engine.awaitingEvidence.push(evidence);
  }
  engine.awaitingLabels.push({
    day,
    labels,
    scores: servedScores,
    flagged: servedFlags,
    amountsUsd,
    tally: served,
  });

  // Labels of day − delay arrive tonight.
  const latestLabelledDay = day - stream.config.labelDelayDays;
  const released = engine.awaitingEvidence.filter((e) => e.day <= latestLabelledDay);
  engine.awaitingEvidence = engine.awaitingEvidence.filter((e) => e.day > latestLabelledDay);
  const labelled = engine.awaitingLabels.find((d) => d.day === latestLabelledDay) ?? null;
  engine.awaitingLabels = engine.awaitingLabels.filter((d) => d.day > latestLabelledDay);

  const verdict: MonitorVerdict = engine.monitor
    ? engine.monitor.observe({
        day,
        features: batch.features,
        rows: batch.rows,
        cols: batch.cols,
        scores: servedScores,
        flagged: servedFlags,
        labelled,
      })
    : { alert: false };

  const delivered = engine.deliveries.find((d) => d.day === day)?.modelId ?? null;
  engine.deliveries = engine.deliveries.filter((d) => d.day !== day);
  const step = rolloutStep(
    rollout,
    {
      day,
      latestLabelledDay: latestLabelledDay >= 0 ? latestLabelledDay : null,
      released,
      alert: verdict.alert,
      delivered,
    },
    policy,
  );
  engine.rollout = step.state;
  const retrains: RetrainRequest[] = [];
  for (const action of step.actions) {
    if (action.type === 'retrain') retrains.push(action.request);
    if (action.type === 'promoted' && engine.monitor?.rebase) {
      const model = engine.models.get(action.modelId);
      if (model && model.trainedFromDay !== null && model.trainedToDay !== null) {
        engine.monitor.rebase({
          modelId: model.id,
          fromDay: model.trainedFromDay,
          toDay: model.trainedToDay,
        });
      }
    }
  }

  const servingModels: ServingModel[] = [];
  if (routing.answeredByCurrent > 0) {
    servingModels.push({
      modelId: current.id,
      trainedToDay: current.trainedToDay,
      requests: routing.answeredByCurrent,
    });
  }
  if (candidate && routing.answeredByCandidate > 0) {
    servingModels.push({
      modelId: candidate.id,
      trainedToDay: candidate.trainedToDay,
      requests: routing.answeredByCandidate,
    });
  }
  let flaggedCount = 0;
  for (let r = 0; r < batch.rows; r++) flaggedCount += servedFlags[r]!;
  const record: DayRecord = {
    day,
    phase: candidate ? phase : 'none',
    currentModelId: current.id,
    candidateModelId: candidate?.id ?? null,
    requests: batch.rows,
    answeredByCurrent: routing.answeredByCurrent,
    answeredByCandidate: routing.answeredByCandidate,
    unanswered: batch.rows - routing.answeredByCurrent - routing.answeredByCandidate,
    servingModels,
    activeFaultIds: batch.activeFaultIds,
    targetFraudRate: batch.targetFraudRate,
    realisedFraudRate: batch.realisedFraudRate,
    served,
    currentAll,
    candidateAll,
    oracleNetSavingsUsd: oracle,
    lostVsOracleUsd: oracle - served.netSavingsUsd,
    flagRate: flaggedCount / batch.rows,
    labelsReleasedForDay: labelled ? labelled.day : null,
    alert: verdict.alert,
    detectors: verdict.detectors ?? [],
    actions: step.actions,
  };
  return { record, retrains };
}

/** The models of a run without their scorers. */
function modelInfos(engine: Engine): Map<string, ModelInfo> {
  const infos = new Map<string, ModelInfo>();
  for (const [id, model] of engine.models) {
    const { scorer: _scorer, ...info } = model;
    infos.set(id, info);
  }
  return infos;
}

/** Registers a trained model under the request's id and schedules its delivery. */
function registerTrained(engine: Engine, request: RetrainRequest, trained: TrainedModel): void {
  engine.models.set(request.modelId, {
    id: request.modelId,
    scorer: trained.scorer,
    thresholdScore: trained.thresholdScore,
    trainedFromDay: request.fromDay,
    trainedToDay: request.toDay,
  });
  engine.deliveries.push({
    day: request.requestedDay + engine.trainingDays,
    modelId: request.modelId,
  });
}

/**
 * Runs the production system for `days` days, synchronously: each day is drawn, scored by the
 * current model (and the candidate when one is in rollout), routed ({@link routeDay}), tallied,
 * observed by the monitor, and the rollout steps ({@link rolloutStep}); a retraining request is
 * fulfilled at once by `retrain` on the labelled window and delivered `trainingDays` later.
 * Deterministic given deterministic scorers and training.
 */
export function simulateProduction(
  options: ProductionRunOptions & {
    retrain: (request: RetrainRequest, trainingWindow: LabelledWindow) => TrainedModel;
  },
): ProductionRunResult {
  const engine = createEngine(options);
  const records: DayRecord[] = [];
  for (let day = 0; day < options.days; day++) {
    const batch = engine.stream.day(day);
    const { current, candidate } = modelsToScore(engine);
    const currentScores = checkScores(
      current.scorer(batch.features, batch.rows, batch.cols),
      batch.rows,
      current.id,
    );
    const candidateScores = candidate
      ? checkScores(
          candidate.scorer(batch.features, batch.rows, batch.cols),
          batch.rows,
          candidate.id,
        )
      : null;
    const { record, retrains } = finishDay(engine, day, batch, currentScores, candidateScores);
    for (const request of retrains) {
      const trainingWindow = engine.stream.labelledDays(request.fromDay, request.toDay);
      registerTrained(engine, request, options.retrain(request, trainingWindow));
    }
    records.push(record);
    options.onDay?.(record);
  }
  return { records, models: modelInfos(engine), finalState: engine.rollout, stream: engine.stream };
}

/** A scorer that may answer asynchronously (a tfjs model in a worker). */
export type AsyncScorer = (
  features: Float32Array,
  rows: number,
  cols: number,
) => Float32Array | Promise<Float32Array>;

/** A trained model whose scorer may be asynchronous. */
export interface AsyncTrainedModel {
  /** The scoring function. */
  scorer: AsyncScorer;
  /** A request is flagged when its score ≥ this threshold. */
  thresholdScore: number;
}

/**
 * {@link simulateProduction} for a worker: scorers and training may be asynchronous, and
 * `onDay` can report progress between days. The same inputs give the same records as the
 * synchronous driver.
 */
export async function simulateProductionAsync(
  options: Omit<ProductionRunOptions, 'initialModel'> & {
    initialModel: Omit<DeployedModel, 'scorer'> & { scorer: AsyncScorer };
    retrain: (
      request: RetrainRequest,
      trainingWindow: LabelledWindow,
    ) => AsyncTrainedModel | Promise<AsyncTrainedModel>;
  },
): Promise<ProductionRunResult> {
  const asyncScorers = new Map<string, AsyncScorer>([
    [options.initialModel.id, options.initialModel.scorer],
  ]);
  const placeholder = (): Float32Array => {
    throw new Error('The asynchronous driver scores through its own table.');
  };
  const engine = createEngine({
    ...options,
    initialModel: { ...options.initialModel, scorer: placeholder },
  });
  const records: DayRecord[] = [];
  for (let day = 0; day < options.days; day++) {
    const batch = engine.stream.day(day);
    const { current, candidate } = modelsToScore(engine);
    const currentScores = checkScores(
      await asyncScorers.get(current.id)!(batch.features, batch.rows, batch.cols),
      batch.rows,
      current.id,
    );
    const candidateScores = candidate
      ? checkScores(
          await asyncScorers.get(candidate.id)!(batch.features, batch.rows, batch.cols),
          batch.rows,
          candidate.id,
        )
      : null;
    const { record, retrains } = finishDay(engine, day, batch, currentScores, candidateScores);
    for (const request of retrains) {
      const trainingWindow = engine.stream.labelledDays(request.fromDay, request.toDay);
      const trained = await options.retrain(request, trainingWindow);
      asyncScorers.set(request.modelId, trained.scorer);
      registerTrained(engine, request, {
        scorer: placeholder,
        thresholdScore: trained.thresholdScore,
      });
    }
    records.push(record);
    options.onDay?.(record);
  }
  return { records, models: modelInfos(engine), finalState: engine.rollout, stream: engine.stream };
}
