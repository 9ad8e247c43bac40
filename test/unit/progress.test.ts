import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Receipt } from '../../src/lib/exercises/receipt-schema';
import { summariseCourse, lessonSlugFromHref } from '../../src/lib/progress/course';
import {
  buildProgressExport,
  exportFileName,
  parseProgressImport,
} from '../../src/lib/progress/exchange';
import { attemptId, canonicalJson, mergeProgress } from '../../src/lib/progress/merge';
import {
  BACKUP_KEY_PREFIX,
  emptyProgress,
  migrateToCurrent,
  migrateV1toV2,
  PROGRESS_STORAGE_KEY,
  progressV2Schema,
  QUARANTINE_KEY_PREFIX,
  SEEN_STORAGE_KEY,
  type ExerciseProgress,
  type ProgressState,
  type ProgressV1,
} from '../../src/lib/progress/schema';
import { createProgressStore, type KeyValueStorage } from '../../src/lib/progress/store';

// ---------------------------------------------------------------------------------------------
// Helpers

interface TestStorage extends KeyValueStorage {
  map: Map<string, string>;
  /** When set, setItem throws a QuotaExceededError for keys it matches. */
  failWrites: ((key: string) => boolean) | null;
  writes: string[];
}

/** A Map-backed storage that behaves like localStorage, with switchable write failures. */
function memoryStorage(initial: Record<string, string> = {}): TestStorage {
  const map = new Map(Object.entries(initial));
  const storage: TestStorage = {
    map,
    failWrites: null,
    writes: [],
    getItem: (key) => map.get(key) ?? null,
    setItem(key, value) {
      if (storage.failWrites?.(key)) {
        const error = new Error('The quota has been exceeded.');
        error.name = 'QuotaExceededError';
        throw error;
      }
      storage.writes.push(key);
      map.set(key, value);
    },
    removeItem: (key) => void map.delete(key),
    keys: () => [...map.keys()],
  };
  return storage;
}

/** A clock that ticks one second per call, from a fixed start. */
function tickingClock(startIso = '2026-03-01T10:00:00.000Z'): () => Date {
  let ms = Date.parse(startIso);
  return () => {
    const date = new Date(ms);
    ms += 1000;
    return date;
  };
}

function hash(n: number): string {
  return n.toString(16).padStart(64, '0');
}

function receipt(
  exerciseId: string,
  createdAt: string,
  n: number,
  passed: boolean,
  extra: Partial<Receipt> = {},
): Receipt {
  return {
    format: 'mlsdl-receipt',
    version: 1,
    exerciseId,
    sandbox: 'training',
    variant: { code: null, params: {} },
    inputs: { epochs: 5 + n },
    results: { 'validation.rocAuc': 0.9, 'run.status': 'completed' },
    passed,
    backend: 'wasm',
    appVersion: '0.1.0',
    createdAt,
    inputsHash: hash(n),
    ...extra,
  };
}

function storedState(storage: TestStorage): ProgressState {
  const raw = storage.map.get(PROGRESS_STORAGE_KEY);
  if (raw === undefined) throw new Error('nothing stored');
  return progressV2Schema.parse(JSON.parse(raw));
}

function quarantineKeys(storage: TestStorage): string[] {
  return [...storage.map.keys()].filter((k) => k.startsWith(QUARANTINE_KEY_PREFIX)).sort();
}

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

// ---------------------------------------------------------------------------------------------
// Arbitraries: small id pools so that states overlap and merges have real conflicts.

const isoArb = fc
  .date({
    min: new Date('2026-01-01T00:00:00.000Z'),
    max: new Date('2026-01-01T00:00:10.000Z'),
    noInvalidDate: true,
  })
  .chain((date) => {
    const iso = date.toISOString();
    // Sometimes without the fraction: the same instant written two ways must still merge lawfully.
    return fc.constantFrom(iso, iso.replace(/\.000Z$/, 'Z'));
  });

const lessonSlugArb = fc.constantFrom('01-a', '02-b', '03-c', 'constructor');
const exerciseIdArb = fc.constantFrom('ex-1', 'ex-2', 'ex-3', 'toString');
const attemptIdArb = fc.constantFrom('t1', 't2', 't3', 't4', 't5');

