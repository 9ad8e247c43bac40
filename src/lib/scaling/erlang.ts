/**
 * Analytic queueing for a pool of identical replicas: the M/M/c queue (Poisson arrivals at rate
 * λ, exponential service at rate μ per replica, c replicas, one FIFO queue, no limit).
 *
 * Notation: offered load a = λ/μ (in Erlangs), utilisation ρ = a/c, θ = cμ − λ (the rate at
 * which a waiting request's wait decays). Steady state exists only when a < c.
 *
 * Sources: L. Kleinrock, *Queueing Systems, Vol. 1: Theory* (Wiley, 1975), chapter 3 (M/M/m,
 * Erlang's C formula, and the M/M/m/m loss system with Erlang's B formula); M. Harchol-Balter,
 * *Performance Modeling and Design of Computer Systems* (Cambridge University Press, 2013),
 * chapter 14 (server farms: M/M/k and M/M/k/k, the Erlang-C formula and the distribution of the
 * wait). The recursive Erlang B form B(k) = aB(k−1)/(k + aB(k−1)) is the standard stable way to
 * evaluate it (D. L. Jagerman, "Some properties of the Erlang loss function", Bell System
 * Technical Journal 53, 1974): it never forms a^c or c!, so it stays accurate for c in the
 * thousands, where the textbook sum overflows.
 */

/**
 * Erlang's loss formula B(c, a): the probability that all c servers are busy in an M/M/c/c loss
 * system with offered load a Erlangs. Computed by the stable recursion
 * B(0, a) = 1, B(k, a) = a·B(k−1, a) / (k + a·B(k−1, a)); O(c) time, no overflow.
 */
export function erlangB(servers: number, offeredLoadErlangs: number): number {
  checkServers(servers);
  if (!(offeredLoadErlangs >= 0)) throw new RangeError('offered load must be ≥ 0');
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoadErlangs * b) / (k + offeredLoadErlangs * b);
  return b;
}

/**
 * Erlang's delay formula C(c, a): the probability that an arriving request has to wait in an
 * M/M/c queue (all c replicas busy), for offered load a < c Erlangs:
 * C(c, a) = c·B(c, a) / (c − a·(1 − B(c, a)))  (the B–C relation; Kleinrock vol. 1 ch. 3;
 * Harchol-Balter 2013 ch. 14). Returns 1 when a ≥ c (no steady state: every request waits).
 * Pinned: C(3, 2) = 4/9.
 */
export function erlangC(servers: number, offeredLoadErlangs: number): number {
  checkServers(servers);
  if (offeredLoadErlangs >= servers) return 1;
  if (offeredLoadErlangs <= 0) return 0;
  // A one-entry memo: the analytic day asks for the same (c, a) in consecutive ticks.
  if (servers === memoServers && offeredLoadErlangs === memoLoad) return memoValue;
  const b = erlangB(servers, offeredLoadErlangs);
  memoServers = servers;
  memoLoad = offeredLoadErlangs;
  memoValue = (servers * b) / (servers - offeredLoadErlangs * (1 - b));
  return memoValue;
}

let memoServers = -1;
let memoLoad = NaN;
let memoValue = NaN;

/** The parameters of one M/M/c queue, with units in the names. */
export interface MmcQueue {
  /** Arrival rate λ, requests per second. */
  arrivalRatePerS: number;
  /** Mean service time 1/μ of one request on one replica, seconds. */
  serviceTimeMeanS: number;
  /** Number of replicas c (integer ≥ 0). */
  servers: number;
}

/** Steady-state numbers of an M/M/c queue. Times in milliseconds. */
export interface MmcMetrics {
  /** Offered load a = λ/μ, Erlangs. */
  offeredLoadErlangs: number;
  /** Utilisation ρ = a/c (may exceed 1 when unstable). */
  utilisation: number;
  /** Whether a steady state exists (a < c). */
  stable: boolean;
  /** C(c, a): the probability that a request waits. */
  probabilityOfWaiting: number;
  /** Mean wait in the queue Wq = C/(cμ − λ), ms (Infinity when unstable). */
  meanWaitMs: number;
  /** Mean response time T = Wq + 1/μ, ms. */
  meanResponseMs: number;
  /** Median response time, ms. */
  responseP50Ms: number;
  /** 95th-percentile response time, ms. */
  responseP95Ms: number;
  /** 99th-percentile response time, ms. */
  responseP99Ms: number;
  /** 99th-percentile wait in the queue, ms. */
  waitP99Ms: number;
}

