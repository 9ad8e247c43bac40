/**
 * Batch against online prediction for a shop's recommender (lesson 3), judged by the business:
 * relevance, purchases, revenue, compute cost and latency over one simulated day.
 *
 * Three ways to fill a carousel of k slots (one item per category: the category's best seller)
 * at every page view of a session (see `data/shopping-sessions.ts` for the shoppers):
 *
 * - **batch**: a nightly job ranks categories for every registered shopper from their history
 *   (yesterday's view of them) and stores the top k; a page looks the list up. New shoppers,
 *   unknown to last night's job, get the popularity ranking (cold start).
 * - **online**: a model ranks categories on each request from the session so far: the
 *   categories clicked in this session, most recent first, then the long-term ranking. A model
 *   reads the session right with probability {@link OnlineModelSpec.sessionReadProbability};
 *   otherwise it falls back to the long-term ranking (the batch list). Page 1 has no clicks
 *   yet, so it gets the batch list.
 * - **hybrid**: the nightly job keeps {@link HYBRID_CANDIDATES_PER_SLOT}·k candidates per
 *   shopper, and a smaller online step re-ranks only those by the session.
 *
 * Relevance at a page is 1 when the carousel holds the category the shopper wants right then
 * (hit rate at k), else 0. Purchases follow {@link PURCHASE_MODEL}; latency lowers them by
 * {@link PURCHASE_MODEL}.salesDropPer100Ms per 100 ms. The day's totals scale a sample of
 * simulated sessions to the day's traffic; costs and traffic are exact arithmetic.
 *
 * All model numbers (latencies, prices per 1,000 predictions, purchase rates) are course
 * assumptions of plausible size, not benchmarks; each is documented where it is defined.
 */
import {
  DEFAULT_SESSION_STEPS,
  sampleSessions,
  sampleShoppers,
  type ShopCatalog,
  type ShoppingSession,
} from '../data/shopping-sessions';
import { createRng } from '../random';

/** The three ways to serve recommendations. */
export const SERVING_MODES = ['batch', 'online', 'hybrid'] as const;
/** One way to serve recommendations. */
export type ServingMode = (typeof SERVING_MODES)[number];

/** Sizes of the online model. */
export const ONLINE_MODEL_SIZES = ['small', 'medium', 'large'] as const;
/** A size of the online model. */
export type OnlineModelSize = (typeof ONLINE_MODEL_SIZES)[number];

/** What an online model costs and how well it reads a session. */
export interface OnlineModelSpec {
  /** Chance that the model reads the session right on a request (else: long-term ranking). */
  sessionReadProbability: number;
  /** Median latency of one prediction, ms (the log-normal's median). */
  latencyP50Ms: number;
  /** 95th percentile of latency, ms. */
  latencyP95Ms: number;
  /** Compute cost, USD per 1,000 predictions (serving fleet, feature reads, kept warm). */
  costUsdPer1000Predictions: number;
}

/**
 * The online models (course assumptions): a bigger model reads the session more reliably but
 * is slower and costs more per prediction. Latency of each request is log-normal with these
 * p50 and p95.
 */
export const ONLINE_MODELS: Readonly<Record<OnlineModelSize, OnlineModelSpec>> = Object.freeze({
  small: {
    sessionReadProbability: 0.55,
    latencyP50Ms: 20,
    latencyP95Ms: 55,
    costUsdPer1000Predictions: 0.1,
  },
  medium: {
    sessionReadProbability: 0.85,
    latencyP50Ms: 60,
    latencyP95Ms: 150,
    costUsdPer1000Predictions: 0.5,
  },
  large: {
    sessionReadProbability: 0.97,
    latencyP50Ms: 180,
    latencyP95Ms: 450,
    costUsdPer1000Predictions: 2,
  },
});

/** Looking a stored list up (batch, and the first half of hybrid): log-normal, these p50/p95. */
export const LOOKUP_LATENCY = Object.freeze({ latencyP50Ms: 3, latencyP95Ms: 8 });

