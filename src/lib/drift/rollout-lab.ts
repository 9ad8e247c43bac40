/**
 * The retrain-and-rollout lab of lesson 9: one production stream with a scheduled fault, a
 * fraud model that is retrained by a policy and rolled out through shadow and canary phases,
 * and what that did to money and to the requests, next to the same stream served by a model
 * that is never retrained.
 *
 * Everything is a function of {@link RolloutLabSettings} (a seed among them):
 * - The model in production on day 0 is the drift lab's logistic regression (`lab-model.ts`:
 *   Newton, λ = 1e-4, the money-best threshold on a grid) fitted to {@link HISTORY_DAYS} days ×
 *   {@link HISTORY_REQUESTS_PER_DAY} payments of a history stream (seed
 *   `rollout-lab:history:<seed>`, no fault).
 * - Production is `createProductionStream` (seed `rollout-lab:<seed>`) with at most one fault,
 *   watched by lesson 6's production monitor (`production-monitor.ts`, Evidently's defaults),
 *   whose alerts give the days to detect and may trigger retraining.
 * - Retraining fits the same model to the labelled window the policy asks for
 *   (`rollout.ts`); a {@link RetrainingBug} may break that training job on purpose, to give the
 *   rollout a worse candidate to catch.
 * - The run is `simulateProduction` (or `simulateProductionAsync` in the worker: same records);
 *   the baseline is the same stream, model and monitor with retraining off.
 *
 * {@link rolloutLabView} turns a run and its baseline into what the sandbox draws (one row per
 * day, the phase events with their reasons, the score card) and the flat exercise state.
 */
import { FRAUD_FEATURE_NAMES } from '@lib/data/fraud-features';
import { createRng } from '@lib/random';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from '@lib/drift/faults';
import {
  asDeployedModel,
  referenceFromWindow,
  trainLabModel,
  type LabModel,
} from '@lib/drift/lab-model';
import { createProductionMonitor, type LabProductionMonitor } from '@lib/drift/production-monitor';
import {
  createProductionStream,
  type LabelledWindow,
  type ProductionStream,
} from '@lib/drift/stream';
import {
  simulateProduction,
  simulateProductionAsync,
  type ArmComparison,
  type DayRecord,
  type ProductionRunResult,
  type RetrainRequest,
  type RetrainTrigger,
  type RolloutPhase,
  type RolloutPolicy,
  type TrainedModel,
} from '@lib/drift/rollout';
import { scoreFaults, runTotals, type FaultScore } from '@lib/drift/score-card';

/** A fault kind, or none. */
export type LabFaultKind = FaultKind | 'none';
/** Every choice of fault: none first, then {@link FAULT_KINDS}. */
export const LAB_FAULT_KINDS: readonly LabFaultKind[] = ['none', ...FAULT_KINDS];

/**
 * A bug in the retraining job, to give the rollout a worse candidate:
 * - `none`: the job works;
 * - `shuffled-labels`: the labels are joined to the wrong payments (a seeded permutation of the
 *   window's labels), so the model learns nothing and its threshold is fitted to noise;
 * - `swapped-columns`: training reads two columns swapped ({@link SWAPPED_TRAINING_COLUMNS}),
 *   while serving reads them in the right order: training–serving skew.
 */
export const RETRAINING_BUGS = ['none', 'shuffled-labels', 'swapped-columns'] as const;
/** One of {@link RETRAINING_BUGS}. */
export type RetrainingBug = (typeof RETRAINING_BUGS)[number];

/** The two columns the `swapped-columns` training bug swaps. */
export const SWAPPED_TRAINING_COLUMNS = ['log1pDistanceFromHomeKm', 'log1pAccountAgeDays'] as const;

/** Triggers the lab offers (`alert`: the production monitor's alerts). */
export const LAB_RETRAIN_TRIGGERS: readonly RetrainTrigger[] = ['none', 'schedule', 'alert'];

/** Days of history the initial model is trained on. */
export const HISTORY_DAYS = 10;
/** Payments per history day (so the initial model sees 20,000 payments). */
export const HISTORY_REQUESTS_PER_DAY = 2000;
/** Days from a retraining request to the model's delivery. */
export const LAB_TRAINING_DAYS = 1;
/** Id of the model in production on day 0. */
export const INITIAL_MODEL_ID = 'm0';

