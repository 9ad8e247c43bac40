/**
 * The model-count sandbox (lesson 7) as exercises see it. Its inputs are flat: how customers are
 * served (`approach`: `one-model`, `all-in-memory` or `lru-cache`), the number of `customers`,
 * the skew of their traffic (`zipfExponent`), the cache size (`cacheModels`), the per-customer
 * `model` and the `replica` type (catalogue ids of scaling/models.ts), the `requestsPerDay` and
 * the `seed` of the simulated cache. The lab behind it is scaling/model-count-lab.ts.
 *
 * State (rounded the way the sandbox shows them), first for the chosen approach:
 * - `hitRate` (0–1, four decimals), `coldLoadsPerDay`, `replicas`, `shards` (whole numbers);
 * - `addedMeanLatencyMs` (one decimal), `addedP95LatencyMs`, `addedP99LatencyMs` (whole ms);
 * - `memoryPerReplicaGb` (two decimals), `fits` (whether that fits the replica),
 *   `costUsdPerDay` (cents);
 * then the set-up: `modelLoadMs` (whole ms), `computeReplicas`, `cacheModelsThatFit`,
 * `replicaMemoryGb`, `simulatedHitRate` (four decimals; null when the cache holds every model);
 * then each approach side by side: `compare.<oneModel|allInMemory|lruCache>.costUsdPerDay`,
 * `.replicas`, `.memoryPerReplicaGb`, `.addedP99LatencyMs`, `.fits`; and every input under
 * `input.<name>`.
 */
import * as z from 'zod/mini';
import {
  MAX_CUSTOMERS,
  MODEL_COUNT_APPROACHES,
  modelCountLab,
  servesOnReplica,
  type ApproachView,
  type ModelCountApproach,
  type ModelCountLabView,
} from '../../scaling/model-count-lab';
import {
  REPLICA_TYPE_IDS,
  REPLICA_TYPES,
  SERVED_MODEL_IDS,
  SERVED_MODELS,
  type ReplicaTypeId,
  type ServedModelId,
} from '../../scaling/models';
import { MAX_REQUESTS_PER_DAY, MIN_REQUESTS_PER_DAY } from '../../scaling/traffic';
import type { FlatState } from '../receipt-schema';
import { parseWithSchema, pathsOf, type SandboxKind } from '../sandbox-kind';

/** The sandbox's flat inputs. */
export interface ModelCountSandboxInputs extends Record<string, unknown> {
  approach: ModelCountApproach;
  customers: number;
  zipfExponent: number;
  cacheModels: number;
  model: ServedModelId;
  replica: ReplicaTypeId;
  requestsPerDay: number;
  seed: number;
}

/** Largest Zipf exponent the sandbox accepts. */
export const MAX_ZIPF_EXPONENT = 2;

/** The sandbox's starting inputs: the chapter's 8 000 customers, each with boosted trees. */
export const MODEL_COUNT_DEFAULTS: Readonly<ModelCountSandboxInputs> = Object.freeze({
  approach: 'lru-cache',
  customers: MAX_CUSTOMERS,
  zipfExponent: 1,
  cacheModels: 200,
  model: 'boosted-trees',
  replica: 'cpu-large',
  requestsPerDay: 5_000_000,
  seed: 1,
});

/** Plain labels of the inputs, as the sandbox shows them. */
export const MODEL_COUNT_LABELS: Readonly<Record<keyof ModelCountSandboxInputs, string>> =
  Object.freeze({
    approach: 'How customers are served',
    customers: 'Customers (one model each)',
    zipfExponent: 'Traffic skew (Zipf exponent s)',
    cacheModels: 'Models cached per replica (K)',
    model: 'Model per customer',
    replica: 'Replica type',
    requestsPerDay: 'Requests per day',
    seed: 'Seed of the simulated cache',
  });

/** Plain names of the approaches. */
export const APPROACH_LABELS: Readonly<Record<ModelCountApproach, string>> = Object.freeze({
  'one-model': 'One model for everyone',
  'all-in-memory': 'Every model in memory',
  'lru-cache': 'A cache of K models',
});

const whole = (min: number, max: number) =>
  z.number().check(z.int(), z.minimum(min), z.maximum(max));

const shape = {
  approach: z.enum(MODEL_COUNT_APPROACHES),
  customers: whole(1, MAX_CUSTOMERS),
  zipfExponent: z
    .number()
    .check(z.refine(Number.isFinite), z.minimum(0), z.maximum(MAX_ZIPF_EXPONENT)),
  cacheModels: whole(1, MAX_CUSTOMERS),
  model: z.enum(SERVED_MODEL_IDS),
  replica: z.enum(REPLICA_TYPE_IDS),
  requestsPerDay: whole(MIN_REQUESTS_PER_DAY, MAX_REQUESTS_PER_DAY),
  seed: whole(0, 2 ** 31 - 1),
};