const exerciseArb: fc.Arbitrary<ExerciseProgress> = fc.record(
  {
    attempts: fc.uniqueArray(attemptIdArb, { maxLength: 4 }).map((ids) => [...ids].sort()),
    solved: fc.boolean(),
    solvedAt: isoArb,
    bestScore: fc.constantFrom(0, 0.25, 0.5, 1),
    hintsUsed: fc.nat({ max: 3 }),
    lastAttemptAt: isoArb,
    lastPassed: fc.boolean(),
  },
  { requiredKeys: ['attempts', 'solved', 'hintsUsed'] },
);

const receiptArb = fc
  .tuple(exerciseIdArb, isoArb, fc.nat({ max: 3 }), fc.boolean(), fc.constantFrom('wasm', 'cpu'))
  .map(([id, at, n, passed, backend]) => receipt(id, at, n, passed, { backend }));

const progressArb: fc.Arbitrary<ProgressState> = fc.record({
  version: fc.constant(2 as const),
  lessons: fc.dictionary(
    lessonSlugArb,
    isoArb.map((firstSeenAt) => ({ seen: true as const, firstSeenAt })),
    { maxKeys: 4 },
  ),
  exercises: fc.dictionary(exerciseIdArb, exerciseArb, { maxKeys: 4 }),
  receipts: fc.dictionary(attemptIdArb, receiptArb, { maxKeys: 3 }),
});

// ---------------------------------------------------------------------------------------------

