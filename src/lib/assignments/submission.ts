/**
 * Submission bundles: the file a student downloads from an assignment page and hands in. It holds
 * the assignment and its id, the student's name and code, and one receipt per exercise they
 * tried, taken from their progress. An instructor's dashboard reads many of them; reading one
 * never throws, and a file that is not a bundle is refused with a reason that says what it is.
 */
import * as z from 'zod/mini';
import { receiptSchema, type Receipt } from '../exercises/receipt-schema';
import { normaliseCode } from '../exercises/variants';
import { describeIssue } from '../progress/schema';
import { assignmentId, assignmentSchema, ASSIGNMENT_VERSION, type Assignment } from './assignment';
import { describeJsonValue, jsonDepthExceeds, looksCutOff, MAX_JSON_DEPTH } from './json-text';

/** The `format` that marks a submission bundle. */
export const SUBMISSION_FORMAT = 'mlsdl-submission';
/** The bundle format version this code writes and reads. */
export const SUBMISSION_VERSION = 1;
/** Largest bundle read, in characters (5 MB; a bundle of 30 receipts is a few hundred KB at most). */
export const MAX_SUBMISSION_CHARS = 5_000_000;
/** Longest student name, in characters. */
export const MAX_NAME_LENGTH = 200;
/** Most receipts in one bundle (one per exercise, with room for duplicates). */
export const MAX_RECEIPTS = 200;

/** A submission bundle (format version 1). */
export const submissionSchema = z.object({
  format: z.literal(SUBMISSION_FORMAT),
  version: z.literal(SUBMISSION_VERSION),
  /** The assignment as the student received it, and its id. */
  assignment: z.object({ id: z.string(), definition: assignmentSchema }),
  /** Who submits: a name as they wrote it, and the variant code they used (null: none). */
  student: z.object({
    name: z.string().check(z.minLength(1), z.maxLength(MAX_NAME_LENGTH)),
    code: z.nullable(z.string().check(z.maxLength(100))),
  }),
  /** The receipts handed in: normally one per exercise tried. */
  receipts: z.array(receiptSchema).check(z.maxLength(MAX_RECEIPTS)),
  /** When the bundle was made (ISO). */
  createdAt: z.string(),
});

/** One submission bundle. */
export type Submission = z.infer<typeof submissionSchema>;

/** Where a student stands on one exercise of an assignment, from the receipts they hold. */
export interface ExerciseStanding {
  exerciseId: string;
  /** `solved`: a passing receipt with the right code; `tried`: a receipt; `not-tried`: none. */
  status: 'not-tried' | 'tried' | 'solved';
  /** The receipt a submission would hand in, or null. */
  receipt: Receipt | null;
  /**
   * Set when the only receipts use another variant code than the one the assignment needs
   * (the code a solved receipt was made with, or null for the default variant).
   */
  otherCode?: { code: string | null; solved: boolean };
}

/** The code receipts must carry: the student's code normalised with variants on, else null. */
export function expectedVariantCode(assignment: Assignment, code: string | null): string | null {
  return assignment.variants ? normaliseCode(code) : null;
}

/**
 * The best receipt among several for one exercise: the latest passing one, else the latest one
 * (by `createdAt`; ISO times compare as text). Null for none.
 */
export function bestReceipt(receipts: readonly Receipt[]): Receipt | null {
  let chosen: Receipt | null = null;
  for (const receipt of receipts) {
    if (
      chosen === null ||
      (receipt.passed && !chosen.passed) ||
      (receipt.passed === chosen.passed && receipt.createdAt > chosen.createdAt)
    ) {
      chosen = receipt;
    }
  }
  return chosen;
}

/**
 * Each exercise's standing for a student: among the receipts made with the code the assignment
 * needs ({@link expectedVariantCode}), the latest passing one, else the latest one. When there is
 * none with that code but some with another, the best of those is reported in `otherCode` and
 * is the one a submission would hand in (the dashboard then flags it, which says more than
 * "missing").
 */
export function exerciseStandings(
  assignment: Assignment,
  receipts: readonly Receipt[],
  code: string | null,
): ExerciseStanding[] {
  const wanted = expectedVariantCode(assignment, code);
  return assignment.exerciseIds.map((exerciseId) => {
    const mine = receipts.filter((receipt) => receipt.exerciseId === exerciseId);
    const matching = bestReceipt(mine.filter((receipt) => receipt.variant.code === wanted));
    if (matching) {
      return { exerciseId, status: matching.passed ? 'solved' : 'tried', receipt: matching };
    }
    const other = bestReceipt(mine);
    if (!other) return { exerciseId, status: 'not-tried', receipt: null };
    return {
      exerciseId,
      status: 'tried',
      receipt: other,
      otherCode: { code: other.variant.code, solved: other.passed },
    };
  });
}

/** What {@link buildSubmission} needs. */
export interface BuildSubmissionOptions {
  assignment: Assignment;
  /** Every receipt the student holds (the progress store's `receipts`, any order). */
  receipts: readonly Receipt[];
  /** The student's name as they typed it (trimmed here; must not be empty). */
  name: string;
  /** The student's variant code (ignored, stored as null, when variants are off). */
  code: string | null;
  now: Date;
}

