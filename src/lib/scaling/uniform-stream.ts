/**
 * A fast reader of a random.ts stream, for the hot loops that draw tens of millions of numbers
 * (a day of 10 million requests): it continues exactly the sequence that `rng.fork(label)` of
 * random.ts would produce — the same sfc32 generator, started from that fork's saved state —
 * but generates the numbers 4 096 at a time in a tight loop over local variables instead of one
 * closure call per number (about 3 ns instead of about 30 ns each in Node 24).
 *
 * The randomness therefore still comes from random.ts: the seed handling, the fork derivation
 * and the state are its own; this file only inlines its sfc32 step. A unit test pins the
 * equivalence (every value equals `rng.fork(label).next()`, and the Box–Muller normal equals
 * `.normal()`), so a change of generator in random.ts makes that test fail instead of silently
 * changing streams.
 *
 * Like `fork`, opening a stream does not advance `rng`; different labels give independent streams.
 */

import type { Rng } from '../random';

const BLOCK = 4096;
const TWO_POW_32 = 4294967296;

/** Uniform and derived deviates from one fork of a random.ts generator, drawn in blocks. */
export class UniformStream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly block = new Float64Array(BLOCK);
  private position = BLOCK;

  /** Opens the stream of `rng.fork(label)`. */
  constructor(rng: Rng, label: string) {
    const [a, b, c, d] = rng.fork(label).getState();
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** The next float in [0, 1) (identical to the fork's `next()`). */
  next(): number {
    if (this.position === BLOCK) this.refill();
    return this.block[this.position++] as number;
  }

  /** An exponential deviate with mean 1: −ln(1 − u), u uniform in [0, 1) (inversion). */
  exponential(): number {
    return -Math.log(1 - this.next());
  }

  /**
   * A standard normal deviate by Box–Muller, consuming two uniforms and discarding the second
   * deviate exactly as random.ts's `normal()` does (identical values).
   */
  normal(): number {
    const u1 = 1 - this.next();
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private refill(): void {
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    const out = this.block;
    for (let i = 0; i < BLOCK; i++) {
      // The sfc32 step of random.ts, verbatim in effect.
      const t = (a + b + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) >>> 0;
      out[i] = t / TWO_POW_32;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.position = 0;
  }
}
