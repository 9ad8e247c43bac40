/**
 * What a simulated day adds up to, in the same shape for both modes (analytic-day.ts and
 * request-sim.ts), and a side-by-side comparison of two configurations.
 *
 * - traffic vs capacity per minute: arrivals per second against ready replicas × one replica's
 *   throughput;
 * - p50/p95/p99 response time over the day and per minute;
 * - SLO breaches: minutes whose p99 exceeds the SLO;
 * - dropped requests;
 * - replica-hours (GPU-hours on GPU replicas) = provisioned replica-seconds / 3 600, counting
 *   replicas while they start up, since they are paid for then;
 * - cost per day = replica-hours × price per replica-hour, and per 1 000 predictions =
 *   cost / served × 1 000.
 */

import type { AnalyticDayResult } from './analytic-day';
import type { RequestSimResult } from './request-sim';

/** How to price and judge a day. */
export interface ReportOptions {
  /** Name shown for the configuration. */
  label: string;
  /** Requests per second one ready replica can complete (1 / mean service time without batching). */
  replicaThroughputPerS: number;
  /** Price, USD per replica-hour. */
  costUsdPerReplicaHour: number;
  /** SLO on each minute's p99, ms. */
  sloP99Ms: number;
}

/** A day's summary (both modes). */
export interface DayReport {
  /** The configuration's name. */
  label: string;
  /** Which engine produced it. */
  mode: 'analytic' | 'request-level';
  /** Requests that arrived (expected count in the analytic mode). */
  requests: number;
  /** Requests answered. */
  served: number;
  /** Requests dropped at a full queue. */
  dropped: number;
  /** Mean wait in queue, ms. */
  meanWaitMs: number;
  /** Median response time, ms. */
  p50Ms: number;
  /** 95th-percentile response time, ms. */
  p95Ms: number;
  /** 99th-percentile response time, ms. */
  p99Ms: number;
  /** The SLO on per-minute p99, ms. */
  sloP99Ms: number;
  /** Minutes with p99 above the SLO. */
  sloBreachMinutes: number;
  /** Replica-hours paid for (GPU-hours for GPU replicas). */
  replicaHours: number;
  /** Most replicas provisioned at once. */
  peakReplicas: number;
  /** Busy ÷ provisioned replica-seconds: how much of what was paid for did work. */
  paidUtilisation: number;
  /** Cost of the day, USD. */
  costUsdPerDay: number;
  /** Cost per 1 000 predictions served, USD. */
  costUsdPer1000Predictions: number;
  /** Per-minute series for charts. */
  perMinute: {
    /** Arrival rate, requests per second. */
    trafficPerS: Float64Array;
    /** Ready replicas × replica throughput, requests per second. */
    capacityPerS: Float64Array;
    /** Time-averaged ready replicas. */
    readyReplicas: Float64Array;
    /** Time-averaged provisioned replicas. */
    provisionedReplicas: Float64Array;
    /** p50, ms. */
    p50Ms: Float64Array;
    /** p95, ms. */
    p95Ms: Float64Array;
    /** p99, ms. */
    p99Ms: Float64Array;
    /** 1 where p99 > SLO. */
    sloBreach: Uint8Array;
    /** Dropped requests. */
    dropped: Int32Array;
  };
}

/** The report of a request-level run. */
export function reportFromRequestSim(result: RequestSimResult, options: ReportOptions): DayReport {
  const m = result.minutes;
  const per = result.perMinute;
  const traffic = new Float64Array(m);
  const capacity = new Float64Array(m);
  const breach = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    traffic[k] = (per.arrivals[k] as number) / 60;
    capacity[k] = (per.readyReplicas[k] as number) * options.replicaThroughputPerS;
    breach[k] = (per.p99Ms[k] as number) > options.sloP99Ms ? 1 : 0;
  }
  return finish(options, 'request-level', {
    requests: result.arrived,
    served: result.responded,
    dropped: result.dropped,
    meanWaitMs: result.meanWaitMs,
    p50Ms: result.p50Ms,
    p95Ms: result.p95Ms,
    p99Ms: result.p99Ms,
    provisionedReplicaSeconds: result.provisionedReplicaSeconds,
    busyReplicaSeconds: result.busyReplicaSeconds,
    peakReplicas: result.peakProvisionedReplicas,
    perMinute: {
      trafficPerS: traffic,
      capacityPerS: capacity,
      readyReplicas: per.readyReplicas,
      provisionedReplicas: per.provisionedReplicas,
      p50Ms: per.p50Ms,
      p95Ms: per.p95Ms,
      p99Ms: per.p99Ms,
      sloBreach: breach,
      dropped: per.dropped,
    },
  });
}

