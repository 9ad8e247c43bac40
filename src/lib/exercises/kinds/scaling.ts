/**
 * The scalability lab (lesson 7) as exercises see it. Its inputs are flat: the shared workload
 * (`requestsPerDay`, `day`, `spike`, `spikeMultiplier`, `spikeStartHour`, `spikeDurationMinutes`,
 * `itemsPerRequest`, `sloP99Ms`, `noisePercent`, `seed`) and two configurations, each under the
 * prefix `a` or `b` (`aFleet`, `aReplicas`, `aMinReplicas`, `aMaxReplicas`,
 * `aTargetUtilisationPercent`, `aTolerancePercent`, `aScaleDownWindowS`, `aReplicaType`,
 * `aModel`, `aBatching`, and the same with `b`). See src/lib/scaling/lab.ts for what they mean.
 *
 * The state is the ANALYTIC day of each configuration (analytic-day.ts: a few ms), so it is
 * deterministic and fast everywhere; the sandbox's request-level mode is shown beside it but
 * never graded. For each configuration `<a|b>`:
 * - `.costUsdPerDay`, `.replicaHours`, `.gpuHours` (GPU replicas only, else 0): cents;
 * - `.costPerThousandPredictionsUsd`: 4 decimals (null when nothing is served);
 * - `.sloBreachMinutes`, `.droppedRequests`, `.servedRequests`, `.peakReplicas`,
 *   `.initialReplicas`: whole numbers;
 * - `.latencyP50Ms`, `.latencyP95Ms`, `.latencyP99Ms` (over the day), `.worstMinuteP99Ms`
 *   (the worst minute's p99): 1 decimal, null when infinite (nothing served);
 * - `.paidUtilisation`: 3 decimals (null when nothing is paid for);
 * - `.fitsMemory` (boolean), `.serviceTimeMs`, `.replicaThroughputPerS` (2 decimals),
 *   `.coldStartS` (1 decimal);
 * then `traffic.requests` (expected requests in the day, whole), `traffic.peakPerS` and
 * `traffic.medianPerS` (the busiest and the median minute's rate, 1 decimal);
 * `compare.cheaper` ('a', 'b' or 'same', by cost per day), `compare.costRatioBToA` (3 decimals,
 * null when A costs nothing), `compare.fewerBreaches` ('a', 'b' or 'same');
 * and every input under `input.<name>`.
 */
import * as z from 'zod/mini';
import {
  LAB_DAYS,
  labAnalyticDay,
  labRatesPerMinute,
  type LabConfig,
  type LabDayResult,
  type LabWorkload,
} from '../../scaling/lab';
import { REPLICA_TYPE_IDS, SERVED_MODEL_IDS } from '../../scaling/models';
import { compareReports, type ComparisonRow } from '../../scaling/report';
import { MAX_REQUESTS_PER_DAY, MIN_REQUESTS_PER_DAY } from '../../scaling/traffic';
import type { FlatState } from '../receipt-schema';
import { parseWithSchema, type SandboxKind } from '../sandbox-kind';

/** The two configurations' input prefixes. */
export const SCALING_SIDES = ['a', 'b'] as const;
/** One side. */
export type ScalingSide = (typeof SCALING_SIDES)[number];

/** The fields of one configuration, without the side prefix (capitalised as in the inputs). */
export const SCALING_CONFIG_FIELDS = [
  'Fleet',
  'Replicas',
  'MinReplicas',
  'MaxReplicas',
  'TargetUtilisationPercent',
  'TolerancePercent',
  'ScaleDownWindowS',
  'ReplicaType',
  'Model',
  'Batching',
] as const;
/** One configuration field. */
export type ScalingConfigField = (typeof SCALING_CONFIG_FIELDS)[number];

/** Most replicas a fleet or an HPA may have in the lab. */
export const MAX_LAB_REPLICAS = 1000;

