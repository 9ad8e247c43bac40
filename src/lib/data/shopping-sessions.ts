/**
 * Synthetic shoppers of an online shop, for the batch-vs-online prediction sandbox (lesson 3).
 *
 * The shop sells items in {@link SHOP_CATEGORY_SPECS} categories. Each shopper has hidden
 * tastes (a weight per category) and, unless they are new, a history of past clicks drawn from
 * those tastes: that history is all a nightly batch job knows about them. A session is a run of
 * page views; at each page the shopper wants one category (their intent). The model of intent:
 *
 * - a returning shopper starts a session on their long-term favourite (the most-clicked
 *   category of their history), a new shopper on the category their hidden tastes weigh most;
 * - before each later page, the intent moves with probability `intentShiftProbability` (per
 *   page). A move goes to another category: with probability {@link TASTE_DRIVEN_SHIFT_SHARE}
 *   one drawn by the shopper's tastes (renormalised without the current one), otherwise any
 *   other category, uniformly;
 * - at every page the shopper clicks an item of the category they want then, so the clicks of
 *   a session so far reveal where the intent has been.
 *
 * Every draw comes from `src/lib/random.ts`, and each shopper and each session consumes a fixed
 * number of draws whatever the settings, so that two days that differ only in, say, the shift
 * probability are built from the same random numbers (common random numbers): differences
 * between them come from the setting, not from luck.
 */
import { createRng, type Rng } from '../random';

/** One category of the shop, with the median price of its items (course numbers). */
export interface ShopCategorySpec {
  /** Plain name, e.g. "books". */
  name: string;
  /** Median item price in the category, USD. */
  medianPriceUsd: number;
}

/** The shop's categories and their median prices: a course example, not market data. */
export const SHOP_CATEGORY_SPECS: readonly ShopCategorySpec[] = Object.freeze([
  { name: 'books', medianPriceUsd: 15 },
  { name: 'music', medianPriceUsd: 12 },
  { name: 'games', medianPriceUsd: 45 },
  { name: 'toys', medianPriceUsd: 28 },
  { name: 'kitchen', medianPriceUsd: 40 },
  { name: 'home', medianPriceUsd: 65 },
  { name: 'garden', medianPriceUsd: 50 },
  { name: 'tools', medianPriceUsd: 70 },
  { name: 'sports', medianPriceUsd: 55 },
  { name: 'outdoor', medianPriceUsd: 90 },
  { name: 'fashion', medianPriceUsd: 45 },
  { name: 'shoes', medianPriceUsd: 75 },
  { name: 'beauty', medianPriceUsd: 22 },
  { name: 'health', medianPriceUsd: 18 },
  { name: 'electronics', medianPriceUsd: 150 },
  { name: 'computers', medianPriceUsd: 300 },
]);

/** Number of categories in the shop. */
export const CATEGORY_COUNT = SHOP_CATEGORY_SPECS.length;
/** Items per category. */
export const ITEMS_PER_CATEGORY = 10;
/** Past clicks in a returning shopper's history (what the nightly job learns from). */
export const HISTORY_CLICKS = 30;
/** Page views per session (each one a request for recommendations). */
export const DEFAULT_SESSION_STEPS = 8;
/** Share of intent moves that follow the shopper's tastes; the rest go to any other category. */
export const TASTE_DRIVEN_SHIFT_SHARE = 0.5;
/**
 * Spread of item prices around the category median: price = median · exp(N(0, σ²)) with this
 * σ, rounded to cents (a log-normal, so prices stay positive and skew upward).
 */
export const PRICE_LOG_SD = 0.35;
/** Spread of category popularity: popularity ∝ exp(N(0, σ²)) with this σ. */
export const POPULARITY_LOG_SD = 0.5;
/**
 * How concentrated a shopper's tastes are: weight_c ∝ popularity_c · E_c^γ with E_c ~ Exp(1)
 * and this γ. γ = 1 would give fairly even tastes; 2 gives most shoppers one or two clear
 * favourites, as shop histories tend to show.
 */
export const TASTE_CONCENTRATION = 2;

