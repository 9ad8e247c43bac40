/**
 * A generative model of card transactions, for training a fraud detector in the browser.
 *
 * The story. Every row is one card payment. Its label is drawn first (fraud with probability
 * `fraudRate`) and its features are then drawn from the story of that label. So the realised
 * fraud rate is Binomial(rows, fraudRate) / rows, and the class-conditional distributions, and
 * with them a model's ROC AUC, stay the same when the fraud rate changes; only precision-like
 * numbers move with it, as they do in a real bank.
 *
 * Legitimate payments come from five kinds of customer behaviour (shares of honest rows):
 * - everyday spending at home (45%): card present, a few km from home, by day, mostly
 *   groceries, fuel and restaurants, now and then electronics or travel;
 * - small purchases (10%): coffee, a newspaper, a bus fare; card present, by day, a few dollars;
 * - late nights out (11%): bars, restaurants and fuel between 20:00 and 05:00, card present;
 * - online shopping (20%): card not present, online retail, electronics and travel, mostly in
 *   the evening, a little after midnight; the distance is that of the buyer's IP address;
 * - travel (14%): card present, hundreds of km from home, half of it abroad, a busy day.
 * One customer in five is a heavy user (about 6 payments a day instead of 1.6). One account in
 * ten is new (median 40 days); new customers spend less. Honest big purchases (electronics,
 * travel) therefore happen on established accounts, mostly near home.
 *
 * Fraud comes in four kinds (shares of fraud rows):
 * - card testing (25%): stolen card numbers tried with tiny online payments (median $2.50), at
 *   night, from far away (40% abroad), many in a row (velocity about 8); the cards belong to
 *   real, established customers;
 * - card-not-present cash-out (33%): big online orders of electronics and online goods, at
 *   night; half on accounts opened for the purpose (median 12 days old, their first payments,
 *   so a low velocity), half on taken-over accounts; the amount is about 3× the usual only when
 *   the buyer is more than 100 km away or the account is younger than 60 days;
 * - stolen physical cards (37%): card present, by day, at electronics shops and fuel stations,
 *   tens of km from the owner's home, in a burst (velocity about 7), on established accounts;
 *   the amount is about 3× the usual only more than 100 km from home;
 * - camouflaged fraud (5%): drawn from the legitimate story itself (a family member using the
 *   card, "friendly" first-party fraud). No model can catch it: this is the label noise that
 *   keeps the task from being trivial, and it caps the ROC AUC of a perfect model near 0.975.
 *
 * Compared with honest payments, fraud thus has larger log-normal amounts on average, more
 * night hours, more card-not-present payments, more online retail and electronics, larger
 * distances, higher velocity, younger accounts and more foreign payments; but each of these
 * overlaps with some honest behaviour, and several only matter together, so a non-linear model
 * beats a linear one (ROC AUC about 0.95 against about 0.91 on large samples):
 * - the amount is U-shaped: both tiny (card testing) and large (cash-out) amounts are
 *   suspicious, and a large amount only when far from home or on a young account;
 * - night is suspicious only for card-not-present payments: late-night card-present payments
 *   are ordinary nights out;
 * - abroad and far from home is ordinary with the card present (travellers, who also have a
 *   high velocity), suspicious without it;
 * - velocity is U-shaped too: bursts mean testing or a stolen card, while a new account's
 *   first payments have none at all.
 *
 * Cost: about 15 uniform draws per row from one seeded generator ({@link createRng}), so
 * 20,000 rows take around 15 ms in Node once warm, and the same seed gives the same rows on
 * every machine.
 */
import { createRng, type Rng } from '@lib/random';

/** The kinds of merchant a payment can go to, in the order of their one-hot columns. */
export const MERCHANT_CATEGORIES = [
  'grocery',
  'fuel',
  'restaurants',
  'online-retail',
  'electronics',
  'travel',
] as const;

/** One of {@link MERCHANT_CATEGORIES}. */
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

