import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  classificationReport,
  confusionAt,
  f1Score,
  falsePositiveRate,
  logLoss,
  prAuc,
  precision,
  recall,
  rocAuc,
  type ConfusionMatrix,
} from '@lib/ml/metrics';

// An 8-row example worked by hand throughout. Scores 0.5 appear once per class (a tie across
// classes, sitting exactly on the default threshold).
//   row    0    1    2    3    4    5    6    7
//   y      1    0    1    1    0    0    1    0
//   score 0.9  0.8  0.5  0.4  0.5  0.1  0.7  0.3
const labels = [1, 0, 1, 1, 0, 0, 1, 0];
const scores = [0.9, 0.8, 0.5, 0.4, 0.5, 0.1, 0.7, 0.3];

function cells(c: ConfusionMatrix): [number, number, number, number] {
  return [c.truePositives, c.falsePositives, c.trueNegatives, c.falseNegatives];
}

describe('confusionAt', () => {
  it('predicts positive when score >= threshold (0.5 counts as positive at 0.5)', () => {
    // Predicted positive at 0.5: rows 0 (TP), 1 (FP), 2 (TP), 4 (FP), 6 (TP).
    // Predicted negative: rows 3 (FN), 5 (TN), 7 (TN).  → TP 3, FP 2, TN 2, FN 1.
    expect(cells(confusionAt(labels, scores))).toEqual([3, 2, 2, 1]);
  });

  it('moves the 0.5 ties to the negative side just above 0.5', () => {
    // Rows 2 (positive) and 4 (negative) drop out: TP 2 (rows 0, 6), FP 1 (row 1), TN 3, FN 2.
    expect(cells(confusionAt(labels, scores, 0.5000001))).toEqual([2, 1, 3, 2]);
  });

  it('predicts all rows positive at threshold 0 and none above the top score', () => {
    expect(cells(confusionAt(labels, scores, 0))).toEqual([4, 4, 0, 0]);
    expect(cells(confusionAt(labels, scores, 0.95))).toEqual([0, 0, 4, 4]);
  });

  it('counts a NaN score as predicted negative, and an empty input as all zeros', () => {
    expect(cells(confusionAt([1, 0], [Number.NaN, Number.NaN]))).toEqual([0, 0, 1, 1]);
    expect(cells(confusionAt([], []))).toEqual([0, 0, 0, 0]);
  });

  it('accepts typed arrays and treats labels >= 0.5 as positive', () => {
    const c = confusionAt(new Float32Array([1, 0, 1]), new Float64Array([0.6, 0.6, 0.2]));
    expect(cells(c)).toEqual([1, 1, 0, 1]);
  });

  it('throws when labels and scores differ in length', () => {
    expect(() => confusionAt([1, 0], [0.5])).toThrow(RangeError);
    expect(() => rocAuc([1, 0], [0.5])).toThrow(RangeError);
    expect(() => logLoss([1], [0.5, 0.5])).toThrow(RangeError);
  });
});

describe('ratio metrics', () => {
  const c = confusionAt(labels, scores); // TP 3, FP 2, TN 2, FN 1

  it('match the hand-computed values at threshold 0.5', () => {
    expect(accuracy(c)).toBeCloseTo(5 / 8, 12); // (3 + 2) / 8 = 0.625
    expect(precision(c)).toBeCloseTo(3 / 5, 12); // 3 / (3 + 2) = 0.6
    expect(recall(c)).toBeCloseTo(3 / 4, 12); // 3 / (3 + 1) = 0.75
    expect(f1Score(c)).toBeCloseTo(2 / 3, 12); // 2·3 / (2·3 + 2 + 1) = 6/9
    expect(falsePositiveRate(c)).toBeCloseTo(1 / 2, 12); // 2 / (2 + 2)
  });

  it('F1 is the harmonic mean of precision and recall', () => {
    const p = precision(c);
    const r = recall(c);
    expect(f1Score(c)).toBeCloseTo((2 * p * r) / (p + r), 12); // 2·0.6·0.75/1.35 = 0.6667
  });

  it('return 0 for 0/0 (zero_division=0)', () => {
    // Nothing predicted positive: TP 0, FP 0, TN 4, FN 4 → precision 0/0, recall 0/4, F1 0/4.
    const none = confusionAt(labels, scores, 0.95);
    expect(precision(none)).toBe(0);
    expect(recall(none)).toBe(0);
    expect(f1Score(none)).toBe(0);
    expect(accuracy(none)).toBe(0.5); // 4 TN of 8
    // No positives at all and none predicted: every ratio with them is 0/0.
    const noPositives = confusionAt([0, 0, 0], [0.1, 0.2, 0.3]);
    expect(precision(noPositives)).toBe(0);
    expect(recall(noPositives)).toBe(0);
    expect(f1Score(noPositives)).toBe(0);
    expect(accuracy(noPositives)).toBe(1);
    // No negatives: FPR = 0/0.
    expect(falsePositiveRate(confusionAt([1, 1], [0.9, 0.2]))).toBe(0);
    // Empty input.
    expect(accuracy(confusionAt([], []))).toBe(0);
  });
});

