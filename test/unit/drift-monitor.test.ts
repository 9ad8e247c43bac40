import { describe, expect, it } from 'vitest';
import { chiSquareHomogeneity } from '@lib/drift/chi-square';
import { jensenShannonDrift } from '@lib/drift/jensen-shannon';
import { ksTest } from '@lib/drift/ks';
import {
  DEFAULT_THRESHOLDS,
  checkDrift,
  defaultDriftMethod,
  detectDrift,
  isDrift,
  predictionDrift,
  prepareReference,
  type ColumnSpec,
} from '@lib/drift/monitor';
import { normedWasserstein } from '@lib/drift/wasserstein';
import { binaryZTest } from '@lib/drift/z-test-binary';
import { GOLDEN, PLASTIC, seq } from './drift-fixtures';

/** Category codes 0…k−1 cycling with the Weyl sequence: roughly equal shares. */
function codes(n: number, k: number, a: number, bias = 0): Float64Array {
  const u = seq(n, a);
  return u.map((v) => Math.min(k - 1, Math.floor(Math.min(0.999999, v + bias * v * v) * k)));
}

describe("Evidently's default method", () => {
  it('follows the registry rule by kind, reference size and distinct values', () => {
    // evidently/calculations/stattests/registry.py, _get_default_stattest.
    expect(defaultDriftMethod('numeric', 1000, 6)).toBe('ks');
    expect(defaultDriftMethod('numeric', 1000, 5)).toBe('chi-square');
    expect(defaultDriftMethod('numeric', 1000, 3)).toBe('chi-square');
    expect(defaultDriftMethod('numeric', 1000, 2)).toBe('z-test');
    expect(defaultDriftMethod('numeric', 1001, 6)).toBe('wasserstein');
    expect(defaultDriftMethod('numeric', 1001, 5)).toBe('jensen-shannon');
    expect(defaultDriftMethod('categorical', 1000, 3)).toBe('chi-square');
    expect(defaultDriftMethod('categorical', 1000, 2)).toBe('z-test');
    expect(defaultDriftMethod('binary', 1000, 2)).toBe('z-test');
    expect(defaultDriftMethod('binary', 1000, 1)).toBe('z-test');
    expect(defaultDriftMethod('categorical', 1001, 12)).toBe('jensen-shannon');
    expect(defaultDriftMethod('binary', 5000, 2)).toBe('jensen-shannon');
  });

  it("applies each stattest's own drift rule at its default threshold", () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      ks: 0.05,
      'chi-square': 0.05,
      'z-test': 0.05,
      wasserstein: 0.1,
      'jensen-shannon': 0.1,
      psi: 0.1,
    });
    // Evidently: KS p ≤ threshold, chi-square and z p < threshold, distances ≥ threshold.
    expect(isDrift('ks', 0.05, 0.05)).toBe(true);
    expect(isDrift('chi-square', 0.05, 0.05)).toBe(false);
    expect(isDrift('z-test', 0.049, 0.05)).toBe(true);
    expect(isDrift('wasserstein', 0.1, 0.1)).toBe(true);
    expect(isDrift('jensen-shannon', 0.0999, 0.1)).toBe(false);
    expect(isDrift('psi', 0.25, 0.1)).toBe(true);
  });
});

const SPECS: ColumnSpec[] = [
  { name: 'amount', kind: 'numeric' },
  { name: 'hour', kind: 'numeric' },
  { name: 'merchant', kind: 'categorical' },
  { name: 'cardPresent', kind: 'binary' },
];

function window(n: number, a: number, shift: number): Record<string, Float64Array> {
  return {
    amount: seq(n, a, 100, shift * 100),
    hour: seq(n, a, 24, 0, 1),
    merchant: codes(n, 6, a, shift * 4),
    cardPresent: seq(n, a, 1, shift).map((v) => (v < 0.7 ? 1 : 0)),
  };
}

describe('detectDrift on a small reference (≤ 1,000 rows)', () => {
  const reference = window(800, GOLDEN, 0);

  it('runs KS, chi-square and the z-test and reproduces each detector', () => {
    const current = window(2000, PLASTIC, 0.15);
    const result = detectDrift(SPECS, reference, current);
    expect(result.columns.map((c) => c.method)).toEqual(['ks', 'ks', 'chi-square', 'z-test']);
    const [amount, hour, merchant, card] = result.columns;
    expect(amount?.pValue).toBe(
      ksTest(reference.amount as Float64Array, current.amount as Float64Array).pValue,
    );
    expect(hour?.distinctValues).toBe(6); // 25 distinct hours, counted up to 6
    const codesRef = reference.merchant as Float64Array;
    const codesCur = current.merchant as Float64Array;
    const refCounts = [0, 1, 2, 3, 4, 5].map((k) => codesRef.filter((v) => v === k).length);
    const curCounts = [0, 1, 2, 3, 4, 5].map((k) => codesCur.filter((v) => v === k).length);
    expect(merchant?.statistic).toBeCloseTo(
      chiSquareHomogeneity(refCounts, curCounts).statistic,
      10,
    );
    expect(card?.pValue).toBe(
      binaryZTest(reference.cardPresent as Float64Array, current.cardPresent as Float64Array)
        .pValue,
    );
    for (const column of result.columns) {
      expect(column.driftScore).toBe(column.pValue);
      expect(column.drifted).toBe(isDrift(column.method, column.pValue as number, 0.05));
    }
  });

  it('flags the dataset when at least half the columns drift', () => {
    const calm = detectDrift(SPECS, reference, window(2000, PLASTIC, 0));
    expect(calm.driftedColumns).toBeLessThan(2);
    expect(calm.datasetDrifted).toBe(false);
    const shifted = detectDrift(SPECS, reference, window(2000, PLASTIC, 0.15));
    expect(shifted.columns.filter((c) => c.drifted).map((c) => c.name)).toEqual(
      expect.arrayContaining(['amount', 'merchant', 'cardPresent']),
    );
    expect(shifted.driftedShare).toBe(shifted.driftedColumns / 4);
    expect(shifted.datasetDrifted).toBe(true);
    // Raising the share needed to all four columns.
    const strict = detectDrift(SPECS, reference, window(2000, PLASTIC, 0.15), { driftShare: 1 });
    expect(strict.datasetDrifted).toBe(shifted.driftedColumns === 4);
  });

  it('reports negligible KS p-values asymptotically past its work budget', () => {
    const spec: ColumnSpec[] = [{ name: 'x', kind: 'numeric' }];
    const ref = { x: seq(1000, GOLDEN) };
    const far = { x: seq(10_000, PLASTIC, 1, 0.5) };
    const fast = detectDrift(spec, ref, far).columns[0];
    const exact = detectDrift(spec, ref, far, { ksMaxExactSteps: Infinity }).columns[0];
    expect(fast?.pValue).toBe(ksTest(ref.x, far.x, { method: 'asymp' }).pValue);
    expect(exact?.pValue).toBe(ksTest(ref.x, far.x).pValue);
    expect(fast?.drifted).toBe(true);
    expect(exact?.drifted).toBe(true);
  });

  it('treats a numeric column with few distinct values as categorical', () => {
    const spec: ColumnSpec[] = [{ name: 'x', kind: 'numeric' }];
    const four = detectDrift(spec, { x: codes(500, 4, GOLDEN) }, { x: codes(500, 4, PLASTIC) });
    expect(four.columns[0]?.method).toBe('chi-square');
    const two = detectDrift(spec, { x: codes(500, 2, GOLDEN) }, { x: codes(500, 2, PLASTIC) });
    expect(two.columns[0]?.method).toBe('z-test');
  });
});

