/**
 * The Kubernetes Horizontal Pod Autoscaler (autoscaling/v2) as a pure step function over time:
 * `hpaStep(state, input) → state`, one call per sync period (15 s by default).
 *
 * One step does what the HPA controller's reconcile loop does (Kubernetes documentation,
 * "Horizontal Pod Autoscaling", section "Algorithm details" and "Configurable scaling behavior";
 * source: kubernetes/pkg/controller/podautoscaler, horizontal.go and replica_calculator.go):
 *
 * 1. If the current count lies outside [minReplicas, maxReplicas], clamp it and stop.
 * 2. Raw recommendation from the metric (replica_calculator.go, calcPlainMetricReplicas):
 *    ratio = currentMetric / targetMetric, the metric averaged over *ready* replicas.
 *    - If some replicas are not ready yet and ratio > 1 (a scale up), count those replicas as
 *      using 0 of the metric: ratio′ = ratio·ready / (ready + notReady); skip (keep current) if
 *      |ratio′ − 1| ≤ tolerance or ratio′ < 1, else desired = ⌈ratio′·(ready + notReady)⌉.
 *    - Otherwise: skip if |ratio − 1| ≤ tolerance (0.1 by default), else
 *      desired = ⌈ratio·ready⌉ (= ⌈current × currentMetric / targetMetric⌉ when all are ready).
 *    No ready replica means no metric: keep the current count.
 * 3. Stabilisation (horizontal.go, stabilizeRecommendationWithBehaviors): over the recorded raw
 *    recommendations newer than each window (plus this one), upLimit = min over the scale-up
 *    window, downLimit = max over the scale-down window; the stabilised value is the current
 *    count raised to at least upLimit, then lowered to at most downLimit. So a scale down happens
 *    only when *every* recommendation of the last scaleDown.stabilizationWindowSeconds (300 s by
 *    default) was lower — a dip in load does not shrink the fleet until the window has passed.
 *    The raw recommendation is recorded.
 * 4. Rate policies (convertDesiredReplicasWithBehaviorRate): for each policy, the replicas at
 *    the start of its period = current − added + removed within the last periodSeconds; a Pods
 *    policy allows ±value from there, a Percent policy allows ⌈start·(1 + v/100)⌉ up or
 *    ⌊start·(1 − v/100)⌋ down; selectPolicy Max takes the policy allowing the biggest change, Min
 *    the smallest, Disabled forbids scaling in that direction. The result is clamped to
 *    [minReplicas, maxReplicas].
 * 5. If the result differs from the current count, it becomes the new count and the change is
 *    recorded as a scale-up or scale-down event (for the rate policies of later steps).
 *
 * Defaults are the documented ones: tolerance 0.1, sync period 15 s; scale up: no stabilisation,
 * max of +100% and +4 pods per 15 s; scale down: 300 s stabilisation, −100% per 15 s.
 * Timestamps are compared strictly (a record counts while recordTime > now − window), as in the
 * controller, which uses time.After(cutoff).
 *
 * A new replica is not ready until it has started (the start-up delay is the simulation's
 * business, see request-sim.ts and analytic-day.ts); the HPA sees it as "not ready".
 */

/** One scaling policy: how much may change within a sliding period. */
export interface HpaScalingPolicy {
  /** 'Pods': an absolute number of replicas; 'Percent': a percentage of the count at the period's start. */
  type: 'Pods' | 'Percent';
  /** Replicas (Pods) or percent (Percent) per period, > 0. */
  value: number;
  /** Length of the sliding period, seconds (Kubernetes allows 1–1800). */
  periodS: number;
}

/** The scaling rules of one direction (Kubernetes' HPAScalingRules). */
export interface HpaScalingRules {
  /** Stabilisation window, seconds (0–3600). */
  stabilizationWindowS: number;
  /** Rate policies. */
  policies: readonly HpaScalingPolicy[];
  /** Which policy wins: the one allowing the most change (Max), the least (Min), or none (Disabled). */
  selectPolicy: 'Max' | 'Min' | 'Disabled';
}

/** An HPA's configuration. */
export interface HpaConfig {
  /** Lower bound on replicas (≥ 1 in Kubernetes; 0 allowed here for the sandbox). */
  minReplicas: number;
  /** Upper bound on replicas. */
  maxReplicas: number;
  /** Target value of the metric per ready replica (e.g. 0.6 for 60% utilisation). */
  targetMetricValue: number;
  /** No scaling while |ratio − 1| ≤ tolerance (Kubernetes default 0.1). */
  tolerance: number;
  /** Seconds between steps (the controller's sync period, default 15). */
  syncPeriodS: number;
  /** Rules for scaling up. */
  scaleUp: HpaScalingRules;
  /** Rules for scaling down. */
  scaleDown: HpaScalingRules;
}

