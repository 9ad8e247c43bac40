/**
 * Simulated user traffic for an A/B test between two recommender models on an online shop.
 *
 * Each candidate model comes from a small catalogue ({@link AB_MODELS}) that states its offline
 * ML metric and, as a course assumption, its true effect on the business: the share of users
 * who buy something during the test (the KPI, "purchase-through rate") and the share of users
 * who contact customer support (the guardrail, where higher is worse). The test itself never
 * sees those true rates: it sees only counts, as a real test would.
 *
 * One run of the test:
 * 1. 2·n users arrive (n = planned users per arm). User i goes to arm A or B by a seeded hash
 *    of (seed, i), so the split is 50/50 in expectation and the same user always lands in the
 *    same arm for a given seed ({@link armOfUser}).
 * 2. In each arm, purchases ~ Binomial(users, purchase rate) and support contacts
 *    ~ Binomial(users, support rate), drawn with `binomialDeviate` from independent forks of
 *    the seed (independence of the two outcomes is a simplification).
 * 3. The KPI and the guardrail are each compared with the two-proportion z-test at level α.
 * 4. {@link decideAbTest}: ship B only when its purchase rate is significantly higher and its
 *    support-contact rate is not significantly higher by at least the tolerated
 *    {@link AB_GUARDRAIL_TOLERANCE} (half a percentage point).
 *
 * Same inputs and seed ⇒ the same counts, tests and decision, on every machine.
 */

import { binomialDeviate } from '../business/bootstrap';
import { createRng, hashString32 } from '../random';
import { powerOf, sampleSizePerArm, twoProportionZTest, type TwoProportionTest } from './ab-test';

/** The ids of the catalogue's recommender models. */
export const AB_MODEL_IDS = [
  'current',
  'retrained',
  'session-aware',
  'fast-answers',
  'upsell',
] as const;
/** One model id of the catalogue. */
export type AbModelId = (typeof AB_MODEL_IDS)[number];

/** A candidate recommender: what the offline evaluation says, and (hidden) what it does to users. */
export interface RecommenderModel {
  /** Catalogue id. */
  id: AbModelId;
  /** Short name for menus. */
  name: string;
  /** One sentence on what the model does differently. */
  description: string;
  /**
   * Offline accuracy, 0–1: on last month's logged sessions, the share in which the item the
   * user went on to buy or open was among the model's top recommendations.
   */
  offlineAccuracy: number;
  /** True share of users who buy at least one item during the test (the KPI), 0–1. */
  purchaseRate: number;
  /** True share of users who contact customer support during the test (the guardrail), 0–1. */
  supportContactRate: number;
  /** Why the course assumes these true rates, in plain words. */
  assumption: string;
}

/**
 * The catalogue. Every number is a course assumption for teaching, not a measurement: the
 * current model's 10% purchase rate and 5% support-contact rate play the shop's history, and
 * each candidate's true effect is chosen to illustrate one way offline and online results
 * relate.
 */
