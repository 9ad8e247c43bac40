/**
 * Growing in model count: one model for everyone, or one model per customer (the chapter's
 * startup ran 8 000 models for 8 000 enterprise customers), kept either all in every replica's
 * memory or in a per-replica LRU cache of K models loaded on demand.
 *
 * Customer popularity is Zipf with exponent s: the customer of rank i (1-based) sends a share
 * p_i = i^{−s} / Σ_j j^{−s} of the requests, independently request by request (the "independent
 * reference model", IRM).
 *
 * LRU hit rate under IRM, three ways:
 * - simulated on a seeded request sequence (exact for that sequence);
 * - Che's approximation (H. Che, Y. Tung and Z. Wang, "Hierarchical Web caching systems:
 *   modeling, design and experimental results", IEEE JSAC 20(7), 2002; its accuracy explained by
 *   C. Fricker, P. Robert and J. Roberts, "A versatile and accurate approximation for LRU cache
 *   performance", ITC 24, 2012): find the characteristic time T_C with Σ_i (1 − e^{−p_i T_C}) = K;
 *   then item i is in the cache with probability 1 − e^{−p_i T_C} and the hit rate is
 *   Σ_i p_i (1 − e^{−p_i T_C});
 * - exactly, for small catalogues, by W. F. King's formula ("Analysis of demand paging
 *   algorithms", IFIP Congress 1971): the cache holds the K most recently requested distinct
 *   items, and the probability that they are (i₁, …, i_K) from most recent back is
 *   Π_j p_{i_j} / (1 − Σ_{l<j} p_{i_l}); the hit rate is the sum over those ordered K-tuples of
 *   that probability times Σ_j p_{i_j}.
 * LRU is a stack algorithm (R. L. Mattson et al., "Evaluation techniques for storage
 * hierarchies", IBM Systems Journal 9(2), 1970): a cache of K + 1 always holds what a cache of
 * K holds, so a bigger cache never has fewer hits on the same sequence.
 */

import type { Rng } from '../random';
import { UniformStream } from './uniform-stream';

/** The label of the rng fork that customer ids are drawn from. */
export const CUSTOMERS_STREAM = 'scaling/customers';

/** Zipf probabilities p_i ∝ i^{−s} for ranks i = 1 … customers, as an array indexed from 0. */
export function zipfProbabilities(customers: number, exponent: number): Float64Array {
  if (!(Number.isInteger(customers) && customers >= 1))
    throw new RangeError('customers must be an integer ≥ 1');
  if (!(exponent >= 0)) throw new RangeError('the Zipf exponent must be ≥ 0');
  const p = new Float64Array(customers);
  let total = 0;
  for (let i = 0; i < customers; i++) {
    const w = Math.pow(i + 1, -exponent);
    p[i] = w;
    total += w;
  }
  for (let i = 0; i < customers; i++) p[i] = (p[i] as number) / total;
  return p;
}

/**
 * `count` customer indices (0 = most popular) drawn independently from the given probabilities,
 * by inversion: binary search of a uniform in the cumulative distribution. Uniforms come from
 * `rng.fork(CUSTOMERS_STREAM)`.
 */
export function sampleCustomers(probabilities: Float64Array, count: number, rng: Rng): Int32Array {
  const n = probabilities.length;
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += probabilities[i] as number;
    cdf[i] = acc;
  }
  const uniforms = new UniformStream(rng, CUSTOMERS_STREAM);
  const out = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const u = uniforms.next() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    out[r] = lo;
  }
  return out;
}

/** Hits and misses of an LRU cache over a request sequence. */
export interface LruOutcome {
  /** Requests whose model was in the cache. */
  hits: number;
  /** Requests that had to load their model (cold loads), the first ones included. */
  misses: number;
  /** hits / requests. */
  hitRate: number;
}

/**
 * Runs an LRU cache holding at most `capacity` of `catalogueSize` items over the sequence
 * (item ids 0 … catalogueSize − 1): a hit moves the item to the front, a miss inserts it at the
 * front and evicts the least recently used item when full. O(1) per request with a doubly
 * linked list in typed arrays. The cache starts empty (cold).
 */