/** Kubernetes' default scale-up rules: no stabilisation, max(+100%, +4 pods) per 15 s. */
export const DEFAULT_SCALE_UP: HpaScalingRules = {
  stabilizationWindowS: 0,
  policies: [
    { type: 'Percent', value: 100, periodS: 15 },
    { type: 'Pods', value: 4, periodS: 15 },
  ],
  selectPolicy: 'Max',
};

/** Kubernetes' default scale-down rules: 300 s stabilisation, −100% per 15 s. */
export const DEFAULT_SCALE_DOWN: HpaScalingRules = {
  stabilizationWindowS: 300,
  policies: [{ type: 'Percent', value: 100, periodS: 15 }],
  selectPolicy: 'Max',
};

/** An HPA config with Kubernetes' defaults and the given bounds and target. */
export function defaultHpaConfig(
  minReplicas: number,
  maxReplicas: number,
  targetMetricValue: number,
  overrides: Partial<HpaConfig> = {},
): HpaConfig {
  const config: HpaConfig = {
    minReplicas,
    maxReplicas,
    targetMetricValue,
    tolerance: 0.1,
    syncPeriodS: 15,
    scaleUp: DEFAULT_SCALE_UP,
    scaleDown: DEFAULT_SCALE_DOWN,
    ...overrides,
  };
  validateHpaConfig(config);
  return config;
}

/** Throws a RangeError for an impossible config (bounds, target, tolerance, periods). */
export function validateHpaConfig(config: HpaConfig): void {
  const { minReplicas, maxReplicas } = config;
  if (!(Number.isInteger(minReplicas) && minReplicas >= 0))
    throw new RangeError('minReplicas must be an integer ≥ 0');
  if (!(Number.isInteger(maxReplicas) && maxReplicas >= Math.max(1, minReplicas)))
    throw new RangeError('maxReplicas must be an integer ≥ max(1, minReplicas)');
  if (!(config.targetMetricValue > 0)) throw new RangeError('targetMetricValue must be > 0');
  if (!(config.tolerance >= 0 && config.tolerance < 1))
    throw new RangeError('tolerance must lie in [0, 1)');
  if (!(config.syncPeriodS > 0)) throw new RangeError('syncPeriodS must be > 0');
  for (const rules of [config.scaleUp, config.scaleDown]) {
    if (!(rules.stabilizationWindowS >= 0))
      throw new RangeError('stabilizationWindowS must be ≥ 0');
    for (const policy of rules.policies)
      if (!(policy.value > 0 && policy.periodS > 0))
        throw new RangeError('a policy needs value > 0 and periodS > 0');
  }
}

/** A recorded raw recommendation. */
export interface HpaRecommendation {
  /** When it was made, seconds. */
  timeS: number;
  /** Recommended replicas. */
  replicas: number;
}

/** A recorded scaling action. */
export interface HpaScaleEvent {
  /** When it happened, seconds. */
  timeS: number;
  /** Replicas added (scale-up events) or removed (scale-down events), > 0. */
  change: number;
}

/** Why the last step ended where it did (for the sandbox's explanation line). */
export type HpaReason =
  | 'below-min'
  | 'above-max'
  | 'within-tolerance'
  | 'no-metric'
  | 'stabilised'
  | 'rate-limited'
  | 'bounded'
  | 'scaled'
  | 'unchanged';

/** The HPA's state between steps. Immutable: a step returns a new object. */
export interface HpaState {
  /** The config it runs with. */
  config: HpaConfig;
  /** Time of the last step, seconds (−Infinity before the first). */
  timeS: number;
  /** The replica count the HPA has set (Kubernetes' spec.replicas of the scale target). */
  replicas: number;
  /** Raw recommendations still inside a stabilisation window. */
  recommendations: readonly HpaRecommendation[];
  /** Scale-up events still inside a scale-up policy period. */
  scaleUpEvents: readonly HpaScaleEvent[];
  /** Scale-down events still inside a scale-down policy period. */
  scaleDownEvents: readonly HpaScaleEvent[];
  /** Details of the last step. */
  last: {
    /** The metric's ratio to its target (NaN when there was no metric). */
    metricRatio: number;
    /** Step 2's raw recommendation. */
    rawReplicas: number;
    /** Step 3's stabilised recommendation. */
    stabilisedReplicas: number;
    /** The final count. */
    replicas: number;
    /** Why. */
    reason: HpaReason;
  };
}

