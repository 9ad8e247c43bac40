/**
 * The one seeded source of randomness in the engine.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit
 * state, period ≥ 2^32), chosen because it is fast in plain JavaScript, passes PractRand to
 * large sizes and keeps its whole state in four 32-bit words, so a run can be saved and
 * resumed exactly. Seeds may be numbers or strings; both are mixed with splitmix32 so that
 * neighbouring seeds (1, 2, 3…) give unrelated streams.
 */

/** The complete state of a generator: four unsigned 32-bit words. */
export type RngState = readonly [number, number, number, number];

/** A seeded pseudo-random number generator with the distributions the engine needs. */
export interface Rng {
  /** A float uniformly distributed in [0, 1), with 32 bits of randomness. */
  next(): number;
  /** An integer uniformly distributed in [minInclusive, maxExclusive). */
  int(minInclusive: number, maxExclusive: number): number;
  /** A float uniformly distributed in [min, max). */
  uniform(min: number, max: number): number;
  /** A normal deviate N(mean, sd²), by the Box–Muller transform. */
  normal(mean?: number, sd?: number): number;
  /** A log-normal deviate: exp(N(mu, sigma²)); mu and sigma are of the log. */
  logNormal(mu: number, sigma: number): number;
  /** true with probability p. */
  bernoulli(p: number): boolean;
  /** A Poisson deviate with mean lambda (Knuth's product method below 30, a rounded normal above). */
  poisson(lambda: number): number;
  /** An index drawn with probability proportional to weights[i]; weights must be ≥ 0, not all 0. */
  categorical(weights: readonly number[]): number;
  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** An independent generator derived from this one's seed and a label, without advancing this one. */
  fork(label: string): Rng;
  /** A copy of the current state, for saving and resuming a run. */
  getState(): RngState;
}

/** Hashes a string to an unsigned 32-bit integer (FNV-1a), for string seeds and fork labels. */
export function hashString32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Turns a number or string seed into the four words of a fresh sfc32 state. */
export function seedToState(seed: number | string): RngState {
  const base =
    typeof seed === 'string'
      ? hashString32(seed)
      : (Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32)) >>> 0;
  const mix = splitmix32(base);
  const state: [number, number, number, number] = [mix(), mix(), mix(), 1];
  return state;
}

/**
 * Creates a generator from a seed, or resumes one from a saved state.
 * The same seed gives the same sequence on every machine and JavaScript engine.
 */
export function createRng(seed: number | string, resumeFrom?: RngState): Rng {
  const seedKey = typeof seed === 'string' ? `s:${seed}` : `n:${seed}`;
  let [a, b, c, d] = resumeFrom ?? seedToState(seed);
  // sfc32 needs a dozen rounds to mix a fresh state; a resumed one is already mixed.
  const nextUint32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  if (!resumeFrom) for (let i = 0; i < 12; i++) nextUint32();

  const rng: Rng = {
    next: () => nextUint32() / 4294967296,
    int(minInclusive, maxExclusive) {
      const span = maxExclusive - minInclusive;
      if (!(span > 0))
        throw new RangeError(`int(): empty range [${minInclusive}, ${maxExclusive})`);
      return minInclusive + Math.floor(rng.next() * span);
    },
    uniform: (min, max) => min + (max - min) * rng.next(),
    normal(mean = 0, sd = 1) {
      // The second Box–Muller deviate is thrown away so that getState() alone resumes a run.
      // 1 - next() lies in (0, 1], so the log is finite.
      const u1 = 1 - rng.next();
      const u2 = rng.next();
      return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    logNormal: (mu, sigma) => Math.exp(rng.normal(mu, sigma)),
    bernoulli: (p) => rng.next() < p,
    poisson(lambda) {
      if (lambda <= 0) return 0;
      if (lambda >= 30) return Math.max(0, Math.round(rng.normal(lambda, Math.sqrt(lambda))));
      const limit = Math.exp(-lambda);
      let k = 0;
      let product = rng.next();
      while (product > limit) {
        k++;
        product *= rng.next();
      }
      return k;
    },
    categorical(weights) {
      let total = 0;
      for (const w of weights) total += w;
      if (!(total > 0)) throw new RangeError('categorical(): weights must sum to more than 0');
      let target = rng.next() * total;
      for (let i = 0; i < weights.length; i++) {
        target -= weights[i] ?? 0;
        if (target < 0) return i;
      }
      return weights.length - 1;
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        const tmp = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = tmp;
      }
      return items;
    },
    fork: (label) => createRng(`${seedKey}/${label}`),
    getState: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0] as const,
  };
  return rng;
}
