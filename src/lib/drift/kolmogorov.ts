/**
 * Distributions of the Kolmogorov–Smirnov statistics, ported from SciPy so that the two-sample
 * KS p-values here agree with `scipy.stats.ks_2samp`:
 *
 * - {@link kolmogorovLimitSf}: the limiting Kolmogorov distribution, P(√n·Dₙ > x) as n → ∞,
 *   K(x) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²} (SciPy's `special.kolmogorov`, `kstwobign.sf`).
 * - {@link smirnovSf}: the exact one-sided P(Dₙ⁺ ≥ x) by the Smirnov / Birnbaum–Tingey sum
 *   (SciPy's `special.smirnov`).
 * - {@link kolmogorovSf}: the exact two-sided P(Dₙ ≥ x) for a sample of n (SciPy's
 *   `stats.kstwo.sf`), choosing among exact and approximate algorithms as Simard & L'Ecuyer
 *   (2011) recommend and SciPy does (`scipy/stats/_ksstats.py`, `_kolmogn`).
 *
 * Sources: Durbin (1968) and Marsaglia, Tsang & Wang (2003), "Evaluating Kolmogorov's
 * distribution", J. Stat. Softw. 8(18) (matrix method); Pomeranz (1974), CACM algorithm 487
 * (recursion); Pelz & Good (1976), JRSS B 38(2) (asymptotic series); Birnbaum & Tingey (1951),
 * Ann. Math. Statist. 22 (one-sided sum); Simard & L'Ecuyer (2011), "Computing the two-sided
 * Kolmogorov–Smirnov distribution", J. Stat. Softw. 39(11) (which method where).
 * SciPy computes `smirnov` in double-double arithmetic; here the same sum is taken in
 * log space in plain doubles (every term is positive, so there is no cancellation), good to
 * about 1e-12 relative.
 */

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
const SQRT3 = Math.sqrt(3);
const MIN_LOG = -708;
/** Cephes' MINLOG: log of the smallest normal double. */
const CEPHES_MINLOG = -708.3964185322641;

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/** x·2^e without overflow in the intermediate power of two (C's ldexp). */
function ldexp(x: number, e: number): number {
  let value = x;
  let rest = e;
  while (rest > 1000) {
    value *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    value *= 2 ** -1000;
    rest += 1000;
  }
  return value * 2 ** rest;
}

/**
 * The limiting Kolmogorov survival function K(x) = P(K > x) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²}
 * (Kolmogorov 1933), with the alternative series √(2π)/x · Σ e^{−(2k−1)²π²/(8x²)} for the CDF
 * below x = 0.82, as in SciPy's cephes `kolmogorov`. Example: K(1.3581) ≈ 0.0500, the classic
 * 5% critical value. K(x) = 1 for x ≤ 0.
 */
export function kolmogorovLimitSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x <= Math.PI / Math.sqrt(746 * 8)) return 1;
  if (x <= 0.82) {
    const w = SQRT_2PI / x;
    const logu8 = -PI_SQUARED / (x * x);
    const u = Math.exp(logu8 / 8);
    let cdf: number;
    if (u === 0) {
      cdf = Math.exp(logu8 / 8 + Math.log(w));
    } else {
      const u8 = Math.exp(logu8);
      const u8cub = u8 ** 3;
      let p = 1 + u8cub;
      p = 1 + u8 * u8 * p;
      p = 1 + u8 * p;
      cdf = w * u * p;
    }
    return clip01(1 - cdf);
  }
  const v = Math.exp(-2 * x * x);
  const v3 = v ** 3;
  let p = 1;
  p = 1 - v3 * v3 * v * p;
  p = 1 - v3 * v * v * p;
  p = 1 - v3 * p;
  return clip01(2 * v * p);
}