/**
 * Mean waiting time in the queue of an M/M/c queue, seconds:
 * Wq = C(c, a) / (cμ − λ)  (Harchol-Balter 2013 ch. 14; Kleinrock vol. 1 ch. 3).
 * Infinity when λ ≥ cμ.
 */
export function mmcMeanWaitS(queue: MmcQueue): number {
  const { theta, a } = rates(queue);
  if (!(theta > 0)) return queue.arrivalRatePerS > 0 ? Infinity : 0;
  return erlangC(queue.servers, a) / theta;
}

/**
 * The waiting-time tail of an M/M/c queue: P(W > t) = C(c, a)·e^{−(cμ−λ)t} for t ≥ 0
 * (Harchol-Balter 2013 ch. 14: given that it waits, a request waits an exponential time with
 * rate cμ − λ). Returns 1 when unstable.
 */
export function mmcWaitTailProbability(queue: MmcQueue, waitS: number): number {
  const { theta, a } = rates(queue);
  if (!(theta > 0)) return queue.arrivalRatePerS > 0 ? 1 : 0;
  if (waitS < 0) return 1;
  return erlangC(queue.servers, a) * Math.exp(-theta * waitS);
}

/**
 * The q-quantile of the wait in queue, seconds: the smallest t with P(W > t) ≤ 1 − q, i.e.
 * t = ln(C / (1 − q)) / (cμ − λ) when C > 1 − q, else 0 (inverting {@link mmcWaitTailProbability}).
 */
export function mmcWaitQuantileS(queue: MmcQueue, q: number): number {
  checkQuantile(q);
  const { theta, a } = rates(queue);
  if (!(theta > 0)) return queue.arrivalRatePerS > 0 ? Infinity : 0;
  const c = erlangC(queue.servers, a);
  return c > 1 - q ? Math.log(c / (1 - q)) / theta : 0;
}

/**
 * The response-time (wait + service) tail of an M/M/c queue with exponential service:
 * T = W + S with S ~ Exp(μ) independent of W, W = 0 with probability 1 − C and W ~ Exp(θ)
 * otherwise (θ = cμ − λ). Hence
 * P(T > t) = (1 − C)·e^{−μt} + C·P(Exp(θ) + Exp(μ) > t), and for the hypoexponential sum
 * P(Exp(θ) + Exp(μ) > t) = e^{−μt}·(1 + μ·(1 − e^{−(θ−μ)t})/(θ − μ))  (→ (1 + μt)e^{−μt} as
 * θ → μ), written with expm1 so that it is stable for θ ≈ μ. Harchol-Balter 2013 ch. 14;
 * Kleinrock vol. 1 ch. 3 (the M/M/m waiting-time distribution) convolved with the service time.
 */
export function mmcResponseTailProbability(queue: MmcQueue, responseS: number): number {
  const { mu, theta, a } = rates(queue);
  if (!(theta > 0)) return queue.arrivalRatePerS > 0 ? 1 : Math.exp(-mu * Math.max(0, responseS));
  return responseTail(erlangC(queue.servers, a), mu, theta, responseS);
}

/**
 * The q-quantile of the M/M/c response time, seconds: the root t of
 * {@link mmcResponseTailProbability}(t) = 1 − q, found by safeguarded Newton iteration
 * (bisection whenever a Newton step leaves the bracket) to a relative accuracy of 1e−10.
 * Infinity when unstable.
 */
export function mmcResponseQuantileS(queue: MmcQueue, q: number): number {
  checkQuantile(q);
  const { mu, theta, a } = rates(queue);
  if (!(theta > 0)) return queue.arrivalRatePerS > 0 ? Infinity : -Math.log(1 - q) / mu;
  return responseQuantile(erlangC(queue.servers, a), mu, theta, q);
}

/**
 * Every steady-state number of an M/M/c queue at once (one Erlang-C evaluation): utilisation,
 * C(c, a), mean wait Wq = C/(cμ − λ), mean response Wq + 1/μ, p50/p95/p99 response and p99 wait.
 * When a ≥ c the queue has no steady state: waits and quantiles are Infinity.
 */