export const AB_MODELS: Readonly<Record<AbModelId, RecommenderModel>> = {
  current: {
    id: 'current',
    name: 'Current model (nightly batch)',
    description: 'Recommendations computed once a night for every user; what the shop runs today.',
    offlineAccuracy: 0.94,
    purchaseRate: 0.1,
    supportContactRate: 0.05,
    assumption: 'The shop’s history: 10% of users buy something, 5% contact support.',
  },
  retrained: {
    id: 'retrained',
    name: 'Retrained model (+0.2 points offline)',
    description: 'The same design retrained with extra features: 94.2% offline instead of 94%.',
    offlineAccuracy: 0.942,
    purchaseRate: 0.1,
    supportContactRate: 0.05,
    assumption: 'The small offline gain changes nothing users notice: no effect on either rate.',
  },
  'session-aware': {
    id: 'session-aware',
    name: 'Session-aware model (online prediction)',
    description: 'Recomputes recommendations from what the user clicks during this visit.',
    offlineAccuracy: 0.946,
    purchaseRate: 0.11,
    supportContactRate: 0.05,
    assumption:
      'Suggestions that follow what the user wants right now lift purchases from 10% to 11%.',
  },
  'fast-answers': {
    id: 'fast-answers',
    name: 'Problem-solver model (best offline)',
    description:
      'Puts the guide, answer or spare part that fixes the user’s problem first; best offline score.',
    offlineAccuracy: 0.961,
    purchaseRate: 0.094,
    supportContactRate: 0.035,
    assumption:
      'Users find their fix at once: fewer contact support (3.5%), but they browse less and fewer buy (9.4%).',
  },
  upsell: {
    id: 'upsell',
    name: 'Cross-sell model (bundles and add-ons)',
    description: 'Pushes bundles and add-ons next to every item.',
    offlineAccuracy: 0.938,
    purchaseRate: 0.106,
    supportContactRate: 0.062,
    assumption:
      'More users buy (10.6%), but more of them ask for help with orders they did not mean to make (6.2%).',
  },
};

/**
 * The guardrail harm the shop tolerates: B fails the guardrail only when its support-contact
 * rate is significantly higher (p < α) AND higher by at least this much (0.005 = half a
 * percentage point). Without a tolerance, a model with no effect on support would still fail
 * the guardrail by chance in α/2 of tests; with it, chance alone almost never crosses 0.5
 * points once a test is large (at 50,000 users per arm that needs z > 3.6).
 */
export const AB_GUARDRAIL_TOLERANCE = 0.005;

/** Fewest and most users per arm a test may plan. */
export const AB_USERS_PER_ARM_RANGE = { min: 100, max: 500_000 } as const;

/** The inputs of one simulated A/B test. */
export interface AbTrafficConfig {
  /** Arm A, the control. */
  modelA: AbModelId;
  /** Arm B, the treatment. */
  modelB: AbModelId;
  /** Planned users per arm n; 2·n users are split between the arms by the hash. */
  usersPerArm: number;
  /** Two-sided significance level of both tests, 0–1 exclusive. */
  alpha: number;
  /** Seed of the split and of the outcomes. */
  seed: number;
}

/** One arm's counts. */
export interface ArmCounts {
  /** Users the hash sent to this arm. */
  users: number;
  /** Users who bought at least one item. */
  purchases: number;
  /** Users who contacted customer support. */
  supportContacts: number;
}

/** Why the test decided what it did. */
export type AbDecisionReason = 'kpi-up' | 'no-clear-difference' | 'kpi-down' | 'guardrail-worse';

/** The decision rule's verdict. */
export interface AbDecision {
  /** 'ship-b' only when the rule's two conditions hold; otherwise keep the control. */
  decision: 'ship-b' | 'keep-a';
  /** The reason, see {@link decideAbTest}. */
  reason: AbDecisionReason;
}

/** What the offline metric says about the pair. */
export interface OfflineVerdict {
  /** Offline accuracy of A and of B. */
  accuracyA: number;
  accuracyB: number;
  /** Which arm the offline metric prefers ('tie' when equal). */
  prefers: 'a' | 'b' | 'tie';
}

/** The outcome of one simulated A/B test. */
export interface AbTrafficResult {
  /** The inputs, as given. */
  config: AbTrafficConfig;
  /** Counts in arm A and arm B. */
  a: ArmCounts;
  b: ArmCounts;
  /** Two-proportion z-test of the purchase rate (B − A). */
  kpi: TwoProportionTest;
  /** Two-proportion z-test of the support-contact rate (B − A; positive is worse for B). */
  guardrail: TwoProportionTest;
  /** B's support-contact rate is significantly higher than A's, by at least the tolerance. */
  guardrailWorse: boolean;
  /** The decision rule's verdict. */
  decision: AbDecision;
  /** The offline metric's verdict, for contrast. */
  offline: OfflineVerdict;
}

