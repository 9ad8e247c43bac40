/**
 * One run of lesson 1's ad sandbox: learn a click model from a log of impressions, then run an
 * auction day on fresh impressions with it, with the true probabilities (an oracle no real
 * system has) and with random picks, and judge all three by ML metrics and by money.
 *
 * 1. Log: `impressions` slots (seed `ads/<seed>/log`); each showed one random candidate. The
 *    first 80% train the model, the last 20% are the validation split for Platt scaling.
 * 2. Training rows keep every click and a share w (`negativeSamplingRate`) of the non-clicks,
 *    drawn with the seed. The model is a logistic regression on the chosen feature groups
 *    (150 full-batch Adam steps, learning rate 0.1, L2 1e-4; see `ml/logistic-regression`).
 * 3. Its scores q are optionally corrected for the downsampling, p = q / (q + (1 − q)/w), then
 *    optionally Platt-scaled on the validation split.
 * 4. Day: another `impressions` slots (seed `ads/<seed>/day`). Each policy picks per slot (see
 *    `business/ad-revenue`); ML metrics are read on the candidate the day's log showed in each
 *    slot, so they are measured on the same impressions as the money.
 *
 * Random picks use, as their probability for every ad, the click rate of the training log
 * before downsampling: that is all a model without features could know.
 */
import {
  adFeatureMatrix,
  adFeatureNames,
  generateAdDay,
  isClicked,
  type AdDay,
  type AdFeatureGroup,
} from '../data/ads';
import {
  predictProbabilities,
  trainLogisticRegression,
  type LogisticModel,
} from '../ml/logistic-regression';
import {
  applyPlattScaling,
  correctAllForDownsampling,
  fitPlattScaling,
  type PlattScaling,
} from '../ml/recalibration';
import { createRng } from '../random';
import {
  chooseAtRandom,
  chooseByExpectedRevenue,
  clickModelReport,
  settleAuction,
  type AuctionOutcome,
  type ClickModelReport,
} from './ad-revenue';

/** Everything a learner can set in the ad sandbox. */
export interface AdExperimentSettings {
  /** Seed of the log, the day, the downsampling and the random policy. */
  seed: number;
  /** Slots in the training log, and again in the auction day (2,000–50,000). */
  impressions: number;
  /** The feature groups the model sees (any subset; none gives a constant). */
  featureGroups: readonly AdFeatureGroup[];
  /** w: share of non-click rows kept for training, in (0, 1]; 1 keeps all. */
  negativeSamplingRate: number;
  /** Whether scores are corrected for the downsampling, p = q / (q + (1 − q)/w). */
  correctDownsampling: boolean;
  /** 'platt' refits the probabilities on the validation split; 'none' leaves them. */
  recalibration: 'none' | 'platt';
  /** The value of a slot left to organic content, USD per 1,000 impressions. */
  reserveUsdPerThousand: number;
  /** Slots in the auction day (default {@link AD_DAY_IMPRESSIONS}). */
  dayImpressions?: number;
}

/** One policy's results: money on the day and the ML view of its probabilities. */
export interface PolicyResult {
  /** The auction day, settled. */
  auction: AuctionOutcome;
  /** Accuracy, ROC AUC, log loss and calibration on the day's logged candidates. */
  ml: ClickModelReport;
}

/** A whole run. */
export interface AdExperimentResult {
  /** The settings the run used. */
  settings: AdExperimentSettings;
  /** The trained model, with its feature names. */
  model: LogisticModel & { featureNames: string[] };
  /** The Platt map, when recalibration is on. */
  platt: PlattScaling | null;
  /** Rows the model trained on after downsampling, clicks among them, and the log's click rate. */
  training: { rows: number; clicks: number; logClickRate: number };
  /** The trained model's choices. */
  learned: PolicyResult;
  /** The true probabilities' choices: the best any model could do. */
  oracle: PolicyResult;
  /** Random choices, every slot filled. */
  random: PolicyResult;
}

/** The share of the log used for training; the rest is the validation split. */
export const AD_TRAIN_SHARE = 0.8;
/** The L2 penalty of the click model (standardised weights). */
export const AD_MODEL_L2 = 1e-4;
/** Slots in the auction day. */
export const AD_DAY_IMPRESSIONS = 40_000;

function checkSettings(settings: AdExperimentSettings): void {
  const { impressions, negativeSamplingRate: w, reserveUsdPerThousand } = settings;
  if (!Number.isInteger(impressions) || impressions < 100 || impressions > 200_000) {
    throw new RangeError(
      `impressions must be a whole number from 100 to 200,000, got ${impressions}`,
    );
  }
  if (!(w > 0 && w <= 1)) throw new RangeError(`negativeSamplingRate must be in (0, 1], got ${w}`);
  if (!(reserveUsdPerThousand >= 0 && Number.isFinite(reserveUsdPerThousand))) {
    throw new RangeError(`reserveUsdPerThousand must be ≥ 0, got ${reserveUsdPerThousand}`);
  }
}

