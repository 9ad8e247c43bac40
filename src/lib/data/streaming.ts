/**
 * A seeded streaming service, for the take-rate lesson: members, a catalogue of titles, a home
 * page of recommendations for each member (rows of titles) and the plays that follow, with the
 * minutes watched of each play against the title's runtime.
 *
 * The story, and every assumption in it (course assumptions, not any company's data):
 *
 * - Titles. Each title has a genre (8 genres, some more common than others), a format (40%
 *   films of 85–150 minutes, 60% series episodes of 22–60 minutes), a quality q ~ N(0, 1) (how
 *   much people enjoy it once they watch) and a hook h ~ N(0, 1) (how much its artwork and name
 *   make people press play), drawn independently: an enticing thumbnail says nothing about the
 *   show behind it.
 * - Members. Each member has a taste for every genre, taste[g] ~ N(meanTaste[g], 1), where
 *   drama and comedy have the highest mean and documentaries the lowest.
 * - Match. How much member m will enjoy title t: match = taste_m[genre_t] + 0.5 · q_t.
 * - Plays. A member sees every title on the home page (R rows of K titles; seen = R · K) and
 *   decides about each one independently:
 *     P(play | seen)       = logistic(−4 + 0.8 · match + 1.0 · hook)
 *   The hook draws plays whatever the match.
 * - Watching. A member who presses play is drawn in with
 *     P(engaged | play)    = logistic(0.6 + 1.2 · match − 2.5 · hook)
 *   The match keeps people watching; the hook works against it, because artwork that promised
 *   more than the title delivers disappoints (the clickbait effect). An engaged member watches
 *   a share 1 − 0.6 · U² of the runtime (U uniform: between 40% and 100%, median 85%; some stop
 *   before the end credits, some lose interest halfway). A member who is not drawn in abandons
 *   after Exp(mean 4) minutes, at least half a minute and at most half the runtime. Minutes
 *   watched are rounded to a tenth of a minute.
 *
 * The recommenders each fill the home page with the R · K titles they score highest:
 * - `popularity`: the same page for everyone, ranked by how often an average member plays a
 *   title (its play probability at the genre's mean taste): the most-played titles;
 * - `watch-model`: a personalised model that estimates each member's match with error,
 *   estimatedMatch = match + N(0, 0.6²), and, knowing the play and engagement models above,
 *   ranks by the predicted chance of a play that draws the member in,
 *   P(play) · P(engaged | play): it is trained on quality plays;
 * - `click-model`: the same personalised model trained on clicks: it ranks by the predicted
 *   P(play) alone, so it learns that hooks get plays. Its click-through is the highest, but many
 *   of its plays are abandoned within minutes.
 *
 * Randomness. The catalogue and the members come from their own forks of the seed. Then, for
 * each member in turn and each title in catalogue order, five draws from one outcome stream (the
 * model's estimation error, and the uniforms of the play, engagement and watching decisions),
 * whether or not the title is shown. So the same member meets the same fate with the same title
 * under every recommender (common random numbers: differences between recommenders are not
 * noise from different draws), and the first n members are the same whatever the member count.
 *
 * Cost: 5 draws per member and title, and a top-(R · K) selection over the catalogue per member
 * and personalised recommender: about 140 ms in Node for 2,000 members and all three
 * recommenders, so the sandbox runs it in a worker.
 */
import { logistic } from '../business/take-rate';
import { createRng, type Rng } from '../random';

/** The genres of the catalogue. */
export const STREAMING_GENRES = [
  'drama',
  'comedy',
  'thriller',
  'documentary',
  'animation',
  'romance',
  'sci-fi',
  'crime',
] as const;
/** One of {@link STREAMING_GENRES}. */
export type StreamingGenre = (typeof STREAMING_GENRES)[number];

/** Share of the catalogue in each genre, in the order of {@link STREAMING_GENRES}. */
const GENRE_SHARES = [0.2, 0.18, 0.14, 0.1, 0.1, 0.1, 0.08, 0.1] as const;
/** Mean taste of members for each genre, in the order of {@link STREAMING_GENRES}. */
const GENRE_MEAN_TASTE = [0.3, 0.3, 0.2, -0.4, -0.2, -0.1, 0, 0.1] as const;

/** The recommenders a home page can come from. */
export const RECOMMENDERS = ['popularity', 'watch-model', 'click-model'] as const;
/** One of {@link RECOMMENDERS}. */
export type RecommenderId = (typeof RECOMMENDERS)[number];

