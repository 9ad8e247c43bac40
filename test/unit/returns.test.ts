import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  netReturnUsdPerMonth,
  paybackMonths,
  sampleUncertain,
  simulateReturns,
  triangularMean,
  triangularMedian,
  triangularQuantile,
  type ReturnsInputs,
  type Triangular,
} from '@lib/business/returns';
import { createRng } from '@lib/random';

// All inputs fixed: 0.002 extra conversions per visit × 1,000,000 visits × $50 = $100,000 a
// month; costs $120,000 / 12 + $5,000 + $3,000 = $18,000 a month; net $82,000 a month.
const fixed: ReturnsInputs = {
  expectedUplift: 0.002,
  trafficPerMonth: 1_000_000,
  valuePerUnitUsd: 50,
  buildCostUsd: 120_000,
  amortisationMonths: 12,
  runningCostUsdPerMonth: 5_000,
  maintenanceCostUsdPerMonth: 3_000,
};

const uncertain: ReturnsInputs = {
  expectedUplift: { low: -0.0005, likely: 0.001, high: 0.004 },
  trafficPerMonth: { low: 600_000, likely: 1_000_000, high: 1_200_000 },
  valuePerUnitUsd: { low: 30, likely: 50, high: 60 },
  buildCostUsd: { low: 80_000, likely: 120_000, high: 250_000 },
  amortisationMonths: 24,
  runningCostUsdPerMonth: { low: 2_000, likely: 4_000, high: 9_000 },
  maintenanceCostUsdPerMonth: { low: 1_000, likely: 3_000, high: 8_000 },
};

describe('triangular distribution', () => {
  const t: Triangular = { low: 2, likely: 5, high: 14 };

  it('has mean (a + b + c) / 3 and its inverse CDF hits the ends and the mode', () => {
    expect(triangularMean(t)).toBe(7);
    expect(triangularQuantile(t, 0)).toBe(2);
    expect(triangularQuantile(t, 1)).toBe(14);
    // F(c) = (c − a)/(b − a) = 3/12 = 0.25, so F⁻¹(0.25) = c.
    expect(triangularQuantile(t, 0.25)).toBeCloseTo(5, 12);
  });

  it('has the closed-form median', () => {
    // c = 5 < (a + b)/2 = 8: median = b − √((b − a)(b − c)/2) = 14 − √54.
    expect(triangularMedian(t)).toBeCloseTo(14 - Math.sqrt(54), 12);
  });

  it('matches its mean and median by Monte Carlo', () => {
    const rng = createRng('triangular-check');
    const n = 50_000;
    const xs = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      xs[i] = sampleUncertain(t, rng);
      sum += xs[i]!;
    }
    xs.sort();
    // sd = √((a² + b² + c² − ab − ac − bc)/18) = √(117/18) ≈ 2.55; SE of the mean ≈ 0.011.
    expect(sum / n).toBeCloseTo(7, 1);
    expect(Math.abs(xs[n / 2]! - triangularMedian(t))).toBeLessThan(0.05);
    expect(xs[0]!).toBeGreaterThanOrEqual(2);
    expect(xs[n - 1]!).toBeLessThanOrEqual(14);
  });

  it('collapses to a point when low = high and returns fixed numbers as they are', () => {
    const rng = createRng(1);
    expect(sampleUncertain({ low: 3, likely: 3, high: 3 }, rng)).toBe(3);
    expect(sampleUncertain(42, rng)).toBe(42);
  });
});

