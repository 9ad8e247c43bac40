/**
 * Take-rate: a company's own metric that ties a recommender's ML quality to business metrics.
 *
 * Netflix measures its recommender by the take-rate, the number of quality plays divided by the
 * number of recommendations a member sees, and has reported that a higher take-rate goes with
 * more total streaming hours and fewer subscription cancellations. A "quality play" is a play
 * that the member kept watching, for example past 70% of the title or past a few minutes.
 *
 * The link from take-rate to hours and cancellations below is a deliberately simple, monotone
 * teaching model. Its parameters and defaults are course assumptions chosen to give plausible
 * magnitudes; they are not Netflix's numbers:
 *
 *   hoursPerMemberPerMonth  = baseHoursPerMemberPerMonth
 *                             + hoursPerQualityPlay · recommendationsSeenPerMemberPerMonth · takeRate
 *   monthlyCancellationRate = logistic(cancellationLogitIntercept + cancellationLogitSlope · takeRate)
 *   logistic(x)             = 1 / (1 + e^(−x))
 *
 * With `cancellationLogitSlope ≤ 0`, a higher take-rate never lowers hours and never raises
 * cancellations.
 */

/** When a play counts as a quality play. */
export interface QualityPlayRule {
  /** Minimum share (0–1) of the title's runtime watched; default 0.7. */
  minShareWatched: number;
  /**
   * Optional alternative: a play watched for at least this many minutes also counts, whatever
   * its share. Leave undefined to judge by share alone.
   */
  minMinutesWatched?: number;
}

/** The default quality-play rule: at least 70% of the runtime watched. */
export const DEFAULT_QUALITY_PLAY_RULE: Readonly<QualityPlayRule> = { minShareWatched: 0.7 };

/**
 * Whether one play is a quality play: watchedMinutes / runtimeMinutes ≥ minShareWatched, or
 * watchedMinutes ≥ minMinutesWatched when that alternative is set.
 * Throws a RangeError on negative or non-finite minutes or a runtime of 0.
 */
export function isQualityPlay(
  watchedMinutes: number,
  runtimeMinutes: number,
  rule: Readonly<QualityPlayRule> = DEFAULT_QUALITY_PLAY_RULE,
): boolean {
  if (!(Number.isFinite(watchedMinutes) && watchedMinutes >= 0)) {
    throw new RangeError('watchedMinutes must be a finite number ≥ 0');
  }
  if (!(Number.isFinite(runtimeMinutes) && runtimeMinutes > 0)) {
    throw new RangeError('runtimeMinutes must be a finite number > 0');
  }
  if (rule.minMinutesWatched !== undefined && watchedMinutes >= rule.minMinutesWatched) return true;
  return watchedMinutes / runtimeMinutes >= rule.minShareWatched;
}

/**
 * Take-rate = qualityPlays / recommendationsSeen (Netflix's recommender metric).
 * Returns 0 when nothing was seen. Throws a RangeError on negative or non-finite counts, or
 * when there are more quality plays than recommendations seen.
 */
export function takeRate(qualityPlays: number, recommendationsSeen: number): number {
  if (!(Number.isFinite(qualityPlays) && qualityPlays >= 0)) {
    throw new RangeError('qualityPlays must be a finite number ≥ 0');
  }
  if (!(Number.isFinite(recommendationsSeen) && recommendationsSeen >= 0)) {
    throw new RangeError('recommendationsSeen must be a finite number ≥ 0');
  }
  if (qualityPlays > recommendationsSeen) {
    throw new RangeError('qualityPlays cannot exceed recommendationsSeen');
  }
  if (recommendationsSeen === 0) return 0;
  return qualityPlays / recommendationsSeen;
}

/**
 * The standard logistic function 1 / (1 + e^(−x)). For very negative x, e^(−x) overflows to
 * Infinity and the result is 0, never NaN; one formula throughout keeps it monotone in floats.
 */
export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Parameters of the take-rate → business-metrics link model (course assumptions). */
export interface TakeRateLinkParams {
  /** Hours a member streams per month with no quality play from recommendations. */
  baseHoursPerMemberPerMonth: number;
  /** Streaming hours that one quality play adds (an episode or two, or a film). */
  hoursPerQualityPlay: number;
  /** Recommendations a member sees per month (rows × titles actually shown). */
  recommendationsSeenPerMemberPerMonth: number;
  /** Intercept of the monthly cancellation logit: the churn logit at take-rate 0. */
  cancellationLogitIntercept: number;
  /** Slope of the monthly cancellation logit per unit of take-rate; must be ≤ 0. */
  cancellationLogitSlope: number;
}