/** The report of an analytic day (served = expected requests; nothing is dropped). */
export function reportFromAnalyticDay(
  result: AnalyticDayResult,
  options: ReportOptions,
): DayReport {
  const m = result.minutes;
  const per = result.perMinute;
  const capacity = new Float64Array(m);
  const breach = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    capacity[k] = (per.readyReplicas[k] as number) * options.replicaThroughputPerS;
    breach[k] = (per.p99Ms[k] as number) > options.sloP99Ms ? 1 : 0;
  }
  return finish(options, 'analytic', {
    requests: result.expectedRequests,
    served: result.expectedRequests,
    dropped: 0,
    meanWaitMs: result.meanWaitMs,
    p50Ms: result.p50Ms,
    p95Ms: result.p95Ms,
    p99Ms: result.p99Ms,
    provisionedReplicaSeconds: result.provisionedReplicaSeconds,
    busyReplicaSeconds: result.busyReplicaSeconds,
    peakReplicas: result.peakProvisionedReplicas,
    perMinute: {
      trafficPerS: per.arrivalRatePerS,
      capacityPerS: capacity,
      readyReplicas: per.readyReplicas,
      provisionedReplicas: per.provisionedReplicas,
      p50Ms: per.p50Ms,
      p95Ms: per.p95Ms,
      p99Ms: per.p99Ms,
      sloBreach: breach,
      dropped: new Int32Array(m),
    },
  });
}

/** Which way is better for a compared number. */
export type Better = 'lower' | 'higher';

/** One row of a side-by-side comparison. */
export interface ComparisonRow {
  /** Field of DayReport. */
  key: keyof DayReport;
  /** Plain label with unit. */
  label: string;
  /** Value for the first configuration. */
  a: number;
  /** Value for the second. */
  b: number;
  /** b − a. */
  difference: number;
  /** b / a (NaN when a is 0). */
  ratio: number;
  /** Which configuration does better on this row, or 'same'. */
  winner: 'a' | 'b' | 'same';
}

const COMPARED: readonly { key: keyof DayReport; label: string; better: Better }[] = [
  { key: 'p50Ms', label: 'p50 response time (ms)', better: 'lower' },
  { key: 'p95Ms', label: 'p95 response time (ms)', better: 'lower' },
  { key: 'p99Ms', label: 'p99 response time (ms)', better: 'lower' },
  { key: 'sloBreachMinutes', label: 'minutes breaching the SLO', better: 'lower' },
  { key: 'dropped', label: 'dropped requests', better: 'lower' },
  { key: 'replicaHours', label: 'replica-hours', better: 'lower' },
  { key: 'peakReplicas', label: 'peak replicas', better: 'lower' },
  { key: 'paidUtilisation', label: 'share of paid time doing work', better: 'higher' },
  { key: 'costUsdPerDay', label: 'cost per day (USD)', better: 'lower' },
  { key: 'costUsdPer1000Predictions', label: 'cost per 1,000 predictions (USD)', better: 'lower' },
];

/**
 * Two configurations side by side: for each headline number, both values, b − a, b / a and
 * which one is better (lower latency, breaches, drops, replica-hours and cost; higher paid
 * utilisation). Values within 1e−9 relative count as the same.
 */
export function compareReports(a: DayReport, b: DayReport): ComparisonRow[] {
  return COMPARED.map(({ key, label, better }) => {
    const va = a[key] as number;
    const vb = b[key] as number;
    const same = va === vb || Math.abs(va - vb) <= 1e-9 * Math.max(Math.abs(va), Math.abs(vb));
    const bWins = better === 'lower' ? vb < va : vb > va;
    return {
      key,
      label,
      a: va,
      b: vb,
      difference: vb - va,
      ratio: va !== 0 ? vb / va : NaN,
      winner: same ? 'same' : bWins ? 'b' : 'a',
    };
  });
}

function finish(
  options: ReportOptions,
  mode: DayReport['mode'],
  day: {
    requests: number;
    served: number;
    dropped: number;
    meanWaitMs: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
    provisionedReplicaSeconds: number;
    busyReplicaSeconds: number;
    peakReplicas: number;
    perMinute: DayReport['perMinute'];
  },
): DayReport {
  const replicaHours = day.provisionedReplicaSeconds / 3600;
  const cost = replicaHours * options.costUsdPerReplicaHour;
  let breaches = 0;
  for (let k = 0; k < day.perMinute.sloBreach.length; k++)
    breaches += day.perMinute.sloBreach[k] as number;
  return {
    label: options.label,
    mode,
    requests: day.requests,
    served: day.served,
    dropped: day.dropped,
    meanWaitMs: day.meanWaitMs,
    p50Ms: day.p50Ms,
    p95Ms: day.p95Ms,
    p99Ms: day.p99Ms,
    sloP99Ms: options.sloP99Ms,
    sloBreachMinutes: breaches,
    replicaHours,
    peakReplicas: day.peakReplicas,
    paidUtilisation:
      day.provisionedReplicaSeconds > 0
        ? day.busyReplicaSeconds / day.provisionedReplicaSeconds
        : NaN,
    costUsdPerDay: cost,
    costUsdPer1000Predictions: day.served > 0 ? (cost / day.served) * 1000 : NaN,
    perMinute: day.perMinute,
  };
}