describe('simulateReturns', () => {
  it('equals the formula exactly when every input is fixed', () => {
    const r = simulateReturns(fixed, { seed: 7 });
    const formula = 0.002 * 1_000_000 * 50 - 5_000 - 3_000 - 120_000 / 12;
    expect(formula).toBe(82_000);
    expect(netReturnUsdPerMonth(fixed as Record<keyof ReturnsInputs, number>)).toBe(formula);
    expect(r.meanNetUsdPerMonth).toBe(formula);
    expect(r.medianNetUsdPerMonth).toBe(formula);
    expect(r.p05NetUsdPerMonth).toBe(formula);
    expect(r.p95NetUsdPerMonth).toBe(formula);
    expect(r.probabilityOfLoss).toBe(0);
    // Payback: $120,000 / ($100,000 − $8,000) a month.
    expect(r.breakEvenMonthsAtMedian).toBe(120_000 / 92_000);
    expect(r.draws).toBe(10_000);
    expect(r.netUsdPerMonthSorted).toHaveLength(10_000);
  });

  it('has probability of loss 1 and never breaks even when the uplift is negative', () => {
    const r = simulateReturns(
      { ...fixed, expectedUplift: { low: -0.01, likely: -0.005, high: -0.001 } },
      { seed: 1, draws: 2_000 },
    );
    expect(r.probabilityOfLoss).toBe(1);
    expect(r.p95NetUsdPerMonth).toBeLessThan(0);
    expect(r.breakEvenMonthsAtMedian).toBe(Number.POSITIVE_INFINITY);
  });

  it('has probability of loss 0 when even the worst case earns more than it costs', () => {
    const r = simulateReturns(
      { ...fixed, expectedUplift: { low: 0.001, likely: 0.002, high: 0.003 } },
      { seed: 1, draws: 2_000 },
    );
    // Worst case: 0.001 × 1e6 × 50 = $50,000 > $18,000 of costs.
    expect(r.probabilityOfLoss).toBe(0);
    expect(r.p05NetUsdPerMonth).toBeGreaterThan(0);
  });

  it('payback is Infinity when the operating margin is not positive', () => {
    expect(
      paybackMonths({ ...(fixed as Record<keyof ReturnsInputs, number>), expectedUplift: 0 }),
    ).toBe(Number.POSITIVE_INFINITY);
  });

  it('is deterministic by seed and differs between seeds', () => {
    const a = simulateReturns(uncertain, { seed: 'lesson-5' });
    const b = simulateReturns(uncertain, { seed: 'lesson-5' });
    const c = simulateReturns(uncertain, { seed: 'lesson-6' });
    expect(a).toEqual(b);
    expect(c.meanNetUsdPerMonth).not.toBe(a.meanNetUsdPerMonth);
  });

  it('orders its summaries and its mean agrees with the inputs’ means', () => {
    const r = simulateReturns(uncertain, { seed: 3, draws: 20_000 });
    expect(r.p05NetUsdPerMonth).toBeLessThan(r.medianNetUsdPerMonth);
    expect(r.medianNetUsdPerMonth).toBeLessThan(r.p95NetUsdPerMonth);
    expect(r.probabilityOfLoss).toBeGreaterThan(0);
    expect(r.probabilityOfLoss).toBeLessThan(1);
    // Independent inputs: E[net] = E[u]·E[t]·E[v] − E[build]/24 − E[run] − E[maint].
    const m = (x: Triangular | number): number => (typeof x === 'number' ? x : triangularMean(x));
    const expected =
      m(uncertain.expectedUplift) * m(uncertain.trafficPerMonth) * m(uncertain.valuePerUnitUsd) -
      m(uncertain.buildCostUsd) / 24 -
      m(uncertain.runningCostUsdPerMonth) -
      m(uncertain.maintenanceCostUsdPerMonth);
    // The net's sd is about $45,000, so its SE over 20,000 draws is about $320.
    expect(Math.abs(r.meanNetUsdPerMonth - expected)).toBeLessThan(1_500);
  });

  it('rejects bad inputs', () => {
    expect(() => simulateReturns({ ...fixed, buildCostUsd: -1 }, { seed: 1 })).toThrow(RangeError);
    expect(() => simulateReturns({ ...fixed, amortisationMonths: 0 }, { seed: 1 })).toThrow(
      RangeError,
    );
    expect(() =>
      simulateReturns({ ...fixed, trafficPerMonth: { low: 5, likely: 1, high: 9 } }, { seed: 1 }),
    ).toThrow(RangeError);
    expect(() => simulateReturns(fixed, { seed: 1, draws: 0 })).toThrow(RangeError);
  });
});

