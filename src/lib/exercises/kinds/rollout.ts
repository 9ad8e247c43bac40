/**
 * The retrain-and-rollout sandbox (lesson 9) as exercises see it. Its inputs are flat and are
 * exactly the lab's settings (`drift/rollout-lab.ts`): the stream (`seed`, `days`,
 * `requestsPerDay`, `labelDelayDays`), one fault (`faultKind`, `faultDay`, `faultStrength`), the
 * retraining policy (`retrainTrigger`, `retrainEveryDays`, `retrainWindowDays`,
 * `retrainingBug`) and the rollout plan (`shadowDays`, `canaryPercent`, `canaryDays`,
 * `evaluationDays`, `netSavingsMarginUsd`, `falsePositiveMarginPoints`).
 *
 * State (money in whole USD, counts whole):
 * - `money.netSavingsUsd`, `money.oracleNetSavingsUsd`, `money.lostVsOracleUsd`: the run;
 * - `neverRetrain.netSavingsUsd`, `neverRetrain.lostVsOracleUsd`: the same stream with a model
 *   that is never retrained; `compare.savedVsNeverRetrainUsd` = neverRetrain.lost − money.lost;
 * - `money.lostSinceFaultUsd`, `neverRetrain.lostSinceFaultUsd`: Σ (oracle − served) from the
 *   fault's first day to the end, and `compare.savedSinceFaultUsd`, their difference (null
 *   without a fault);
 * - `requests.total`, `requests.byCurrent`, `requests.byCandidate` (answered by the model in
 *   rollout, in canary or full), `requests.byRetrainedModels` (by any model but the initial one),
 *   `requests.byRolledBackCandidates` (by candidates that were later rolled back),
 *   `requests.unanswered` (always 0);
 * - `phases.retrains`, `.shadows`, `.canaries`, `.fulls`, `.promotions`, `.rollbacks` (counts
 *   of each step), `.firstRetrainDay`, `.firstFullDay`, `.firstRollbackDay` (null if none);
 *   `final.modelId`;
 * - `fault.kind`, `fault.startDay`, `fault.detectedDay`, `fault.daysToDetect`, `fault.fixedDay`,
 *   `fault.daysToFix` (days from the fault's start until a model trained on data from after it
 *   answers every request), `fault.fixedBy`, `fault.requestsAffected`, `fault.lostVsOracleUsd`,
 *   `fault.excessLossUsd` (score-card.ts; null without a fault or when it does not apply), and
 *   `neverRetrain.fault.lostVsOracleUsd`;
 * - every input under `input.<name>`.
 */
import * as z from 'zod/mini';
import { FAULT_KIND_INFO, resolveFault } from '../../drift/faults';
import {
  INITIAL_MODEL_ID,
  LAB_FAULT_KINDS,
  RETRAINING_BUGS,
  labFaults,
  rolloutLabView,
  runRolloutLab,
  type RolloutLabSettings,
  type RolloutLabView,
} from '../../drift/rollout-lab';
import type { FlatState } from '../receipt-schema';
import { parseWithSchema, type SandboxKind } from '../sandbox-kind';

/** The sandbox's flat inputs: the lab's settings. */
export interface RolloutSandboxInputs extends RolloutLabSettings, Record<string, unknown> {}

/** Triggers offered: never, on a calendar, or on the production monitor's alert. */
export const ROLLOUT_TRIGGERS = ['none', 'schedule', 'alert'] as const;

/** Longest run, in days. */
export const MAX_ROLLOUT_DAYS = 120;
/** Most payments a day. */
export const MAX_ROLLOUT_REQUESTS_PER_DAY = 5000;

const whole = (min: number, max: number) =>
  z.number().check(z.int(), z.minimum(min), z.maximum(max));
const real = (min: number, max: number) =>
  z.number().check(z.refine(Number.isFinite), z.minimum(min), z.maximum(max));

const shape = {
  seed: whole(0, 2 ** 31 - 1),
  days: whole(10, MAX_ROLLOUT_DAYS),
  requestsPerDay: whole(200, MAX_ROLLOUT_REQUESTS_PER_DAY),
  labelDelayDays: whole(0, 14),
  faultKind: z.enum(LAB_FAULT_KINDS as [string, ...string[]]),
  faultDay: whole(0, MAX_ROLLOUT_DAYS - 1),
  faultStrength: real(-20, 20),
  retrainTrigger: z.enum(ROLLOUT_TRIGGERS),
  retrainEveryDays: whole(1, 60),
  retrainWindowDays: whole(1, 60),
  retrainingBug: z.enum(RETRAINING_BUGS),
  shadowDays: whole(0, 14),
  canaryPercent: whole(0, 90),
  canaryDays: whole(1, 14),
  evaluationDays: whole(1, 14),
  netSavingsMarginUsd: real(0, 10),
  falsePositiveMarginPoints: real(0, 100),
};

