/**
 * The learner's progress store over a key-value storage (localStorage in the page, a Map in
 * tests). It never loses progress:
 *
 * - every write re-reads the stored value, merges it with memory ({@link mergeProgress}) and
 *   writes the merge, so a tab never writes an older view over a newer one;
 * - a change made by another tab (a `storage` event) is merged into memory, and when memory still
 *   holds something the stored value lacks, the merge is written back, so tabs converge;
 * - unreadable stored text is copied to a quarantine key (never deleted) before anything is
 *   written over it, and the learner is told;
 * - a failed write (quota) is reported; memory keeps the change and the next write persists it;
 * - a value saved by a newer version of the course is never overwritten: the store goes read-only.
 *
 * Storage choice: localStorage, not IndexedDB. Progress is a few KB; synchronous reads let a page
 * show progress without a flash; the `storage` event tells other tabs of every write; and a quota
 * failure throws from `setItem`, where it can be reported.
 */
import { receiptSchema, type Receipt } from '../exercises/receipt-schema';
import { buildProgressExport, parseProgressImport } from './exchange';
import { attemptId, canonicalJson, isEmptyProgress, mergeProgress, sameProgress } from './merge';
import {
  BACKUP_KEY_PREFIX,
  CURRENT_PROGRESS_VERSION,
  describeIssue,
  emptyProgress,
  idSchema,
  isoTimeSchema,
  migrateToCurrent,
  parseSeenLessons,
  PROGRESS_STORAGE_KEY,
  QUARANTINE_KEY_PREFIX,
  salvageV2,
  SEEN_STORAGE_KEY,
  type ExerciseProgress,
  type ProgressState,
} from './schema';

/** The subset of the Web Storage API the store needs (localStorage fits, given `keys`). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem?(key: string): void;
  /** Every key held; used only to list quarantined copies. */
  keys?(): string[];
}

/** Something the learner should be told about their saved progress. */
export type ProgressNotice =
  | {
      /** Stored text could not be read; it was copied to `key` and left there. */
      kind: 'quarantined';
      /** The quarantine key that holds the unreadable text. */
      key: string;
      /** The key the text was found under. */
      sourceKey: string;
      message: string;
    }
  | {
      /** The browser refused a write (usually a full quota); memory still holds the change. */
      kind: 'write-failed';
      message: string;
    }
  | {
      /** The stored progress is from a newer version of the course; this store will not write. */
      kind: 'newer-version';
      message: string;
    }
  | {
      /** There is no working storage (privacy modes); progress lasts only while the page is open. */
      kind: 'storage-unavailable';
      message: string;
    };

/** The outcome of an import. */
export type ImportOutcome =
  | {
      ok: true;
      /** How many lessons, exercises and receipts the file brought that this browser lacked. */
      added: { lessons: number; exercises: number; receipts: number };
      /** Whether the merged progress was written to storage (false after a failed write). */
      saved: boolean;
    }
  | {
      ok: false;
      /** Why the file was refused, in plain words; nothing was changed. */
      reason: string;
    };

/** How an attempt went, as the exercise's checks judged it. */
export interface AttemptOutcome {
  /** Whether every check passed. */
  passed: boolean;
  /** Share of checks passed, 0 to 1. */
  score: number;
}

/** A quarantined copy of unreadable stored text. */
export interface QuarantinedCopy {
  /** Its storage key. */
  key: string;
  /** When it was set aside (the ISO time in its key). */
  savedAt: string;
}

/** Options of {@link createProgressStore}. */
export interface ProgressStoreOptions {
  /** Where progress is kept: localStorage in the page. */
  storage: KeyValueStorage;
  /** The clock (defaults to the system clock). */
  now?: () => Date;
  /** Notices to show from the start, e.g. that storage is unavailable. */
  notices?: readonly ProgressNotice[];
}