describe('rocAuc', () => {
  it('matches the hand count of ranked pairs, with the cross-class tie counted as half', () => {
    // Positives 0.9, 0.7, 0.5, 0.4; negatives 0.8, 0.5, 0.3, 0.1.
    // Negatives below each positive: 0.9 → 4; 0.7 → 3 (0.5, 0.3, 0.1);
    // 0.5 → 2 (0.3, 0.1) + ½ (tie with 0.5); 0.4 → 2.  Sum 11.5 of 4·4 = 16 pairs.
    expect(rocAuc(labels, scores)).toBeCloseTo(11.5 / 16, 12); // 0.71875
  });

  it('matches the scikit-learn documentation example', () => {
    // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one and ½ when every score ties', () => {
    expect(rocAuc([0, 0, 0, 1, 1, 1], [0.1, 0.2, 0.3, 0.7, 0.8, 0.9])).toBe(1);
    expect(rocAuc([0, 0, 0, 1, 1, 1], [0.9, 0.8, 0.7, 0.3, 0.2, 0.1])).toBe(0);
    // 2 positives × 4 negatives, all 8 pairs tied → 8·½ / 8.
    expect(rocAuc([1, 0, 0, 1, 0, 0], [0.3, 0.3, 0.3, 0.3, 0.3, 0.3])).toBe(0.5);
  });

  it('handles tied groups within and across classes', () => {
    // y:     1    1    0    1    0    0
    // s:    0.8  0.6  0.6  0.6  0.2  0.2
    // Positive 0.8 beats 3 negatives → 3; each positive at 0.6 beats the two 0.2s and ties
    // the 0.6 negative → 2.5, twice.  (3 + 2.5 + 2.5) / (3·3) = 8/9.
    expect(rocAuc([1, 1, 0, 1, 0, 0], [0.8, 0.6, 0.6, 0.6, 0.2, 0.2])).toBeCloseTo(8 / 9, 12);
  });

  it('is NaN when a class is absent or a score is NaN', () => {
    expect(rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toBeNaN();
    expect(rocAuc([0, 0, 0], [0.2, 0.5, 0.9])).toBeNaN();
    expect(rocAuc([], [])).toBeNaN();
    expect(rocAuc([0, 1], [0.2, Number.NaN])).toBeNaN();
  });
});

describe('prAuc (average precision)', () => {
  it('matches the hand-computed step sum, with the tied 0.5 group entering at once', () => {
    // Thresholds from high to low (P = 4 positives):
    //   0.9 (+)      TP 1 FP 0  P = 1    ΔR = ¼ → 0.25
    //   0.8 (−)      TP 1 FP 1           ΔR = 0
    //   0.7 (+)      TP 2 FP 1  P = 2/3  ΔR = ¼ → 1/6
    //   0.5 (+, −)   TP 3 FP 2  P = 3/5  ΔR = ¼ → 0.15
    //   0.4 (+)      TP 4 FP 2  P = 4/6  ΔR = ¼ → 1/6
    //   0.3, 0.1 (−) ΔR = 0
    // AP = 0.25 + 1/6 + 0.15 + 1/6 = 11/15 ≈ 0.7333
    expect(prAuc(labels, scores)).toBeCloseTo(11 / 15, 12);
  });

  it('matches the scikit-learn documentation example', () => {
    // average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) ≈ 0.8333
    // 0.8 (+): P 1, ΔR ½; 0.4 (−); 0.35 (+): P 2/3, ΔR ½ → ½ + ⅓ = 5/6.
    expect(prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(5 / 6, 12);
  });

  it('is 1 for a perfect ranking and the hand value for a reversed one', () => {
    expect(prAuc([0, 0, 0, 1, 1, 1], [0.1, 0.2, 0.3, 0.7, 0.8, 0.9])).toBe(1);
    // Reversed: three negatives first, then the positives at 0.3, 0.2, 0.1:
    // ⅓·(1/4) + ⅓·(2/5) + ⅓·(3/6) = 1/12 + 2/15 + 1/6 = 23/60 ≈ 0.3833
    expect(prAuc([0, 0, 0, 1, 1, 1], [0.9, 0.8, 0.7, 0.3, 0.2, 0.1])).toBeCloseTo(23 / 60, 12);
  });

  it('is the prevalence when every score ties, and 1 when every row is positive', () => {
    // One threshold: TP 2, FP 4 → P = 2/6, ΔR = 1 → ⅓.
    expect(prAuc([1, 0, 0, 1, 0, 0], [0.3, 0.3, 0.3, 0.3, 0.3, 0.3])).toBeCloseTo(1 / 3, 12);
    expect(prAuc([1, 1, 1], [0.2, 0.5, 0.9])).toBe(1);
  });

  it('is NaN with no positives or a NaN score', () => {
    expect(prAuc([0, 0, 0], [0.2, 0.5, 0.9])).toBeNaN();
    expect(prAuc([], [])).toBeNaN();
    expect(prAuc([0, 1], [0.2, Number.NaN])).toBeNaN();
  });
});

describe('logLoss', () => {
  it('matches the hand-computed mean cross-entropy', () => {
    // Positives −ln p:      0.9 → 0.1053605, 0.5 → 0.6931472, 0.4 → 0.9162907, 0.7 → 0.3566749
    // Negatives −ln(1 − p): 0.8 → 1.6094379, 0.5 → 0.6931472, 0.1 → 0.1053605, 0.3 → 0.3566749
    // Sum 4.8360938 / 8 = 0.6045117
    expect(logLoss(labels, scores)).toBeCloseTo(0.6045117, 6);
  });

  it('matches the scikit-learn documentation example', () => {
    // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]])
    // ≈ 0.21616: P(spam) = 0.9, 0.1, 0.2, 0.65 with spam = 1.
    expect(logLoss([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65])).toBeCloseTo(0.21616, 5);
  });

  it('clips confident mistakes to −ln ε and confident hits to about ε', () => {
    // −ln(1e-7) = 7·ln 10 = 16.1180957
    expect(logLoss([1, 0], [0, 1])).toBeCloseTo(16.1180957, 6);
    expect(logLoss([1, 0], [1, 0])).toBeCloseTo(1e-7, 12);
    // A larger ε: −ln(0.01) = 4.6051702
    expect(logLoss([1], [0], 0.01)).toBeCloseTo(4.6051702, 6);
  });

  it('is NaN for no rows', () => {
    expect(logLoss([], [])).toBeNaN();
  });
});

describe('classificationReport', () => {
  it('gathers the hand-computed values of the 8-row example', () => {
    const report = classificationReport(labels, scores);
    expect(report.confusion).toEqual({
      truePositives: 3,
      falsePositives: 2,
      trueNegatives: 2,
      falseNegatives: 1,
    });
    expect(report.accuracy).toBeCloseTo(0.625, 12);
    expect(report.precision).toBeCloseTo(0.6, 12);
    expect(report.recall).toBeCloseTo(0.75, 12);
    expect(report.f1).toBeCloseTo(2 / 3, 12);
    expect(report.rocAuc).toBeCloseTo(0.71875, 12);
    expect(report.prAuc).toBeCloseTo(11 / 15, 12);
    expect(report.logLoss).toBeCloseTo(0.6045117, 6);
    expect(report.threshold).toBe(0.5);
    expect(report.positives).toBe(4);
    expect(report.rows).toBe(8);
  });

  it('uses the given threshold for the thresholded metrics only', () => {
    const report = classificationReport(labels, scores, 0.75);
    // At 0.75: rows 0 (TP) and 1 (FP) positive → TP 1, FP 1, TN 3, FN 3.
    expect(cells(report.confusion)).toEqual([1, 1, 3, 3]);
    expect(report.recall).toBeCloseTo(0.25, 12);
    expect(report.rocAuc).toBeCloseTo(0.71875, 12);
  });
});

// Definitions written the slow, obvious way, to compare the fast ones against.
function naiveRocAuc(y: number[], s: number[]): number {
  let pairs = 0;
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = 0; j < y.length; j++) {
      if (y[i] === 1 && y[j] === 0) {
        count++;
        if (s[i]! > s[j]!) pairs += 1;
        else if (s[i] === s[j]) pairs += 0.5;
      }
    }
  }
  return count === 0 ? Number.NaN : pairs / count;
}