const descriptions: Record<keyof typeof shape, string> = {
  approach: `How customers are served: ${MODEL_COUNT_APPROACHES.join(', ')} (one shared model; every customer's model in every replica's memory, split into shards when they do not fit; or an LRU cache of cacheModels models per replica).`,
  customers: `Customers, each with its own model in the per-customer approaches: a whole number from 1 to ${MAX_CUSTOMERS}.`,
  zipfExponent: `Skew of customer traffic: the customer of rank i sends a share proportional to i^-s; from 0 (all alike) to ${MAX_ZIPF_EXPONENT}.`,
  cacheModels: `Models an LRU replica keeps in memory (K): a whole number from 1 to ${MAX_CUSTOMERS}.`,
  model: `The kind of model each customer has: one of ${SERVED_MODEL_IDS.join(', ')}.`,
  replica: `The machine a replica runs on: one of ${REPLICA_TYPE_IDS.join(', ')}. The model's runtime and one model must fit its memory.`,
  requestsPerDay: `Prediction requests per day, all customers together: a whole number from ${MIN_REQUESTS_PER_DAY} to ${MAX_REQUESTS_PER_DAY}.`,
  seed: 'Seed of the simulated request sequence that checks the cache: a whole number from 0 to 2147483647.',
};

/** The state paths of each approach in `compare.*`. */
const COMPARE_NAMES: Readonly<Record<ModelCountApproach, string>> = {
  'one-model': 'oneModel',
  'all-in-memory': 'allInMemory',
  'lru-cache': 'lruCache',
};

/** Rounds to a number of decimals, as the sandbox displays it. */
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** A count for the state: whole, and null when infinite (never, after validation). */
function count(value: number): number | null {
  return Number.isFinite(value) ? Math.round(value) : null;
}

/** The state of a computed view (module comment). */
export function modelCountStateOfView(
  inputs: ModelCountSandboxInputs,
  view: ModelCountLabView,
): FlatState {
  const chosen = view.chosen;
  const state: FlatState = {
    hitRate: round(chosen.hitRate, 4),
    coldLoadsPerDay: Math.round(chosen.coldLoadsPerDay),
    addedMeanLatencyMs: round(chosen.addedMeanLatencyMs, 1),
    addedP95LatencyMs: Math.round(chosen.addedP95LatencyMs),
    addedP99LatencyMs: Math.round(chosen.addedP99LatencyMs),
    replicas: count(chosen.replicas),
    shards: count(chosen.shards),
    memoryPerReplicaGb: round(chosen.memoryPerReplicaGb, 2),
    fits: chosen.fits,
    costUsdPerDay: Number.isFinite(chosen.costUsdPerDay) ? round(chosen.costUsdPerDay, 2) : null,
    modelLoadMs: Math.round(view.modelLoadMs),
    computeReplicas: view.computeReplicas,
    cacheModelsThatFit: view.cacheModelsThatFit,
    replicaMemoryGb: view.replica.memoryGb,
    simulatedHitRate: view.simulatedHitRate === null ? null : round(view.simulatedHitRate, 4),
  };
  view.approaches.forEach((approach: ApproachView) => {
    const prefix = `compare.${COMPARE_NAMES[approach.approach]}`;
    state[`${prefix}.costUsdPerDay`] = Number.isFinite(approach.costUsdPerDay)
      ? round(approach.costUsdPerDay, 2)
      : null;
    state[`${prefix}.replicas`] = count(approach.replicas);
    state[`${prefix}.memoryPerReplicaGb`] = round(approach.memoryPerReplicaGb, 2);
    state[`${prefix}.addedP99LatencyMs`] = Math.round(approach.addedP99LatencyMs);
    state[`${prefix}.fits`] = approach.fits;
  });
  for (const [key, value] of Object.entries(inputs)) {
    state[`input.${key}`] = value as number | string;
  }
  return state;
}

/** What the sandbox shows for these (validated) inputs: the lab's view and the state. */
export function modelCountView(inputs: ModelCountSandboxInputs): {
  view: ModelCountLabView;
  state: FlatState;
} {
  const view = modelCountLab(inputs);
  return { view, state: modelCountStateOfView(inputs, view) };
}

/** The sandbox's state for these (validated) inputs; deterministic in them. */
export function modelCountExerciseState(inputs: ModelCountSandboxInputs): FlatState {
  return modelCountView(inputs).state;
}

/** The model-count sandbox (lesson 7) for the exercise framework. */
export const modelCountKind: SandboxKind<ModelCountSandboxInputs> = {
  id: 'model-count',
  actionPhrase: 'Set how customers are served in the sandbox',
  inputsSchema: z.object(shape),
  inputDescriptions: descriptions,
  defaults: MODEL_COUNT_DEFAULTS,
  paramInputs: ['customers', 'zipfExponent', 'cacheModels', 'requestsPerDay', 'seed'],
  parseInputs(inputs) {
    const parsed = parseWithSchema<ModelCountSandboxInputs>(modelCountKind, inputs);
    const model = SERVED_MODELS[parsed.model];
    const replica = REPLICA_TYPES[parsed.replica];
    if (!servesOnReplica(model, replica)) {
      throw new RangeError(
        `model-count inputs: ${model.name} needs ${model.memoryGb} GB to serve, but a replica of type ${replica.name} has ${replica.memoryGb} GB — choose a bigger replica or a smaller model`,
      );
    }
    return parsed;
  },
  stateOf: modelCountExerciseState,
  statePaths: pathsOf(
    modelCountStateOfView(
      MODEL_COUNT_DEFAULTS,
      modelCountLab({ ...MODEL_COUNT_DEFAULTS, customers: 1, cacheModels: 1 }),
    ),
  ),
};
