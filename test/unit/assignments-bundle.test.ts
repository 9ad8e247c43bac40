import { describe, expect, it } from 'vitest';
import { createAssignment, type Assignment } from '@lib/assignments/assignment';
import {
  buildSubmission,
  exerciseStandings,
  MAX_SUBMISSION_CHARS,
  parseSubmission,
  submissionFileName,
  submissionFileText,
  type Submission,
} from '@lib/assignments/submission';
import { sharedCodes, verifySubmission, type SubmissionReport } from '@lib/assignments/verify';
import { hashInputs } from '@lib/exercises/receipts';
import { exercises, knownIds, realReceipt, replayFor } from './assignments-fixtures';

const CODE = 'Group 7  Ada';
const NORMALISED = 'group 7 ada';
const IDS = ['pilot-downside', 'smaller-shop'];

async function assignmentOf(
  variants = true,
  exerciseIds = IDS,
): Promise<{ assignment: Assignment; id: string }> {
  const read = await createAssignment(
    { title: 'Week 5', due: 'Friday', exerciseIds, variants },
    knownIds,
  );
  if (!read.ok) throw new Error(read.reason);
  return read;
}

async function bundleOf(
  options: {
    variants?: boolean;
    code?: string | null;
    extra?: Awaited<ReturnType<typeof realReceipt>>[];
  } = {},
): Promise<Submission> {
  const { assignment } = await assignmentOf(options.variants ?? true);
  const code = options.code === undefined ? CODE : options.code;
  const receipts = [
    await realReceipt('pilot-downside', options.variants === false ? null : code),
    await realReceipt('smaller-shop', options.variants === false ? null : code),
    ...(options.extra ?? []),
  ];
  return buildSubmission({
    assignment,
    receipts,
    name: 'Ada Lovelace',
    code,
    now: new Date('2026-11-27T12:00:00.000Z'),
  });
}

async function reportOf(
  submission: unknown,
  expected?: { assignment: Assignment; id: string },
): Promise<SubmissionReport> {
  const read = await parseSubmission(JSON.stringify(submission));
  if (!read.ok) throw new Error(read.reason);
  return verifySubmission({ submission: read.submission, exercises, expected, replayFor });
}

const statuses = (report: SubmissionReport): string[] => report.cells.map((cell) => cell.status);

describe('standings and building a bundle', () => {
  it('prefers the latest passing receipt made with the student’s code', async () => {
    const { assignment } = await assignmentOf();
    const failedLater = await realReceipt('pilot-downside', NORMALISED, {
      solved: false,
      at: '2026-11-27T11:00:00.000Z',
    });
    const passedEarlier = await realReceipt('pilot-downside', NORMALISED, {
      at: '2026-11-27T09:00:00.000Z',
    });
    const otherCode = await realReceipt('smaller-shop', 'someone else');
    const standings = exerciseStandings(assignment, [failedLater, passedEarlier, otherCode], CODE);
    expect(standings[0]).toMatchObject({ status: 'solved', receipt: passedEarlier });
    // Only a receipt with another code: tried, and the code is reported.
    expect(standings[1]).toMatchObject({
      status: 'tried',
      receipt: otherCode,
      otherCode: { code: 'someone else', solved: true },
    });
    expect(exerciseStandings(assignment, [failedLater], CODE)[0]?.status).toBe('tried');
    expect(exerciseStandings(assignment, [], CODE)[1]?.status).toBe('not-tried');
  });

  it('holds the assignment, its id, the student and one receipt per exercise', async () => {
    const { assignment, id } = await assignmentOf();
    // A receipt of the same exercise with another code is not chosen over the right one.
    const bundle = await bundleOf({ extra: [await realReceipt('pilot-downside', 'x')] });
    expect(bundle.format).toBe('mlsdl-submission');
    expect(bundle.version).toBe(1);
    expect(bundle.assignment).toEqual({ id, definition: assignment });
    expect(bundle.student).toEqual({ name: 'Ada Lovelace', code: NORMALISED });
    expect(bundle.receipts.map((r) => r.exerciseId)).toEqual(IDS);
    expect(submissionFileName(bundle)).toBe(`submission-ada-lovelace-${id}.json`);
    await expect(
      buildSubmission({ assignment, receipts: [], name: '  ', code: null, now: new Date() }),
    ).rejects.toThrow(RangeError);
  });

  it('stores no code when variants are off', async () => {
    const bundle = await bundleOf({ variants: false });
    expect(bundle.student.code).toBeNull();
    expect(bundle.receipts.every((r) => r.variant.code === null)).toBe(true);
  });
});