/** The progress store; see {@link createProgressStore}. */
export interface ProgressStore {
  /** The progress as this page knows it (do not mutate; every change makes a new object). */
  state(): ProgressState;
  /** Calls `listener` after every change of state or notices; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** What the learner should be told, oldest first. */
  notices(): readonly ProgressNotice[];
  /** Hides a notice (its quarantined copy, if any, stays in storage). */
  dismissNotice(notice: ProgressNotice): void;
  /** True while stored progress is from a newer version and so is never written. */
  isReadOnly(): boolean;
  /** Records that a lesson (by slug) was opened. */
  markLessonSeen(slug: string): void;
  /** Records that `count` hints of an exercise have been opened (the most ever is kept). */
  recordHintsUsed(exerciseId: string, count: number): void;
  /**
   * Records a submitted attempt and keeps its receipt. Throws (changing nothing) when the receipt
   * is invalid, its time is not an ISO time, it belongs to another exercise or the score is not
   * between 0 and 1.
   */
  recordAttempt(exerciseId: string, receipt: Receipt, outcome: AttemptOutcome): void;
  /**
   * Merges what another tab wrote: call from a `storage` event with its `key` (null when storage
   * was cleared). Storage is re-read, which is at least as fresh as the event's `newValue`. A new
   * quarantine key only notifies listeners (see {@link ProgressStore.quarantinedCopies}).
   */
  applyExternalChange(key: string | null): void;
  /** All progress as export JSON, stamped with `now` (defaults to the store's clock). */
  exportJson(now?: Date): string;
  /** Merges an exported file into this progress, or refuses it with a reason, changing nothing. */
  importJson(text: string): ImportOutcome;
  /** The quarantined copies kept in storage, oldest first (empty when storage cannot list keys). */
  quarantinedCopies(): QuarantinedCopy[];
  /** The text of one quarantined copy, or null when there is none under that key. */
  readQuarantined(key: string): string | null;
}

/** Text kept aside before it may be overwritten. */
interface PendingQuarantine {
  sourceKey: string;
  raw: string;
  message: (key: string) => string;
  /** What to write over the source once the copy is safe (null: the main write covers it). */
  resetTo: string | null;
}

const SAVE_AGAIN =
  'Everything you do is kept while this page stays open, and saving is tried again at your next step. To be safe, use Export progress on the progress page.';

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error
    ? String((error as { name: unknown }).name)
    : '';
}

function refusedBecause(error: unknown): string {
  return errorName(error) === 'QuotaExceededError'
    ? "this browser's storage for this site is full"
    : 'the browser refused to store it';
}

function countAdded(before: Record<string, unknown>, after: Record<string, unknown>): number {
  return Object.keys(after).filter((key) => !Object.hasOwn(before, key)).length;
}

/**
 * Creates the progress store over `storage` and loads what is stored there at once (folding in
 * the lessons that lesson pages recorded under `mlsdl.seen`, quarantining anything unreadable and
 * migrating an older format, whose raw text is also kept under `mlsdl.progress.backup.v<N>`).
 */
