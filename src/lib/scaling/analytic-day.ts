/**
 * A day of serving, minute by minute, from queueing formulas instead of individual requests.
 *
 * Each minute has its mean arrival rate λ (traffic.ts's `ratesPerMinute`). Time advances in
 * ticks: 60 s for a fixed fleet or a schedule, the HPA's sync period (which must divide 60) for
 * the autoscaler. At the start of each tick:
 * 1. replicas whose start-up has finished become ready (a replica started at t serves from the
 *    first tick at or after t + startupDelayS);
 * 2. the autoscaler (hpa.ts) steps on the metric observed over the previous tick — utilisation
 *    min(1, λ/(cμ)), or 1 while a backlog is draining; or λ per ready replica — and its
 *    decision starts new replicas or removes replicas (those still starting first);
 * 3. the tick is evaluated with c = ready replicas, μ = 1/mean service time:
 *    - stable (no backlog and λ < cμ): the steady-state M/M/c queue (erlang.ts): C(c, a),
 *      Wq = C/(cμ − λ), response-time distribution (1 − C)·Exp(μ) ⊕ C·(Exp(θ) + Exp(μ)) — the
 *      "pointwise stationary approximation" of a time-varying queue (L. V. Green and P. J.
 *      Kolesar, "The pointwise stationary approximation for queues with nonstationary arrivals",
 *      Management Science 37(1), 1991), good when a minute is long against the service time;
 *    - overloaded or draining a backlog: a fluid approximation. The backlog B moves by
 *      (λ − cμ)·Δt (not below 0); a request arriving with B waiting waits B/(cμ); over the tick
 *      the wait moves linearly, so it is taken as uniform between its values at the tick's ends,
 *      and the response time is that wait plus an exponential service time.
 * A minute's numbers mix its ticks weighted by arrivals: utilisation and waits are averaged, and
 * p50/p95/p99 are exact quantiles of the mixture of the ticks' response-time distributions
 * (solved numerically). A minute breaches the SLO when its p99 exceeds it. The day's overall
 * percentiles are quantiles of the mixture of all minutes, weighted by expected arrivals.
 *
 * Limits (why the request-level mode exists): exponential service only (log-normal or batched
 * service needs the simulation), no queue limit, no drops, and a backlog's wait is a fluid
 * estimate. Deterministic: no randomness.
 *
 * `analyticTickStep(state, input, params) → state` is the pure step; `analyticDay` runs a day
 * of them.
 */

import { erlangC, responseDensity, responseTail, solveDecreasing } from './erlang';
import { createHpaState, hpaStep, type HpaConfig, type HpaState } from './hpa';

/** Where the analytic day's replicas come from. */
export type AnalyticCapacity =
  | {
      /** A fixed fleet. */
      kind: 'fixed';
      /** Its size. */
      replicas: number;
    }
  | {
      /** Ready replicas given minute by minute (a planned schedule; no start-up delay applies). */
      kind: 'schedule';
      /** Replicas ready in each minute (as many entries as minutes). */
      replicasPerMinute: ArrayLike<number>;
    }
  | {
      /** The HPA, stepping every config.syncPeriodS (a divisor of 60). */
      kind: 'autoscaler';
      /** Its config. */
      hpa: HpaConfig;
      /** Replicas at the start of the day, ready. */
      initialReplicas: number;
      /** The metric the HPA scales on. */
      metric: 'utilisation' | 'arrivalRatePerReplica';
    };

/** Fixed parameters of an analytic day. */
export interface AnalyticParams {
  /** Mean service time of one request on one replica, seconds (exponential). */
  serviceTimeMeanS: number;
  /** Seconds from a scale-up decision until the replica serves. */
  startupDelayS: number;
  /** Where replicas come from. */
  capacity: AnalyticCapacity;
}

/** Input of a whole analytic day. */
export interface AnalyticDayInput extends AnalyticParams {
  /** Mean arrival rate of each minute, requests per second (1 440 values for a day). */
  ratesPerMinute: ArrayLike<number>;
  /** SLO on each minute's p99 response time, ms. */
  sloP99Ms: number;
}