describe('simulateReturns properties', () => {
  const draws = 300;
  const money = (max: number) => fc.double({ min: 0, max, noNaN: true });
  const triangular = (min: number, max: number) =>
    fc
      .tuple(
        fc.double({ min, max, noNaN: true }),
        fc.double({ min, max, noNaN: true }),
        fc.double({ min, max, noNaN: true }),
      )
      .map(([x, y, z]) => {
        const [low, likely, high] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        return { low, likely, high };
      });
  const uncertainMoney = (max: number) => fc.oneof(money(max), triangular(0, max));
  const inputs = fc.record({
    expectedUplift: fc.oneof(
      fc.double({ min: -0.05, max: 0.05, noNaN: true }),
      triangular(-0.05, 0.05),
    ),
    trafficPerMonth: uncertainMoney(1e7),
    valuePerUnitUsd: uncertainMoney(500),
    buildCostUsd: uncertainMoney(1e6),
    amortisationMonths: fc.oneof(fc.integer({ min: 1, max: 60 }), triangular(1, 60)),
    runningCostUsdPerMonth: uncertainMoney(1e5),
    maintenanceCostUsdPerMonth: uncertainMoney(1e5),
  });
  const seed = fc.integer();

  /** Shifts a fixed or triangular input up by delta ≥ 0. */
  const raise = (x: number | Triangular, delta: number): number | Triangular =>
    typeof x === 'number'
      ? x + delta
      : { low: x.low + delta, likely: x.likely + delta, high: x.high + delta };

  // Floating-point rounding (a shifted triangle's width, quantile interpolation) may move a
  // result by a few ulps the wrong way; the properties allow that much and no more.
  const slack = (x: number): number => 1e-9 * (1 + Math.abs(x));

  const summaries = (r: ReturnType<typeof simulateReturns>): number[] => [
    r.meanNetUsdPerMonth,
    r.medianNetUsdPerMonth,
    r.p05NetUsdPerMonth,
    r.p95NetUsdPerMonth,
  ];

  it('never gives NaN', () => {
    fc.assert(
      fc.property(inputs, seed, (x, s) => {
        const r = simulateReturns(x, { seed: s, draws });
        return (
          summaries(r).every(Number.isFinite) &&
          !Number.isNaN(r.breakEvenMonthsAtMedian) &&
          r.breakEvenMonthsAtMedian >= 0 &&
          r.probabilityOfLoss >= 0 &&
          r.probabilityOfLoss <= 1
        );
      }),
    );
  });

  it('more uplift never lowers the return, with the same seed', () => {
    fc.assert(
      fc.property(inputs, seed, fc.double({ min: 0, max: 0.05, noNaN: true }), (x, s, delta) => {
        const base = simulateReturns(x, { seed: s, draws });
        const more = simulateReturns(
          { ...x, expectedUplift: raise(x.expectedUplift, delta) },
          { seed: s, draws },
        );
        const b = summaries(base);
        const m = summaries(more);
        return (
          b.every((v, i) => m[i]! >= v - slack(v)) &&
          more.probabilityOfLoss <= base.probabilityOfLoss &&
          more.breakEvenMonthsAtMedian <=
            base.breakEvenMonthsAtMedian + slack(base.breakEvenMonthsAtMedian)
        );
      }),
    );
  });

  it('more cost never raises the return, with the same seed', () => {
    const costName = fc.constantFrom(
      'buildCostUsd',
      'runningCostUsdPerMonth',
      'maintenanceCostUsdPerMonth',
    ) satisfies fc.Arbitrary<keyof ReturnsInputs>;
    fc.assert(
      fc.property(inputs, seed, costName, money(1e5), (x, s, name, delta) => {
        const base = simulateReturns(x, { seed: s, draws });
        const more = simulateReturns({ ...x, [name]: raise(x[name], delta) }, { seed: s, draws });
        const b = summaries(base);
        const m = summaries(more);
        return (
          b.every((v, i) => m[i]! <= v + slack(v)) &&
          more.probabilityOfLoss >= base.probabilityOfLoss
        );
      }),
    );
  });
});