/** Everything a lab run depends on. */
export interface RolloutLabSettings {
  /** Seed of the history and of the production stream. */
  seed: number;
  /** Days to run. */
  days: number;
  /** Payments a day. */
  requestsPerDay: number;
  /** Days until a day's labels (chargebacks) arrive. */
  labelDelayDays: number;
  /** The fault injected, or none. */
  faultKind: LabFaultKind;
  /** Its first day. */
  faultDay: number;
  /** Its strength, in the kind's unit (`FAULT_KIND_INFO[kind].strengthMeaning`). */
  faultStrength: number;
  /** When to retrain. */
  retrainTrigger: RetrainTrigger;
  /** `schedule`: retrain at the end of every N-th day. */
  retrainEveryDays: number;
  /** Days of labelled data each retraining uses. */
  retrainWindowDays: number;
  /** Days a new model spends in shadow (0 skips it). */
  shadowDays: number;
  /** Share of requests the canary answers, in percent (0 skips the canary). */
  canaryPercent: number;
  /** Fewest days in canary. */
  canaryDays: number;
  /** Labelled days pooled before a rollback or a promotion is decided. */
  evaluationDays: number;
  /** Roll back when the candidate's net savings per request trail by more than this, USD. */
  netSavingsMarginUsd: number;
  /** Roll back when its false-positive rate is higher by more than this, percentage points. */
  falsePositiveMarginPoints: number;
  /** A deliberate bug in the retraining job. */
  retrainingBug: RetrainingBug;
}

/** The fault a setting describes, or none. */
export function labFaults(settings: RolloutLabSettings): FaultSpec[] {
  if (settings.faultKind === 'none') return [];
  return [
    {
      id: settings.faultKind,
      kind: settings.faultKind,
      startDay: settings.faultDay,
      strength: settings.faultStrength,
    },
  ];
}

/** The production stream of a setting (validated by `createProductionStream`). */
export function labStream(settings: RolloutLabSettings): ProductionStream {
  return createProductionStream({
    seed: `rollout-lab:${settings.seed}`,
    requestsPerDay: settings.requestsPerDay,
    labelDelayDays: settings.labelDelayDays,
    faults: labFaults(settings),
  });
}

/**
 * The rollout policy of a setting: the learner's choices, canaryShare = canaryPercent / 100,
 * falsePositiveRateMargin = points / 100, one day at least between retraining requests, and a
 * full phase of one day before the old model is retired.
 */
export function labPolicy(settings: RolloutLabSettings): Partial<RolloutPolicy> {
  return {
    retrainTrigger: settings.retrainTrigger,
    retrainEveryDays: settings.retrainEveryDays,
    retrainWindowDays: settings.retrainWindowDays,
    minDaysBetweenRetrains: 1,
    shadowDays: settings.shadowDays,
    canaryShare: settings.canaryPercent / 100,
    canaryMinDays: settings.canaryDays,
    evaluationWindowDays: settings.evaluationDays,
    netSavingsMarginUsdPerRequest: settings.netSavingsMarginUsd,
    falsePositiveRateMargin: settings.falsePositiveMarginPoints / 100,
    fullDays: 1,
  };
}

/**
 * The window a buggy retraining job actually learns from: a copy of `window` damaged by `bug`.
 * `shuffled-labels` permutes the labels by Fisher–Yates with a generator seeded by the model id
 * and the window's days; `swapped-columns` swaps {@link SWAPPED_TRAINING_COLUMNS} in every row
 * (serving still reads them in order). With no bug the window itself is returned.
 */
export function damagedWindow(
  request: Pick<RetrainRequest, 'modelId' | 'fromDay' | 'toDay'>,
  trainingWindow: LabelledWindow,
  bug: RetrainingBug,
): LabelledWindow {
  if (bug === 'shuffled-labels') {
    const labels = Float32Array.from(trainingWindow.labels);
    const rng = createRng(
      `rollout-lab:shuffle:${request.modelId}:${request.fromDay}-${request.toDay}`,
    );
    for (let i = labels.length - 1; i > 0; i--) {
      const j = rng.int(0, i + 1);
      const held = labels[i]!;
      labels[i] = labels[j]!;
      labels[j] = held;
    }
    return { ...trainingWindow, labels };
  }
  if (bug === 'swapped-columns') {
    const features = Float32Array.from(trainingWindow.features);
    const [a, b] = SWAPPED_TRAINING_COLUMNS.map((name) => FRAUD_FEATURE_NAMES.indexOf(name));
    for (let r = 0; r < trainingWindow.rows; r++) {
      const base = r * trainingWindow.cols;
      const held = features[base + a!]!;
      features[base + a!] = features[base + b!]!;
      features[base + b!] = held;
    }
    return { ...trainingWindow, features };
  }
  return trainingWindow;
}