/** The outcome of one tick. */
export interface AnalyticTick {
  /** Tick start, seconds. */
  timeS: number;
  /** Tick length, seconds. */
  durationS: number;
  /** Arrival rate, requests per second. */
  arrivalRatePerS: number;
  /** Ready replicas c. */
  readyReplicas: number;
  /** Replicas paid for (ready + starting). */
  provisionedReplicas: number;
  /** Whether the steady-state formulas applied (else the fluid backlog model). */
  stable: boolean;
  /** Busy fraction of ready replicas: min(1, λ/(cμ)) when stable, 1 in a backlog (NaN if c = 0). */
  utilisation: number;
  /** Probability of waiting: C(c, a) when stable, 1 in a backlog. */
  probabilityOfWaiting: number;
  /** Mean wait, ms. */
  meanWaitMs: number;
  /** Requests waiting at the end of the tick (fluid; 0 when stable). */
  backlogEndRequests: number;
  /** For the response-time distribution: C, θ = cμ − λ (stable) or the wait range (fluid), s. */
  distribution: {
    probabilityOfWaiting: number;
    thetaPerS: number;
    waitFromS: number;
    waitToS: number;
  };
}

/** The state between ticks. Immutable. */
export interface AnalyticState {
  /** Start of the next tick, seconds. */
  timeS: number;
  /** Ticks done. */
  ticks: number;
  /** Ready replicas. */
  readyReplicas: number;
  /** Ready times of replicas still starting, ascending. */
  startingReadyTimesS: readonly number[];
  /** Requests waiting (fluid backlog). */
  backlogRequests: number;
  /** The HPA (autoscaler only). */
  hpa: HpaState | null;
  /** The metric observed over the last tick (for the next HPA step). */
  observedMetric: number;
  /** The last tick's outcome (null before the first). */
  last: AnalyticTick | null;
}

/** Per-minute series of an analytic day. */
export interface AnalyticMinutes {
  /** Mean arrival rate, requests per second. */
  arrivalRatePerS: Float64Array;
  /** Time-averaged ready replicas. */
  readyReplicas: Float64Array;
  /** Time-averaged provisioned replicas (ready + starting). */
  provisionedReplicas: Float64Array;
  /** Capacity: ready replicas × μ, requests per second. */
  capacityPerS: Float64Array;
  /** Mean utilisation of ready replicas. */
  utilisation: Float64Array;
  /** Mean probability of waiting. */
  probabilityOfWaiting: Float64Array;
  /** Mean wait, ms. */
  meanWaitMs: Float64Array;
  /** Median response time, ms. */
  p50Ms: Float64Array;
  /** 95th-percentile response time, ms. */
  p95Ms: Float64Array;
  /** 99th-percentile response time, ms. */
  p99Ms: Float64Array;
  /** 1 where p99 > SLO. */
  sloBreach: Uint8Array;
  /** Backlog at the end of the minute, requests. */
  backlogEndRequests: Float64Array;
  /** The HPA's replica count at the end of the minute (ready + starting). */
  targetReplicas: Int32Array;
}

/** Result of {@link analyticDay}. */
export interface AnalyticDayResult {
  /** Number of minutes. */
  minutes: number;
  /** Per-minute series. */
  perMinute: AnalyticMinutes;
  /** Expected requests over the day: Σ 60·λ. */
  expectedRequests: number;
  /** Arrival-weighted mean wait, ms. */
  meanWaitMs: number;
  /** Overall p50 / p95 / p99 response time (mixture over minutes), ms. */
  p50Ms: number;
  /** 95th percentile, ms. */
  p95Ms: number;
  /** 99th percentile, ms. */
  p99Ms: number;
  /** Minutes with p99 above the SLO. */
  sloBreachMinutes: number;
  /** Replica-seconds paid for. */
  provisionedReplicaSeconds: number;
  /** Replica-seconds spent serving (λ/μ while stable, c while in a backlog). */
  busyReplicaSeconds: number;
  /** Most replicas provisioned at once. */
  peakProvisionedReplicas: number;
  /** Backlog left at the end of the day, requests. */
  backlogAtEndRequests: number;
}

/** Throws a RangeError for impossible parameters. */
export function validateAnalyticParams(params: AnalyticParams): void {
  if (!(params.serviceTimeMeanS > 0)) throw new RangeError('serviceTimeMeanS must be > 0');
  if (!(params.startupDelayS >= 0)) throw new RangeError('startupDelayS must be ≥ 0');
  const cap = params.capacity;
  if (cap.kind === 'fixed' && !(Number.isInteger(cap.replicas) && cap.replicas >= 0))
    throw new RangeError('replicas must be an integer ≥ 0');
  if (cap.kind === 'autoscaler') {
    const sync = cap.hpa.syncPeriodS;
    if (!(sync > 0 && Number.isInteger(60 / sync)))
      throw new RangeError('the HPA sync period must divide 60 s in the analytic day');
    if (!(Number.isInteger(cap.initialReplicas) && cap.initialReplicas >= 0))
      throw new RangeError('initialReplicas must be an integer ≥ 0');
  }
}