export function simulateLru(
  requests: Int32Array,
  catalogueSize: number,
  capacity: number,
): LruOutcome {
  if (!(Number.isInteger(capacity) && capacity >= 0))
    throw new RangeError('capacity must be an integer ≥ 0');
  const total = requests.length;
  if (capacity === 0) return { hits: 0, misses: total, hitRate: 0 };
  const prev = new Int32Array(catalogueSize).fill(-1);
  const next = new Int32Array(catalogueSize).fill(-1);
  const cached = new Uint8Array(catalogueSize);
  let head = -1;
  let tail = -1;
  let size = 0;
  let hits = 0;
  for (let r = 0; r < total; r++) {
    const item = requests[r] as number;
    if (cached[item] === 1) {
      hits++;
      if (item === head) continue;
      // Unlink, then push to the front.
      const p = prev[item] as number;
      const nx = next[item] as number;
      next[p] = nx;
      if (nx >= 0) prev[nx] = p;
      else tail = p;
    } else {
      if (size === capacity) {
        const victim = tail;
        cached[victim] = 0;
        tail = prev[victim] as number;
        if (tail >= 0) next[tail] = -1;
        else head = -1;
        size--;
      }
      cached[item] = 1;
      size++;
    }
    prev[item] = -1;
    next[item] = head;
    if (head >= 0) prev[head] = item;
    head = item;
    if (tail < 0) tail = item;
  }
  return { hits, misses: total - hits, hitRate: total > 0 ? hits / total : NaN };
}

/**
 * Che's characteristic time T_C: the root of Σ_i (1 − e^{−p_i T}) = K (the expected number of
 * distinct items requested within T equals the cache size), by bisection to 1e−12 relative.
 * Infinity when K ≥ number of items.
 */
export function cheCharacteristicTime(probabilities: Float64Array, capacity: number): number {
  const n = probabilities.length;
  if (capacity >= n) return Infinity;
  if (capacity <= 0) return 0;
  const filled = (t: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum -= Math.expm1(-(probabilities[i] as number) * t);
    return sum;
  };
  let lo = 0;
  let hi = capacity;
  while (filled(hi) < capacity) hi *= 2;
  for (let k = 0; k < 200 && hi - lo > 1e-12 * hi; k++) {
    const mid = 0.5 * (lo + hi);
    if (filled(mid) < capacity) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Che's approximation of the LRU hit rate: Σ_i p_i (1 − e^{−p_i T_C}). */
export function cheHitRate(probabilities: Float64Array, capacity: number): number {
  if (capacity <= 0) return 0;
  const tc = cheCharacteristicTime(probabilities, capacity);
  if (tc === Infinity) return 1;
  let hit = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    hit -= p * Math.expm1(-p * tc);
  }
  return hit;
}

/**
 * The exact stationary LRU hit rate under IRM by King's formula (module comment): a sum over
 * all ordered K-tuples of distinct items, so only for small catalogues (at most 10 items).
 * Worked by hand in the tests for p = (0.5, 0.3, 0.2), K = 2: 0.719 285 7…
 */
export function lruHitRateExact(probabilities: ArrayLike<number>, capacity: number): number {
  const n = probabilities.length;
  if (n > 10) throw new RangeError('the exact formula is for at most 10 items');
  if (capacity <= 0) return 0;
  if (capacity >= n) return 1;
  const used = new Uint8Array(n);
  const visit = (depth: number, prob: number, massBefore: number): number => {
    if (depth === capacity) return prob * massBefore;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (used[i] === 1) continue;
      const p = probabilities[i] as number;
      used[i] = 1;
      sum += visit(depth + 1, (prob * p) / (1 - massBefore), massBefore + p);
      used[i] = 0;
    }
    return sum;
  };
  return visit(0, 1, 0);
}

/** The three ways of serving per-customer needs. */
export type ModelStrategy = 'one-shared-model' | 'all-models-in-memory' | 'lru-cache';