/**
 * The exact one-sided Kolmogorov–Smirnov survival function P(Dₙ⁺ ≥ x) for a sample of n
 * (Smirnov 1944; Birnbaum & Tingey 1951):
 *
 *   P(Dₙ⁺ ≥ x) = x · Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (1 − x − j/n)^{n−j} (x + j/n)^{j−1},
 *
 * with SciPy's special cases: x ≤ 1/n gives 1 − x(1 + x)^{n−1}; x ≥ 1 − 1/n gives (1 − x)^n;
 * −2nx² below the smallest exponent gives 0. The positive terms are summed in log space.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1) || !Number.isInteger(n)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  let nxFloor = Math.floor(nx);
  let alpha = nx - nxFloor;
  if (alpha >= 1) {
    nxFloor += 1;
    alpha = 0;
  }
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    const cdf = x * Math.exp((n - 1) * Math.log1p(x));
    return clip01(1 - cdf);
  }
  if (-2 * n * x * x < CEPHES_MINLOG) return 0;
  if (nxFloor >= n - 1) return clip01(Math.exp(n * Math.log1p(-x)));
  // Largest j with 1 − x − j/n > 0 (when nx is an integer, the term j = n − nx is 0).
  const last = n - nxFloor - 1;
  const logTerms = new Float64Array(last + 1);
  // log C(n, j), accumulated with Kahan compensation: the terms cancel to within a few units
  // of magnitude n, so the running sum must keep its low bits.
  let logBinom = 0;
  let compensation = 0;
  let maxLog = -Infinity;
  for (let j = 0; j <= last; j++) {
    if (j > 0) {
      const y = Math.log((n - j + 1) / j) - compensation;
      const t = logBinom + y;
      compensation = t - logBinom - y;
      logBinom = t;
    }
    const rest = (n - j - nx) / n; // 1 − x − j/n
    const lead = x + j / n;
    const logTerm = logBinom + (n - j) * Math.log(rest) + (j - 1) * Math.log(lead);
    logTerms[j] = logTerm;
    if (logTerm > maxLog) maxLog = logTerm;
  }
  let sum = 0;
  for (let j = 0; j <= last; j++) sum += Math.exp((logTerms[j] as number) - maxLog);
  return clip01(x * Math.exp(maxLog + Math.log(sum)));
}

/** Matrix product of two m×m row-major matrices. */
function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      const rowB = k * m;
      const rowOut = i * m;
      for (let j = 0; j < m; j++) {
        out[rowOut + j] = (out[rowOut + j] as number) + aik * (b[rowB + j] as number);
      }
    }
  }
  return out;
}

/**
 * P(Dₙ ≤ d) by Durbin's matrix method as Marsaglia, Tsang & Wang (2003) compute it: write
 * nd = k − h (k integer, 0 ≤ h < 1), build the (2k−1)×(2k−1) matrix H, and the answer is
 * n!/nⁿ · (Hⁿ)_{kk}, with powers by squaring and explicit exponent scaling.
 */
function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  let H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)] as number;
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] as number;

  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let nn = n;
  let exponent = 0;
  let hExponent = 0;
  while (nn > 0) {
    if (nn % 2 === 1) {
      power = matmul(power, H, m);
      exponent += hExponent;
    }
    H = matmul(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)] as number) > E128) {
      for (let i = 0; i < H.length; i++) H[i] = (H[i] as number) / E128;
      hExponent += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[(k - 1) * m + (k - 1)] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      exponent -= 128;
    }
  }
  if (exponent !== 0) p = ldexp(p, exponent);
  return clip01(p);
}

function pomeranzBounds(
  i: number,
  n: number,
  ll: number,
  ceilF: number,
  roundF: number,
): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    const odd = (i + 1) % 2;
    if (odd === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(Dₙ ≤ x) by Pomeranz's (1974) recursion, as in SciPy's `_kolmogn_Pomeranz`. */
function kolmogorovCdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gPower = new Float64Array(npwrs);
  const twoGPower = new Float64Array(npwrs);
  const oneMinusTwoGPower = new Float64Array(npwrs);
  gPower[0] = 1;
  twoGPower[0] = 1;
  oneMinusTwoGPower[0] = 1;
  let exponent = 0;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gPower[m] = ((gPower[m - 1] as number) * gOverN) / m;
    twoGPower[m] = ((twoGPower[m - 1] as number) * twoGOverN) / m;
    oneMinusTwoGPower[m] = ((oneMinusTwoGPower[m - 1] as number) * oneMinusTwoGOverN) / m;
  }
  let v0 = new Float64Array(npwrs);
  let v1 = new Float64Array(npwrs);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0;
  let j1 = pomeranzBounds(0, n, ll, ceilF, roundF)[0];
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    const bounds = pomeranzBounds(i, n, ll, ceilF, roundF);
    j1 = bounds[0];
    const j2 = bounds[1];
    const pwrs = i === 1 || i === 2 * n + 1 ? gPower : i % 2 ? twoGPower : oneMinusTwoGPower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      const start = k1 - v0s;
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      // conv[c] = Σ_a V0[start + a] · pwrs[c − a], a, c − a ∈ [0, ln2).
      for (let out = 0; out < convLen; out++) {
        const c = convStart + out;
        let s = 0;
        const aLo = Math.max(0, c - (ln2 - 1));
        const aHi = Math.min(c, ln2 - 1);
        for (let a = aLo; a <= aHi; a++) {
          s += (v0[start + a] ?? 0) * (pwrs[c - a] as number);
        }
        v1[out] = s;
      }
      let maxV = 0;
      for (let q = 0; q < v1.length; q++) if ((v1[q] as number) > maxV) maxV = v1[q] as number;
      if (maxV > 0 && maxV < EM128) {
        for (let q = 0; q < v1.length; q++) v1[q] = (v1[q] as number) * E128;
        exponent -= 128;
      }
      v1s = v0s + j1 - k1;
    }
  }
  let answer = v1[n - v1s] ?? 0;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > E128) {
      answer *= EM128;
      exponent += 128;
    }
    answer *= m;
  }
  if (exponent !== 0) answer = ldexp(answer, exponent);
  return clip01(answer);
}