/** An item for sale. */
export interface ShopItem {
  /** Index in {@link ShopCatalog.items}. */
  id: number;
  /** Index of its category. */
  categoryId: number;
  /** Price, USD (cents). */
  priceUsd: number;
  /** How attractive it looks on a carousel, 0–1; the category's best seller has the highest. */
  appeal: number;
}

/** A category with its items and the numbers derived from them. */
export interface ShopCategory {
  /** Index of the category. */
  id: number;
  /** Plain name. */
  name: string;
  /** Share of all shoppers' interest that falls on this category (sums to 1 over categories). */
  popularity: number;
  /** Ids of its items. */
  itemIds: number[];
  /** The item a recommender shows for this category: the one with the highest appeal. */
  bestSellerId: number;
  /** Mean price of its items, USD. */
  meanPriceUsd: number;
}

/** The shop: categories, items and the popularity ranking that cold-start users are shown. */
export interface ShopCatalog {
  categories: ShopCategory[];
  items: ShopItem[];
  /** Category ids by popularity, most popular first (ties by id). */
  popularityOrder: number[];
}

/** One shopper as the simulation sees them. */
export interface Shopper {
  /** true when the shopper registered after last night's batch job: no history known. */
  isNew: boolean;
  /** Hidden tastes: a weight per category, summing to 1. The shop never sees these. */
  tastes: number[];
  /** Past clicks per category (all 0 for a new shopper). */
  historyClicks: number[];
  /**
   * Category ids as the nightly job ranks them for this shopper: most-clicked first, ties by
   * popularity; for a new shopper, the popularity ranking.
   */
  longTermOrder: number[];
  /** Where a session of this shopper starts: longTermOrder[0], or, if new, the top of tastes. */
  favouriteCategory: number;
}

/** One session: the category the shopper wants at each page. */
export interface ShoppingSession {
  shopper: Shopper;
  /** intents[t] is the category wanted at page t (0-based); also the category clicked there. */
  intents: number[];
}

/** A sample of sessions of one simulated day. */
export interface ShoppingDay {
  catalog: ShopCatalog;
  sessions: ShoppingSession[];
  /** The settings the day was drawn with. */
  options: Required<ShoppingDayOptions>;
}

/** Settings of {@link sampleShoppingDay}. */
export interface ShoppingDayOptions {
  /** Seed of everything: catalog, shoppers, sessions. */
  seed: number;
  /** Sessions to draw. */
  sessions: number;
  /** Probability, per page after the first, that the shopper's intent moves (0–1). */
  intentShiftProbability: number;
  /** Share of sessions from shoppers the nightly job has not seen (0–1). */
  newUserShare: number;
  /** Pages per session (default {@link DEFAULT_SESSION_STEPS}). */
  steps?: number;
}