/** The scalability lab's flat inputs. */
export interface ScalingSandboxInputs extends Record<string, unknown> {
  requestsPerDay: number;
  day: LabWorkload['day'];
  spike: LabWorkload['spike'];
  spikeMultiplier: number;
  spikeStartHour: number;
  spikeDurationMinutes: number;
  itemsPerRequest: number;
  sloP99Ms: number;
  noisePercent: number;
  seed: number;
  aFleet: LabConfig['fleet'];
  aReplicas: number;
  aMinReplicas: number;
  aMaxReplicas: number;
  aTargetUtilisationPercent: number;
  aTolerancePercent: number;
  aScaleDownWindowS: number;
  aReplicaType: LabConfig['replicaType'];
  aModel: LabConfig['model'];
  aBatching: LabConfig['batching'];
  bFleet: LabConfig['fleet'];
  bReplicas: number;
  bMinReplicas: number;
  bMaxReplicas: number;
  bTargetUtilisationPercent: number;
  bTolerancePercent: number;
  bScaleDownWindowS: number;
  bReplicaType: LabConfig['replicaType'];
  bModel: LabConfig['model'];
  bBatching: LabConfig['batching'];
}

const finite = z.number().check(z.refine(Number.isFinite));
const whole = (min: number, max: number) =>
  z.number().check(z.int(), z.minimum(min), z.maximum(max));

const workloadShape = {
  requestsPerDay: whole(MIN_REQUESTS_PER_DAY, MAX_REQUESTS_PER_DAY),
  day: z.enum(LAB_DAYS),
  spike: z.enum(['off', 'on']),
  spikeMultiplier: finite.check(z.minimum(1), z.maximum(20)),
  spikeStartHour: finite.check(z.minimum(0), z.maximum(23.75)),
  spikeDurationMinutes: whole(1, 720),
  itemsPerRequest: whole(1, 1000),
  sloP99Ms: finite.check(z.minimum(10), z.maximum(60_000)),
  noisePercent: finite.check(z.minimum(0), z.maximum(50)),
  seed: whole(0, 2 ** 31 - 1),
};

const configShape = {
  Fleet: z.enum(['fixed', 'hpa']),
  Replicas: whole(1, MAX_LAB_REPLICAS),
  MinReplicas: whole(1, MAX_LAB_REPLICAS),
  MaxReplicas: whole(1, MAX_LAB_REPLICAS),
  TargetUtilisationPercent: finite.check(z.minimum(10), z.maximum(95)),
  TolerancePercent: finite.check(z.minimum(0), z.maximum(50)),
  ScaleDownWindowS: whole(0, 3600),
  ReplicaType: z.enum(REPLICA_TYPE_IDS),
  Model: z.enum(SERVED_MODEL_IDS),
  Batching: z.enum(['on', 'off']),
};

const shape = {
  ...workloadShape,
  ...Object.fromEntries(
    SCALING_SIDES.flatMap((side) =>
      SCALING_CONFIG_FIELDS.map((field) => [`${side}${field}`, configShape[field]]),
    ),
  ),
} as Record<keyof ScalingSandboxInputs, z.core.$ZodType>;

const configDescriptions: Record<ScalingConfigField, string> = {
  Fleet: 'How the replica count is set: fixed (a fixed fleet) or hpa (the Kubernetes autoscaler).',
  Replicas: `Replicas of the fixed fleet: a whole number from 1 to ${MAX_LAB_REPLICAS}.`,
  MinReplicas: `The autoscaler's fewest replicas: a whole number from 1 to ${MAX_LAB_REPLICAS}, at most its max.`,
  MaxReplicas: `The autoscaler's most replicas: a whole number from 1 to ${MAX_LAB_REPLICAS}, at least its min.`,
  TargetUtilisationPercent:
    'The utilisation the autoscaler aims for, in percent of the ready replicas’ time: from 10 to 95.',
  TolerancePercent:
    'The autoscaler does nothing while utilisation is within this many percent of its target (Kubernetes: 10): from 0 to 50.',
  ScaleDownWindowS:
    'Seconds the autoscaler waits before scaling down, taking the highest recommendation of that window (Kubernetes: 300): a whole number from 0 to 3600.',
  ReplicaType: `The machine each replica runs on: one of ${REPLICA_TYPE_IDS.join(', ')}.`,
  Model: `The model served: one of ${SERVED_MODEL_IDS.join(', ')}.`,
  Batching:
    "on: a request's items go through the model as one batch; off: one call per item. One of on, off.",
};

