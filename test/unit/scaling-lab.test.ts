/**
 * The scalability lab's mapping from settings to the engine (src/lib/scaling/lab.ts): service
 * times, memory fit and cold starts worked by hand from models.ts; the chapter's scenario
 * reproduced exactly; unserved days priced by hand; hourly arrivals; the two modes agreeing on a
 * stable day.
 */
import { describe, expect, it } from 'vitest';
import { analyticDay } from '@lib/scaling/analytic-day';
import {
  labAnalyticDay,
  labArrivals,
  labInitialReplicas,
  labRatesPerMinute,
  labRequestLevelDay,
  labService,
  labTrafficProfile,
  type LabConfig,
  type LabWorkload,
} from '@lib/scaling/lab';
import { reportFromAnalyticDay } from '@lib/scaling/report';
import { CHAPTER_PEAK_SCENARIO, runScenarioAnalytic } from '@lib/scaling/scenarios';
import { ratesPerMinute } from '@lib/scaling/traffic';

/** The chapter's launch day (scenarios.ts): 6.5 M on a Monday, 7.5× at 19:00 for an hour. */
const CHAPTER_DAY: LabWorkload = {
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
};

const GPU_FLEET: LabConfig = {
  fleet: 'fixed',
  replicas: 100,
  minReplicas: 4,
  maxReplicas: 100,
  targetUtilisationPercent: 60,
  tolerancePercent: 10,
  scaleDownWindowS: 300,
  replicaType: 'gpu',
  model: 'network-100m',
  batching: 'on',
};

describe('what one request costs on a configuration', () => {
  it('batches a request’s items into one call, or makes one call per item', () => {
    // models.ts: the network on a GPU takes 6 ms + 0.5 ms per item.
    const batched = labService(GPU_FLEET, CHAPTER_DAY);
    expect(batched.serviceTimeMs).toBeCloseTo(6 + 0.5 * 180, 12); // 96 ms
    expect(batched.replicaThroughputPerS).toBeCloseTo(1000 / 96, 12);
    const unbatched = labService({ ...GPU_FLEET, batching: 'off' }, CHAPTER_DAY);
    expect(unbatched.serviceTimeMs).toBeCloseTo(180 * 6.5, 9); // 1 170 ms
    // On a CPU the arithmetic dominates, so batching saves only the fixed 10 ms per item.
    const cpu = labService({ ...GPU_FLEET, replicaType: 'cpu-large' }, CHAPTER_DAY);
    expect(cpu.serviceTimeMs).toBeCloseTo(10 + 40 * 180, 9);
  });

  it('says whether the model fits, how long a replica takes to start and what it costs', () => {
    const gpu = labService(GPU_FLEET, CHAPTER_DAY);
    expect(gpu.fitsMemory).toBe(true); // 16 GB ≤ 24 GB
    expect(gpu.coldStartS).toBeCloseTo(60 + 16 / 1, 12); // boot + 16 GB at 1 GB/s
    expect(gpu.costUsdPerReplicaHour).toBe(1);
    expect(gpu.gpu).toBe(true);
    const small = labService({ ...GPU_FLEET, replicaType: 'cpu-small' }, CHAPTER_DAY);
    expect(small.fitsMemory).toBe(false); // 16 GB > 4 GB
    const large = labService({ ...GPU_FLEET, replicaType: 'cpu-large' }, CHAPTER_DAY);
    expect(large.fitsMemory).toBe(true); // 16 GB ≤ 32 GB
    expect(large.coldStartS).toBeCloseTo(40 + 16 / 0.5, 12); // 72 s
    const lr = labService(
      { ...GPU_FLEET, replicaType: 'cpu-small', model: 'logistic-regression' },
      CHAPTER_DAY,
    );
    expect(lr.fitsMemory).toBe(true); // the chapter's 1 GB model on a 4 GB machine
  });

  it('starts the autoscaler at the count it would have settled on at midnight', () => {
    const hpa: LabConfig = { ...GPU_FLEET, fleet: 'hpa', minReplicas: 2, maxReplicas: 30 };
    const service = labService(hpa, CHAPTER_DAY); // 96 ms
    // ⌈20/s × 0.096 s / 0.6⌉ = ⌈3.2⌉ = 4.
    expect(labInitialReplicas(hpa, service, 20)).toBe(4);
    expect(labInitialReplicas(hpa, service, 0)).toBe(2); // clamped to min
    expect(labInitialReplicas(hpa, service, 1000)).toBe(30); // clamped to max
    expect(labInitialReplicas(GPU_FLEET, service, 1000)).toBe(100); // a fixed fleet is fixed
  });
});

