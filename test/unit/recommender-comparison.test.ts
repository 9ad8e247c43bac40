import { describe, expect, it } from 'vitest';
import {
  compareRecommenders,
  minutesBin,
  summariseRun,
} from '@lib/business/recommender-comparison';
import { streamingOutcomes } from '@lib/business/take-rate';
import type { RecommenderRun, StreamingSimulation } from '@lib/data/streaming';

const play = (watchedMinutes: number, runtimeMinutes: number, title = 0) => ({
  member: 0,
  title,
  row: 0,
  position: 0,
  watchedMinutes,
  runtimeMinutes,
});

/** 100 recommendations seen, 5 plays: one past 70%, the others stopped early or halfway. */
const popularRun: RecommenderRun = {
  recommender: 'popularity',
  recommendationsSeen: 100,
  plays: [play(90, 100), play(3, 120), play(50, 100), play(12, 24), play(1.5, 45)],
  firstMemberPage: [],
};
/** 100 seen, 3 plays, all watched to 90%. */
const watchRun: RecommenderRun = {
  recommender: 'watch-model',
  recommendationsSeen: 100,
  plays: [play(90, 100), play(90, 100, 1), play(90, 100, 2)],
  firstMemberPage: [],
};
const simulation: StreamingSimulation = {
  seed: 0,
  members: 10,
  rowsPerPage: 4,
  titlesPerRow: 10,
  titles: [],
  runs: [popularRun, watchRun],
};
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

describe('minutesBin', () => {
  it('puts minutes in [0, 2), [2, 5), [5, 10), [10, 20), [20, 40), [40, ∞)', () => {
    expect([0, 1.99, 2, 4.9, 5, 10, 39.9, 40, 500].map(minutesBin)).toEqual([
      0, 0, 1, 1, 2, 3, 4, 5, 5,
    ]);
  });
});

describe('summariseRun', () => {
  it('counts plays, quality plays and minutes by hand', () => {
    const s = summariseRun(popularRun, 10, { minShareWatched: 0.7 }, 1_000_000);
    expect(s.plays).toBe(5);
    // Only 90 of 100 minutes reaches 70%.
    expect(s.qualityPlays).toBe(1);
    expect(s.clickThroughRate).toBe(0.05);
    expect(s.takeRate).toBe(0.01);
    // (90 + 3 + 50 + 12 + 1.5) / 10 members = 15.65 minutes.
    expect(s.minutesWatchedPerMember).toBeCloseTo(15.65, 12);
    expect(s.shareOfPlaysNotQuality).toBe(0.8);
    // 1.5 | 3 | – | 12 | – | 90, 50
    expect(s.playsByMinutesWatched).toEqual([1, 1, 0, 1, 0, 2]);
    // Link model at 1%: 8 + 1.5 · 300 · 0.01 = 12.5 hours; logistic(−2.5 − 20 · 0.01) = logistic(−2.7).
    expect(s.outcomes.hoursPerMemberPerMonth).toBeCloseTo(12.5, 12);
    expect(s.outcomes.monthlyCancellationRate).toBeCloseTo(0.0629734, 6);
    expect(s.outcomes).toEqual(streamingOutcomes(0.01, 1_000_000));
  });

  it('counts every play past the minutes alternative too', () => {
    const s = summariseRun(popularRun, 10, { minShareWatched: 0.7, minMinutesWatched: 2 }, 1);
    // 90, 3, 50 and 12 minutes pass; 1.5 does not.
    expect(s.qualityPlays).toBe(4);
    expect(s.takeRate).toBe(0.04);
  });
});

describe('compareRecommenders', () => {
  it('judges a switch by clicks, by take-rate and by subscribers kept', () => {
    const members = 1_000_000;
    const c = compareRecommenders(
      simulation,
      { minShareWatched: 0.7 },
      members,
      'popularity',
      'watch-model',
    );
    expect(c.current.recommender).toBe('popularity');
    expect(c.candidate.recommender).toBe('watch-model');
    // Click-through 5% against 3%; take-rate 1% against 3%.
    expect(c.clickThroughLeader).toBe('current');
    expect(c.takeRateLeader).toBe('candidate');
    expect(c.rankingsDisagree).toBe(true);
    // Minutes per member: 15.65 against 270 / 10 = 27.
    expect(c.watchTimeLeader).toBe('candidate');
    // Cancellations: logistic(−2.7) − logistic(−3.1) of a million members ≈ 19,866 kept.
    expect(c.subscribersKeptPerMonth).toBeCloseTo(members * (logistic(-2.7) - logistic(-3.1)), 4);
    expect(Math.round(c.subscribersKeptPerMonth)).toBe(19_866);
    // Hours: 1.5 · 300 · (0.03 − 0.01) = 9 more hours per member per month.
    expect(c.extraStreamingHoursPerMonth).toBeCloseTo(9 * members, 4);
    expect(c.best).toEqual({
      clickThrough: 'popularity',
      takeRate: 'watch-model',
      watchTime: 'watch-model',
    });
  });

  it('calls a switch to the same recommender a tie', () => {
    const c = compareRecommenders(
      simulation,
      { minShareWatched: 0.7 },
      5,
      'popularity',
      'popularity',
    );
    expect([c.clickThroughLeader, c.takeRateLeader, c.watchTimeLeader]).toEqual([
      'tie',
      'tie',
      'tie',
    ]);
    expect(c.rankingsDisagree).toBe(false);
    expect(c.subscribersKeptPerMonth).toBe(0);
  });

  it('refuses a recommender that was not simulated', () => {
    expect(() =>
      compareRecommenders(simulation, { minShareWatched: 0.7 }, 5, 'popularity', 'click-model'),
    ).toThrow(RangeError);
  });
});