/** The model in production on day 0 and the history it learnt from. */
export interface InitialLabModel {
  /** The fitted model. */
  model: LabModel;
  /** Its training data: {@link HISTORY_DAYS} days of the history stream. */
  history: LabelledWindow;
}

let initialCache: { seed: number; initial: InitialLabModel } | null = null;

/**
 * The model in production on day 0: `trainLabModel` (lab-model.ts; the same model lesson 6 deploys) on {@link HISTORY_DAYS} days ×
 * {@link HISTORY_REQUESTS_PER_DAY} payments of a fault-free history stream of the seed.
 * Memoised for the last seed (it is pure).
 */
export function initialLabModel(seed: number): InitialLabModel {
  if (initialCache?.seed === seed) return initialCache.initial;
  const history = createProductionStream({
    seed: `rollout-lab:history:${seed}`,
    requestsPerDay: HISTORY_REQUESTS_PER_DAY,
    labelDelayDays: 0,
  }).labelledDays(0, HISTORY_DAYS - 1);
  const initial = { model: trainLabModel(history), history };
  initialCache = { seed, initial };
  return initial;
}

/** Days at the end of a model's training window that become the monitor's reference. */
export const MONITOR_REFERENCE_DAYS = 3;

/** What a retraining produced: the window the job learnt from and the model. */
interface Trained {
  trainedOn: LabelledWindow;
  model: LabModel;
}

/**
 * The production monitor of a run (`production-monitor.ts`, Evidently's defaults): its
 * reference is the last {@link MONITOR_REFERENCE_DAYS} days of the initial model's history,
 * scored by it; when a retrained model is promoted, the last days (at most three) of the window
 * its job learnt from, scored by it.
 */
export function labMonitor(
  initial: InitialLabModel,
  trained: ReadonlyMap<string, Trained>,
): LabProductionMonitor {
  return createProductionMonitor({
    thresholdScore: initial.model.thresholdScore,
    reference: referenceFromWindow(initial.history, initial.model, MONITOR_REFERENCE_DAYS),
    referenceFor: ({ modelId }) => {
      const job = trained.get(modelId);
      if (!job) return null;
      const days = job.trainedOn.toDay - job.trainedOn.fromDay + 1;
      return referenceFromWindow(job.trainedOn, job.model, Math.min(MONITOR_REFERENCE_DAYS, days));
    },
  });
}

/** Options of a lab run. */
export interface RolloutLabOptions {
  /** Called after each simulated day, the baseline's included: (days done, days in all). */
  onProgress?: (doneDays: number, totalDays: number) => void;
}

/** A lab run and its never-retrain baseline. */
export interface RolloutLabRuns {
  /** The run with the learner's policy. */
  run: ProductionRunResult;
  /** The same stream and initial model with retraining off. */
  baseline: ProductionRunResult;
}

/** The pieces both drivers share: stream, initial model, monitor and the retraining job. */
function prepare(settings: RolloutLabSettings) {
  const stream = labStream(settings);
  const initial = initialLabModel(settings.seed);
  const trained = new Map<string, Trained>();
  const retrain = (request: RetrainRequest, trainingWindow: LabelledWindow): TrainedModel => {
    const seen = damagedWindow(request, trainingWindow, settings.retrainingBug);
    const model = trainLabModel(seen);
    trained.set(request.modelId, { trainedOn: seen, model });
    return { scorer: model.scorer, thresholdScore: model.thresholdScore };
  };
  return {
    stream,
    initialModel: asDeployedModel(initial.model, INITIAL_MODEL_ID),
    monitor: labMonitor(initial, trained),
    retrain,
    common: {
      stream,
      days: settings.days,
      policy: labPolicy(settings),
      trainingDays: LAB_TRAINING_DAYS,
    },
    initial,
  };
}

