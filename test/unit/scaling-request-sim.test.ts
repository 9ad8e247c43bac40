/**
 * The request-level simulation (src/lib/scaling/request-sim.ts): hand-worked small cases,
 * agreement with M/M/c theory, properties (monotone in replicas, conservation, no negative
 * queues) and a full 10-million-request day.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '@lib/random';
import { analyticDay } from '@lib/scaling/analytic-day';
import { erlangC, mmcMetrics } from '@lib/scaling/erlang';
import { defaultHpaConfig } from '@lib/scaling/hpa';
import {
  simulateRequests,
  type CapacityPlan,
  type RequestSimInput,
  type ServiceTimeSpec,
} from '@lib/scaling/request-sim';
import {
  defaultTrafficProfile,
  generateArrivalTimes,
  homogeneousArrivalTimes,
  ratesPerMinute,
  type ArrivalTimes,
} from '@lib/scaling/traffic';

const arrivalsOf = (times: number[]): ArrivalTimes => ({
  timesS: Float64Array.from(times),
  count: times.length,
});

/** Deterministic 1-second service, no batching. */
const ONE_SECOND: ServiceTimeSpec = {
  fixedS: 1,
  perItemS: 0,
  maxBatch: 1,
  distribution: 'deterministic',
  cv: 0,
};

function run(
  times: number[],
  capacity: CapacityPlan,
  extra: Partial<RequestSimInput> = {},
  seed = 1,
) {
  return simulateRequests(
    {
      arrivals: arrivalsOf(times),
      service: ONE_SECOND,
      capacity,
      startupDelayS: 0,
      queueLimit: Infinity,
      startS: 0,
      endS: 60,
      sloP99Ms: 1500,
      keepWaits: true,
      ...extra,
    },
    createRng(seed),
  );
}

