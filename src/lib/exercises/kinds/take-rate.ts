/**
 * The take-rate sandbox (lesson 3) as exercises see it. Its inputs are flat: the recommender in
 * production now (`current`) and the one proposed (`candidate`), the quality-play rule
 * (`minSharePercent` of the runtime, or `minMinutes` watched when above 0), the members
 * simulated, the member base the business numbers are for, and the seed. All three recommenders
 * are always simulated, so the state also says which one each metric ranks best.
 *
 * State (numbers rounded the way the sandbox shows them):
 * - `<current|candidate>.recommendationsSeen`, `.plays`, `.qualityPlays` (counts);
 * - `<…>.clickThroughRate`, `.takeRate`, `.monthlyCancellationRate` (0–1, 4 decimals);
 * - `<…>.minutesWatchedPerMember` (simulated, 1 decimal), `.hoursPerMemberPerMonth` (link
 *   model, 1 decimal);
 * - `compare.subscribersKeptPerMonth`, `compare.extraStreamingHoursPerMonth` (whole numbers,
 *   candidate against current over the member base);
 * - `compare.clickThroughLeader`, `.takeRateLeader`, `.watchTimeLeader` ('current',
 *   'candidate' or 'tie'), `compare.rankingsDisagree` (boolean);
 * - `best.clickThrough`, `best.takeRate`, `best.watchTime` (recommender ids);
 * - every input under `input.<name>`.
 */
import * as z from 'zod/mini';
import {
  compareRecommenders,
  type RecommenderComparison,
  type RecommenderSummary,
} from '../../business/recommender-comparison';
import type { QualityPlayRule } from '../../business/take-rate';
import {
  MAX_STREAMING_MEMBERS,
  RECOMMENDERS,
  simulateStreaming,
  type RecommenderId,
} from '../../data/streaming';
import type { FlatState } from '../receipt-schema';
import { parseWithSchema, type SandboxKind } from '../sandbox-kind';

/** The take-rate sandbox's flat inputs. */
export interface TakeRateSandboxInputs extends Record<string, unknown> {
  /** The recommender in production now. */
  current: RecommenderId;
  /** The recommender proposed to replace it. */
  candidate: RecommenderId;
  /** A play is a quality play when at least this percentage of the runtime is watched (1–100). */
  minSharePercent: number;
  /** …or, when above 0, at least this many minutes (0 = no minutes alternative). */
  minMinutes: number;
  /** Members simulated (one home page each). */
  members: number;
  /** Members the business numbers are computed for. */
  memberBase: number;
  seed: number;
}

/** Largest member base accepted: 10 billion (more than there are people). */
export const MAX_MEMBER_BASE = 10_000_000_000;

const recommender = z.enum(RECOMMENDERS);
const whole = (min: number, max: number) =>
  z.number().check(z.int(), z.minimum(min), z.maximum(max));

const shape = {
  current: recommender,
  candidate: recommender,
  minSharePercent: whole(1, 100),
  minMinutes: z.number().check(z.refine(Number.isFinite), z.minimum(0), z.maximum(600)),
  members: whole(100, MAX_STREAMING_MEMBERS),
  memberBase: whole(1, MAX_MEMBER_BASE),
  seed: whole(0, 2 ** 31 - 1),
};

const descriptions: Record<keyof typeof shape, string> = {
  current: `The recommender in production now: one of ${RECOMMENDERS.join(', ')}.`,
  candidate: `The recommender proposed to replace it: one of ${RECOMMENDERS.join(', ')}.`,
  minSharePercent:
    'A play counts as a quality play when at least this percentage of the runtime is watched: a whole number from 1 to 100.',
  minMinutes:
    '…or when at least this many minutes are watched, whatever the share: 0 (no minutes alternative) to 600.',
  members: `Members simulated, one home page each: a whole number from 100 to ${MAX_STREAMING_MEMBERS}.`,
  memberBase: `Members the business numbers (hours, subscribers kept) are computed for: a whole number from 1 to ${MAX_MEMBER_BASE}.`,
  seed: 'Seed of the catalogue, the members and what they watch: a whole number from 0 to 2147483647.',
};

/** The inputs the sandbox starts from: popularity now, the quality-trained model proposed. */
export const TAKE_RATE_DEFAULTS: Readonly<TakeRateSandboxInputs> = {
  current: 'popularity',
  candidate: 'watch-model',
  minSharePercent: 70,
  minMinutes: 0,
  members: 2000,
  memberBase: 1_000_000,
  seed: 1,
};

/** The quality-play rule the inputs describe. */
export function ruleOf(inputs: TakeRateSandboxInputs): QualityPlayRule {
  return {
    minShareWatched: inputs.minSharePercent / 100,
    ...(inputs.minMinutes > 0 ? { minMinutesWatched: inputs.minMinutes } : {}),
  };
}

