/**
 * The model-count lab (lesson 7): from the sandbox's settings to the engine's three ways of
 * serving per-customer models (model-count.ts), and everything the sandbox shows beside them —
 * the hit-rate curve of an LRU cache against its size, and a seeded simulation of the cache.
 *
 * Settings: how customers are served (`approach`: one model for everyone, every customer's
 * model in memory, or an LRU cache of K models per replica), the number of customers (each with
 * a model of the catalogue's kind, models.ts), how skewed their traffic is (Zipf exponent s),
 * the replica type, the requests per day and the seed of the simulation.
 *
 * Course assumptions (round numbers, stated here and in the sandbox):
 * - a model's memory (models.ts `memoryGb`) is a shared serving runtime plus its weights; the
 *   runtime (memoryGb − weightsGb) is paid once per replica, the weights once per model held;
 * - loading one customer's model on a miss takes {@link MODEL_LOAD_OVERHEAD_MS} (fetch, parse,
 *   warm-up) plus its weights ÷ the replica's load bandwidth;
 * - the replicas the traffic needs for computing alone: the busiest minute of the default daily
 *   curve (traffic.ts, {@link PEAK_TO_MEAN} × the day's mean rate) at
 *   {@link TARGET_UTILISATION} of each replica, one request at a time with the model's
 *   single-request service time: max(1, ⌈peak rate × service time / target⌉).
 */

import { createRng, type Rng } from '../random';
import {
  compareModelStrategies,
  sampleCustomers,
  simulateLru,
  zipfProbabilities,
  type ModelStrategy,
  type ModelStrategyReport,
} from './model-count';
import {
  REPLICA_TYPES,
  SERVED_MODELS,
  serviceTimeMs,
  type ReplicaType,
  type ReplicaTypeId,
  type ServedModel,
  type ServedModelId,
} from './models';
import { DEFAULT_DAILY_CURVE, dailyFactor, SECONDS_PER_DAY } from './traffic';

/** The ways of serving customers the sandbox offers, in the order it lists them. */
export const MODEL_COUNT_APPROACHES = ['one-model', 'all-in-memory', 'lru-cache'] as const;
/** One way of serving customers. */
export type ModelCountApproach = (typeof MODEL_COUNT_APPROACHES)[number];

/** The engine's strategy for each approach. */
export const STRATEGY_OF: Readonly<Record<ModelCountApproach, ModelStrategy>> = {
  'one-model': 'one-shared-model',
  'all-in-memory': 'all-models-in-memory',
  'lru-cache': 'lru-cache',
};

/** The chapter's startup ran 8 000 models for its 8 000 enterprise customers: the lab's maximum. */
export const MAX_CUSTOMERS = 8_000;
/** Fixed part of loading one model on a miss (fetch, deserialise, first call), ms. */
export const MODEL_LOAD_OVERHEAD_MS = 50;
/** Share of a replica's time the compute sizing aims to keep it busy (the usual HPA target). */
export const TARGET_UTILISATION = 0.6;
/** Requests in the seeded LRU simulation that warm the cache up before counting starts. */
export const SIMULATED_WARMUP_REQUESTS = 50_000;
/** Requests in the seeded LRU simulation whose hits are counted. */
export const SIMULATED_REQUESTS = 100_000;

/**
 * The busiest minute's rate over the day's mean rate under the default daily curve
 * (traffic.ts): the largest of daily(t) at the middle of each of the 1 440 minutes, ≈ 1.65.
 */
export const PEAK_TO_MEAN: number = (() => {
  let peak = 0;
  for (let minute = 0; minute < 1440; minute++)
    peak = Math.max(peak, dailyFactor(DEFAULT_DAILY_CURVE, minute * 60 + 30));
  return peak;
})();

