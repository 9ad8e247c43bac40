/**
 * The returns sandbox (lesson 5) as exercises see it. Its inputs are flat: each uncertain input
 * of `simulateReturns` as three numbers (`buildCostUsd.low`, `.likely`, `.high`; equal values
 * mean a known number), plus the seed of the 10,000 draws. The state is the estimate the
 * sandbox shows, and the inputs themselves under `input.*`, so a check can also pin a choice
 * ("keep the build cost at least $200,000").
 */
import * as z from 'zod/mini';
import {
  RETURNS_INPUT_NAMES,
  simulateReturns,
  type ReturnsEstimate,
  type ReturnsInputs,
  type UncertainNumber,
} from '../../business/returns';
import type { FlatState } from '../receipt-schema';
import { parseWithSchema, pathsOf, type SandboxKind } from '../sandbox-kind';

/** One uncertain input of the returns estimate. */
export type ReturnsInputName = (typeof RETURNS_INPUT_NAMES)[number];
/** The three numbers of a triangular guess. */
export const TRIANGLE_FIELDS = ['low', 'likely', 'high'] as const;
/** Monte Carlo draws per estimate, in the sandbox and in every replay. */
export const RETURNS_DRAWS = 10_000;

/** The returns sandbox's flat inputs: `<input>.<low|likely|high>` in the input's unit, and `seed`. */
export type ReturnsSandboxInputs = Record<
  `${ReturnsInputName}.${'low' | 'likely' | 'high'}`,
  number
> & {
  seed: number;
};

/** Plain words for each uncertain input, with its unit. */
export const RETURNS_INPUT_LABELS: Readonly<Record<ReturnsInputName, string>> = {
  expectedUplift: 'Uplift: extra purchases per visit',
  trafficPerMonth: 'Visits per month',
  valuePerUnitUsd: 'Margin per extra purchase (USD)',
  buildCostUsd: 'Cost to build and launch (USD)',
  amortisationMonths: 'Months to spread the build cost over',
  runningCostUsdPerMonth: 'Serving cost per month (USD)',
  maintenanceCostUsdPerMonth: 'Upkeep per month (USD): retraining, monitoring',
};

/** A recommender on an online shop; every number is a course example, not a benchmark. */
const DEFAULT_TRIANGLES: Readonly<Record<ReturnsInputName, readonly [number, number, number]>> = {
  expectedUplift: [-0.001, 0.001, 0.003],
  trafficPerMonth: [1_500_000, 2_000_000, 2_500_000],
  valuePerUnitUsd: [20, 25, 30],
  buildCostUsd: [150_000, 150_000, 150_000],
  amortisationMonths: [24, 24, 24],
  runningCostUsdPerMonth: [2_000, 3_000, 5_000],
  maintenanceCostUsdPerMonth: [4_000, 6_000, 10_000],
};

const finite = z.number().check(z.refine(Number.isFinite));
const shape: Record<string, z.core.$ZodType> = {
  seed: z.number().check(z.int(), z.minimum(0), z.maximum(2 ** 31 - 1)),
};
const descriptions: Record<string, string> = {
  seed: 'Seed of the 10,000 Monte Carlo draws: a whole number from 0 to 2147483647.',
};
const defaults: Record<string, number> = { seed: 1 };
for (const name of RETURNS_INPUT_NAMES) {
  TRIANGLE_FIELDS.forEach((field, index) => {
    const key = `${name}.${field}`;
    const lowest = name === 'expectedUplift' ? -1e12 : name === 'amortisationMonths' ? 1e-9 : 0;
    shape[key] = finite.check(z.minimum(lowest), z.maximum(1e12));
    descriptions[key] =
      `${RETURNS_INPUT_LABELS[name]}, ${field} value of the triangular guess` +
      (name === 'expectedUplift'
        ? ' (may be negative).'
        : name === 'amortisationMonths'
          ? ' (above 0).'
          : ' (0 or more).') +
      ' Low ≤ likely ≤ high.';
    defaults[key] = DEFAULT_TRIANGLES[name][index] as number;
  });
}