/** Tick length for a capacity kind: the HPA's sync period, else 60 s. */
export function tickLengthS(capacity: AnalyticCapacity): number {
  return capacity.kind === 'autoscaler' ? capacity.hpa.syncPeriodS : 60;
}

/** The state at t = startS with the capacity's initial replicas ready and no backlog. */
export function createAnalyticState(params: AnalyticParams, startS = 0): AnalyticState {
  validateAnalyticParams(params);
  const cap = params.capacity;
  const initial =
    cap.kind === 'fixed'
      ? cap.replicas
      : cap.kind === 'schedule'
        ? Math.max(0, Math.round(Number(cap.replicasPerMinute[0] ?? 0)))
        : cap.initialReplicas;
  return {
    timeS: startS,
    ticks: 0,
    readyReplicas: initial,
    startingReadyTimesS: [],
    backlogRequests: 0,
    hpa: cap.kind === 'autoscaler' ? createHpaState(cap.hpa, initial) : null,
    observedMetric: NaN,
    last: null,
  };
}

/**
 * One tick (steps 1–3 of the module comment) of length `input.durationS` at the state's time,
 * with arrival rate `input.arrivalRatePerS`. For a schedule, `input.scheduledReplicas` sets the
 * ready count. Pure: returns the next state, with the tick's outcome in `last`.
 */
export function analyticTickStep(
  state: AnalyticState,
  input: { arrivalRatePerS: number; durationS: number; scheduledReplicas?: number },
  params: AnalyticParams,
): AnalyticState {
  const t = state.timeS;
  const mu = 1 / params.serviceTimeMeanS;
  const lambda = input.arrivalRatePerS;
  const dt = input.durationS;
  if (!(lambda >= 0 && dt > 0)) throw new RangeError('need arrival rate ≥ 0 and duration > 0');

  // 1. Start-ups that have finished.
  let ready = state.readyReplicas;
  let starting = state.startingReadyTimesS;
  let k = 0;
  while (k < starting.length && (starting[k] as number) <= t + 1e-9) k++;
  if (k > 0) {
    ready += k;
    starting = starting.slice(k);
  }
  if (input.scheduledReplicas !== undefined)
    ready = Math.max(0, Math.round(input.scheduledReplicas));

  // 2. The autoscaler.
  let hpa = state.hpa;
  if (hpa !== null && state.ticks > 0) {
    hpa = hpaStep(hpa, { timeS: t, readyReplicas: ready, metricValue: state.observedMetric });
    const committed = ready + starting.length;
    if (hpa.replicas > committed) {
      const add = hpa.replicas - committed;
      const readyAt = t + params.startupDelayS;
      starting = [...starting, ...new Array<number>(add).fill(readyAt)];
      if (params.startupDelayS === 0) {
        ready += add;
        starting = starting.slice(add);
      }
    } else if (hpa.replicas < committed) {
      let remove = committed - hpa.replicas;
      const cancel = Math.min(remove, starting.length);
      starting = starting.slice(0, starting.length - cancel);
      remove -= cancel;
      ready -= remove;
    }
  }

  // 3. The tick's queue.
  const c = ready;
  const capacityPerS = c * mu;
  const backlog0 = state.backlogRequests;
  let tick: AnalyticTick;
  if (backlog0 <= 0 && (lambda < capacityPerS || lambda === 0)) {
    // (With no arrivals nothing waits; θ = μ is a placeholder that keeps the formulas finite.)
    const a = lambda / mu;
    const erlang = lambda > 0 ? erlangC(c, a) : 0;
    const theta = lambda > 0 ? capacityPerS - lambda : mu;
    tick = {
      timeS: t,
      durationS: dt,
      arrivalRatePerS: lambda,
      readyReplicas: c,
      provisionedReplicas: c + starting.length,
      stable: true,
      utilisation: capacityPerS > 0 ? lambda / capacityPerS : NaN,
      probabilityOfWaiting: erlang,
      meanWaitMs: (erlang / theta) * 1000,
      backlogEndRequests: 0,
      distribution: { probabilityOfWaiting: erlang, thetaPerS: theta, waitFromS: 0, waitToS: 0 },
    };
  } else {
    const backlog1 = Math.max(0, backlog0 + (lambda - capacityPerS) * dt);
    const w0 = capacityPerS > 0 ? backlog0 / capacityPerS : Infinity;
    const w1 = capacityPerS > 0 ? backlog1 / capacityPerS : Infinity;
    tick = {
      timeS: t,
      durationS: dt,
      arrivalRatePerS: lambda,
      readyReplicas: c,
      provisionedReplicas: c + starting.length,
      stable: false,
      utilisation: c > 0 ? 1 : NaN,
      probabilityOfWaiting: 1,
      meanWaitMs: ((w0 + w1) / 2) * 1000,
      backlogEndRequests: backlog1,
      distribution: { probabilityOfWaiting: 1, thetaPerS: NaN, waitFromS: w0, waitToS: w1 },
    };
  }
  const cap = params.capacity;
  const observedMetric =
    cap.kind === 'autoscaler' && cap.metric === 'arrivalRatePerReplica'
      ? c > 0
        ? lambda / c
        : NaN
      : c > 0
        ? tick.utilisation
        : NaN;
  return {
    timeS: t + dt,
    ticks: state.ticks + 1,
    readyReplicas: ready,
    startingReadyTimesS: starting,
    backlogRequests: tick.backlogEndRequests,
    hpa,
    observedMetric,
    last: tick,
  };
}