/** One card payment, with its label. */
export interface Transaction {
  /** Amount charged, in US dollars, rounded to cents; always ≥ 1. */
  amountUsd: number;
  /** Local hour of the payment, an integer 0–23. */
  hourOfDay: number;
  /** Kind of merchant. */
  merchantCategory: MerchantCategory;
  /** Distance between the card holder's home and the payment (or the buyer's IP), in km, ≥ 0. */
  distanceFromHomeKm: number;
  /** Velocity: payments on the same card in the preceding 24 hours, an integer ≥ 0. */
  transactionsLast24h: number;
  /** Whether the physical card was read (chip, swipe, contactless); false for online and phone. */
  cardPresent: boolean;
  /** Age of the account, in whole days, ≥ 0. */
  accountAgeDays: number;
  /** Whether the payment was made in a country other than the card holder's. */
  foreignCountry: boolean;
  /** The label: true if the payment was fraudulent. */
  isFraud: boolean;
}

/** Options of {@link generateTransactions}. */
export interface FraudGeneratorOptions {
  /** Number of transactions to draw, an integer 0–1,000,000. */
  rows: number;
  /** Seed of the random generator; the same seed gives the same rows. */
  seed: number | string;
  /** Probability that a row is fraud (the target share), 0.001–0.2; default 0.01. */
  fraudRate?: number;
}

/** Fraud rate used when none is given. */
export const DEFAULT_FRAUD_RATE = 0.01;
/** Smallest fraud rate accepted. */
export const MIN_FRAUD_RATE = 0.001;
/** Largest fraud rate accepted. */
export const MAX_FRAUD_RATE = 0.2;
/** Most rows {@link generateTransactions} will draw. */
export const MAX_TRANSACTION_ROWS = 1_000_000;

/** Throws a RangeError unless `fraudRate` is a number in [MIN_FRAUD_RATE, MAX_FRAUD_RATE]. */
export function assertValidFraudRate(fraudRate: number): void {
  if (!(Number.isFinite(fraudRate) && fraudRate >= MIN_FRAUD_RATE && fraudRate <= MAX_FRAUD_RATE)) {
    throw new RangeError(
      `The fraud rate must be between ${MIN_FRAUD_RATE} and ${MAX_FRAUD_RATE}; got ${fraudRate}.`,
    );
  }
}

// ---- Sampling helpers. All randomness comes from the Rng; these only shape it. ----

/** Turns weights into a cumulative distribution, for {@link drawIndex}. */
function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const cdf = new Float64Array(weights.length);
  let running = 0;
  for (let i = 0; i < weights.length; i++) {
    running += (weights[i] ?? 0) / total;
    cdf[i] = running;
  }
  cdf[weights.length - 1] = 1;
  return cdf;
}

/** An index drawn from a cumulative distribution with one uniform (inverse transform). */
function drawIndex(rng: Rng, cdf: Float64Array): number {
  const u = rng.next();
  for (let i = 0; i < cdf.length; i++) if (u < (cdf[i] ?? 1)) return i;
  return cdf.length - 1;
}

/**
 * A Poisson deviate by inversion with a single uniform: walks the cumulative sum of
 * P(k) = e^−λ λ^k / k! until it passes u. One draw per call, whatever λ (here λ < 15).
 */
function drawPoisson(rng: Rng, lambda: number): number {
  const u = rng.next();
  let probability = Math.exp(-lambda);
  let cdf = probability;
  let k = 0;
  while (u > cdf && k < 100) {
    k++;
    probability *= lambda / k;
    cdf += probability;
  }
  return k;
}

/** A log-normal deviate given its median (e^μ) rather than μ. */
function drawLogNormal(rng: Rng, median: number, logSd: number): number {
  return median * Math.exp(rng.normal(0, logSd));
}

// ---- Hour-of-day profiles: relative weights of hours 0, 1, …, 23, made cumulative. ----

