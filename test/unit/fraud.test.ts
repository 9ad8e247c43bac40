import { describe, expect, it } from 'vitest';
import { MERCHANT_CATEGORIES, generateTransactions, type Transaction } from '@lib/data/fraud';
import {
  FRAUD_FEATURE_COUNT,
  FRAUD_FEATURE_NAMES,
  applyStandardizer,
  encodeTransaction,
  fitStandardizer,
  makeFraudDataset,
  type EncodedSplit,
  type FraudDataset,
} from '@lib/data/fraud-features';
import { rocAuc } from '@lib/ml/metrics';

const SPLITS = ['train', 'validation', 'test'] as const;

function fraudShare(labels: Float32Array): number {
  let positives = 0;
  for (const label of labels) positives += label;
  return positives / labels.length;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function share(rows: readonly Transaction[], predicate: (tx: Transaction) => boolean): number {
  return rows.filter(predicate).length / rows.length;
}

/**
 * Logistic regression by Newton's method (IRLS) with a small ridge penalty on the weights:
 * w ← w − H⁻¹g, g = Xᵀ(p − y) + λw, H = Xᵀ diag(p(1 − p)) X + λI, solved by Cholesky.
 * Returns the bias followed by one weight per column.
 */
function fitLogistic(split: EncodedSplit, l2: number, iterations = 12): Float64Array {
  const { rows, featureCount, features, labels } = split;
  const d = featureCount + 1;
  const w = new Float64Array(d);
  const x = new Float64Array(d);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const gradient = new Float64Array(d);
    const hessian = new Float64Array(d * d);
    for (let r = 0; r < rows; r++) {
      x[0] = 1;
      for (let j = 0; j < featureCount; j++) x[j + 1] = features[r * featureCount + j] ?? 0;
      let z = 0;
      for (let j = 0; j < d; j++) z += (w[j] ?? 0) * (x[j] ?? 0);
      const p = 1 / (1 + Math.exp(-z));
      const residual = p - (labels[r] ?? 0);
      const weight = p * (1 - p);
      for (let j = 0; j < d; j++) {
        const xj = x[j] ?? 0;
        gradient[j] = (gradient[j] ?? 0) + residual * xj;
        const scaled = weight * xj;
        for (let k = 0; k <= j; k++)
          hessian[j * d + k] = (hessian[j * d + k] ?? 0) + scaled * (x[k] ?? 0);
      }
    }
    for (let j = 0; j < d; j++) {
      const penalty = j === 0 ? 1e-6 : l2;
      gradient[j] = (gradient[j] ?? 0) + penalty * (w[j] ?? 0);
      hessian[j * d + j] = (hessian[j * d + j] ?? 0) + penalty;
    }
    // Cholesky H = LLᵀ in the lower triangle, then forward and back substitution.
    const chol = new Float64Array(d * d);
    for (let j = 0; j < d; j++) {
      for (let k = 0; k <= j; k++) {
        let sum = hessian[j * d + k] ?? 0;
        for (let m = 0; m < k; m++) sum -= (chol[j * d + m] ?? 0) * (chol[k * d + m] ?? 0);
        chol[j * d + k] = j === k ? Math.sqrt(sum) : sum / (chol[k * d + k] ?? 1);
      }
    }
    const y = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let sum = gradient[j] ?? 0;
      for (let m = 0; m < j; m++) sum -= (chol[j * d + m] ?? 0) * (y[m] ?? 0);
      y[j] = sum / (chol[j * d + j] ?? 1);
    }
    for (let j = d - 1; j >= 0; j--) {
      let sum = y[j] ?? 0;
      for (let m = j + 1; m < d; m++) sum -= (chol[m * d + j] ?? 0) * (y[m] ?? 0);
      y[j] = sum / (chol[j * d + j] ?? 1);
      w[j] = (w[j] ?? 0) - (y[j] ?? 0);
    }
  }
  return w;
}

function linearScores(split: EncodedSplit, w: Float64Array): Float64Array {
  const scores = new Float64Array(split.rows);
  for (let r = 0; r < split.rows; r++) {
    let z = w[0] ?? 0;
    for (let j = 0; j < split.featureCount; j++) {
      z += (w[j + 1] ?? 0) * (split.features[r * split.featureCount + j] ?? 0);
    }
    scores[r] = z;
  }
  return scores;
}

