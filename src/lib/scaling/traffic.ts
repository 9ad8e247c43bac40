/**
 * Prediction traffic over days: a smooth daily curve, a weekly pattern, spikes (a campaign, a
 * launch) and seeded noise, as an arrival rate λ(t) in requests per second.
 *
 *   λ(t) = (requestsPerDay / 86 400) · daily(t) · weekly(day of t) · noise(minute of t) · Π spikes(t)
 *
 * - daily(t) = 1 + A₁·cos(2π(h − P₁)/24) + A₂·cos(4π(h − P₂)/24), h = hour of day of t. Both
 *   cosines average to 0 over a day, so daily() averages exactly 1; A₁ + A₂ < 1 keeps it > 0.
 *   The default (A₁ 0.6 peaking at 16:00, A₂ 0.25 peaking at 08:00 and 20:00) has its night
 *   trough at 0.20 around 02:45 and its evening peak at 1.65 around 18:30 — a course assumption
 *   shaped like the diurnal curves of consumer web services, not a measured trace.
 * - weekly: seven factors, Monday first, normalised to mean 1 (default: weekdays ≈ 1.05,
 *   weekend 0.9). Day 0 of the timeline (t = 0) is a Monday at 00:00.
 * - noise: a mean-1 log-normal factor per minute. Its log is a linear interpolation between
 *   independent N(0, σ²) knots every `noiseKnotMinutes` minutes, hashed from `noiseSeed` and the
 *   knot's index, minus half its variance so that E[factor] = 1. Same seed ⇒ same noise.
 * - spikes: each multiplies λ by 1 + (m − 1)·s(t), s rising linearly from 0 to 1 over `rampS`
 *   from `startS`, holding 1 until startS + durationS, falling back to 0 over `rampS`.
 *
 * `requestsPerDay` is therefore the mean over a week of days without spikes (and the expected
 * value with noise). The chapter's range is 10 000 to 10 000 000 requests a day.
 *
 * Arrivals for the request-level mode are a non-homogeneous Poisson process with this rate,
 * drawn by thinning (P. A. W. Lewis and G. S. Shedler, "Simulation of nonhomogeneous Poisson
 * processes by thinning", Naval Research Logistics Quarterly 26(3), 1979), one minute at a time
 * with a rigorous per-minute upper bound and a lower "squeeze" bound so that most candidates are
 * accepted without evaluating the cosines.
 */

import { createRng, type Rng } from '../random';
import { UniformStream } from './uniform-stream';

/** Seconds in a day. */
export const SECONDS_PER_DAY = 86_400;
/** Minutes in a day. */
export const MINUTES_PER_DAY = 1_440;
/** The label of the rng fork that arrival times are drawn from (see uniform-stream.ts). */
export const ARRIVALS_STREAM = 'scaling/arrivals';
/** The chapter's smallest daily traffic: 10 000 predictions a day. */
export const MIN_REQUESTS_PER_DAY = 10_000;
/** The chapter's largest daily traffic: 10 000 000 predictions a day. */
export const MAX_REQUESTS_PER_DAY = 10_000_000;

/** The two-cosine daily shape (hours are local hours of day, 0–24). */
export interface DailyCurve {
  /** A₁, amplitude of the 24-hour cosine (relative to the daily mean). */
  amplitude1: number;
  /** P₁, hour of day at which the 24-hour cosine peaks. */
  peakHour1: number;
  /** A₂, amplitude of the 12-hour cosine. */
  amplitude2: number;
  /** P₂, an hour at which the 12-hour cosine peaks (it peaks again 12 hours later). */
  peakHour2: number;
}

/** A burst of extra traffic: a marketing campaign, a product launch, a news event. */
export interface TrafficSpike {
  /** Label for charts. */
  name?: string;
  /** When the ramp up starts, seconds from the start of the timeline (Monday 00:00). */
  startS: number;
  /** How long from startS until the ramp down starts, seconds. */
  durationS: number;
  /** Traffic multiplier at full strength (> 0; below 1 is a dip). */
  multiplier: number;
  /** Length of the linear ramp up and of the ramp down, seconds (0 = a step). */
  rampS?: number;
}

/** Everything that shapes λ(t). */
export interface TrafficProfile {
  /** Mean requests per day over a week, spikes excluded (10 000 – 10 000 000 in the course). */
  requestsPerDay: number;
  /** The daily curve. */
  daily: DailyCurve;
  /** Seven day-of-week factors, Monday first; normalised to mean 1 when used. */
  weeklyFactors: readonly number[];
  /** Spikes, applied multiplicatively. */
  spikes: readonly TrafficSpike[];
  /** σ of the log of the per-minute noise factor (0 = no noise). */
  noiseSigma: number;
  /** Minutes between independent noise knots (≥ 1). */
  noiseKnotMinutes: number;
  /** Seed of the noise (the arrival generator takes its own rng). */
  noiseSeed: number | string;
}