/** Everyday card-present spending: by day, peaking at lunch and after work. */
const HOURS_DAYTIME = cumulative([
  1, 0, 0, 0, 0, 1, 2, 5, 7, 8, 9, 11, 13, 11, 9, 9, 10, 12, 13, 11, 8, 5, 3, 1,
]);
/** Late nights out: bars, restaurants, fuel on the way home. */
const HOURS_LATE_OUT = cumulative([
  9, 7, 5, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 5, 8, 9,
]);
/** Honest online shopping: through the day, peaking in the evening, a little after midnight. */
const HOURS_ONLINE = cumulative([
  4, 2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 7, 6, 6, 6, 7, 8, 10, 12, 13, 12, 9, 6,
]);
/** Card-not-present fraud: concentrated in the small hours of the card holder's night. */
const HOURS_NIGHT_FRAUD = cumulative([
  10, 12, 13, 13, 12, 9, 5, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 5, 7,
]);
/** Stolen physical cards: shop opening hours, a little skewed towards the morning. */
const HOURS_SHOP_FRAUD = cumulative([
  1, 0, 0, 0, 0, 0, 1, 3, 6, 9, 11, 12, 11, 10, 9, 8, 8, 7, 6, 5, 4, 3, 2, 1,
]);

// ---- Merchant mixes: relative weights in the order of MERCHANT_CATEGORIES, made cumulative:
// grocery, fuel, restaurants, online-retail, electronics, travel. ----

const MERCHANTS_EVERYDAY = cumulative([42, 20, 26, 0, 8, 4]);
const MERCHANTS_SMALL_PURCHASE = cumulative([45, 10, 45, 0, 0, 0]);
const MERCHANTS_LATE_OUT = cumulative([6, 28, 66, 0, 0, 0]);
const MERCHANTS_ONLINE = cumulative([4, 0, 6, 62, 16, 12]);
const MERCHANTS_TRAVEL = cumulative([10, 14, 36, 0, 4, 36]);
const MERCHANTS_CARD_TESTING = cumulative([0, 0, 4, 84, 8, 4]);
const MERCHANTS_CASH_OUT = cumulative([0, 0, 0, 40, 45, 15]);
const MERCHANTS_STOLEN_CARD = cumulative([14, 22, 6, 0, 54, 4]);

/** Median honest amount per merchant category, in USD, and the spread of its logarithm. */
const AMOUNT_MEDIAN_USD = [42, 45, 32, 48, 160, 320] as const;
const AMOUNT_LOG_SD = [0.6, 0.45, 0.6, 0.95, 0.9, 0.8] as const;

function categoryOf(index: number): MerchantCategory {
  return MERCHANT_CATEGORIES[index] ?? 'grocery';
}

/** An amount of the given merchant category, its median scaled by `scale`, in USD. */
function drawCategoryAmountUsd(
  rng: Rng,
  merchantIndex: number,
  scale: number,
  extraLogSd: number,
): number {
  const medianUsd = (AMOUNT_MEDIAN_USD[merchantIndex] ?? 50) * scale;
  return drawLogNormal(rng, medianUsd, (AMOUNT_LOG_SD[merchantIndex] ?? 0.7) + extraLogSd);
}

/** Honest account ages: mostly years old, some new customers. */
function drawLegitAccountAgeDays(rng: Rng): number {
  const u = rng.next();
  if (u < 0.1) return Math.floor(drawLogNormal(rng, 40, 0.9));
  return Math.min(9000, Math.floor(drawLogNormal(rng, 1100, 0.8)));
}

/** An honest payment's segment shares: everyday, small purchase, late out, online; rest travel. */
const LEGIT_SEGMENT_CDF = cumulative([45, 10, 11, 20, 14]);

