/**
 * The batch-vs-online sandbox (lesson 3) as exercises see it. Its inputs are flat: the shop's
 * traffic (`users`, `activeUserShare`, `sessionsPerActiveUser`, `newUserShare`), how often
 * shoppers change their mind (`intentShiftProbability`), the choices (`onlineModel`, `k`) and the
 * `seed`. The state is what the sandbox shows for batch, online and hybrid serving, the
 * comparison with batch, the online gain at half the intent shift (so a check can ask for the
 * level at which online only just pays), and every input under `input.<name>`.
 */
import * as z from 'zod/mini';
import {
  ONLINE_MODEL_SIZES,
  SERVING_MODES,
  simulateBatchOnlineSweep,
  type BatchOnlineDay,
  type BatchOnlineInputs,
  type OnlineModelSize,
} from '../../business/batch-vs-online';
import type { FlatState } from '../receipt-schema';
import { parseWithSchema, pathsOf, type SandboxKind } from '../sandbox-kind';

/** The sandbox's flat inputs. */
export interface BatchOnlineSandboxInputs extends Record<string, unknown> {
  users: number;
  activeUserShare: number;
  sessionsPerActiveUser: number;
  intentShiftProbability: number;
  newUserShare: number;
  onlineModel: OnlineModelSize;
  k: number;
  seed: number;
}

/** Highest intent-shift probability the sandbox accepts (per page). */
export const MAX_INTENT_SHIFT_PROBABILITY = 0.5;

/** The sandbox's starting inputs: a mid-sized shop (course numbers). */
export const BATCH_ONLINE_DEFAULTS: Readonly<BatchOnlineSandboxInputs> = Object.freeze({
  users: 200_000,
  activeUserShare: 0.2,
  sessionsPerActiveUser: 1.5,
  intentShiftProbability: 0.1,
  newUserShare: 0.05,
  onlineModel: 'medium',
  k: 4,
  seed: 1,
});

/** Plain labels of the inputs, as the sandbox shows them. */
export const BATCH_ONLINE_LABELS: Readonly<Record<keyof BatchOnlineSandboxInputs, string>> =
  Object.freeze({
    users: 'Registered shoppers',
    activeUserShare: 'Share who visit each day',
    sessionsPerActiveUser: 'Sessions per visitor per day',
    intentShiftProbability: 'Chance intent moves, per page',
    newUserShare: 'Share of sessions from new shoppers',
    onlineModel: 'Online model size',
    k: 'Recommendations per page (k)',
    seed: 'Seed',
  });

const finite = z.number().check(z.refine(Number.isFinite));

const shape = {
  users: z.number().check(z.int(), z.minimum(100), z.maximum(100_000_000)),
  activeUserShare: finite.check(z.minimum(0.001), z.maximum(1)),
  sessionsPerActiveUser: finite.check(z.minimum(0.1), z.maximum(20)),
  intentShiftProbability: finite.check(z.minimum(0), z.maximum(MAX_INTENT_SHIFT_PROBABILITY)),
  newUserShare: finite.check(z.minimum(0), z.maximum(1)),
  onlineModel: z.enum(ONLINE_MODEL_SIZES),
  k: z.number().check(z.int(), z.minimum(1), z.maximum(8)),
  seed: z.number().check(z.int(), z.minimum(0), z.maximum(2 ** 31 - 1)),
};

const descriptions: Record<keyof BatchOnlineSandboxInputs, string> = {
  users:
    'Registered shoppers, all scored by the nightly batch job: a whole number from 100 to 100,000,000.',
  activeUserShare: 'Share of registered shoppers who visit on a day: from 0.001 to 1.',
  sessionsPerActiveUser: 'Sessions per visiting shopper per day: from 0.1 to 20.',
  intentShiftProbability: `Probability, per page after the first, that a shopper turns to another category: from 0 to ${MAX_INTENT_SHIFT_PROBABILITY}.`,
  newUserShare:
    'Share of the day’s sessions from shoppers who registered after last night’s batch job: from 0 to 1.',
  onlineModel: `Size of the online model: one of ${ONLINE_MODEL_SIZES.join(', ')}.`,
  k: 'Recommendations shown per page: a whole number from 1 to 8.',
  seed: 'Seed of the simulated shoppers, sessions and latencies: a whole number from 0 to 2147483647.',
};

/** The intent shift at which {@link halfShiftOf} compares: half the input's. */
export function halfShiftOf(intentShiftProbability: number): number {
  return intentShiftProbability / 2;
}

/** What the sandbox shows: the day, and the online gain over batch at half the intent shift. */
export interface BatchOnlineView {
  day: BatchOnlineDay;
  /** The same day with intent moving half as often (same shoppers and random numbers). */
  halfShiftDay: BatchOnlineDay;
  /** The exercise state of this view (see {@link batchOnlineStateOfView}). */
  state: FlatState;
}

