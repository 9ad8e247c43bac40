/**
 * Realistic returns: hype meets arithmetic.
 *
 * An ML project's net monthly return, in USD, is what its uplift earns minus what it costs:
 *
 *   grossUsdPerMonth     = expectedUplift · trafficPerMonth · valuePerUnitUsd
 *   operatingUsdPerMonth = grossUsdPerMonth − runningCostUsdPerMonth − maintenanceCostUsdPerMonth
 *   netUsdPerMonth       = operatingUsdPerMonth − buildCostUsd / amortisationMonths
 *   paybackMonths        = buildCostUsd / operatingUsdPerMonth   (Infinity when operating ≤ 0)
 *
 * `expectedUplift` is the extra value-units per unit of traffic that the model brings over what
 * runs today (for example +0.002 conversions per visit), so it may be negative.
 *
 * Every input is either a fixed number or a triangular { low, likely, high } guess. The
 * uncertainty is propagated by seeded Monte Carlo: each draw samples every triangular input by
 * its inverse CDF from a uniform, and each input has its own stream (`rng.fork(name)`), so the
 * same seed gives the same draws, and raising one input moves every draw the same way
 * (common random numbers): more uplift never lowers any reported quantile, more cost never
 * raises one.
 */

import { createRng, type Rng } from '../random';
import { sortedQuantile } from './bootstrap';

/** A triangular distribution given by its minimum, mode and maximum (low ≤ likely ≤ high). */
export interface Triangular {
  low: number;
  likely: number;
  high: number;
}

/** An input that is either known (a number) or a triangular guess. */
export type UncertainNumber = number | Triangular;

/** The inputs of a returns estimate. Money is in US dollars. */
export interface ReturnsInputs {
  /** Extra value-units per unit of traffic (e.g. conversions per visit); may be negative. */
  expectedUplift: UncertainNumber;
  /** Units of traffic per month (visits, sessions, predictions served); ≥ 0. */
  trafficPerMonth: UncertainNumber;
  /** Value of one unit of uplift, in USD (e.g. margin per conversion); ≥ 0. */
  valuePerUnitUsd: UncertainNumber;
  /** One-off cost to build and launch, in USD; ≥ 0. */
  buildCostUsd: UncertainNumber;
  /** Months over which the build cost is spread in the net return; > 0. */
  amortisationMonths: UncertainNumber;
  /** Serving and infrastructure cost per month, in USD; ≥ 0. */
  runningCostUsdPerMonth: UncertainNumber;
  /** Upkeep per month (retraining, monitoring, on-call), in USD; ≥ 0. */
  maintenanceCostUsdPerMonth: UncertainNumber;
}

/** The names of the inputs, in the fixed order the simulation samples them. */
export const RETURNS_INPUT_NAMES = [
  'expectedUplift',
  'trafficPerMonth',
  'valuePerUnitUsd',
  'buildCostUsd',
  'amortisationMonths',
  'runningCostUsdPerMonth',
  'maintenanceCostUsdPerMonth',
] as const satisfies readonly (keyof ReturnsInputs)[];

/** Options of {@link simulateReturns}. */
export interface ReturnsOptions {
  /** Seed of the simulation; the same seed gives the same result. */
  seed: number | string;
  /** Number of Monte Carlo draws; default 10,000. */
  draws?: number;
}

/** What the simulation reports about the net monthly return. */
export interface ReturnsEstimate {
  /** Mean of the net monthly return over the draws, USD. */
  meanNetUsdPerMonth: number;
  /** Median (50th percentile) of the net monthly return, USD. */
  medianNetUsdPerMonth: number;
  /** 5th percentile of the net monthly return, USD. */
  p05NetUsdPerMonth: number;
  /** 95th percentile of the net monthly return, USD. */
  p95NetUsdPerMonth: number;
  /** Share of draws whose net monthly return is below 0. */
  probabilityOfLoss: number;
  /**
   * Median over the draws of the payback time buildCostUsd / operatingUsdPerMonth, in months;
   * Infinity when the median draw never pays the build back.
   */
  breakEvenMonthsAtMedian: number;
  /** Number of draws. */
  draws: number;
  /** The net monthly returns of all draws, sorted ascending (for histograms). */
  netUsdPerMonthSorted: Float64Array;
}

/** Whether an input is a triangular guess rather than a fixed number. */
export function isTriangular(value: UncertainNumber): value is Triangular {
  return typeof value === 'object';
}

/** Throws a RangeError unless low ≤ likely ≤ high, all finite. */
export function checkTriangular(t: Triangular, name = 'triangular'): void {
  if (![t.low, t.likely, t.high].every(Number.isFinite)) {
    throw new RangeError(`${name}: low, likely and high must be finite`);
  }
  if (!(t.low <= t.likely && t.likely <= t.high)) {
    throw new RangeError(`${name}: needs low ≤ likely ≤ high`);
  }
}

/** Mean of a triangular distribution: (low + likely + high) / 3. */
export function triangularMean(t: Triangular): number {
  return (t.low + t.likely + t.high) / 3;
}

/**
 * Inverse CDF of a triangular distribution with a = low, c = likely, b = high, at u in [0, 1]:
 *   F⁻¹(u) = a + √(u·(b − a)·(c − a))           for u < (c − a)/(b − a)
 *   F⁻¹(u) = b − √((1 − u)·(b − a)·(b − c))     otherwise
 * and a itself when a = b.
 */