/**
 * Nightly batch compute, USD per 1,000 shoppers scored (every registered shopper, whether or
 * not they visit the next day). Scoring in large offline batches is cheaper per prediction
 * than serving one request at a time.
 */
export const BATCH_COST_USD_PER_1000_USERS = 0.2;

/** Hybrid: candidates kept per carousel slot by the nightly job. */
export const HYBRID_CANDIDATES_PER_SLOT = 2;
/**
 * Hybrid: the re-ranking step costs this share of a full online prediction, in latency and in
 * compute (it scores a short candidate list instead of the whole catalog).
 */
export const HYBRID_RERANK_SHARE = 0.3;

/**
 * How pages turn into purchases (course assumptions):
 * P(purchase at a page) = f(latency) · (baseProbability + relevant · recommendationUplift),
 * f(latency) = max(0, 1 − salesDropPer100Ms · latencyMs / 100).
 * A purchase without a relevant carousel is worth the mean price of the category the shopper
 * wants; the extra purchases a relevant carousel brings are of the item it showed.
 * With these numbers, 8 pages give 2.4% of sessions a purchase without help and about 4.8%
 * with a relevant carousel on every page; and 100 ms of waiting costs 1% of sales (a rule of
 * thumb often quoted for shops).
 */
export const PURCHASE_MODEL = Object.freeze({
  baseProbability: 0.003,
  recommendationUplift: 0.003,
  salesDropPer100Ms: 0.01,
});

/** Sessions simulated per day; the day's totals scale them to the traffic. */
export const SIMULATED_SESSIONS = 4000;

/** The inputs of one simulated day. */
export interface BatchOnlineInputs {
  /** Registered shoppers: the nightly job scores every one of them. */
  users: number;
  /** Share of registered shoppers who visit on the day (0–1). */
  activeUserShare: number;
  /** Sessions per visiting shopper per day. */
  sessionsPerActiveUser: number;
  /** Probability, per page after the first, that a shopper's intent moves to another category. */
  intentShiftProbability: number;
  /** Share of the day's sessions from shoppers who registered after last night's job (0–1). */
  newUserShare: number;
  /** Size of the online model (also used, cut down, by hybrid's re-ranking step). */
  onlineModel: OnlineModelSize;
  /** Carousel slots (recommendations per page), 1–16. */
  k: number;
  /** Seed of the catalog, shoppers, sessions and latencies. */
  seed: number;
  /** Sessions to simulate (default {@link SIMULATED_SESSIONS}). */
  simulatedSessions?: number;
  /** Pages per session (default 8). */
  stepsPerSession?: number;
}

/** One serving mode's day. */
export interface ModeResult {
  mode: ServingMode;
  /** Share of page views whose carousel holds the wanted category (hit rate at k), 0–1. */
  relevance: number;
  /** relevance at page 1, 2, … of a session. */
  relevanceByStep: number[];
  /** relevance over new shoppers' page views only (0 when there are none). */
  newUserRelevance: number;
  /** Expected purchases per session. */
  purchasesPerSession: number;
  /** Expected sales, USD per day. */
  revenueUsdPerDay: number;
  /** Compute, USD per day (nightly job and/or per-request predictions). */
  computeCostUsdPerDay: number;
  /** revenueUsdPerDay − computeCostUsdPerDay. */
  netRevenueUsdPerDay: number;
  /** Median latency of a page's recommendations, ms. */
  latencyP50Ms: number;
  /** 95th percentile latency, ms. */
  latencyP95Ms: number;
  /** Predictions computed per day (nightly scores plus per-request ones). */
  predictionsPerDay: number;
  /**
   * New shoppers' page views served with nothing personal (the popularity list): all of them
   * in batch; in online and hybrid, page 1 and the requests where the model misread the session.
   */
  staleNewUserRequestsPerDay: number;
}

/** The day's traffic, from the inputs by arithmetic. */
export interface DayTraffic {
  /** users · activeUserShare. */
  activeUsersPerDay: number;
  /** activeUsersPerDay · sessionsPerActiveUser. */
  sessionsPerDay: number;
  /** sessionsPerDay · pages per session. */
  requestsPerDay: number;
  /** requestsPerDay · newUserShare. */
  newUserRequestsPerDay: number;
}

