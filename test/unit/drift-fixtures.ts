/**
 * Deterministic samples shared by the drift tests, reproducible bit for bit in Python, where
 * the reference values pinned in the tests were computed (SciPy 1.17.1, NumPy 2.x):
 *
 *   def seq(n, a, scale=1, shift=0, rnd=0):
 *       out = []
 *       for i in range(n):
 *           v = ((i + 1) * a) % 1 * scale + shift
 *           if rnd: v = math.floor(v * rnd + 0.5) / rnd
 *           out.append(v)
 *       return out
 *
 * x_i = frac((i + 1)·a)·scale + shift is a low-discrepancy (Weyl) sequence: close to uniform on
 * [shift, shift + scale), with no ties unless rounded to multiples of 1/rnd.
 */

/** The golden-ratio step used for reference samples. */
export const GOLDEN = 0.6180339887498949;
/** The plastic-number step used for current samples. */
export const PLASTIC = 0.7548776662466927;

/** The Weyl sequence described in the module comment. */
export function seq(n: number, a: number, scale = 1, shift = 0, round = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = (((i + 1) * a) % 1) * scale + shift;
    if (round) v = Math.floor(v * round + 0.5) / round;
    out[i] = v;
  }
  return out;
}

/** |actual/expected − 1|, for relative tolerances. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual / expected - 1);
}