export function triangularQuantile(t: Triangular, u: number): number {
  const { low: a, likely: c, high: b } = t;
  const width = b - a;
  if (!(width > 0)) return a;
  if (u < (c - a) / width) return a + Math.sqrt(u * width * (c - a));
  return b - Math.sqrt((1 - u) * width * (b - c));
}

/**
 * Median of a triangular distribution, F⁻¹(1/2):
 *   a + √((b − a)(c − a)/2) when c ≥ (a + b)/2, else b − √((b − a)(b − c)/2).
 */
export function triangularMedian(t: Triangular): number {
  return triangularQuantile(t, 0.5);
}

/** One draw of an uncertain input: the number itself, or the triangular inverse CDF at u. */
export function sampleUncertain(value: UncertainNumber, rng: Rng): number {
  const u = rng.next();
  return isTriangular(value) ? triangularQuantile(value, u) : value;
}

function checkInputs(inputs: ReturnsInputs): void {
  for (const name of RETURNS_INPUT_NAMES) {
    const value = inputs[name];
    let low: number;
    if (isTriangular(value)) {
      checkTriangular(value, name);
      low = value.low;
    } else {
      if (!Number.isFinite(value)) throw new RangeError(`${name} must be finite`);
      low = value;
    }
    if (name === 'expectedUplift') continue;
    if (name === 'amortisationMonths' ? !(low > 0) : !(low >= 0)) {
      throw new RangeError(`${name} must be ${name === 'amortisationMonths' ? '> 0' : '≥ 0'}`);
    }
  }
}

/**
 * The net monthly return for one set of known inputs, in USD:
 * expectedUplift · trafficPerMonth · valuePerUnitUsd − buildCostUsd / amortisationMonths
 * − runningCostUsdPerMonth − maintenanceCostUsdPerMonth.
 */
export function netReturnUsdPerMonth(
  values: Readonly<Record<keyof ReturnsInputs, number>>,
): number {
  return (
    values.expectedUplift * values.trafficPerMonth * values.valuePerUnitUsd -
    values.runningCostUsdPerMonth -
    values.maintenanceCostUsdPerMonth -
    values.buildCostUsd / values.amortisationMonths
  );
}

/**
 * Months to pay back the build cost from the operating margin, buildCostUsd / operating, where
 * operating = uplift · traffic · value − running − maintenance; Infinity when operating ≤ 0
 * (0 when there is no build cost to pay back and the margin is positive).
 */
export function paybackMonths(values: Readonly<Record<keyof ReturnsInputs, number>>): number {
  const operating =
    values.expectedUplift * values.trafficPerMonth * values.valuePerUnitUsd -
    values.runningCostUsdPerMonth -
    values.maintenanceCostUsdPerMonth;
  if (!(operating > 0)) return Number.POSITIVE_INFINITY;
  return values.buildCostUsd / operating;
}

/** sortedQuantile for an ascending array whose top values may be +Infinity (never NaN). */
function sortedQuantileWithInfinity(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  if (h === lo) return below;
  if (above === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return sortedQuantile(sorted, q);
}

/**
 * Estimates the net monthly return of an ML project by seeded Monte Carlo over its uncertain
 * inputs (see the module header for the formulas). Reports the mean, the median, the 5th and
 * 95th percentiles (Hyndman–Fan type 7), the probability of a loss (net < 0) and the median
 * payback time. Deterministic by seed. Throws a RangeError on invalid inputs or draw count.
 */
export function simulateReturns(inputs: ReturnsInputs, options: ReturnsOptions): ReturnsEstimate {
  checkInputs(inputs);
  const draws = options.draws ?? 10_000;
  if (!(Number.isInteger(draws) && draws >= 1)) {
    throw new RangeError('draws must be an integer ≥ 1');
  }
  const root = createRng(options.seed);
  const streams = RETURNS_INPUT_NAMES.map((name) => root.fork(name));
  const net = new Float64Array(draws);
  const payback = new Float64Array(draws);
  const values: Record<keyof ReturnsInputs, number> = {
    expectedUplift: 0,
    trafficPerMonth: 0,
    valuePerUnitUsd: 0,
    buildCostUsd: 0,
    amortisationMonths: 1,
    runningCostUsdPerMonth: 0,
    maintenanceCostUsdPerMonth: 0,
  };
  let sum = 0;
  let losses = 0;
  for (let i = 0; i < draws; i++) {
    for (let k = 0; k < RETURNS_INPUT_NAMES.length; k++) {
      const name = RETURNS_INPUT_NAMES[k]!;
      values[name] = sampleUncertain(inputs[name], streams[k]!);
    }
    const n = netReturnUsdPerMonth(values);
    net[i] = n;
    payback[i] = paybackMonths(values);
    sum += n;
    if (n < 0) losses++;
  }
  net.sort();
  payback.sort();
  return {
    meanNetUsdPerMonth: sum / draws,
    medianNetUsdPerMonth: sortedQuantile(net, 0.5),
    p05NetUsdPerMonth: sortedQuantile(net, 0.05),
    p95NetUsdPerMonth: sortedQuantile(net, 0.95),
    probabilityOfLoss: losses / draws,
    breakEvenMonthsAtMedian: sortedQuantileWithInfinity(payback, 0.5),
    draws,
    netUsdPerMonthSorted: net,
  };
}
