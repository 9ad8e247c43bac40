import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LOOKUP_LATENCY,
  ONLINE_MODELS,
  ONLINE_MODEL_SIZES,
  PURCHASE_MODEL,
  SERVING_MODES,
  batchList,
  computeCostOf,
  dayTraffic,
  hybridList,
  latencyAtMs,
  logNormalSigma,
  nearestRankPercentile,
  onlineList,
  salesKeptAtLatency,
  sessionCategoriesByRecency,
  simulateBatchOnlineDay,
  simulateBatchOnlineSweep,
  completeInputs,
  type BatchOnlineInputs,
} from '@lib/business/batch-vs-online';
import { sampleShoppers } from '@lib/data/shopping-sessions';

const shop: BatchOnlineInputs = {
  users: 200_000,
  activeUserShare: 0.2,
  sessionsPerActiveUser: 1.5,
  intentShiftProbability: 0.1,
  newUserShare: 0.05,
  onlineModel: 'medium',
  k: 4,
  seed: 1,
};

describe('recommendation lists', () => {
  // Long-term ranking 3, 1, 4, 0, 2, 5, …; the session clicked 4 then 2 (2 most recent).
  const longTerm = [3, 1, 4, 0, 2, 5, 6, 7];
  const recent = sessionCategoriesByRecency([4, 4, 2]);

  it('reads the session’s categories most recent first, without repeats', () => {
    expect(recent).toEqual([2, 4]);
    expect(sessionCategoriesByRecency([])).toEqual([]);
  });

  it('batch: the first k of the nightly ranking', () => {
    expect(batchList(longTerm, 3)).toEqual([3, 1, 4]);
  });

  it('online: the session first, then the long-term ranking', () => {
    expect(onlineList(longTerm, recent, 3)).toEqual([2, 4, 3]);
    expect(onlineList(longTerm, recent, 2)).toEqual([2, 4]);
    // No clicks yet: the batch list.
    expect(onlineList(longTerm, [], 3)).toEqual(batchList(longTerm, 3));
  });

  it('hybrid: only the 2k nightly candidates, the session’s first', () => {
    // k = 3: candidates 3, 1, 4, 0, 2, 5; both clicked categories are among them.
    expect(hybridList(longTerm, recent, 3)).toEqual([2, 4, 3]);
    // k = 2: candidates 3, 1, 4, 0; category 2 is not one, so it cannot be shown.
    expect(hybridList(longTerm, recent, 2)).toEqual([4, 3]);
  });
});

describe('latency and its price', () => {
  it('a log-normal hits its median at z = 0 and its p95 at z = 1.6449', () => {
    expect(latencyAtMs(60, 150, 0)).toBeCloseTo(60, 10);
    expect(latencyAtMs(60, 150, 1.6448536269514722)).toBeCloseTo(150, 8);
    // σ = ln(150 / 60) / 1.6449 = 0.916291 / 1.644854 = 0.557065.
    expect(logNormalSigma(60, 150)).toBeCloseTo(0.557065, 5);
  });

  it('every 100 ms costs 1% of sales, never below zero', () => {
    expect(salesKeptAtLatency(0)).toBe(1);
    expect(salesKeptAtLatency(100)).toBeCloseTo(0.99, 12);
    expect(salesKeptAtLatency(450)).toBeCloseTo(0.955, 12);
    expect(salesKeptAtLatency(1e6)).toBe(0);
  });

  it('nearest-rank percentiles by hand and against a sort', () => {
    // Sorted 1, 2, 3, 4, 5: p50 is rank ⌈2.5⌉ = 3, p95 rank ⌈4.75⌉ = 5, p20 rank 1.
    expect(nearestRankPercentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(nearestRankPercentile([5, 1, 4, 2, 3], 0.95)).toBe(5);
    expect(nearestRankPercentile([5, 1, 4, 2, 3], 0.2)).toBe(1);
    expect(nearestRankPercentile([], 0.5)).toBe(0);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (values, q) => {
          const sorted = [...values].sort((a, b) => a - b);
          const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
          return nearestRankPercentile(values, q) === sorted[rank - 1];
        },
      ),
    );
  });
});