/** The sandbox's settings (validated by the exercise kind, kinds/model-count.ts). */
export interface ModelCountLabSettings {
  /** How customers are served. */
  approach: ModelCountApproach;
  /** Customers, each with its own model in the per-customer approaches (1 – 8 000). */
  customers: number;
  /** Zipf exponent s of customer traffic (0 = every customer sends as much). */
  zipfExponent: number;
  /** Models an LRU replica keeps (K). */
  cacheModels: number;
  /** The kind of model each customer has (and the shared model in `one-model`). */
  model: ServedModelId;
  /** The machine a replica runs on. */
  replica: ReplicaTypeId;
  /** Prediction requests per day, all customers together. */
  requestsPerDay: number;
  /** Seed of the simulated request sequence. */
  seed: number;
}

/** The memory every replica pays once, whatever it holds: the model's memory less its weights, GB. */
export function runtimeGb(model: ServedModel): number {
  return model.memoryGb - model.weightsGb;
}

/** Time to load one customer's model on a miss: overhead + 1000 · weights ÷ bandwidth, ms. */
export function modelLoadMs(model: ServedModel, replica: ReplicaType): number {
  return MODEL_LOAD_OVERHEAD_MS + (1000 * model.weightsGb) / replica.loadBandwidthGbPerS;
}

/** Whether the runtime and one model fit the replica at all (models.ts `fitsInMemory`). */
export function servesOnReplica(model: ServedModel, replica: ReplicaType): boolean {
  return model.memoryGb <= replica.memoryGb;
}

/**
 * The largest number of models a replica can hold besides its runtime:
 * ⌊(replica memory − runtime) / weights⌋ (0 when not even one fits).
 */
export function modelsThatFit(model: ServedModel, replica: ReplicaType): number {
  const room = replica.memoryGb - runtimeGb(model);
  return room >= model.weightsGb ? Math.floor(room / model.weightsGb + 1e-9) : 0;
}

/**
 * Replicas the traffic needs for computing alone (module comment):
 * max(1, ⌈(requestsPerDay / 86 400) · PEAK_TO_MEAN · service time / TARGET_UTILISATION⌉).
 */
export function computeReplicasFor(
  model: ServedModel,
  replica: ReplicaType,
  requestsPerDay: number,
): number {
  const peakRatePerS = (requestsPerDay / SECONDS_PER_DAY) * PEAK_TO_MEAN;
  const busy = (peakRatePerS * serviceTimeMs(model, replica)) / 1000;
  return Math.max(1, Math.ceil(busy / TARGET_UTILISATION - 1e-9));
}

/**
 * Che's LRU hit rate (model-count.ts) at several cache sizes, each in one pass per Newton step
 * instead of a bisection: T_C solves g(T) = Σ_i (1 − e^{−p_i T}) − K = 0 with
 * g′(T) = Σ_i p_i e^{−p_i T}. g is increasing and concave with g(K) ≤ 0 (1 − e^{−x} ≤ x), so
 * Newton's iterates from T = K, or from the root for a smaller K, stay below the root and rise
 * to it. Then the hit rate is Σ_i p_i (1 − e^{−p_i T_C}); 1 when K ≥ the number of items, 0 when
 * K ≤ 0. Agrees with `cheHitRate` to 1e−9 (tests).
 */
export function cheHitRates(
  probabilities: Float64Array,
  capacities: readonly number[],
): Float64Array {
  const n = probabilities.length;
  const out = new Float64Array(capacities.length);
  const order = capacities.map((k, index) => ({ k, index })).sort((a, b) => a.k - b.k);
  let t = 0;
  for (const { k, index } of order) {
    if (k <= 0) continue;
    if (k >= n) {
      out[index] = 1;
      continue;
    }
    t = Math.max(t, k);
    for (let iteration = 0; iteration < 200; iteration++) {
      let filled = 0;
      let slope = 0;
      for (let i = 0; i < n; i++) {
        const p = probabilities[i] as number;
        const stay = Math.exp(-p * t);
        filled -= Math.expm1(-p * t);
        slope += p * stay;
      }
      const gap = k - filled;
      if (!(gap > 1e-12 * k) || !(slope > 0)) break;
      const step = gap / slope;
      t += step;
      if (step <= 1e-13 * t) break;
    }
    let hit = 0;
    for (let i = 0; i < n; i++) {
      const p = probabilities[i] as number;
      hit -= p * Math.expm1(-p * t);
    }
    out[index] = hit;
  }
  return out;
}