function naiveAveragePrecision(y: number[], s: number[]): number {
  const positives = y.filter((v) => v === 1).length;
  if (positives === 0) return Number.NaN;
  const thresholds = [...new Set(s)].sort((a, b) => b - a);
  let previousRecall = 0;
  let ap = 0;
  for (const t of thresholds) {
    const c = confusionAt(y, s, t);
    const r = c.truePositives / positives;
    ap += (r - previousRecall) * (c.truePositives / (c.truePositives + c.falsePositives));
    previousRecall = r;
  }
  return ap;
}

/** Rows of (label, score) with scores on a coarse grid so that ties are common. */
const rowsArb = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 12 })),
  {
    minLength: 1,
    maxLength: 40,
  },
);
const split = (rows: [number, number][]): [number[], number[]] => [
  rows.map(([y]) => y),
  rows.map(([, k]) => k / 12),
];
const hasBothClasses = (y: number[]): boolean => y.includes(0) && y.includes(1);

describe('properties', () => {
  it('AUC of the negated scores is 1 − AUC', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const [y, s] = split(rows);
        fc.pre(hasBothClasses(y));
        const negated = s.map((v) => -v);
        expect(rocAuc(y, negated)).toBeCloseTo(1 - rocAuc(y, s), 12);
      }),
    );
  });

  it('AUC and AP are unchanged by strictly increasing transforms of the scores', () => {
    const transforms = [
      (v: number) => Math.exp(3 * v) - 7,
      (v: number) => v ** 3,
      (v: number) => 1 / (1 + Math.exp(-10 * (v - 0.5))),
    ];
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 0, max: transforms.length - 1 }), (rows, which) => {
        const [y, s] = split(rows);
        fc.pre(hasBothClasses(y));
        const transformed = s.map(transforms[which]!);
        expect(rocAuc(y, transformed)).toBeCloseTo(rocAuc(y, s), 12);
        expect(prAuc(y, transformed)).toBeCloseTo(prAuc(y, s), 12);
      }),
    );
  });

  it('confusion cells sum to n, and TP + FN counts the positives', () => {
    fc.assert(
      fc.property(rowsArb, fc.double({ min: -0.1, max: 1.1, noNaN: true }), (rows, threshold) => {
        const [y, s] = split(rows);
        const c = confusionAt(y, s, threshold);
        expect(c.truePositives + c.falsePositives + c.trueNegatives + c.falseNegatives).toBe(
          y.length,
        );
        expect(c.truePositives + c.falseNegatives).toBe(y.filter((v) => v === 1).length);
      }),
    );
  });

  it('the O(n log n) AUC and AP equal the O(n²) definitions, ties included', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const [y, s] = split(rows);
        const auc = rocAuc(y, s);
        const ap = prAuc(y, s);
        const expectedAuc = naiveRocAuc(y, s);
        const expectedAp = naiveAveragePrecision(y, s);
        if (Number.isNaN(expectedAuc)) expect(auc).toBeNaN();
        else expect(auc).toBeCloseTo(expectedAuc, 12);
        if (Number.isNaN(expectedAp)) expect(ap).toBeNaN();
        else expect(ap).toBeCloseTo(expectedAp, 12);
      }),
    );
  });
});