function baselineRun(
  settings: RolloutLabSettings,
  prepared: ReturnType<typeof prepare>,
  options: RolloutLabOptions,
): ProductionRunResult {
  return simulateProduction({
    ...prepared.common,
    policy: { ...prepared.common.policy, retrainTrigger: 'none' },
    initialModel: prepared.initialModel,
    monitor: labMonitor(prepared.initial, new Map()),
    retrain: () => {
      throw new Error('The never-retrain baseline does not retrain.');
    },
    onDay: (record) => options.onProgress?.(settings.days + record.day + 1, 2 * settings.days),
  });
}

/** Runs the lab synchronously: the policy's run, then the never-retrain baseline. */
export function runRolloutLab(
  settings: RolloutLabSettings,
  options: RolloutLabOptions = {},
): RolloutLabRuns {
  const prepared = prepare(settings);
  const run = simulateProduction({
    ...prepared.common,
    initialModel: prepared.initialModel,
    monitor: prepared.monitor,
    retrain: prepared.retrain,
    onDay: (record) => options.onProgress?.(record.day + 1, 2 * settings.days),
  });
  return { run, baseline: baselineRun(settings, prepared, options) };
}

/**
 * {@link runRolloutLab} through `simulateProductionAsync`, for a worker: it yields between days
 * (so progress messages go out) and gives the same records.
 */
export async function runRolloutLabAsync(
  settings: RolloutLabSettings,
  options: RolloutLabOptions = {},
): Promise<RolloutLabRuns> {
  const prepared = prepare(settings);
  const run = await simulateProductionAsync({
    ...prepared.common,
    initialModel: prepared.initialModel,
    monitor: prepared.monitor,
    retrain: async (request, trainingWindow) => prepared.retrain(request, trainingWindow),
    onDay: (record) => options.onProgress?.(record.day + 1, 2 * settings.days),
  });
  return { run, baseline: baselineRun(settings, prepared, options) };
}

// ---- What the sandbox shows ----

/** One day as the sandbox draws it. Money in USD. */
export interface RolloutLabDay {
  /** Day index. */
  day: number;
  /** The candidate's phase that day. */
  phase: RolloutPhase;
  /** The model answering outside the candidate's share. */
  currentModelId: string;
  /** The candidate, or null. */
  candidateModelId: string | null;
  /** Payments that day. */
  requests: number;
  /** Answered by the current model. */
  answeredByCurrent: number;
  /** Answered by the candidate. */
  answeredByCandidate: number;
  /** Answered by no model (always 0). */
  unanswered: number;
  /** Net savings of the answers given. */
  netSavingsUsd: number;
  /** Net savings of the oracle. */
  oracleNetSavingsUsd: number;
  /** oracle − served. */
  lostVsOracleUsd: number;
  /** Net savings of the never-retrained model on the same payments. */
  baselineNetSavingsUsd: number;
  /** oracle − never-retrained. */
  baselineLostVsOracleUsd: number;
  /** The monitor's alert that day. */
  alert: boolean;
  /** Whether the fault acted that day. */
  faultActive: boolean;
}

/** The numbers of a comparison that decided a phase change. */
export interface LabComparison {
  /** Labelled days pooled. */
  days: number;
  /** Current model's net savings per request, USD. */
  currentNetSavingsPerRequestUsd: number;
  /** Candidate's net savings per request, USD. */
  candidateNetSavingsPerRequestUsd: number;
  /** Current model's false-positive rate. */
  currentFalsePositiveRate: number;
  /** Candidate's false-positive rate. */
  candidateFalsePositiveRate: number;
  /** The candidate trailed by more than the net-savings margin. */
  netSavingsWorse: boolean;
  /** The candidate's false-positive rate exceeded the guardrail. */
  falsePositiveRateWorse: boolean;
}

/** A step of the rollout, with its reason in words. */
export interface RolloutLabEvent {
  /** The day whose end decided it (it takes effect the next day). */
  day: number;
  /** What happened. */
  type: 'retrain' | 'shadow' | 'canary' | 'full' | 'promoted' | 'rollback';
  /** The model concerned. */
  modelId: string;
  /** Why, in one sentence. */
  reason: string;
  /** The evidence that decided it, when there was a comparison. */
  comparison: LabComparison | null;
}

