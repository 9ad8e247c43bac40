/**
 * The scalability lab (lesson 7): from the sandbox's settings — a shared workload and two
 * serving configurations, A and B — to the engine's inputs, and a day of each configuration in
 * either mode, reported in the same shape (report.ts).
 *
 * A workload is the day's traffic (traffic.ts: requests per day, day of the week, an optional
 * spike, seeded noise), the candidate items each request scores, and the SLO on each minute's
 * p99. A configuration is a fleet (a fixed number of replicas, or the Kubernetes HPA between
 * min and max on a target utilisation, with its tolerance and scale-down stabilisation window;
 * the scale-up and scale-down rate policies are Kubernetes' defaults, hpa.ts), a replica type
 * and a model (models.ts), and whether a request's items go through the model as one batch.
 *
 * From models.ts (course assumptions, not benchmarks):
 * - service time of one request, ms: batched, fixed + perItem·k (one call for its k items);
 *   not batched, k·(fixed + perItem) (one call per item);
 * - a replica's throughput = 1000 / service time (one request at a time);
 * - cold start = boot + model memory ÷ load bandwidth: the start-up delay of new replicas;
 * - the model fits when its memory ≤ the replica's; price per replica-hour.
 *
 * A model that does not fit cannot serve: its replicas are paid for but never become ready
 * (they fail on loading, again and again). Such a day serves nothing: every request is dropped,
 * every minute with traffic breaches the SLO, and the fleet stays at its size (a fixed fleet) or
 * at minReplicas (the HPA has no metric from replicas that are not ready, so it keeps its count).
 *
 * The analytic mode runs analytic-day.ts (Erlang C per tick, fluid backlog when overloaded). The
 * request-level mode draws arrivals by thinning, one hour at a time with an independent stream
 * per hour (a Poisson process has independent increments, so the day is the same process) and
 * simulates every request (request-sim.ts) with exponential service times, so that it answers
 * the same question as the analytic mode; both configurations see the same arrivals and the
 * same service-time factors (common random numbers). An optional queue limit (request-level
 * only) drops requests that find it full; the analytic mode has no queue limit and drops nothing.
 */

import { createRng } from '../random';
import { analyticDay, type AnalyticCapacity } from './analytic-day';
import { defaultHpaConfig, DEFAULT_SCALE_DOWN, type HpaConfig } from './hpa';
import {
  batchServiceTimeMs,
  coldStartS,
  fitsInMemory,
  REPLICA_TYPES,
  SERVED_MODELS,
  type ReplicaTypeId,
  type ServedModelId,
} from './models';
import { reportFromAnalyticDay, reportFromRequestSim, type DayReport } from './report';
import { simulateRequests, type CapacityPlan } from './request-sim';
import {
  defaultTrafficProfile,
  generateArrivalTimes,
  MINUTES_PER_DAY,
  ratesPerMinute,
  SECONDS_PER_DAY,
  type ArrivalTimes,
  type TrafficProfile,
} from './traffic';

/** Days of the week, Monday first (day 0 of the traffic timeline is a Monday). */
export const LAB_DAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
/** One day of the week. */
export type LabDay = (typeof LAB_DAYS)[number];

/** Ramp up and down of the lab's spike, seconds (ten minutes, as in the chapter scenario). */
export const LAB_SPIKE_RAMP_S = 600;

/** The shared workload of both configurations. */
export interface LabWorkload {
  /** Mean requests per day over a week, spikes excluded (10 000 – 10 000 000). */
  requestsPerDay: number;
  /** Which day of the week is simulated. */
  day: LabDay;
  /** Whether the day has a spike. */
  spike: 'on' | 'off';
  /** Traffic multiplier at the spike's full strength. */
  spikeMultiplier: number;
  /** Hour of the day at which the spike's ramp up starts (0–24, fractions allowed). */
  spikeStartHour: number;
  /** Minutes from the start of the ramp up to the start of the ramp down. */
  spikeDurationMinutes: number;
  /** Candidate items each request scores. */
  itemsPerRequest: number;
  /** SLO on each minute's p99 response time, ms. */
  sloP99Ms: number;
  /** Per-minute noise: σ of the log of the noise factor, in percent. */
  noisePercent: number;
  /** Seed of the noise, the arrivals and the service times. */
  seed: number;
}