/** Plain names of the recommenders, for people. */
export const RECOMMENDER_LABELS: Readonly<Record<RecommenderId, string>> = {
  popularity: 'Most popular titles',
  'watch-model': 'Personalised, trained on quality plays',
  'click-model': 'Personalised, trained on clicks',
};

/** The numbers of the teaching model in the module header (course assumptions). */
export const STREAMING_MODEL = {
  /** Weight of a title's quality in a member's match. */
  qualityInMatch: 0.5,
  /** Play logit: intercept, weight of the match and weight of the hook. */
  playIntercept: -4,
  playMatchWeight: 0.8,
  playHookWeight: 1,
  /** Engagement logit (a play that draws the member in): intercept, weights of match and hook. */
  engagedIntercept: 0.6,
  engagedMatchWeight: 1.2,
  engagedHookWeight: -2.5,
  /** An engaged member watches 1 − engagedShareSpread · U² of the runtime. */
  engagedShareSpread: 0.6,
  /** Mean minutes before a member who is not drawn in gives up (exponential). */
  abandonMeanMinutes: 4,
  /** Standard deviation of the personalised model's error on the match. */
  estimateErrorSd: 0.6,
  /** Film and episode runtimes in minutes, inclusive ranges, and the share of films. */
  filmMinutes: [85, 150] as const,
  episodeMinutes: [22, 60] as const,
  filmShare: 0.4,
} as const;

/** Default size of the world: catalogue size and home-page layout. */
export const STREAMING_DEFAULTS = {
  /** Titles in the catalogue. */
  titles: 240,
  /** Rows on a home page. */
  rowsPerPage: 4,
  /** Titles in a row (all of them seen). */
  titlesPerRow: 10,
} as const;

/** Most members one simulation may have (keeps a run well under a second). */
export const MAX_STREAMING_MEMBERS = 20_000;

/** One title of the catalogue. */
export interface StreamingTitle {
  /** Position in the catalogue, 0-based. */
  index: number;
  /** A made-up name. */
  name: string;
  genre: StreamingGenre;
  format: 'film' | 'episode';
  /** Runtime in whole minutes. */
  runtimeMinutes: number;
  /** How much people enjoy it once they watch, ~ N(0, 1). */
  quality: number;
  /** How much its artwork and name draw a play, ~ N(0, 1), independent of quality. */
  hook: number;
  /** Play probability of an average member who sees it (what the popularity ranking uses). */
  popularity: number;
}

/** One member: a taste per genre, in the order of {@link STREAMING_GENRES}. */
export interface StreamingMember {
  index: number;
  taste: readonly number[];
}

/** One play of a recommended title. */
export interface StreamingPlay {
  /** The member's index. */
  member: number;
  /** The title's index in the catalogue. */
  title: number;
  /** Row of the home page (0 = top) and position in the row (0 = left). */
  row: number;
  position: number;
  /** Minutes watched, to a tenth of a minute; ≤ runtimeMinutes. */
  watchedMinutes: number;
  runtimeMinutes: number;
}

/** What one recommender's home pages led to. */
export interface RecommenderRun {
  recommender: RecommenderId;
  /** members · rowsPerPage · titlesPerRow. */
  recommendationsSeen: number;
  /** Every play, member by member, in page order. */
  plays: StreamingPlay[];
  /** The first member's home page: title indices, row by row. */
  firstMemberPage: number[][];
}

/** Options of {@link simulateStreaming}. */
export interface StreamingOptions {
  /** Seed of the whole world: catalogue, members and outcomes. */
  seed: number;
  /** Members simulated, an integer from 1 to {@link MAX_STREAMING_MEMBERS}. */
  members: number;
  /** Titles in the catalogue (default 240); at least rowsPerPage · titlesPerRow. */
  titles?: number;
  rowsPerPage?: number;
  titlesPerRow?: number;
}

/** A simulated month of home pages: the catalogue and one run per recommender asked for. */
export interface StreamingSimulation {
  seed: number;
  members: number;
  rowsPerPage: number;
  titlesPerRow: number;
  titles: StreamingTitle[];
  runs: RecommenderRun[];
}