/** Simulates all three recommenders for the inputs and compares current with candidate. */
export function takeRateComparison(inputs: TakeRateSandboxInputs): RecommenderComparison {
  const simulation = simulateStreaming(
    { seed: inputs.seed, members: inputs.members },
    RECOMMENDERS,
  );
  return compareRecommenders(
    simulation,
    ruleOf(inputs),
    inputs.memberBase,
    inputs.current,
    inputs.candidate,
  );
}

const round = (value: number, decimals: number): number => Number(value.toFixed(decimals));

const SUMMARY_FIELDS = [
  'recommendationsSeen',
  'plays',
  'qualityPlays',
  'clickThroughRate',
  'takeRate',
  'minutesWatchedPerMember',
  'hoursPerMemberPerMonth',
  'monthlyCancellationRate',
] as const;

/** Every path of the state, sorted (listed, so importing the kind simulates nothing). */
export const TAKE_RATE_STATE_PATHS: readonly string[] = Object.freeze(
  [
    ...['current', 'candidate'].flatMap((who) => SUMMARY_FIELDS.map((f) => `${who}.${f}`)),
    'compare.subscribersKeptPerMonth',
    'compare.extraStreamingHoursPerMonth',
    'compare.clickThroughLeader',
    'compare.takeRateLeader',
    'compare.watchTimeLeader',
    'compare.rankingsDisagree',
    'best.clickThrough',
    'best.takeRate',
    'best.watchTime',
    ...Object.keys(shape).map((key) => `input.${key}`),
  ].sort(),
);

function summaryState(prefix: string, s: RecommenderSummary, state: FlatState): void {
  state[`${prefix}.recommendationsSeen`] = s.recommendationsSeen;
  state[`${prefix}.plays`] = s.plays;
  state[`${prefix}.qualityPlays`] = s.qualityPlays;
  state[`${prefix}.clickThroughRate`] = round(s.clickThroughRate, 4);
  state[`${prefix}.takeRate`] = round(s.takeRate, 4);
  state[`${prefix}.minutesWatchedPerMember`] = round(s.minutesWatchedPerMember, 1);
  state[`${prefix}.hoursPerMemberPerMonth`] = round(s.outcomes.hoursPerMemberPerMonth, 1);
  state[`${prefix}.monthlyCancellationRate`] = round(s.outcomes.monthlyCancellationRate, 4);
}

/** The flat state of a comparison made from these inputs (see the module header). */
export function takeRateStateOf(
  inputs: TakeRateSandboxInputs,
  comparison: RecommenderComparison,
): FlatState {
  const state: FlatState = {};
  summaryState('current', comparison.current, state);
  summaryState('candidate', comparison.candidate, state);
  state['compare.subscribersKeptPerMonth'] = Math.round(comparison.subscribersKeptPerMonth);
  state['compare.extraStreamingHoursPerMonth'] = Math.round(comparison.extraStreamingHoursPerMonth);
  state['compare.clickThroughLeader'] = comparison.clickThroughLeader;
  state['compare.takeRateLeader'] = comparison.takeRateLeader;
  state['compare.watchTimeLeader'] = comparison.watchTimeLeader;
  state['compare.rankingsDisagree'] = comparison.rankingsDisagree;
  state['best.clickThrough'] = comparison.best.clickThrough;
  state['best.takeRate'] = comparison.best.takeRate;
  state['best.watchTime'] = comparison.best.watchTime;
  for (const [key, value] of Object.entries(inputs)) {
    state[`input.${key}`] = value as string | number;
  }
  return state;
}

/** The take-rate sandbox's state for some inputs: simulate, compare, flatten. */
export function takeRateExerciseState(inputs: TakeRateSandboxInputs): FlatState {
  return takeRateStateOf(inputs, takeRateComparison(inputs));
}

/** What one run of the sandbox shows: the comparison, and the state exercises read. */
export interface TakeRateRun {
  comparison: RecommenderComparison;
  /** Equal to `takeRateExerciseState(inputs)`. */
  state: FlatState;
}

/** One run of the sandbox (in the business worker): the comparison and its flat state. */
export function takeRateRun(inputs: TakeRateSandboxInputs): TakeRateRun {
  const comparison = takeRateComparison(inputs);
  return { comparison, state: takeRateStateOf(inputs, comparison) };
}

/** The take-rate sandbox (lesson 3) for the exercise framework. */
export const takeRateKind: SandboxKind<TakeRateSandboxInputs> = {
  id: 'take-rate',
  actionPhrase: 'Run the comparison in the sandbox',
  inputsSchema: z.object(shape),
  inputDescriptions: descriptions,
  defaults: TAKE_RATE_DEFAULTS,
  paramInputs: ['minSharePercent', 'minMinutes', 'members', 'memberBase', 'seed'],
  parseInputs(inputs) {
    return parseWithSchema<TakeRateSandboxInputs>(takeRateKind, inputs);
  },
  stateOf: takeRateExerciseState,
  statePaths: TAKE_RATE_STATE_PATHS,
};
