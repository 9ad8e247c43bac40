/**
 * The models the lab serves and the replicas it serves them on: memory, service time per request
 * and per batch, cold-start time, price. Every number here is a COURSE ASSUMPTION, chosen to be
 * of the right order for the hardware class and stated with its reasoning, not a benchmark of a
 * particular product. The two ends come from the chapter: last year a logistic regression that
 * fitted a 1 GB free-tier instance, this year a 100-million-parameter network that needs 16 GB
 * to generate predictions.
 *
 * Service time of a batch of k requests on one replica (the usual linear batching model, e.g.
 * the latency-vs-batch curves of NVIDIA's Triton and TensorFlow Serving guides):
 *   time(k) = fixedMs + perItemMs · k
 * fixed = per-call work that batching shares (framework dispatch, kernel launches, streaming the
 * weights through the memory hierarchy once); perItem = the arithmetic of one example.
 * Throughput of one replica at batch k is k / time(k); batching helps most where fixed ≫ perItem
 * (GPUs).
 *
 * Cold start of a replica = boot (machine/container start, image pull) + memoryGb ÷ load
 * bandwidth (reading the model and its runtime state into memory).
 */

import type { ServiceTimeSpec } from './request-sim';

/** Where a replica runs the model. */
export type Hardware = 'cpu' | 'gpu';

/** The linear batch-time model of one model on one kind of hardware. */
export interface BatchTiming {
  /** Time per batch shared by its requests, ms. */
  fixedMs: number;
  /** Extra time per request in the batch, ms. */
  perItemMs: number;
}

/** The catalogue's model ids, smallest first. */
export const SERVED_MODEL_IDS = [
  'logistic-regression',
  'boosted-trees',
  'mlp-10m',
  'network-100m',
] as const;
/** One model id. */
export type ServedModelId = (typeof SERVED_MODEL_IDS)[number];

/** A model in the catalogue. */
export interface ServedModel {
  /** Catalogue id. */
  id: ServedModelId;
  /** Name for menus. */
  name: string;
  /** Number of learned parameters. */
  parameters: number;
  /** Memory one serving copy needs (weights, runtime, buffers, feature caches), GB. */
  memoryGb: number;
  /** Of which the model's own weights (what a per-customer copy adds), GB. */
  weightsGb: number;
  /** Batch timing on a CPU replica. */
  cpu: BatchTiming;
  /** Batch timing on a GPU replica. */
  gpu: BatchTiming;
  /** Coefficient of variation of the service time (for the log-normal option). */
  serviceCv: number;
  /** Why these numbers, in plain words. */
  assumption: string;
}

/** The catalogue (course assumptions; see each `assumption`). */
export const SERVED_MODELS: Readonly<Record<ServedModelId, ServedModel>> = {
  'logistic-regression': {
    id: 'logistic-regression',
    name: 'Logistic regression',
    parameters: 1_000,
    memoryGb: 1,
    weightsGb: 0.000_01,
    cpu: { fixedMs: 1.5, perItemMs: 0.02 },
    gpu: { fixedMs: 1.0, perItemMs: 0.005 },
    serviceCv: 0.5,
    assumption:
      'The chapter’s starting point: it fits a 1 GB free-tier instance (the 1 GB is the whole ' +
      'serving process; the thousand weights take 8 kB). A prediction is a dot product, so the ' +
      'time is almost all per-call overhead: parsing, feature assembly, framework dispatch.',
  },
  'boosted-trees': {
    id: 'boosted-trees',
    name: 'Gradient-boosted trees',
    parameters: 200_000,
    memoryGb: 2,
    weightsGb: 0.01,
    cpu: { fixedMs: 1.5, perItemMs: 0.5 },
    gpu: { fixedMs: 1.2, perItemMs: 0.05 },
    serviceCv: 0.5,
    assumption:
      'About 500 trees of depth 8 (some 200 000 nodes, 10 MB). Walking 500 trees costs a few ' +
      'hundred microseconds per example on one core; GPUs help only with big batches.',
  },
  'mlp-10m': {
    id: 'mlp-10m',
    name: '10-million-parameter network',
    parameters: 10_000_000,
    memoryGb: 4,
    weightsGb: 0.04,
    cpu: { fixedMs: 3, perItemMs: 4 },
    gpu: { fixedMs: 2, perItemMs: 0.1 },
    serviceCv: 0.6,
    assumption:
      '10 M float32 weights are 40 MB; one example is about 20 MFLOP (2 per weight), some 4 ms ' +
      'on a core at ~5 GFLOP/s effective. On a GPU the arithmetic is negligible and the per-call ' +
      'overhead (launches, host-device copies) dominates.',
  },
  'network-100m': {
    id: 'network-100m',
    name: '100-million-parameter network',
    parameters: 100_000_000,
    memoryGb: 16,
    weightsGb: 0.4,
    cpu: { fixedMs: 10, perItemMs: 40 },
    gpu: { fixedMs: 6, perItemMs: 0.5 },
    serviceCv: 0.6,
    assumption:
      'The chapter’s second model, which needs 16 GB of RAM to serve (the 400 MB of float32 ' +
      'weights plus runtime, activations and feature caches). One example is about 0.2 GFLOP: ' +
      '~40 ms on a CPU core, under a millisecond of arithmetic on a GPU, where ~6 ms per call ' +
      'goes to launches and copies — so batching pays off.',
  },
};