/** Ranks category ids by a score, highest first; ties go to the lower id. */
function rankBy(scores: readonly number[]): number[] {
  return scores
    .map((score, id) => ({ score, id }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .map((entry) => entry.id);
}

/** Seed of the shop's catalog: the same shop in every run; the run's seed draws the shoppers. */
export const CATALOG_SEED = 'shop-catalog-v1';

/**
 * The shop: {@link ITEMS_PER_CATEGORY} items per category, priced log-normally around the
 * category median ({@link PRICE_LOG_SD}), each with an appeal drawn uniformly in [0, 1);
 * category popularity ∝ exp(N(0, {@link POPULARITY_LOG_SD}²)), normalised. The same seed gives
 * the same shop; {@link sampleShoppingDay} always uses {@link CATALOG_SEED}.
 */
export function generateCatalog(seed: number | string = CATALOG_SEED): ShopCatalog {
  const rng = createRng(seed).fork('catalog');
  const rawPopularity = SHOP_CATEGORY_SPECS.map(() => Math.exp(rng.normal(0, POPULARITY_LOG_SD)));
  const total = rawPopularity.reduce((sum, value) => sum + value, 0);
  const items: ShopItem[] = [];
  const categories = SHOP_CATEGORY_SPECS.map((spec, categoryId): ShopCategory => {
    const itemIds: number[] = [];
    let bestSellerId = -1;
    let priceSum = 0;
    for (let i = 0; i < ITEMS_PER_CATEGORY; i++) {
      const priceUsd =
        Math.round(spec.medianPriceUsd * Math.exp(rng.normal(0, PRICE_LOG_SD)) * 100) / 100;
      const appeal = rng.next();
      const item: ShopItem = { id: items.length, categoryId, priceUsd, appeal };
      items.push(item);
      itemIds.push(item.id);
      priceSum += priceUsd;
      if (bestSellerId < 0 || appeal > (items[bestSellerId] as ShopItem).appeal) {
        bestSellerId = item.id;
      }
    }
    return {
      id: categoryId,
      name: spec.name,
      popularity: (rawPopularity[categoryId] as number) / total,
      itemIds,
      bestSellerId,
      meanPriceUsd: priceSum / ITEMS_PER_CATEGORY,
    };
  });
  return {
    categories,
    items,
    popularityOrder: rankBy(categories.map((c) => c.popularity)),
  };
}

/**
 * Orders categories for a shopper from their click history: most clicks first, ties by the
 * catalog's popularity order (so categories never clicked follow in popularity order).
 */
export function longTermOrderOf(historyClicks: readonly number[], catalog: ShopCatalog): number[] {
  const popularityRank = new Array<number>(CATEGORY_COUNT);
  catalog.popularityOrder.forEach((id, rank) => (popularityRank[id] = rank));
  return [...catalog.popularityOrder].sort(
    (a, b) =>
      (historyClicks[b] ?? 0) - (historyClicks[a] ?? 0) ||
      (popularityRank[a] as number) - (popularityRank[b] as number),
  );
}

/** Picks an index by weights with a given uniform u in [0, 1) (the inverse-CDF method). */
export function pickByWeight(weights: readonly number[], u: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let target = u * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (w <= 0) continue;
    last = i;
    target -= w;
    if (target < 0) return i;
  }
  return last;
}

/**
 * Draws one shopper: new with probability `newUserShare`; tastes weight_c ∝ popularity_c ·
 * E_c^{@link TASTE_CONCENTRATION} with E_c ~ Exp(1); {@link HISTORY_CLICKS} past clicks drawn by
 * the tastes (kept only for a returning shopper). Always consumes 1 + 16 + 30 draws.
 */
export function generateShopper(rng: Rng, catalog: ShopCatalog, newUserShare: number): Shopper {
  const isNew = rng.next() < newUserShare;
  const tastes = new Array<number>(CATEGORY_COUNT);
  let total = 0;
  for (let c = 0; c < CATEGORY_COUNT; c++) {
    const exponential = -Math.log(1 - rng.next());
    const weight =
      (catalog.categories[c] as ShopCategory).popularity * exponential ** TASTE_CONCENTRATION;
    tastes[c] = weight;
    total += weight;
  }
  // Cumulative tastes, for drawing the history by the inverse-CDF method.
  const cumulative = new Float64Array(CATEGORY_COUNT);
  let running = 0;
  for (let c = 0; c < CATEGORY_COUNT; c++) {
    tastes[c] = total > 0 ? (tastes[c] as number) / total : 1 / CATEGORY_COUNT;
    running += tastes[c] as number;
    cumulative[c] = running;
  }
  const historyClicks = new Array<number>(CATEGORY_COUNT).fill(0);
  for (let i = 0; i < HISTORY_CLICKS; i++) {
    const target = rng.next() * running;
    let category = 0;
    while (category < CATEGORY_COUNT - 1 && !((cumulative[category] as number) > target)) {
      category++;
    }
    if (!isNew) historyClicks[category] = (historyClicks[category] as number) + 1;
  }
  const longTermOrder = isNew
    ? [...catalog.popularityOrder]
    : longTermOrderOf(historyClicks, catalog);
  const favouriteCategory = isNew ? (rankBy(tastes)[0] as number) : (longTermOrder[0] as number);
  return { isNew, tastes, historyClicks, longTermOrder, favouriteCategory };
}

/**
 * The next page's intent. Consumes exactly three uniforms: `uShift` decides whether the intent
 * moves (uShift < p), `uMix` whether a move follows tastes (uMix < {@link
 * TASTE_DRIVEN_SHIFT_SHARE}) or is uniform, and `uPick` picks the new category among the others.
 */
export function nextIntent(
  current: number,
  tastes: readonly number[],
  intentShiftProbability: number,
  uShift: number,
  uMix: number,
  uPick: number,
): number {
  if (!(uShift < intentShiftProbability)) return current;
  const weights = tastes.map((w, id) =>
    id === current ? 0 : uMix < TASTE_DRIVEN_SHIFT_SHARE ? w : 1,
  );
  const picked = pickByWeight(weights, uPick);
  // Tastes that put all weight on the current category leave nowhere to go by taste: move
  // uniformly instead.
  if (picked >= 0) return picked;
  return pickByWeight(
    tastes.map((_, id) => (id === current ? 0 : 1)),
    uPick,
  );
}

/** Draws a session's intents: starts on the favourite, then {@link nextIntent} per page. */
export function generateSession(
  rng: Rng,
  shopper: Shopper,
  intentShiftProbability: number,
  steps: number = DEFAULT_SESSION_STEPS,
): ShoppingSession {
  const intents = [shopper.favouriteCategory];
  for (let t = 1; t < steps; t++) {
    const uShift = rng.next();
    const uMix = rng.next();
    const uPick = rng.next();
    intents.push(
      nextIntent(
        intents[t - 1] as number,
        shopper.tastes,
        intentShiftProbability,
        uShift,
        uMix,
        uPick,
      ),
    );
  }
  return { shopper, intents };
}

/** Shoppers drawn for a simulated day, before their sessions. */
export interface ShopperSample {
  catalog: ShopCatalog;
  shoppers: Shopper[];
  /** The seed they were drawn from (sessions of {@link sampleSessions} use it too). */
  seed: number;
}

/**
 * Draws `count` shoppers for a day in the shop of {@link CATALOG_SEED}, each new with
 * probability `newUserShare`, from the seed's 'shoppers' fork.
 */
export function sampleShoppers(seed: number, count: number, newUserShare: number): ShopperSample {
  if (!(newUserShare >= 0 && newUserShare <= 1)) {
    throw new RangeError(`newUserShare = ${newUserShare}: expected 0–1`);
  }
  if (!(Number.isInteger(count) && count >= 0)) {
    throw new RangeError(`sessions = ${count}: expected a whole number ≥ 0`);
  }
  const catalog = generateCatalog(CATALOG_SEED);
  const rng = createRng(seed).fork('shoppers');
  const shoppers: Shopper[] = [];
  for (let i = 0; i < count; i++) shoppers.push(generateShopper(rng, catalog, newUserShare));
  return { catalog, shoppers, seed };
}

/**
 * One session per shopper of a sample, from the seed's 'intents' fork: the same shoppers with
 * another shift probability give other paths drawn from the same random numbers.
 */
export function sampleSessions(
  sample: ShopperSample,
  intentShiftProbability: number,
  steps: number = DEFAULT_SESSION_STEPS,
): ShoppingSession[] {
  if (!(Number.isInteger(steps) && steps >= 1)) {
    throw new RangeError(`steps = ${steps}: expected a whole number ≥ 1`);
  }
  if (!(intentShiftProbability >= 0 && intentShiftProbability <= 1)) {
    throw new RangeError(`intentShiftProbability = ${intentShiftProbability}: expected 0–1`);
  }
  const rng = createRng(sample.seed).fork('intents');
  return sample.shoppers.map((shopper) =>
    generateSession(rng, shopper, intentShiftProbability, steps),
  );
}

/**
 * A sample of one day's sessions: {@link sampleShoppers} then {@link sampleSessions}, one
 * session per shopper. Shoppers and intents come from separate forks of the seed, so changing
 * the shift probability changes the sessions' paths but not who the shoppers are.
 */
export function sampleShoppingDay(options: ShoppingDayOptions): ShoppingDay {
  const full: Required<ShoppingDayOptions> = { steps: DEFAULT_SESSION_STEPS, ...options };
  const sample = sampleShoppers(full.seed, full.sessions, full.newUserShare);
  return {
    catalog: sample.catalog,
    sessions: sampleSessions(sample, full.intentShiftProbability, full.steps),
    options: full,
  };
}