/** One serving configuration. */
export interface LabConfig {
  /** A fixed fleet or the HPA. */
  fleet: 'fixed' | 'hpa';
  /** Size of the fixed fleet. */
  replicas: number;
  /** The HPA's lower bound. */
  minReplicas: number;
  /** The HPA's upper bound. */
  maxReplicas: number;
  /** The HPA's target utilisation, percent. */
  targetUtilisationPercent: number;
  /** The HPA's tolerance, percent (no scaling while |ratio − 1| ≤ tolerance). */
  tolerancePercent: number;
  /** The HPA's scale-down stabilisation window, seconds. */
  scaleDownWindowS: number;
  /** The machine each replica runs on. */
  replicaType: ReplicaTypeId;
  /** The model served. */
  model: ServedModelId;
  /** Whether a request's items go through the model as one batch. */
  batching: 'on' | 'off';
}

/** What a configuration's hardware and model make of one request (before any queueing). */
export interface LabService {
  /** Service time of one request on one replica, ms. */
  serviceTimeMs: number;
  /** Requests per second one busy replica completes: 1000 / serviceTimeMs. */
  replicaThroughputPerS: number;
  /** Whether the model fits the replica's memory. */
  fitsMemory: boolean;
  /** Memory the model needs, GB. */
  modelMemoryGb: number;
  /** Memory of the replica, GB. */
  replicaMemoryGb: number;
  /** Seconds from a scale-up decision until a new replica serves. */
  coldStartS: number;
  /** Price, USD per replica-hour. */
  costUsdPerReplicaHour: number;
  /** Whether the replica is a GPU (its replica-hours are GPU-hours). */
  gpu: boolean;
}

/** A configuration's day: the report and the service it came from. */
export interface LabDayResult {
  /** The day's report (DayReport of report.ts). */
  report: DayReport;
  /** The service numbers. */
  service: LabService;
  /** The replicas the day started with. */
  initialReplicas: number;
}

/** The traffic profile of a workload (traffic.ts's defaults for the daily and weekly shape). */
export function labTrafficProfile(workload: LabWorkload): TrafficProfile {
  const dayIndex = labDayIndex(workload.day);
  return defaultTrafficProfile(workload.requestsPerDay, {
    noiseSigma: workload.noisePercent / 100,
    noiseSeed: workload.seed,
    spikes:
      workload.spike === 'on'
        ? [
            {
              name: 'spike',
              startS: dayIndex * SECONDS_PER_DAY + workload.spikeStartHour * 3600,
              durationS: workload.spikeDurationMinutes * 60,
              multiplier: workload.spikeMultiplier,
              rampS: LAB_SPIKE_RAMP_S,
            },
          ]
        : [],
  });
}

/** Index of a day of the week, Monday = 0. */
export function labDayIndex(day: LabDay): number {
  return LAB_DAYS.indexOf(day);
}

/** The mean arrival rate of each minute of the workload's day, requests per second. */
export function labRatesPerMinute(workload: LabWorkload): Float64Array {
  return ratesPerMinute(labTrafficProfile(workload), labDayIndex(workload.day));
}

/** Service time, throughput, memory fit, cold start and price of a configuration (module comment). */
export function labService(config: LabConfig, workload: LabWorkload): LabService {
  const model = SERVED_MODELS[config.model];
  const replica = REPLICA_TYPES[config.replicaType];
  const items = workload.itemsPerRequest;
  const serviceTimeMs =
    config.batching === 'on'
      ? batchServiceTimeMs(model, replica, items)
      : items * batchServiceTimeMs(model, replica, 1);
  return {
    serviceTimeMs,
    replicaThroughputPerS: 1000 / serviceTimeMs,
    fitsMemory: fitsInMemory(model, replica),
    modelMemoryGb: model.memoryGb,
    replicaMemoryGb: replica.memoryGb,
    coldStartS: coldStartS(model, replica),
    costUsdPerReplicaHour: replica.costUsdPerHour,
    gpu: replica.hardware === 'gpu',
  };
}

/** The HPA config of a configuration: Kubernetes' defaults with its bounds, target, tolerance and window. */
export function labHpaConfig(config: LabConfig): HpaConfig {
  return defaultHpaConfig(
    config.minReplicas,
    config.maxReplicas,
    config.targetUtilisationPercent / 100,
    {
      tolerance: config.tolerancePercent / 100,
      scaleDown: { ...DEFAULT_SCALE_DOWN, stabilizationWindowS: config.scaleDownWindowS },
    },
  );
}

