/**
 * Synthetic ad impressions for the click-through sandbox (lesson 1).
 *
 * An impression is one ad slot on one page view. It has a context (is the slot at the top of
 * the page, is the visitor on a phone, how readily this visitor clicks in general) and an
 * interest score for each of four ad categories. K candidate ads compete for the slot; each has
 * a category, a creative quality score and a price per click (the advertiser's bid, USD).
 *
 * The true click probability of candidate k in impression i comes from a documented logistic
 * model ({@link TRUE_CLICK_MODEL}):
 *
 *   logit P(click) = β0 + β_top·topSlot + β_mobile·mobile + β_eng·engagement
 *                    + β_quality·quality_k + γ[category_k] + β_interest·interest[category_k]
 *
 * Context terms shift every candidate of an impression by the same amount, so they cannot
 * change which ad is best; ad and match (interest × category) terms can. With the constants
 * below, about 2% of randomly shown ads are clicked (a typical display-ad click-through rate).
 *
 * Every impression also carries one uniform draw per candidate: candidate k is clicked iff
 * `clickDraw < clickProbability`. Using the same draws for every ranking policy (common random
 * numbers) makes policies comparable on the same day. The log a model learns from records one
 * candidate per impression, chosen uniformly at random (exploration traffic, so the log has no
 * selection bias), and whether it was clicked.
 */
import { sigmoid } from '../ml/logistic-regression';
import { createRng, type Rng } from '../random';

/** The ad categories, in the order of `interest` and the category one-hot features. */
export const AD_CATEGORIES = ['travel', 'tech', 'fashion', 'food'] as const;
/** Number of ad categories. */
export const AD_CATEGORY_COUNT = AD_CATEGORIES.length;

/**
 * The true click model: logit coefficients (per unit of each feature) and the category offsets γ.
 * Course numbers, chosen so that clicks are rare (~2% of random ads) and a visitor's interest in
 * an ad's category matters most, then the ad's own quality, then the slot's context.
 */
export const TRUE_CLICK_MODEL = {
  intercept: -4.6,
  topSlot: 0.7,
  mobile: -0.3,
  engagement: 0.5,
  quality: 0.6,
  interest: 1.0,
  category: [0, 0.3, -0.2, 0.1] as readonly number[],
} as const;

/** How candidate ads' prices per click are drawn: log-normal, clipped, rounded to cents. */
export const BID_MODEL = {
  /** Median price per click, USD. */
  medianUsd: 0.8,
  /** Standard deviation of ln(price). */
  logSd: 0.7,
  /** Lowest price per click, USD. */
  minUsd: 0.05,
  /** Highest price per click, USD. */
  maxUsd: 20,
} as const;

/** Share of impressions in a top slot, and of visitors on a phone. */
export const CONTEXT_RATES = { topSlot: 0.4, mobile: 0.6 } as const;

/** Candidate ads per impression unless told otherwise. */
export const DEFAULT_CANDIDATES_PER_IMPRESSION = 4;

/**
 * A day of impressions in structure-of-arrays form (fast, and transferable to a worker).
 * Per-impression arrays have length `impressions`; per-candidate arrays have length
 * `impressions × candidatesPerImpression`, candidate k of impression i at `i·K + k`.
 */
export interface AdDay {
  /** Number of impressions (ad slots). */
  impressions: number;
  /** K: candidate ads competing for each slot. */
  candidatesPerImpression: number;
  /** 1 when the slot is at the top of the page. */
  topSlot: Uint8Array;
  /** 1 when the visitor is on a phone. */
  mobile: Uint8Array;
  /** The visitor's general readiness to click, standardised (mean 0, sd 1). */
  engagement: Float64Array;
  /** The visitor's interest in each category, standardised; index i·C + c. */
  interest: Float64Array;
  /** Each candidate's category index into {@link AD_CATEGORIES}. */
  adCategory: Uint8Array;
  /** Each candidate's creative quality, standardised. */
  adQuality: Float64Array;
  /** Each candidate's price per click (the advertiser's bid), USD. */
  bidUsdPerClick: Float64Array;
  /** Each candidate's true click probability under {@link TRUE_CLICK_MODEL}. */
  clickProbability: Float64Array;
  /** Each candidate's uniform draw in [0, 1): it is clicked iff draw < clickProbability. */
  clickDraw: Float64Array;
  /** The candidate the random logging policy showed in each impression. */
  loggedCandidate: Uint8Array;
}