/** Survival P(T > t) of a tick's response time T (stable M/M/c or fluid), see the module comment. */
export function tickResponseTail(tick: AnalyticTick, muPerS: number, responseS: number): number {
  const d = tick.distribution;
  if (tick.stable) return responseTail(d.probabilityOfWaiting, muPerS, d.thetaPerS, responseS);
  return fluidTail(d.waitFromS, d.waitToS, muPerS, responseS);
}

/**
 * Runs a whole day (as many minutes as `ratesPerMinute` has) of {@link analyticTickStep} and
 * aggregates it per minute and overall. Targets ≤ 10 ms for a day at one-minute resolution.
 */
export function analyticDay(input: AnalyticDayInput): AnalyticDayResult {
  validateAnalyticParams(input);
  const minutes = input.ratesPerMinute.length;
  if (input.capacity.kind === 'schedule' && input.capacity.replicasPerMinute.length < minutes)
    throw new RangeError('the schedule needs a replica count for every minute');
  for (let m = 0; m < minutes; m++)
    if (!(Number(input.ratesPerMinute[m]) >= 0))
      throw new RangeError(`the rate of minute ${m} must be a number ≥ 0`);
  const mu = 1 / input.serviceTimeMeanS;
  const tickS = tickLengthS(input.capacity);
  const ticksPerMinute = Math.round(60 / tickS);
  const per = allocate(minutes);
  const fractions = [0.5, 0.95, 0.99];

  // Mixture components for the overall percentiles: one per distinct tick distribution in a minute.
  const maxComponents = minutes * ticksPerMinute;
  const compStable = new Uint8Array(maxComponents);
  const compWeight = new Float64Array(maxComponents);
  const compA = new Float64Array(maxComponents); // C (stable) or wait from (fluid)
  const compB = new Float64Array(maxComponents); // θ (stable) or wait to (fluid)
  let components = 0;

  let state = createAnalyticState(input, 0);
  let provisionedSeconds = 0;
  let busySeconds = 0;
  let peak = state.readyReplicas;
  let expected = 0;
  let waitWeighted = 0;
  let breaches = 0;
  const schedule = input.capacity.kind === 'schedule' ? input.capacity.replicasPerMinute : null;

  for (let m = 0; m < minutes; m++) {
    const lambda = Number(input.ratesPerMinute[m]);
    const firstComponent = components;
    let readySum = 0;
    let provSum = 0;
    let utilSum = 0;
    let utilCount = 0;
    let waitProbSum = 0;
    let waitSum = 0;
    for (let k = 0; k < ticksPerMinute; k++) {
      state = analyticTickStep(
        state,
        {
          arrivalRatePerS: lambda,
          durationS: tickS,
          ...(schedule ? { scheduledReplicas: Number(schedule[m]) } : {}),
        },
        input,
      );
      const tick = state.last as AnalyticTick;
      readySum += tick.readyReplicas;
      provSum += tick.provisionedReplicas;
      if (tick.provisionedReplicas > peak) peak = tick.provisionedReplicas;
      if (tick.utilisation === tick.utilisation) {
        utilSum += tick.utilisation;
        utilCount++;
      }
      waitProbSum += tick.probabilityOfWaiting;
      waitSum += tick.meanWaitMs;
      provisionedSeconds += tick.provisionedReplicas * tickS;
      busySeconds += (tick.stable ? lambda / mu : tick.readyReplicas) * tickS;
      // Merge with the previous component of this minute when identical.
      const d = tick.distribution;
      const a = tick.stable ? d.probabilityOfWaiting : d.waitFromS;
      const b = tick.stable ? d.thetaPerS : d.waitToS;
      const last = components - 1;
      if (
        last >= firstComponent &&
        compStable[last] === (tick.stable ? 1 : 0) &&
        compA[last] === a &&
        compB[last] === b
      ) {
        compWeight[last] = (compWeight[last] as number) + lambda * tickS;
      } else {
        compStable[components] = tick.stable ? 1 : 0;
        compA[components] = a;
        compB[components] = b;
        compWeight[components] = lambda * tickS;
        components++;
      }
    }
    const tick = state.last as AnalyticTick;
    per.arrivalRatePerS[m] = lambda;
    per.readyReplicas[m] = readySum / ticksPerMinute;
    per.provisionedReplicas[m] = provSum / ticksPerMinute;
    per.capacityPerS[m] = (readySum / ticksPerMinute) * mu;
    per.utilisation[m] = utilCount > 0 ? utilSum / utilCount : NaN;
    per.probabilityOfWaiting[m] = waitProbSum / ticksPerMinute;
    per.meanWaitMs[m] = waitSum / ticksPerMinute;
    per.backlogEndRequests[m] = tick.backlogEndRequests;
    per.targetReplicas[m] = state.hpa ? state.hpa.replicas : tick.readyReplicas;
    const quantiles = mixtureQuantiles(
      compStable,
      compWeight,
      compA,
      compB,
      firstComponent,
      components,
      mu,
      fractions,
    );
    per.p50Ms[m] = (quantiles[0] as number) * 1000;
    per.p95Ms[m] = (quantiles[1] as number) * 1000;
    per.p99Ms[m] = (quantiles[2] as number) * 1000;
    const breach = (per.p99Ms[m] as number) > input.sloP99Ms ? 1 : 0;
    per.sloBreach[m] = breach;
    breaches += breach;
    expected += lambda * 60;
    waitWeighted += lambda * 60 * (per.meanWaitMs[m] as number);
  }

  // The day's quantiles lie between the smallest and largest minute quantiles (of minutes with
  // arrivals).
  const lower = [Infinity, Infinity, Infinity];
  const upper = [0, 0, 0];
  const series = [per.p50Ms, per.p95Ms, per.p99Ms];
  for (let m = 0; m < minutes; m++) {
    if (!((per.arrivalRatePerS[m] as number) > 0)) continue;
    for (let f = 0; f < 3; f++) {
      const v = ((series[f] as Float64Array)[m] as number) / 1000;
      if (v < (lower[f] as number)) lower[f] = v;
      if (v > (upper[f] as number)) upper[f] = v;
    }
  }
  const overall = mixtureQuantiles(
    compStable,
    compWeight,
    compA,
    compB,
    0,
    components,
    mu,
    fractions,
    lower.map((v) => (Number.isFinite(v) ? v * (1 - 1e-9) : 0)),
    upper.map((v) => (v > 0 ? v * (1 + 1e-9) : Infinity)),
  );
  return {
    minutes,
    perMinute: per,
    expectedRequests: expected,
    meanWaitMs: expected > 0 ? waitWeighted / expected : 0,
    p50Ms: (overall[0] as number) * 1000,
    p95Ms: (overall[1] as number) * 1000,
    p99Ms: (overall[2] as number) * 1000,
    sloBreachMinutes: breaches,
    provisionedReplicaSeconds: provisionedSeconds,
    busyReplicaSeconds: busySeconds,
    peakProvisionedReplicas: peak,
    backlogAtEndRequests: state.backlogRequests,
  };
}