describe('hand-worked small cases (1 s deterministic service)', () => {
  it('two replicas, FIFO: waits 0, 0, 0.8, 0.8, 0', () => {
    // r0 on A [0,1], r1 on B [0.1,1.1], r2 waits for A (1.0), r3 for B (1.1), r4 finds both idle.
    const r = run([0, 0.1, 0.2, 0.3, 2.5], { kind: 'fixed', replicas: 2 });
    expect(Array.from(r.waitsS!).map((w) => +w.toFixed(6))).toEqual([0, 0, 0.8, 0.8, 0]);
    expect(Array.from(r.responsesS).map((w) => +w.toFixed(6))).toEqual([1, 1, 1.8, 1.8, 1]);
    expect(r.meanWaitMs).toBeCloseTo(320, 4);
    expect(r.busyReplicaSeconds).toBeCloseTo(5, 9);
    expect(r.provisionedReplicaSeconds).toBeCloseTo(120, 9);
    expect(r.maxQueueLength).toBe(2);
    expect(r.servedByEnd).toBe(5);
    // Nearest rank over {1, 1, 1, 1.8, 1.8}: p50 = 1 s, p95 = p99 = 1.8 s.
    expect(r.p50Ms).toBeCloseTo(1000, 3);
    expect(r.p99Ms).toBeCloseTo(1800, 3);
    expect(r.sloBreachMinutes).toBe(1);
  });

  it('drops an arrival that finds the queue full (limit 1)', () => {
    const r = run([0, 0.1, 0.2, 0.3, 2.5], { kind: 'fixed', replicas: 2 }, { queueLimit: 1 });
    expect(r.dropped).toBe(1);
    expect(r.perMinute.dropped[0]).toBe(1);
    expect(Number.isNaN(r.responsesS[3]!)).toBe(true);
    expect(r.waitsS![2]).toBeCloseTo(0.8, 6);
    expect(r.arrived).toBe(r.servedByEnd + r.dropped + r.waitingAtEnd + r.inServiceAtEnd);
  });

  it('a new replica serves only after its start-up delay', () => {
    // One replica; at 0.5 s the schedule asks for two. With a 2 s delay B serves from 2.5 s:
    // r1 gets A at 1, r2 gets A at 2, r3 gets B at 2.5 → waits 0, 0.9, 1.8, 2.2.
    const times = [0, 0.1, 0.2, 0.3];
    const plan: CapacityPlan = {
      kind: 'schedule',
      initialReplicas: 1,
      changes: [{ timeS: 0.5, replicas: 2 }],
    };
    const slow = run(times, plan, { startupDelayS: 2 });
    expect(Array.from(slow.waitsS!).map((w) => +w.toFixed(6))).toEqual([0, 0.9, 1.8, 2.2]);
    // Without a delay B serves from 0.5 s: waits 0, 0.4, 0.8, 1.2.
    const fast = run(times, plan, { startupDelayS: 0 });
    expect(Array.from(fast.waitsS!).map((w) => +w.toFixed(6))).toEqual([0, 0.4, 0.8, 1.2]);
    // Paid from the decision: A for 60 s, B for 59.5 s, starting time included.
    expect(slow.provisionedReplicaSeconds).toBeCloseTo(119.5, 9);
    expect(slow.perMinute.readyReplicas[0]).toBeCloseTo((60 + 57.5) / 60, 9);
  });

  it('scaling down removes idle replicas at once and busy ones when they finish', () => {
    // Two busy replicas at 0.5 s when the target drops to 1: A retires at 1.0 s (the queued r2
    // is not taken by a retiring replica), B finishes at 1.1 s and takes r2 → wait 0.9 s.
    const r = run([0, 0.1, 0.2], {
      kind: 'schedule',
      initialReplicas: 2,
      changes: [{ timeS: 0.5, replicas: 1 }],
    });
    expect(r.waitsS![2]).toBeCloseTo(0.9, 6);
    expect(r.provisionedReplicaSeconds).toBeCloseTo(1.0 + 60, 9);
    expect(r.busyReplicaSeconds).toBeCloseTo(3, 9);
    // An idle fleet shrinks immediately.
    const idle = run([30], {
      kind: 'schedule',
      initialReplicas: 3,
      changes: [{ timeS: 10, replicas: 1 }],
    });
    expect(idle.provisionedReplicaSeconds).toBeCloseTo(3 * 10 + 50, 9);
  });

  it('batches the waiting requests when a replica frees up: time = fixed + per-item × k', () => {
    // One replica, 1 s + 0.5 s per item, batches up to 4: r0 alone [0, 1.5]; r1–r3 together
    // [1.5, 1.5 + 1 + 1.5 = 4.0].
    const r = run(
      [0, 0.1, 0.2, 0.3],
      { kind: 'fixed', replicas: 1 },
      { service: { fixedS: 1, perItemS: 0.5, maxBatch: 4, distribution: 'deterministic', cv: 0 } },
    );
    expect(Array.from(r.responsesS).map((x) => +x.toFixed(6))).toEqual([1.5, 3.9, 3.8, 3.7]);
    expect(Array.from(r.waitsS!).map((x) => +x.toFixed(6))).toEqual([0, 1.4, 1.3, 1.2]);
    expect(r.busyReplicaSeconds).toBeCloseTo(4, 9);
  });

  it('stops at endS with the books balanced, then drains', () => {
    // One replica, ten requests at 55 s: one done by 56 s … five by 60 s; the rest drain after.
    const times = Array.from({ length: 10 }, () => 55);
    const r = run(times, { kind: 'fixed', replicas: 1 });
    expect(r.arrived).toBe(10);
    expect(r.servedByEnd).toBe(5);
    expect(r.inServiceAtEnd).toBe(1);
    expect(r.waitingAtEnd).toBe(4);
    expect(r.responded).toBe(10);
    expect(r.responsesS[9]).toBeCloseTo(10, 9);
    expect(r.provisionedReplicaSeconds).toBe(60);
    expect(r.busyReplicaSeconds).toBeCloseTo(5, 9);
  });
});