/**
 * The hit rate of an LRU cache of `capacity` models on a seeded request sequence, counted after
 * a warm-up: {@link SIMULATED_WARMUP_REQUESTS} + {@link SIMULATED_REQUESTS} customers are drawn
 * (model-count.ts `sampleCustomers`), and since LRU runs the warm-up the same way as a prefix,
 * hits counted = hits(whole sequence) − hits(warm-up alone).
 */
export function warmLruHitRate(probabilities: Float64Array, capacity: number, rng: Rng): number {
  const total = SIMULATED_WARMUP_REQUESTS + SIMULATED_REQUESTS;
  const requests = sampleCustomers(probabilities, total, rng);
  const n = probabilities.length;
  const all = simulateLru(requests, n, capacity).hits;
  const warm = simulateLru(requests.subarray(0, SIMULATED_WARMUP_REQUESTS), n, capacity).hits;
  return (all - warm) / SIMULATED_REQUESTS;
}

/** Cache sizes of the curve: 1, 2, 3, 5 in each decade below the number of customers, then it. */
export function curveCapacities(customers: number): number[] {
  const sizes: number[] = [];
  for (let decade = 1; decade < customers; decade *= 10) {
    for (const m of [1, 2, 3, 5]) if (m * decade < customers) sizes.push(m * decade);
  }
  sizes.push(customers);
  return sizes;
}

/** One approach's numbers, as the sandbox shows them. */
export interface ApproachView {
  /** Which approach. */
  approach: ModelCountApproach;
  /** Memory one replica holds (for shards: the runtime and the largest shard's models), GB. */
  memoryPerReplicaGb: number;
  /** Whether that fits the replica's memory. */
  fits: boolean;
  /** Groups of replicas that each hold a share of the models (1 unless sharded). */
  shards: number;
  /** Replicas needed. */
  replicas: number;
  /** Share of requests whose model is already in memory. */
  hitRate: number;
  /** Models loaded on demand per day. */
  coldLoadsPerDay: number;
  /** Mean latency the loads add, ms. */
  addedMeanLatencyMs: number;
  /** p95 of the latency the loads add, ms. */
  addedP95LatencyMs: number;
  /** p99 of the latency the loads add, ms. */
  addedP99LatencyMs: number;
  /** Replicas × price × 24, USD. */
  costUsdPerDay: number;
}

/** Everything the sandbox shows for a set of settings. */
export interface ModelCountLabView {
  /** The settings. */
  settings: ModelCountLabSettings;
  /** The per-customer model. */
  model: ServedModel;
  /** The replica type. */
  replica: ReplicaType;
  /** Memory shared by the models on a replica, GB. */
  runtimeGb: number;
  /** Time to load one model on a miss, ms. */
  modelLoadMs: number;
  /** Replicas the traffic needs for computing alone. */
  computeReplicas: number;
  /** The largest cache that fits a replica, at most one model per customer. */
  cacheModelsThatFit: number;
  /** The three approaches, in {@link MODEL_COUNT_APPROACHES} order. */
  approaches: readonly ApproachView[];
  /** The chosen approach's numbers. */
  chosen: ApproachView;
  /** The seeded simulation's hit rate for the cache (null when it holds every model). */
  simulatedHitRate: number | null;
  /** Che's hit rate against the cache size (sizes from {@link curveCapacities}). */
  curve: { cacheModels: number[]; hitRate: number[] };
}