/**
 * P(W + S > t) for W uniform on [min(w0, w1), max(w0, w1)] and S ~ Exp(μ):
 * 1 for t ≤ lo; ((hi − t) + (1 − e^{−μ(t−lo)})/μ)/(hi − lo) for lo < t < hi;
 * (e^{−μ(t−hi)} − e^{−μ(t−lo)})/(μ(hi − lo)) for t ≥ hi; and e^{−μ(t−w)} when w0 = w1 = w.
 */
export function fluidTail(waitFromS: number, waitToS: number, muPerS: number, t: number): number {
  const lo = Math.min(waitFromS, waitToS);
  const hi = Math.max(waitFromS, waitToS);
  if (!Number.isFinite(hi)) return 1;
  if (t <= lo) return 1;
  const width = hi - lo;
  if (width < 1e-12) return Math.exp(-muPerS * (t - lo));
  if (t < hi) return (hi - t + -Math.expm1(-muPerS * (t - lo)) / muPerS) / width;
  return (Math.exp(-muPerS * (t - hi)) - Math.exp(-muPerS * (t - lo))) / (muPerS * width);
}

/** The density of {@link fluidTail} (its negative derivative in t). */
function fluidDensity(waitFromS: number, waitToS: number, muPerS: number, t: number): number {
  const lo = Math.min(waitFromS, waitToS);
  const hi = Math.max(waitFromS, waitToS);
  if (!Number.isFinite(hi) || t <= lo) return 0;
  const width = hi - lo;
  if (width < 1e-12) return muPerS * Math.exp(-muPerS * (t - lo));
  if (t < hi) return -Math.expm1(-muPerS * (t - lo)) / width;
  return (Math.exp(-muPerS * (t - hi)) - Math.exp(-muPerS * (t - lo))) / width;
}

