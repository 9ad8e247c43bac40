/**
 * Turns card payments ({@link Transaction}) into the numeric matrices a model trains on, and
 * builds the train / validation / test splits of the fraud sandbox.
 *
 * Encoding of one payment, 14 columns (see {@link FRAUD_FEATURE_NAMES}):
 * log1p(amountUsd); sin and cos of 2π·hourOfDay/24 (so 23:00 sits next to 00:00);
 * log1p(distanceFromHomeKm); transactionsLast24h; cardPresent as 0/1; log1p(accountAgeDays);
 * foreignCountry as 0/1; and a one-hot column per merchant category. Columns are then
 * standardised, (x − mean) / sd, with means and population standard deviations fitted on the
 * training split only, so that no information leaks from validation or test data.
 */
import { createRng, type Rng } from '@lib/random';
import {
  DEFAULT_FRAUD_RATE,
  MERCHANT_CATEGORIES,
  assertValidFraudRate,
  generateTransactions,
  type MerchantCategory,
  type Transaction,
} from '@lib/data/fraud';

/** Names of the encoded columns, in order. */
export const FRAUD_FEATURE_NAMES: readonly string[] = [
  'log1pAmountUsd',
  'hourSin',
  'hourCos',
  'log1pDistanceFromHomeKm',
  'transactionsLast24h',
  'cardPresent',
  'log1pAccountAgeDays',
  'foreignCountry',
  ...MERCHANT_CATEGORIES.map((category) => `merchant=${category}`),
];

/** Number of encoded columns (14). */
export const FRAUD_FEATURE_COUNT = FRAUD_FEATURE_NAMES.length;

const FIRST_MERCHANT_COLUMN = 8;
const MERCHANT_INDEX = new Map<MerchantCategory, number>(
  MERCHANT_CATEGORIES.map((category, index) => [category, index]),
);

/**
 * Writes the {@link FRAUD_FEATURE_COUNT} encoded columns of one payment into `out`, starting at
 * `offset` (unstandardised).
 */
export function encodeTransaction(tx: Transaction, out: Float32Array, offset: number): void {
  const hourAngle = (2 * Math.PI * tx.hourOfDay) / 24;
  out[offset] = Math.log1p(tx.amountUsd);
  out[offset + 1] = Math.sin(hourAngle);
  out[offset + 2] = Math.cos(hourAngle);
  out[offset + 3] = Math.log1p(tx.distanceFromHomeKm);
  out[offset + 4] = tx.transactionsLast24h;
  out[offset + 5] = tx.cardPresent ? 1 : 0;
  out[offset + 6] = Math.log1p(tx.accountAgeDays);
  out[offset + 7] = tx.foreignCountry ? 1 : 0;
  for (let c = 0; c < MERCHANT_CATEGORIES.length; c++) out[offset + FIRST_MERCHANT_COLUMN + c] = 0;
  const merchantIndex = MERCHANT_INDEX.get(tx.merchantCategory) ?? 0;
  out[offset + FIRST_MERCHANT_COLUMN + merchantIndex] = 1;
}

/** Encodes payments into a row-major matrix of `transactions.length × FRAUD_FEATURE_COUNT`. */
export function encodeTransactions(transactions: readonly Transaction[]): Float32Array {
  const out = new Float32Array(transactions.length * FRAUD_FEATURE_COUNT);
  transactions.forEach((tx, row) => encodeTransaction(tx, out, row * FRAUD_FEATURE_COUNT));
  return out;
}

/** Per-column means and standard deviations, for (x − mean) / sd. */
export interface Standardizer {
  /** Mean of each column. */
  means: Float64Array;
  /** Population standard deviation of each column; 1 where the column is constant. */
  stdDevs: Float64Array;
}

/**
 * Fits a {@link Standardizer} to a row-major `rows × cols` matrix: the mean and the population
 * standard deviation sqrt(Σ(x − mean)² / rows) of each column, computed in double precision.
 * A constant column (sd below 1e-12) gets sd 1, so standardising leaves it at 0.
 *
 * @throws RangeError when the matrix size does not match `rows × cols` or `rows` is 0.
 */