/**
 * The replicas a configuration starts the day with: the fixed fleet, or for the HPA the count it
 * would have settled on at midnight, ⌈λ₀ · service time / target⌉ clamped to [min, max] (λ₀ the
 * first minute's rate).
 */
export function labInitialReplicas(
  config: LabConfig,
  service: LabService,
  firstRatePerS: number,
): number {
  if (config.fleet === 'fixed') return config.replicas;
  const wanted = Math.ceil(
    (firstRatePerS * service.serviceTimeMs) / 1000 / (config.targetUtilisationPercent / 100),
  );
  return Math.min(config.maxReplicas, Math.max(config.minReplicas, wanted));
}

/** The analytic day's capacity of a configuration. */
export function labAnalyticCapacity(config: LabConfig, initialReplicas: number): AnalyticCapacity {
  return config.fleet === 'fixed'
    ? { kind: 'fixed', replicas: config.replicas }
    : {
        kind: 'autoscaler',
        hpa: labHpaConfig(config),
        initialReplicas,
        metric: 'utilisation',
      };
}

/** The request-level simulation's capacity plan of a configuration. */
export function labCapacityPlan(config: LabConfig, initialReplicas: number): CapacityPlan {
  return config.fleet === 'fixed'
    ? { kind: 'fixed', replicas: config.replicas }
    : {
        kind: 'autoscaler',
        hpa: labHpaConfig(config),
        initialReplicas,
        metric: 'utilisation',
      };
}

/**
 * The day of a model that does not fit its replicas (module comment): the fleet (or minReplicas
 * of the HPA) paid all day, nothing served, every request dropped, latency undefined (∞), every
 * minute with traffic in breach.
 */
export function labUnservedReport(
  config: LabConfig,
  service: LabService,
  workload: LabWorkload,
  arrivalsPerMinute: ArrayLike<number>,
  mode: DayReport['mode'],
  label: string,
): DayReport {
  const replicas = config.fleet === 'fixed' ? config.replicas : config.minReplicas;
  const m = arrivalsPerMinute.length;
  const traffic = new Float64Array(m);
  const dropped = new Int32Array(m);
  const breach = new Uint8Array(m);
  let requests = 0;
  let breaches = 0;
  for (let k = 0; k < m; k++) {
    const count = Number(arrivalsPerMinute[k]);
    traffic[k] = count / 60;
    dropped[k] = Math.round(count);
    breach[k] = count > 0 ? 1 : 0;
    breaches += breach[k] as number;
    requests += count;
  }
  const replicaHours = (replicas * m * 60) / 3600;
  const cost = replicaHours * service.costUsdPerReplicaHour;
  return {
    label,
    mode,
    requests,
    served: 0,
    dropped: requests,
    meanWaitMs: Infinity,
    p50Ms: Infinity,
    p95Ms: Infinity,
    p99Ms: Infinity,
    sloP99Ms: workload.sloP99Ms,
    sloBreachMinutes: breaches,
    replicaHours,
    peakReplicas: replicas,
    paidUtilisation: replicas > 0 ? 0 : NaN,
    costUsdPerDay: cost,
    costUsdPer1000Predictions: NaN,
    perMinute: {
      trafficPerS: traffic,
      capacityPerS: new Float64Array(m),
      readyReplicas: new Float64Array(m),
      provisionedReplicas: new Float64Array(m).fill(replicas),
      p50Ms: new Float64Array(m).fill(Infinity),
      p95Ms: new Float64Array(m).fill(Infinity),
      p99Ms: new Float64Array(m).fill(Infinity),
      sloBreach: breach,
      dropped,
    },
  };
}