/** Input of {@link compareModelStrategies}. Units in the names; all are course parameters. */
export interface ModelCountInput {
  /** Number of customers, each with its own model in the per-customer strategies (1 – 8 000). */
  customers: number;
  /** Zipf exponent s of customer popularity (0 = uniform; ~0.8–1.2 is typical of web traffic). */
  zipfExponent: number;
  /** Prediction requests per day, all customers together. */
  requestsPerDay: number;
  /** Memory of one model's weights, GB. */
  modelWeightsGb: number;
  /** Memory of the serving runtime, shared by the models on a replica, GB. */
  runtimeGb: number;
  /** Memory a replica offers, GB. */
  replicaMemoryGb: number;
  /** Price of a replica, USD per hour. */
  replicaCostUsdPerHour: number;
  /** Replicas the traffic needs for computing alone (e.g. from the queueing model). */
  computeReplicas: number;
  /** Models an LRU replica keeps (K). */
  cacheModels: number;
  /** Time to load one model on a miss, ms (deserialise + weights ÷ bandwidth). */
  modelLoadMs: number;
  /** Requests in the seeded LRU simulation (0 = Che's approximation only). */
  simulatedRequests: number;
}

/** One strategy's numbers. */
export interface ModelStrategyReport {
  /** Which strategy. */
  strategy: ModelStrategy;
  /** Memory one replica needs for its models and runtime, GB. */
  memoryPerReplicaGb: number;
  /** Whether that fits a replica (else the models are split across shards of replicas). */
  fitsOneReplica: boolean;
  /** Shards the models are split into (1 when they fit). */
  shards: number;
  /** Replicas needed: compute, shard minimums, and model loading together. */
  replicas: number;
  /** Share of requests served from memory (Che's approximation for the LRU cache). */
  hitRate: number;
  /** The seeded simulation's hit rate (NaN when not simulated or not applicable). */
  hitRateSimulated: number;
  /** Models loaded on demand per day. */
  coldLoadsPerDay: number;
  /** Mean latency added by loads, ms. */
  addedMeanLatencyMs: number;
  /** p95 of the added latency, ms: the load time when more than 5% of requests miss, else 0. */
  addedP95LatencyMs: number;
  /** p99 of the added latency, ms: the load time when more than 1% of requests miss, else 0. */
  addedP99LatencyMs: number;
  /** Cost of the fleet per day, USD. */
  costUsdPerDay: number;
}

/** Throws a RangeError for impossible inputs. */
export function validateModelCountInput(input: ModelCountInput): void {
  if (!(Number.isInteger(input.customers) && input.customers >= 1 && input.customers <= 100_000))
    throw new RangeError('customers must be an integer in [1, 100 000]');
  if (!(input.zipfExponent >= 0 && input.zipfExponent <= 3))
    throw new RangeError('zipfExponent must lie in [0, 3]');
  if (!(input.requestsPerDay >= 0)) throw new RangeError('requestsPerDay must be ≥ 0');
  if (!(input.modelWeightsGb > 0 && input.runtimeGb >= 0 && input.replicaMemoryGb > 0))
    throw new RangeError('memory sizes must be positive');
  if (!(input.replicaCostUsdPerHour >= 0)) throw new RangeError('cost must be ≥ 0');
  if (!(Number.isInteger(input.computeReplicas) && input.computeReplicas >= 1))
    throw new RangeError('computeReplicas must be an integer ≥ 1');
  if (!(Number.isInteger(input.cacheModels) && input.cacheModels >= 1))
    throw new RangeError('cacheModels must be an integer ≥ 1');
  if (!(input.modelLoadMs >= 0)) throw new RangeError('modelLoadMs must be ≥ 0');
  if (!(Number.isInteger(input.simulatedRequests) && input.simulatedRequests >= 0))
    throw new RangeError('simulatedRequests must be an integer ≥ 0');
}

/**
 * The three strategies side by side:
 * - one shared model: runtime + one model per replica, computeReplicas replicas, no loads;
 * - all per-customer models in memory: runtime + N models per replica; when that does not fit,
 *   the customers are split over S = ⌈N·w / (replica memory − runtime)⌉ shards (customers dealt
 *   by popularity rank i to shard i mod S), and shard j needs max(1, ⌈R·share_j⌉) replicas;
 * - an LRU cache of K models per replica (requests spread evenly over replicas, so each sees the
 *   same Zipf mix): hit rate h by Che's approximation (and the seeded simulation when asked),
 *   cold loads = requests·(1 − h), each adding the load time to its request and occupying a
 *   replica for it, which adds ⌈loads·loadTime / 86 400 s⌉ replicas. The added latency is L with
 *   probability 1 − h and 0 otherwise, so its q-quantile is L when 1 − h > 1 − q, else 0.
 * Cost per day = replicas × price × 24. `rng` seeds the simulated sequence.
 */