describe('verifying bundles by replay', () => {
  it('verifies a valid bundle, after a round trip through its file', async () => {
    const bundle = await bundleOf();
    const read = await parseSubmission(submissionFileText(bundle));
    expect(read.ok).toBe(true);
    const report = await reportOf(bundle, await assignmentOf());
    expect(statuses(report)).toEqual(['verified', 'verified']);
    expect(report.flags).toEqual([]);
    expect(report.solvedCount).toBe(2);
    expect(report.student).toEqual({ name: 'Ada Lovelace', code: NORMALISED });
  });

  it('reports progress one receipt at a time', async () => {
    const bundle = await bundleOf();
    const calls: [number, number][] = [];
    await verifySubmission({
      submission: bundle,
      exercises,
      replayFor,
      onProgress: (done, total) => calls.push([done, total]),
    });
    expect(calls).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
  });

  it('flags an edited input by the hash', async () => {
    const bundle = await bundleOf();
    const copy = JSON.parse(JSON.stringify(bundle)) as Submission;
    copy.receipts[1]!.inputs['buildCostUsd.likely'] = 20000;
    const report = await reportOf(copy);
    expect(statuses(report)).toEqual(['verified', 'flagged']);
    expect(report.cells[1]?.reason).toMatch(/do not match the receipt’s hash/);
    expect(report.solvedCount).toBe(1);
  });

  it('flags an edited result by the replay, even when the input hash is recomputed', async () => {
    const bundle = await bundleOf();
    const copy = JSON.parse(JSON.stringify(bundle)) as Submission;
    const receipt = copy.receipts[0]!;
    receipt.results['probabilityOfLoss'] = 0.01;
    let report = await reportOf(copy);
    expect(report.cells[0]?.status).toBe('flagged');
    expect(report.cells[0]?.reason).toMatch(
      /\(probabilityOfLoss\) does not reproduce: the receipt says 0\.01/,
    );
    // A failed attempt turned into a pass by editing inputs and re-hashing: the replay catches it.
    const failed = await realReceipt('pilot-downside', NORMALISED, { solved: false });
    const forged = { ...failed, passed: true, results: { ...copy.receipts[0]!.results } };
    forged.results['probabilityOfLoss'] = 0.01;
    forged.results['input.expectedUplift.low'] = failed.inputs['expectedUplift.low'] as number;
    forged.inputsHash = await hashInputs(forged);
    report = await reportOf({ ...bundle, receipts: [forged] });
    expect(report.cells[0]?.status).toBe('flagged');
    expect(report.cells[0]?.reason).toMatch(/does not reproduce/);
    expect(report.cells[1]?.status).toBe('missing');
  });

  it('marks a receipt that honestly failed as failed, not flagged', async () => {
    const { assignment } = await assignmentOf();
    const bundle = await buildSubmission({
      assignment,
      receipts: [await realReceipt('smaller-shop', NORMALISED, { solved: false })],
      name: 'Bo',
      code: CODE,
      now: new Date(),
    });
    const report = await reportOf(bundle);
    expect(statuses(report)).toEqual(['missing', 'failed']);
    expect(report.solvedCount).toBe(0);
  });

  it('flags a receipt made with another code than the student’s', async () => {
    const bundle = await bundleOf();
    const copy = JSON.parse(JSON.stringify(bundle)) as Submission;
    copy.student.code = 'group 8 bob';
    const report = await reportOf(copy);
    expect(statuses(report)).toEqual(['flagged', 'flagged']);
    expect(report.cells[0]?.reason).toBe(
      'Made with code “group 7 ada”, not the student’s code “group 8 bob”.',
    );
    // The code is compared after normalising: spacing and case do not matter.
    copy.student.code = '  GROUP 7   ada ';
    expect(statuses(await reportOf(copy))).toEqual(['verified', 'verified']);
    // With variants on, no code at all is noted.
    copy.student.code = null;
    const none = await reportOf(copy);
    expect(none.flags.join(' ')).toMatch(/gave no code/);
    expect(none.cells[0]?.reason).toMatch(
      /Made with code “group 7 ada”, not the student’s no code/,
    );
  });

  it('flags a code when variants are off', async () => {
    const { assignment } = await assignmentOf(false);
    const bundle = await buildSubmission({
      assignment,
      receipts: [await realReceipt('pilot-downside', 'my code')],
      name: 'Cy',
      code: null,
      now: new Date(),
    });
    const report = await reportOf(bundle);
    expect(report.cells[0]?.status).toBe('flagged');
    expect(report.cells[0]?.reason).toMatch(/gives everyone the same numbers/);
  });

  it('leaves out and notes a receipt for an exercise outside the assignment', async () => {
    const bundle = await bundleOf();
    const outside = await realReceipt('when-online-pays', NORMALISED);
    const report = await reportOf({ ...bundle, receipts: [...bundle.receipts, outside] });
    expect(statuses(report)).toEqual(['verified', 'verified']);
    expect(report.flags).toEqual([
      `A receipt for exercise “${outside.exerciseId}”, which is not in this assignment, was left out.`,
    ]);
  });

  it('keeps the best of duplicate receipts and notes it', async () => {
    const bundle = await bundleOf();
    const worse = await realReceipt('pilot-downside', NORMALISED, {
      solved: false,
      at: '2026-11-27T23:00:00.000Z',
    });
    const report = await reportOf({ ...bundle, receipts: [worse, ...bundle.receipts] });
    expect(statuses(report)).toEqual(['verified', 'verified']);
    expect(report.cells[0]?.notes).toEqual([
      '2 receipts were handed in for this exercise; the latest passing one was checked.',
    ]);
  });

  it('flags a bundle for another assignment than the loaded one', async () => {
    const bundle = await bundleOf();
    const loaded = await assignmentOf(true, ['pilot-downside']);
    const report = await reportOf(bundle, loaded);
    expect(report.flags[0]).toMatch(
      new RegExp(
        `answers assignment ${bundle.assignment.id} .*not the loaded assignment ${loaded.id}`,
      ),
    );
    expect(report.cells).toHaveLength(1);
    expect(report.cells[0]?.status).toBe('flagged');
  });

  it('lists codes shared by several students', async () => {
    const one = await reportOf(await bundleOf());
    const two = { ...one, student: { name: 'Copy Cat', code: NORMALISED } };
    expect([...sharedCodes([one, two])]).toEqual([[NORMALISED, ['Ada Lovelace', 'Copy Cat']]]);
    expect(sharedCodes([one]).size).toBe(0);
  });
});