/** Impression and candidate indices of the logged rows of [from, to). */
function loggedRows(day: AdDay, from: number, to: number) {
  const impressions = new Uint32Array(to - from);
  const candidates = new Uint8Array(to - from);
  const clicked = new Uint8Array(to - from);
  for (let i = from; i < to; i++) {
    impressions[i - from] = i;
    candidates[i - from] = day.loggedCandidate[i]!;
    clicked[i - from] = isClicked(day, i, day.loggedCandidate[i]!) ? 1 : 0;
  }
  return { impressions, candidates, clicked };
}

/** Runs the whole experiment (see the module header); deterministic in the settings. */
export function runAdExperiment(settings: AdExperimentSettings): AdExperimentResult {
  checkSettings(settings);
  const { seed, impressions, featureGroups, negativeSamplingRate: w } = settings;
  const rng = createRng(`ads/${seed}`);
  const log = generateAdDay({ impressions, candidatesPerImpression: 1, seed: `ads/${seed}/log` });
  const dayImpressions = settings.dayImpressions ?? AD_DAY_IMPRESSIONS;
  const day = generateAdDay({ impressions: dayImpressions, seed: `ads/${seed}/day` });

  // 1–2. Train on the log, keeping a share w of the non-clicks.
  const trainEnd = Math.round(impressions * AD_TRAIN_SHARE);
  const all = loggedRows(log, 0, trainEnd);
  let logClicks = 0;
  for (const c of all.clicked) logClicks += c;
  const keep = rng.fork('downsample');
  const keptImpressions: number[] = [];
  const keptCandidates: number[] = [];
  const keptClicked: number[] = [];
  for (let r = 0; r < all.clicked.length; r++) {
    // One draw per row whatever its label, so the kept rows change smoothly with w.
    const draw = keep.next();
    if (all.clicked[r] === 1 || draw < w) {
      keptImpressions.push(all.impressions[r]!);
      keptCandidates.push(all.candidates[r]!);
      keptClicked.push(all.clicked[r]!);
    }
  }
  const train = adFeatureMatrix(log, keptImpressions, keptCandidates, featureGroups);
  const model = trainLogisticRegression(train.x, train.featureCount, keptClicked, {
    l2: AD_MODEL_L2,
  });

  // 3. Scores → probabilities.
  const score = (source: AdDay, rows: ArrayLike<number>, candidates: ArrayLike<number>) => {
    const { x } = adFeatureMatrix(source, rows, candidates, featureGroups);
    const q = predictProbabilities(model, x, rows.length);
    return settings.correctDownsampling ? correctAllForDownsampling(q, w) : q;
  };
  let platt: PlattScaling | null = null;
  if (settings.recalibration === 'platt') {
    const validation = loggedRows(log, trainEnd, impressions);
    platt = fitPlattScaling(
      score(log, validation.impressions, validation.candidates),
      validation.clicked,
    );
  }
  const probability = (rows: ArrayLike<number>, candidates: ArrayLike<number>) => {
    const p = score(day, rows, candidates);
    return platt ? applyPlattScaling(p, platt) : p;
  };

  // 4. The day: every candidate scored, and the logged candidate per slot for the ML metrics.
  const k = day.candidatesPerImpression;
  const everyImpression = new Uint32Array(dayImpressions * k);
  const everyCandidate = new Uint8Array(dayImpressions * k);
  for (let i = 0; i < dayImpressions; i++) {
    for (let a = 0; a < k; a++) {
      everyImpression[i * k + a] = i;
      everyCandidate[i * k + a] = a;
    }
  }
  const predicted = probability(everyImpression, everyCandidate);
  const dayLog = loggedRows(day, 0, dayImpressions);
  const atLogged = (values: ArrayLike<number>) => {
    const out = new Float64Array(dayImpressions);
    for (let i = 0; i < dayImpressions; i++) out[i] = values[i * k + day.loggedCandidate[i]!]!;
    return out;
  };
  const reserve = settings.reserveUsdPerThousand;
  const logClickRate = logClicks / Math.max(1, trainEnd);
  const constant = new Float64Array(dayImpressions * k).fill(logClickRate);

  return {
    settings: { ...settings, featureGroups: [...featureGroups] },
    model: { ...model, featureNames: adFeatureNames(featureGroups) },
    platt,
    training: { rows: keptClicked.length, clicks: logClicks, logClickRate },
    learned: {
      auction: settleAuction(
        day,
        chooseByExpectedRevenue(day, predicted, reserve),
        predicted,
        reserve,
      ),
      ml: clickModelReport(dayLog.clicked, atLogged(predicted)),
    },
    oracle: {
      auction: settleAuction(
        day,
        chooseByExpectedRevenue(day, day.clickProbability, reserve),
        day.clickProbability,
        reserve,
      ),
      ml: clickModelReport(dayLog.clicked, atLogged(day.clickProbability)),
    },
    random: {
      auction: settleAuction(day, chooseAtRandom(day, `ads/${seed}/random`), constant, reserve),
      ml: clickModelReport(dayLog.clicked, atLogged(constant)),
    },
  };
}