export function compareModelStrategies(input: ModelCountInput, rng: Rng): ModelStrategyReport[] {
  validateModelCountInput(input);
  const n = input.customers;
  const w = input.modelWeightsGb;
  const perDayCost = input.replicaCostUsdPerHour * 24;
  const R = input.computeReplicas;
  const loadMs = input.modelLoadMs;

  const shared = input.runtimeGb + w;
  const oneModel: ModelStrategyReport = {
    strategy: 'one-shared-model',
    memoryPerReplicaGb: shared,
    fitsOneReplica: shared <= input.replicaMemoryGb,
    shards: 1,
    replicas: R,
    hitRate: 1,
    hitRateSimulated: NaN,
    coldLoadsPerDay: 0,
    addedMeanLatencyMs: 0,
    addedP95LatencyMs: 0,
    addedP99LatencyMs: 0,
    costUsdPerDay: R * perDayCost,
  };

  const probabilities = zipfProbabilities(n, input.zipfExponent);
  const allMemory = input.runtimeGb + n * w;
  const room = input.replicaMemoryGb - input.runtimeGb;
  const fitsAll = allMemory <= input.replicaMemoryGb;
  const shards = fitsAll ? 1 : room >= w ? Math.ceil((n * w) / room) : Infinity;
  let allReplicas = R;
  if (!fitsAll && Number.isFinite(shards)) {
    const share = new Float64Array(shards);
    for (let i = 0; i < n; i++)
      share[i % shards] = (share[i % shards] as number) + (probabilities[i] as number);
    allReplicas = 0;
    for (let j = 0; j < shards; j++)
      allReplicas += Math.max(1, Math.ceil(R * (share[j] as number) - 1e-9));
  } else if (!Number.isFinite(shards)) allReplicas = Infinity;
  const allModels: ModelStrategyReport = {
    strategy: 'all-models-in-memory',
    memoryPerReplicaGb: allMemory,
    fitsOneReplica: fitsAll,
    shards,
    replicas: allReplicas,
    hitRate: 1,
    hitRateSimulated: NaN,
    coldLoadsPerDay: 0,
    addedMeanLatencyMs: 0,
    addedP95LatencyMs: 0,
    addedP99LatencyMs: 0,
    costUsdPerDay: allReplicas * perDayCost,
  };

  const k = Math.min(input.cacheModels, n);
  const cacheMemory = input.runtimeGb + k * w;
  const hit = cheHitRate(probabilities, k);
  let simulated = NaN;
  if (input.simulatedRequests > 0) {
    const requests = sampleCustomers(probabilities, input.simulatedRequests, rng);
    simulated = simulateLru(requests, n, k).hitRate;
  }
  const miss = Math.max(0, 1 - hit);
  const coldLoads = input.requestsPerDay * miss;
  const loadReplicas = Math.ceil((coldLoads * loadMs) / 1000 / 86_400 - 1e-9);
  const lruReplicas = R + Math.max(0, loadReplicas);
  const lru: ModelStrategyReport = {
    strategy: 'lru-cache',
    memoryPerReplicaGb: cacheMemory,
    fitsOneReplica: cacheMemory <= input.replicaMemoryGb,
    shards: 1,
    replicas: lruReplicas,
    hitRate: hit,
    hitRateSimulated: simulated,
    coldLoadsPerDay: coldLoads,
    addedMeanLatencyMs: miss * loadMs,
    addedP95LatencyMs: miss > 0.05 ? loadMs : 0,
    addedP99LatencyMs: miss > 0.01 ? loadMs : 0,
    costUsdPerDay: lruReplicas * perDayCost,
  };
  return [oneModel, allModels, lru];
}