/** Adds the products of every pair (squares included) of the first `base` columns. */
function withPairwiseProducts(split: EncodedSplit, base: number): EncodedSplit {
  const featureCount = split.featureCount + (base * (base + 1)) / 2;
  const features = new Float32Array(split.rows * featureCount);
  for (let r = 0; r < split.rows; r++) {
    const row = split.features.subarray(r * split.featureCount, (r + 1) * split.featureCount);
    let out = r * featureCount;
    for (const value of row) features[out++] = value;
    for (let i = 0; i < base; i++) {
      for (let j = i; j < base; j++) features[out++] = (row[i] ?? 0) * (row[j] ?? 0);
    }
  }
  return { ...split, features, featureCount };
}

describe('generateTransactions', () => {
  it('is deterministic by seed', () => {
    const a = generateTransactions({ rows: 2000, seed: 'same' });
    const b = generateTransactions({ rows: 2000, seed: 'same' });
    const c = generateTransactions({ rows: 2000, seed: 'other' });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it.each([0.01, 0.05])('realises a fraud rate close to %s on 50,000 rows', (fraudRate) => {
    const rows = 50_000;
    const transactions = generateTransactions({ rows, seed: 11, fraudRate });
    const realised = share(transactions, (tx) => tx.isFraud);
    // Four binomial standard deviations.
    const tolerance = 4 * Math.sqrt((fraudRate * (1 - fraudRate)) / rows);
    expect(Math.abs(realised - fraudRate)).toBeLessThan(tolerance);
  });

  it('uses a fraud rate of 1% by default', () => {
    const transactions = generateTransactions({ rows: 50_000, seed: 12 });
    expect(Math.abs(share(transactions, (tx) => tx.isFraud) - 0.01)).toBeLessThan(0.0018);
  });

  it('draws features in their valid ranges', () => {
    for (const tx of generateTransactions({ rows: 20_000, seed: 3, fraudRate: 0.2 })) {
      expect(Number.isInteger(tx.hourOfDay) && tx.hourOfDay >= 0 && tx.hourOfDay <= 23).toBe(true);
      expect(tx.amountUsd).toBeGreaterThanOrEqual(1);
      expect(Number.isFinite(tx.amountUsd)).toBe(true);
      expect(Math.round(tx.amountUsd * 100) / 100).toBe(tx.amountUsd);
      expect(tx.distanceFromHomeKm).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(tx.distanceFromHomeKm)).toBe(true);
      expect(Number.isInteger(tx.transactionsLast24h) && tx.transactionsLast24h >= 0).toBe(true);
      expect(Number.isInteger(tx.accountAgeDays) && tx.accountAgeDays >= 0).toBe(true);
      expect(MERCHANT_CATEGORIES).toContain(tx.merchantCategory);
      expect(typeof tx.cardPresent).toBe('boolean');
      expect(typeof tx.foreignCountry).toBe('boolean');
    }
  });

  it('makes fraud differ from legitimate payments in the documented directions', () => {
    const transactions = generateTransactions({ rows: 50_000, seed: 5, fraudRate: 0.1 });
    const fraud = transactions.filter((tx) => tx.isFraud);
    const legit = transactions.filter((tx) => !tx.isFraud);
    const logAmount = (rows: Transaction[]) => mean(rows.map((tx) => Math.log(tx.amountUsd)));
    const atNight = (tx: Transaction) => tx.hourOfDay <= 5;
    const online = (tx: Transaction) =>
      tx.merchantCategory === 'online-retail' || tx.merchantCategory === 'electronics';

    expect(logAmount(fraud)).toBeGreaterThan(logAmount(legit));
    expect(share(fraud, atNight)).toBeGreaterThan(share(legit, atNight) + 0.1);
    expect(share(fraud, (tx) => tx.cardPresent)).toBeLessThan(
      share(legit, (tx) => tx.cardPresent) - 0.2,
    );
    expect(share(fraud, online)).toBeGreaterThan(share(legit, online) + 0.2);
    expect(median(fraud.map((tx) => tx.distanceFromHomeKm))).toBeGreaterThan(
      2 * median(legit.map((tx) => tx.distanceFromHomeKm)),
    );
    expect(mean(fraud.map((tx) => tx.transactionsLast24h))).toBeGreaterThan(
      mean(legit.map((tx) => tx.transactionsLast24h)) + 1.5,
    );
    expect(share(fraud, (tx) => tx.accountAgeDays < 90)).toBeGreaterThan(
      share(legit, (tx) => tx.accountAgeDays < 90) + 0.05,
    );
    expect(share(fraud, (tx) => tx.foreignCountry)).toBeGreaterThan(
      share(legit, (tx) => tx.foreignCountry) + 0.05,
    );
  });

  it('builds in interactions: night is suspicious only without the card', () => {
    const transactions = generateTransactions({ rows: 100_000, seed: 6, fraudRate: 0.05 });
    const fraudShareWhere = (predicate: (tx: Transaction) => boolean) =>
      share(transactions.filter(predicate), (tx) => tx.isFraud);
    const night = (tx: Transaction) => tx.hourOfDay <= 4;
    // Late-night card-present payments are ordinary nights out; late-night online ones are not.
    expect(fraudShareWhere((tx) => night(tx) && !tx.cardPresent)).toBeGreaterThan(0.4);
    expect(fraudShareWhere((tx) => night(tx) && tx.cardPresent)).toBeLessThan(0.05);
  });

  it('rejects bad options with a RangeError', () => {
    expect(() => generateTransactions({ rows: 100, seed: 1, fraudRate: 0.0005 })).toThrow(
      RangeError,
    );
    expect(() => generateTransactions({ rows: 100, seed: 1, fraudRate: 0.25 })).toThrow(RangeError);
    expect(() => generateTransactions({ rows: 100, seed: 1, fraudRate: Number.NaN })).toThrow(
      RangeError,
    );
    expect(() => generateTransactions({ rows: -1, seed: 1 })).toThrow(RangeError);
    expect(() => generateTransactions({ rows: 10.5, seed: 1 })).toThrow(RangeError);
    expect(generateTransactions({ rows: 0, seed: 1 })).toEqual([]);
  });
});

describe('encoding and standardising', () => {
  it('names 14 columns and encodes one payment as documented', () => {
    expect(FRAUD_FEATURE_NAMES).toHaveLength(14);
    expect(FRAUD_FEATURE_COUNT).toBe(14);
    const out = new Float32Array(FRAUD_FEATURE_COUNT + 2).fill(9);
    encodeTransaction(
      {
        amountUsd: 99,
        hourOfDay: 6,
        merchantCategory: 'electronics',
        distanceFromHomeKm: 9,
        transactionsLast24h: 3,
        cardPresent: false,
        accountAgeDays: 0,
        foreignCountry: true,
        isFraud: true,
      },
      out,
      1,
    );
    const expected = [9, Math.log(100), 1, 0, Math.log(10), 3, 0, 0, 1, 0, 0, 0, 0, 1, 0, 9];
    expected.forEach((value, i) => expect(out[i]).toBeCloseTo(value, 5));
  });

  it('fits population standard deviations and leaves constant columns at sd 1', () => {
    // Columns: 1, 2, 3, 4 (sd √1.25); always 5 (constant).
    const features = Float32Array.from([1, 5, 2, 5, 3, 5, 4, 5]);
    const standardizer = fitStandardizer(features, 4, 2);
    expect(Array.from(standardizer.means)).toEqual([2.5, 5]);
    expect(standardizer.stdDevs[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(standardizer.stdDevs[1]).toBe(1);
    const standardised = applyStandardizer(features, standardizer);
    expect(standardised[0]).toBeCloseTo(-1.5 / Math.sqrt(1.25), 6);
    expect(standardised[1]).toBe(0);
    expect(() => fitStandardizer(features, 3, 2)).toThrow(RangeError);
    expect(() => applyStandardizer(Float32Array.from([1, 2, 3]), standardizer)).toThrow(RangeError);
  });
});

describe('makeFraudDataset', () => {
  const dataset: FraudDataset = makeFraudDataset({ rows: 20_000, seed: 21, fraudRate: 0.05 });

  it('is deterministic by seed', () => {
    const again = makeFraudDataset({ rows: 20_000, seed: 21, fraudRate: 0.05 });
    const other = makeFraudDataset({ rows: 20_000, seed: 22, fraudRate: 0.05 });
    for (const name of SPLITS) {
      expect(again[name].features).toEqual(dataset[name].features);
      expect(again[name].labels).toEqual(dataset[name].labels);
      expect(again[name].amountsUsd).toEqual(dataset[name].amountsUsd);
      expect(other[name].features).not.toEqual(dataset[name].features);
    }
    expect(again.standardizer).toEqual(dataset.standardizer);
  });

  it('splits 70/15/15, stratified by label, with the realised fraud rate', () => {
    expect(dataset.train.rows + dataset.validation.rows + dataset.test.rows).toBe(20_000);
    expect(Math.abs(dataset.train.rows - 14_000)).toBeLessThanOrEqual(2);
    expect(Math.abs(dataset.validation.rows - 3_000)).toBeLessThanOrEqual(2);
    let positives = 0;
    for (const name of SPLITS) {
      const split = dataset[name];
      expect(split.features).toHaveLength(split.rows * FRAUD_FEATURE_COUNT);
      expect(split.labels).toHaveLength(split.rows);
      expect(split.amountsUsd).toHaveLength(split.rows);
      expect(split.featureCount).toBe(FRAUD_FEATURE_COUNT);
      expect(Math.abs(fraudShare(split.labels) - dataset.fraudRate)).toBeLessThan(0.002);
      positives += split.labels.reduce((sum, label) => sum + label, 0);
    }
    expect(dataset.fraudRate).toBe(positives / 20_000);
    expect(Math.abs(dataset.fraudRate - 0.05)).toBeLessThan(0.007);
    expect(dataset.featureNames).toEqual(FRAUD_FEATURE_NAMES);
  });

  it('interleaves the classes within each split', () => {
    // Stratification must not leave all the fraud at the end of a split.
    const { labels, rows } = dataset.train;
    expect(fraudShare(labels.subarray(0, rows / 2))).toBeGreaterThan(0.03);
  });

  it('honours custom split fractions and keeps tiny splits stratified', () => {
    const small = makeFraudDataset({
      rows: 200,
      seed: 4,
      fraudRate: 0.2,
      splitFractions: { train: 0.5, validation: 0.5, test: 0 },
    });
    expect(small.test.rows).toBe(0);
    expect(small.train.rows + small.validation.rows).toBe(200);
    expect(Math.abs(fraudShare(small.train.labels) - small.fraudRate)).toBeLessThan(0.02);
  });

  it('standardises the training features to mean 0 and sd 1 per column', () => {
    const { features, rows, featureCount } = dataset.train;
    for (let c = 0; c < featureCount; c++) {
      let sum = 0;
      let sumSq = 0;
      for (let r = 0; r < rows; r++) {
        const value = features[r * featureCount + c] ?? Number.NaN;
        sum += value;
        sumSq += value * value;
      }
      const columnMean = sum / rows;
      expect(Math.abs(columnMean)).toBeLessThan(1e-4);
      expect(Math.sqrt(sumSq / rows - columnMean * columnMean)).toBeCloseTo(1, 3);
    }
  });

  it('has no NaN or infinite value anywhere', () => {
    for (const name of SPLITS) {
      const split = dataset[name];
      for (const array of [split.features, split.labels, split.amountsUsd]) {
        expect(array.every((value) => Number.isFinite(value))).toBe(true);
      }
      expect(split.labels.every((label) => label === 0 || label === 1)).toBe(true);
    }
  });

  it('rejects bad options with a plain RangeError', () => {
    expect(() => makeFraudDataset({ rows: 199, seed: 1 })).toThrow(/200/);
    expect(() => makeFraudDataset({ rows: 1_000_001, seed: 1 })).toThrow(RangeError);
    expect(() => makeFraudDataset({ rows: 1000.5, seed: 1 })).toThrow(RangeError);
    expect(() => makeFraudDataset({ rows: 1000, seed: 1, fraudRate: 0 })).toThrow(/fraud rate/);
    expect(() => makeFraudDataset({ rows: 1000, seed: 1, fraudRate: 0.21 })).toThrow(RangeError);
    expect(() =>
      makeFraudDataset({
        rows: 1000,
        seed: 1,
        splitFractions: { train: 0.7, validation: 0.2, test: 0.2 },
      }),
    ).toThrow(RangeError);
    expect(() =>
      makeFraudDataset({
        rows: 1000,
        seed: 1,
        splitFractions: { train: 0, validation: 0.5, test: 0.5 },
      }),
    ).toThrow(RangeError);
  });
});

describe('learnability', () => {
  // 20,000 rows at 5% fraud leave about 150 fraud rows in validation, enough for a stable AUC.
  const dataset = makeFraudDataset({ rows: 20_000, seed: 'learnability', fraudRate: 0.05 });
  const linearWeights = fitLogistic(dataset.train, 1e-3);
  const linearAuc = rocAuc(
    dataset.validation.labels,
    linearScores(dataset.validation, linearWeights),
  );

  it('lets a logistic regression reach a realistic, imperfect validation ROC AUC', () => {
    expect(linearAuc).toBeGreaterThan(0.86);
    expect(linearAuc).toBeLessThan(0.94);
  });

  it('leaves room for a non-linear model: pairwise products beat the linear model', () => {
    // The 8 non-merchant columns and their 36 pairwise products: a quadratic logistic model.
    const train = withPairwiseProducts(dataset.train, 8);
    const validation = withPairwiseProducts(dataset.validation, 8);
    const quadraticAuc = rocAuc(validation.labels, linearScores(validation, fitLogistic(train, 1)));
    expect(quadraticAuc).toBeGreaterThan(linearAuc + 0.015);
    expect(quadraticAuc).toBeLessThan(0.985);
  });
});