const descriptions: Record<string, string> = {
  requestsPerDay: `Mean prediction requests per day over a week, spikes excluded: a whole number from ${MIN_REQUESTS_PER_DAY} to ${MAX_REQUESTS_PER_DAY}.`,
  day: `The day of the week simulated: one of ${LAB_DAYS.join(', ')}.`,
  spike: 'Whether the day has a traffic spike (a launch, a campaign): on or off.',
  spikeMultiplier:
    'How many times the usual traffic the spike brings at full strength: from 1 to 20.',
  spikeStartHour:
    'Hour of the day at which the spike starts ramping up (ten-minute ramps): from 0 to 23.75.',
  spikeDurationMinutes:
    'Minutes from the start of the spike to the start of its ramp down: a whole number from 1 to 720.',
  itemsPerRequest:
    'Candidate items each request scores (a ranking request scores many): a whole number from 1 to 1000.',
  sloP99Ms:
    'The service-level objective: the p99 response time each minute must stay within, in ms: from 10 to 60000.',
  noisePercent: 'Random minute-to-minute wobble of the traffic, in percent: from 0 to 50.',
  seed: 'Seed of the traffic noise, the arrivals and the service times: a whole number from 0 to 2147483647.',
};
for (const side of SCALING_SIDES)
  for (const field of SCALING_CONFIG_FIELDS)
    descriptions[`${side}${field}`] =
      `Configuration ${side.toUpperCase()}: ${configDescriptions[field]}`;

/**
 * The lab's starting point, the chapter's case (scenarios.ts's CHAPTER_PEAK_SCENARIO): 6.5
 * million requests on a Monday with a 7.5× launch at 19:00 for an hour, 180 items per request
 * ranked by the 100-million-parameter network on GPUs, p99 ≤ 500 ms; A keeps 100 GPUs all day,
 * B lets the HPA move between 4 and 100 at 60% utilisation.
 */
export const SCALING_DEFAULTS: Readonly<ScalingSandboxInputs> = Object.freeze({
  requestsPerDay: 6_500_000,
  day: 'monday',
  spike: 'on',
  spikeMultiplier: 7.5,
  spikeStartHour: 19,
  spikeDurationMinutes: 60,
  itemsPerRequest: 180,
  sloP99Ms: 500,
  noisePercent: 5,
  seed: 7,
  aFleet: 'fixed',
  aReplicas: 100,
  aMinReplicas: 4,
  aMaxReplicas: 100,
  aTargetUtilisationPercent: 60,
  aTolerancePercent: 10,
  aScaleDownWindowS: 300,
  aReplicaType: 'gpu',
  aModel: 'network-100m',
  aBatching: 'on',
  bFleet: 'hpa',
  bReplicas: 10,
  bMinReplicas: 4,
  bMaxReplicas: 100,
  bTargetUtilisationPercent: 60,
  bTolerancePercent: 10,
  bScaleDownWindowS: 300,
  bReplicaType: 'gpu',
  bModel: 'network-100m',
  bBatching: 'on',
});

/** The shared workload of the inputs. */
export function workloadOf(inputs: ScalingSandboxInputs): LabWorkload {
  return {
    requestsPerDay: inputs.requestsPerDay,
    day: inputs.day,
    spike: inputs.spike,
    spikeMultiplier: inputs.spikeMultiplier,
    spikeStartHour: inputs.spikeStartHour,
    spikeDurationMinutes: inputs.spikeDurationMinutes,
    itemsPerRequest: inputs.itemsPerRequest,
    sloP99Ms: inputs.sloP99Ms,
    noisePercent: inputs.noisePercent,
    seed: inputs.seed,
  };
}

/** One side's configuration of the inputs. */
export function configOf(inputs: ScalingSandboxInputs, side: ScalingSide): LabConfig {
  const get = (field: ScalingConfigField) => inputs[`${side}${field}`];
  return {
    fleet: get('Fleet') as LabConfig['fleet'],
    replicas: get('Replicas') as number,
    minReplicas: get('MinReplicas') as number,
    maxReplicas: get('MaxReplicas') as number,
    targetUtilisationPercent: get('TargetUtilisationPercent') as number,
    tolerancePercent: get('TolerancePercent') as number,
    scaleDownWindowS: get('ScaleDownWindowS') as number,
    replicaType: get('ReplicaType') as LabConfig['replicaType'],
    model: get('Model') as LabConfig['model'],
    batching: get('Batching') as LabConfig['batching'],
  };
}