/** Totals of one run. Money in USD. */
export interface LabRunTotals {
  /** Σ served net savings. */
  netSavingsUsd: number;
  /** Σ oracle net savings. */
  oracleNetSavingsUsd: number;
  /** Σ (oracle − served). */
  lostVsOracleUsd: number;
}

/** Everything the sandbox shows about a run. */
export interface RolloutLabView {
  /** The settings it ran on. */
  settings: RolloutLabSettings;
  /** One entry per day. */
  days: RolloutLabDay[];
  /** Phase changes and retraining requests, in order. */
  events: RolloutLabEvent[];
  /** The fault's score card with the policy, or null without a fault. */
  score: FaultScore | null;
  /** The fault's score card when never retraining, or null without a fault. */
  baselineScore: FaultScore | null;
  /** Totals with the policy. */
  totals: LabRunTotals;
  /** Totals when never retraining. */
  baselineTotals: LabRunTotals;
  /**
   * Σ (oracle − served) over the days from the fault's start to the end of the run, with the
   * policy and when never retraining; null without a fault.
   */
  sinceFault: { lostVsOracleUsd: number; baselineLostVsOracleUsd: number } | null;
  /** Requests answered by candidates that were later rolled back. */
  requestsByRolledBackCandidates: number;
  /** Models rolled back. */
  rolledBackModelIds: string[];
  /** The model answering at the end. */
  finalModelId: string;
}