describe('traffic and compute cost (arithmetic)', () => {
  const full = completeInputs(shop);

  it('counts the day’s traffic', () => {
    // 200,000 × 0.2 = 40,000 visitors × 1.5 = 60,000 sessions × 8 pages = 480,000 requests;
    // 5% of them from new shoppers: 24,000.
    expect(dayTraffic(full)).toEqual({
      activeUsersPerDay: 40_000,
      sessionsPerDay: 60_000,
      requestsPerDay: 480_000,
      newUserRequestsPerDay: 24_000,
    });
  });

  it('prices each mode', () => {
    // Batch: 200,000 shoppers × $0.20 / 1,000 = $40. Online (medium): 480,000 × $0.50 / 1,000
    // = $240. Hybrid: $40 + 480,000 × $0.50 × 0.3 / 1,000 = $40 + $72 = $112.
    expect(computeCostOf('batch', 200_000, 480_000, 'medium')).toEqual({
      computeCostUsdPerDay: 40,
      predictionsPerDay: 200_000,
    });
    const online = computeCostOf('online', 200_000, 480_000, 'medium');
    expect(online.computeCostUsdPerDay).toBeCloseTo(240, 9);
    expect(online.predictionsPerDay).toBe(480_000);
    const hybrid = computeCostOf('hybrid', 200_000, 480_000, 'medium');
    expect(hybrid.computeCostUsdPerDay).toBeCloseTo(112, 9);
    expect(hybrid.predictionsPerDay).toBe(680_000);
  });

  it('batch cost scales with registered users, online with requests', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 10_000_000 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.constantFrom(...ONLINE_MODEL_SIZES),
        (users, activeUserShare, model) => {
          const base = completeInputs({ ...shop, users, activeUserShare, onlineModel: model });
          const requests = dayTraffic(base).requestsPerDay;
          const batch = computeCostOf('batch', users, requests, model).computeCostUsdPerDay;
          const batchDouble = computeCostOf('batch', 2 * users, requests, model);
          const batchFewerVisits = computeCostOf('batch', users, requests / 2, model);
          const online = computeCostOf('online', users, requests, model).computeCostUsdPerDay;
          const onlineMoreUsers = computeCostOf('online', 2 * users, requests, model);
          const onlineDouble = computeCostOf('online', users, 2 * requests, model);
          const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, b);
          return (
            close(batchDouble.computeCostUsdPerDay, 2 * batch) &&
            batchFewerVisits.computeCostUsdPerDay === batch &&
            onlineMoreUsers.computeCostUsdPerDay === online &&
            close(onlineDouble.computeCostUsdPerDay, 2 * online)
          );
        },
      ),
    );
  });
});