/** The plain name of a side, as the sandbox shows it. */
export function sideLabel(side: ScalingSide): string {
  return side === 'a' ? 'Configuration A' : 'Configuration B';
}

const PER_SIDE_PATHS = [
  'costUsdPerDay',
  'replicaHours',
  'gpuHours',
  'costPerThousandPredictionsUsd',
  'sloBreachMinutes',
  'droppedRequests',
  'servedRequests',
  'peakReplicas',
  'initialReplicas',
  'latencyP50Ms',
  'latencyP95Ms',
  'latencyP99Ms',
  'worstMinuteP99Ms',
  'paidUtilisation',
  'fitsMemory',
  'serviceTimeMs',
  'replicaThroughputPerS',
  'coldStartS',
] as const;

/** Every path of the state, sorted. */
export const SCALING_STATE_PATHS: readonly string[] = Object.freeze(
  [
    ...SCALING_SIDES.flatMap((side) => PER_SIDE_PATHS.map((p) => `${side}.${p}`)),
    'traffic.requests',
    'traffic.peakPerS',
    'traffic.medianPerS',
    'compare.cheaper',
    'compare.costRatioBToA',
    'compare.fewerBreaches',
    ...Object.keys(shape).map((key) => `input.${key}`),
  ].sort(),
);

/** Rounds to a number of decimals; null for ±∞ or NaN (an undefined number). */
export function roundOrNull(value: number, decimals: number): number | null {
  if (!Number.isFinite(value)) return null;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** The worst (largest) per-minute p99 of a day, over minutes with traffic, ms. */
export function worstMinuteP99Ms(day: LabDayResult): number {
  const { p99Ms, trafficPerS } = day.report.perMinute;
  let worst = -Infinity;
  for (let m = 0; m < p99Ms.length; m++) {
    if (!((trafficPerS[m] as number) > 0)) continue;
    // NaN: nothing in the minute got a response (all dropped), as bad as it gets.
    const v = Number.isNaN(p99Ms[m]) ? Infinity : (p99Ms[m] as number);
    if (v > worst) worst = v;
  }
  return worst;
}

function sideState(side: ScalingSide, day: LabDayResult, state: FlatState): void {
  const r = day.report;
  const s = day.service;
  state[`${side}.costUsdPerDay`] = roundOrNull(r.costUsdPerDay, 2);
  state[`${side}.replicaHours`] = roundOrNull(r.replicaHours, 2);
  state[`${side}.gpuHours`] = s.gpu ? roundOrNull(r.replicaHours, 2) : 0;
  state[`${side}.costPerThousandPredictionsUsd`] = roundOrNull(r.costUsdPer1000Predictions, 4);
  state[`${side}.sloBreachMinutes`] = r.sloBreachMinutes;
  state[`${side}.droppedRequests`] = Math.round(r.dropped);
  state[`${side}.servedRequests`] = Math.round(r.served);
  state[`${side}.peakReplicas`] = r.peakReplicas;
  state[`${side}.initialReplicas`] = day.initialReplicas;
  state[`${side}.latencyP50Ms`] = roundOrNull(r.p50Ms, 1);
  state[`${side}.latencyP95Ms`] = roundOrNull(r.p95Ms, 1);
  state[`${side}.latencyP99Ms`] = roundOrNull(r.p99Ms, 1);
  state[`${side}.worstMinuteP99Ms`] = roundOrNull(worstMinuteP99Ms(day), 1);
  state[`${side}.paidUtilisation`] = roundOrNull(r.paidUtilisation, 3);
  state[`${side}.fitsMemory`] = s.fitsMemory;
  state[`${side}.serviceTimeMs`] = roundOrNull(s.serviceTimeMs, 2);
  state[`${side}.replicaThroughputPerS`] = roundOrNull(s.replicaThroughputPerS, 2);
  state[`${side}.coldStartS`] = roundOrNull(s.coldStartS, 1);
}

/** Which side is lower on a number ('same' when equal to 1e−9 relative). */
function lower(a: number, b: number): 'a' | 'b' | 'same' {
  if (a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))) return 'same';
  return a < b ? 'a' : 'b';
}

