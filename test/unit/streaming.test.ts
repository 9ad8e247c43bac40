import { describe, expect, it } from 'vitest';
import { isQualityPlay, logistic } from '@lib/business/take-rate';
import {
  engagedProbability,
  generateCatalogue,
  generateMembers,
  matchOf,
  playProbability,
  rankingScore,
  RECOMMENDERS,
  simulateStreaming,
  STREAMING_GENRES,
  type RecommenderRun,
  type StreamingTitle,
} from '@lib/data/streaming';
import { createRng } from '@lib/random';

const playKey = (p: { member: number; title: number }) => `${p.member}/${p.title}`;

function takeRateOf(run: RecommenderRun, rule = { minShareWatched: 0.7 }): number {
  const quality = run.plays.filter((p) => isQualityPlay(p.watchedMinutes, p.runtimeMinutes, rule));
  return quality.length / run.recommendationsSeen;
}
const clickThroughOf = (run: RecommenderRun) => run.plays.length / run.recommendationsSeen;
const minutesOf = (run: RecommenderRun) => run.plays.reduce((sum, p) => sum + p.watchedMinutes, 0);

describe('the teaching model', () => {
  it('matches the formulas in the module header', () => {
    // logistic(−4 + 0.8·0 + 1.0·0) = 1 / (1 + e^4) = 0.0179862…
    expect(playProbability(0, 0)).toBeCloseTo(0.0179862, 6);
    // logistic(−4 + 0.8·2 + 1.0·1) = logistic(−1.4) = 0.1978161…
    expect(playProbability(2, 1)).toBeCloseTo(0.1978161, 6);
    // logistic(0.6 + 1.2·1 − 2.5·0) = logistic(1.8) = 0.8581489…
    expect(engagedProbability(1, 0)).toBeCloseTo(0.8581489, 6);
    // logistic(0.6 + 1.2·1 − 2.5·1) = logistic(−0.7) = 0.3318122…: the hook disappoints.
    expect(engagedProbability(1, 1)).toBeCloseTo(0.3318122, 6);
  });

  it('computes the match as taste for the genre plus half the quality', () => {
    const title: StreamingTitle = {
      index: 0,
      name: 'x',
      genre: 'comedy',
      format: 'film',
      runtimeMinutes: 100,
      quality: 0.8,
      hook: 0,
      popularity: 0,
    };
    const taste = STREAMING_GENRES.map((g) => (g === 'comedy' ? 1.5 : -9));
    // 1.5 + 0.5 · 0.8 = 1.9
    expect(matchOf({ index: 0, taste }, title)).toBeCloseTo(1.9, 12);
  });

  it('ranks by popularity, by predicted quality play or by predicted click', () => {
    const hooky = { popularity: 0.3, hook: 2 } as StreamingTitle;
    const plain = { popularity: 0.1, hook: 0 } as StreamingTitle;
    expect(rankingScore('popularity', hooky, 0)).toBe(0.3);
    // Click model: the play logit −4 + 0.8 · match + 1.0 · hook, so the hook wins at equal match.
    expect(rankingScore('click-model', hooky, 1)).toBeCloseTo(-4 + 0.8 + 2, 12);
    expect(rankingScore('click-model', hooky, 1)).toBeGreaterThan(
      rankingScore('click-model', plain, 1),
    );
    // Quality model: log(P(play) · P(engaged)); at match 1 the hook of 2 costs more than it gains:
    // hooky: logistic(−1.2) · logistic(−3.2) = 0.2315 · 0.0392 ≈ 0.0091;
    // plain: logistic(−3.2) · logistic(1.8) = 0.0392 · 0.8581 ≈ 0.0336.
    const hookyScore = rankingScore('watch-model', hooky, 1);
    expect(hookyScore).toBeCloseTo(Math.log(logistic(-1.2) * logistic(-3.2)), 12);
    expect(rankingScore('watch-model', plain, 1)).toBeGreaterThan(hookyScore);
  });
});