/** A simulated day under the three modes. */
export interface BatchOnlineDay {
  inputs: Required<BatchOnlineInputs>;
  traffic: DayTraffic;
  batch: ModeResult;
  online: ModeResult;
  hybrid: ModeResult;
  /** online.netRevenueUsdPerDay − batch.netRevenueUsdPerDay. */
  onlineNetGainUsdPerDay: number;
  /** hybrid.netRevenueUsdPerDay − batch.netRevenueUsdPerDay. */
  hybridNetGainUsdPerDay: number;
  /** Sessions actually simulated. */
  simulatedSessions: number;
}

/**
 * The first k categories of `front` then `ranked`, without repeats. Online and hybrid lists are
 * built this way: the session's categories first, then the rest.
 */
export function topK(front: readonly number[], ranked: readonly number[], k: number): number[] {
  const list: number[] = [];
  for (const source of [front, ranked]) {
    for (const id of source) {
      if (list.length >= k) return list;
      if (!list.includes(id)) list.push(id);
    }
  }
  return list;
}

/** The categories clicked so far in a session, most recent first, without repeats. */
export function sessionCategoriesByRecency(clicks: readonly number[]): number[] {
  const recent: number[] = [];
  for (let i = clicks.length - 1; i >= 0; i--) {
    const id = clicks[i] as number;
    if (!recent.includes(id)) recent.push(id);
  }
  return recent;
}

/** Batch's list: the top k of the nightly (long-term or popularity) ranking. */
export function batchList(longTermOrder: readonly number[], k: number): number[] {
  return longTermOrder.slice(0, k);
}

/**
 * Online's list when the model reads the session: the session's categories, most recent first
 * (`recentCategories`, see {@link sessionCategoriesByRecency}), then the long-term ranking; the
 * first k. With no clicks yet it equals {@link batchList}.
 */
export function onlineList(
  longTermOrder: readonly number[],
  recentCategories: readonly number[],
  k: number,
): number[] {
  return topK(recentCategories, longTermOrder, k);
}

/**
 * Hybrid's list when the re-ranker reads the session: the nightly candidates (the first
 * {@link HYBRID_CANDIDATES_PER_SLOT}·k of the long-term ranking) reordered with the session's
 * categories that are among them first (most recent first); the first k. A category the
 * shopper turned to that is not a candidate cannot be shown.
 */
export function hybridList(
  longTermOrder: readonly number[],
  recentCategories: readonly number[],
  k: number,
): number[] {
  const candidates = longTermOrder.slice(0, HYBRID_CANDIDATES_PER_SLOT * k);
  const front = recentCategories.filter((id) => candidates.includes(id));
  return topK(front, candidates, k);
}

/** The standard normal's 95th percentile. */
const Z_95 = 1.6448536269514722;

/**
 * A log-normal latency with the given median and 95th percentile at standard-normal deviate z:
 * p50 · exp(σ z) with σ = ln(p95 / p50) / 1.6449 (1.6449 = the normal's 95th percentile).
 */
export function latencyAtMs(latencyP50Ms: number, latencyP95Ms: number, z: number): number {
  return latencyP50Ms * Math.exp(logNormalSigma(latencyP50Ms, latencyP95Ms) * z);
}

/** σ of the log-normal with this median and 95th percentile: ln(p95 / p50) / 1.6449. */
export function logNormalSigma(latencyP50Ms: number, latencyP95Ms: number): number {
  return Math.log(latencyP95Ms / latencyP50Ms) / Z_95;
}

/** f(latency) = max(0, 1 − salesDropPer100Ms · latencyMs / 100): the share of sales kept. */
export function salesKeptAtLatency(latencyMs: number): number {
  return Math.max(0, 1 - (PURCHASE_MODEL.salesDropPer100Ms * latencyMs) / 100);
}

/**
 * The nearest-rank percentile (0 < q ≤ 1) of a list of numbers: the value at rank ⌈q·n⌉ of the
 * sorted list; 0 for an empty list. Found by quickselect on a copy (O(n) on average).
 */