describe('detectDrift on a large reference (> 1,000 rows)', () => {
  const reference = window(5000, GOLDEN, 0);
  const current = window(3000, PLASTIC, 0.15);

  it('runs the normed Wasserstein distance and Jensen–Shannon (base 2)', () => {
    const result = detectDrift(SPECS, reference, current);
    expect(result.columns.map((c) => c.method)).toEqual([
      'wasserstein',
      'wasserstein',
      'jensen-shannon',
      'jensen-shannon',
    ]);
    const [amount, , merchant, card] = result.columns;
    expect(amount?.statistic).toBeCloseTo(
      normedWasserstein(reference.amount as Float64Array, current.amount as Float64Array).statistic,
      12,
    );
    expect(amount?.pValue).toBeNull();
    expect(merchant?.statistic).toBeCloseTo(
      jensenShannonDrift(
        reference.merchant as Float64Array,
        current.merchant as Float64Array,
        false,
      ).statistic,
      12,
    );
    expect(card?.drifted).toBe((card?.statistic ?? 0) >= 0.1);
  });

  it('lets a spec or the options choose another method and threshold', () => {
    const specs: ColumnSpec[] = [
      { name: 'amount', kind: 'numeric', method: 'psi', threshold: 0.25 },
      { name: 'hour', kind: 'numeric' },
    ];
    const result = detectDrift(specs, reference, current, { method: 'ks' });
    expect(result.columns[0]?.method).toBe('psi');
    expect(result.columns[0]?.threshold).toBe(0.25);
    expect(result.columns[0]?.psiBand).toBeDefined();
    expect(result.columns[1]?.method).toBe('ks');
  });
});

describe('prepared references', () => {
  it('give the same verdicts as one-shot checks and do not change the inputs', () => {
    const reference = window(900, GOLDEN, 0);
    const before = Array.from(reference.amount as Float64Array);
    const prepared = prepareReference(SPECS, reference);
    const current = window(1200, PLASTIC, 0.05);
    expect(checkDrift(prepared, current)).toEqual(detectDrift(SPECS, reference, current));
    expect(Array.from(reference.amount as Float64Array)).toEqual(before);
  });

  it('drop missing values and refuse absent or empty columns', () => {
    const spec: ColumnSpec[] = [{ name: 'x', kind: 'numeric' }];
    const clean = detectDrift(spec, { x: seq(300, GOLDEN) }, { x: seq(300, PLASTIC) });
    const withGaps = detectDrift(
      spec,
      { x: [...seq(300, GOLDEN), Number.NaN, Infinity] },
      { x: [Number.NaN, ...seq(300, PLASTIC)] },
    );
    expect(withGaps.columns[0]?.pValue).toBe(clean.columns[0]?.pValue);
    expect(withGaps.columns[0]?.referenceRows).toBe(300);
    expect(() => detectDrift(spec, { y: [1] }, { x: [1] })).toThrow(RangeError);
    expect(() => detectDrift(spec, { x: [1] }, { y: [1] })).toThrow(RangeError);
    expect(() => detectDrift(spec, { x: [1] }, { x: [Number.NaN] })).toThrow(RangeError);
    expect(() => prepareReference([...spec, ...spec], { x: [1] })).toThrow(RangeError);
  });
});

describe('predictionDrift', () => {
  it('tests the score distribution like a numeric column', () => {
    const ref = seq(700, GOLDEN);
    const cur = seq(700, PLASTIC, 0.8, 0.2);
    const r = predictionDrift(ref, cur);
    expect(r.name).toBe('prediction');
    expect(r.method).toBe('ks');
    expect(r.pValue).toBe(ksTest(ref, cur).pValue);
    expect(r.drifted).toBe(true);
    // Predicted labels (two values) get the z-test.
    expect(predictionDrift([0, 1, 1, 0], [1, 1, 1, 0]).method).toBe('z-test');
  });
});