/** A configuration's analytic day over the given per-minute rates (module comment). */
export function labAnalyticDay(
  config: LabConfig,
  workload: LabWorkload,
  rates: Float64Array,
  label: string,
): LabDayResult {
  const service = labService(config, workload);
  const initialReplicas = labInitialReplicas(config, service, rates[0] ?? 0);
  if (!service.fitsMemory) {
    const expected = Array.from(rates, (r) => r * 60);
    return {
      report: labUnservedReport(config, service, workload, expected, 'analytic', label),
      service,
      initialReplicas,
    };
  }
  const day = analyticDay({
    ratesPerMinute: rates,
    serviceTimeMeanS: service.serviceTimeMs / 1000,
    startupDelayS: service.coldStartS,
    capacity: labAnalyticCapacity(config, initialReplicas),
    sloP99Ms: workload.sloP99Ms,
  });
  return {
    report: reportFromAnalyticDay(day, {
      label,
      replicaThroughputPerS: service.replicaThroughputPerS,
      costUsdPerReplicaHour: service.costUsdPerReplicaHour,
      sloP99Ms: workload.sloP99Ms,
    }),
    service,
    initialReplicas,
  };
}

/**
 * The arrivals of the workload's day for the request-level mode, drawn one hour at a time
 * (hour h from `createRng(`${seed}/arrivals/${h}`)`), with `onHour(h + 1)` after each hour so a
 * caller can show progress. Sorted times in seconds from the Monday of the timeline.
 */
export function labArrivals(
  workload: LabWorkload,
  onHour: (hoursDone: number) => void = () => {},
): ArrivalTimes {
  const profile = labTrafficProfile(workload);
  const dayStartS = labDayIndex(workload.day) * SECONDS_PER_DAY;
  const hours: ArrivalTimes[] = [];
  let total = 0;
  for (let h = 0; h < 24; h++) {
    const part = generateArrivalTimes(
      profile,
      createRng(`${workload.seed}/arrivals/${h}`),
      dayStartS + h * 3600,
      dayStartS + (h + 1) * 3600,
    );
    hours.push(part);
    total += part.count;
    onHour(h + 1);
  }
  const timesS = new Float64Array(total);
  let offset = 0;
  for (const part of hours) {
    timesS.set(part.timesS.subarray(0, part.count), offset);
    offset += part.count;
  }
  return { timesS, count: total };
}

/**
 * A configuration's request-level day over the given arrivals (from {@link labArrivals}):
 * exponential service, the configuration's capacity and cold start, the queue limit
 * (Infinity = none), service-time factors from `createRng(`${seed}/service`)`.
 */
export function labRequestLevelDay(
  config: LabConfig,
  workload: LabWorkload,
  arrivals: ArrivalTimes,
  queueLimit: number,
  label: string,
): LabDayResult {
  const service = labService(config, workload);
  const dayStartS = labDayIndex(workload.day) * SECONDS_PER_DAY;
  const firstMinuteRate = countBetween(arrivals, dayStartS, dayStartS + 60) / 60;
  const initialReplicas = labInitialReplicas(config, service, firstMinuteRate);
  if (!service.fitsMemory) {
    const perMinute = new Int32Array(MINUTES_PER_DAY);
    for (let i = 0; i < arrivals.count; i++) {
      const m = Math.floor(((arrivals.timesS[i] as number) - dayStartS) / 60);
      if (m >= 0 && m < MINUTES_PER_DAY) perMinute[m] = (perMinute[m] as number) + 1;
    }
    return {
      report: labUnservedReport(config, service, workload, perMinute, 'request-level', label),
      service,
      initialReplicas,
    };
  }
  const result = simulateRequests(
    {
      arrivals,
      service: {
        fixedS: service.serviceTimeMs / 1000,
        perItemS: 0,
        maxBatch: 1,
        distribution: 'exponential',
        cv: 1,
      },
      capacity: labCapacityPlan(config, initialReplicas),
      startupDelayS: service.coldStartS,
      queueLimit,
      startS: dayStartS,
      endS: dayStartS + SECONDS_PER_DAY,
      sloP99Ms: workload.sloP99Ms,
    },
    createRng(`${workload.seed}/service`),
  );
  return {
    report: reportFromRequestSim(result, {
      label,
      replicaThroughputPerS: service.replicaThroughputPerS,
      costUsdPerReplicaHour: service.costUsdPerReplicaHour,
      sloP99Ms: workload.sloP99Ms,
    }),
    service,
    initialReplicas,
  };
}

/** Number of sorted arrival times in [fromS, toS). */
function countBetween(arrivals: ArrivalTimes, fromS: number, toS: number): number {
  let count = 0;
  for (let i = 0; i < arrivals.count; i++) {
    const t = arrivals.timesS[i] as number;
    if (t >= toS) break;
    if (t >= fromS) count++;
  }
  return count;
}
