/**
 * Hostile assignment links and files, in bulk: `readAssignmentFragment` and `readAssignmentFile`
 * never throw (the promise always resolves), and return either a valid assignment or a reason in
 * plain words, with no prototype polluted.
 *
 * Generated cases (numRuns): junk fragments 150, text edits of a valid link 150, base64url of
 * junk or mutated JSON 150, junk files 100, field mutations of a valid file 150, text edits of a
 * valid file 100. In all 800 cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignmentFileText,
  assignmentFragment,
  assignmentSchema,
  createAssignment,
  readAssignmentFile,
  readAssignmentFragment,
  type Assignment,
  type AssignmentRead,
} from '@lib/assignments/assignment';
import { toBase64Url } from '@lib/assignments/json-text';
import { knownIds } from './assignments-fixtures';
import {
  applyEdits,
  DELETE,
  expectNoPollution,
  expectPlainMessage,
  hostileJsonValue,
  jsonPaths,
  junkText,
  replaceAt,
  textEdits,
} from './hostile-helpers';

const valid = await createAssignment(
  {
    title: 'Week 5 <b>review</b>',
    due: 'Friday 17:00',
    exerciseIds: [...knownIds].slice(0, 3),
    variants: true,
  },
  knownIds,
);
if (!valid.ok) throw new Error(valid.reason);
const assignment: Assignment = valid.assignment;
const fragment = assignmentFragment(assignment);
const fileText = assignmentFileText(assignment);
const document = JSON.parse(fileText) as unknown;
const paths = jsonPaths(document);

/** The checks every read must pass. */
async function expectSoundRead(read: Promise<AssignmentRead>, input: string): Promise<void> {
  let outcome!: AssignmentRead;
  await expect((async () => (outcome = await read))()).resolves.toBeDefined();
  if (outcome.ok) {
    expect(assignmentSchema.safeParse(outcome.assignment).success).toBe(true);
    expect(outcome.id).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
    for (const id of outcome.assignment.exerciseIds) expect(knownIds.has(id)).toBe(true);
  } else {
    // A refusal may quote an exercise id or a field from the input; those are the input's words.
    expectPlainMessage(outcome.reason, [input]);
    expect(outcome.reason.length).toBeLessThan(2_000);
  }
  expectNoPollution();
}

/** A JSON document with one field replaced (or removed) by a hostile value. */
const mutatedDocument = fc
  .tuple(fc.constantFrom(...paths), hostileJsonValue)
  .map(([path, value]) => replaceAt(document, path, value));

describe('assignment links, hostile', () => {
  it('refuses junk fragments plainly (150 cases)', async () => {
    const junkFragment = fc.oneof(
      junkText,
      junkText.map((text) => `#a=${text}`),
      junkText.map((text) => `a=${encodeURIComponent(text)}`),
      fc.constantFrom(
        '#',
        '#a',
        '#a=',
        '#a==',
        '#a=%',
        '#b=1&a=',
        '#a=====',
        'https://x/#a=%E0%A4%A',
      ),
      fc.string({ unit: 'binary', maxLength: 30_000, minLength: 19_000 }),
    );
    await fc.assert(
      fc.asyncProperty(junkFragment, (text) =>
        expectSoundRead(readAssignmentFragment(text, knownIds), text),
      ),
      { numRuns: 150 },
    );
  });

  it('refuses text edits of a valid link, or reads a valid assignment (150 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(textEdits, async (edits) => {
        const text = applyEdits(fragment, edits);
        await expectSoundRead(readAssignmentFragment(text, knownIds), text);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses well-encoded links to junk or damaged JSON (150 cases)', async () => {
    const payload = fc.oneof(
      mutatedDocument.map((value) => JSON.stringify(value) ?? 'null'),
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
      junkText,
    );
    await fc.assert(
      fc.asyncProperty(payload, async (json) => {
        const text = `#a=${toBase64Url(json)}`;
        await expectSoundRead(readAssignmentFragment(text, knownIds), json);
      }),
      { numRuns: 150 },
    );
  });
});

describe('assignment files, hostile', () => {
  it('refuses junk files plainly (100 cases)', async () => {
    const junkFile = fc.oneof(
      junkText,
      junkText.map((text) => `\uFEFF${text}`),
      fc.constantFrom(
        '{',
        '[',
        '{"format":"mlsdl-assignment"',
        '"mlsdl-assignment"',
        '\uFEFF',
        'null',
      ),
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(junkFile, (text) =>
        expectSoundRead(readAssignmentFile(text, knownIds), text),
      ),
      { numRuns: 100 },
    );
  });

  it('refuses field mutations of a valid file by field (150 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedDocument, async (value) => {
        const text = value === undefined ? '' : (JSON.stringify(value, null, 2) ?? '');
        const read = await readAssignmentFile(text, knownIds);
        await expectSoundRead(Promise.resolve(read), text);
        if (!read.ok) expect(read.reason).not.toMatch(/^\s*$/);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses text edits of a valid file, or reads a valid assignment (100 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(textEdits, async (edits) => {
        const text = applyEdits(fileText, edits);
        await expectSoundRead(readAssignmentFile(text, knownIds), text);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps a prototype-polluting file from polluting (hand-made)', async () => {
    const hostile = fileText.replace(
      '{',
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},',
    );
    const read = await readAssignmentFile(hostile, knownIds);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(/fields this version does not know/);
    expectNoPollution();
    // Unused: a deleted root is refused as an empty file.
    expect(replaceAt(document, [], DELETE)).toBeUndefined();
  });
});