/** What the HPA observes at a step. */
export interface HpaInput {
  /** Now, seconds (must not go backwards). */
  timeS: number;
  /** Replicas that are ready (serving) now. */
  readyReplicas: number;
  /** The metric averaged over ready replicas (e.g. utilisation 0–1); NaN when none is ready. */
  metricValue: number;
}

/** A fresh HPA state with `initialReplicas` set and no history. */
export function createHpaState(config: HpaConfig, initialReplicas: number): HpaState {
  validateHpaConfig(config);
  if (!(Number.isInteger(initialReplicas) && initialReplicas >= 0))
    throw new RangeError('initialReplicas must be an integer ≥ 0');
  return {
    config,
    timeS: -Infinity,
    replicas: initialReplicas,
    recommendations: [],
    scaleUpEvents: [],
    scaleDownEvents: [],
    last: {
      metricRatio: NaN,
      rawReplicas: initialReplicas,
      stabilisedReplicas: initialReplicas,
      replicas: initialReplicas,
      reason: 'unchanged',
    },
  };
}

/**
 * Step 2 alone: the metric's raw replica recommendation (Kubernetes' calcPlainMetricReplicas),
 * see the module comment. `currentReplicas` is the HPA's count, `readyReplicas` those serving.
 */
export function hpaRawRecommendation(
  currentReplicas: number,
  readyReplicas: number,
  metricValue: number,
  targetMetricValue: number,
  tolerance: number,
): { replicas: number; ratio: number; reason: HpaReason } {
  if (!(readyReplicas > 0) || !Number.isFinite(metricValue))
    return { replicas: currentReplicas, ratio: NaN, reason: 'no-metric' };
  const ratio = metricValue / targetMetricValue;
  const notReady = Math.max(0, currentReplicas - readyReplicas);
  if (!(notReady > 0 && ratio > 1)) {
    if (Math.abs(1 - ratio) <= tolerance)
      return { replicas: currentReplicas, ratio, reason: 'within-tolerance' };
    return { replicas: Math.ceil(ratio * readyReplicas), ratio, reason: 'scaled' };
  }
  // Scale up with replicas still starting: they count as using none of the metric.
  const all = readyReplicas + notReady;
  const newRatio = (ratio * readyReplicas) / all;
  if (Math.abs(1 - newRatio) <= tolerance || newRatio < 1)
    return { replicas: currentReplicas, ratio: newRatio, reason: 'within-tolerance' };
  const replicas = Math.ceil(newRatio * all);
  return {
    replicas: replicas < currentReplicas ? currentReplicas : replicas,
    ratio: newRatio,
    reason: 'scaled',
  };
}

/**
 * The largest count a scale up may reach now (calculateScaleUpLimitWithScalingRules), or the
 * smallest a scale down may reach (calculateScaleDownLimitWithBehaviors), given the recorded events.
 */
export function hpaRateLimit(
  direction: 'up' | 'down',
  currentReplicas: number,
  rules: HpaScalingRules,
  scaleUpEvents: readonly HpaScaleEvent[],
  scaleDownEvents: readonly HpaScaleEvent[],
  nowS: number,
): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const wantMost = rules.selectPolicy === 'Max';
  let result =
    direction === 'up' ? (wantMost ? -Infinity : Infinity) : wantMost ? Infinity : -Infinity;
  for (const policy of rules.policies) {
    const cutoff = nowS - policy.periodS;
    const added = sumChanges(scaleUpEvents, cutoff);
    const removed = sumChanges(scaleDownEvents, cutoff);
    const periodStart = currentReplicas - added + removed;
    let proposed: number;
    if (direction === 'up') {
      proposed =
        policy.type === 'Pods'
          ? periodStart + policy.value
          : Math.ceil(periodStart * (1 + policy.value / 100));
      result = wantMost ? Math.max(result, proposed) : Math.min(result, proposed);
    } else {
      proposed =
        policy.type === 'Pods'
          ? periodStart - policy.value
          : Math.trunc(periodStart * (1 - policy.value / 100));
      result = wantMost ? Math.min(result, proposed) : Math.max(result, proposed);
    }
  }
  return result;
}