export function fitStandardizer(features: Float32Array, rows: number, cols: number): Standardizer {
  if (!(rows > 0 && cols > 0 && features.length === rows * cols)) {
    throw new RangeError(
      `Cannot fit a standardizer: expected ${rows} × ${cols} values, got ${features.length}.`,
    );
  }
  const means = new Float64Array(cols);
  const stdDevs = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) means[c] = (means[c] ?? 0) + (features[base + c] ?? 0);
  }
  for (let c = 0; c < cols; c++) means[c] = (means[c] ?? 0) / rows;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const deviation = (features[base + c] ?? 0) - (means[c] ?? 0);
      stdDevs[c] = (stdDevs[c] ?? 0) + deviation * deviation;
    }
  }
  for (let c = 0; c < cols; c++) {
    const sd = Math.sqrt((stdDevs[c] ?? 0) / rows);
    stdDevs[c] = sd > 1e-12 ? sd : 1;
  }
  return { means, stdDevs };
}

/**
 * Returns a standardised copy of a row-major matrix: (x − mean[c]) / sd[c] for each column c.
 * The column count is that of the standardizer.
 *
 * @throws RangeError when the matrix length is not a multiple of the column count.
 */
export function applyStandardizer(
  features: Float32Array,
  standardizer: Standardizer,
): Float32Array {
  const cols = standardizer.means.length;
  if (cols === 0 || features.length % cols !== 0) {
    throw new RangeError(
      `Cannot standardise ${features.length} values with a ${cols}-column standardizer.`,
    );
  }
  const out = new Float32Array(features.length);
  for (let c = 0; c < cols; c++) {
    const columnMean = standardizer.means[c] ?? 0;
    const columnSd = standardizer.stdDevs[c] ?? 1;
    for (let i = c; i < features.length; i += cols)
      out[i] = ((features[i] ?? 0) - columnMean) / columnSd;
  }
  return out;
}

/** One split of the dataset, encoded for a model. */
export interface EncodedSplit {
  /** Row-major `rows × featureCount` matrix of standardised features. */
  features: Float32Array;
  /** 1 for fraud, 0 for legitimate, one per row. */
  labels: Float32Array;
  /** The raw amount of each row, in USD, for money-based metrics (losses, savings). */
  amountsUsd: Float32Array;
  /** Number of rows. */
  rows: number;
  /** Number of columns ({@link FRAUD_FEATURE_COUNT}). */
  featureCount: number;
}

/** Share of rows that goes to each split; the three must sum to 1. */
export interface SplitFractions {
  /** Share for training, > 0. */
  train: number;
  /** Share for validation (model and threshold choice), ≥ 0. */
  validation: number;
  /** Share for the final test, ≥ 0. */
  test: number;
}

/** The fraud sandbox's data: three encoded splits and how they were encoded. */
export interface FraudDataset {
  /** Rows to fit on. */
  train: EncodedSplit;
  /** Rows to choose models and thresholds on. */
  validation: EncodedSplit;
  /** Rows held out for the final estimate. */
  test: EncodedSplit;
  /** Names of the encoded columns ({@link FRAUD_FEATURE_NAMES}). */
  featureNames: readonly string[];
  /** The standardizer fitted on the training split and applied to all three. */
  standardizer: Standardizer;
  /** Realised share of fraud over all rows (not the requested rate). */
  fraudRate: number;
}

/** Options of {@link makeFraudDataset}. */
export interface FraudDatasetOptions {
  /** Total rows over the three splits, an integer 200–1,000,000. */
  rows: number;
  /** Seed for generation and splitting. */
  seed: number | string;
  /** Probability that a row is fraud, 0.001–0.2; default 0.01. */
  fraudRate?: number;
  /** Split shares; default 0.7 / 0.15 / 0.15. */
  splitFractions?: SplitFractions;
}

/** Fewest rows {@link makeFraudDataset} accepts. */
export const MIN_DATASET_ROWS = 200;
/** Most rows {@link makeFraudDataset} accepts. */
export const MAX_DATASET_ROWS = 1_000_000;
/** Split shares used when none are given. */
export const DEFAULT_SPLIT_FRACTIONS: Readonly<SplitFractions> = {
  train: 0.7,
  validation: 0.15,
  test: 0.15,
};

function assertValidSplitFractions(fractions: SplitFractions): void {
  const { train, validation, test } = fractions;
  const valid =
    Number.isFinite(train) &&
    Number.isFinite(validation) &&
    Number.isFinite(test) &&
    train > 0 &&
    validation >= 0 &&
    test >= 0 &&
    Math.abs(train + validation + test - 1) < 1e-9;
  if (!valid) {
    throw new RangeError(
      `Split fractions must be non-negative, with train above 0, and sum to 1; got ` +
        `train ${train}, validation ${validation}, test ${test}.`,
    );
  }
}