/**
 * A submission bundle: the assignment and its id, the student, and for each of the assignment's
 * exercises the receipt of {@link exerciseStandings} (exercises never tried are left out).
 * Throws a RangeError for an empty name.
 */
export async function buildSubmission(options: BuildSubmissionOptions): Promise<Submission> {
  const { assignment, receipts, now } = options;
  const name = options.name.trim().replace(/\s+/g, ' ').slice(0, MAX_NAME_LENGTH);
  if (name === '') throw new RangeError('buildSubmission: the student name is empty');
  const code = expectedVariantCode(assignment, options.code);
  const chosen = exerciseStandings(assignment, receipts, code)
    .map((standing) => standing.receipt)
    .filter((receipt): receipt is Receipt => receipt !== null);
  return submissionSchema.parse({
    format: SUBMISSION_FORMAT,
    version: SUBMISSION_VERSION,
    assignment: { id: await assignmentId(assignment), definition: assignment },
    student: { name, code },
    receipts: JSON.parse(JSON.stringify(chosen)) as Receipt[],
    createdAt: now.toISOString(),
  });
}

/** A bundle as the text of its file. */
export function submissionFileText(submission: Submission): string {
  return `${JSON.stringify(submission, null, 2)}\n`;
}

/** A download name for a bundle: `submission-<name>-<assignment id>.json`. */
export function submissionFileName(submission: Submission): string {
  const who = submission.student.name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `submission-${who ? `${who}-` : ''}${submission.assignment.id}.json`;
}

/** Why a file was refused as a bundle. */
export type SubmissionRefusal =
  'empty' | 'too-large' | 'not-json' | 'cut-off' | 'foreign' | 'newer-version' | 'damaged';

/** The outcome of {@link parseSubmission}. */
export type SubmissionRead =
  { ok: true; submission: Submission } | { ok: false; kind: SubmissionRefusal; reason: string };

function refuse(kind: SubmissionRefusal, reason: string): SubmissionRead {
  return { ok: false, kind, reason };
}

/**
 * Reads a bundle file's text. Never throws. Refuses, saying why: an empty file; one over
 * {@link MAX_SUBMISSION_CHARS}; text that is not JSON (saying when it looks cut off); JSON that
 * is something else (saying what: one receipt, a progress export, an assignment, …); a bundle
 * from a newer version; a bundle with a damaged field (naming it, e.g.
 * `receipts.0.inputsHash`); and a bundle whose assignment does not match its id.
 */
export async function parseSubmission(fileText: string): Promise<SubmissionRead> {
  const text = fileText.replace(/^\uFEFF/, '');
  const ask = 'Ask the student for the file that “Download submission” saved.';
  if (text.trim() === '') return refuse('empty', `The file is empty. ${ask}`);
  if (text.length > MAX_SUBMISSION_CHARS) {
    return refuse(
      'too-large',
      `The file is too large to be a submission (limit ${MAX_SUBMISSION_CHARS / 1_000_000} MB).`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return looksCutOff(text)
      ? refuse(
          'cut-off',
          `The file looks cut off: its JSON ends before it is complete (an interrupted download or copy). ${ask}`,
        )
      : refuse('not-json', `This file is not JSON, so it is not a submission. ${ask}`);
  }
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    return refuse(
      'damaged',
      `The submission is damaged: it nests its data more than ${MAX_JSON_DEPTH} levels deep, which no submission does. ${ask}`,
    );
  }
  const record =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  if (record?.['format'] !== SUBMISSION_FORMAT) {
    return refuse('foreign', `This is ${describeJsonValue(value)}, not a submission. ${ask}`);
  }
  const version = record['version'];
  if (typeof version === 'number' && version > SUBMISSION_VERSION) {
    return refuse(
      'newer-version',
      `This submission was made by a newer version of the course (submission format ${version}; this page reads format ${SUBMISSION_VERSION}). Reload the page to get the newer version.`,
    );
  }
  const parsed = submissionSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const definition = (record['assignment'] as Record<string, unknown> | undefined)?.[
      'definition'
    ] as Record<string, unknown> | undefined;
    if (typeof definition?.['version'] === 'number' && definition['version'] > ASSIGNMENT_VERSION) {
      return refuse(
        'newer-version',
        `This submission is for an assignment made by a newer version of the course (assignment format ${definition['version']}). Reload the page to get the newer version.`,
      );
    }
    return refuse(
      'damaged',
      `The submission is damaged: ${issue ? describeIssue(issue) : 'it is not valid'}.`,
    );
  }
  const submission = parsed.data;
  const id = await assignmentId(submission.assignment.definition);
  if (id !== submission.assignment.id) {
    return refuse(
      'damaged',
      `The submission is damaged: its assignment was changed (its id says ${submission.assignment.id}, its contents give ${id}).`,
    );
  }
  return { ok: true, submission };
}