/**
 * The Pelz–Good (1976) asymptotic series for P(Dₙ ≤ x): the Li-Chien/Korolyuk expansion
 * K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^{3/2}, z = x√n, rewritten with Jacobi theta identities
 * for small z (SciPy's `_kolmogn_PelzGood`).
 */
function kolmogorovCdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI_SQUARED / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * z2)) / 16;
  const k3d = (PI_SIX * (5 - 30 * z2)) / 64;
  const k3c = (PI_FOUR * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI_SQUARED * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    const coeffs = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m4,
      k3a + k3b * m2 + k3c * m4 + k3d * m6,
    ];
    for (let i = 0; i < 4; i++) K[i] = (K[i] as number) * qPower + (coeffs[i] as number);
  }
  const denominators = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++)
    K[i] = ((K[i] as number) * q * SQRT_2PI) / (denominators[i] as number);
  q = Math.exp(-PI_SQUARED / 2 / z2);
  const sqrt3z = SQRT3 * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxK; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    k2extra += k2 * qp;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] = (K[2] as number) + (k2extra * PI_SQUARED * SQRT_2PI) / (-36 * z3);
  K[3] = (K[3] as number) + (k3extra * PI_SQUARED * SQRT_2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (K[i] as number) / n ** (i / 2);
  return sum;
}

/** log(n!/nⁿ) by Stirling's series with the n·log n term removed up front (SciPy). */
function logFactorialOverPower(n: number): number {
  // B₂ⱼ/(2j(2j − 1)) for j = 8, …, 1: −3617/122400, 1/156, −691/360360, 1/1188, −1/1680,
  // 1/1260, −1/360, 1/12.
  const coeffs = [
    -3617 / 122400,
    1 / 156,
    -691 / 360360,
    1 / 1188,
    -1 / 1680,
    1 / 1260,
    -1 / 360,
    1 / 12,
  ];
  const rn = 1 / n;
  const y = rn / n;
  let poly = 0;
  for (const c of coeffs) poly = poly * y + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/**
 * The exact two-sided Kolmogorov–Smirnov survival function P(Dₙ ≥ x) for a sample of n
 * (SciPy's `kstwo.sf(x, n)`), choosing the algorithm as SciPy's `_kolmogn` does after Simard &
 * L'Ecuyer (2011): Ruben–Gambino closed forms for nx ≤ 1 and nx ≥ n − 1; 2·P(Dₙ⁺ ≥ x) for
 * x ≥ 0.5 (exact there); for n ≤ 140 Durbin's matrix (nx² ≤ 0.754693), Pomeranz (nx² ≤ 4),
 * else 2·smirnov; for n > 140: 0 when nx² ≥ 370, 2·smirnov when nx² ≥ 2.2, else 1 − CDF with
 * the CDF from Durbin's matrix (n ≤ 100 000 and n·x^{3/2} ≤ 1.4) or Pelz–Good.
 * Returns NaN unless n is a positive integer.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (Number.isNaN(x) || !(Number.isInteger(n) && n > 0)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clip01(1 - kolmogorovCdfDurbin(n, x));
    if (nxSquared <= 4) return clip01(1 - kolmogorovCdfPomeranz(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip01(2 * smirnovSf(n, x));
  const cdf =
    n <= 100_000 && n * x ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, x) : kolmogorovCdfPelzGood(n, x);
  return clip01(1 - cdf);
}