/** Rounds to a number of decimals, as the sandbox displays it. */
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * The exercise state of a computed view. For each mode (`batch`, `online`, `hybrid`):
 * `relevance`, `newUserRelevance` (0–1, three decimals), `purchasesPerSession` (four decimals),
 * `revenueUsdPerDay`, `netRevenueUsdPerDay`, `predictionsPerDay`, `staleNewUserRequestsPerDay`
 * (whole), `computeCostUsdPerDay` (cents), `latencyP50Ms`, `latencyP95Ms` (whole ms). Then
 * `traffic.sessionsPerDay`, `traffic.requestsPerDay` (whole); `comparison.onlineNetGainUsdPerDay`,
 * `comparison.hybridNetGainUsdPerDay` (whole USD, mode minus batch, net of compute);
 * `comparison.onlineRelevanceGainPoints` (percentage points, one decimal);
 * `halfShift.intentShiftProbability` and `halfShift.onlineNetGainUsdPerDay` (the online gain if
 * intent moved half as often); and every input under `input.<name>`.
 */
export function batchOnlineStateOfView(
  inputs: BatchOnlineSandboxInputs,
  day: BatchOnlineDay,
  halfShiftDay: BatchOnlineDay,
): FlatState {
  const state: FlatState = {
    'traffic.sessionsPerDay': Math.round(day.traffic.sessionsPerDay),
    'traffic.requestsPerDay': Math.round(day.traffic.requestsPerDay),
  };
  for (const mode of SERVING_MODES) {
    const result = day[mode];
    state[`${mode}.relevance`] = round(result.relevance, 3);
    state[`${mode}.newUserRelevance`] = round(result.newUserRelevance, 3);
    state[`${mode}.purchasesPerSession`] = round(result.purchasesPerSession, 4);
    state[`${mode}.revenueUsdPerDay`] = Math.round(result.revenueUsdPerDay);
    state[`${mode}.computeCostUsdPerDay`] = round(result.computeCostUsdPerDay, 2);
    state[`${mode}.netRevenueUsdPerDay`] = Math.round(result.netRevenueUsdPerDay);
    state[`${mode}.latencyP50Ms`] = Math.round(result.latencyP50Ms);
    state[`${mode}.latencyP95Ms`] = Math.round(result.latencyP95Ms);
    state[`${mode}.predictionsPerDay`] = Math.round(result.predictionsPerDay);
    state[`${mode}.staleNewUserRequestsPerDay`] = Math.round(result.staleNewUserRequestsPerDay);
  }
  state['comparison.onlineNetGainUsdPerDay'] = Math.round(day.onlineNetGainUsdPerDay);
  state['comparison.hybridNetGainUsdPerDay'] = Math.round(day.hybridNetGainUsdPerDay);
  state['comparison.onlineRelevanceGainPoints'] = round(
    100 * (day.online.relevance - day.batch.relevance),
    1,
  );
  state['halfShift.intentShiftProbability'] = round(halfShiftDay.inputs.intentShiftProbability, 4);
  state['halfShift.onlineNetGainUsdPerDay'] = Math.round(halfShiftDay.onlineNetGainUsdPerDay);
  for (const [key, value] of Object.entries(inputs)) {
    state[`input.${key}`] = value as number | string;
  }
  return state;
}

/** The simulation inputs of the sandbox's flat inputs. */
export function simulationInputsOf(inputs: BatchOnlineSandboxInputs): BatchOnlineInputs {
  return {
    users: inputs.users,
    activeUserShare: inputs.activeUserShare,
    sessionsPerActiveUser: inputs.sessionsPerActiveUser,
    intentShiftProbability: inputs.intentShiftProbability,
    newUserShare: inputs.newUserShare,
    onlineModel: inputs.onlineModel,
    k: inputs.k,
    seed: inputs.seed,
  };
}

/**
 * Everything the sandbox shows for these (validated) inputs: the day at the input's intent
 * shift and at half of it (one sweep, the same shoppers), and the state checks read.
 */
export function batchOnlineView(inputs: BatchOnlineSandboxInputs): BatchOnlineView {
  const [day, halfShiftDay] = simulateBatchOnlineSweep(simulationInputsOf(inputs), [
    inputs.intentShiftProbability,
    halfShiftOf(inputs.intentShiftProbability),
  ]) as [BatchOnlineDay, BatchOnlineDay];
  return { day, halfShiftDay, state: batchOnlineStateOfView(inputs, day, halfShiftDay) };
}

/** The sandbox's state for these (validated) inputs; deterministic in them. */
export function batchOnlineExerciseState(inputs: BatchOnlineSandboxInputs): FlatState {
  return batchOnlineView(inputs).state;
}

/** The batch-vs-online sandbox (lesson 3) for the exercise framework. */
export const batchOnlineKind: SandboxKind<BatchOnlineSandboxInputs> = {
  id: 'batch-online',
  actionPhrase: 'Set the shop and the model in the sandbox and press Run',
  inputsSchema: z.object(shape),
  inputDescriptions: descriptions,
  defaults: BATCH_ONLINE_DEFAULTS,
  paramInputs: [
    'users',
    'activeUserShare',
    'sessionsPerActiveUser',
    'intentShiftProbability',
    'newUserShare',
    'k',
    'seed',
  ],
  parseInputs(inputs) {
    return parseWithSchema<BatchOnlineSandboxInputs>(batchOnlineKind, inputs);
  },
  stateOf: batchOnlineExerciseState,
  statePaths: pathsOf(
    batchOnlineStateOfView(
      BATCH_ONLINE_DEFAULTS,
      ...(simulateBatchOnlineSweep(
        { ...simulationInputsOf(BATCH_ONLINE_DEFAULTS), simulatedSessions: 1 },
        [0, 0],
      ) as [BatchOnlineDay, BatchOnlineDay]),
    ),
  ),
};