const NAME_FIRST = [
  'Silent',
  'Broken',
  'Golden',
  'Last',
  'Hidden',
  'Midnight',
  'Northern',
  'Paper',
  'Crimson',
  'Quiet',
  'Electric',
  'Lost',
  'Wild',
  'Glass',
  'Distant',
  'Burning',
] as const;
const NAME_SECOND = [
  'Harbour',
  'Signal',
  'Orchard',
  'Frontier',
  'Kingdom',
  'Letters',
  'Tides',
  'Circuit',
  'Garden',
  'Witness',
  'Summer',
  'Engine',
  'Island',
  'Verdict',
  'Echoes',
  'Station',
] as const;

/** The play logit of the teaching model: −4 + 0.8 · match + 1.0 · hook. */
export function playLogit(match: number, hook: number): number {
  const m = STREAMING_MODEL;
  return m.playIntercept + m.playMatchWeight * match + m.playHookWeight * hook;
}

/** P(play | seen) = logistic(−4 + 0.8 · match + 1.0 · hook). */
export function playProbability(match: number, hook: number): number {
  return logistic(playLogit(match, hook));
}

/** P(engaged | play) = logistic(0.6 + 1.2 · match − 2.5 · hook): over-promising artwork disappoints. */
export function engagedProbability(match: number, hook: number): number {
  const m = STREAMING_MODEL;
  return logistic(m.engagedIntercept + m.engagedMatchWeight * match + m.engagedHookWeight * hook);
}

/** A member's match with a title: taste[genre] + 0.5 · quality. */
export function matchOf(member: StreamingMember, title: StreamingTitle): number {
  const g = STREAMING_GENRES.indexOf(title.genre);
  return (member.taste[g] ?? 0) + STREAMING_MODEL.qualityInMatch * title.quality;
}

/**
 * The catalogue: `count` titles with genre (by GENRE_SHARES), format, runtime, quality and hook
 * as in the module header, a made-up name, and popularity = playProbability at the genre's mean
 * taste: match = meanTaste[genre] + 0.5 · quality.
 */
export function generateCatalogue(rng: Rng, count: number): StreamingTitle[] {
  const m = STREAMING_MODEL;
  const titles: StreamingTitle[] = [];
  for (let index = 0; index < count; index++) {
    const g = rng.categorical(GENRE_SHARES);
    const film = rng.bernoulli(m.filmShare);
    const [lo, hi] = film ? m.filmMinutes : m.episodeMinutes;
    const runtimeMinutes = rng.int(lo, hi + 1);
    const quality = rng.normal();
    const hook = rng.normal();
    const name = `${NAME_FIRST[rng.int(0, NAME_FIRST.length)]} ${NAME_SECOND[rng.int(0, NAME_SECOND.length)]}`;
    const meanMatch = (GENRE_MEAN_TASTE[g] ?? 0) + m.qualityInMatch * quality;
    titles.push({
      index,
      name,
      genre: STREAMING_GENRES[g] as StreamingGenre,
      format: film ? 'film' : 'episode',
      runtimeMinutes,
      quality,
      hook,
      popularity: playProbability(meanMatch, hook),
    });
  }
  return titles;
}

/** `count` members, each with taste[g] ~ N(meanTaste[g], 1) for every genre. */
export function generateMembers(rng: Rng, count: number): StreamingMember[] {
  const members: StreamingMember[] = [];
  for (let index = 0; index < count; index++) {
    members.push({ index, taste: GENRE_MEAN_TASTE.map((mean) => rng.normal(mean, 1)) });
  }
  return members;
}

/**
 * The score a recommender ranks a title by for one member: popularity for `popularity`; for
 * `watch-model`, log(P(play) · P(engaged | play)) at the estimated match; for `click-model`,
 * the play logit at the estimated match (same order as P(play)).
 */
export function rankingScore(
  recommender: RecommenderId,
  title: StreamingTitle,
  estimatedMatch: number,
): number {
  if (recommender === 'popularity') return title.popularity;
  const play = playLogit(estimatedMatch, title.hook);
  if (recommender === 'click-model') return play;
  return Math.log(logistic(play) * engagedProbability(estimatedMatch, title.hook));
}

/**
 * Indices of the `k` highest scores, highest first (ties: lower index first). Keeps a sorted
 * list of the best k seen so far, so most scores cost one comparison.
 */
function topK(scores: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] ?? -Infinity;
    if (best.length === k && score <= (scores[best[k - 1] ?? 0] ?? -Infinity)) continue;
    let at = best.length;
    while (at > 0 && score > (scores[best[at - 1] ?? 0] ?? -Infinity)) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