export function mmcMetrics(queue: MmcQueue): MmcMetrics {
  const { mu, theta, a } = rates(queue);
  const servers = queue.servers;
  const utilisation = servers > 0 ? a / servers : a > 0 ? Infinity : 0;
  if (!(theta > 0) && a > 0) {
    return {
      offeredLoadErlangs: a,
      utilisation,
      stable: false,
      probabilityOfWaiting: 1,
      meanWaitMs: Infinity,
      meanResponseMs: Infinity,
      responseP50Ms: Infinity,
      responseP95Ms: Infinity,
      responseP99Ms: Infinity,
      waitP99Ms: Infinity,
    };
  }
  const c = servers > 0 ? erlangC(servers, a) : 0;
  const th = theta > 0 ? theta : mu;
  const meanWaitS = c / th;
  return {
    offeredLoadErlangs: a,
    utilisation,
    stable: true,
    probabilityOfWaiting: c,
    meanWaitMs: meanWaitS * 1000,
    meanResponseMs: (meanWaitS + 1 / mu) * 1000,
    responseP50Ms: responseQuantile(c, mu, th, 0.5) * 1000,
    responseP95Ms: responseQuantile(c, mu, th, 0.95) * 1000,
    responseP99Ms: responseQuantile(c, mu, th, 0.99) * 1000,
    waitP99Ms: (c > 0.01 ? Math.log(c / 0.01) / th : 0) * 1000,
  };
}

/**
 * The smallest number of replicas c for which the M/M/c queue is stable and its p99 response
 * time is at most `responseP99LimitMs` (the staffing question of Harchol-Balter 2013
 * ch. 15, "square-root staffing", solved here exactly by search). Returns Infinity when even infinitely
 * many replicas cannot meet the limit (the service time alone is too slow: the p99 of one
 * exponential service time, ln(100)/μ, exceeds it), or when more than `maxServers` would be needed.
 */
export function minServersForP99(
  arrivalRatePerS: number,
  serviceTimeMeanS: number,
  responseP99LimitMs: number,
  maxServers = 100_000,
): number {
  if (!(arrivalRatePerS >= 0)) throw new RangeError('arrival rate must be ≥ 0');
  if (!(serviceTimeMeanS > 0)) throw new RangeError('service time must be > 0');
  if (serviceTimeMeanS * Math.log(100) * 1000 > responseP99LimitMs) return Infinity;
  if (arrivalRatePerS === 0) return 0;
  const mu = 1 / serviceTimeMeanS;
  const a = arrivalRatePerS / mu;
  // Erlang B for c is built from B for c − 1, so walk c upwards and test each.
  let b = 1;
  for (let c = 1; c <= maxServers; c++) {
    b = (a * b) / (c + a * b);
    if (c <= a) continue;
    const erlang = (c * b) / (c - a * (1 - b));
    const p99S = responseQuantile(erlang, mu, c * mu - arrivalRatePerS, 0.99);
    if (p99S * 1000 <= responseP99LimitMs) return c;
  }
  return Infinity;
}

/**
 * P(T > t) for T = W + S, W = 0 w.p. 1 − C else Exp(θ), S ~ Exp(μ). Shared by the M/M/c
 * functions and the analytic day (which mixes several such distributions).
 */
export function responseTail(
  probabilityOfWaiting: number,
  muPerS: number,
  thetaPerS: number,
  responseS: number,
): number {
  if (responseS <= 0) return 1;
  const expMu = Math.exp(-muPerS * responseS);
  return (
    (1 - probabilityOfWaiting) * expMu +
    probabilityOfWaiting * hypoexponentialTail(muPerS, thetaPerS, responseS, expMu)
  );
}

/**
 * P(Exp(θ) + Exp(μ) > t) = (μe^{−θt} − θe^{−μt})/(μ − θ), evaluated as
 * e^{−μt}·(1 + μ(1 − e^{−(θ−μ)t})/(θ − μ)) with expm1 when |θ − μ|·t is small (no
 * cancellation; → (1 + μt)e^{−μt} at θ = μ), and in the first form otherwise (no overflow).
 */
function hypoexponentialTail(mu: number, theta: number, t: number, expMu: number): number {
  const d = theta - mu;
  if (Math.abs(d) * t < 0.5) {
    const g = d === 0 ? t : -Math.expm1(-d * t) / d;
    return expMu * (1 + mu * g);
  }
  return (mu * Math.exp(-theta * t) - theta * expMu) / (mu - theta);
}