/**
 * One HPA step (the module comment's steps 1–5) at `input.timeS`. Pure: returns a new state and
 * leaves the old one untouched; no randomness.
 */
export function hpaStep(state: HpaState, input: HpaInput): HpaState {
  const { config } = state;
  const now = input.timeS;
  if (now < state.timeS) throw new RangeError('hpaStep: time went backwards');
  const current = state.replicas;
  const windowUp = config.scaleUp.stabilizationWindowS;
  const windowDown = config.scaleDown.stabilizationWindowS;
  const keepFrom = now - Math.max(windowUp, windowDown);
  const longestUp = Math.max(0, ...config.scaleUp.policies.map((p) => p.periodS));
  const longestDown = Math.max(0, ...config.scaleDown.policies.map((p) => p.periodS));
  const upEvents = state.scaleUpEvents.filter((e) => e.timeS > now - longestUp);
  const downEvents = state.scaleDownEvents.filter((e) => e.timeS > now - longestDown);
  const history = state.recommendations.filter((r) => r.timeS > keepFrom);

  // Step 1: out of bounds (the controller does this before looking at metrics).
  if (current > config.maxReplicas || current < config.minReplicas) {
    const replicas = current > config.maxReplicas ? config.maxReplicas : config.minReplicas;
    return finish(state, now, history, upEvents, downEvents, current, replicas, {
      metricRatio: NaN,
      rawReplicas: replicas,
      stabilisedReplicas: replicas,
      replicas,
      reason: current > config.maxReplicas ? 'above-max' : 'below-min',
    });
  }

  // Step 2.
  const raw = hpaRawRecommendation(
    current,
    input.readyReplicas,
    input.metricValue,
    config.targetMetricValue,
    config.tolerance,
  );

  // Step 3: stabilise against recent raw recommendations, then record this one.
  let upLimit = raw.replicas;
  let downLimit = raw.replicas;
  for (const rec of history) {
    if (rec.timeS > now - windowUp) upLimit = Math.min(upLimit, rec.replicas);
    if (rec.timeS > now - windowDown) downLimit = Math.max(downLimit, rec.replicas);
  }
  let stabilised = current;
  if (stabilised < upLimit) stabilised = upLimit;
  if (stabilised > downLimit) stabilised = downLimit;
  const recorded = [...history, { timeS: now, replicas: raw.replicas }];

  // Step 4: rate policies and bounds.
  let replicas = stabilised;
  let reason: HpaReason = raw.reason;
  if (stabilised !== raw.replicas) reason = 'stabilised';
  if (stabilised > current) {
    let limit = hpaRateLimit('up', current, config.scaleUp, upEvents, downEvents, now);
    if (limit < current) limit = current;
    const allowed = Math.min(config.maxReplicas, limit);
    if (replicas > allowed) {
      replicas = allowed;
      reason = limit < config.maxReplicas ? 'rate-limited' : 'bounded';
    }
  } else if (stabilised < current) {
    let limit = hpaRateLimit('down', current, config.scaleDown, upEvents, downEvents, now);
    if (limit > current) limit = current;
    const allowed = Math.max(config.minReplicas, limit);
    if (replicas < allowed) {
      replicas = allowed;
      reason = limit > config.minReplicas ? 'rate-limited' : 'bounded';
    }
  }
  if (replicas === current && reason === 'scaled') reason = 'unchanged';

  return finish(state, now, recorded, upEvents, downEvents, current, replicas, {
    metricRatio: raw.ratio,
    rawReplicas: raw.replicas,
    stabilisedReplicas: stabilised,
    replicas,
    reason,
  });
}

function finish(
  state: HpaState,
  now: number,
  recommendations: readonly HpaRecommendation[],
  upEvents: readonly HpaScaleEvent[],
  downEvents: readonly HpaScaleEvent[],
  current: number,
  replicas: number,
  last: HpaState['last'],
): HpaState {
  // Step 5: record the change for the rate policies.
  const scaleUpEvents =
    replicas > current ? [...upEvents, { timeS: now, change: replicas - current }] : upEvents;
  const scaleDownEvents =
    replicas < current ? [...downEvents, { timeS: now, change: current - replicas }] : downEvents;
  return {
    config: state.config,
    timeS: now,
    replicas,
    recommendations,
    scaleUpEvents,
    scaleDownEvents,
    last,
  };
}

function sumChanges(events: readonly HpaScaleEvent[], cutoffS: number): number {
  let total = 0;
  for (const e of events) if (e.timeS > cutoffS) total += e.change;
  return total;
}