describe('mergeProgress', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(progressArb, progressArb, (a, b) =>
        same(mergeProgress(a, b), mergeProgress(b, a)),
      ),
      { numRuns: 500 },
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(progressArb, progressArb, progressArb, (a, b, c) =>
        same(mergeProgress(mergeProgress(a, b), c), mergeProgress(a, mergeProgress(b, c))),
      ),
      { numRuns: 500 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(progressArb, (a) => same(mergeProgress(a, a), a)),
      { numRuns: 300 },
    );
  });

  it('loses nothing: the merge holds every lesson, attempt, receipt, solve and hint of each side', () => {
    fc.assert(
      fc.property(progressArb, progressArb, (a, b) => {
        const m = mergeProgress(a, b);
        for (const side of [a, b]) {
          for (const slug of Object.keys(side.lessons)) expect(m.lessons[slug]?.seen).toBe(true);
          for (const id of Object.keys(side.receipts)) expect(m.receipts[id]).toBeDefined();
          for (const [id, exercise] of Object.entries(side.exercises)) {
            const merged = m.exercises[id]!;
            expect(merged.attempts).toEqual(expect.arrayContaining(exercise.attempts));
            if (exercise.solved) expect(merged.solved).toBe(true);
            expect(merged.hintsUsed).toBeGreaterThanOrEqual(exercise.hintsUsed);
            if (exercise.bestScore !== undefined) {
              expect(merged.bestScore).toBeGreaterThanOrEqual(exercise.bestScore);
            }
          }
        }
        // And it is still valid progress.
        expect(progressV2Schema.safeParse(m).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the earliest first visit and solve, and the latest attempt with its outcome', () => {
    const a: ProgressState = {
      ...emptyProgress(),
      lessons: { '01-a': { seen: true, firstSeenAt: '2026-01-02T00:00:00.000Z' } },
      exercises: {
        e: {
          attempts: ['x'],
          solved: true,
          solvedAt: '2026-01-02T00:00:00.000Z',
          bestScore: 1,
          hintsUsed: 1,
          lastAttemptAt: '2026-01-02T00:00:00.000Z',
          lastPassed: true,
        },
      },
    };
    const b: ProgressState = {
      ...emptyProgress(),
      lessons: { '01-a': { seen: true, firstSeenAt: '2026-01-01T00:00:00.000Z' } },
      exercises: {
        e: {
          attempts: ['y'],
          solved: false,
          bestScore: 0.5,
          hintsUsed: 3,
          lastAttemptAt: '2026-01-03T00:00:00.000Z',
          lastPassed: false,
        },
      },
    };
    const m = mergeProgress(a, b);
    expect(m.lessons['01-a']!.firstSeenAt).toBe('2026-01-01T00:00:00.000Z');
    expect(m.exercises['e']).toEqual({
      attempts: ['x', 'y'],
      solved: true,
      solvedAt: '2026-01-02T00:00:00.000Z',
      bestScore: 1,
      hintsUsed: 3,
      lastAttemptAt: '2026-01-03T00:00:00.000Z',
      lastPassed: false,
    });
  });
});

describe('migrations', () => {
  const v1: ProgressV1 = {
    version: 1,
    seenLessons: ['01-business-objectives', '02-ml-vs-business-metrics'],
    solvedExercises: ['fraud-threshold'],
    hintsUsed: { 'fraud-threshold': 2, 'fraud-cost': 1 },
  };
  const at = '2026-02-01T00:00:00.000Z';

  it('v1 → v2 keeps every seen lesson, solved exercise and hint count', () => {
    const v2 = migrateV1toV2(v1, at);
    expect(v2).toEqual({
      version: 2,
      lessons: {
        '01-business-objectives': { seen: true, firstSeenAt: at },
        '02-ml-vs-business-metrics': { seen: true, firstSeenAt: at },
      },
      exercises: {
        'fraud-cost': { attempts: [], solved: false, hintsUsed: 1 },
        'fraud-threshold': { attempts: [], solved: true, bestScore: 1, hintsUsed: 2 },
      },
      receipts: {},
    });
    expect(progressV2Schema.safeParse(v2).success).toBe(true);
  });

  it('the chain walks v1 up to v2, passes v2 through, and refuses a newer version', () => {
    const fromV1 = migrateToCurrent(JSON.parse(JSON.stringify(v1)), at);
    expect(fromV1).toMatchObject({ ok: true, fromVersion: 1 });
    const v2 = migrateV1toV2(v1, at);
    expect(migrateToCurrent(v2, at)).toEqual({ ok: true, state: v2, fromVersion: 2 });
    expect(migrateToCurrent({ version: 3, anything: true }, at)).toMatchObject({
      ok: false,
      kind: 'newer-version',
      version: 3,
    });
    expect(migrateToCurrent({ lessons: {} }, at)).toMatchObject({
      ok: false,
      kind: 'not-progress',
    });
    expect(migrateToCurrent({ ...v1, seenLessons: 'all' }, at)).toMatchObject({
      ok: false,
      kind: 'invalid',
      detail: 'seenLessons should be a list',
    });
  });

  it('a store over v1 data upgrades it, keeps everything and backs up the old text', () => {
    const raw = JSON.stringify(v1);
    const storage = memoryStorage({ [PROGRESS_STORAGE_KEY]: raw });
    const store = createProgressStore({ storage, now: tickingClock() });
    expect(store.notices()).toEqual([]);
    const state = store.state();
    expect(Object.keys(state.lessons).sort()).toEqual(v1.seenLessons);
    expect(state.exercises['fraud-threshold']).toMatchObject({ solved: true, hintsUsed: 2 });
    expect(state.exercises['fraud-cost']).toMatchObject({ solved: false, hintsUsed: 1 });
    expect(storedState(storage)).toEqual(state);
    expect(storage.map.get(`${BACKUP_KEY_PREFIX}1`)).toBe(raw);
  });
});

describe('quarantine of unreadable stored data', () => {
  it('keeps text that is not JSON under a quarantine key, tells the learner and starts afresh', () => {
    const raw = '{"version": 2, "lessons": {oops';
    const storage = memoryStorage({ [PROGRESS_STORAGE_KEY]: raw });
    const store = createProgressStore({ storage, now: tickingClock() });
    const [key] = quarantineKeys(storage);
    expect(key).toBeDefined();
    expect(storage.map.get(key!)).toBe(raw);
    expect(store.notices()).toEqual([
      expect.objectContaining({ kind: 'quarantined', key, sourceKey: PROGRESS_STORAGE_KEY }),
    ]);
    expect(store.notices()[0]!.message).toContain('not valid JSON');
    expect(store.notices()[0]!.message).toContain(key);
    expect(store.state()).toEqual(emptyProgress());
    expect(store.quarantinedCopies()).toEqual([
      { key, savedAt: key!.slice(QUARANTINE_KEY_PREFIX.length) },
    ]);
    expect(store.readQuarantined(key!)).toBe(raw);
    // The next load finds a readable value and quarantines nothing more.
    const again = createProgressStore({ storage, now: tickingClock() });
    expect(again.notices()).toEqual([]);
    expect(quarantineKeys(storage)).toHaveLength(1);
  });

  it('keeps text of the wrong shape aside too, and salvages the entries that are still readable', () => {
    const good = { seen: true, firstSeenAt: '2026-01-01T00:00:00.000Z' };
    const raw = JSON.stringify({
      version: 2,
      lessons: { '01-a': good, '02-b': { seen: 'yes' } },
      exercises: { 'ex-1': { attempts: [], solved: true, hintsUsed: 1, bestScore: 7 } },
      receipts: {},
    });
    const storage = memoryStorage({ [PROGRESS_STORAGE_KEY]: raw });
    const store = createProgressStore({ storage, now: tickingClock() });
    const [key] = quarantineKeys(storage);
    expect(storage.map.get(key!)).toBe(raw);
    const notice = store.notices()[0]!;
    expect(notice.kind).toBe('quarantined');
    expect(notice.message).toMatch(/^Part of your saved progress could not be read/);
    expect(notice.message).toContain('lessons.02-b.seen');
    expect(store.state().lessons).toEqual({ '01-a': good });
    expect(store.state().exercises).toEqual({});
    expect(storedState(storage)).toEqual(store.state());
  });

  it('a JSON value that is not progress at all is quarantined', () => {
    const raw = '[1, 2, 3]';
    const storage = memoryStorage({ [PROGRESS_STORAGE_KEY]: raw });
    const store = createProgressStore({ storage, now: tickingClock() });
    expect(store.notices()[0]?.kind).toBe('quarantined');
    expect(storage.map.get(quarantineKeys(storage)[0]!)).toBe(raw);
  });

  it('an unreadable seen-lessons key is kept aside and reset; readable lessons are folded in', () => {
    const storage = memoryStorage({ [SEEN_STORAGE_KEY]: 'not json' });
    const store = createProgressStore({ storage, now: tickingClock() });
    expect(store.notices()).toEqual([
      expect.objectContaining({ kind: 'quarantined', sourceKey: SEEN_STORAGE_KEY }),
    ]);
    expect(storage.map.get(quarantineKeys(storage)[0]!)).toBe('not json');
    expect(storage.map.get(SEEN_STORAGE_KEY)).toBe('{}');

    storage.map.set(SEEN_STORAGE_KEY, JSON.stringify({ '01-a': '2026-01-05T00:00:00.000Z' }));
    store.applyExternalChange(SEEN_STORAGE_KEY);
    expect(store.state().lessons).toEqual({
      '01-a': { seen: true, firstSeenAt: '2026-01-05T00:00:00.000Z' },
    });
    expect(storedState(storage).lessons).toEqual(store.state().lessons);
  });

  it('when the copy cannot be kept aside, the unreadable value is left untouched', () => {
    const raw = 'garbage';
    const storage = memoryStorage({ [PROGRESS_STORAGE_KEY]: raw });
    storage.failWrites = () => true;
    const store = createProgressStore({ storage, now: tickingClock() });
    store.markLessonSeen('01-a');
    expect(storage.map.get(PROGRESS_STORAGE_KEY)).toBe(raw);
    expect(store.notices().map((n) => n.kind)).toEqual(['write-failed']);
    storage.failWrites = null;
    store.markLessonSeen('02-b');
    expect(storage.map.get(quarantineKeys(storage)[0]!)).toBe(raw);
    expect(Object.keys(storedState(storage).lessons)).toEqual(['01-a', '02-b']);
    expect(store.notices().map((n) => n.kind)).toEqual(['quarantined']);
  });
});

describe('a newer stored version', () => {
  it('is refused, reported, and never overwritten', () => {
    const raw = JSON.stringify({ version: 3, lessons: { x: 'something new' } });
    const storage = memoryStorage({ [PROGRESS_STORAGE_KEY]: raw });
    const store = createProgressStore({ storage, now: tickingClock() });
    expect(store.isReadOnly()).toBe(true);
    expect(store.notices()).toEqual([expect.objectContaining({ kind: 'newer-version' })]);
    expect(store.notices()[0]!.message).toContain('newer version');
    store.markLessonSeen('01-a');
    store.recordHintsUsed('ex-1', 2);
    store.applyExternalChange(PROGRESS_STORAGE_KEY);
    expect(store.state().lessons['01-a']).toBeDefined(); // kept in memory for this page
    expect(storage.map.get(PROGRESS_STORAGE_KEY)).toBe(raw);
    expect(quarantineKeys(storage)).toEqual([]);
    expect(
      store.importJson(buildProgressExport(emptyProgress(), '2026-01-01T00:00:00.000Z')),
    ).toEqual({ ok: false, reason: expect.stringContaining('newer version') });
    expect(storage.map.get(PROGRESS_STORAGE_KEY)).toBe(raw);
  });
});

describe('write failures', () => {
  it('a throwing setItem is reported; memory keeps the change and the next write persists it', () => {
    const storage = memoryStorage();
    const store = createProgressStore({ storage, now: tickingClock() });
    let calls = 0;
    store.subscribe(() => (calls += 1));
    storage.failWrites = (key) => key === PROGRESS_STORAGE_KEY;
    store.recordAttempt('ex-1', receipt('ex-1', '2026-03-01T11:00:00.000Z', 1, true), {
      passed: true,
      score: 1,
    });
    expect(store.state().exercises['ex-1']?.solved).toBe(true);
    expect(storage.map.has(PROGRESS_STORAGE_KEY)).toBe(false);
    const [notice] = store.notices();
    expect(notice?.kind).toBe('write-failed');
    expect(notice?.message).toContain('storage for this site is full');
    expect(calls).toBe(1);

    storage.failWrites = null;
    store.markLessonSeen('01-a');
    const stored = storedState(storage);
    expect(stored.exercises['ex-1']?.solved).toBe(true);
    expect(stored.lessons['01-a']).toBeDefined();
    expect(store.notices()).toEqual([]);
  });
});

describe('recording progress', () => {
  it('records attempts with their receipts, the best score, hints and the latest outcome', () => {
    const storage = memoryStorage();
    const store = createProgressStore({ storage, now: tickingClock() });
    const r1 = receipt('ex-1', '2026-03-01T11:00:00.000Z', 1, false);
    const r2 = receipt('ex-1', '2026-03-01T11:05:00.000Z', 2, true);
    const r3 = receipt('ex-1', '2026-03-01T11:09:00.000Z', 3, false);
    store.recordHintsUsed('ex-1', 2);
    store.recordAttempt('ex-1', r1, { passed: false, score: 0.5 });
    store.recordAttempt('ex-1', r2, { passed: true, score: 1 });
    store.recordAttempt('ex-1', r3, { passed: false, score: 0.25 });
    store.recordHintsUsed('ex-1', 1);
    const exercise = store.state().exercises['ex-1'];
    expect(exercise).toEqual({
      attempts: [attemptId(r1), attemptId(r2), attemptId(r3)],
      solved: true,
      solvedAt: r2.createdAt,
      bestScore: 1,
      hintsUsed: 2,
      lastAttemptAt: r3.createdAt,
      lastPassed: false,
    });
    expect(store.state().receipts[attemptId(r2)]).toEqual(r2);
    expect(storedState(storage)).toEqual(store.state());
  });

  it('refuses a bad receipt, a receipt for another exercise and a score out of range, changing nothing', () => {
    const store = createProgressStore({ storage: memoryStorage(), now: tickingClock() });
    const good = receipt('ex-1', '2026-03-01T11:00:00.000Z', 1, true);
    expect(() =>
      store.recordAttempt('ex-1', { ...good, inputsHash: 'xyz' }, { passed: true, score: 1 }),
    ).toThrow(/receipt.inputsHash/);
    expect(() =>
      store.recordAttempt('ex-1', { ...good, createdAt: 'yesterday' }, { passed: true, score: 1 }),
    ).toThrow(/ISO time/);
    expect(() => store.recordAttempt('ex-2', good, { passed: true, score: 1 })).toThrow(/ex-1/);
    expect(() => store.recordAttempt('ex-1', good, { passed: false, score: 1.5 })).toThrow(/score/);
    expect(() => store.recordHintsUsed('ex-1', -1)).toThrow(/hints/);
    expect(() => store.markLessonSeen('')).toThrow(/slug/);
    expect(store.state()).toEqual(emptyProgress());
  });

  it('folds lessons recorded by lesson pages under mlsdl.seen into progress on load', () => {
    const storage = memoryStorage({
      [SEEN_STORAGE_KEY]: JSON.stringify({
        '01-a': '2026-01-01T00:00:00.000Z',
        '02-b': 'bad time',
      }),
    });
    const store = createProgressStore({ storage, now: tickingClock() });
    expect(store.state().lessons).toEqual({
      '01-a': { seen: true, firstSeenAt: '2026-01-01T00:00:00.000Z' },
      '02-b': { seen: true, firstSeenAt: '2026-03-01T10:00:00.000Z' },
    });
    expect(storedState(storage).lessons).toEqual(store.state().lessons);
  });
});

describe('two tabs over one storage', () => {
  it('interleaved writes and storage events converge with nothing lost', () => {
    const storage = memoryStorage();
    const tabA = createProgressStore({ storage, now: tickingClock('2026-03-01T10:00:00.000Z') });
    const tabB = createProgressStore({ storage, now: tickingClock('2026-03-01T12:00:00.000Z') });

    tabA.markLessonSeen('01-a');
    tabB.recordHintsUsed('ex-1', 2); // B re-reads before writing, so A's lesson survives
    tabA.recordAttempt('ex-1', receipt('ex-1', '2026-03-01T10:30:00.000Z', 1, false), {
      passed: false,
      score: 0.5,
    });
    tabB.markLessonSeen('02-b');
    // Each tab learns of the other's writes through storage events.
    tabA.applyExternalChange(PROGRESS_STORAGE_KEY);
    tabB.applyExternalChange(PROGRESS_STORAGE_KEY);

    const expected = storedState(storage);
    expect(Object.keys(expected.lessons)).toEqual(['01-a', '02-b']);
    expect(expected.exercises['ex-1']).toMatchObject({ hintsUsed: 2, bestScore: 0.5 });
    expect(expected.exercises['ex-1']!.attempts).toHaveLength(1);
    expect(tabA.state()).toEqual(expected);
    expect(tabB.state()).toEqual(expected);
  });

  it('a tab whose write was overwritten by a stale one writes the merge back on the event', () => {
    const storage = memoryStorage();
    const tabA = createProgressStore({ storage, now: tickingClock() });
    const tabB = createProgressStore({ storage, now: tickingClock() });
    tabA.markLessonSeen('01-a');
    // Tab B writes from a stale view (as two processes racing on localStorage can), losing 01-a.
    const stale = {
      ...emptyProgress(),
      lessons: { '09-z': { seen: true, firstSeenAt: '2026-01-01T00:00:00.000Z' } },
    };
    storage.map.set(PROGRESS_STORAGE_KEY, JSON.stringify(stale));
    tabA.applyExternalChange(PROGRESS_STORAGE_KEY); // A still holds 01-a: it writes the merge
    expect(Object.keys(storedState(storage).lessons)).toEqual(['01-a', '09-z']);
    tabB.applyExternalChange(PROGRESS_STORAGE_KEY);
    expect(tabB.state()).toEqual(tabA.state());
    // Converged: another round of events writes nothing.
    const writes = storage.writes.length;
    tabA.applyExternalChange(PROGRESS_STORAGE_KEY);
    tabB.applyExternalChange(PROGRESS_STORAGE_KEY);
    expect(storage.writes.length).toBe(writes);
  });

  it('converges under any interleaving of random operations (property)', () => {
    type Op =
      | { tab: 0 | 1; kind: 'seen'; slug: string }
      | { tab: 0 | 1; kind: 'hints'; id: string; count: number }
      | { tab: 0 | 1; kind: 'attempt'; id: string; n: number; passed: boolean }
      | { tab: 0 | 1; kind: 'event' }
      | { tab: 0 | 1; kind: 'stale-overwrite' };
    const tabArb = fc.constantFrom(0 as const, 1 as const);
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ tab: tabArb, kind: fc.constant('seen' as const), slug: lessonSlugArb }),
      fc.record({
        tab: tabArb,
        kind: fc.constant('hints' as const),
        id: exerciseIdArb,
        count: fc.nat({ max: 4 }),
      }),
      fc.record({
        tab: tabArb,
        kind: fc.constant('attempt' as const),
        id: exerciseIdArb,
        n: fc.nat({ max: 20 }),
        passed: fc.boolean(),
      }),
      fc.record({ tab: tabArb, kind: fc.constant('event' as const) }),
      fc.record({ tab: tabArb, kind: fc.constant('stale-overwrite' as const) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
        const storage = memoryStorage();
        const tabs = [
          createProgressStore({ storage, now: tickingClock() }),
          createProgressStore({ storage, now: tickingClock() }),
        ] as const;
        const everything: ProgressState[] = [];
        for (const op of ops) {
          const tab = tabs[op.tab];
          if (op.kind === 'seen') tab.markLessonSeen(op.slug);
          else if (op.kind === 'hints') tab.recordHintsUsed(op.id, op.count);
          else if (op.kind === 'attempt') {
            const at = new Date(Date.parse('2026-03-01T00:00:00.000Z') + op.n * 60_000);
            tab.recordAttempt(op.id, receipt(op.id, at.toISOString(), op.n, op.passed), {
              passed: op.passed,
              score: op.passed ? 1 : 0.5,
            });
          } else if (op.kind === 'event') tab.applyExternalChange(PROGRESS_STORAGE_KEY);
          // A racing write from this tab's own (possibly stale) memory, bypassing the merge.
          else storage.map.set(PROGRESS_STORAGE_KEY, JSON.stringify(tab.state()));
          everything.push(tab.state());
        }
        // Both tabs receive the events they are owed.
        for (let round = 0; round < 2; round += 1) {
          tabs[0].applyExternalChange(PROGRESS_STORAGE_KEY);
          tabs[1].applyExternalChange(PROGRESS_STORAGE_KEY);
        }
        const stored = storedStateOrEmpty(storage);
        const union = everything.reduce(mergeProgress, emptyProgress());
        return (
          same(tabs[0].state(), tabs[1].state()) &&
          same(stored, tabs[0].state()) &&
          same(stored, mergeProgress(stored, union))
        );
      }),
      { numRuns: 200 },
    );
  });
});