function encodeSplit(
  transactions: readonly Transaction[],
  indices: readonly number[],
): { raw: Float32Array; labels: Float32Array; amountsUsd: Float32Array } {
  const raw = new Float32Array(indices.length * FRAUD_FEATURE_COUNT);
  const labels = new Float32Array(indices.length);
  const amountsUsd = new Float32Array(indices.length);
  indices.forEach((index, row) => {
    const tx = transactions[index];
    if (!tx) return;
    encodeTransaction(tx, raw, row * FRAUD_FEATURE_COUNT);
    labels[row] = tx.isFraud ? 1 : 0;
    amountsUsd[row] = tx.amountUsd;
  });
  return { raw, labels, amountsUsd };
}

/**
 * Splits row indices by label so that each split gets its share of fraud and of legitimate
 * rows (stratified), then shuffles each split so the classes are interleaved.
 */
function stratifiedSplit(
  transactions: readonly Transaction[],
  fractions: SplitFractions,
  rng: Rng,
): [number[], number[], number[]] {
  const order = rng.shuffle(Array.from({ length: transactions.length }, (_, i) => i));
  const splits: [number[], number[], number[]] = [[], [], []];
  for (const wantFraud of [true, false]) {
    const group = order.filter((index) => transactions[index]?.isFraud === wantFraud);
    const trainEnd = Math.round(group.length * fractions.train);
    const validationEnd =
      fractions.test > 0
        ? Math.min(group.length, trainEnd + Math.round(group.length * fractions.validation))
        : group.length; // with no test split, rounding leftovers go to validation
    group.forEach((index, position) => {
      const target = position < trainEnd ? 0 : position < validationEnd ? 1 : 2;
      splits[target].push(index);
    });
  }
  for (const split of splits) rng.shuffle(split);
  return splits;
}

/**
 * Builds the fraud sandbox's dataset: draws `rows` payments ({@link generateTransactions}),
 * shuffles them with a generator forked from the seed, splits them stratified by label,
 * encodes them ({@link encodeTransaction}), fits a {@link Standardizer} on the training split
 * and applies it to all three. Deterministic by seed.
 *
 * @throws RangeError when `rows` is not a whole number from 200 to 1,000,000, when the fraud
 *   rate is outside 0.001–0.2, or when the split fractions are invalid.
 */
export function makeFraudDataset(options: FraudDatasetOptions): FraudDataset {
  const { rows, seed } = options;
  if (!(Number.isInteger(rows) && rows >= MIN_DATASET_ROWS && rows <= MAX_DATASET_ROWS)) {
    throw new RangeError(
      `The dataset needs a whole number of rows from ${MIN_DATASET_ROWS} to ${MAX_DATASET_ROWS}; got ${rows}.`,
    );
  }
  const fraudRate = options.fraudRate ?? DEFAULT_FRAUD_RATE;
  assertValidFraudRate(fraudRate);
  const fractions = options.splitFractions ?? DEFAULT_SPLIT_FRACTIONS;
  assertValidSplitFractions(fractions);

  const transactions = generateTransactions({ rows, seed, fraudRate });
  const [trainIdx, validationIdx, testIdx] = stratifiedSplit(
    transactions,
    fractions,
    createRng(seed).fork('fraud-split'),
  );
  const train = encodeSplit(transactions, trainIdx);
  const validation = encodeSplit(transactions, validationIdx);
  const test = encodeSplit(transactions, testIdx);
  const standardizer = fitStandardizer(train.raw, trainIdx.length, FRAUD_FEATURE_COUNT);
  const finish = (
    split: { raw: Float32Array; labels: Float32Array; amountsUsd: Float32Array },
    splitRows: number,
  ): EncodedSplit => ({
    features: applyStandardizer(split.raw, standardizer),
    labels: split.labels,
    amountsUsd: split.amountsUsd,
    rows: splitRows,
    featureCount: FRAUD_FEATURE_COUNT,
  });

  let fraudCount = 0;
  for (const tx of transactions) if (tx.isFraud) fraudCount++;
  return {
    train: finish(train, trainIdx.length),
    validation: finish(validation, validationIdx.length),
    test: finish(test, testIdx.length),
    featureNames: FRAUD_FEATURE_NAMES,
    standardizer,
    fraudRate: fraudCount / rows,
  };
}
