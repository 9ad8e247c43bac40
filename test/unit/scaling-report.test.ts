/**
 * The day report and the side-by-side comparison (src/lib/scaling/report.ts), with costs worked
 * by hand.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '@lib/random';
import { analyticDay } from '@lib/scaling/analytic-day';
import { compareReports, reportFromAnalyticDay, reportFromRequestSim } from '@lib/scaling/report';
import { simulateRequests } from '@lib/scaling/request-sim';
import { homogeneousArrivalTimes } from '@lib/scaling/traffic';

const options = {
  label: 'two replicas',
  replicaThroughputPerS: 1,
  costUsdPerReplicaHour: 3.6,
  sloP99Ms: 1500,
};

describe('the report of a request-level day', () => {
  it('prices replica time and counts breaches (hand-worked)', () => {
    // Two replicas for 60 s serve five 1-second requests (see the request-sim hand case).
    const result = simulateRequests(
      {
        arrivals: { timesS: Float64Array.from([0, 0.1, 0.2, 0.3, 2.5]), count: 5 },
        service: { fixedS: 1, perItemS: 0, maxBatch: 1, distribution: 'deterministic', cv: 0 },
        capacity: { kind: 'fixed', replicas: 2 },
        startupDelayS: 0,
        queueLimit: Infinity,
        startS: 0,
        endS: 60,
        sloP99Ms: 1500,
      },
      createRng(1),
    );
    const report = reportFromRequestSim(result, options);
    // 120 replica-seconds = 1/30 replica-hour; × $3.60 = $0.12; / 5 predictions × 1 000 = $24.
    expect(report.replicaHours).toBeCloseTo(1 / 30, 12);
    expect(report.costUsdPerDay).toBeCloseTo(0.12, 12);
    expect(report.costUsdPer1000Predictions).toBeCloseTo(24, 9);
    expect(report.paidUtilisation).toBeCloseTo(5 / 120, 12);
    expect(report.served).toBe(5);
    expect(report.perMinute.trafficPerS[0]).toBeCloseTo(5 / 60, 12);
    expect(report.perMinute.capacityPerS[0]).toBeCloseTo(2, 12);
    // p99 of {1, 1, 1, 1.8, 1.8} s = 1 800 ms > 1 500 ms.
    expect(report.sloBreachMinutes).toBe(1);
    expect(report.mode).toBe('request-level');
  });
});

describe('comparing two configurations', () => {
  it('lines up the headline numbers and says which is better', () => {
    const arrivals = homogeneousArrivalTimes(15, 3600, createRng(2));
    const run = (replicas: number) =>
      reportFromRequestSim(
        simulateRequests(
          {
            arrivals,
            service: { fixedS: 0.2, perItemS: 0, maxBatch: 1, distribution: 'exponential', cv: 1 },
            capacity: { kind: 'fixed', replicas },
            startupDelayS: 0,
            queueLimit: Infinity,
            startS: 0,
            endS: 3600,
            sloP99Ms: 1000,
          },
          createRng(3),
        ),
        { ...options, label: `${replicas}`, replicaThroughputPerS: 5, sloP99Ms: 1000 },
      );
    const four = run(4); // ρ = 0.75
    const eight = run(8); // ρ = 0.375
    const rows = compareReports(four, eight);
    const row = (key: string) => rows.find((r) => r.key === key)!;
    expect(row('costUsdPerDay').ratio).toBeCloseTo(2, 12);
    expect(row('costUsdPerDay').winner).toBe('a');
    expect(row('p99Ms').winner).toBe('b');
    expect(row('replicaHours').difference).toBeCloseTo(4, 9);
    expect(row('paidUtilisation').winner).toBe('a');
    expect(row('dropped').winner).toBe('same');
    expect(rows.map((r) => r.key)).toContain('costUsdPer1000Predictions');
  });

  it('reports an analytic day in the same shape', () => {
    const day = analyticDay({
      ratesPerMinute: new Float64Array(60).fill(4),
      serviceTimeMeanS: 0.5,
      startupDelayS: 0,
      capacity: { kind: 'fixed', replicas: 3 },
      sloP99Ms: 5000,
    });
    const report = reportFromAnalyticDay(day, { ...options, replicaThroughputPerS: 2 });
    // 3 replicas × 1 h = 3 replica-hours × $3.60; 14 400 predictions.
    expect(report.replicaHours).toBeCloseTo(3, 12);
    expect(report.costUsdPerDay).toBeCloseTo(10.8, 12);
    expect(report.costUsdPer1000Predictions).toBeCloseTo((10.8 / 14_400) * 1000, 12);
    expect(report.paidUtilisation).toBeCloseTo(2 / 3, 12);
    expect(report.perMinute.capacityPerS[0]).toBe(6);
    expect(report.mode).toBe('analytic');
    expect(compareReports(report, report).every((r) => r.winner === 'same')).toBe(true);
  });
});