function storedStateOrEmpty(storage: TestStorage): ProgressState {
  return storage.map.has(PROGRESS_STORAGE_KEY) ? storedState(storage) : emptyProgress();
}

describe('export and import', () => {
  function filledStore(): ReturnType<typeof createProgressStore> {
    const store = createProgressStore({ storage: memoryStorage(), now: tickingClock() });
    store.markLessonSeen('01-business-objectives');
    store.recordHintsUsed('ex-2', 1);
    store.recordAttempt('ex-1', receipt('ex-1', '2026-03-01T11:00:00.000Z', 1, true), {
      passed: true,
      score: 1,
    });
    return store;
  }

  it('export → import into an empty store reproduces the state', () => {
    const source = filledStore();
    const text = source.exportJson(new Date('2026-03-02T09:00:00.000Z'));
    const file = JSON.parse(text) as Record<string, unknown>;
    expect(file).toMatchObject({
      format: 'mlsdl-progress',
      version: 2,
      exportedAt: '2026-03-02T09:00:00.000Z',
    });
    const storage = memoryStorage();
    const target = createProgressStore({ storage, now: tickingClock() });
    expect(target.importJson(text)).toEqual({
      ok: true,
      added: { lessons: 1, exercises: 2, receipts: 1 },
      saved: true,
    });
    expect(target.state()).toEqual(source.state());
    expect(storedState(storage)).toEqual(source.state());
    // Importing it again adds nothing.
    expect(target.importJson(text)).toMatchObject({
      ok: true,
      added: { lessons: 0, exercises: 0, receipts: 0 },
    });
  });

  it('import merges: what this browser had is kept', () => {
    const text = filledStore().exportJson();
    const storage = memoryStorage();
    const target = createProgressStore({ storage, now: tickingClock() });
    target.markLessonSeen('02-ml-vs-business-metrics');
    target.recordHintsUsed('ex-2', 3);
    expect(target.importJson(text)).toMatchObject({ ok: true });
    expect(Object.keys(target.state().lessons)).toEqual([
      '01-business-objectives',
      '02-ml-vs-business-metrics',
    ]);
    expect(target.state().exercises['ex-2']?.hintsUsed).toBe(3);
    expect(target.state().exercises['ex-1']?.solved).toBe(true);
  });

  it('accepts an older export (v1) by migration, and a bare stored value', () => {
    const v1Export = JSON.stringify({
      format: 'mlsdl-progress',
      version: 1,
      exportedAt: '2025-12-01T00:00:00.000Z',
      progress: { version: 1, seenLessons: ['01-a'], solvedExercises: ['ex-1'], hintsUsed: {} },
    });
    const parsed = parseProgressImport(v1Export, '2026-01-01T00:00:00.000Z');
    expect(parsed).toMatchObject({ ok: true, fromVersion: 1 });
    const bare = JSON.stringify(filledStore().state());
    expect(parseProgressImport(bare, '2026-01-01T00:00:00.000Z')).toMatchObject({
      ok: true,
      fromVersion: 2,
    });
  });

  const refusals: [string, string, RegExp][] = [
    ['not JSON', 'hello, world', /not JSON/],
    ['an empty file', '  \n', /empty/],
    ['a JSON list', '[1,2]', /JSON list/],
    ['a JSON string', '"mlsdl-progress"', /single JSON value/],
    [
      'a receipt',
      JSON.stringify(receipt('ex-1', '2026-03-01T11:00:00.000Z', 1, true)),
      /receipt of one exercise submission, not a progress export/,
    ],
    ['a package.json', '{"name":"x","version":"1.0.0"}', /package or project file/],
    ['some other format', '{"format":"tutorialkit"}', /format is "tutorialkit"/],
    ['foreign JSON', '{"a":1}', /not a progress export of this course/],
    [
      'a newer export',
      JSON.stringify({ format: 'mlsdl-progress', version: 3, progress: { version: 3 } }),
      /newer version of the course \(progress format 3/,
    ],
    [
      'a damaged export',
      JSON.stringify({
        format: 'mlsdl-progress',
        version: 2,
        progress: {
          version: 2,
          lessons: {},
          exercises: { 'ex-1': { attempts: [], solved: true, hintsUsed: 1, bestScore: 2 } },
          receipts: {},
        },
      }),
      /damaged: progress\.exercises\.ex-1\.bestScore should be at most 1/,
    ],
    [
      'an export without progress',
      JSON.stringify({ format: 'mlsdl-progress', version: 2 }),
      /no "progress" field/,
    ],
  ];

  for (const [what, text, reason] of refusals) {
    it(`refuses ${what} with a clear reason and changes nothing`, () => {
      const storage = memoryStorage();
      const store = filledStore();
      const before = store.state();
      const target = createProgressStore({ storage, now: tickingClock() });
      target.importJson(store.exportJson());
      const storedBefore = new Map(storage.map);
      const stateBefore = target.state();
      const outcome = target.importJson(text);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(outcome.reason).toMatch(reason);
        expect(outcome.reason).toMatch(/Nothing was imported/);
      }
      expect(target.state()).toBe(stateBefore);
      expect(target.state()).toEqual(before);
      expect(storage.map).toEqual(storedBefore);
    });
  }

  it('names the download by local date', () => {
    expect(exportFileName(new Date(2026, 2, 7, 23, 59))).toBe(
      'ml-systems-design-lab-progress-2026-03-07.json',
    );
  });
});

