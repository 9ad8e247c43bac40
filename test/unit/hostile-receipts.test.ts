/**
 * Hostile receipts and submission bundles, in bulk. A receipt is mutated field by field (wrong
 * types, huge numbers, NaN strings, deep nesting, prototype keys) and verified against its
 * exercise with the real replay; a bundle is fed to the dashboard's reader as junk, as text edits
 * and as field mutations, and every bundle it accepts is verified. Nothing may throw; every
 * refusal and every flag is plain words; no prototype is polluted.
 *
 * Generated cases (numRuns): receipt field mutations 150, receipts replaced by any JSON 50,
 * junk bundle files 100, text edits of a valid bundle 100, field mutations of a valid bundle 150.
 * In all 550 cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAssignment } from '@lib/assignments/assignment';
import { MAX_JSON_DEPTH } from '@lib/assignments/json-text';
import {
  buildSubmission,
  parseSubmission,
  submissionFileText,
  type SubmissionRead,
} from '@lib/assignments/submission';
import { verifySubmission } from '@lib/assignments/verify';
import { verifyReceipt, type VerifyResult } from '@lib/exercises/receipts';
import { exercise, exercises, knownIds, realReceipt, replayFor } from './assignments-fixtures';
import {
  applyEdits,
  expectNoPollution,
  expectPlainMessage,
  hostileJsonValue,
  jsonPaths,
  junkText,
  replaceAt,
  textEdits,
} from './hostile-helpers';

const CODE = 'group 7 ada';
const receipt = await realReceipt('pilot-downside', null);
const receiptDocument = JSON.parse(JSON.stringify(receipt)) as unknown;
const receiptPaths = jsonPaths(receiptDocument);

const created = await createAssignment(
  {
    title: 'Week 5',
    due: 'Friday',
    exerciseIds: ['pilot-downside', 'smaller-shop'],
    variants: true,
  },
  knownIds,
);
if (!created.ok) throw new Error(created.reason);
const expected = { assignment: created.assignment, id: created.id };
const bundle = await buildSubmission({
  assignment: expected.assignment,
  receipts: [await realReceipt('pilot-downside', CODE), await realReceipt('smaller-shop', CODE)],
  name: 'Ada Lovelace',
  code: CODE,
  now: new Date('2026-11-27T12:00:00.000Z'),
});
const bundleText = submissionFileText(bundle);
const bundleDocument = JSON.parse(bundleText) as unknown;
const bundlePaths = jsonPaths(bundleDocument);

/** Strings anywhere in a JSON value: refusals may quote them. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      stringsIn(item, out);
    }
  }
  return out;
}

async function expectSoundVerdict(candidate: unknown): Promise<void> {
  let verdict!: VerifyResult;
  await expect(
    (async () =>
      (verdict = await verifyReceipt(
        candidate,
        exercise('pilot-downside'),
        replayFor('returns'),
      )))(),
  ).resolves.toBeDefined();
  if (!verdict.ok) expectPlainMessage(verdict.reason, stringsIn(candidate));
  expectNoPollution();
}

async function expectSoundBundle(text: string): Promise<void> {
  let read!: SubmissionRead;
  await expect((async () => (read = await parseSubmission(text)))()).resolves.toBeDefined();
  if (!read.ok) {
    expectPlainMessage(read.reason, [text]);
  } else {
    const report = await verifySubmission({
      submission: read.submission,
      exercises,
      expected,
      replayFor,
    });
    const quoted = stringsIn(JSON.parse(text));
    for (const flag of report.flags) expectPlainMessage(flag, quoted);
    for (const cell of report.cells) {
      if (cell.reason !== null) expectPlainMessage(cell.reason, quoted);
      for (const note of cell.notes) expectPlainMessage(note, quoted);
    }
  }
  expectNoPollution();
}

describe('receipts, hostile', () => {
  it('verifies or refuses field mutations of a valid receipt, plainly (150 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...receiptPaths), hostileJsonValue, async (path, value) => {
        // Through JSON, as a receipt arrives in a file (a bare object prototype stays data).
        const text = JSON.stringify(replaceAt(receiptDocument, path, value)) ?? 'null';
        await expectSoundVerdict(JSON.parse(text));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses any other JSON value as a receipt (50 cases)', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), expectSoundVerdict), {
      numRuns: 50,
    });
  });

  it('still verifies the untouched receipt (the mutations above are what fail)', async () => {
    const verdict = await verifyReceipt(
      receiptDocument,
      exercise('pilot-downside'),
      replayFor('returns'),
    );
    expect(verdict.ok).toBe(true);
  });
});

describe('submission bundles, hostile', () => {
  it('refuses junk files plainly (100 cases)', async () => {
    const junkFile = fc.oneof(
      junkText,
      junkText.map((text) => `\uFEFF${text}`),
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
      // A receipt's inputs nested up to 200,000 levels deep (they once overflowed the hash).
      fc
        .integer({ min: 20, max: 200_000 })
        .map((depth) =>
          bundleText.replace(
            '"inputs": {',
            `"inputs": {"deep": ${'['.repeat(depth)}1${']'.repeat(depth)},`,
          ),
        ),
      fc.constantFrom(
        '{"format":"mlsdl-submission"}',
        '{"format":"mlsdl-submission","version":2}',
        '{"format":"mlsdl-submission","version":1,"assignment":{"definition":{"version":9}}}',
        '{"format":"mlsdl-progress"}',
        '{"__proto__":{"polluted":"yes"},"format":"mlsdl-submission"}',
      ),
    );
    await fc.assert(fc.asyncProperty(junkFile, expectSoundBundle), { numRuns: 100 });
  });

  it('refuses text edits of a valid bundle, or verifies what it reads (100 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(textEdits, (edits) => expectSoundBundle(applyEdits(bundleText, edits))),
      { numRuns: 100 },
    );
  });

  it('refuses field mutations of a valid bundle, or flags them plainly (150 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bundlePaths), hostileJsonValue, async (path, value) => {
        const text = JSON.stringify(replaceAt(bundleDocument, path, value), null, 2) ?? '';
        await expectSoundBundle(text);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a bundle nested too deep to check (found probing deep nesting)', async () => {
    // A receipt's inputs nested 100,000 levels deep once passed the schema and then overflowed
    // the stack of the hash; the reader now refuses it before anything walks it.
    const depth = 100_000;
    const text = bundleText.replace(
      '"inputs": {',
      `"inputs": {"deep": ${'['.repeat(depth)}1${']'.repeat(depth)},`,
    );
    const read = await parseSubmission(text);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.reason).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
      expectPlainMessage(read.reason);
    }
  });
});