/** The murmur3 32-bit finaliser: an invertible mix with full avalanche. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The per-seed key of the split hash. */
function splitKey(seed: number): number {
  return hashString32(`ab-split/${seed}`);
}

function armFromKey(key: number, userIndex: number): 'a' | 'b' {
  // Golden-ratio stride (as in splitmix32) then the finaliser; the top bit picks the arm.
  return fmix32((key + Math.imul(userIndex + 1, 0x9e3779b9)) >>> 0) >>> 31 === 0 ? 'a' : 'b';
}

/**
 * The arm of user `userIndex` (0, 1, 2, …) in the test with this seed:
 * arm = top bit of fmix32(key + (i + 1)·0x9E3779B9 mod 2³²), key = FNV-1a("ab-split/<seed>"),
 * 0 → A, 1 → B. Deterministic, so a returning user keeps their arm; 50/50 in expectation.
 */
export function armOfUser(seed: number, userIndex: number): 'a' | 'b' {
  return armFromKey(splitKey(seed), userIndex);
}

/** Number of the first `totalUsers` users that the hash sends to arm A. */
export function usersInArmA(seed: number, totalUsers: number): number {
  const key = splitKey(seed);
  let count = 0;
  for (let i = 0; i < totalUsers; i++) if (armFromKey(key, i) === 'a') count++;
  return count;
}

/**
 * Whether B fails the guardrail: its rate is significantly higher than A's (p < α) and higher
 * by at least `tolerance` (a rate difference, default {@link AB_GUARDRAIL_TOLERANCE}).
 */
export function guardrailFails(
  guardrail: TwoProportionTest,
  tolerance: number = AB_GUARDRAIL_TOLERANCE,
): boolean {
  return guardrail.significant && guardrail.difference > 0 && guardrail.difference >= tolerance;
}

/**
 * The decision rule, in this order:
 * - B's purchase rate significantly lower (p < α, difference < 0) → keep A, 'kpi-down';
 * - no significant difference in purchases → keep A, 'no-clear-difference' (no evidence that
 *   B helps, so the change is not worth its risk);
 * - purchases significantly higher but the guardrail fails ({@link guardrailFails}) → keep A,
 *   'guardrail-worse';
 * - otherwise → ship B, 'kpi-up'.
 */
export function decideAbTest(
  kpi: TwoProportionTest,
  guardrail: TwoProportionTest,
  tolerance: number = AB_GUARDRAIL_TOLERANCE,
): AbDecision {
  if (kpi.significant && kpi.difference < 0) return { decision: 'keep-a', reason: 'kpi-down' };
  if (!(kpi.significant && kpi.difference > 0)) {
    return { decision: 'keep-a', reason: 'no-clear-difference' };
  }
  if (guardrailFails(guardrail, tolerance)) {
    return { decision: 'keep-a', reason: 'guardrail-worse' };
  }
  return { decision: 'ship-b', reason: 'kpi-up' };
}

function checkConfig(config: AbTrafficConfig): void {
  if (!AB_MODEL_IDS.includes(config.modelA) || !AB_MODEL_IDS.includes(config.modelB)) {
    throw new RangeError(`models must be among ${AB_MODEL_IDS.join(', ')}`);
  }
  const { min, max } = AB_USERS_PER_ARM_RANGE;
  if (
    !Number.isInteger(config.usersPerArm) ||
    config.usersPerArm < min ||
    config.usersPerArm > max
  ) {
    throw new RangeError(`usersPerArm must be a whole number from ${min} to ${max}`);
  }
  if (!(config.alpha > 0 && config.alpha < 1)) throw new RangeError('alpha must lie in (0, 1)');
  if (!Number.isInteger(config.seed)) throw new RangeError('seed must be a whole number');
}