const descriptions: Record<keyof typeof shape, string> = {
  seed: 'Seed of the history the first model learnt from and of the production stream: a whole number from 0 to 2147483647.',
  days: `Days of production to simulate: a whole number from 10 to ${MAX_ROLLOUT_DAYS}.`,
  requestsPerDay: `Card payments scored each day: a whole number from 200 to ${MAX_ROLLOUT_REQUESTS_PER_DAY}.`,
  labelDelayDays:
    'Days until a payment’s label (fraud or not) arrives: a whole number from 0 to 14.',
  faultKind: `What goes wrong: none or one of ${LAB_FAULT_KINDS.slice(1).join(', ')}.`,
  faultDay: 'The first day of the fault: a whole number, before the last day simulated.',
  faultStrength:
    'How strong the fault is, in its own unit (concept drift: share of fraud that moves, 0–1; label shift: multiplier of the fraud rate; see the sandbox for each kind).',
  retrainTrigger:
    'When to retrain: none, schedule (every N days) or alert (when the production monitor raises one).',
  retrainEveryDays:
    'Schedule: retrain at the end of every N-th day, N a whole number from 1 to 60.',
  retrainWindowDays:
    'Days of the latest labelled data each retraining learns from: a whole number from 1 to 60.',
  retrainingBug:
    'A bug in the retraining job: none, shuffled-labels (labels joined to the wrong payments) or swapped-columns (training reads two columns swapped, serving does not).',
  shadowDays:
    'Days a new model runs in shadow, scoring every request and answering none: 0 to 14 (0 skips shadow).',
  canaryPercent:
    'Share of requests the new model answers as a canary, in percent: a whole number from 0 to 90 (0 skips the canary).',
  canaryDays: 'Fewest days in canary before full rollout: a whole number from 1 to 14.',
  evaluationDays:
    'Labelled days pooled before the new model is rolled back or promoted: a whole number from 1 to 14.',
  netSavingsMarginUsd:
    'Roll back when the new model’s net savings per request trail the current one’s by more than this many dollars: 0 to 10.',
  falsePositiveMarginPoints:
    'Roll back when the new model’s false-positive rate is higher by more than this many percentage points: 0 to 100.',
};

/** The inputs the sandbox starts from: concept drift on day 20, weekly retraining on 7 days. */
export const ROLLOUT_DEFAULTS: Readonly<RolloutSandboxInputs> = {
  seed: 1,
  days: 60,
  requestsPerDay: 2000,
  labelDelayDays: 3,
  faultKind: 'concept-drift',
  faultDay: 20,
  faultStrength: FAULT_KIND_INFO['concept-drift'].defaultStrength,
  retrainTrigger: 'schedule',
  retrainEveryDays: 7,
  retrainWindowDays: 7,
  retrainingBug: 'none',
  shadowDays: 2,
  canaryPercent: 20,
  canaryDays: 3,
  evaluationDays: 3,
  netSavingsMarginUsd: 0.1,
  falsePositiveMarginPoints: 2,
};

/** Every path of the state, sorted (listed, so importing the kind simulates nothing). */
export const ROLLOUT_STATE_PATHS: readonly string[] = Object.freeze(
  [
    'money.netSavingsUsd',
    'money.oracleNetSavingsUsd',
    'money.lostVsOracleUsd',
    'neverRetrain.netSavingsUsd',
    'neverRetrain.lostVsOracleUsd',
    'neverRetrain.fault.lostVsOracleUsd',
    'neverRetrain.lostSinceFaultUsd',
    'money.lostSinceFaultUsd',
    'compare.savedSinceFaultUsd',
    'compare.savedVsNeverRetrainUsd',
    'requests.total',
    'requests.byCurrent',
    'requests.byCandidate',
    'requests.byRetrainedModels',
    'requests.byRolledBackCandidates',
    'requests.unanswered',
    'phases.retrains',
    'phases.shadows',
    'phases.canaries',
    'phases.fulls',
    'phases.promotions',
    'phases.rollbacks',
    'phases.firstRetrainDay',
    'phases.firstFullDay',
    'phases.firstRollbackDay',
    'final.modelId',
    'fault.kind',
    'fault.startDay',
    'fault.detectedDay',
    'fault.daysToDetect',
    'fault.fixedDay',
    'fault.daysToFix',
    'fault.fixedBy',
    'fault.requestsAffected',
    'fault.lostVsOracleUsd',
    'fault.excessLossUsd',
    ...Object.keys(shape).map((key) => `input.${key}`),
  ].sort(),
);

const dollars = (value: number | null | undefined): number | null =>
  value === null || value === undefined ? null : Math.round(value);