export function nearestRankPercentile(values: Float64Array | readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const a = Float64Array.from(values);
  const target = Math.min(a.length, Math.max(1, Math.ceil(q * a.length))) - 1;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const tmp = a[i] as number;
        a[i] = a[j] as number;
        a[j] = tmp;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target] as number;
}

/** The day's traffic: active users, sessions, requests and new shoppers' requests. */
export function dayTraffic(inputs: Required<BatchOnlineInputs>): DayTraffic {
  const activeUsersPerDay = inputs.users * inputs.activeUserShare;
  const sessionsPerDay = activeUsersPerDay * inputs.sessionsPerActiveUser;
  const requestsPerDay = sessionsPerDay * inputs.stepsPerSession;
  return {
    activeUsersPerDay,
    sessionsPerDay,
    requestsPerDay,
    newUserRequestsPerDay: requestsPerDay * inputs.newUserShare,
  };
}

/**
 * Compute per day and predictions per day of a mode:
 * batch = users · {@link BATCH_COST_USD_PER_1000_USERS} / 1000 (everyone, visitors or not);
 * online = requests · model cost / 1000 (only pages actually viewed);
 * hybrid = the nightly batch cost + requests · model cost · {@link HYBRID_RERANK_SHARE} / 1000.
 */
export function computeCostOf(
  mode: ServingMode,
  users: number,
  requestsPerDay: number,
  model: OnlineModelSize,
): { computeCostUsdPerDay: number; predictionsPerDay: number } {
  const batchUsd = (users * BATCH_COST_USD_PER_1000_USERS) / 1000;
  const perRequestUsd = ONLINE_MODELS[model].costUsdPer1000Predictions / 1000;
  if (mode === 'batch') return { computeCostUsdPerDay: batchUsd, predictionsPerDay: users };
  if (mode === 'online') {
    return {
      computeCostUsdPerDay: requestsPerDay * perRequestUsd,
      predictionsPerDay: requestsPerDay,
    };
  }
  return {
    computeCostUsdPerDay: batchUsd + requestsPerDay * perRequestUsd * HYBRID_RERANK_SHARE,
    predictionsPerDay: users + requestsPerDay,
  };
}

/** Completes and checks the inputs; throws a RangeError naming the first bad one. */
export function completeInputs(inputs: BatchOnlineInputs): Required<BatchOnlineInputs> {
  const full: Required<BatchOnlineInputs> = {
    simulatedSessions: SIMULATED_SESSIONS,
    stepsPerSession: DEFAULT_SESSION_STEPS,
    ...inputs,
  };
  const rules: [keyof BatchOnlineInputs, boolean, string][] = [
    ['users', Number.isFinite(full.users) && full.users >= 0, 'a number ≥ 0'],
    ['activeUserShare', full.activeUserShare >= 0 && full.activeUserShare <= 1, '0–1'],
    [
      'sessionsPerActiveUser',
      Number.isFinite(full.sessionsPerActiveUser) && full.sessionsPerActiveUser >= 0,
      'a number ≥ 0',
    ],
    [
      'intentShiftProbability',
      full.intentShiftProbability >= 0 && full.intentShiftProbability <= 1,
      '0–1',
    ],
    ['newUserShare', full.newUserShare >= 0 && full.newUserShare <= 1, '0–1'],
    ['onlineModel', ONLINE_MODEL_SIZES.includes(full.onlineModel), ONLINE_MODEL_SIZES.join(', ')],
    ['k', Number.isInteger(full.k) && full.k >= 1 && full.k <= 16, 'a whole number 1–16'],
    ['seed', Number.isInteger(full.seed), 'a whole number'],
    [
      'simulatedSessions',
      Number.isInteger(full.simulatedSessions) && full.simulatedSessions >= 1,
      'a whole number ≥ 1',
    ],
    [
      'stepsPerSession',
      Number.isInteger(full.stepsPerSession) && full.stepsPerSession >= 1,
      'a whole number ≥ 1',
    ],
  ];
  for (const [name, ok, expected] of rules) {
    if (!ok) throw new RangeError(`${name} = ${String(full[name])}: expected ${expected}`);
  }
  return full;
}