/** The course's default daily curve (see the module comment). */
export const DEFAULT_DAILY_CURVE: DailyCurve = {
  amplitude1: 0.6,
  peakHour1: 16,
  amplitude2: 0.25,
  peakHour2: 20,
};

/** Default weekly factors, Monday first: busy weekdays, a quieter weekend (mean exactly 1). */
export const DEFAULT_WEEKLY_FACTORS: readonly number[] = [1.04, 1.06, 1.06, 1.04, 1.0, 0.9, 0.9];

/** A profile with the course's defaults and the given daily volume; override any field. */
export function defaultTrafficProfile(
  requestsPerDay: number,
  overrides: Partial<TrafficProfile> = {},
): TrafficProfile {
  const profile: TrafficProfile = {
    requestsPerDay,
    daily: DEFAULT_DAILY_CURVE,
    weeklyFactors: DEFAULT_WEEKLY_FACTORS,
    spikes: [],
    noiseSigma: 0.05,
    noiseKnotMinutes: 15,
    noiseSeed: 1,
    ...overrides,
  };
  validateTrafficProfile(profile);
  return profile;
}

/**
 * Checks a profile and throws a RangeError naming the first bad field: requests per day within
 * [10 000, 10 000 000], A₁, A₂ ≥ 0 with A₁ + A₂ < 1, seven positive weekly factors, spikes with
 * durations ≥ 0 and multipliers > 0, σ ≥ 0 and a whole number of minutes ≥ 1 between knots.
 */
export function validateTrafficProfile(profile: TrafficProfile): void {
  const { requestsPerDay, daily, weeklyFactors } = profile;
  if (!(requestsPerDay >= MIN_REQUESTS_PER_DAY && requestsPerDay <= MAX_REQUESTS_PER_DAY))
    throw new RangeError(
      `requestsPerDay must lie in [${MIN_REQUESTS_PER_DAY}, ${MAX_REQUESTS_PER_DAY}], got ${requestsPerDay}`,
    );
  if (!(daily.amplitude1 >= 0 && daily.amplitude2 >= 0 && daily.amplitude1 + daily.amplitude2 < 1))
    throw new RangeError('daily amplitudes must be ≥ 0 and sum to less than 1');
  if (!Number.isFinite(daily.peakHour1) || !Number.isFinite(daily.peakHour2))
    throw new RangeError('daily peak hours must be finite');
  if (weeklyFactors.length !== 7 || !weeklyFactors.every((f) => f > 0 && Number.isFinite(f)))
    throw new RangeError('weeklyFactors must be seven positive numbers');
  for (const spike of profile.spikes) {
    if (!(spike.durationS >= 0 && (spike.rampS ?? 0) >= 0 && Number.isFinite(spike.startS)))
      throw new RangeError('a spike needs a finite start and durations ≥ 0');
    if (!(spike.multiplier > 0 && Number.isFinite(spike.multiplier)))
      throw new RangeError('a spike multiplier must be > 0');
  }
  if (!(profile.noiseSigma >= 0 && profile.noiseSigma <= 2))
    throw new RangeError('noiseSigma must lie in [0, 2]');
  if (!(Number.isInteger(profile.noiseKnotMinutes) && profile.noiseKnotMinutes >= 1))
    throw new RangeError('noiseKnotMinutes must be an integer ≥ 1');
}

/** daily(t) of the module comment: the daily shape at time t (seconds), mean 1 over a day. */
export function dailyFactor(curve: DailyCurve, timeS: number): number {
  const hour = (timeS / 3600) % 24;
  return (
    1 +
    curve.amplitude1 * Math.cos((2 * Math.PI * (hour - curve.peakHour1)) / 24) +
    curve.amplitude2 * Math.cos((4 * Math.PI * (hour - curve.peakHour2)) / 24)
  );
}

/** The day-of-week factor of day `dayIndex` (0 = Monday), from factors normalised to mean 1. */
export function weeklyFactor(weeklyFactors: readonly number[], dayIndex: number): number {
  let sum = 0;
  for (const f of weeklyFactors) sum += f;
  const dow = ((Math.floor(dayIndex) % 7) + 7) % 7;
  return ((weeklyFactors[dow] as number) * 7) / sum;
}

