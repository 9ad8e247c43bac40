/**
 * The money model of pay-per-click ads (lesson 1's sandbox).
 *
 * - Advertisers pay only when their ad is clicked, at their price per click (their bid).
 * - For each slot the platform ranks the candidate ads by expected revenue, predicted click
 *   probability × price per click, and picks the highest.
 * - It shows that ad only if the expected revenue beats a reserve: what the slot is worth when
 *   it is left to organic content (the site's own content, which keeps readers coming back).
 *   The reserve is quoted per 1,000 impressions, like the revenue: an ad is shown iff
 *   1000 · p̂ · price > reserveUsdPerThousand.
 * - Revenue counts each click at its price. The business metric is revenue per 1,000
 *   impressions (RPM) over every slot of the day. A slot left to organic content is counted at
 *   the reserve, the value the platform itself put on it; without that, a reserve could only
 *   lower revenue and a model that overstates every click would look best by filling every slot.
 *   Ad revenue alone (ad RPM) is reported too.
 * - The forecast is the ad revenue the model expects from the ads it chose, Σ p̂ · price; the
 *   realised revenue counts the clicks that happened, Σ clicked · price.
 *
 * What the ML metrics tell you about this money:
 * - Ranking quality decides which ad wins a slot (ROC AUC measures ranking).
 * - Calibration decides the rest: p̂ multiplies different prices, so an ad whose probability is
 *   overstated relative to another's wins slots it should lose; the reserve decision compares
 *   p̂ · price with a fixed amount; and the forecast is a sum of p̂ · price. Log loss and the
 *   calibration summary measure it.
 * - Accuracy at a 0.5 threshold says almost nothing: click rates are a few percent, so a model
 *   that always predicts "no click" is right ~98% of the time, as is every sensible click model.
 */
import type { AdDay } from '../data/ads';
import { calibrationSummary, type CalibrationSummary } from '../ml/calibration';
import { accuracy, confusionAt, logLoss, rocAuc } from '../ml/metrics';
import { createRng } from '../random';

/** What one ranking policy earned over a day of impressions. */
export interface AuctionOutcome {
  /** Slots in the day. */
  impressions: number;
  /** Slots that showed an ad. */
  adsShown: number;
  /** adsShown / impressions. */
  fillRate: number;
  /** Clicks on the ads shown (from the day's click draws). */
  clicks: number;
  /** clicks / adsShown; 0 when no ad was shown. */
  servedClickRate: number;
  /** Realised ad revenue, Σ over shown ads of clicked · price, USD. */
  adRevenueUsd: number;
  /** Expected ad revenue from the true probabilities, Σ p · price, USD. */
  expectedAdRevenueUsd: number;
  /** Ad revenue the policy forecast from its own probabilities, Σ p̂ · price, USD. */
  forecastAdRevenueUsd: number;
  /** Slots left to organic content, valued at the reserve: unfilled · reserve / 1000, USD. */
  organicValueUsd: number;
  /** RPM: (adRevenueUsd + organicValueUsd) · 1000 / impressions, USD per 1,000 slots. */
  rpmUsd: number;
  /** The same with expected instead of realised ad revenue. */
  expectedRpmUsd: number;
  /** Ad revenue only: adRevenueUsd · 1000 / impressions. */
  adRpmUsd: number;
  /** 100 · (forecast − realised) / realised ad revenue; NaN when nothing was earned. */
  forecastErrorPercent: number;
}

/** Which candidate each slot shows: its index, or −1 for organic content. */
export type SlotChoices = Int16Array;

function checkPerCandidate(day: AdDay, values: ArrayLike<number>, what: string): void {
  const expected = day.impressions * day.candidatesPerImpression;
  if (values.length !== expected) {
    throw new RangeError(
      `${what} has ${values.length} values, expected one per candidate (${expected})`,
    );
  }
}

function checkReserve(reserveUsdPerThousand: number): void {
  if (!(reserveUsdPerThousand >= 0) || !Number.isFinite(reserveUsdPerThousand)) {
    throw new RangeError(`the reserve must be a finite amount ≥ 0, got ${reserveUsdPerThousand}`);
  }
}

/**
 * The platform's rule: in each slot pick argmax_k p̂_k · price_k (the first on ties) and show it
 * iff 1000 · p̂ · price > reserveUsdPerThousand; otherwise the slot stays organic (−1).
 */