/** The flat inputs as the uncertain inputs of `simulateReturns` (equal triple → a number). */
export function returnsInputsOf(inputs: ReturnsSandboxInputs): ReturnsInputs {
  const entries = RETURNS_INPUT_NAMES.map((name): [ReturnsInputName, UncertainNumber] => {
    const low = inputs[`${name}.low`];
    const likely = inputs[`${name}.likely`];
    const high = inputs[`${name}.high`];
    return [name, low === likely && likely === high ? likely : { low, likely, high }];
  });
  return Object.fromEntries(entries) as unknown as ReturnsInputs;
}

/** The estimate the sandbox shows for these inputs: {@link RETURNS_DRAWS} draws from their seed. */
export function returnsEstimateOf(inputs: ReturnsSandboxInputs): ReturnsEstimate {
  return simulateReturns(returnsInputsOf(inputs), { seed: inputs.seed, draws: RETURNS_DRAWS });
}

/**
 * The returns sandbox's state for an estimate of these inputs: `net.meanUsdPerMonth`,
 * `net.medianUsdPerMonth`, `net.p05UsdPerMonth`, `net.p95UsdPerMonth` (whole dollars),
 * `probabilityOfLoss` (0–1, four decimals), `paybackMonths` (median payback, one decimal; null
 * when the median draw never pays back), `draws`, and every input under `input.<name>`.
 */
export function returnsStateFrom(
  inputs: ReturnsSandboxInputs,
  estimate: ReturnsEstimate,
): FlatState {
  const state: FlatState = {
    'net.meanUsdPerMonth': Math.round(estimate.meanNetUsdPerMonth),
    'net.medianUsdPerMonth': Math.round(estimate.medianNetUsdPerMonth),
    'net.p05UsdPerMonth': Math.round(estimate.p05NetUsdPerMonth),
    'net.p95UsdPerMonth': Math.round(estimate.p95NetUsdPerMonth),
    probabilityOfLoss: Number(estimate.probabilityOfLoss.toFixed(4)),
    paybackMonths: Number.isFinite(estimate.breakEvenMonthsAtMedian)
      ? Number(estimate.breakEvenMonthsAtMedian.toFixed(1))
      : null,
    draws: estimate.draws,
  };
  for (const [key, value] of Object.entries(inputs)) state[`input.${key}`] = value;
  return state;
}

/** {@link returnsStateFrom} of {@link returnsEstimateOf}: the state exercises read. */
export function returnsExerciseState(inputs: ReturnsSandboxInputs): FlatState {
  return returnsStateFrom(inputs, returnsEstimateOf(inputs));
}

/** The returns sandbox (lesson 5) for the exercise framework. */
export const returnsKind: SandboxKind<ReturnsSandboxInputs> = {
  id: 'returns',
  actionPhrase: 'Change the estimates in the sandbox',
  inputsSchema: z.object(shape),
  inputDescriptions: descriptions,
  defaults: defaults as ReturnsSandboxInputs,
  paramInputs: Object.keys(shape),
  parseInputs(inputs) {
    const parsed = parseWithSchema<ReturnsSandboxInputs>(returnsKind, inputs);
    for (const name of RETURNS_INPUT_NAMES) {
      const [low, likely, high] = TRIANGLE_FIELDS.map((field) => parsed[`${name}.${field}`]);
      if (!((low as number) <= (likely as number) && (likely as number) <= (high as number))) {
        throw new RangeError(
          `returns inputs: ${name} has low ${low}, likely ${likely}, high ${high} — expected low ≤ likely ≤ high`,
        );
      }
    }
    return parsed;
  },
  stateOf: returnsExerciseState,
  statePaths: pathsOf(returnsExerciseState(defaults as ReturnsSandboxInputs)),
};