/** The product of the spikes' multipliers at time t: Π (1 + (m − 1)·s(t)). */
export function spikeFactor(spikes: readonly TrafficSpike[], timeS: number): number {
  let factor = 1;
  for (const spike of spikes) factor *= 1 + (spike.multiplier - 1) * spikeShape(spike, timeS);
  return factor;
}

/**
 * The per-minute noise factor of absolute minute index `minuteIndex` (minute 0 starts at t = 0):
 * exp(x − v/2), x linearly interpolated between the N(0, σ²) knots either side of the minute's
 * midpoint, v = Var(x) = ((1 − w)² + w²)σ² so that the factor has mean exactly 1.
 */
export function noiseFactor(profile: TrafficProfile, minuteIndex: number): number {
  const sigma = profile.noiseSigma;
  if (sigma === 0) return 1;
  const position = (minuteIndex + 0.5) / profile.noiseKnotMinutes;
  const k = Math.floor(position);
  return noiseFromKnots(
    sigma,
    position - k,
    noiseKnot(profile.noiseSeed, k),
    noiseKnot(profile.noiseSeed, k + 1),
  );
}

/**
 * λ(t), the arrival rate in requests per second at time t (seconds from Monday 00:00), as in the
 * module comment. Pure: the same profile and t give the same rate.
 */
export function arrivalRatePerSecond(profile: TrafficProfile, timeS: number): number {
  const minute = Math.floor(timeS / 60);
  return (
    (profile.requestsPerDay / SECONDS_PER_DAY) *
    dailyFactor(profile.daily, timeS) *
    weeklyFactor(profile.weeklyFactors, Math.floor(timeS / SECONDS_PER_DAY)) *
    noiseFactor(profile, minute) *
    spikeFactor(profile.spikes, timeS)
  );
}

/**
 * The mean arrival rate (requests per second) of each minute of day `dayIndex` (0 = the first
 * Monday): (1/60)·∫ λ(t) dt over the minute, integrated with three-point Gauss–Legendre on pieces
 * split at the spikes' corners (the error is below 1e−12 relative: the integrand is a
 * cosine whose phase moves by less than 0.01 rad in a minute). 1 440 values; 60 times a value is
 * the expected number of requests in that minute.
 */
export function ratesPerMinute(profile: TrafficProfile, dayIndex = 0): Float64Array {
  validateTrafficProfile(profile);
  const out = new Float64Array(MINUTES_PER_DAY);
  const firstMinute = dayIndex * MINUTES_PER_DAY;
  const base =
    (profile.requestsPerDay / SECONDS_PER_DAY) * weeklyFactor(profile.weeklyFactors, dayIndex);
  const noise = minuteNoise(profile, firstMinute, MINUTES_PER_DAY);
  for (let m = 0; m < MINUTES_PER_DAY; m++) {
    const a = (firstMinute + m) * 60;
    out[m] = (base * (noise[m] as number) * integrateShape(profile, a, a + 60)) / 60;
  }
  return out;
}

/** Expected number of requests in [startS, endS): ∫ λ(t) dt, by the same quadrature. */
export function expectedRequests(profile: TrafficProfile, startS: number, endS: number): number {
  validateTrafficProfile(profile);
  if (!(endS > startS)) return 0;
  let total = 0;
  const base = profile.requestsPerDay / SECONDS_PER_DAY;
  const firstMinute = Math.floor(startS / 60);
  const noise = minuteNoise(profile, firstMinute, Math.ceil(endS / 60) - firstMinute);
  let t = startS;
  while (t < endS) {
    const minute = Math.floor(t / 60);
    const next = Math.min(endS, (minute + 1) * 60);
    const day = Math.floor(t / SECONDS_PER_DAY);
    total +=
      base *
      weeklyFactor(profile.weeklyFactors, day) *
      (noise[minute - firstMinute] as number) *
      integrateShape(profile, t, next);
    t = next;
  }
  return total;
}

/** Arrival times of a request-level run: `count` sorted times in `timesS[0 … count)`, seconds. */
export interface ArrivalTimes {
  /** Sorted arrival times, seconds from Monday 00:00 (a view of exactly `count` entries). */
  timesS: Float64Array;
  /** Number of arrivals. */
  count: number;
}

/**
 * Draws the arrival times in [startS, endS) of a non-homogeneous Poisson process with rate
 * λ(t) = {@link arrivalRatePerSecond}, by thinning (Lewis & Shedler 1979): within each minute,
 * candidates come from a homogeneous process at a rate λ̄ ≥ λ(t) on the whole minute and each is
 * kept with probability λ(t)/λ̄. The bound is rigorous: daily() is Lipschitz with constant
 * L = 2π(A₁ + 2A₂)/86 400 per second, so on a minute [a, b] it is at most
 * max(daily(a), daily(b)) + 30·L; spikes are piecewise linear, so their extremes lie at the
 * minute's ends or at a corner inside it. A lower bound λ̲ on the minute accepts a candidate
 * without computing λ(t) whenever u·λ̄ ≤ λ̲ (a squeeze). Sorted output, typed array, no
 * per-request objects. Same profile and rng state ⇒ the same times.
 */