/** Draws one legitimate payment into `tx`. */
function drawLegit(rng: Rng, tx: Transaction): void {
  const segment = drawIndex(rng, LEGIT_SEGMENT_CDF);
  // One customer in five is a heavy user with several payments a day.
  let velocityPerDay = rng.next() < 0.2 ? 6 : 1.6;
  let merchantIndex: number;
  let amountScale = 1;
  if (segment === 0 || segment === 1) {
    // Everyday spending at home; small purchases are coffee, a newspaper, a bus fare.
    tx.hourOfDay = drawIndex(rng, HOURS_DAYTIME);
    merchantIndex = drawIndex(rng, segment === 0 ? MERCHANTS_EVERYDAY : MERCHANTS_SMALL_PURCHASE);
    if (segment === 1) amountScale = 0.12;
    tx.cardPresent = rng.next() < 0.97;
    tx.distanceFromHomeKm = drawLogNormal(rng, 6, 1.0);
    tx.foreignCountry = rng.next() < 0.004;
  } else if (segment === 2) {
    // A late night out: card present, near home.
    tx.hourOfDay = drawIndex(rng, HOURS_LATE_OUT);
    merchantIndex = drawIndex(rng, MERCHANTS_LATE_OUT);
    tx.cardPresent = rng.next() < 0.98;
    tx.distanceFromHomeKm = drawLogNormal(rng, 8, 1.0);
    tx.foreignCountry = rng.next() < 0.004;
  } else if (segment === 3) {
    // Online shopping: card not present; the distance is that of the buyer's IP address.
    tx.hourOfDay = drawIndex(rng, HOURS_ONLINE);
    merchantIndex = drawIndex(rng, MERCHANTS_ONLINE);
    tx.cardPresent = rng.next() < 0.02;
    tx.distanceFromHomeKm = drawLogNormal(rng, 12, 1.5);
    tx.foreignCountry = rng.next() < 0.06;
  } else {
    // Travel: card present, far from home, often abroad, a busy day of spending.
    tx.hourOfDay = drawIndex(rng, HOURS_DAYTIME);
    merchantIndex = drawIndex(rng, MERCHANTS_TRAVEL);
    tx.foreignCountry = rng.next() < 0.5;
    tx.cardPresent = rng.next() < 0.85;
    tx.distanceFromHomeKm = drawLogNormal(rng, tx.foreignCountry ? 2200 : 500, 0.8);
    velocityPerDay += 2.5;
  }
  tx.merchantCategory = categoryOf(merchantIndex);
  tx.transactionsLast24h = drawPoisson(rng, velocityPerDay);
  tx.accountAgeDays = drawLegitAccountAgeDays(rng);
  // Honest big purchases happen on established accounts; new customers spend less.
  if (tx.accountAgeDays < 90) amountScale *= 0.6;
  tx.amountUsd = drawCategoryAmountUsd(rng, merchantIndex, amountScale, 0);
}

/** Fraud kinds' shares: camouflaged, card testing, card-not-present cash-out, stolen card. */
const FRAUD_KIND_CDF = cumulative([5, 25, 33, 37]);