const usd = (value: number): string =>
  `${value < 0 ? '−' : ''}$${Math.abs(value).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
const pct = (value: number): string => `${(100 * value).toFixed(1)}%`;

function labComparison(comparison: ArmComparison | null): LabComparison | null {
  if (!comparison) return null;
  return {
    days: comparison.days,
    currentNetSavingsPerRequestUsd: comparison.currentNetSavingsPerRequestUsd,
    candidateNetSavingsPerRequestUsd: comparison.candidateNetSavingsPerRequestUsd,
    currentFalsePositiveRate: comparison.currentFalsePositiveRate,
    candidateFalsePositiveRate: comparison.candidateFalsePositiveRate,
    netSavingsWorse: comparison.netSavingsWorse,
    falsePositiveRateWorse: comparison.falsePositiveRateWorse,
  };
}

/** The evidence of a comparison in words: "net savings per request $a (new) vs $b (current), …". */
export function describeComparison(comparison: LabComparison): string {
  return (
    `over ${comparison.days} labelled day${comparison.days === 1 ? '' : 's'}, net savings per ` +
    `request ${usd(comparison.candidateNetSavingsPerRequestUsd)} (new) against ` +
    `${usd(comparison.currentNetSavingsPerRequestUsd)} (current), false-positive rate ` +
    `${pct(comparison.candidateFalsePositiveRate)} against ${pct(comparison.currentFalsePositiveRate)}`
  );
}

/** The phase events of a run with their reasons (see {@link RolloutLabEvent}). */
export function labEvents(
  records: readonly DayRecord[],
  settings: RolloutLabSettings,
): RolloutLabEvent[] {
  const events: RolloutLabEvent[] = [];
  for (const record of records) {
    for (const action of record.actions) {
      switch (action.type) {
        case 'retrain': {
          const { request } = action;
          const why =
            request.reason === 'schedule'
              ? `Scheduled retraining (every ${settings.retrainEveryDays} day${settings.retrainEveryDays === 1 ? '' : 's'})`
              : 'The monitor raised an alert';
          events.push({
            day: action.day,
            type: 'retrain',
            modelId: request.modelId,
            reason: `${why}: ${request.modelId} is trained on the labelled days ${request.fromDay}–${request.toDay}.`,
            comparison: null,
          });
          break;
        }
        case 'shadow':
          events.push({
            day: action.day,
            type: 'shadow',
            modelId: action.modelId,
            reason: `${action.modelId} is delivered and runs in shadow: it scores every request and answers none.`,
            comparison: null,
          });
          break;
        case 'canary': {
          const comparison = labComparison(action.comparison);
          events.push({
            day: action.day,
            type: 'canary',
            modelId: action.modelId,
            reason:
              `${action.modelId} answers ${settings.canaryPercent}% of requests as a canary` +
              (comparison ? `; in shadow, ${describeComparison(comparison)}.` : '.'),
            comparison,
          });
          break;
        }
        case 'full': {
          const comparison = labComparison(action.comparison);
          events.push({
            day: action.day,
            type: 'full',
            modelId: action.modelId,
            reason:
              `${action.modelId} takes all traffic` +
              (comparison
                ? `: it stayed within the margins (${describeComparison(comparison)}).`
                : ' without being judged (no canary).'),
            comparison,
          });
          break;
        }
        case 'promoted':
          events.push({
            day: action.day,
            type: 'promoted',
            modelId: action.modelId,
            reason: `${action.modelId} becomes the current model; ${action.retiredModelId} is retired.`,
            comparison: null,
          });
          break;
        case 'rollback': {
          const comparison = labComparison(action.comparison)!;
          const breaches = [
            comparison.netSavingsWorse
              ? `net savings trail by more than ${usd(settings.netSavingsMarginUsd)} per request`
              : '',
            comparison.falsePositiveRateWorse
              ? `the false-positive rate is more than ${settings.falsePositiveMarginPoints} points higher`
              : '',
          ].filter(Boolean);
          events.push({
            day: action.day,
            type: 'rollback',
            modelId: action.modelId,
            reason:
              `${action.modelId} is rolled back from ${action.phase}: ${breaches.join(' and ')} ` +
              `(${describeComparison(comparison)}).`,
            comparison,
          });
          break;
        }
        default:
          break;
      }
    }
  }
  return events;
}

function totalsOf(records: readonly DayRecord[]): LabRunTotals {
  const totals = runTotals(records);
  return {
    netSavingsUsd: totals.netSavingsUsd,
    oracleNetSavingsUsd: totals.oracleNetSavingsUsd,
    lostVsOracleUsd: totals.lostVsOracleUsd,
  };
}

/** The view of a run and its baseline (see {@link RolloutLabView}). */
export function rolloutLabView(
  settings: RolloutLabSettings,
  { run, baseline }: RolloutLabRuns,
): RolloutLabView {
  const faults = labFaults(settings);
  const fault = faults[0];
  const days: RolloutLabDay[] = run.records.map((record, index) => {
    const base = baseline.records[index]!;
    return {
      day: record.day,
      phase: record.phase,
      currentModelId: record.currentModelId,
      candidateModelId: record.candidateModelId,
      requests: record.requests,
      answeredByCurrent: record.answeredByCurrent,
      answeredByCandidate: record.answeredByCandidate,
      unanswered: record.unanswered,
      netSavingsUsd: record.served.netSavingsUsd,
      oracleNetSavingsUsd: record.oracleNetSavingsUsd,
      lostVsOracleUsd: record.lostVsOracleUsd,
      baselineNetSavingsUsd: base.served.netSavingsUsd,
      baselineLostVsOracleUsd: base.lostVsOracleUsd,
      alert: record.alert,
      faultActive: fault !== undefined && record.activeFaultIds.includes(fault.id!),
    };
  });
  const events = labEvents(run.records, settings);
  const rolledBackModelIds = events.filter((e) => e.type === 'rollback').map((e) => e.modelId);
  const rolledBack = new Set(rolledBackModelIds);
  let requestsByRolledBackCandidates = 0;
  for (const record of run.records) {
    if (record.candidateModelId !== null && rolledBack.has(record.candidateModelId)) {
      requestsByRolledBackCandidates += record.answeredByCandidate;
    }
  }
  let sinceFault: RolloutLabView['sinceFault'] = null;
  if (fault) {
    sinceFault = { lostVsOracleUsd: 0, baselineLostVsOracleUsd: 0 };
    for (const day of days) {
      if (day.day < fault.startDay) continue;
      sinceFault.lostVsOracleUsd += day.lostVsOracleUsd;
      sinceFault.baselineLostVsOracleUsd += day.baselineLostVsOracleUsd;
    }
  }
  return {
    settings,
    days,
    events,
    sinceFault,
    score: fault ? scoreFaults(run.records, faults)[0]! : null,
    baselineScore: fault ? scoreFaults(baseline.records, faults)[0]! : null,
    totals: totalsOf(run.records),
    baselineTotals: totalsOf(baseline.records),
    requestsByRolledBackCandidates,
    rolledBackModelIds,
    finalModelId: run.finalState.currentModelId,
  };
}
