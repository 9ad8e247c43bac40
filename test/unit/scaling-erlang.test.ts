/**
 * Analytic queueing (src/lib/scaling/erlang.ts): Erlang B and C, the M/M/c waits, tails and
 * response-time quantiles, pinned against values computed independently in the test (exact
 * rational arithmetic, a log-space textbook sum, numerical integration).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  erlangB,
  erlangC,
  minServersForP99,
  mmcMeanWaitS,
  mmcMetrics,
  mmcResponseQuantileS,
  mmcResponseTailProbability,
  mmcWaitQuantileS,
  mmcWaitTailProbability,
} from '@lib/scaling/erlang';

/**
 * Erlang C by the textbook sum (Kleinrock vol. 1 ch. 3), in exact rational arithmetic with BigInt
 * for integer a and c: C = [a^c/c! · c/(c−a)] / [Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)].
 * Everything is multiplied by c!·(c − a) so that all terms are integers.
 */
function erlangCExact(servers: number, load: number): number {
  const c = BigInt(servers);
  const a = BigInt(load);
  const factorial = (n: bigint): bigint => (n <= 1n ? 1n : n * factorial(n - 1n));
  const cFact = factorial(c);
  const top = a ** c * c; // (a^c/c!)·(c/(c−a)) · c!(c−a)
  let sum = 0n;
  for (let k = 0n; k < c; k++) sum += a ** k * (cFact / factorial(k)) * (c - a);
  const scale = 10n ** 30n;
  return Number((top * scale) / (sum + top)) / 1e30;
}

/** Erlang C by the textbook sum in log space (log-sum-exp), independent of the recursion. */
function erlangCLogSpace(servers: number, load: number): number {
  const logTerms: number[] = [];
  let logFact = 0;
  for (let k = 0; k < servers; k++) {
    if (k > 0) logFact += Math.log(k);
    logTerms.push(k * Math.log(load) - logFact);
  }
  const logLast =
    servers * Math.log(load) - (logFact + Math.log(servers)) + Math.log(servers / (servers - load));
  const max = Math.max(logLast, ...logTerms);
  let sum = 0;
  for (const t of logTerms) sum += Math.exp(t - max);
  const last = Math.exp(logLast - max);
  return last / (sum + last);
}

describe('Erlang B and C', () => {
  it('gives C(3, 2) = 4/9 exactly (worked by hand: B(3,2) = 4/19, C = 3B/(3 − 2(1 − B)))', () => {
    expect(erlangB(3, 2)).toBeCloseTo(4 / 19, 15);
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 15);
  });

  it('matches the textbook sum in exact arithmetic: C(10, 6) ≈ 0.1013', () => {
    const exact = erlangCExact(10, 6);
    expect(exact).toBeCloseTo(0.1013, 4);
    expect(erlangC(10, 6)).toBeCloseTo(exact, 13);
    for (const [c, a] of [
      [1, 0],
      [2, 1],
      [5, 4],
      [20, 15],
      [40, 39],
    ] as const) {
      if (a === 0) expect(erlangC(c, a)).toBe(0);
      else expect(erlangC(c, a)).toBeCloseTo(erlangCExact(c, a), 12);
    }
  });

  it('M/M/1: C(1, ρ) = ρ (a known special case)', () => {
    for (const rho of [0.1, 0.5, 0.9, 0.99]) expect(erlangC(1, rho)).toBeCloseTo(rho, 14);
  });

  it('stays finite and accurate for c up to 1 000 (log-space textbook sum as reference)', () => {
    for (const [c, a] of [
      [200, 180],
      [500, 480],
      [1000, 950],
      [1000, 999],
      [1000, 500],
    ] as const) {
      const value = erlangC(c, a);
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
      const reference = erlangCLogSpace(c, a);
      expect(Math.abs(value - reference)).toBeLessThanOrEqual(1e-9 + 1e-9 * reference);
    }
  });

  it('returns 1 when unstable and rejects bad server counts', () => {
    expect(erlangC(4, 4)).toBe(1);
    expect(erlangC(4, 7)).toBe(1);
    expect(() => erlangC(2.5, 1)).toThrow(RangeError);
    expect(() => erlangB(-1, 1)).toThrow(RangeError);
  });

  it('C rises with the load and falls with more servers (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0.01, max: 0.98, noNaN: true }),
        fc.double({ min: 0.001, max: 0.02, noNaN: true }),
        (c, rho, bump) => {
          const a = rho * c;
          const now = erlangC(c, a);
          expect(erlangC(c, Math.min(a + bump, c - 1e-9))).toBeGreaterThanOrEqual(now - 1e-15);
          expect(erlangC(c + 1, a)).toBeLessThanOrEqual(now + 1e-15);
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });
});

