/**
 * The learner's progress as stored in the browser: its versioned format, the zod/mini schemas that
 * validate it, and the migrations that carry an older format up to the current one.
 *
 * Version history:
 * - 1: `{ version: 1, seenLessons: string[], solvedExercises: string[], hintsUsed: Record<id, n> }`.
 * - 2: per-lesson and per-exercise records plus the receipts of submissions (see
 *   {@link ProgressState}); every field merges as a join-semilattice (see `merge.ts`).
 */
import * as z from 'zod/mini';
import { receiptSchema } from '../exercises/receipt-schema';

/** The progress format this code writes and reads natively. */
export const CURRENT_PROGRESS_VERSION = 2;

/** The localStorage key that holds the progress JSON. */
export const PROGRESS_STORAGE_KEY = 'mlsdl.progress';

/**
 * The small key lesson pages write when opened (`{ [lessonSlug]: firstSeenAtIso }`), so a page
 * without a sandbox can record a visit without loading this module. The store folds it in.
 */
export const SEEN_STORAGE_KEY = 'mlsdl.seen';

/** Prefix of the keys that keep unreadable stored text aside; they are never deleted by us. */
export const QUARANTINE_KEY_PREFIX = 'mlsdl.progress.quarantine.';

/** Prefix of the keys that keep the raw text of an older format once it has been migrated. */
export const BACKUP_KEY_PREFIX = 'mlsdl.progress.backup.v';

/** An ISO 8601 UTC time as `Date.prototype.toISOString` writes it (`Z`, any fraction digits). */
export const isoTimeSchema = z.iso.datetime();

/**
 * A record key: a lesson slug, an exercise id or an attempt id. `__proto__` is refused because
 * JSON.parse keeps it as a key that zod's records then drop, which would make a merge differ
 * from its stored copy for ever.
 */
export const idSchema = z.string().check(
  z.minLength(1),
  z.maxLength(200),
  z.refine((id) => id !== '__proto__'),
);

/** One lesson the learner has opened. */
export const lessonProgressSchema = z.object({
  seen: z.literal(true),
  /** When the lesson was first opened (ISO). */
  firstSeenAt: isoTimeSchema,
});

/** What the learner has done on one exercise. */
export const exerciseProgressSchema = z.object({
  /** Ids of the submitted attempts (see `attemptId`), sorted; receipts are keyed the same way. */
  attempts: z.array(idSchema),
  /** Whether any attempt passed. */
  solved: z.boolean(),
  /** When the first passing attempt was made (ISO). */
  solvedAt: z.optional(isoTimeSchema),
  /** Best share of checks passed over all attempts, 0 to 1 (1 once solved). */
  bestScore: z.optional(z.number().check(z.gte(0), z.lte(1))),
  /** The most hints the learner has opened on this exercise. */
  hintsUsed: z.int().check(z.gte(0)),
  /** When the latest attempt was made (ISO). */
  lastAttemptAt: z.optional(isoTimeSchema),
  /** Whether the latest attempt passed. */
  lastPassed: z.optional(z.boolean()),
});

/** The current (version 2) progress format. */
export const progressV2Schema = z.object({
  version: z.literal(2),
  /** Lessons opened, by slug (`01-business-objectives`). */
  lessons: z.record(idSchema, lessonProgressSchema),
  /** Exercises touched, by exercise id. */
  exercises: z.record(idSchema, exerciseProgressSchema),
  /** Receipts of submissions, by attempt id. */
  receipts: z.record(idSchema, receiptSchema),
});

/** The version 1 format, kept so that old progress can still be read and migrated. */
export const progressV1Schema = z.object({
  version: z.literal(1),
  seenLessons: z.array(idSchema),
  solvedExercises: z.array(idSchema),
  hintsUsed: z.record(idSchema, z.number().check(z.gte(0))),
});

/** One lesson's progress. */
export type LessonProgress = z.infer<typeof lessonProgressSchema>;
/** One exercise's progress. */
export type ExerciseProgress = z.infer<typeof exerciseProgressSchema>;
/** The whole progress in the current format. */
export type ProgressState = z.infer<typeof progressV2Schema>;
/** The whole progress in the version 1 format. */
export type ProgressV1 = z.infer<typeof progressV1Schema>;

