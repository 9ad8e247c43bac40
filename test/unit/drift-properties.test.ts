import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareHomogeneity } from '@lib/drift/chi-square';
import { jensenShannonDistance, jensenShannonDrift } from '@lib/drift/jensen-shannon';
import { ksTest } from '@lib/drift/ks';
import { detectDrift, type ColumnKind, type DriftMethod } from '@lib/drift/monitor';
import { populationStabilityIndex, psiFromShares } from '@lib/drift/psi';
import { wassersteinDistance } from '@lib/drift/wasserstein';
import { binaryZTest } from '@lib/drift/z-test-binary';

const real = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
/** Samples with many ties: small integers scaled. */
const tied = fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 });
const sample = fc.oneof(fc.array(real, { minLength: 1, maxLength: 60 }), tied);
/** Category counts over k categories. */
const weights = (k: number) => fc.array(fc.nat({ max: 1000 }), { minLength: k, maxLength: k });

describe('a sample compared with itself never drifts', () => {
  it('for every detector', () => {
    fc.assert(
      fc.property(sample, (x) => {
        const ks = ksTest(x, x);
        expect(ks.statistic).toBe(0);
        expect(ks.pValue).toBe(1);
        expect(wassersteinDistance(x, x)).toBe(0);
        expect(jensenShannonDrift(x, x, true).statistic).toBe(0);
        expect(jensenShannonDrift(x, x, false).statistic).toBe(0);
        expect(populationStabilityIndex(x, x).statistic).toBe(0);
        expect(populationStabilityIndex(x, x, { numeric: false }).statistic).toBe(0);
      }),
    );
  });

  it('for the chi-square and z-tests on category codes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 80 }),
        (codes) => {
          const counts = [0, 1, 2, 3, 4, 5, 6].map((k) => codes.filter((c) => c === k).length);
          const chi = chiSquareHomogeneity(counts, counts);
          expect(chi.statistic).toBeCloseTo(0, 12);
          expect(chi.pValue).toBeCloseTo(1, 12);
          const binary = codes.map((c) => c % 2);
          expect(binaryZTest(binary, binary).pValue).toBe(1);
        },
      ),
    );
  });

  it('for the monitor, whatever the kind and the reference size', () => {
    const kinds: ColumnKind[] = ['numeric', 'categorical', 'binary'];
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.integer({ min: 1, max: 1500 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (kind, rows, seed) => {
          let state = seed;
          const values = new Float64Array(rows);
          for (let i = 0; i < rows; i++) {
            state = (state * 1103515245 + 12345) % 2147483648;
            const u = state / 2147483648;
            values[i] =
              kind === 'numeric'
                ? u * 100
                : kind === 'binary'
                  ? u < 0.3
                    ? 1
                    : 0
                  : Math.floor(u * 5);
          }
          const result = detectDrift([{ name: 'c', kind }], { c: values }, { c: values });
          expect(result.columns[0]?.drifted).toBe(false);
          expect(result.datasetDrifted).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('for a forced choice of any method', () => {
    const methods: DriftMethod[] = ['ks', 'chi-square', 'wasserstein', 'jensen-shannon', 'psi'];
    fc.assert(
      fc.property(fc.constantFrom(...methods), sample, (method, x) => {
        const result = detectDrift([{ name: 'c', kind: 'numeric', method }], { c: x }, { c: x });
        expect(result.columns[0]?.drifted).toBe(false);
      }),
    );
  });
});

describe('detectors are symmetric where the statistic is', () => {
  it('KS statistic and p-value', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = ksTest(a, b);
        const ba = ksTest(b, a);
        expect(ba.statistic).toBe(ab.statistic);
        expect(ba.pValue).toBeCloseTo(ab.pValue, 12);
      }),
    );
  });

  it('Wasserstein distance (unnormed)', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = wassersteinDistance(a, b);
        expect(wassersteinDistance(b, a)).toBeCloseTo(ab, 6);
      }),
    );
  });

  it('chi-square homogeneity, the z-test p-value, Jensen–Shannon and PSI on shares', () => {
    fc.assert(
      fc.property(weights(5), weights(5), (p, q) => {
        fc.pre(p.some((v) => v > 0) && q.some((v) => v > 0));
        const pq = chiSquareHomogeneity(p, q);
        expect(chiSquareHomogeneity(q, p).statistic).toBeCloseTo(pq.statistic, 8);
        expect(jensenShannonDistance(q, p, 2)).toBeCloseTo(jensenShannonDistance(p, q, 2), 12);
        const sp = p.reduce((s, v) => s + v, 0);
        const sq = q.reduce((s, v) => s + v, 0);
        const ps = p.map((v) => v / sp);
        const qs = q.map((v) => v / sq);
        expect(psiFromShares(qs, ps)).toBeCloseTo(psiFromShares(ps, qs), 10);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 50 }),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 50 }),
        (a, b) => {
          const ab = binaryZTest(a, b);
          const ba = binaryZTest(b, a);
          expect(ba.pValue).toBeCloseTo(ab.pValue, 12);
          expect(ba.z).toBeCloseTo(-ab.z, 12);
        },
      ),
    );
  });
});

describe('other invariants', () => {
  it('KS is unchanged by any increasing transformation of the data', () => {
    fc.assert(
      // Values on a grid of 0.01 (with ties) so that f keeps distinct values distinct in floating
      // point.
      fc.property(
        fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 1, maxLength: 40 }),
        (ia, ib) => {
          const a = ia.map((k) => k / 100);
          const b = ib.map((k) => k / 100);
          const f = (x: number): number => Math.exp(x) + x ** 3;
          const plain = ksTest(a, b);
          const moved = ksTest(a.map(f), b.map(f));
          expect(moved.statistic).toBe(plain.statistic);
          expect(moved.pValue).toBe(plain.pValue);
        },
      ),
    );
  });

  it('Wasserstein of equal sizes is the mean gap between order statistics; shifts move it by |c|', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((n) =>
          fc.tuple(
            fc.array(fc.double({ min: -100, max: 100, noNaN: true }), {
              minLength: n,
              maxLength: n,
            }),
            fc.array(fc.double({ min: -100, max: 100, noNaN: true }), {
              minLength: n,
              maxLength: n,
            }),
          ),
        ),
        fc.double({ min: -50, max: 50, noNaN: true }),
        ([a, b], c) => {
          const sa = [...a].sort((x, y) => x - y);
          const sb = [...b].sort((x, y) => x - y);
          const direct = sa.reduce((s, x, i) => s + Math.abs(x - (sb[i] as number)), 0) / a.length;
          expect(wassersteinDistance(a, b)).toBeCloseTo(direct, 8);
          expect(
            wassersteinDistance(
              a,
              a.map((x) => x + c),
            ),
          ).toBeCloseTo(Math.abs(c), 8);
        },
      ),
    );
  });

  it('Jensen–Shannon stays in [0, 1] in base 2', () => {
    fc.assert(
      fc.property(weights(6), weights(6), (p, q) => {
        fc.pre(p.some((v) => v > 0) && q.some((v) => v > 0));
        const d = jensenShannonDistance(p, q, 2);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1 + 1e-12);
      }),
    );
  });
});
