import { describe, expect, it } from 'vitest';
import { createRng, hashString32 } from '@lib/random';

describe('createRng', () => {
  it('gives the same sequence for the same seed and different ones for neighbouring seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    const seqB = Array.from({ length: 5 }, () => b.next());
    const seqC = Array.from({ length: 5 }, () => c.next());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it('pins the first outputs so a change of algorithm cannot pass unnoticed', () => {
    const rng = createRng(1);
    const first = Array.from({ length: 3 }, () => Math.floor(rng.next() * 2 ** 32));
    expect(first).toMatchSnapshot();
  });

  it('draws uniforms in [0, 1) with the right mean and variance', () => {
    const rng = createRng('uniform');
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      sumSq += u * u;
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sumSq / n - mean * mean).toBeCloseTo(1 / 12, 2);
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const rng = createRng(7);
    const n = 50_000;
    const xs = Array.from({ length: n }, () => rng.normal(3, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    expect(mean).toBeGreaterThan(2.95);
    expect(mean).toBeLessThan(3.05);
    expect(sd).toBeGreaterThan(1.95);
    expect(sd).toBeLessThan(2.05);
  });

  it('draws Poisson counts with mean and variance lambda', () => {
    const rng = createRng(11);
    for (const lambda of [0.5, 4, 50]) {
      const n = 40_000;
      const xs = Array.from({ length: n }, () => rng.poisson(lambda));
      const mean = xs.reduce((s, x) => s + x, 0) / n;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
      expect(Math.abs(mean - lambda) / lambda).toBeLessThan(0.03);
      expect(Math.abs(variance - lambda) / lambda).toBeLessThan(0.06);
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    }
  });

  it('draws categories in proportion to their weights', () => {
    const rng = createRng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[rng.categorical([1, 2, 3])]! += 1;
    expect(counts[0]! / 60_000).toBeCloseTo(1 / 6, 2);
    expect(counts[2]! / 60_000).toBeCloseTo(3 / 6, 2);
  });

  it('resumes exactly from a saved state', () => {
    const rng = createRng(99);
    for (let i = 0; i < 10; i++) rng.normal();
    const saved = rng.getState();
    const expected = Array.from({ length: 5 }, () => rng.next());
    const resumed = createRng(99, saved);
    expect(Array.from({ length: 5 }, () => resumed.next())).toEqual(expected);
  });

  it('forks independent streams without advancing the parent', () => {
    const parent = createRng(3);
    const twin = createRng(3);
    const childA = parent.fork('a');
    const childA2 = createRng(3).fork('a');
    const childB = parent.fork('b');
    expect(parent.next()).toBe(twin.next());
    expect(childA.next()).toBe(childA2.next());
    expect(childA.next()).not.toBe(childB.next());
  });

  it('shuffles into a permutation and rejects empty ranges', () => {
    const rng = createRng(8);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(() => rng.int(3, 3)).toThrow(RangeError);
  });

  it('hashes strings with FNV-1a', () => {
    // Reference values of 32-bit FNV-1a: "" -> 0x811c9dc5, "a" -> 0xe40c292c.
    expect(hashString32('')).toBe(0x811c9dc5);
    expect(hashString32('a')).toBe(0xe40c292c);
  });
});