/**
 * Course defaults (assumptions, not Netflix's figures):
 * - 8 base hours a month, 1.5 hours per quality play, 300 recommendations seen a month, so at
 *   a take-rate of 5% a member watches 8 + 1.5 · 300 · 0.05 = 30.5 hours a month (~1 h a day);
 * - cancellation logit −2.5 − 20 · takeRate: logistic(−2.5) ≈ 7.6% monthly churn at take-rate
 *   0, logistic(−3.5) ≈ 2.9% at 5%, logistic(−4.5) ≈ 1.1% at 10%, in line with the 2–4%
 *   monthly churn often quoted for subscription streaming.
 */
export const DEFAULT_TAKE_RATE_LINK: Readonly<TakeRateLinkParams> = {
  baseHoursPerMemberPerMonth: 8,
  hoursPerQualityPlay: 1.5,
  recommendationsSeenPerMemberPerMonth: 300,
  cancellationLogitIntercept: -2.5,
  cancellationLogitSlope: -20,
};

/** What the link model predicts for a member base at one take-rate. */
export interface StreamingOutcomes {
  /** Expected streaming hours per member per month. */
  hoursPerMemberPerMonth: number;
  /** hoursPerMemberPerMonth · members. */
  totalHoursPerMonth: number;
  /** Probability (0–1) that a member cancels in a given month. */
  monthlyCancellationRate: number;
  /** monthlyCancellationRate · members: expected cancellations per month. */
  cancellationsPerMonth: number;
}

function checkParams(params: Readonly<TakeRateLinkParams>): void {
  const nonNegative: (keyof TakeRateLinkParams)[] = [
    'baseHoursPerMemberPerMonth',
    'hoursPerQualityPlay',
    'recommendationsSeenPerMemberPerMonth',
  ];
  for (const key of nonNegative) {
    const v = params[key];
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${key} must be a finite number ≥ 0`);
  }
  if (!Number.isFinite(params.cancellationLogitIntercept)) {
    throw new RangeError('cancellationLogitIntercept must be finite');
  }
  const slope = params.cancellationLogitSlope;
  if (!(Number.isFinite(slope) && slope <= 0)) {
    throw new RangeError('cancellationLogitSlope must be a finite number ≤ 0');
  }
}

/**
 * Streaming hours and cancellations predicted at a take-rate, by the link model in this
 * module's header:
 *   hoursPerMemberPerMonth  = base + hoursPerQualityPlay · recommendationsSeen · takeRate
 *   monthlyCancellationRate = logistic(intercept + slope · takeRate)
 * and both multiplied by `members` for the totals. Throws a RangeError when the take-rate is
 * outside [0, 1], members is negative or not finite, or a parameter is out of range.
 */
export function streamingOutcomes(
  takeRateValue: number,
  members: number,
  params: Partial<TakeRateLinkParams> = {},
): StreamingOutcomes {
  const p: TakeRateLinkParams = { ...DEFAULT_TAKE_RATE_LINK, ...params };
  checkParams(p);
  if (!(Number.isFinite(takeRateValue) && takeRateValue >= 0 && takeRateValue <= 1)) {
    throw new RangeError('takeRate must be in [0, 1]');
  }
  if (!(Number.isFinite(members) && members >= 0)) {
    throw new RangeError('members must be a finite number ≥ 0');
  }
  const hoursPerMemberPerMonth =
    p.baseHoursPerMemberPerMonth +
    p.hoursPerQualityPlay * p.recommendationsSeenPerMemberPerMonth * takeRateValue;
  const monthlyCancellationRate = logistic(
    p.cancellationLogitIntercept + p.cancellationLogitSlope * takeRateValue,
  );
  return {
    hoursPerMemberPerMonth,
    totalHoursPerMonth: hoursPerMemberPerMonth * members,
    monthlyCancellationRate,
    cancellationsPerMonth: monthlyCancellationRate * members,
  };
}

/** Two take-rates side by side and what moving from the first to the second changes. */
export interface TakeRateComparison {
  /** Outcomes at take-rate a (the baseline). */
  a: StreamingOutcomes;
  /** Outcomes at take-rate b (the candidate). */
  b: StreamingOutcomes;
  /** b − a, field by field: positive hours and negative cancellations mean b is better. */
  difference: StreamingOutcomes;
}

/**
 * Compares two take-rates for the same member base: outcomes at each (see
 * {@link streamingOutcomes}) and their difference b − a, field by field.
 */
export function compareTakeRates(
  a: number,
  b: number,
  members: number,
  params: Partial<TakeRateLinkParams> = {},
): TakeRateComparison {
  const atA = streamingOutcomes(a, members, params);
  const atB = streamingOutcomes(b, members, params);
  return {
    a: atA,
    b: atB,
    difference: {
      hoursPerMemberPerMonth: atB.hoursPerMemberPerMonth - atA.hoursPerMemberPerMonth,
      totalHoursPerMonth: atB.totalHoursPerMonth - atA.totalHoursPerMonth,
      monthlyCancellationRate: atB.monthlyCancellationRate - atA.monthlyCancellationRate,
      cancellationsPerMonth: atB.cancellationsPerMonth - atA.cancellationsPerMonth,
    },
  };
}
