/**
 * Merging two views of the learner's progress. Every field is a join-semilattice (set union, OR,
 * min of a first time, max of a best score or a count, the latest of a pair), so
 * {@link mergeProgress} is commutative, associative and idempotent: tabs that exchange their
 * views in any order, any number of times, end with the same progress and nothing lost.
 */
import type { Receipt } from '../exercises/receipt-schema';
import type { ExerciseProgress, LessonProgress, ProgressState } from './schema';

/**
 * JSON with object keys sorted at every depth (undefined fields dropped, as JSON.stringify does),
 * so two equal values always give the same text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.keys(value)
    .sort()
    .map((key) => [key, sortKeysDeep((value as Record<string, unknown>)[key])] as const);
  return Object.fromEntries(entries);
}

/**
 * Orders ISO times by the instant they name, then by their text (so `…00Z` and `…00.000Z` still
 * have a fixed order); unreadable times sort after readable ones. A total order, which the merge
 * laws need.
 */
export function compareIso(a: string, b: string): number {
  const timeA = Date.parse(a);
  const timeB = Date.parse(b);
  const badA = Number.isNaN(timeA);
  const badB = Number.isNaN(timeB);
  if (badA !== badB) return badA ? 1 : -1;
  if (!badA && timeA !== timeB) return timeA < timeB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function minIso(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareIso(a, b) <= 0 ? a : b;
}

function maxNumber(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

/** Rank of a `lastPassed` value in the "latest attempt" order: a pass wins a tie in time. */
function passedRank(passed: boolean | undefined): number {
  return passed === undefined ? 0 : passed ? 2 : 1;
}

/** Orders (lastAttemptAt, lastPassed) pairs; no time sorts first. */
function compareLatest(a: ExerciseProgress, b: ExerciseProgress): number {
  if (a.lastAttemptAt !== b.lastAttemptAt) {
    if (a.lastAttemptAt === undefined) return -1;
    if (b.lastAttemptAt === undefined) return 1;
    const byTime = compareIso(a.lastAttemptAt, b.lastAttemptAt);
    if (byTime !== 0) return byTime;
  }
  return passedRank(a.lastPassed) - passedRank(b.lastPassed);
}

/** The sorted union of two lists of ids. */
function unionSorted(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** Merges two records key by key: keys in one only are kept as they are. */
function mergeRecords<T>(
  a: Readonly<Record<string, T>>,
  b: Readonly<Record<string, T>>,
  mergeValue: (x: T, y: T) => T,
): Record<string, T> {
  const merged = new Map<string, T>();
  for (const key of unionSorted(Object.keys(a), Object.keys(b))) {
    const x = Object.hasOwn(a, key) ? a[key] : undefined;
    const y = Object.hasOwn(b, key) ? b[key] : undefined;
    if (x !== undefined && y !== undefined) merged.set(key, mergeValue(x, y));
    else if (x !== undefined) merged.set(key, x);
    else if (y !== undefined) merged.set(key, y);
  }
  return Object.fromEntries(merged);
}

/** Merges one lesson's two views: it stays seen, first seen at the earlier time. */
export function mergeLesson(a: LessonProgress, b: LessonProgress): LessonProgress {
  return { seen: true, firstSeenAt: minIso(a.firstSeenAt, b.firstSeenAt) ?? a.firstSeenAt };
}

/**
 * Merges one exercise's two views: attempts by union, solved by OR, the earliest solve, the best
 * score and the most hints by max, and the latest attempt's time and outcome as a pair.
 */
export function mergeExercise(a: ExerciseProgress, b: ExerciseProgress): ExerciseProgress {
  const merged: ExerciseProgress = {
    attempts: unionSorted(a.attempts, b.attempts),
    solved: a.solved || b.solved,
    hintsUsed: Math.max(a.hintsUsed, b.hintsUsed),
  };
  const solvedAt = minIso(a.solvedAt, b.solvedAt);
  if (solvedAt !== undefined) merged.solvedAt = solvedAt;
  const bestScore = maxNumber(a.bestScore, b.bestScore);
  if (bestScore !== undefined) merged.bestScore = bestScore;
  const latest = compareLatest(a, b) >= 0 ? a : b;
  if (latest.lastAttemptAt !== undefined) merged.lastAttemptAt = latest.lastAttemptAt;
  if (latest.lastPassed !== undefined) merged.lastPassed = latest.lastPassed;
  return merged;
}

/**
 * Two receipts under one attempt id are the same submission; should they ever differ, the one
 * whose canonical JSON sorts last is kept, so the choice does not depend on the order of merging.
 */
export function mergeReceipt(a: Receipt, b: Receipt): Receipt {
  const textA = canonicalJson(a);
  const textB = canonicalJson(b);
  return textA >= textB ? a : b;
}

/**
 * The least upper bound of two progress states: everything either holds, combined field by field
 * (see {@link mergeLesson}, {@link mergeExercise}, {@link mergeReceipt}). Commutative, associative
 * and idempotent; record keys come out sorted.
 */
export function mergeProgress(a: ProgressState, b: ProgressState): ProgressState {
  return {
    version: 2,
    lessons: mergeRecords(a.lessons, b.lessons, mergeLesson),
    exercises: mergeRecords(a.exercises, b.exercises, mergeExercise),
    receipts: mergeRecords(a.receipts, b.receipts, mergeReceipt),
  };
}

/** Whether two states hold the same progress (compared as canonical JSON). */
export function sameProgress(a: ProgressState, b: ProgressState): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Whether a state holds nothing at all. */
export function isEmptyProgress(state: ProgressState): boolean {
  return (
    Object.keys(state.lessons).length === 0 &&
    Object.keys(state.exercises).length === 0 &&
    Object.keys(state.receipts).length === 0
  );
}

/**
 * The id of one submitted attempt, and the key of its receipt: its ISO time, `#`, and its inputs
 * hash. Sorting these ids sorts attempts by time.
 */
export function attemptId(receipt: Pick<Receipt, 'createdAt' | 'inputsHash'>): string {
  return `${receipt.createdAt}#${receipt.inputsHash}`;
}
