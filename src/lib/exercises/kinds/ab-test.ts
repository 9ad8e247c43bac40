/**
 * The A/B test sandbox (lesson 4) as exercises see it. Its inputs are flat: the two models,
 * the users per arm, α, the seed, and the three plan inputs of the sample-size calculator
 * (baseline rate, smallest lift worth detecting, power). The state is one simulated test
 * (`simulateAbTest`) and the plan (`planAbTest`), rounded as the sandbox shows them, plus the
 * inputs under `input.*`.
 *
 * The sandbox's peeking panel is left out on purpose: its Monte Carlo does not depend on these
 * inputs, takes about a second per curve (so it runs in a worker), and no exercise grades it.
 * Keeping it out keeps `stateOf` synchronous and around a millisecond for typical sizes.
 */
import * as z from 'zod/mini';
import {
  AB_MODEL_IDS,
  AB_USERS_PER_ARM_RANGE,
  planAbTest,
  simulateAbTest,
  type AbModelId,
} from '../../experiments/ab-traffic';
import type { FlatState } from '../receipt-schema';
import { parseWithSchema, pathsOf, type SandboxKind } from '../sandbox-kind';

/** The A/B sandbox's flat inputs. */
export interface AbTestSandboxInputs extends Record<string, unknown> {
  /** Control model id. */
  modelA: AbModelId;
  /** Treatment model id. */
  modelB: AbModelId;
  /** Planned users per arm. */
  usersPerArm: number;
  /** Two-sided significance level of the test and the plan. */
  alpha: number;
  /** Seed of the split and the outcomes. */
  seed: number;
  /** Plan: today's purchase rate in percent. */
  baselineRatePercent: number;
  /** Plan: smallest lift worth detecting, in percentage points. */
  minDetectableLiftPoints: number;
  /** Plan: wanted power. */
  power: number;
}

/** The sandbox's starting inputs: the 94.2% retrained model against today's, 2,000 users per arm. */
export const AB_TEST_DEFAULTS: Readonly<AbTestSandboxInputs> = Object.freeze({
  modelA: 'current',
  modelB: 'retrained',
  usersPerArm: 2000,
  alpha: 0.05,
  seed: 1,
  baselineRatePercent: 10,
  minDetectableLiftPoints: 2,
  power: 0.8,
});

const modelEnum = z.enum(AB_MODEL_IDS);
const shape = {
  modelA: modelEnum,
  modelB: modelEnum,
  usersPerArm: z
    .number()
    .check(z.int(), z.minimum(AB_USERS_PER_ARM_RANGE.min), z.maximum(AB_USERS_PER_ARM_RANGE.max)),
  alpha: z.number().check(z.minimum(0.001), z.maximum(0.2)),
  seed: z.number().check(z.int(), z.minimum(0), z.maximum(2 ** 31 - 1)),
  baselineRatePercent: z.number().check(z.minimum(0.1), z.maximum(90)),
  minDetectableLiftPoints: z.number().check(z.minimum(0.05), z.maximum(50)),
  power: z.number().check(z.minimum(0.5), z.maximum(0.99)),
};