/**
 * Density of T at t (the negative derivative of {@link responseTail}), used by Newton steps:
 * f(t) = (1 − C)·μe^{−μt} + C·μθ(e^{−μt} − e^{−θt})/(θ − μ), with the θ → μ limit μ²t·e^{−μt}.
 */
export function responseDensity(
  probabilityOfWaiting: number,
  muPerS: number,
  thetaPerS: number,
  responseS: number,
): number {
  if (responseS < 0) return 0;
  const t = responseS;
  const expMu = Math.exp(-muPerS * t);
  const d = thetaPerS - muPerS;
  // μθ·(e^{−θt} − e^{−μt})/(μ − θ), with the expm1 form near θ = μ.
  const hypo =
    Math.abs(d) * t < 0.5
      ? muPerS * thetaPerS * expMu * (d === 0 ? t : -Math.expm1(-d * t) / d)
      : (muPerS * thetaPerS * (Math.exp(-thetaPerS * t) - expMu)) / (muPerS - thetaPerS);
  return (1 - probabilityOfWaiting) * muPerS * expMu + probabilityOfWaiting * hypo;
}

/** The q-quantile of T (see {@link responseTail}), seconds. */
export function responseQuantile(
  probabilityOfWaiting: number,
  muPerS: number,
  thetaPerS: number,
  q: number,
): number {
  return solveDecreasing(
    (t, out) => {
      out[0] = responseTail(probabilityOfWaiting, muPerS, thetaPerS, t);
      out[1] = responseDensity(probabilityOfWaiting, muPerS, thetaPerS, t);
    },
    1 - q,
    // T is stochastically larger than S, so its quantile is at least S's.
    -Math.log(1 - q) / muPerS,
  );
}

/**
 * Solves S(t) = target for a decreasing survival function S, given `evaluate(t, out)` that
 * writes S(t) to out[0] and the density −S′(t) to out[1], and bounds lowerS ≤ root ≤ upperS.
 * Newton steps from the lower bound, kept inside the bracket (bisecting, or doubling while there
 * is no upper bound, when a step leaves it); stops when a step is below 1e−10 relative. On the
 * convex tails used here Newton approaches the root from the left without overshooting, in a
 * handful of steps. Returns Infinity when no root is found below 1e12.
 */
export function solveDecreasing(
  evaluate: (t: number, out: Float64Array) => void,
  target: number,
  lowerS = 0,
  upperS = Infinity,
): number {
  const out = SCRATCH;
  let lo = Math.max(0, lowerS);
  let hi = upperS;
  let t = lo;
  evaluate(t, out);
  if ((out[0] as number) <= target) return lo;
  for (let iteration = 0; iteration < 300; iteration++) {
    const s = out[0] as number;
    const f = out[1] as number;
    if (s > target) lo = t;
    else hi = t;
    const step = f > 0 ? (s - target) / f : NaN;
    // A Newton step below the tolerance: converged.
    if (Math.abs(step) <= 1e-10 * t) return Math.min(hi, Math.max(lo, t + step));
    let next = t + step;
    if (!(next > lo && next < hi))
      next = hi === Infinity ? (lo > 0 ? 2 * lo : 1e-6) : 0.5 * (lo + hi);
    if (hi !== Infinity && hi - lo <= 1e-12 * hi) return next;
    if (next > 1e12) return Infinity;
    t = next;
    evaluate(t, out);
  }
  return t;
}

const SCRATCH = new Float64Array(2);

function rates(queue: MmcQueue): { mu: number; theta: number; a: number } {
  checkServers(queue.servers);
  if (!(queue.serviceTimeMeanS > 0)) throw new RangeError('service time must be > 0');
  if (!(queue.arrivalRatePerS >= 0)) throw new RangeError('arrival rate must be ≥ 0');
  const mu = 1 / queue.serviceTimeMeanS;
  return {
    mu,
    theta: queue.servers * mu - queue.arrivalRatePerS,
    a: queue.arrivalRatePerS * queue.serviceTimeMeanS,
  };
}

function checkServers(servers: number): void {
  if (!Number.isInteger(servers) || servers < 0)
    throw new RangeError(`servers must be an integer ≥ 0, got ${servers}`);
}

function checkQuantile(q: number): void {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile must lie in (0, 1), got ${q}`);
}