describe('agreement with M/M/c theory', () => {
  it('a long M/M/10 run at 80% load matches Wq = C/(cμ − λ) within a few percent', () => {
    // λ = 8/s, mean service 1 s, c = 10: C(10, 8) ≈ 0.409, Wq ≈ 0.205 s.
    const lambda = 8;
    const duration = 150_000; // 1.2 million requests
    const arrivals = homogeneousArrivalTimes(lambda, duration, createRng(21));
    const r = simulateRequests(
      {
        arrivals,
        service: { fixedS: 1, perItemS: 0, maxBatch: 1, distribution: 'exponential', cv: 1 },
        capacity: { kind: 'fixed', replicas: 10 },
        startupDelayS: 0,
        queueLimit: Infinity,
        startS: 0,
        endS: duration,
        sloP99Ms: 1e9,
        keepWaits: true,
      },
      createRng(22),
    );
    const theory = mmcMetrics({ arrivalRatePerS: lambda, serviceTimeMeanS: 1, servers: 10 });
    expect(r.meanWaitMs / theory.meanWaitMs).toBeGreaterThan(0.96);
    expect(r.meanWaitMs / theory.meanWaitMs).toBeLessThan(1.04);
    expect(r.p99Ms / theory.responseP99Ms).toBeGreaterThan(0.98);
    expect(r.p99Ms / theory.responseP99Ms).toBeLessThan(1.02);
    expect(r.p50Ms / theory.responseP50Ms).toBeGreaterThan(0.98);
    expect(r.p50Ms / theory.responseP50Ms).toBeLessThan(1.02);
    let waited = 0;
    for (const w of r.waitsS!) if (w > 0) waited++;
    expect(waited / r.responded).toBeGreaterThan(erlangC(10, 8) - 0.015);
    expect(waited / r.responded).toBeLessThan(erlangC(10, 8) + 0.015);
    // Utilisation λ/(cμ) = 0.8.
    expect(r.busyReplicaSeconds / r.provisionedReplicaSeconds).toBeCloseTo(0.8, 2);
  });

  it('a log-normal service with cv 1 waits about as long as exponential (Allen–Cunneen: (1 + cv²)/2 = 1)', () => {
    const arrivals = homogeneousArrivalTimes(4, 100_000, createRng(31));
    const base = {
      arrivals,
      capacity: { kind: 'fixed', replicas: 5 } as CapacityPlan,
      startupDelayS: 0,
      queueLimit: Infinity,
      startS: 0,
      endS: 100_020,
      sloP99Ms: 1e9,
    };
    const lognormal = simulateRequests(
      {
        ...base,
        service: { fixedS: 1, perItemS: 0, maxBatch: 1, distribution: 'lognormal', cv: 1 },
      },
      createRng(32),
    );
    const theory = mmcMetrics({ arrivalRatePerS: 4, serviceTimeMeanS: 1, servers: 5 });
    expect(lognormal.meanWaitMs / theory.meanWaitMs).toBeGreaterThan(0.8);
    expect(lognormal.meanWaitMs / theory.meanWaitMs).toBeLessThan(1.2);
    const deterministic = simulateRequests(
      {
        ...base,
        service: { fixedS: 1, perItemS: 0, maxBatch: 1, distribution: 'deterministic', cv: 0 },
      },
      createRng(32),
    );
    // M/D/c waits about half as long as M/M/c.
    expect(deterministic.meanWaitMs / theory.meanWaitMs).toBeGreaterThan(0.4);
    expect(deterministic.meanWaitMs / theory.meanWaitMs).toBeLessThan(0.65);
  });
});

describe('agreement with the analytic day over a daily curve', () => {
  it('gives about the same waits and percentiles as the minute-by-minute formulas', () => {
    // 2 M requests over Monday, 0.2 s exponential service, 10 replicas: ρ from ~0.1 at night to
    // ~0.8 at the evening peak — stable all day, where the pointwise stationary
    // approximation holds well (a minute is 300 service times long).
    const profile = defaultTrafficProfile(2_000_000, { noiseSeed: 4 });
    const arrivals = generateArrivalTimes(profile, createRng(41));
    const sim = simulateRequests(
      {
        arrivals,
        service: { fixedS: 0.2, perItemS: 0, maxBatch: 1, distribution: 'exponential', cv: 1 },
        capacity: { kind: 'fixed', replicas: 10 },
        startupDelayS: 0,
        queueLimit: Infinity,
        startS: 0,
        endS: 86_400,
        sloP99Ms: 1200,
      },
      createRng(42),
    );
    const day = analyticDay({
      ratesPerMinute: ratesPerMinute(profile, 0),
      serviceTimeMeanS: 0.2,
      startupDelayS: 0,
      capacity: { kind: 'fixed', replicas: 10 },
      sloP99Ms: 1200,
    });
    expect(sim.arrived / day.expectedRequests).toBeGreaterThan(0.99);
    expect(sim.arrived / day.expectedRequests).toBeLessThan(1.01);
    // Measured: mean wait within 0.5%, percentiles within 0.2%.
    expect(sim.meanWaitMs / day.meanWaitMs).toBeGreaterThan(0.95);
    expect(sim.meanWaitMs / day.meanWaitMs).toBeLessThan(1.05);
    for (const key of ['p50Ms', 'p95Ms', 'p99Ms'] as const) {
      expect(sim[key] / day[key]).toBeGreaterThan(0.985);
      expect(sim[key] / day[key]).toBeLessThan(1.015);
    }
    expect(sim.busyReplicaSeconds / day.busyReplicaSeconds).toBeCloseTo(1, 1);
  });
});

