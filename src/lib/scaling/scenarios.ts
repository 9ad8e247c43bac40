/**
 * Ready-made scenarios for the scalability lab, built only from the engine's parts.
 *
 * The chapter's autoscaling case: at peak the system needs about 100 GPUs, most of the time
 * about 10, and keeping 100 up all day is costly. Here that becomes (course assumptions):
 * - traffic: 6.5 million requests on a Monday with the default daily curve and 5% noise, plus a
 *   one-hour product launch at 19:00 that multiplies traffic by 7.5 (ten-minute ramps) — about
 *   9.7 million requests in the day, inside the chapter's 1–10 million;
 * - each request ranks 180 candidate items with the 100-million-parameter network on one GPU,
 *   as a batch: 6 ms + 0.5 ms × 180 = 96 ms of GPU time (models.ts), exponential;
 * - SLO: p99 response time ≤ 500 ms in every minute;
 * - GPU replicas at $1 per hour that take 76 s to start (60 s boot + 16 GB at 1 GB/s).
 * Then the smallest fleet meeting the SLO is about 10 GPUs at the median minute and about 100 at
 * the launch's peak (pinned in the tests). Three ways to run it: a fixed fleet of 100 (never
 * breaches, pays for 2 400 GPU-hours), a fixed fleet of 10 (cheap, breaches all evening and
 * drowns in the launch), and the Kubernetes HPA (default behaviour) on 60% utilisation between
 * 4 and 100 replicas, which costs about a sixth of the big fleet and breaches the SLO for a few
 * minutes while new replicas start — at dawn and as the launch ramps up.
 */

import { analyticDay, type AnalyticCapacity } from './analytic-day';
import { defaultHpaConfig } from './hpa';
import { batchServiceTimeMs, coldStartS, REPLICA_TYPES, SERVED_MODELS } from './models';
import {
  compareReports,
  reportFromAnalyticDay,
  type ComparisonRow,
  type DayReport,
} from './report';
import { defaultTrafficProfile, ratesPerMinute, type TrafficProfile } from './traffic';

/** A scenario: traffic, service, SLO, price and the capacity plans to compare. */
export interface FleetScenario {
  /** Name. */
  name: string;
  /** Traffic profile. */
  traffic: TrafficProfile;
  /** Which day of the profile (0 = Monday). */
  dayIndex: number;
  /** Mean service time per request on one replica, seconds. */
  serviceTimeMeanS: number;
  /** Seconds until a new replica serves. */
  startupDelayS: number;
  /** SLO on each minute's p99, ms. */
  sloP99Ms: number;
  /** Price per replica-hour, USD. */
  costUsdPerReplicaHour: number;
  /** The plans compared, by label. */
  plans: readonly { label: string; capacity: AnalyticCapacity }[];
}

const GPU = REPLICA_TYPES.gpu;
const NETWORK = SERVED_MODELS['network-100m'];

/** Candidate items each request ranks in the chapter scenario. */
export const CHAPTER_CANDIDATES_PER_REQUEST = 180;

/** The chapter's 10 ↔ 100 GPU case (module comment). */
export const CHAPTER_PEAK_SCENARIO: FleetScenario = {
  name: 'Launch evening: about 10 GPUs most of the day, about 100 at the peak',
  traffic: defaultTrafficProfile(6_500_000, {
    noiseSeed: 7,
    spikes: [
      { name: 'product launch', startS: 19 * 3600, durationS: 3600, multiplier: 7.5, rampS: 600 },
    ],
  }),
  dayIndex: 0,
  serviceTimeMeanS: batchServiceTimeMs(NETWORK, GPU, CHAPTER_CANDIDATES_PER_REQUEST) / 1000,
  startupDelayS: coldStartS(NETWORK, GPU),
  sloP99Ms: 500,
  costUsdPerReplicaHour: GPU.costUsdPerHour,
  plans: [
    { label: 'Fixed fleet of 100 GPUs', capacity: { kind: 'fixed', replicas: 100 } },
    { label: 'Fixed fleet of 10 GPUs', capacity: { kind: 'fixed', replicas: 10 } },
    {
      label: 'Autoscaler (HPA, 4–100 GPUs, 60% utilisation)',
      capacity: {
        kind: 'autoscaler',
        hpa: defaultHpaConfig(4, 100, 0.6),
        initialReplicas: 10,
        metric: 'utilisation',
      },
    },
  ],
};

/**
 * Runs every plan of a scenario through the analytic day and returns their reports (in plan
 * order) and the comparison of each plan against the first.
 */
export function runScenarioAnalytic(scenario: FleetScenario): {
  reports: DayReport[];
  comparisons: ComparisonRow[][];
} {
  const rates = ratesPerMinute(scenario.traffic, scenario.dayIndex);
  const reports = scenario.plans.map((plan) =>
    reportFromAnalyticDay(
      analyticDay({
        ratesPerMinute: rates,
        serviceTimeMeanS: scenario.serviceTimeMeanS,
        startupDelayS: scenario.startupDelayS,
        capacity: plan.capacity,
        sloP99Ms: scenario.sloP99Ms,
      }),
      {
        label: plan.label,
        replicaThroughputPerS: 1 / scenario.serviceTimeMeanS,
        costUsdPerReplicaHour: scenario.costUsdPerReplicaHour,
        sloP99Ms: scenario.sloP99Ms,
      },
    ),
  );
  const first = reports[0] as DayReport;
  return { reports, comparisons: reports.map((r) => compareReports(first, r)) };
}