/** Progress with nothing in it. */
export function emptyProgress(): ProgressState {
  return { version: 2, lessons: {}, exercises: {}, receipts: {} };
}

/** A zod issue, reduced to what {@link describeIssue} reads. */
interface IssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly expected?: unknown;
  readonly format?: unknown;
  readonly values?: readonly unknown[];
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly origin?: unknown;
}

/** A dotted path for people: `exercises.fraud-1.bestScore`, `receipts` for the root of one. */
export function formatIssuePath(prefix: string, path: readonly PropertyKey[]): string {
  const parts = [prefix, ...path.map((part) => String(part))].filter((part) => part !== '');
  return parts.length === 0 ? '(the top level)' : parts.join('.');
}

/**
 * One validation problem in plain words, naming the field: `exercises.fraud-1.bestScore should be
 * at most 1`. zod/mini ships no message texts, so they are written here from the issue's code.
 */
export function describeIssue(issue: IssueLike, prefix = ''): string {
  const where = formatIssuePath(prefix, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return `${where} should be ${article(String(issue.expected))}`;
    case 'invalid_format':
      return issue.format === 'datetime'
        ? `${where} should be a time like 2026-01-31T12:00:00.000Z`
        : `${where} is not in the expected format (${String(issue.format)})`;
    case 'invalid_value':
      return `${where} should be ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `${where} is too short`
        : `${where} should be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `${where} is too long`
        : `${where} should be at most ${String(issue.maximum)}`;
    default:
      return `${where} is not valid`;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  if (expected === 'record' || expected === 'object') return 'an object';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/**
 * Carries version 1 progress to version 2, keeping everything it held: every seen lesson becomes a
 * lesson record, every solved exercise a solved exercise (best score 1) and every hint count the
 * exercise's `hintsUsed` (rounded down to a whole number). Version 1 kept no times, so lessons get
 * `migratedAt` as their first-seen time, and solved exercises get no `solvedAt`.
 */
export function migrateV1toV2(v1: ProgressV1, migratedAt: string): ProgressState {
  const lessons = new Map<string, LessonProgress>();
  for (const slug of v1.seenLessons) lessons.set(slug, { seen: true, firstSeenAt: migratedAt });

  const exercises = new Map<string, ExerciseProgress>();
  const ids = new Set([...v1.solvedExercises, ...Object.keys(v1.hintsUsed)]);
  const solved = new Set(v1.solvedExercises);
  for (const id of [...ids].sort()) {
    const exercise: ExerciseProgress = {
      attempts: [],
      solved: solved.has(id),
      hintsUsed: Math.floor(v1.hintsUsed[id] ?? 0),
    };
    if (solved.has(id)) exercise.bestScore = 1;
    exercises.set(id, exercise);
  }
  return {
    version: 2,
    lessons: Object.fromEntries(lessons),
    exercises: Object.fromEntries(exercises),
    receipts: {},
  };
}

/** Why a value could not be carried to the current format. */
export type MigrationProblem =
  | {
      /** Not progress at all (no numeric `version`, or not an object). */
      kind: 'not-progress';
      detail: string;
    }
  | {
      /** Written by a newer version of the course; this code must not touch it. */
      kind: 'newer-version';
      version: number;
      detail: string;
    }
  | {
      /** Progress of a known version that fails its schema. */
      kind: 'invalid';
      version: number;
      detail: string;
    };

/** The outcome of {@link migrateToCurrent}. */
export type MigrationResult =
  | {
      ok: true;
      state: ProgressState;
      /** The version the value was in before migration (2 when it was already current). */
      fromVersion: number;
    }
  | ({ ok: false } & MigrationProblem);

interface MigrationStep {
  /** Validates a value of this version and returns it in the next version. */
  up(
    raw: unknown,
    migratedAt: string,
    pathPrefix: string,
  ): { ok: true; value: unknown } | { ok: false; detail: string };
}

/** The chain: `steps[v]` carries version `v` to `v + 1`. Add a step with every new version. */
const steps: Readonly<Record<number, MigrationStep>> = {
  1: {
    up(raw, migratedAt, pathPrefix) {
      const parsed = progressV1Schema.safeParse(raw);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        return { ok: false, detail: first ? describeIssue(first, pathPrefix) : 'it is not valid' };
      }
      return { ok: true, value: migrateV1toV2(parsed.data, migratedAt) };
    },
  },
};

/** The `version` of a stored or imported progress object, or null when it has none. */
export function progressVersionOf(raw: unknown): number | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const version = (raw as { version?: unknown }).version;
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : null;
}