describe('properties', () => {
  const arbitraryArrivals = fc
    .array(fc.double({ min: 0, max: 59.999, noNaN: true }), { minLength: 1, maxLength: 400 })
    .map((xs) => arrivalsOf(xs.sort((a, b) => a - b)));

  it('more replicas never raise any request’s wait (same arrivals and service times)', () => {
    fc.assert(
      fc.property(
        arbitraryArrivals,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom<ServiceTimeSpec['distribution']>('exponential', 'lognormal'),
        (arrivals, replicas, extra, seed, distribution) => {
          const service: ServiceTimeSpec = {
            fixedS: 0.2,
            perItemS: 0.1,
            maxBatch: 1,
            distribution,
            cv: 1.5,
          };
          const common = {
            arrivals,
            service,
            startupDelayS: 0,
            queueLimit: Infinity,
            startS: 0,
            endS: 60,
            sloP99Ms: 1000,
            keepWaits: true,
          };
          const fewer = simulateRequests(
            { ...common, capacity: { kind: 'fixed', replicas } },
            createRng(seed),
          );
          const more = simulateRequests(
            { ...common, capacity: { kind: 'fixed', replicas: replicas + extra } },
            createRng(seed),
          );
          expect(more.meanWaitMs).toBeLessThanOrEqual(fewer.meanWaitMs);
          for (let i = 0; i < arrivals.count; i++)
            expect(more.waitsS![i]!).toBeLessThanOrEqual(fewer.waitsS![i]!);
        },
      ),
      { seed: 3, numRuns: 120 },
    );
  });

  it('conserves requests and never has a negative queue, under schedules, limits and batching', () => {
    fc.assert(
      fc.property(
        arbitraryArrivals,
        fc.integer({ min: 0, max: 4 }),
        fc.array(
          fc.record({
            timeS: fc.double({ min: 0, max: 59, noNaN: true }),
            replicas: fc.integer({ min: 0, max: 5 }),
          }),
          { maxLength: 6 },
        ),
        fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 20 })),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (arrivals, initial, changes, queueLimit, maxBatch, startupDelayS, seed) => {
          const r = simulateRequests(
            {
              arrivals,
              service: { fixedS: 0.5, perItemS: 0.3, maxBatch, distribution: 'exponential', cv: 1 },
              capacity: {
                kind: 'schedule',
                initialReplicas: initial,
                changes: [...changes].sort((a, b) => a.timeS - b.timeS),
              },
              startupDelayS,
              queueLimit,
              startS: 0,
              endS: 60,
              sloP99Ms: 1000,
              keepWaits: true,
            },
            createRng(seed),
          );
          expect(r.arrived).toBe(arrivals.count);
          expect(r.servedByEnd + r.dropped + r.waitingAtEnd + r.inServiceAtEnd).toBe(r.arrived);
          expect(r.waitingAtEnd).toBeGreaterThanOrEqual(0);
          expect(r.inServiceAtEnd).toBeGreaterThanOrEqual(0);
          expect(r.maxQueueLength).toBeLessThanOrEqual(queueLimit);
          for (const q of r.perMinute.queueLengthEnd) expect(q).toBeGreaterThanOrEqual(0);
          for (let i = 0; i < arrivals.count; i++) {
            const w = r.waitsS![i]!;
            if (!Number.isNaN(w)) {
              expect(w).toBeGreaterThanOrEqual(0);
              expect(r.responsesS[i]!).toBeGreaterThanOrEqual(w);
            }
          }
          expect(r.busyReplicaSeconds).toBeLessThanOrEqual(r.provisionedReplicaSeconds + 1e-9);
        },
      ),
      { seed: 4, numRuns: 150 },
    );
  });

  it('is deterministic by seed', () => {
    const arrivals = homogeneousArrivalTimes(20, 600, createRng(1));
    const input: RequestSimInput = {
      arrivals,
      service: { fixedS: 0.1, perItemS: 0.05, maxBatch: 3, distribution: 'lognormal', cv: 0.8 },
      capacity: {
        kind: 'autoscaler',
        hpa: defaultHpaConfig(1, 10, 0.5),
        initialReplicas: 2,
        metric: 'utilisation',
      },
      startupDelayS: 20,
      queueLimit: 50,
      startS: 0,
      endS: 600,
      sloP99Ms: 300,
    };
    const a = simulateRequests(input, createRng(9));
    const b = simulateRequests(input, createRng(9));
    const c = simulateRequests(input, createRng(10));
    expect(Array.from(a.responsesS)).toEqual(Array.from(b.responsesS));
    expect(a.p99Ms).toBe(b.p99Ms);
    expect(Array.from(a.responsesS)).not.toEqual(Array.from(c.responsesS));
  });
});