/** Draws one fraudulent payment into `tx`. */
function drawFraud(rng: Rng, tx: Transaction): void {
  const kind = drawIndex(rng, FRAUD_KIND_CDF);
  if (kind === 0) {
    // Camouflaged fraud looks exactly like a legitimate payment.
    drawLegit(rng, tx);
    return;
  }
  let merchantIndex: number;
  if (kind === 1) {
    // Card testing: stolen card numbers tried with tiny online payments, many in a row, at
    // night, from far away. The cards are real customers' cards, so the accounts are old.
    tx.hourOfDay = drawIndex(rng, HOURS_NIGHT_FRAUD);
    merchantIndex = drawIndex(rng, MERCHANTS_CARD_TESTING);
    tx.cardPresent = rng.next() < 0.02;
    tx.foreignCountry = rng.next() < 0.4;
    tx.distanceFromHomeKm = drawLogNormal(rng, tx.foreignCountry ? 3000 : 250, 1.3);
    tx.transactionsLast24h = drawPoisson(rng, 8);
    tx.accountAgeDays = drawLegitAccountAgeDays(rng);
    tx.amountUsd = drawLogNormal(rng, 2.5, 0.6);
  } else if (kind === 2) {
    // Card-not-present cash-out: big online orders, half of them on accounts opened for it
    // (their first payments, so a low velocity), half on taken-over, established accounts.
    tx.hourOfDay = drawIndex(rng, HOURS_NIGHT_FRAUD);
    merchantIndex = drawIndex(rng, MERCHANTS_CASH_OUT);
    tx.cardPresent = rng.next() < 0.04;
    tx.foreignCountry = rng.next() < 0.3;
    tx.distanceFromHomeKm = drawLogNormal(rng, tx.foreignCountry ? 3000 : 40, 1.6);
    const newAccount = rng.next() < 0.5;
    tx.accountAgeDays = newAccount
      ? Math.floor(drawLogNormal(rng, 12, 1.0))
      : drawLegitAccountAgeDays(rng);
    tx.transactionsLast24h = drawPoisson(rng, newAccount ? 0.7 : 2.5);
    const cashOut = tx.distanceFromHomeKm > 100 || tx.accountAgeDays < 60;
    tx.amountUsd = drawCategoryAmountUsd(rng, merchantIndex, cashOut ? 3 : 1, cashOut ? 0.2 : 0);
  } else {
    // A stolen physical card: used in shops by day, in a burst, away from the owner's home.
    tx.hourOfDay = drawIndex(rng, HOURS_SHOP_FRAUD);
    merchantIndex = drawIndex(rng, MERCHANTS_STOLEN_CARD);
    tx.cardPresent = rng.next() < 0.92;
    tx.foreignCountry = rng.next() < 0.1;
    tx.distanceFromHomeKm = drawLogNormal(rng, tx.foreignCountry ? 1500 : 40, 1.2);
    tx.transactionsLast24h = drawPoisson(rng, 7);
    tx.accountAgeDays = drawLegitAccountAgeDays(rng);
    // Thieves cash out big only where nobody knows the card holder.
    const cashOut = tx.distanceFromHomeKm > 100;
    tx.amountUsd = drawCategoryAmountUsd(rng, merchantIndex, cashOut ? 3 : 1, cashOut ? 0.2 : 0);
  }
  tx.merchantCategory = categoryOf(merchantIndex);
}

/** Rounds to cents, at least $1 (the smallest charge a card network passes here). */
function roundAmountUsd(amountUsd: number): number {
  return Math.max(1, Math.round(amountUsd * 100) / 100);
}

/** Rounds a distance to 0.1 km. */
function roundKm(distanceKm: number): number {
  return Math.round(distanceKm * 10) / 10;
}

/**
 * Draws `rows` labelled card payments from the story told at the top of this module.
 *
 * Each row's label is drawn first (fraud with probability `fraudRate`), then its features
 * conditioned on the label. Deterministic: the same options give the same rows.
 *
 * @throws RangeError when `rows` is not an integer in 0–1,000,000 or `fraudRate` is outside
 *   0.001–0.2.
 */
export function generateTransactions(options: FraudGeneratorOptions): Transaction[] {
  const { rows, seed } = options;
  const fraudRate = options.fraudRate ?? DEFAULT_FRAUD_RATE;
  if (!(Number.isInteger(rows) && rows >= 0 && rows <= MAX_TRANSACTION_ROWS)) {
    throw new RangeError(
      `The number of rows must be a whole number from 0 to ${MAX_TRANSACTION_ROWS}; got ${rows}.`,
    );
  }
  assertValidFraudRate(fraudRate);
  const rng = createRng(seed).fork('fraud-transactions');
  const transactions: Transaction[] = new Array<Transaction>(rows);
  for (let i = 0; i < rows; i++) {
    const tx: Transaction = {
      amountUsd: 0,
      hourOfDay: 0,
      merchantCategory: 'grocery',
      distanceFromHomeKm: 0,
      transactionsLast24h: 0,
      cardPresent: true,
      accountAgeDays: 0,
      foreignCountry: false,
      isFraud: rng.bernoulli(fraudRate),
    };
    if (tx.isFraud) drawFraud(rng, tx);
    else drawLegit(rng, tx);
    tx.distanceFromHomeKm = roundKm(tx.distanceFromHomeKm);
    tx.amountUsd = roundAmountUsd(tx.amountUsd);
    transactions[i] = tx;
  }
  return transactions;
}