/**
 * Walks a parsed progress value up the migration chain to the current version and validates it.
 * A value from a newer version is refused (`newer-version`), never altered; `migratedAt` (ISO) is
 * the time migrations use where an old format kept none; `pathPrefix` is put before the field
 * named in a problem (`progress` gives `progress.lessons…`).
 */
export function migrateToCurrent(
  raw: unknown,
  migratedAt: string,
  pathPrefix = '',
): MigrationResult {
  const fromVersion = progressVersionOf(raw);
  if (fromVersion === null) {
    return {
      ok: false,
      kind: 'not-progress',
      detail: 'it has no version number, so it is not progress saved by this course',
    };
  }
  if (fromVersion > CURRENT_PROGRESS_VERSION) {
    return {
      ok: false,
      kind: 'newer-version',
      version: fromVersion,
      detail: `it was saved by a newer version of the course (format ${fromVersion}; this page reads up to ${CURRENT_PROGRESS_VERSION})`,
    };
  }
  let value = raw;
  for (let version = fromVersion; version < CURRENT_PROGRESS_VERSION; version += 1) {
    const step = steps[version];
    if (!step) {
      return { ok: false, kind: 'invalid', version, detail: `format ${version} is not known` };
    }
    const next = step.up(value, migratedAt, pathPrefix);
    if (!next.ok) return { ok: false, kind: 'invalid', version, detail: next.detail };
    value = next.value;
  }
  const parsed = progressV2Schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      kind: 'invalid',
      version: fromVersion,
      detail: first ? describeIssue(first, pathPrefix) : 'it is not valid',
    };
  }
  return { ok: true, state: parsed.data, fromVersion };
}

/**
 * Keeps what can be read of a damaged version 2 value: every lesson, exercise and receipt entry
 * that passes its own schema. Used after the whole value failed validation, so one bad entry does
 * not hide the rest (the unreadable original is quarantined separately). Returns null when the
 * value is not a version 2 object at all.
 */
export function salvageV2(raw: unknown): ProgressState | null {
  if (progressVersionOf(raw) !== 2) return null;
  const value = raw as Record<string, unknown>;
  const keep = <T>(
    field: unknown,
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  ): Record<string, T> => {
    if (typeof field !== 'object' || field === null || Array.isArray(field)) return {};
    const kept = new Map<string, T>();
    for (const [key, entry] of Object.entries(field)) {
      if (!idSchema.safeParse(key).success) continue;
      const parsed = schema.safeParse(entry);
      if (parsed.success) kept.set(key, parsed.data);
    }
    return Object.fromEntries(kept);
  };
  return {
    version: 2,
    lessons: keep(value['lessons'], lessonProgressSchema),
    exercises: keep(value['exercises'], exerciseProgressSchema),
    receipts: keep(value['receipts'], receiptSchema),
  };
}

/** The outcome of {@link parseSeenLessons}. */
export type SeenParse =
  { ok: true; lessons: Record<string, LessonProgress> } | { ok: false; detail: string };

/**
 * Reads the small `mlsdl.seen` value that lesson pages write: `{ [slug]: firstSeenAtIso }`. An
 * entry whose time is unreadable still counts as seen, at `fallbackTime`. Anything that is not a
 * JSON object is unreadable (the caller quarantines it).
 */
export function parseSeenLessons(raw: string, fallbackTime: string): SeenParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, detail: 'it is not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, detail: 'it is not a JSON object' };
  }
  const lessons = new Map<string, LessonProgress>();
  for (const [slug, time] of Object.entries(parsed)) {
    if (!idSchema.safeParse(slug).success) continue;
    const firstSeenAt = isoTimeSchema.safeParse(time).success ? (time as string) : fallbackTime;
    lessons.set(slug, { seen: true, firstSeenAt });
  }
  return { ok: true, lessons: Object.fromEntries(lessons) };
}