/** Running sums of one mode over the simulated sessions. */
interface ModeTally {
  hitsByStep: Float64Array;
  newUserHits: number;
  staleNewUserRequests: number;
  purchases: number;
  revenueUsd: number;
  latenciesMs: Float64Array;
}

function emptyTally(steps: number, requests: number): ModeTally {
  return {
    hitsByStep: new Float64Array(steps),
    newUserHits: 0,
    staleNewUserRequests: 0,
    purchases: 0,
    revenueUsd: 0,
    latenciesMs: new Float64Array(requests),
  };
}

/** Adds one page's outcome to a tally: relevance, expected purchases and sales, latency. */
function record(
  tally: ModeTally,
  catalog: ShopCatalog,
  step: number,
  request: number,
  wanted: number,
  list: readonly number[],
  latencyMs: number,
  isNew: boolean,
  stale: boolean,
): void {
  const hit = list.includes(wanted);
  const category = catalog.categories[wanted];
  if (!category) throw new RangeError(`category ${wanted} is not in the catalog`);
  const kept = salesKeptAtLatency(latencyMs);
  const { baseProbability, recommendationUplift } = PURCHASE_MODEL;
  const shownPriceUsd = catalog.items[category.bestSellerId]?.priceUsd ?? category.meanPriceUsd;
  tally.hitsByStep[step] = (tally.hitsByStep[step] as number) + (hit ? 1 : 0);
  tally.purchases += kept * (baseProbability + (hit ? recommendationUplift : 0));
  tally.revenueUsd +=
    kept *
    (baseProbability * category.meanPriceUsd + (hit ? recommendationUplift * shownPriceUsd : 0));
  tally.latenciesMs[request] = latencyMs;
  if (isNew) {
    tally.newUserHits += hit ? 1 : 0;
    tally.staleNewUserRequests += stale ? 1 : 0;
  }
}

/**
 * Simulates one day under batch, online and hybrid serving, on the same sessions and the same
 * random numbers (so differences come from the modes). Per simulated page it draws, from the
 * seed's 'serving' fork, one uniform (does the model read the session right?) and two normal
 * deviates (model latency, lookup latency), whatever the mode or settings.
 */
export function simulateBatchOnlineDay(inputs: BatchOnlineInputs): BatchOnlineDay {
  const full = completeInputs(inputs);
  const sample = sampleShoppers(full.seed, full.simulatedSessions, full.newUserShare);
  return serveDay(
    full,
    sample.catalog,
    sampleSessions(sample, full.intentShiftProbability, full.stepsPerSession),
  );
}

/**
 * The same day at several intent-shift probabilities: the same shoppers and random numbers,
 * only the shift probability differs (each result equals {@link simulateBatchOnlineDay} with
 * that probability). Drawing the shoppers once makes a sweep cheaper than separate days.
 */
export function simulateBatchOnlineSweep(
  inputs: BatchOnlineInputs,
  intentShiftProbabilities: readonly number[],
): BatchOnlineDay[] {
  const full = completeInputs(inputs);
  const sample = sampleShoppers(full.seed, full.simulatedSessions, full.newUserShare);
  return intentShiftProbabilities.map((p) => {
    const atP = completeInputs({ ...full, intentShiftProbability: p });
    return serveDay(atP, sample.catalog, sampleSessions(sample, p, full.stepsPerSession));
  });
}