/** Options of {@link generateAdDay}. */
export interface AdDayOptions {
  /** Number of impressions, a whole number ≥ 1. */
  impressions: number;
  /**
   * Candidate ads per impression, 1–8 (default {@link DEFAULT_CANDIDATES_PER_IMPRESSION}). A
   * log of a random logging policy needs only the ad it showed: 1 is the same in distribution.
   */
  candidatesPerImpression?: number;
  /** Seed: the same seed gives the same day. */
  seed: number | string;
}

/** The true click logit of one candidate (see the module header for the formula). */
export function trueClickLogit(
  context: { topSlot: number; mobile: number; engagement: number },
  ad: { quality: number; category: number },
  interestInCategory: number,
): number {
  const m = TRUE_CLICK_MODEL;
  return (
    m.intercept +
    m.topSlot * context.topSlot +
    m.mobile * context.mobile +
    m.engagement * context.engagement +
    m.quality * ad.quality +
    (m.category[ad.category] ?? 0) +
    m.interest * interestInCategory
  );
}

/**
 * Draws a day of impressions. Streams are forked by name (`context`, `context-flags`, `ads`,
 * `clicks`, `log`),
 * so the clicks of a day do not depend on how many ads were drawn before them, and the same
 * seed always gives the same day.
 */
export function generateAdDay(options: AdDayOptions): AdDay {
  const n = options.impressions;
  const k = options.candidatesPerImpression ?? DEFAULT_CANDIDATES_PER_IMPRESSION;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`impressions must be a whole number ≥ 1, got ${n}`);
  }
  if (!Number.isInteger(k) || k < 1 || k > 8) {
    throw new RangeError(`candidatesPerImpression must be a whole number from 1 to 8, got ${k}`);
  }
  const rng = createRng(options.seed);
  const contextNormal = normalStream(rng.fork('context'));
  const contextUniform = rng.fork('context-flags');
  const adRng = rng.fork('ads');
  const adNormal = normalStream(adRng);
  const clickRng = rng.fork('clicks');
  const logRng = rng.fork('log');
  const c = AD_CATEGORY_COUNT;

  const day: AdDay = {
    impressions: n,
    candidatesPerImpression: k,
    topSlot: new Uint8Array(n),
    mobile: new Uint8Array(n),
    engagement: new Float64Array(n),
    interest: new Float64Array(n * c),
    adCategory: new Uint8Array(n * k),
    adQuality: new Float64Array(n * k),
    bidUsdPerClick: new Float64Array(n * k),
    clickProbability: new Float64Array(n * k),
    clickDraw: new Float64Array(n * k),
    loggedCandidate: new Uint8Array(n),
  };
  const logMedian = Math.log(BID_MODEL.medianUsd);
  for (let i = 0; i < n; i++) {
    const context = {
      topSlot: contextUniform.next() < CONTEXT_RATES.topSlot ? 1 : 0,
      mobile: contextUniform.next() < CONTEXT_RATES.mobile ? 1 : 0,
      engagement: contextNormal(),
    };
    day.topSlot[i] = context.topSlot;
    day.mobile[i] = context.mobile;
    day.engagement[i] = context.engagement;
    for (let j = 0; j < c; j++) day.interest[i * c + j] = contextNormal();
    for (let a = 0; a < k; a++) {
      const index = i * k + a;
      const category = Math.floor(adRng.next() * c);
      const quality = adNormal();
      const bid = Math.exp(logMedian + BID_MODEL.logSd * adNormal());
      day.adCategory[index] = category;
      day.adQuality[index] = quality;
      day.bidUsdPerClick[index] =
        Math.round(Math.min(BID_MODEL.maxUsd, Math.max(BID_MODEL.minUsd, bid)) * 100) / 100;
      day.clickProbability[index] = sigmoid(
        trueClickLogit(context, { quality, category }, day.interest[i * c + category]!),
      );
      day.clickDraw[index] = clickRng.next();
    }
    day.loggedCandidate[i] = k === 1 ? 0 : Math.floor(logRng.next() * k);
  }
  return day;
}