describe('the autoscaler in the loop', () => {
  it('scales up under load after the start-up delay, and back down after the window', () => {
    // 30 min at 40/s, then 30 min at 4/s; 0.1 s service → needs ~7 replicas at 60%, then ~1.
    const busy = homogeneousArrivalTimes(40, 1800, createRng(1));
    const calm = homogeneousArrivalTimes(4, 1800, createRng(2));
    const times = new Float64Array(busy.count + calm.count);
    times.set(busy.timesS);
    for (let i = 0; i < calm.count; i++) times[busy.count + i] = 1800 + calm.timesS[i]!;
    const r = simulateRequests(
      {
        arrivals: { timesS: times, count: times.length },
        service: { fixedS: 0.1, perItemS: 0, maxBatch: 1, distribution: 'exponential', cv: 1 },
        capacity: {
          kind: 'autoscaler',
          hpa: defaultHpaConfig(1, 20, 0.6),
          initialReplicas: 1,
          metric: 'utilisation',
        },
        startupDelayS: 45,
        queueLimit: Infinity,
        startS: 0,
        endS: 3600,
        sloP99Ms: 1000,
      },
      createRng(3),
    );
    const ready = r.perMinute.readyReplicas;
    // Minute 0: one replica; new ones are ready only from ~1 min on.
    expect(ready[0]).toBeLessThan(1.5);
    expect(ready[20]).toBeGreaterThanOrEqual(6);
    expect(ready[20]).toBeLessThanOrEqual(9);
    // The load drops at minute 30; the 300 s window holds the fleet until ~minute 35.
    expect(ready[32]).toBeGreaterThanOrEqual(6);
    expect(ready[50]).toBeLessThanOrEqual(2);
    expect(r.hpa?.replicas).toBeLessThanOrEqual(2);
  });
});

describe('a day of 10 million requests, request by request', () => {
  it('simulates the whole day with every request accounted for', () => {
    const profile = defaultTrafficProfile(10_000_000, { noiseSeed: 2 });
    const arrivals = generateArrivalTimes(profile, createRng(1));
    expect(arrivals.count).toBeGreaterThan(10_000_000);
    const start = performance.now();
    const r = simulateRequests(
      {
        arrivals,
        service: {
          fixedS: 0.004,
          perItemS: 0.001,
          maxBatch: 1,
          distribution: 'exponential',
          cv: 1,
        },
        capacity: { kind: 'fixed', replicas: 2 },
        startupDelayS: 0,
        queueLimit: Infinity,
        startS: 0,
        endS: 86_400,
        sloP99Ms: 100,
      },
      createRng(2),
    );
    const elapsedMs = performance.now() - start;
    expect(r.arrived).toBe(arrivals.count);
    expect(r.servedByEnd + r.dropped + r.waitingAtEnd + r.inServiceAtEnd).toBe(r.arrived);
    let perMinute = 0;
    for (const a of r.perMinute.arrivals) perMinute += a;
    expect(perMinute).toBe(r.arrived);
    // Offered load: 10.4 M × 5 ms / 86 400 s ≈ 0.6 of a replica on average, 2 replicas.
    expect(r.busyReplicaSeconds / 86_400).toBeGreaterThan(0.55);
    expect(r.busyReplicaSeconds / 86_400).toBeLessThan(0.65);
    // Generous bound for a shared 2-core machine; bench/scaling.ts measures properly.
    expect(elapsedMs).toBeLessThan(15_000);
  });
});