describe('a simulated day', () => {
  it('with no intent moves and no new shoppers, every page is relevant and purchases follow the formula', () => {
    // Each session stays on its favourite, which every list holds, so each of the 8 pages
    // sells with 0.003 + 0.003 = 0.006, times the share kept at that page's latency. With
    // E[latency] = p50 · exp(σ²/2) for a log-normal:
    // batch (lookup 3 / 8 ms): σ = 0.596302, E = 3.58372 ms, 8 · 0.006 · (1 − 0.000358) = 0.047983;
    // online (medium 60 / 150 ms): σ = 0.557065, E = 70.0707 ms, 0.048 · 0.992993 = 0.047664.
    const day = simulateBatchOnlineDay({ ...shop, intentShiftProbability: 0, newUserShare: 0 });
    for (const mode of SERVING_MODES) {
      expect(day[mode].relevance).toBe(1);
      expect(day[mode].relevanceByStep).toEqual(new Array(8).fill(1));
    }
    const meanMs = (p50: number, p95: number) => p50 * Math.exp(logNormalSigma(p50, p95) ** 2 / 2);
    const perSession = (latencyMs: number) =>
      8 *
      (PURCHASE_MODEL.baseProbability + PURCHASE_MODEL.recommendationUplift) *
      salesKeptAtLatency(latencyMs);
    const lookupMs = meanMs(LOOKUP_LATENCY.latencyP50Ms, LOOKUP_LATENCY.latencyP95Ms);
    const modelMs = meanMs(ONLINE_MODELS.medium.latencyP50Ms, ONLINE_MODELS.medium.latencyP95Ms);
    expect(lookupMs).toBeCloseTo(3.58372, 4);
    expect(modelMs).toBeCloseTo(70.0707, 3);
    expect(day.batch.purchasesPerSession).toBeCloseTo(0.047983, 5);
    expect(day.online.purchasesPerSession).toBeCloseTo(0.047664, 5);
    expect(day.batch.purchasesPerSession).toBeCloseTo(perSession(lookupMs), 5);
    expect(day.online.purchasesPerSession).toBeCloseTo(perSession(modelMs), 5);
  });

  it('turns purchases into sales: base purchases at the category’s mean price, extra ones at the shown item’s', () => {
    // p = 0, all pages relevant: a session on favourite f earns, per page,
    // kept · 0.003 · (mean price of f + price of f's best seller). With kept ≈ its mean.
    const inputs = { ...shop, intentShiftProbability: 0, newUserShare: 0 };
    const day = simulateBatchOnlineDay(inputs);
    const { catalog, shoppers } = sampleShoppers(1, 4000, 0);
    const kept = salesKeptAtLatency(3 * Math.exp(logNormalSigma(3, 8) ** 2 / 2));
    let perSessionUsd = 0;
    for (const shopper of shoppers) {
      const category = catalog.categories[shopper.favouriteCategory]!;
      const shown = catalog.items[category.bestSellerId]!.priceUsd;
      perSessionUsd += 8 * kept * 0.003 * (category.meanPriceUsd + shown);
    }
    const expected = (perSessionUsd / shoppers.length) * 60_000;
    expect(Math.abs(day.batch.revenueUsdPerDay / expected - 1)).toBeLessThan(1e-4);
  });

  it('equals a sweep point with the same settings, and is deterministic', () => {
    const [, atHalf] = simulateBatchOnlineSweep(shop, [0.1, 0.05]);
    expect(atHalf).toEqual(simulateBatchOnlineDay({ ...shop, intentShiftProbability: 0.05 }));
    expect(simulateBatchOnlineDay(shop)).toEqual(simulateBatchOnlineDay(shop));
    expect(simulateBatchOnlineDay({ ...shop, seed: 2 }).online.relevance).not.toBe(
      simulateBatchOnlineDay(shop).online.relevance,
    );
  });

  it('serves latencies near each model’s p50 and p95', () => {
    for (const size of ONLINE_MODEL_SIZES) {
      const day = simulateBatchOnlineDay({ ...shop, onlineModel: size, simulatedSessions: 2000 });
      expect(day.online.latencyP50Ms / ONLINE_MODELS[size].latencyP50Ms).toBeCloseTo(1, 1);
      expect(day.online.latencyP95Ms / ONLINE_MODELS[size].latencyP95Ms).toBeCloseTo(1, 1);
      expect(day.batch.latencyP95Ms).toBeLessThan(day.hybrid.latencyP95Ms);
      expect(day.hybrid.latencyP95Ms).toBeLessThan(day.online.latencyP95Ms);
    }
  });

  it('cold start: batch serves new shoppers nothing personal; online only on page 1 and misreads', () => {
    // All sessions from new shoppers, medium model: stale share = 1/8 + 7/8 · (1 − 0.85)
    // = 0.25625 of their 480,000 requests = 123,000.
    const day = simulateBatchOnlineDay({ ...shop, newUserShare: 1 });
    expect(day.batch.staleNewUserRequestsPerDay).toBe(480_000);
    const share = day.online.staleNewUserRequestsPerDay / 480_000;
    // 28,000 page-2+ requests: sd of the misread share ≈ √(0.15·0.85/28,000) = 0.0021.
    expect(Math.abs(share - 0.25625)).toBeLessThan(4 * 0.0021 * (7 / 8));
    expect(day.hybrid.staleNewUserRequestsPerDay).toBe(day.online.staleNewUserRequestsPerDay);
    expect(day.online.newUserRelevance).toBeGreaterThan(day.batch.newUserRelevance);
    expect(
      simulateBatchOnlineDay({ ...shop, newUserShare: 0 }).batch.staleNewUserRequestsPerDay,
    ).toBe(0);
  });

  it('online and hybrid are at least as relevant as batch when intent moves', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(...ONLINE_MODEL_SIZES),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        (p, k, onlineModel, newUserShare, seed) => {
          const day = simulateBatchOnlineDay({
            ...shop,
            intentShiftProbability: p,
            k,
            onlineModel,
            newUserShare,
            seed,
            simulatedSessions: 600,
          });
          return (
            day.online.relevance >= day.batch.relevance &&
            day.hybrid.relevance >= day.batch.relevance
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  it('online is strictly more relevant once intent moves often enough, and equal when it never moves', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(...ONLINE_MODEL_SIZES),
        fc.integer({ min: 0, max: 1000 }),
        (k, onlineModel, seed) => {
          const [still, moving] = simulateBatchOnlineSweep(
            { ...shop, k, onlineModel, seed, newUserShare: 0, simulatedSessions: 600 },
            [0, 0.2],
          );
          return (
            still!.online.relevance === still!.batch.relevance &&
            still!.hybrid.relevance === still!.batch.relevance &&
            moving!.online.relevance > moving!.batch.relevance
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  it('puts more of the gain into online as intent moves more (hand-checked ordering)', () => {
    const days = simulateBatchOnlineSweep({ ...shop, newUserShare: 0 }, [0, 0.05, 0.1, 0.2]);
    const gaps = days.map((d) => d.online.relevance - d.batch.relevance);
    expect(gaps[0]).toBe(0);
    expect(gaps[1]!).toBeGreaterThan(0);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
    expect(gaps[3]!).toBeGreaterThan(gaps[2]!);
    // At p = 0 online only adds latency and compute, so it earns less than batch.
    expect(days[0]!.onlineNetGainUsdPerDay).toBeLessThan(0);
  });

  it('never gives NaN or infinities, even at the edges', () => {
    fc.assert(
      fc.property(
        fc.record({
          users: fc.constantFrom(0, 100, 1_000_000, 100_000_000),
          activeUserShare: fc.constantFrom(0, 0.001, 1),
          sessionsPerActiveUser: fc.constantFrom(0, 0.1, 20),
          intentShiftProbability: fc.constantFrom(0, 0.5, 1),
          newUserShare: fc.constantFrom(0, 0.5, 1),
          onlineModel: fc.constantFrom(...ONLINE_MODEL_SIZES),
          k: fc.constantFrom(1, 8, 16),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        (inputs) => {
          const day = simulateBatchOnlineDay({ ...inputs, simulatedSessions: 50 });
          const numbers: number[] = [
            day.onlineNetGainUsdPerDay,
            day.hybridNetGainUsdPerDay,
            ...Object.values(day.traffic),
          ];
          for (const mode of SERVING_MODES) {
            const { mode: _name, relevanceByStep, ...rest } = day[mode];
            numbers.push(...relevanceByStep, ...(Object.values(rest) as number[]));
          }
          return numbers.every(Number.isFinite);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses impossible inputs with a RangeError naming the input', () => {
    expect(() => simulateBatchOnlineDay({ ...shop, k: 0 })).toThrow(/^k = 0/);
    expect(() => simulateBatchOnlineDay({ ...shop, activeUserShare: 2 })).toThrow(
      /activeUserShare/,
    );
    expect(() =>
      simulateBatchOnlineDay({ ...shop, onlineModel: 'huge' as unknown as 'small' }),
    ).toThrow(/onlineModel/);
  });
});