describe('reading bundle files', () => {
  const reasonOf = async (text: string): Promise<[string, string]> => {
    const read = await parseSubmission(text);
    if (read.ok) throw new Error('expected a refusal');
    return [read.kind, read.reason];
  };

  it('refuses what is not a bundle, saying what it looks like', async () => {
    const receipt = await realReceipt('pilot-downside', null);
    expect(await reasonOf('')).toEqual(['empty', expect.stringMatching(/empty/)]);
    expect(await reasonOf('PK\u0003\u0004 zip')).toEqual([
      'not-json',
      expect.stringMatching(/not JSON/),
    ]);
    expect(await reasonOf(JSON.stringify(receipt))).toEqual([
      'foreign',
      expect.stringMatching(/This is the receipt of one exercise submission, not a submission/),
    ]);
    expect((await reasonOf('{"format":"mlsdl-progress","version":2,"progress":{}}'))[1]).toMatch(
      /a progress export \(from the progress page\), not a submission/,
    );
    expect((await reasonOf('{"version":2,"lessons":{},"exercises":{},"receipts":{}}'))[1]).toMatch(
      /progress a browser keeps/,
    );
    expect((await reasonOf('{"name":"x","version":"1.0.0"}'))[1]).toMatch(
      /package or project file/,
    );
    expect((await reasonOf('[1,2,3]'))[1]).toMatch(/a JSON list/);
    expect((await reasonOf('42'))[1]).toMatch(/a single JSON value/);
    const { assignment } = await assignmentOf();
    expect((await reasonOf(JSON.stringify(assignment)))[1]).toMatch(
      /an assignment file, not a submission/,
    );
  });

  it('says when a file looks cut off', async () => {
    const text = submissionFileText(await bundleOf());
    for (const keep of [1, 200, Math.floor(text.length / 2), text.length - 3]) {
      expect((await reasonOf(text.slice(0, keep)))[0], `cut at ${keep}`).toBe('cut-off');
    }
    expect((await reasonOf(text.slice(0, 200)))[1]).toMatch(/looks cut off/);
  });

  it('refuses a newer version and a too-large file', async () => {
    const bundle = await bundleOf();
    expect((await reasonOf(JSON.stringify({ ...bundle, version: 2 })))[0]).toBe('newer-version');
    const newerAssignment = {
      ...bundle,
      assignment: {
        ...bundle.assignment,
        definition: { ...bundle.assignment.definition, version: 3 },
      },
    };
    expect(await reasonOf(JSON.stringify(newerAssignment))).toEqual([
      'newer-version',
      expect.stringMatching(/assignment made by a newer version/),
    ]);
    const big = `${JSON.stringify(bundle)}${' '.repeat(MAX_SUBMISSION_CHARS)}`;
    expect(await reasonOf(big)).toEqual(['too-large', expect.stringMatching(/limit 5 MB/)]);
  });

  it('names a damaged field', async () => {
    const bundle = await bundleOf();
    const damaged = JSON.parse(JSON.stringify(bundle)) as Record<string, unknown> & Submission;
    (damaged.receipts[1] as unknown as Record<string, unknown>)['inputsHash'] = 'abc';
    expect(await reasonOf(JSON.stringify(damaged))).toEqual([
      'damaged',
      'The submission is damaged: receipts.1.inputsHash is not in the expected format (regex).',
    ]);
    expect(
      (await reasonOf(JSON.stringify({ ...bundle, student: { name: '', code: null } })))[1],
    ).toMatch(/student\.name is too short/);
    expect((await reasonOf(JSON.stringify({ ...bundle, receipts: 'none' })))[1]).toMatch(
      /receipts should be a list/,
    );
    // The assignment edited after the fact no longer matches its id.
    const edited = {
      ...bundle,
      assignment: {
        ...bundle.assignment,
        definition: { ...bundle.assignment.definition, title: 'Other' },
      },
    };
    expect((await reasonOf(JSON.stringify(edited)))[1]).toMatch(/its assignment was changed/);
  });
});
