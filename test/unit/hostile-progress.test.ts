/**
 * Hostile progress imports, in bulk, through the store the progress page uses: `importJson`
 * never throws; a refused file gets a plain reason and leaves the store and its storage
 * byte-identical (exportJson and every stored key compared before and after); an accepted file
 * leaves valid progress that still holds everything the learner had.
 *
 * Generated cases (numRuns): junk files 120, text edits of a valid export 150, field mutations of
 * a valid export 200, field mutations of bare stored progress 100. In all 570 cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProgressImport } from '@lib/progress/exchange';
import { PROGRESS_STORAGE_KEY, progressV2Schema } from '@lib/progress/schema';
import { createProgressStore, type KeyValueStorage } from '@lib/progress/store';
import { realReceipt } from './assignments-fixtures';
import {
  applyEdits,
  deeplyNested,
  expectNoPollution,
  expectPlainMessage,
  hostileJsonValue,
  jsonPaths,
  junkText,
  replaceAt,
  textEdits,
} from './hostile-helpers';

const FIXED = new Date('2026-11-27T12:00:00.000Z');

/** localStorage over a Map. */
function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    keys: () => [...map.keys()],
  };
}

/** A store holding a seen lesson, hints and a real attempt with its receipt. */
const receipt = await realReceipt('pilot-downside', null);
function filledStore() {
  const storage = memoryStorage();
  const store = createProgressStore({ storage, now: () => FIXED });
  store.markLessonSeen('05-realistic-returns');
  store.recordHintsUsed('smaller-shop', 2);
  store.recordAttempt('pilot-downside', receipt, { passed: receipt.passed, score: 1 });
  return { storage, store };
}

/** A valid export of another learner's progress (a different lesson and exercise). */
const otherExport = (() => {
  const storage = memoryStorage();
  const store = createProgressStore({ storage, now: () => FIXED });
  store.markLessonSeen('06-reliability');
  store.recordAttempt('pilot-downside', receipt, { passed: receipt.passed, score: 1 });
  store.recordHintsUsed('smaller-shop', 1);
  return store.exportJson(FIXED);
})();
const exportDocument = JSON.parse(otherExport) as { progress: unknown };
const bareDocument = exportDocument.progress;

/** Imports `text` into a filled store and checks the outcome. */
function expectSoundImport(text: string): void {
  const { storage, store } = filledStore();
  const exportBefore = store.exportJson(FIXED);
  const storedBefore = JSON.stringify([...storage.map.entries()].sort());
  let outcome!: ReturnType<typeof store.importJson>;
  expect(() => (outcome = store.importJson(text))).not.toThrow();
  if (!outcome.ok) {
    expectPlainMessage(outcome.reason, [text]);
    expect(outcome.reason).toMatch(/Nothing was imported/);
    expect(store.exportJson(FIXED)).toBe(exportBefore);
    expect(JSON.stringify([...storage.map.entries()].sort())).toBe(storedBefore);
  } else {
    // Accepted: saved in full (this storage never runs out of room), and valid.
    expect(outcome.saved).toBe(true);
    expect(store.notices()).toEqual([]);
    const stored = JSON.parse(storage.map.get(PROGRESS_STORAGE_KEY) ?? 'null') as unknown;
    expect(progressV2Schema.safeParse(stored).success).toBe(true);
    expect(stored).toEqual(JSON.parse(JSON.stringify(store.state())));
    const before = JSON.parse(exportBefore) as {
      progress: Record<string, Record<string, unknown>>;
    };
    const after = store.state() as unknown as Record<string, Record<string, unknown>>;
    for (const part of ['lessons', 'exercises', 'receipts'] as const) {
      for (const key of Object.keys(before.progress[part] ?? {})) {
        expect(Object.hasOwn(after[part] ?? {}, key), `${part}.${key} lost`).toBe(true);
      }
    }
  }
  expectNoPollution();
}

const exportPaths = jsonPaths(exportDocument);
const barePaths = jsonPaths(bareDocument);

describe('progress imports, hostile', () => {
  it('refuses junk files and leaves storage byte-identical (120 cases)', () => {
    const junkFile = fc.oneof(
      junkText,
      junkText.map((text) => `\uFEFF${text}`),
      fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)),
      // Deep nesting where a receipt's inputs sit, up to 200,000 levels: found while writing
      // these generators; the store accepted such a file and then threw (merging) or could not
      // save anything more (JSON.stringify overflowing the stack).
      fc
        .integer({ min: 20, max: 200_000 })
        .map((depth) =>
          otherExport.replace(
            '"inputs": {',
            `"inputs": {"deep": ${'['.repeat(depth)}1${']'.repeat(depth)},`,
          ),
        ),
      fc
        .integer({ min: 100, max: 3000 })
        .map((depth) =>
          JSON.stringify({ format: 'mlsdl-progress', version: 2, progress: deeplyNested(depth) }),
        ),
      fc.constantFrom(
        '{"format":"mlsdl-progress","version":2}',
        '{"format":"mlsdl-progress","version":"2","progress":{}}',
        '{"format":"mlsdl-progress","version":3,"progress":{}}',
        '{"format":"mlsdl-progress","version":1e999,"progress":{}}',
        '{"version":2,"lessons":{"__proto__":{"seen":true}}}',
        '{"__proto__":{"polluted":"yes"},"version":2,"lessons":{}}',
        '{"format":"mlsdl-receipt"}',
        '{"name":"x","version":"1.0.0"}',
      ),
    );
    fc.assert(fc.property(junkFile, expectSoundImport), { numRuns: 120 });
  });

  it('refuses text edits of a valid export, or merges them without loss (150 cases)', () => {
    fc.assert(
      fc.property(textEdits, (edits) => expectSoundImport(applyEdits(otherExport, edits))),
      { numRuns: 150 },
    );
  });

  it('refuses field mutations of a valid export by field (200 cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...exportPaths), hostileJsonValue, (path, value) => {
        const mutated = replaceAt(exportDocument, path, value);
        expectSoundImport(JSON.stringify(mutated) ?? '');
      }),
      { numRuns: 200 },
    );
  });

  it('refuses field mutations of bare stored progress (100 cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...barePaths), hostileJsonValue, (path, value) => {
        const mutated = replaceAt(bareDocument, path, value);
        expectSoundImport(JSON.stringify(mutated) ?? '');
      }),
      { numRuns: 100 },
    );
  });

  it('keeps prototype keys in an import as data, never as prototypes (hand-made)', () => {
    const hostile = otherExport.replace(
      '"lessons": {',
      '"lessons": {"__proto__": {"seen": true, "firstSeenAt": "2026-11-27T12:00:00.000Z"},',
    );
    expectSoundImport(hostile);
    const parsed = parseProgressImport(hostile, FIXED.toISOString());
    if (parsed.ok) expect(Object.getPrototypeOf(parsed.state.lessons)).not.toHaveProperty('seen');
    expectNoPollution();
  });
});