/** The flat state of a lab view (see the module header). */
export function rolloutStateOf(inputs: RolloutSandboxInputs, view: RolloutLabView): FlatState {
  const count = (type: string): number => view.events.filter((e) => e.type === type).length;
  const first = (type: string): number | null =>
    view.events.find((e) => e.type === type)?.day ?? null;
  let byCurrent = 0;
  let byCandidate = 0;
  let byRetrained = 0;
  let unanswered = 0;
  let total = 0;
  for (const day of view.days) {
    total += day.requests;
    byCurrent += day.answeredByCurrent;
    byCandidate += day.answeredByCandidate;
    unanswered += day.unanswered;
    if (day.currentModelId !== INITIAL_MODEL_ID) byRetrained += day.answeredByCurrent;
    byRetrained += day.answeredByCandidate;
  }
  const score = view.score;
  const since = view.sinceFault;
  const state: FlatState = {
    'money.netSavingsUsd': dollars(view.totals.netSavingsUsd),
    'money.oracleNetSavingsUsd': dollars(view.totals.oracleNetSavingsUsd),
    'money.lostVsOracleUsd': dollars(view.totals.lostVsOracleUsd),
    'neverRetrain.netSavingsUsd': dollars(view.baselineTotals.netSavingsUsd),
    'neverRetrain.lostVsOracleUsd': dollars(view.baselineTotals.lostVsOracleUsd),
    'neverRetrain.fault.lostVsOracleUsd': dollars(view.baselineScore?.moneyLostVsOracleUsd),
    'compare.savedVsNeverRetrainUsd':
      Math.round(view.baselineTotals.lostVsOracleUsd) - Math.round(view.totals.lostVsOracleUsd),
    'money.lostSinceFaultUsd': dollars(since?.lostVsOracleUsd),
    'neverRetrain.lostSinceFaultUsd': dollars(since?.baselineLostVsOracleUsd),
    'compare.savedSinceFaultUsd': since
      ? Math.round(since.baselineLostVsOracleUsd) - Math.round(since.lostVsOracleUsd)
      : null,
    'requests.total': total,
    'requests.byCurrent': byCurrent,
    'requests.byCandidate': byCandidate,
    'requests.byRetrainedModels': byRetrained,
    'requests.byRolledBackCandidates': view.requestsByRolledBackCandidates,
    'requests.unanswered': unanswered,
    'phases.retrains': count('retrain'),
    'phases.shadows': count('shadow'),
    'phases.canaries': count('canary'),
    'phases.fulls': count('full'),
    'phases.promotions': count('promoted'),
    'phases.rollbacks': count('rollback'),
    'phases.firstRetrainDay': first('retrain'),
    'phases.firstFullDay': first('full'),
    'phases.firstRollbackDay': first('rollback'),
    'final.modelId': view.finalModelId,
    'fault.kind': inputs.faultKind,
    'fault.startDay': score ? score.startDay : null,
    'fault.detectedDay': score?.detectedDay ?? null,
    'fault.daysToDetect': score?.daysToDetect ?? null,
    'fault.fixedDay': score?.fixedDay ?? null,
    'fault.daysToFix': score && score.fixedDay !== null ? score.fixedDay - score.startDay : null,
    'fault.fixedBy': score?.fixedBy ?? null,
    'fault.requestsAffected': score ? score.requestsAffected : null,
    'fault.lostVsOracleUsd': dollars(score?.moneyLostVsOracleUsd),
    'fault.excessLossUsd': dollars(score?.excessLossUsd),
  };
  for (const [key, value] of Object.entries(inputs)) {
    state[`input.${key}`] = value as string | number;
  }
  return state;
}

/** What one run of the sandbox shows: the view, and the state exercises read. */
export interface RolloutRun {
  view: RolloutLabView;
  /** Equal to `rolloutExerciseState(inputs)`. */
  state: FlatState;
}

/** The run and the state of a view. */
export function rolloutRunOf(inputs: RolloutSandboxInputs, view: RolloutLabView): RolloutRun {
  return { view, state: rolloutStateOf(inputs, view) };
}

/** The sandbox's state for some inputs: run the lab synchronously, view it, flatten. */
export function rolloutExerciseState(inputs: RolloutSandboxInputs): FlatState {
  return rolloutStateOf(inputs, rolloutLabView(inputs, runRolloutLab(inputs)));
}

/** The retrain-and-rollout sandbox (lesson 9) for the exercise framework. */
export const rolloutKind: SandboxKind<RolloutSandboxInputs> = {
  id: 'rollout',
  actionPhrase: 'Run the production simulation in the sandbox',
  inputsSchema: z.object(shape),
  inputDescriptions: descriptions,
  defaults: ROLLOUT_DEFAULTS,
  paramInputs: [
    'seed',
    'days',
    'requestsPerDay',
    'labelDelayDays',
    'faultDay',
    'faultStrength',
    'retrainEveryDays',
    'retrainWindowDays',
    'shadowDays',
    'canaryPercent',
    'canaryDays',
    'evaluationDays',
    'netSavingsMarginUsd',
    'falsePositiveMarginPoints',
  ],
  parseInputs(inputs) {
    const parsed = parseWithSchema<RolloutSandboxInputs>(rolloutKind, inputs);
    if (parsed.faultKind !== 'none') {
      if (parsed.faultDay >= parsed.days) {
        throw new RangeError(
          `rollout inputs: faultDay = ${parsed.faultDay} is refused — expected a day before the last simulated day (${parsed.days - 1})`,
        );
      }
      try {
        labFaults(parsed).forEach(resolveFault);
      } catch (error) {
        throw new RangeError(
          `rollout inputs: faultStrength = ${parsed.faultStrength} is refused — ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    return parsed;
  },
  stateOf: rolloutExerciseState,
  statePaths: ROLLOUT_STATE_PATHS,
};