function checkOptions(options: StreamingOptions): Required<StreamingOptions> {
  const full = { ...STREAMING_DEFAULTS, ...options };
  const wholeAtLeastOne = (value: number) => Number.isInteger(value) && value >= 1;
  if (!(Number.isInteger(full.seed) && full.seed >= 0)) {
    throw new RangeError('seed must be a whole number ≥ 0');
  }
  if (!(wholeAtLeastOne(full.members) && full.members <= MAX_STREAMING_MEMBERS)) {
    throw new RangeError(`members must be a whole number from 1 to ${MAX_STREAMING_MEMBERS}`);
  }
  if (!(wholeAtLeastOne(full.rowsPerPage) && wholeAtLeastOne(full.titlesPerRow))) {
    throw new RangeError('rowsPerPage and titlesPerRow must be whole numbers ≥ 1');
  }
  if (!(Number.isInteger(full.titles) && full.titles >= full.rowsPerPage * full.titlesPerRow)) {
    throw new RangeError('titles must be a whole number ≥ rowsPerPage · titlesPerRow');
  }
  return full;
}

/**
 * Simulates one home page per member under each recommender asked for, with the plays that
 * follow (see the module header for the model). Deterministic in the options; throws a
 * RangeError on a bad option.
 */
export function simulateStreaming(
  options: StreamingOptions,
  recommenders: readonly RecommenderId[],
): StreamingSimulation {
  const {
    seed,
    members: memberCount,
    titles: titleCount,
    rowsPerPage,
    titlesPerRow,
  } = checkOptions(options);
  const m = STREAMING_MODEL;
  const world = createRng(seed);
  const titles = generateCatalogue(world.fork('catalogue'), titleCount);
  const members = generateMembers(world.fork('members'), memberCount);
  const outcomes = world.fork('outcomes');
  const pageSize = rowsPerPage * titlesPerRow;

  const popularityOrder = topK(
    Float64Array.from(titles, (t) => t.popularity),
    pageSize,
  );
  const runs: RecommenderRun[] = recommenders.map((recommender) => ({
    recommender,
    recommendationsSeen: memberCount * pageSize,
    plays: [],
    firstMemberPage: [],
  }));

  const match = new Float64Array(titleCount);
  const estimated = new Float64Array(titleCount);
  const uPlay = new Float64Array(titleCount);
  const uEngaged = new Float64Array(titleCount);
  const uWatch = new Float64Array(titleCount);
  const scores = new Float64Array(titleCount);

  for (const member of members) {
    for (let t = 0; t < titleCount; t++) {
      const title = titles[t] as StreamingTitle;
      match[t] = matchOf(member, title);
      estimated[t] = (match[t] ?? 0) + outcomes.normal(0, m.estimateErrorSd);
      uPlay[t] = outcomes.next();
      uEngaged[t] = outcomes.next();
      uWatch[t] = outcomes.next();
    }
    for (const run of runs) {
      let page = popularityOrder;
      if (run.recommender !== 'popularity') {
        for (let t = 0; t < titleCount; t++) {
          scores[t] = rankingScore(run.recommender, titles[t] as StreamingTitle, estimated[t] ?? 0);
        }
        page = topK(scores, pageSize);
      }
      if (member.index === 0) {
        for (let r = 0; r < rowsPerPage; r++) {
          run.firstMemberPage.push(page.slice(r * titlesPerRow, (r + 1) * titlesPerRow));
        }
      }
      page.forEach((t, slot) => {
        const title = titles[t] as StreamingTitle;
        const u = match[t] ?? 0;
        if (!((uPlay[t] ?? 1) < playProbability(u, title.hook))) return;
        const runtime = title.runtimeMinutes;
        const w = uWatch[t] ?? 0;
        const minutes =
          (uEngaged[t] ?? 1) < engagedProbability(u, title.hook)
            ? runtime * (1 - m.engagedShareSpread * w * w)
            : Math.min(runtime / 2, Math.max(0.5, -m.abandonMeanMinutes * Math.log(1 - w)));
        run.plays.push({
          member: member.index,
          title: t,
          row: Math.floor(slot / titlesPerRow),
          position: slot % titlesPerRow,
          watchedMinutes: Math.min(runtime, Math.round(minutes * 10) / 10),
          runtimeMinutes: runtime,
        });
      });
    }
  }
  return { seed, members: memberCount, rowsPerPage, titlesPerRow, titles, runs };
}