/** The engine's report turned into what the sandbox shows for one approach. */
function viewOf(
  approach: ModelCountApproach,
  report: ModelStrategyReport,
  settings: ModelCountLabSettings,
  model: ServedModel,
  replica: ReplicaType,
): ApproachView {
  let memory = report.memoryPerReplicaGb;
  let fits = report.fitsOneReplica;
  if (approach === 'lru-cache')
    // Counted in models, not by adding gigabytes, so that a cache filling the room exactly fits.
    fits = Math.min(settings.cacheModels, settings.customers) <= modelsThatFit(model, replica);
  if (approach === 'all-in-memory' && !report.fitsOneReplica) {
    // Shard j holds the customers of rank i ≡ j (mod S): at most ⌈N / S⌉ models.
    memory = runtimeGb(model) + Math.ceil(settings.customers / report.shards) * model.weightsGb;
    fits = Number.isFinite(report.shards) && memory <= replica.memoryGb + 1e-9;
  }
  return {
    approach,
    memoryPerReplicaGb: memory,
    fits,
    shards: report.shards,
    replicas: report.replicas,
    hitRate: report.hitRate,
    coldLoadsPerDay: report.coldLoadsPerDay,
    addedMeanLatencyMs: report.addedMeanLatencyMs,
    addedP95LatencyMs: report.addedP95LatencyMs,
    addedP99LatencyMs: report.addedP99LatencyMs,
    costUsdPerDay: report.costUsdPerDay,
  };
}

/**
 * The lab for validated settings: the engine's `compareModelStrategies` on the settings (module
 * comment for the assumptions), each approach as the sandbox shows it, Che's curve at
 * {@link curveCapacities} and the seeded warm simulation of the cache ({@link warmLruHitRate},
 * from `createRng(seed)`). Deterministic in the settings.
 */
export function modelCountLab(settings: ModelCountLabSettings): ModelCountLabView {
  const model = SERVED_MODELS[settings.model];
  const replica = REPLICA_TYPES[settings.replica];
  if (!servesOnReplica(model, replica))
    throw new RangeError(
      `${model.name} needs ${model.memoryGb} GB; a ${replica.name} replica has ${replica.memoryGb} GB`,
    );
  const loadMs = modelLoadMs(model, replica);
  const computeReplicas = computeReplicasFor(model, replica, settings.requestsPerDay);
  const reports = compareModelStrategies(
    {
      customers: settings.customers,
      zipfExponent: settings.zipfExponent,
      requestsPerDay: settings.requestsPerDay,
      modelWeightsGb: model.weightsGb,
      runtimeGb: runtimeGb(model),
      replicaMemoryGb: replica.memoryGb,
      replicaCostUsdPerHour: replica.costUsdPerHour,
      computeReplicas,
      cacheModels: settings.cacheModels,
      modelLoadMs: loadMs,
      simulatedRequests: 0,
    },
    createRng(settings.seed),
  );
  const approaches = MODEL_COUNT_APPROACHES.map((approach) => {
    const report = reports.find((r) => r.strategy === STRATEGY_OF[approach]);
    if (!report) throw new Error(`no report for ${approach}`);
    return viewOf(approach, report, settings, model, replica);
  });
  const probabilities = zipfProbabilities(settings.customers, settings.zipfExponent);
  const capacity = Math.min(settings.cacheModels, settings.customers);
  const simulatedHitRate =
    capacity < settings.customers
      ? warmLruHitRate(probabilities, capacity, createRng(settings.seed))
      : null;
  const cacheModels = curveCapacities(settings.customers);
  const hitRate = Array.from(cheHitRates(probabilities, cacheModels));
  return {
    settings,
    model,
    replica,
    runtimeGb: runtimeGb(model),
    modelLoadMs: loadMs,
    computeReplicas,
    cacheModelsThatFit: Math.min(modelsThatFit(model, replica), settings.customers),
    approaches,
    chosen: approaches[MODEL_COUNT_APPROACHES.indexOf(settings.approach)] as ApproachView,
    simulatedHitRate,
    curve: { cacheModels, hitRate },
  };
}