describe('the analytic day', () => {
  it('reproduces the chapter’s scenario: same traffic, same fixed-fleet report', () => {
    const rates = labRatesPerMinute(CHAPTER_DAY);
    const scenarioRates = ratesPerMinute(CHAPTER_PEAK_SCENARIO.traffic, 0);
    expect(Array.from(rates)).toEqual(Array.from(scenarioRates));
    const ours = labAnalyticDay(GPU_FLEET, CHAPTER_DAY, rates, 'A').report;
    const theirs = runScenarioAnalytic(CHAPTER_PEAK_SCENARIO).reports[0]!;
    for (const key of ['costUsdPerDay', 'replicaHours', 'p50Ms', 'p95Ms', 'p99Ms'] as const)
      expect(ours[key], key).toBeCloseTo(theirs[key], 9);
    expect(ours.sloBreachMinutes).toBe(theirs.sloBreachMinutes);
  });

  it('passes the HPA settings through: a longer scale-down window keeps replicas longer', () => {
    const rates = labRatesPerMinute(CHAPTER_DAY);
    const hpa: LabConfig = { ...GPU_FLEET, fleet: 'hpa' };
    const short = labAnalyticDay({ ...hpa, scaleDownWindowS: 0 }, CHAPTER_DAY, rates, 'B');
    const long = labAnalyticDay({ ...hpa, scaleDownWindowS: 1800 }, CHAPTER_DAY, rates, 'B');
    expect(long.report.replicaHours).toBeGreaterThan(short.report.replicaHours);
    // The same as calling the engine with Kubernetes' defaults but that window.
    const direct = reportFromAnalyticDay(
      analyticDay({
        ratesPerMinute: rates,
        serviceTimeMeanS: 0.096,
        startupDelayS: 76,
        capacity: {
          kind: 'autoscaler',
          hpa: {
            minReplicas: 4,
            maxReplicas: 100,
            targetMetricValue: 0.6,
            tolerance: 0.1,
            syncPeriodS: 15,
            scaleUp: {
              stabilizationWindowS: 0,
              policies: [
                { type: 'Percent', value: 100, periodS: 15 },
                { type: 'Pods', value: 4, periodS: 15 },
              ],
              selectPolicy: 'Max',
            },
            scaleDown: {
              stabilizationWindowS: 1800,
              policies: [{ type: 'Percent', value: 100, periodS: 15 }],
              selectPolicy: 'Max',
            },
          },
          initialReplicas: long.initialReplicas,
          metric: 'utilisation',
        },
        sloP99Ms: 500,
      }),
      { label: 'B', replicaThroughputPerS: 1000 / 96, costUsdPerReplicaHour: 1, sloP99Ms: 500 },
    );
    expect(long.report.replicaHours).toBeCloseTo(direct.replicaHours, 9);
    expect(long.report.sloBreachMinutes).toBe(direct.sloBreachMinutes);
  });

  it('prices a model that does not fit: paid all day, nothing served (hand-worked)', () => {
    const rates = labRatesPerMinute(CHAPTER_DAY);
    const day = labAnalyticDay(
      { ...GPU_FLEET, replicas: 10, replicaType: 'cpu-small' },
      CHAPTER_DAY,
      rates,
      'A',
    );
    // 10 replicas × 24 h × $0.10 = $24.
    expect(day.report.costUsdPerDay).toBeCloseTo(24, 12);
    expect(day.report.served).toBe(0);
    expect(day.report.dropped).toBeCloseTo(
      rates.reduce((sum, r) => sum + r * 60, 0),
      6,
    );
    expect(day.report.sloBreachMinutes).toBe(1440);
    expect(day.report.p99Ms).toBe(Infinity);
    expect(day.report.costUsdPer1000Predictions).toBeNaN();
    // The autoscaler has no ready replica to measure, so it stays at its minimum.
    const hpa = labAnalyticDay(
      { ...GPU_FLEET, fleet: 'hpa', minReplicas: 3, replicaType: 'cpu-small' },
      CHAPTER_DAY,
      rates,
      'B',
    );
    expect(hpa.report.replicaHours).toBeCloseTo(3 * 24, 12);
    expect(hpa.report.peakReplicas).toBe(3);
  });
});