const descriptions: Record<keyof typeof shape, string> = {
  modelA: `Model in arm A, the control: one of ${AB_MODEL_IDS.join(', ')}.`,
  modelB: `Model in arm B, the treatment: one of ${AB_MODEL_IDS.join(', ')}.`,
  usersPerArm: `Planned users per arm: a whole number from ${AB_USERS_PER_ARM_RANGE.min} to ${AB_USERS_PER_ARM_RANGE.max.toLocaleString('en-US')} (twice as many users are split between the arms).`,
  alpha: 'Significance level α of the test and the plan: from 0.001 to 0.2.',
  seed: 'Seed of the split and of the outcomes: a whole number from 0 to 2147483647.',
  baselineRatePercent: 'Plan: today’s purchase rate in percent, from 0.1 to 90.',
  minDetectableLiftPoints:
    'Plan: smallest lift worth detecting, in percentage points (1 means 10% → 11%), from 0.05 to 50; baseline + lift must stay below 100.',
  power: 'Plan: wanted power, the chance of detecting a lift of that size: from 0.5 to 0.99.',
};

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * The A/B sandbox's state, rounded as it is shown:
 * - `arms.a.users`, `.purchases`, `.supportContacts`, `.purchaseRate`, `.supportRate` (rates
 *   to 4 decimals, i.e. percent to 2), and the same under `arms.b`;
 * - `kpi.difference` (B − A purchase rate), `kpi.low`, `kpi.high` (its 1 − α interval),
 *   `kpi.relativeLift` (4 decimals), `kpi.z` (2), `kpi.pValue` (4), `kpi.significant`;
 * - `guardrail.difference`, `guardrail.z`, `guardrail.pValue`, `guardrail.significant`,
 *   `guardrail.worse` (B's support-contact rate significantly higher);
 * - `decision` ('ship-b' | 'keep-a'), `decisionReason` ('kpi-up' | 'no-clear-difference' |
 *   'kpi-down' | 'guardrail-worse');
 * - `offline.accuracyA`, `offline.accuracyB`, `offline.prefers` ('a' | 'b' | 'tie'),
 *   `offline.agreesWithDecision` (offline prefers B exactly when the test ships B);
 * - `plan.usersPerArmNeeded`, `plan.powerOfChosenSize` (4 decimals);
 * - every input under `input.<name>`.
 */
export function abTestExerciseState(inputs: AbTestSandboxInputs): FlatState {
  const result = simulateAbTest({
    modelA: inputs.modelA,
    modelB: inputs.modelB,
    usersPerArm: inputs.usersPerArm,
    alpha: inputs.alpha,
    seed: inputs.seed,
  });
  const plan = planAbTest(inputs);
  const state: FlatState = {};
  for (const [arm, counts] of [
    ['a', result.a],
    ['b', result.b],
  ] as const) {
    state[`arms.${arm}.users`] = counts.users;
    state[`arms.${arm}.purchases`] = counts.purchases;
    state[`arms.${arm}.supportContacts`] = counts.supportContacts;
    state[`arms.${arm}.purchaseRate`] = round(counts.purchases / counts.users, 4);
    state[`arms.${arm}.supportRate`] = round(counts.supportContacts / counts.users, 4);
  }
  const { kpi, guardrail } = result;
  Object.assign(state, {
    'kpi.difference': round(kpi.difference, 4),
    'kpi.low': round(kpi.differenceInterval.low, 4),
    'kpi.high': round(kpi.differenceInterval.high, 4),
    'kpi.relativeLift': Number.isFinite(kpi.relativeLift) ? round(kpi.relativeLift, 4) : null,
    'kpi.z': round(kpi.z, 2),
    'kpi.pValue': round(kpi.pValue, 4),
    'kpi.significant': kpi.significant,
    'guardrail.difference': round(guardrail.difference, 4),
    'guardrail.z': round(guardrail.z, 2),
    'guardrail.pValue': round(guardrail.pValue, 4),
    'guardrail.significant': guardrail.significant,
    'guardrail.worse': result.guardrailWorse,
    decision: result.decision.decision,
    decisionReason: result.decision.reason,
    'offline.accuracyA': result.offline.accuracyA,
    'offline.accuracyB': result.offline.accuracyB,
    'offline.prefers': result.offline.prefers,
    'offline.agreesWithDecision':
      (result.offline.prefers === 'b') === (result.decision.decision === 'ship-b'),
    'plan.usersPerArmNeeded': plan.usersPerArmNeeded,
    'plan.powerOfChosenSize': round(plan.powerOfChosenSize, 4),
  } satisfies FlatState);
  for (const [key, value] of Object.entries(inputs)) {
    state[`input.${key}`] = value as number | string;
  }
  return state;
}

/** The A/B test sandbox (lesson 4) for the exercise framework. */
export const abTestKind: SandboxKind<AbTestSandboxInputs> = {
  id: 'ab-test',
  actionPhrase: 'Run the A/B test in the sandbox',
  inputsSchema: z.object(shape),
  inputDescriptions: descriptions,
  defaults: AB_TEST_DEFAULTS,
  paramInputs: [
    'seed',
    'usersPerArm',
    'alpha',
    'baselineRatePercent',
    'minDetectableLiftPoints',
    'power',
  ],
  parseInputs(inputs) {
    const parsed = parseWithSchema<AbTestSandboxInputs>(abTestKind, inputs);
    if (!(parsed.baselineRatePercent + parsed.minDetectableLiftPoints < 100)) {
      throw new RangeError(
        `ab-test inputs: baseline ${parsed.baselineRatePercent}% + lift ${parsed.minDetectableLiftPoints} points reaches 100% — expected a sum below 100`,
      );
    }
    return parsed;
  },
  stateOf: abTestExerciseState,
  statePaths: pathsOf(abTestExerciseState(AB_TEST_DEFAULTS)),
};