/**
 * The flat state of two days (either mode) for these inputs: see the module header. `rates` is
 * the day's per-minute arrival rate (requests per second) for the traffic paths.
 */
export function scalingStateOfDays(
  inputs: ScalingSandboxInputs,
  a: LabDayResult,
  b: LabDayResult,
  rates: ArrayLike<number>,
): FlatState {
  const state: FlatState = {};
  sideState('a', a, state);
  sideState('b', b, state);
  let requests = 0;
  const sorted = Float64Array.from(rates).sort();
  for (let m = 0; m < sorted.length; m++) requests += (sorted[m] as number) * 60;
  state['traffic.requests'] = Math.round(requests);
  state['traffic.peakPerS'] = roundOrNull(sorted[sorted.length - 1] ?? 0, 1);
  state['traffic.medianPerS'] = roundOrNull(sorted[Math.floor(sorted.length / 2)] ?? 0, 1);
  state['compare.cheaper'] = lower(a.report.costUsdPerDay, b.report.costUsdPerDay);
  state['compare.costRatioBToA'] =
    a.report.costUsdPerDay > 0
      ? roundOrNull(b.report.costUsdPerDay / a.report.costUsdPerDay, 3)
      : null;
  state['compare.fewerBreaches'] = lower(a.report.sloBreachMinutes, b.report.sloBreachMinutes);
  for (const [key, value] of Object.entries(inputs))
    state[`input.${key}`] = value as number | string;
  return state;
}

/** What the sandbox's analytic mode shows: both days, their comparison and the state. */
export interface ScalingAnalyticView {
  /** Mean arrival rate of each minute, requests per second. */
  rates: Float64Array;
  /** Configuration A's day. */
  a: LabDayResult;
  /** Configuration B's day. */
  b: LabDayResult;
  /** compareReports(A, B). */
  comparison: ComparisonRow[];
  /** The exercise state (equal to scalingKind.stateOf(inputs)). */
  state: FlatState;
}

/** Both configurations' analytic days for these (validated) inputs. */
export function scalingAnalyticView(inputs: ScalingSandboxInputs): ScalingAnalyticView {
  const workload = workloadOf(inputs);
  const rates = labRatesPerMinute(workload);
  const a = labAnalyticDay(configOf(inputs, 'a'), workload, rates, sideLabel('a'));
  const b = labAnalyticDay(configOf(inputs, 'b'), workload, rates, sideLabel('b'));
  return {
    rates,
    a,
    b,
    comparison: compareReports(a.report, b.report),
    state: scalingStateOfDays(inputs, a, b, rates),
  };
}

/** The lab's exercise state for these (validated) inputs: the analytic days of A and B. */
export function scalingExerciseState(inputs: ScalingSandboxInputs): FlatState {
  return scalingAnalyticView(inputs).state;
}

/** The scalability lab (lesson 7) for the exercise framework. */
export const scalingKind: SandboxKind<ScalingSandboxInputs> = {
  id: 'scaling',
  actionPhrase: 'Set up configurations A and B in the scalability lab',
  inputsSchema: z.object(shape),
  inputDescriptions: descriptions,
  defaults: SCALING_DEFAULTS,
  paramInputs: [
    'requestsPerDay',
    'spikeMultiplier',
    'spikeStartHour',
    'spikeDurationMinutes',
    'itemsPerRequest',
    'sloP99Ms',
    'noisePercent',
    'seed',
  ],
  parseInputs(inputs) {
    const parsed = parseWithSchema<ScalingSandboxInputs>(scalingKind, inputs);
    for (const side of SCALING_SIDES) {
      const min = parsed[`${side}MinReplicas`] as number;
      const max = parsed[`${side}MaxReplicas`] as number;
      if (min > max)
        throw new RangeError(
          `scaling inputs: ${side}MinReplicas = ${min} is above ${side}MaxReplicas = ${max} — expected: the autoscaler's min at most its max.`,
        );
    }
    return parsed;
  },
  stateOf: scalingExerciseState,
  statePaths: SCALING_STATE_PATHS,
};