/**
 * Standard normal deviates from a generator by the Box–Muller transform, using both deviates
 * of each pair (twice as fast as `Rng.normal`, which discards one so a run can be resumed).
 */
function normalStream(rng: Rng): () => number {
  let spare = Number.NaN;
  return () => {
    if (spare === spare) {
      const value = spare;
      spare = Number.NaN;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - rng.next()));
    const angle = 2 * Math.PI * rng.next();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** Whether candidate `candidate` of impression `impression` is clicked when shown. */
export function isClicked(day: AdDay, impression: number, candidate: number): boolean {
  const index = impression * day.candidatesPerImpression + candidate;
  return day.clickDraw[index]! < day.clickProbability[index]!;
}

/** The feature groups a click model may see. */
export const AD_FEATURE_GROUPS = ['context', 'ad', 'match'] as const;
/** One feature group. */
export type AdFeatureGroup = (typeof AD_FEATURE_GROUPS)[number];

/** The features of each group, in the column order of {@link adFeatureMatrix}. */
export const AD_FEATURE_NAMES: Readonly<Record<AdFeatureGroup, readonly string[]>> = {
  context: ['top slot', 'mobile', 'engagement'],
  ad: ['ad quality', 'category: tech', 'category: fashion', 'category: food'],
  match: ["interest in the ad's category"],
};

/** The column names for a set of groups, in the fixed order context, ad, match. */
export function adFeatureNames(groups: readonly AdFeatureGroup[]): string[] {
  return AD_FEATURE_GROUPS.filter((g) => groups.includes(g)).flatMap((g) => AD_FEATURE_NAMES[g]);
}

/**
 * The model's input rows for some (impression, candidate) pairs, row-major in a Float64Array of
 * `pairs × adFeatureNames(groups).length`. Context: topSlot, mobile, engagement. Ad: quality and
 * a one-hot of the category (travel is the baseline). Match: the visitor's interest in the ad's
 * category (the cross feature a real system would learn from user × ad history).
 */
export function adFeatureMatrix(
  day: AdDay,
  impressions: ArrayLike<number>,
  candidates: ArrayLike<number>,
  groups: readonly AdFeatureGroup[],
): { x: Float64Array; featureCount: number } {
  if (impressions.length !== candidates.length) {
    throw new RangeError('impressions and candidates differ in length');
  }
  const useContext = groups.includes('context');
  const useAd = groups.includes('ad');
  const useMatch = groups.includes('match');
  const featureCount = (useContext ? 3 : 0) + (useAd ? 4 : 0) + (useMatch ? 1 : 0);
  const k = day.candidatesPerImpression;
  const x = new Float64Array(impressions.length * featureCount);
  for (let r = 0; r < impressions.length; r++) {
    const i = impressions[r]!;
    const index = i * k + candidates[r]!;
    const category = day.adCategory[index]!;
    let o = r * featureCount;
    if (useContext) {
      x[o++] = day.topSlot[i]!;
      x[o++] = day.mobile[i]!;
      x[o++] = day.engagement[i]!;
    }
    if (useAd) {
      x[o++] = day.adQuality[index]!;
      for (let c = 1; c < AD_CATEGORY_COUNT; c++) x[o++] = category === c ? 1 : 0;
    }
    if (useMatch) x[o] = day.interest[i * AD_CATEGORY_COUNT + category]!;
  }
  return { x, featureCount };
}