describe('the request-level day', () => {
  const QUIET: LabWorkload = { ...CHAPTER_DAY, requestsPerDay: 200_000, spike: 'off', seed: 3 };

  it('draws the day hour by hour: sorted, inside the day, about the expected count', () => {
    const hours: number[] = [];
    const arrivals = labArrivals({ ...QUIET, day: 'wednesday' }, (h) => hours.push(h));
    expect(hours).toEqual(Array.from({ length: 24 }, (_, h) => h + 1));
    const expected = labRatesPerMinute({ ...QUIET, day: 'wednesday' }).reduce(
      (sum, r) => sum + r * 60,
      0,
    );
    // A Poisson count: within 5 standard deviations (√E ≈ 460) of its mean.
    expect(Math.abs(arrivals.count - expected)).toBeLessThan(5 * Math.sqrt(expected));
    const t = arrivals.timesS;
    expect(t[0]!).toBeGreaterThanOrEqual(2 * 86_400);
    expect(t[arrivals.count - 1]!).toBeLessThan(3 * 86_400);
    for (let i = 1; i < arrivals.count; i++) expect(t[i]! >= t[i - 1]!).toBe(true);
    // Same seed, same arrivals.
    expect(Array.from(labArrivals({ ...QUIET, day: 'wednesday' }).timesS)).toEqual(Array.from(t));
  });

  it('agrees with the analytic day where every minute stays below capacity', () => {
    // 200 000 requests of 50 items for the 10-million-parameter network on 2 small CPUs:
    // 3 + 4 × 50 = 203 ms a request, utilisation up to about 40% in the evening: stable all
    // day, where the pointwise-stationary M/M/c holds.
    const config: LabConfig = {
      ...GPU_FLEET,
      replicas: 2,
      replicaType: 'cpu-small',
      model: 'mlp-10m',
    };
    const workload: LabWorkload = { ...QUIET, itemsPerRequest: 50 };
    const rates = labRatesPerMinute(workload);
    const analytic = labAnalyticDay(config, workload, rates, 'A').report;
    const simulated = labRequestLevelDay(
      config,
      workload,
      labArrivals(workload),
      Infinity,
      'A',
    ).report;
    expect(simulated.mode).toBe('request-level');
    expect(simulated.costUsdPerDay).toBeCloseTo(analytic.costUsdPerDay, 9); // fixed fleet
    expect(simulated.dropped).toBe(0);
    for (const key of ['p50Ms', 'p95Ms', 'p99Ms'] as const) {
      expect(simulated[key] / analytic[key], key).toBeGreaterThan(0.97);
      expect(simulated[key] / analytic[key], key).toBeLessThan(1.03);
    }
  });

  it('drops requests beyond the queue limit, and every request when the model does not fit', () => {
    const workload: LabWorkload = { ...QUIET, spike: 'on', spikeMultiplier: 20 };
    const arrivals = labArrivals(workload);
    // One GPU replica at 96 ms serves ~10 a second; the spike brings far more.
    const one: LabConfig = { ...GPU_FLEET, replicas: 1 };
    const limited = labRequestLevelDay(one, workload, arrivals, 100, 'A').report;
    expect(limited.dropped).toBeGreaterThan(0);
    expect(limited.served + limited.dropped).toBe(arrivals.count);
    const unfit = labRequestLevelDay(
      { ...one, replicaType: 'cpu-small' },
      workload,
      arrivals,
      Infinity,
      'A',
    ).report;
    expect(unfit.dropped).toBe(arrivals.count);
    expect(unfit.served).toBe(0);
    expect(unfit.costUsdPerDay).toBeCloseTo(24 * 0.1, 12);
  });

  it('maps the workload to a traffic profile with the spike on the chosen day', () => {
    const profile = labTrafficProfile({ ...CHAPTER_DAY, day: 'friday', spikeStartHour: 12.5 });
    expect(profile.spikes).toHaveLength(1);
    expect(profile.spikes[0]!.startS).toBe(4 * 86_400 + 12.5 * 3600);
    expect(profile.spikes[0]!.durationS).toBe(3600);
    expect(profile.noiseSigma).toBeCloseTo(0.05, 12);
    expect(labTrafficProfile({ ...CHAPTER_DAY, spike: 'off' }).spikes).toHaveLength(0);
  });
});