describe('generateCatalogue and generateMembers', () => {
  const titles = generateCatalogue(createRng(5), 2000);

  it('gives runtimes in range and about 40% films', () => {
    for (const t of titles) {
      const [lo, hi] = t.format === 'film' ? [85, 150] : [22, 60];
      expect(Number.isInteger(t.runtimeMinutes)).toBe(true);
      expect(t.runtimeMinutes).toBeGreaterThanOrEqual(lo);
      expect(t.runtimeMinutes).toBeLessThanOrEqual(hi);
      expect(STREAMING_GENRES).toContain(t.genre);
    }
    const films = titles.filter((t) => t.format === 'film').length / titles.length;
    // Binomial(2000, 0.4): sd ≈ 0.011, so ±0.05 is more than 4 sd.
    expect(films).toBeGreaterThan(0.35);
    expect(films).toBeLessThan(0.45);
  });

  it('draws quality and hook independently, each about N(0, 1)', () => {
    const n = titles.length;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const q = titles.map((t) => t.quality);
    const h = titles.map((t) => t.hook);
    expect(Math.abs(mean(q))).toBeLessThan(0.1);
    expect(Math.abs(mean(h))).toBeLessThan(0.1);
    const correlation = mean(q.map((v, i) => v * (h[i] ?? 0))) - mean(q) * mean(h);
    // The correlation of independent N(0, 1) samples has sd 1/√n ≈ 0.022.
    expect(Math.abs(correlation)).toBeLessThan(4 / Math.sqrt(n));
  });

  it('gives popularity as the play probability of an average member', () => {
    const t = titles[0] as StreamingTitle;
    const meanTaste = {
      drama: 0.3,
      comedy: 0.3,
      thriller: 0.2,
      documentary: -0.4,
      animation: -0.2,
      romance: -0.1,
      'sci-fi': 0,
      crime: 0.1,
    }[t.genre];
    expect(t.popularity).toBeCloseTo(playProbability(meanTaste + 0.5 * t.quality, t.hook), 12);
  });

  it('gives each member one taste per genre', () => {
    const members = generateMembers(createRng(2), 3);
    expect(members.map((m) => m.taste.length)).toEqual([8, 8, 8]);
    expect(members.map((m) => m.index)).toEqual([0, 1, 2]);
  });
});

