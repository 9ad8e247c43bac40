/**
 * Recommenders judged twice: by an ML metric (click-through, plays ÷ recommendations seen) and
 * by the company's own metric (take-rate, quality plays ÷ recommendations seen), and the
 * take-rate carried on to streaming hours and cancellations with the link model of
 * `take-rate.ts`. It answers the question behind Netflix's take-rate: does the recommender that
 * gets the most clicks keep the most subscribers?
 */
import type { RecommenderId, RecommenderRun, StreamingSimulation } from '../data/streaming';
import {
  isQualityPlay,
  streamingOutcomes,
  takeRate,
  type QualityPlayRule,
  type StreamingOutcomes,
} from './take-rate';

/**
 * Lower edges of the minutes-watched bins, in minutes: [0, 2), [2, 5), [5, 10), [10, 20),
 * [20, 40), [40, ∞). Abandoned plays fill the first bins; plays that drew the member in, the last.
 */
export const MINUTES_BIN_EDGES = [0, 2, 5, 10, 20, 40] as const;

/** One recommender's numbers. */
export interface RecommenderSummary {
  recommender: RecommenderId;
  /** Recommendations shown (and seen) on the home pages. */
  recommendationsSeen: number;
  /** Plays started from those recommendations. */
  plays: number;
  /** Plays that pass the quality-play rule. */
  qualityPlays: number;
  /** plays ÷ recommendationsSeen: the ML metric a click model is trained on. */
  clickThroughRate: number;
  /** qualityPlays ÷ recommendationsSeen: the company's own metric. */
  takeRate: number;
  /** Σ watchedMinutes ÷ members: minutes actually watched from one home page, per member. */
  minutesWatchedPerMember: number;
  /** Share of plays (0–1) that did not pass the rule. */
  shareOfPlaysNotQuality: number;
  /** Plays per minutes-watched bin, by {@link MINUTES_BIN_EDGES}. */
  playsByMinutesWatched: number[];
  /** What the link model predicts at this take-rate for the member base (see take-rate.ts). */
  outcomes: StreamingOutcomes;
}

/** Which of two recommenders a metric prefers. */
export type Leader = 'current' | 'candidate' | 'tie';

/** All recommenders of a simulation judged, and a switch from one to another. */
export interface RecommenderComparison {
  /** One summary per run of the simulation, in its order. */
  summaries: RecommenderSummary[];
  current: RecommenderSummary;
  candidate: RecommenderSummary;
  /** Member base the outcomes are computed for. */
  memberBase: number;
  /**
   * Subscribers kept per month by switching from current to candidate:
   * cancellationsPerMonth(current) − cancellationsPerMonth(candidate), by the link model.
   */
  subscribersKeptPerMonth: number;
  /** Streaming hours per month gained by the switch over the whole member base (link model). */
  extraStreamingHoursPerMonth: number;
  /** Which of the two each metric prefers (higher is better for all three). */
  clickThroughLeader: Leader;
  takeRateLeader: Leader;
  watchTimeLeader: Leader;
  /** true when click-through and take-rate prefer different recommenders of the two. */
  rankingsDisagree: boolean;
  /** The best recommender of the simulation by each metric (first in run order on ties). */
  best: { clickThrough: RecommenderId; takeRate: RecommenderId; watchTime: RecommenderId };
}

/** The bin of {@link MINUTES_BIN_EDGES} that a number of minutes falls in. */
export function minutesBin(minutes: number): number {
  let bin = 0;
  for (let i = 1; i < MINUTES_BIN_EDGES.length; i++) {
    if (minutes >= (MINUTES_BIN_EDGES[i] ?? Infinity)) bin = i;
  }
  return bin;
}

/**
 * One run's numbers under a quality-play rule: counts, click-through = plays ÷ seen, take-rate
 * = quality plays ÷ seen, minutes watched per member, and streamingOutcomes(takeRate,
 * memberBase) with the link model's defaults.
 */
export function summariseRun(
  run: RecommenderRun,
  members: number,
  rule: Readonly<QualityPlayRule>,
  memberBase: number,
): RecommenderSummary {
  let qualityPlays = 0;
  let minutes = 0;
  const playsByMinutesWatched = MINUTES_BIN_EDGES.map(() => 0);
  for (const play of run.plays) {
    if (isQualityPlay(play.watchedMinutes, play.runtimeMinutes, rule)) qualityPlays++;
    minutes += play.watchedMinutes;
    playsByMinutesWatched[minutesBin(play.watchedMinutes)]! += 1;
  }
  const plays = run.plays.length;
  const rate = takeRate(qualityPlays, run.recommendationsSeen);
  return {
    recommender: run.recommender,
    recommendationsSeen: run.recommendationsSeen,
    plays,
    qualityPlays,
    clickThroughRate: takeRate(plays, run.recommendationsSeen),
    takeRate: rate,
    minutesWatchedPerMember: members > 0 ? minutes / members : 0,
    shareOfPlaysNotQuality: plays > 0 ? (plays - qualityPlays) / plays : 0,
    playsByMinutesWatched,
    outcomes: streamingOutcomes(rate, memberBase),
  };
}

function leaderOf(current: number, candidate: number): Leader {
  if (current === candidate) return 'tie';
  return candidate > current ? 'candidate' : 'current';
}

function bestBy(
  summaries: readonly RecommenderSummary[],
  value: (s: RecommenderSummary) => number,
): RecommenderId {
  let best = summaries[0] as RecommenderSummary;
  for (const summary of summaries) if (value(summary) > value(best)) best = summary;
  return best.recommender;
}

/**
 * Judges every run of a simulation under one quality-play rule (see {@link summariseRun}) and
 * the switch from `current` to `candidate`: subscribers kept and hours gained per month for the
 * member base by the link model, and which of the two click-through, take-rate and minutes
 * watched prefer. Throws a RangeError when either recommender was not simulated or the member
 * base is not a finite number ≥ 0.
 */
export function compareRecommenders(
  simulation: StreamingSimulation,
  rule: Readonly<QualityPlayRule>,
  memberBase: number,
  current: RecommenderId,
  candidate: RecommenderId,
): RecommenderComparison {
  const summaries = simulation.runs.map((run) =>
    summariseRun(run, simulation.members, rule, memberBase),
  );
  const find = (id: RecommenderId): RecommenderSummary => {
    const found = summaries.find((s) => s.recommender === id);
    if (!found) throw new RangeError(`recommender ${id} was not simulated`);
    return found;
  };
  const a = find(current);
  const b = find(candidate);
  const clickThroughLeader = leaderOf(a.clickThroughRate, b.clickThroughRate);
  const takeRateLeader = leaderOf(a.takeRate, b.takeRate);
  return {
    summaries,
    current: a,
    candidate: b,
    memberBase,
    subscribersKeptPerMonth: a.outcomes.cancellationsPerMonth - b.outcomes.cancellationsPerMonth,
    extraStreamingHoursPerMonth: b.outcomes.totalHoursPerMonth - a.outcomes.totalHoursPerMonth,
    clickThroughLeader,
    takeRateLeader,
    watchTimeLeader: leaderOf(a.minutesWatchedPerMember, b.minutesWatchedPerMember),
    rankingsDisagree:
      clickThroughLeader !== takeRateLeader &&
      clickThroughLeader !== 'tie' &&
      takeRateLeader !== 'tie',
    best: {
      clickThrough: bestBy(summaries, (s) => s.clickThroughRate),
      takeRate: bestBy(summaries, (s) => s.takeRate),
      watchTime: bestBy(summaries, (s) => s.minutesWatchedPerMember),
    },
  };
}
