/**
 * Exact percentiles by selection (src/lib/scaling/percentiles.ts) and the fast reader of
 * random.ts streams (src/lib/scaling/uniform-stream.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '@lib/random';
import {
  nearestRankIndex,
  percentiles,
  percentilesInPlace,
  percentilesOfNonNegative,
  selectInPlace,
} from '@lib/scaling/percentiles';
import { UniformStream } from '@lib/scaling/uniform-stream';

describe('nearest-rank percentiles', () => {
  it('uses rank ⌈p·n⌉ (1-based)', () => {
    expect(nearestRankIndex(100, 0.95)).toBe(94); // the 95th smallest value
    expect(nearestRankIndex(100, 0.99)).toBe(98);
    expect(nearestRankIndex(10, 0.5)).toBe(4);
    expect(nearestRankIndex(3, 0.5)).toBe(1);
    expect(nearestRankIndex(1, 0.99)).toBe(0);
    expect(nearestRankIndex(7, 1)).toBe(6);
  });

  it('gives the hand-worked percentiles of 1 … 100', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values, [0.5, 0.95, 0.99])).toEqual([50, 95, 99]);
  });

  it('agrees with sorting on random samples with ties (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 3000 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (ints, p) => {
          const sorted = [...ints].sort((a, b) => a - b);
          const expected = sorted[nearestRankIndex(ints.length, p)];
          const values = Float64Array.from(ints);
          const k = nearestRankIndex(ints.length, p);
          expect(selectInPlace(values, k)).toBe(expected);
          // Partitioned around k.
          for (let i = 0; i < k; i++) expect(values[i]).toBeLessThanOrEqual(expected as number);
          for (let i = k + 1; i < values.length; i++)
            expect(values[i]).toBeGreaterThanOrEqual(expected as number);
        },
      ),
      { seed: 11, numRuns: 150 },
    );
  });

  it('selects several percentiles in a sub-range of a large Float32Array', () => {
    const rng = createRng(3);
    const values = new Float32Array(50_000);
    for (let i = 0; i < values.length; i++) values[i] = rng.next();
    const from = 1_000;
    const to = 41_000;
    const copy = Array.from(values.subarray(from, to)).sort((a, b) => a - b);
    const got = percentilesInPlace(values, [0.5, 0.95, 0.99], from, to);
    expect(got).toEqual([
      copy[nearestRankIndex(copy.length, 0.5)],
      copy[nearestRankIndex(copy.length, 0.95)],
      copy[nearestRankIndex(copy.length, 0.99)],
    ]);
    expect(percentilesInPlace(values, [0.5], 5, 5)).toEqual([NaN]);
  });
});

describe('percentiles of non-negative float32 values by histogram of their bits', () => {
  it('agrees with sorting, ties and zeros included, and leaves the values unchanged (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constant(0),
            fc.float({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
            fc.integer({ min: 0, max: 5 }),
          ),
          { minLength: 1, maxLength: 2000 },
        ),
        (xs) => {
          const values = Float32Array.from(xs.map((x) => Math.abs(x)));
          const before = Array.from(values);
          const sorted = Array.from(values).sort((a, b) => a - b);
          const fractions = [0.5, 0.95, 0.99];
          const expected = fractions.map((p) => sorted[nearestRankIndex(values.length, p)]);
          expect(percentilesOfNonNegative(values, fractions)).toEqual(expected);
          expect(Array.from(values)).toEqual(before);
        },
      ),
      { seed: 12, numRuns: 200 },
    );
  });

  it('works on a sub-range and falls back to selection for negative values', () => {
    const rng = createRng(8);
    const values = new Float32Array(200_000);
    for (let i = 0; i < values.length; i++) values[i] = rng.next() * rng.next() * 100;
    const sorted = Array.from(values.subarray(10, 150_010)).sort((a, b) => a - b);
    const fractions = [0.5, 0.95, 0.99, 0.999];
    expect(percentilesOfNonNegative(values, fractions, 10, 150_010)).toEqual(
      fractions.map((p) => sorted[nearestRankIndex(sorted.length, p)]),
    );
    const mixed = Float32Array.from([-3, 2, -1, 5, 0]);
    expect(percentilesOfNonNegative(mixed, [0.5, 1])).toEqual([0, 5]);
  });
});

describe('UniformStream', () => {
  it('reproduces random.ts’s fork stream exactly, across block boundaries', () => {
    const rng = createRng(42);
    const stream = new UniformStream(rng, 'x');
    const reference = rng.fork('x');
    for (let i = 0; i < 10_000; i++) expect(stream.next()).toBe(reference.next());
    const normals = new UniformStream(rng, 'y');
    const refNormals = rng.fork('y');
    for (let i = 0; i < 3_000; i++) expect(normals.normal()).toBe(refNormals.normal());
  });

  it('does not advance the parent, and different labels give different streams', () => {
    const rng = createRng('seed');
    const before = rng.getState();
    const a = new UniformStream(rng, 'a');
    const b = new UniformStream(rng, 'b');
    expect(rng.getState()).toEqual(before);
    expect(a.next()).not.toBe(b.next());
    const e = new UniformStream(rng, 'e');
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += e.exponential();
    expect(sum / 20_000).toBeGreaterThan(0.97);
    expect(sum / 20_000).toBeLessThan(1.03);
  });
});