export function generateArrivalTimes(
  profile: TrafficProfile,
  rng: Rng,
  startS = 0,
  endS = SECONDS_PER_DAY,
): ArrivalTimes {
  validateTrafficProfile(profile);
  if (!(endS >= startS)) throw new RangeError('endS must be ≥ startS');
  const expected = expectedRequests(profile, startS, endS);
  let times = new Float64Array(Math.ceil(expected + 8 * Math.sqrt(expected) + 64));
  let count = 0;
  const { daily, spikes } = profile;
  const lipschitzPerS = (2 * Math.PI * (daily.amplitude1 + 2 * daily.amplitude2)) / SECONDS_PER_DAY;
  const base = profile.requestsPerDay / SECONDS_PER_DAY;
  const firstMinute = Math.floor(startS / 60);
  const lastMinute = Math.ceil(endS / 60);
  const noise = minuteNoise(profile, firstMinute, lastMinute - firstMinute);
  const hasSpikes = spikes.length > 0;
  const uniforms = new UniformStream(rng, ARRIVALS_STREAM);
  for (let minute = firstMinute; minute < lastMinute; minute++) {
    const a = Math.max(startS, minute * 60);
    const b = Math.min(endS, (minute + 1) * 60);
    if (!(b > a)) continue;
    const constant =
      base *
      weeklyFactor(profile.weeklyFactors, Math.floor(a / SECONDS_PER_DAY)) *
      (noise[minute - firstMinute] as number);
    const da = dailyFactor(daily, a);
    const db = dailyFactor(daily, b);
    const slack = lipschitzPerS * 0.5 * (b - a);
    let spikeHi = 1;
    let spikeLo = 1;
    if (hasSpikes) [spikeLo, spikeHi] = spikeRange(spikes, a, b);
    const hi = constant * (Math.max(da, db) + slack) * spikeHi;
    const lo = constant * Math.max(0, Math.min(da, db) - slack) * spikeLo;
    if (!(hi > 0)) continue;
    const meanGapS = 1 / hi;
    let t = a;
    for (;;) {
      t -= Math.log(1 - uniforms.next()) * meanGapS;
      if (t >= b) break;
      const v = uniforms.next() * hi;
      if (v > lo) {
        let rate = constant * dailyFactor(daily, t);
        if (hasSpikes) rate *= spikeFactor(spikes, t);
        if (v > rate) continue;
      }
      if (count === times.length) {
        const grown = new Float64Array(Math.ceil(times.length * 1.25) + 64);
        grown.set(times);
        times = grown;
      }
      times[count++] = t;
    }
  }
  return { timesS: times.subarray(0, count), count };
}

/**
 * Arrival times of a homogeneous Poisson process with a constant rate over [0, durationS):
 * exponential gaps with mean 1/rate, from `rng.fork(ARRIVALS_STREAM)`. For tests of the queue
 * against M/M/c theory.
 */
export function homogeneousArrivalTimes(
  ratePerS: number,
  durationS: number,
  rng: Rng,
): ArrivalTimes {
  if (!(ratePerS > 0 && durationS >= 0)) throw new RangeError('rate must be > 0, duration ≥ 0');
  const expected = ratePerS * durationS;
  let times = new Float64Array(Math.ceil(expected + 8 * Math.sqrt(expected) + 64));
  let count = 0;
  const meanGapS = 1 / ratePerS;
  const uniforms = new UniformStream(rng, ARRIVALS_STREAM);
  let t = 0;
  for (;;) {
    t -= Math.log(1 - uniforms.next()) * meanGapS;
    if (t >= durationS) break;
    if (count === times.length) {
      const grown = new Float64Array(Math.ceil(times.length * 1.25) + 64);
      grown.set(times);
      times = grown;
    }
    times[count++] = t;
  }
  return { timesS: times.subarray(0, count), count };
}

/** Arrivals per minute of a sorted arrival array over `minutes` minutes from startS. */
export function countPerMinute(
  arrivals: ArrivalTimes,
  minutes = MINUTES_PER_DAY,
  startS = 0,
): Int32Array {
  const counts = new Int32Array(minutes);
  const times = arrivals.timesS;
  for (let i = 0; i < arrivals.count; i++) {
    const m = Math.floor(((times[i] as number) - startS) / 60);
    if (m >= 0 && m < minutes) counts[m] = (counts[m] as number) + 1;
  }
  return counts;
}