export function createProgressStore(options: ProgressStoreOptions): ProgressStore {
  const { storage } = options;
  const clock = options.now ?? ((): Date => new Date());
  const nowIso = (): string => clock().toISOString();

  let memory: ProgressState = emptyProgress();
  let notices: ProgressNotice[] = [...(options.notices ?? [])];
  let readOnly = false;
  const pending: PendingQuarantine[] = [];
  /** Raw texts already copied aside by this store, so one bad value is copied once. */
  const keptAside = new Set<string>();
  const listeners = new Set<() => void>();

  const setNotice = (notice: ProgressNotice): void => {
    notices = [...notices.filter((n) => n.kind !== notice.kind), notice];
  };
  const clearNotices = (kind: ProgressNotice['kind']): void => {
    if (notices.some((n) => n.kind === kind)) notices = notices.filter((n) => n.kind !== kind);
  };

  const read = (key: string): { ok: true; value: string | null } | { ok: false } => {
    try {
      return { ok: true, value: storage.getItem(key) };
    } catch {
      setNotice({
        kind: 'storage-unavailable',
        message:
          'This browser would not let the page read your saved progress, so nothing is saved for now. Progress made on this page lasts until you close it.',
      });
      return { ok: false };
    }
  };

  const queueQuarantine = (entry: PendingQuarantine): void => {
    if (keptAside.has(entry.raw) || pending.some((p) => p.raw === entry.raw)) return;
    pending.push(entry);
  };

  const quarantineKey = (): string => {
    const base = `${QUARANTINE_KEY_PREFIX}${nowIso()}`;
    let key = base;
    for (let n = 2; storage.getItem(key) !== null; n += 1) key = `${base}.${n}`;
    return key;
  };

  /** Copies every pending unreadable text aside; false (and a notice) when one could not be. */
  const flushQuarantine = (): boolean => {
    while (pending.length > 0) {
      const entry = pending[0]!;
      let key: string;
      try {
        key = quarantineKey();
        storage.setItem(key, entry.raw);
      } catch (error) {
        setNotice({
          kind: 'write-failed',
          message: `Your saved progress could not be read, and it could not be kept aside either because ${refusedBecause(error)}. It is left untouched, and nothing new is saved until there is room. ${SAVE_AGAIN}`,
        });
        return false;
      }
      keptAside.add(entry.raw);
      pending.shift();
      notices = [
        ...notices,
        { kind: 'quarantined', key, sourceKey: entry.sourceKey, message: entry.message(key) },
      ];
      if (entry.resetTo !== null) {
        try {
          if (storage.getItem(entry.sourceKey) === entry.raw) {
            storage.setItem(entry.sourceKey, entry.resetTo);
          }
        } catch {
          // The copy is safe; the source is retried the next time it is read.
        }
      }
    }
    return true;
  };

  /** Writes memory (the merge) after any pending quarantine and older-format backup. */
  const write = (backup: { version: number; raw: string } | null): void => {
    if (!flushQuarantine()) return;
    try {
      if (backup) {
        const key = `${BACKUP_KEY_PREFIX}${backup.version}`;
        if (storage.getItem(key) === null) storage.setItem(key, backup.raw);
      }
      storage.setItem(PROGRESS_STORAGE_KEY, JSON.stringify(memory));
    } catch (error) {
      setNotice({
        kind: 'write-failed',
        message: `Your latest progress could not be saved: ${refusedBecause(error)}. ${SAVE_AGAIN}`,
      });
      return;
    }
    clearNotices('write-failed');
  };

  /**
   * Reads both keys, merges them into memory and writes the merge back when storage lacks
   * anything memory holds (or holds something unreadable or in an older format).
   */
  const sync = (): void => {
    const seenRaw = read(SEEN_STORAGE_KEY);
    let seenLessons: ProgressState['lessons'] = {};
    if (seenRaw.ok && seenRaw.value !== null) {
      const seen = parseSeenLessons(seenRaw.value, nowIso());
      if (seen.ok) {
        seenLessons = seen.lessons;
      } else {
        queueQuarantine({
          sourceKey: SEEN_STORAGE_KEY,
          raw: seenRaw.value,
          resetTo: '{}',
          message: (key) =>
            `The list of lessons you have opened could not be read (${seen.detail}). Nothing was deleted: the unreadable copy is kept in this browser under “${key}”. Lessons you open from now on are recorded again.`,
        });
      }
    }
    const seenState: ProgressState = { ...emptyProgress(), lessons: seenLessons };

    const mainRaw = read(PROGRESS_STORAGE_KEY);
    if (!mainRaw.ok) {
      memory = mergeProgress(memory, seenState);
      return;
    }
    const text = mainRaw.value;
    let stored = emptyProgress();
    let unreadable = false;
    let backup: { version: number; raw: string } | null = null;
    if (text !== null) {
      let parsed: unknown;
      let parseFailed = false;
      try {
        parsed = JSON.parse(text);
      } catch {
        parseFailed = true;
      }
      const migrated = parseFailed ? null : migrateToCurrent(parsed, nowIso());
      if (migrated && !migrated.ok && migrated.kind === 'newer-version') {
        readOnly = true;
        setNotice({
          kind: 'newer-version',
          message: `Your progress was saved by a newer version of this course (progress format ${migrated.version}; this page knows format ${CURRENT_PROGRESS_VERSION}). To keep it safe, this page will not change it, so what you do here is not saved. Reload the page to get the newer version.`,
        });
        memory = mergeProgress(memory, seenState);
        return;
      }
      if (migrated?.ok) {
        stored = migrated.state;
        if (migrated.fromVersion < CURRENT_PROGRESS_VERSION) {
          backup = { version: migrated.fromVersion, raw: text };
        }
      } else {
        unreadable = true;
        const salvaged = parseFailed ? null : salvageV2(parsed);
        if (salvaged) stored = salvaged;
        const detail = migrated ? migrated.detail : 'it is not valid JSON';
        const partly = salvaged !== null && !isEmptyProgress(salvaged);
        queueQuarantine({
          sourceKey: PROGRESS_STORAGE_KEY,
          raw: text,
          resetTo: null,
          message: (key) =>
            partly
              ? `Part of your saved progress could not be read (${detail}). What could be read is kept. Nothing was deleted: the unreadable copy is kept in this browser under “${key}”.`
              : `Your saved progress could not be read (${detail}), so this page started afresh. Nothing was deleted: the unreadable copy is kept in this browser under “${key}”.`,
        });
      }
    }
    readOnly = false;
    clearNotices('newer-version');
    memory = mergeProgress(mergeProgress(memory, stored), seenState);

    const lacking =
      text === null ? !isEmptyProgress(memory) : unreadable || !sameProgress(memory, stored);
    if (lacking || backup !== null || pending.length > 0) write(backup);
  };

  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  /** Runs a change and notifies listeners when state or notices moved. */
  const changing = (run: () => void): void => {
    const stateBefore = canonicalJson(memory);
    const noticesBefore = notices;
    run();
    if (notices !== noticesBefore || canonicalJson(memory) !== stateBefore) notify();
  };

  /** Merges `delta` into memory and saves. */
  const apply = (delta: Partial<Omit<ProgressState, 'version'>>): void => {
    changing(() => {
      memory = mergeProgress(memory, { ...emptyProgress(), ...delta });
      if (!readOnly) sync();
    });
  };

  const checkId = (what: string, id: string): void => {
    if (!idSchema.safeParse(id).success) {
      throw new RangeError(`${what} must be 1 to 200 characters (got ${JSON.stringify(id)})`);
    }
  };

  sync();

  return {
    state: () => memory,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    notices: () => notices,
    dismissNotice(notice) {
      changing(() => {
        notices = notices.filter((n) => n !== notice);
      });
    },
    isReadOnly: () => readOnly,

    markLessonSeen(slug) {
      checkId('A lesson slug', slug);
      apply({ lessons: { [slug]: { seen: true, firstSeenAt: nowIso() } } });
    },

    recordHintsUsed(exerciseId, count) {
      checkId('An exercise id', exerciseId);
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError(`hints used must be a whole number ≥ 0 (got ${count})`);
      }
      apply({ exercises: { [exerciseId]: { attempts: [], solved: false, hintsUsed: count } } });
    },

    recordAttempt(exerciseId, receipt, outcome) {
      checkId('An exercise id', exerciseId);
      // Store exactly what a reload will read back: the receipt as JSON, validated.
      const parsed = receiptSchema.safeParse(JSON.parse(JSON.stringify(receipt)));
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        throw new TypeError(
          `The receipt is not valid: ${first ? describeIssue(first, 'receipt') : 'unknown problem'}`,
        );
      }
      const valid = parsed.data;
      if (valid.exerciseId !== exerciseId) {
        throw new RangeError(`The receipt is for ${valid.exerciseId}, not ${exerciseId}`);
      }
      if (!isoTimeSchema.safeParse(valid.createdAt).success) {
        throw new TypeError(`The receipt's createdAt is not an ISO time: ${valid.createdAt}`);
      }
      const { passed, score } = outcome;
      if (!Number.isFinite(score) || score < 0 || score > 1) {
        throw new RangeError(`score must be between 0 and 1 (got ${score})`);
      }
      const id = attemptId(valid);
      const exercise: ExerciseProgress = {
        attempts: [id],
        solved: passed,
        bestScore: passed ? 1 : score,
        hintsUsed: 0,
        lastAttemptAt: valid.createdAt,
        lastPassed: passed,
      };
      if (passed) exercise.solvedAt = valid.createdAt;
      apply({ exercises: { [exerciseId]: exercise }, receipts: { [id]: valid } });
    },

    applyExternalChange(key) {
      // Another tab kept something aside: only the list of copies changed.
      if (key?.startsWith(QUARANTINE_KEY_PREFIX)) return notify();
      if (key !== null && key !== PROGRESS_STORAGE_KEY && key !== SEEN_STORAGE_KEY) return;
      changing(sync);
    },

    exportJson(now) {
      changing(() => {
        if (!readOnly) sync();
      });
      return buildProgressExport(memory, (now ?? clock()).toISOString());
    },

    importJson(text) {
      if (readOnly) {
        return {
          ok: false,
          reason:
            'Your saved progress here comes from a newer version of this course, so this page cannot add to it. Reload the page to get the newer version, then import again. Nothing was imported.',
        };
      }
      const parsed = parseProgressImport(text, nowIso());
      if (!parsed.ok) return { ok: false, reason: parsed.reason };
      let added = { lessons: 0, exercises: 0, receipts: 0 };
      changing(() => {
        sync();
        const before = memory;
        memory = mergeProgress(memory, parsed.state);
        added = {
          lessons: countAdded(before.lessons, memory.lessons),
          exercises: countAdded(before.exercises, memory.exercises),
          receipts: countAdded(before.receipts, memory.receipts),
        };
        sync();
      });
      const saved = !readOnly && !notices.some((n) => n.kind === 'write-failed');
      return { ok: true, added, saved };
    },

    quarantinedCopies() {
      let keys: string[];
      try {
        keys = storage.keys?.() ?? [];
      } catch {
        return [];
      }
      return keys
        .filter((key) => key.startsWith(QUARANTINE_KEY_PREFIX))
        .sort()
        .map((key) => ({ key, savedAt: key.slice(QUARANTINE_KEY_PREFIX.length) }));
    },

    readQuarantined(key) {
      if (!key.startsWith(QUARANTINE_KEY_PREFIX)) return null;
      try {
        return storage.getItem(key);
      } catch {
        return null;
      }
    },
  };
}
