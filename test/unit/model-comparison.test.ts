import { describe, expect, it } from 'vitest';
import { compareModels } from '@lib/business/model-comparison';
import { DEFAULT_FRAUD_COSTS } from '@lib/business/fraud-money';
import { createRng } from '@lib/random';

/** 2,000 rows, 2% fraud, fraud amounts $50–$1,000; scores from a given rule. */
function rows(seed: number, score: (isFraud: boolean, amountUsd: number, u: number) => number) {
  const rng = createRng(seed);
  const n = 2000;
  const labels = new Float32Array(n);
  const amountsUsd = new Float32Array(n);
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const isFraud = rng.next() < 0.02;
    labels[i] = isFraud ? 1 : 0;
    amountsUsd[i] = isFraud ? 50 + 950 * rng.next() : 5 + 95 * rng.next();
    scores[i] = score(isFraud, amountsUsd[i]!, rng.next());
  }
  return { labels, amountsUsd, scores };
}

describe('compareModels', () => {
  it('finds the trap: the more accurate model saves less money', () => {
    // Same data (seed 1). Model A flags only the small frauds (about a quarter of them) and
    // never an honest payment: ~1.5% of rows wrong. Model B flags every fraud but also ~2% of
    // honest payments: ~2% of rows wrong, yet it stops the large frauds.
    const a = rows(1, (isFraud, amount) => (isFraud && amount < 300 ? 0.9 : 0.1));
    const b = rows(1, (isFraud, _amount, u) => (isFraud || u < 0.02 ? 0.9 : 0.1));
    const comparison = compareModels(
      [
        { name: 'A', rows: a },
        { name: 'B', rows: b },
      ],
      DEFAULT_FRAUD_COSTS,
      0.5,
      3,
    );
    const [ja, jb] = comparison.models;
    expect(comparison.accuracyLeader).toBe(0);
    expect(comparison.savingsLeader).toBe(1);
    expect(comparison.rankingsDisagree).toBe(true);
    expect(comparison.accuracyGapPoints).toBeGreaterThan(0);
    expect(comparison.accuracyGapPoints).toBeLessThan(1.5);
    expect(jb!.netSavingsUsd.estimate).toBeGreaterThan(ja!.netSavingsUsd.estimate + 5000);
    for (const judged of comparison.models) {
      expect(judged.accuracy.low).toBeLessThanOrEqual(judged.accuracy.estimate);
      expect(judged.accuracy.high).toBeGreaterThanOrEqual(judged.accuracy.estimate);
    }
  });

  it('reports identical models as tied and indistinguishable', () => {
    const same = rows(2, (isFraud, _amount, u) => (isFraud ? 0.6 + 0.4 * u : 0.5 * u));
    const comparison = compareModels(
      [
        { name: 'one', rows: same },
        { name: 'two', rows: same },
      ],
      DEFAULT_FRAUD_COSTS,
      0.5,
      1,
    );
    expect(comparison.accuracyLeader).toBe(0);
    expect(comparison.savingsLeader).toBe(0);
    expect(comparison.rankingsDisagree).toBe(false);
    expect(comparison.accuracyGapPoints).toBe(0);
    expect(comparison.accuracyIntervalsOverlap).toBe(true);
    expect(comparison.savingsIntervalsOverlap).toBe(true);
  });

  it('needs two models', () => {
    const one = rows(3, () => 0.5);
    expect(() => compareModels([{ name: 'x', rows: one }], DEFAULT_FRAUD_COSTS, 0.5, 1)).toThrow(
      RangeError,
    );
  });
});