describe('summariseCourse', () => {
  const lessons = [
    { slug: '01-a', title: 'A', href: '/lessons/01-a/' },
    { slug: '02-b', title: 'B', href: '/lessons/02-b/' },
    { slug: '03-c', title: 'C', href: '/lessons/03-c/' },
    { slug: 'lesson-4', title: 'D', href: null },
  ];
  const exercisesByLesson = { '02-b': ['ex-1', 'ex-2'], '03-c': ['ex-3'] };

  it('marks lessons done, in progress, not started and coming, and picks the next step', () => {
    const state: ProgressState = {
      ...emptyProgress(),
      lessons: {
        '01-a': { seen: true, firstSeenAt: '2026-01-01T00:00:00.000Z' },
        '02-b': { seen: true, firstSeenAt: '2026-01-01T00:00:00.000Z' },
        'lesson-4': { seen: true, firstSeenAt: '2026-01-01T00:00:00.000Z' },
      },
      exercises: {
        'ex-1': { attempts: [], solved: true, hintsUsed: 0 },
        'ex-2': { attempts: ['t'], solved: false, bestScore: 0.5, hintsUsed: 0 },
      },
    };
    const summary = summariseCourse(lessons, exercisesByLesson, state);
    expect(
      summary.lessons.map((l) => [l.slug, l.status, l.exercisesSolved, l.exercisesTotal]),
    ).toEqual([
      ['01-a', 'done', 0, 0],
      ['02-b', 'in-progress', 1, 2],
      ['03-c', 'not-started', 0, 1],
      ['lesson-4', 'coming', 0, 0],
    ]);
    expect(summary.nextStep?.slug).toBe('02-b');
    expect(summary).toMatchObject({
      lessonsAvailable: 3,
      lessonsDone: 1,
      exercisesSolved: 1,
      exercisesTotal: 3,
    });
  });

  it('starts with lesson 1 on empty progress and has no next step when all written lessons are done', () => {
    expect(summariseCourse(lessons, exercisesByLesson, emptyProgress()).nextStep?.slug).toBe(
      '01-a',
    );
    const all: ProgressState = {
      ...emptyProgress(),
      lessons: Object.fromEntries(
        ['01-a', '02-b', '03-c'].map((s) => [
          s,
          { seen: true as const, firstSeenAt: '2026-01-01T00:00:00.000Z' },
        ]),
      ),
      exercises: Object.fromEntries(
        ['ex-1', 'ex-2', 'ex-3'].map((id) => [id, { attempts: [], solved: true, hintsUsed: 0 }]),
      ),
    };
    const summary = summariseCourse(lessons, exercisesByLesson, all);
    expect(summary.nextStep).toBeNull();
    expect(summary.lessonsDone).toBe(3);
  });

  it('reads a slug from a lesson link', () => {
    expect(lessonSlugFromHref('/lessons/01-business-objectives/')).toBe('01-business-objectives');
    expect(lessonSlugFromHref('/base/lessons/02-x/#top')).toBe('02-x');
  });
});