describe('M/M/c waits and response times', () => {
  const queue = { arrivalRatePerS: 2, serviceTimeMeanS: 1, servers: 3 }; // a = 2, C = 4/9

  it('mean wait Wq = C/(cμ − λ): 4/9 / (3 − 2) = 4/9 s', () => {
    expect(mmcMeanWaitS(queue)).toBeCloseTo(4 / 9, 14);
    const m = mmcMetrics(queue);
    expect(m.meanWaitMs).toBeCloseTo((4 / 9) * 1000, 10);
    expect(m.meanResponseMs).toBeCloseTo((4 / 9 + 1) * 1000, 10);
    expect(m.utilisation).toBeCloseTo(2 / 3, 14);
    expect(m.stable).toBe(true);
  });

  it('wait tail P(W > t) = C·e^{−(cμ−λ)t} and its quantile invert each other', () => {
    expect(mmcWaitTailProbability(queue, 0)).toBeCloseTo(4 / 9, 14);
    expect(mmcWaitTailProbability(queue, 2)).toBeCloseTo((4 / 9) * Math.exp(-2), 14);
    const t99 = mmcWaitQuantileS(queue, 0.99);
    expect(t99).toBeCloseTo(Math.log(4 / 9 / 0.01), 12);
    expect(mmcWaitTailProbability(queue, t99)).toBeCloseTo(0.01, 12);
    // Fewer than half wait at all, so the median wait is 0.
    expect(mmcWaitQuantileS(queue, 0.5)).toBe(0);
  });

  it('response tail equals the numerical convolution of the wait and the service time', () => {
    // P(T > t) = (1 − C)e^{−μt} + C ∫₀^∞ θe^{−θw} P(S > t − w) dw, by Simpson's rule.
    for (const q of [
      queue,
      { arrivalRatePerS: 9, serviceTimeMeanS: 0.1, servers: 1 },
      { arrivalRatePerS: 7.5, serviceTimeMeanS: 1, servers: 8 },
    ]) {
      const mu = 1 / q.serviceTimeMeanS;
      const theta = q.servers * mu - q.arrivalRatePerS;
      const c = erlangC(q.servers, q.arrivalRatePerS / mu);
      for (const t of [0.05, 0.5, 1, 3]) {
        // Simpson on [0, t] and [t, t + 60/θ] separately: the integrand has a kink at w = t.
        const simpson = (f: (w: number) => number, a: number, b: number): number => {
          const steps = 4_000;
          const h = (b - a) / steps;
          let sum = 0;
          for (let k = 0; k <= steps; k++)
            sum += f(a + k * h) * (k === 0 || k === steps ? 1 : k % 2 === 1 ? 4 : 2);
          return (sum * h) / 3;
        };
        const integral =
          simpson((w) => theta * Math.exp(-theta * w) * Math.exp(-mu * (t - w)), 0, t) +
          simpson((w) => theta * Math.exp(-theta * w), t, t + 60 / theta);
        const expected = (1 - c) * Math.exp(-mu * t) + c * integral;
        expect(mmcResponseTailProbability(q, t)).toBeCloseTo(expected, 9);
      }
    }
  });

  it('handles θ = μ (the hypoexponential limit (1 + μt)e^{−μt})', () => {
    // c = 2, μ = 1, λ = 1: θ = cμ − λ = 1 = μ.
    const q = { arrivalRatePerS: 1, serviceTimeMeanS: 1, servers: 2 };
    const c = erlangC(2, 1); // 1/3
    expect(c).toBeCloseTo(1 / 3, 14);
    const t = 1.7;
    const expected = (1 - c) * Math.exp(-t) + c * (1 + t) * Math.exp(-t);
    expect(mmcResponseTailProbability(q, t)).toBeCloseTo(expected, 13);
  });

  it('response quantiles invert the tail; with C ≈ 0 they are the service time’s, ln(1/(1−q))/μ', () => {
    for (const p of [0.5, 0.95, 0.99]) {
      const t = mmcResponseQuantileS(queue, p);
      expect(mmcResponseTailProbability(queue, t)).toBeCloseTo(1 - p, 10);
    }
    const idle = { arrivalRatePerS: 0.001, serviceTimeMeanS: 0.02, servers: 50 };
    expect(mmcResponseQuantileS(idle, 0.99)).toBeCloseTo(0.02 * Math.log(100), 10);
    const m = mmcMetrics(queue);
    expect(m.responseP50Ms).toBeLessThan(m.responseP95Ms);
    expect(m.responseP95Ms).toBeLessThan(m.responseP99Ms);
  });

  it('reports an unstable queue as infinite waits', () => {
    const m = mmcMetrics({ arrivalRatePerS: 10, serviceTimeMeanS: 1, servers: 5 });
    expect(m.stable).toBe(false);
    expect(m.meanWaitMs).toBe(Infinity);
    expect(m.responseP99Ms).toBe(Infinity);
    expect(
      mmcResponseQuantileS({ arrivalRatePerS: 10, serviceTimeMeanS: 1, servers: 5 }, 0.5),
    ).toBe(Infinity);
  });

  it('finds the smallest fleet meeting a p99 limit', () => {
    const c = minServersForP99(100, 0.05, 400);
    expect(c).toBeGreaterThan(5); // a = 5 Erlangs
    const p99 = (servers: number): number =>
      mmcResponseQuantileS({ arrivalRatePerS: 100, serviceTimeMeanS: 0.05, servers }, 0.99) * 1000;
    expect(p99(c)).toBeLessThanOrEqual(400);
    expect(p99(c - 1)).toBeGreaterThan(400);
    // The service time alone is too slow: p99 of Exp(mean 0.1 s) = 460 ms > 400 ms.
    expect(minServersForP99(1, 0.1, 400)).toBe(Infinity);
    expect(minServersForP99(0, 0.05, 400)).toBe(0);
  });
});