describe('simulateStreaming', () => {
  const members = 1500;
  const sim = simulateStreaming({ seed: 3, members }, RECOMMENDERS);
  const run = (id: (typeof RECOMMENDERS)[number]) =>
    sim.runs.find((r) => r.recommender === id) as RecommenderRun;

  it('is deterministic in the seed and keeps the first members when more are added', () => {
    const again = simulateStreaming({ seed: 3, members }, RECOMMENDERS);
    expect(again).toEqual(sim);
    const other = simulateStreaming({ seed: 4, members }, RECOMMENDERS);
    expect(other.runs[1]?.plays).not.toEqual(sim.runs[1]?.plays);
    const fewer = simulateStreaming({ seed: 3, members: 200 }, RECOMMENDERS);
    for (const [index, r] of fewer.runs.entries()) {
      const prefix = sim.runs[index]?.plays.filter((p) => p.member < 200);
      expect(r.plays).toEqual(prefix);
    }
  });

  it('shows rows × titles per member and counts them as seen', () => {
    for (const r of sim.runs) {
      expect(r.recommendationsSeen).toBe(members * 4 * 10);
      expect(r.firstMemberPage).toHaveLength(4);
      const flat = r.firstMemberPage.flat();
      expect(flat).toHaveLength(40);
      expect(new Set(flat).size).toBe(40);
    }
  });

  it('shows the most popular titles to everyone, in order', () => {
    const byPopularity = [...sim.titles].sort((a, b) => b.popularity - a.popularity);
    expect(run('popularity').firstMemberPage.flat()).toEqual(
      byPopularity.slice(0, 40).map((t) => t.index),
    );
  });

  it('records plays that fit the runtime and the page', () => {
    for (const r of sim.runs) {
      for (const p of r.plays) {
        expect(p.watchedMinutes).toBeGreaterThanOrEqual(0.5);
        expect(p.watchedMinutes).toBeLessThanOrEqual(p.runtimeMinutes);
        expect(p.runtimeMinutes).toBe(sim.titles[p.title]?.runtimeMinutes);
        expect(Math.round(p.watchedMinutes * 10)).toBeCloseTo(p.watchedMinutes * 10, 9);
        expect(p.row).toBeLessThan(4);
        expect(p.position).toBeLessThan(10);
      }
      // One play at most per member and title.
      expect(new Set(r.plays.map(playKey)).size).toBe(r.plays.length);
    }
  });

  it('plays as often as the play model says (popularity page, expected count ± 4 sd)', () => {
    // Recomputed independently: the same forks of the seed give the same members and titles.
    const world = createRng(3);
    const titles = generateCatalogue(world.fork('catalogue'), 240);
    const people = generateMembers(world.fork('members'), members);
    const page = run('popularity').firstMemberPage.flat();
    let expected = 0;
    let variance = 0;
    for (const m of people) {
      for (const t of page) {
        const title = titles[t] as StreamingTitle;
        const p = playProbability(matchOf(m, title), title.hook);
        expected += p;
        variance += p * (1 - p);
      }
    }
    expect(Math.abs(run('popularity').plays.length - expected)).toBeLessThan(
      4 * Math.sqrt(variance),
    );
  });

  it('gives a member the same fate with a title under every recommender', () => {
    const byKey = new Map(run('watch-model').plays.map((p) => [playKey(p), p.watchedMinutes]));
    let shared = 0;
    for (const p of run('click-model').plays) {
      const minutes = byKey.get(playKey(p));
      if (minutes !== undefined) {
        shared++;
        expect(p.watchedMinutes).toBe(minutes);
      }
    }
    expect(shared).toBeGreaterThan(100);
    // And a run does not depend on which other recommenders were simulated with it.
    const alone = simulateStreaming({ seed: 3, members }, ['click-model']);
    expect(alone.runs[0]?.plays).toEqual(run('click-model').plays);
  });

  it('tells the clickbait story: most clicks for the click model, most quality for the other', () => {
    for (const seed of [1, 2, 3]) {
      const s = seed === 3 ? sim : simulateStreaming({ seed, members }, RECOMMENDERS);
      const [pop, watch, click] = s.runs as [RecommenderRun, RecommenderRun, RecommenderRun];
      expect(clickThroughOf(click)).toBeGreaterThan(clickThroughOf(pop));
      expect(clickThroughOf(pop)).toBeGreaterThan(clickThroughOf(watch));
      expect(takeRateOf(watch)).toBeGreaterThan(takeRateOf(click));
      expect(takeRateOf(click)).toBeGreaterThan(takeRateOf(pop));
      expect(minutesOf(watch)).toBeGreaterThan(minutesOf(click));
      // A 2-minute alternative counts abandoned plays, and the click model wins again.
      const lenient = { minShareWatched: 0.7, minMinutesWatched: 2 };
      expect(takeRateOf(click, lenient)).toBeGreaterThan(takeRateOf(watch, lenient));
    }
  });

  it('gives plausible magnitudes (take-rates of a few percent)', () => {
    expect(takeRateOf(run('watch-model'))).toBeGreaterThan(0.03);
    expect(takeRateOf(run('watch-model'))).toBeLessThan(0.06);
    expect(clickThroughOf(run('click-model'))).toBeLessThan(0.2);
  });

  it('rejects bad options', () => {
    expect(() => simulateStreaming({ seed: -1, members: 10 }, RECOMMENDERS)).toThrow(RangeError);
    expect(() => simulateStreaming({ seed: 1, members: 0 }, RECOMMENDERS)).toThrow(RangeError);
    expect(() => simulateStreaming({ seed: 1, members: 1.5 }, RECOMMENDERS)).toThrow(RangeError);
    expect(() => simulateStreaming({ seed: 1, members: 20_001 }, RECOMMENDERS)).toThrow(RangeError);
    expect(() => simulateStreaming({ seed: 1, members: 10, titles: 39 }, RECOMMENDERS)).toThrow(
      RangeError,
    );
  });

  it('reports its cost (the sandbox runs it in a worker: far above 30 ms)', () => {
    simulateStreaming({ seed: 9, members: 2000 }, RECOMMENDERS);
    const started = performance.now();
    simulateStreaming({ seed: 10, members: 2000 }, RECOMMENDERS);
    const ms = performance.now() - started;
    console.info(`simulateStreaming: 2,000 members × 3 recommenders in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
  });
});