/** Serves a day's sessions under the three modes and sums up (see simulateBatchOnlineDay). */
function serveDay(
  full: Required<BatchOnlineInputs>,
  catalog: ShopCatalog,
  sessions: readonly ShoppingSession[],
): BatchOnlineDay {
  const steps = full.stepsPerSession;
  const model = ONLINE_MODELS[full.onlineModel];
  const requests = sessions.length * steps;
  const tallies = {
    batch: emptyTally(steps, requests),
    online: emptyTally(steps, requests),
    hybrid: emptyTally(steps, requests),
  };
  const serving = createRng(full.seed).fork('serving');
  // σ of each log-normal latency, as in latencyAtMs.
  const lookupSigma = logNormalSigma(LOOKUP_LATENCY.latencyP50Ms, LOOKUP_LATENCY.latencyP95Ms);
  const modelSigma = logNormalSigma(model.latencyP50Ms, model.latencyP95Ms);
  let request = 0;
  let newUserRequests = 0;
  sessions.forEach((session: ShoppingSession) => {
    const { shopper, intents } = session;
    const nightly = batchList(shopper.longTermOrder, full.k);
    // The session's categories so far, most recent first (what the online model reads).
    const recent: number[] = [];
    for (let t = 0; t < steps; t++) {
      const readsSession = serving.next() < model.sessionReadProbability;
      const zModel = serving.normal();
      const zLookup = serving.normal();
      const wanted = intents[t] as number;
      const personal = t > 0 && readsSession;
      const lookupMs = LOOKUP_LATENCY.latencyP50Ms * Math.exp(lookupSigma * zLookup);
      const modelMs = model.latencyP50Ms * Math.exp(modelSigma * zModel);
      const isNew = shopper.isNew;
      if (isNew) newUserRequests++;
      record(tallies.batch, catalog, t, request, wanted, nightly, lookupMs, isNew, true);
      record(
        tallies.online,
        catalog,
        t,
        request,
        wanted,
        personal ? onlineList(shopper.longTermOrder, recent, full.k) : nightly,
        modelMs,
        isNew,
        !personal,
      );
      record(
        tallies.hybrid,
        catalog,
        t,
        request,
        wanted,
        personal ? hybridList(shopper.longTermOrder, recent, full.k) : nightly,
        lookupMs + HYBRID_RERANK_SHARE * modelMs,
        isNew,
        !personal,
      );
      request++;
      const seen = recent.indexOf(wanted);
      if (seen >= 0) recent.splice(seen, 1);
      recent.unshift(wanted);
    }
  });

  const traffic = dayTraffic(full);
  const sessionsSimulated = sessions.length;
  const summarise = (mode: ServingMode): ModeResult => {
    const tally = tallies[mode];
    const hits = tally.hitsByStep.reduce((sum, value) => sum + value, 0);
    const purchasesPerSession = tally.purchases / sessionsSimulated;
    const revenueUsdPerDay = (tally.revenueUsd / sessionsSimulated) * traffic.sessionsPerDay;
    const cost = computeCostOf(mode, full.users, traffic.requestsPerDay, full.onlineModel);
    return {
      mode,
      relevance: hits / requests,
      relevanceByStep: Array.from(tally.hitsByStep, (value) => value / sessionsSimulated),
      newUserRelevance: newUserRequests > 0 ? tally.newUserHits / newUserRequests : 0,
      purchasesPerSession,
      revenueUsdPerDay,
      computeCostUsdPerDay: cost.computeCostUsdPerDay,
      netRevenueUsdPerDay: revenueUsdPerDay - cost.computeCostUsdPerDay,
      latencyP50Ms: nearestRankPercentile(tally.latenciesMs, 0.5),
      latencyP95Ms: nearestRankPercentile(tally.latenciesMs, 0.95),
      predictionsPerDay: cost.predictionsPerDay,
      staleNewUserRequestsPerDay:
        newUserRequests > 0
          ? (tally.staleNewUserRequests / newUserRequests) * traffic.newUserRequestsPerDay
          : 0,
    };
  };
  const batch = summarise('batch');
  const online = summarise('online');
  const hybrid = summarise('hybrid');
  return {
    inputs: full,
    traffic,
    batch,
    online,
    hybrid,
    onlineNetGainUsdPerDay: online.netRevenueUsdPerDay - batch.netRevenueUsdPerDay,
    hybridNetGainUsdPerDay: hybrid.netRevenueUsdPerDay - batch.netRevenueUsdPerDay,
    simulatedSessions: sessionsSimulated,
  };
}