/**
 * Quantiles (seconds) of the weighted mixture of components [from, to), each within the
 * bracket [lowerS, upperS] when given (a mixture's quantile lies between its components').
 */
function mixtureQuantiles(
  stable: Uint8Array,
  weight: Float64Array,
  a: Float64Array,
  b: Float64Array,
  from: number,
  to: number,
  mu: number,
  fractions: readonly number[],
  lowerS: readonly number[] | null = null,
  upperS: readonly number[] | null = null,
): number[] {
  let total = 0;
  let infiniteWeight = 0;
  for (let k = from; k < to; k++) {
    total += weight[k] as number;
    if (stable[k] === 0 && !Number.isFinite(b[k] as number)) infiniteWeight += weight[k] as number;
  }
  if (!(total > 0)) return fractions.map(() => NaN);
  const evaluate = (t: number, out: Float64Array): void => {
    let s = 0;
    let f = 0;
    for (let k = from; k < to; k++) {
      const w = weight[k] as number;
      if (w === 0) continue;
      const ak = a[k] as number;
      const bk = b[k] as number;
      if (stable[k] === 1) {
        s += w * responseTail(ak, mu, bk, t);
        f += w * responseDensity(ak, mu, bk, t);
      } else {
        s += w * fluidTail(ak, bk, mu, t);
        f += w * fluidDensity(ak, bk, mu, t);
      }
    }
    out[0] = s / total;
    out[1] = f / total;
  };
  return fractions.map((q, index) => {
    // Requests that never get served (no replica) sit at +∞.
    if (infiniteWeight / total > 1 - q + 1e-12) return Infinity;
    const serviceQuantile = -Math.log(1 - q) / mu;
    const lower = Math.max(serviceQuantile, lowerS ? (lowerS[index] as number) : 0);
    const upper = upperS ? (upperS[index] as number) : Infinity;
    return solveDecreasing(evaluate, 1 - q, lower, upper);
  });
}

function allocate(minutes: number): AnalyticMinutes {
  return {
    arrivalRatePerS: new Float64Array(minutes),
    readyReplicas: new Float64Array(minutes),
    provisionedReplicas: new Float64Array(minutes),
    capacityPerS: new Float64Array(minutes),
    utilisation: new Float64Array(minutes),
    probabilityOfWaiting: new Float64Array(minutes),
    meanWaitMs: new Float64Array(minutes),
    p50Ms: new Float64Array(minutes),
    p95Ms: new Float64Array(minutes),
    p99Ms: new Float64Array(minutes),
    sloBreach: new Uint8Array(minutes),
    backlogEndRequests: new Float64Array(minutes),
    targetReplicas: new Int32Array(minutes),
  };
}