export function chooseByExpectedRevenue(
  day: AdDay,
  predictedClickProbability: ArrayLike<number>,
  reserveUsdPerThousand: number,
): SlotChoices {
  checkPerCandidate(day, predictedClickProbability, 'predictedClickProbability');
  checkReserve(reserveUsdPerThousand);
  const k = day.candidatesPerImpression;
  const choices = new Int16Array(day.impressions);
  for (let i = 0; i < day.impressions; i++) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < k; a++) {
      const value = predictedClickProbability[i * k + a]! * day.bidUsdPerClick[i * k + a]!;
      if (value > bestValue) {
        bestValue = value;
        best = a;
      }
    }
    choices[i] = 1000 * bestValue > reserveUsdPerThousand ? best : -1;
  }
  return choices;
}

/** A policy with no model: shows one candidate picked uniformly at random in every slot. */
export function chooseAtRandom(day: AdDay, seed: number | string): SlotChoices {
  const rng = createRng(seed);
  const choices = new Int16Array(day.impressions);
  for (let i = 0; i < day.impressions; i++) choices[i] = rng.int(0, day.candidatesPerImpression);
  return choices;
}

/**
 * Settles a day: for the chosen ads, realised revenue from the day's clicks, expected revenue
 * from the true probabilities and the forecast from `forecastClickProbability`; organic slots
 * count at the reserve (see {@link AuctionOutcome} for each formula).
 */
export function settleAuction(
  day: AdDay,
  choices: SlotChoices,
  forecastClickProbability: ArrayLike<number>,
  reserveUsdPerThousand: number,
): AuctionOutcome {
  checkPerCandidate(day, forecastClickProbability, 'forecastClickProbability');
  checkReserve(reserveUsdPerThousand);
  if (choices.length !== day.impressions)
    throw new RangeError('one choice per impression expected');
  const k = day.candidatesPerImpression;
  let adsShown = 0;
  let clicks = 0;
  let adRevenueUsd = 0;
  let expectedAdRevenueUsd = 0;
  let forecastAdRevenueUsd = 0;
  for (let i = 0; i < day.impressions; i++) {
    const a = choices[i]!;
    if (a < 0) continue;
    if (a >= k) throw new RangeError(`choice ${a} in slot ${i} is not a candidate`);
    const index = i * k + a;
    const price = day.bidUsdPerClick[index]!;
    const p = day.clickProbability[index]!;
    adsShown++;
    expectedAdRevenueUsd += p * price;
    forecastAdRevenueUsd += forecastClickProbability[index]! * price;
    if (day.clickDraw[index]! < p) {
      clicks++;
      adRevenueUsd += price;
    }
  }
  const n = day.impressions;
  const organicValueUsd = ((n - adsShown) * reserveUsdPerThousand) / 1000;
  return {
    impressions: n,
    adsShown,
    fillRate: adsShown / n,
    clicks,
    servedClickRate: adsShown > 0 ? clicks / adsShown : 0,
    adRevenueUsd,
    expectedAdRevenueUsd,
    forecastAdRevenueUsd,
    organicValueUsd,
    rpmUsd: ((adRevenueUsd + organicValueUsd) * 1000) / n,
    expectedRpmUsd: ((expectedAdRevenueUsd + organicValueUsd) * 1000) / n,
    adRpmUsd: (adRevenueUsd * 1000) / n,
    forecastErrorPercent:
      adRevenueUsd > 0 ? (100 * (forecastAdRevenueUsd - adRevenueUsd)) / adRevenueUsd : Number.NaN,
  };
}

/** The ML view of a click model on logged impressions. */
export interface ClickModelReport {
  /** Share of rows where (p̂ ≥ 0.5) equals the click label. */
  accuracy: number;
  /** ROC AUC (Mann–Whitney), from `ml/metrics`; NaN without both classes. */
  rocAuc: number;
  /** Mean log loss in nats, from `ml/metrics`. */
  logLoss: number;
  /** Mean predicted vs observed click rate, and the ECE over 10 equal-count bins. */
  calibration: CalibrationSummary;
}

/** Accuracy at 0.5, ROC AUC, log loss and calibration of predictions against click labels. */
export function clickModelReport(
  clicked: ArrayLike<number>,
  predictedClickProbability: ArrayLike<number>,
): ClickModelReport {
  return {
    accuracy: accuracy(confusionAt(clicked, predictedClickProbability, 0.5)),
    rocAuc: rocAuc(clicked, predictedClickProbability),
    logLoss: logLoss(clicked, predictedClickProbability),
    calibration: calibrationSummary(clicked, predictedClickProbability, 10),
  };
}