/** The catalogue's replica type ids. */
export const REPLICA_TYPE_IDS = ['cpu-small', 'cpu-large', 'gpu'] as const;
/** One replica type id. */
export type ReplicaTypeId = (typeof REPLICA_TYPE_IDS)[number];

/** A kind of machine a replica runs on. */
export interface ReplicaType {
  /** Catalogue id. */
  id: ReplicaTypeId;
  /** Name for menus. */
  name: string;
  /** CPU or GPU timing applies. */
  hardware: Hardware;
  /** Memory available to the model (GPU memory for a GPU replica), GB. */
  memoryGb: number;
  /** On-demand price, USD per replica-hour. */
  costUsdPerHour: number;
  /** Machine/container start before the model loads, seconds. */
  bootS: number;
  /** Speed of loading the model into memory, GB per second. */
  loadBandwidthGbPerS: number;
  /** Why these numbers. */
  assumption: string;
}

/** Replica types (course assumptions: round numbers of the order of cloud on-demand prices). */
export const REPLICA_TYPES: Readonly<Record<ReplicaTypeId, ReplicaType>> = {
  'cpu-small': {
    id: 'cpu-small',
    name: 'Small CPU (2 vCPU, 4 GB)',
    hardware: 'cpu',
    memoryGb: 4,
    costUsdPerHour: 0.1,
    bootS: 30,
    loadBandwidthGbPerS: 0.2,
    assumption: 'A small general-purpose instance; models load from object storage at ~200 MB/s.',
  },
  'cpu-large': {
    id: 'cpu-large',
    name: 'Large CPU (8 vCPU, 32 GB)',
    hardware: 'cpu',
    memoryGb: 32,
    costUsdPerHour: 0.4,
    bootS: 40,
    loadBandwidthGbPerS: 0.5,
    assumption:
      'Four times the small one in memory and price. It serves one request at a time like the ' +
      'small one (the model runs single-threaded per request), so it buys memory, not speed.',
  },
  gpu: {
    id: 'gpu',
    name: 'GPU (one 24 GB accelerator)',
    hardware: 'gpu',
    memoryGb: 24,
    costUsdPerHour: 1,
    bootS: 60,
    loadBandwidthGbPerS: 1,
    assumption:
      'One mid-range datacentre GPU with 24 GB of memory at $1 per hour; GPU nodes take longer ' +
      'to start (driver, larger images).',
  },
};

/** Timing of a model on a replica type's hardware. */
export function batchTiming(model: ServedModel, replica: ReplicaType): BatchTiming {
  return replica.hardware === 'gpu' ? model.gpu : model.cpu;
}

/** Service time of one batch of `batchSize` requests: fixedMs + perItemMs · k, ms. */
export function batchServiceTimeMs(
  model: ServedModel,
  replica: ReplicaType,
  batchSize: number,
): number {
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new RangeError('batchSize must be an integer ≥ 1');
  const timing = batchTiming(model, replica);
  return timing.fixedMs + timing.perItemMs * batchSize;
}

/** Service time of a single request (a batch of one), ms. */
export function serviceTimeMs(model: ServedModel, replica: ReplicaType): number {
  return batchServiceTimeMs(model, replica, 1);
}

/** Requests per second one replica completes when always busy with batches of k: 1000·k / time(k). */
export function replicaThroughputPerS(
  model: ServedModel,
  replica: ReplicaType,
  batchSize = 1,
): number {
  return (1000 * batchSize) / batchServiceTimeMs(model, replica, batchSize);
}

/** Whether one serving copy of the model fits the replica's memory (memoryGb ≤ replica's). */
export function fitsInMemory(model: ServedModel, replica: ReplicaType): boolean {
  return model.memoryGb <= replica.memoryGb;
}

/** Cold start of a new replica: bootS + memoryGb / loadBandwidthGbPerS, seconds. */
export function coldStartS(model: ServedModel, replica: ReplicaType): number {
  return replica.bootS + model.memoryGb / replica.loadBandwidthGbPerS;
}

/**
 * The request-level simulation's service spec for a model on a replica type: fixed and per-item
 * times in seconds, the batch limit, and the service-time distribution (exponential, or
 * log-normal with the model's coefficient of variation).
 */
export function serviceSpecFor(
  model: ServedModel,
  replica: ReplicaType,
  options: { maxBatch?: number; distribution?: ServiceTimeSpec['distribution'] } = {},
): ServiceTimeSpec {
  const timing = batchTiming(model, replica);
  return {
    fixedS: timing.fixedMs / 1000,
    perItemS: timing.perItemMs / 1000,
    maxBatch: options.maxBatch ?? 1,
    distribution: options.distribution ?? 'exponential',
    cv: model.serviceCv,
  };
}