/**
 * Simulates one A/B test (see the module comment): splits 2·usersPerArm users by the seeded
 * hash, draws each arm's purchases and support contacts from the models' true rates, tests
 * both rates with `twoProportionZTest` at α and applies {@link decideAbTest}. Cost: one hash
 * per user plus four binomial draws.
 */
export function simulateAbTest(config: AbTrafficConfig): AbTrafficResult {
  checkConfig(config);
  const modelA = AB_MODELS[config.modelA];
  const modelB = AB_MODELS[config.modelB];
  const totalUsers = 2 * config.usersPerArm;
  const usersA = usersInArmA(config.seed, totalUsers);
  const usersB = totalUsers - usersA;
  const rng = createRng(config.seed);
  const a: ArmCounts = {
    users: usersA,
    purchases: binomialDeviate(rng.fork('a/purchases'), usersA, modelA.purchaseRate),
    supportContacts: binomialDeviate(rng.fork('a/support'), usersA, modelA.supportContactRate),
  };
  const b: ArmCounts = {
    users: usersB,
    purchases: binomialDeviate(rng.fork('b/purchases'), usersB, modelB.purchaseRate),
    supportContacts: binomialDeviate(rng.fork('b/support'), usersB, modelB.supportContactRate),
  };
  const kpi = twoProportionZTest(
    { usersA, conversionsA: a.purchases, usersB, conversionsB: b.purchases },
    config.alpha,
  );
  const guardrail = twoProportionZTest(
    { usersA, conversionsA: a.supportContacts, usersB, conversionsB: b.supportContacts },
    config.alpha,
  );
  const accuracyA = modelA.offlineAccuracy;
  const accuracyB = modelB.offlineAccuracy;
  return {
    config: { ...config },
    a,
    b,
    kpi,
    guardrail,
    guardrailWorse: guardrailFails(guardrail),
    decision: decideAbTest(kpi, guardrail),
    offline: {
      accuracyA,
      accuracyB,
      prefers: accuracyB > accuracyA ? 'b' : accuracyB < accuracyA ? 'a' : 'tie',
    },
  };
}

/** Inputs of the sample-size plan. */
export interface AbPlanInputs {
  /** Today's purchase rate, in percent (e.g. 10). */
  baselineRatePercent: number;
  /** Smallest change worth detecting, in percentage points (e.g. 1 for 10% → 11%). */
  minDetectableLiftPoints: number;
  /** Two-sided significance level. */
  alpha: number;
  /** Wanted power, 1 − β. */
  power: number;
  /** The users per arm actually chosen. */
  usersPerArm: number;
}

/** The plan: users needed for the wanted power, and the power of the chosen size. */
export interface AbPlan {
  /** `sampleSizePerArm(p1, p2, α, power)` with p1 = baseline, p2 = baseline + lift. */
  usersPerArmNeeded: number;
  /** `powerOf(usersPerArm, p1, p2, α)`: chance the chosen size detects the lift if it is real. */
  powerOfChosenSize: number;
}

/**
 * The sample-size plan for a test of p1 = baseline against p2 = baseline + lift (as fractions):
 * n = (z_{1−α/2}·√(2p̄(1−p̄)) + z_{1−β}·√(p1(1−p1) + p2(1−p2)))² / (p2 − p1)², p̄ = (p1 + p2)/2
 * (Fleiss et al., see `sampleSizePerArm`), and the power of the chosen n by `powerOf`.
 * Example: 10% baseline, 1-point lift, α = 0.05, 80% power → 14,751 users per arm.
 */
export function planAbTest(inputs: AbPlanInputs): AbPlan {
  const p1 = inputs.baselineRatePercent / 100;
  const p2 = (inputs.baselineRatePercent + inputs.minDetectableLiftPoints) / 100;
  return {
    usersPerArmNeeded: sampleSizePerArm(p1, p2, inputs.alpha, inputs.power),
    powerOfChosenSize: powerOf(inputs.usersPerArm, p1, p2, inputs.alpha),
  };
}