function spikeShape(spike: TrafficSpike, timeS: number): number {
  const ramp = spike.rampS ?? 0;
  const start = spike.startS;
  const fullFrom = start + ramp;
  const fullTo = start + spike.durationS;
  const end = fullTo + ramp;
  if (timeS < start || timeS >= end) return 0;
  if (timeS < fullFrom) return ramp > 0 ? (timeS - start) / ramp : 1;
  if (timeS < fullTo) return 1;
  return ramp > 0 ? (end - timeS) / ramp : 0;
}

function spikeCorners(spike: TrafficSpike): number[] {
  const ramp = spike.rampS ?? 0;
  return [
    spike.startS,
    spike.startS + ramp,
    spike.startS + spike.durationS,
    spike.startS + spike.durationS + ramp,
  ];
}

/** [min, max] of the spikes' product over [a, b]: each factor's extremes lie at ends or corners. */
function spikeRange(spikes: readonly TrafficSpike[], a: number, b: number): [number, number] {
  let lo = 1;
  let hi = 1;
  for (const spike of spikes) {
    const points = [a, b, ...spikeCorners(spike).filter((x) => x > a && x < b)];
    let min = Infinity;
    let max = -Infinity;
    for (const x of points) {
      // Just inside the interval at both ends, because the shape is right-continuous at corners.
      for (const y of [x, Math.min(b, Math.max(a, x - 1e-9))]) {
        const f = 1 + (spike.multiplier - 1) * spikeShape(spike, y);
        if (f < min) min = f;
        if (f > max) max = f;
      }
    }
    lo *= min;
    hi *= max;
  }
  return [lo, hi];
}

/** ∫ daily(t)·spikes(t) dt over [a, b], three-point Gauss–Legendre on pieces split at corners. */
function integrateShape(profile: TrafficProfile, a: number, b: number): number {
  const cuts = [a];
  for (const spike of profile.spikes)
    for (const x of spikeCorners(spike)) if (x > a && x < b) cuts.push(x);
  cuts.push(b);
  cuts.sort((x, y) => x - y);
  let total = 0;
  const node = Math.sqrt(3 / 5);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const lo = cuts[i] as number;
    const hi = cuts[i + 1] as number;
    const half = (hi - lo) / 2;
    const mid = (lo + hi) / 2;
    const f = (t: number): number => dailyFactor(profile.daily, t) * spikeFactor(profile.spikes, t);
    total +=
      half * ((5 / 9) * f(mid - half * node) + (8 / 9) * f(mid) + (5 / 9) * f(mid + half * node));
  }
  return total;
}

/** Noise factors of `count` consecutive minutes from absolute minute `firstMinute`. */
function minuteNoise(profile: TrafficProfile, firstMinute: number, count: number): Float64Array {
  const out = new Float64Array(count);
  if (profile.noiseSigma === 0 || count === 0) return out.fill(1);
  // Each knot is drawn once for the whole range.
  const knotMinutes = profile.noiseKnotMinutes;
  const firstKnot = Math.floor((firstMinute + 0.5) / knotMinutes);
  const lastKnot = Math.floor((firstMinute + count - 0.5) / knotMinutes) + 1;
  const knots = new Float64Array(lastKnot - firstKnot + 1);
  for (let k = firstKnot; k <= lastKnot; k++)
    knots[k - firstKnot] = noiseKnot(profile.noiseSeed, k);
  for (let m = 0; m < count; m++) {
    const position = (firstMinute + m + 0.5) / knotMinutes;
    const k = Math.floor(position);
    out[m] = noiseFromKnots(
      profile.noiseSigma,
      position - k,
      knots[k - firstKnot] as number,
      knots[k + 1 - firstKnot] as number,
    );
  }
  return out;
}

/** exp(x − Var(x)/2) for x = σ((1 − w)z₀ + w·z₁), z₀, z₁ independent standard normals. */
function noiseFromKnots(sigma: number, w: number, z0: number, z1: number): number {
  const x = sigma * ((1 - w) * z0 + w * z1);
  const variance = ((1 - w) * (1 - w) + w * w) * sigma * sigma;
  return Math.exp(x - variance / 2);
}

/** The standard-normal noise knot k: one Box–Muller draw from a generator seeded by (seed, k). */
function noiseKnot(seed: number | string, knotIndex: number): number {
  return createRng(`traffic-noise/${String(seed)}/${knotIndex}`).normal();
}
