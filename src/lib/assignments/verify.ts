/**
 * Verifies a submission bundle the way an instructor's dashboard does: each receipt with
 * `verifyReceipt` (hash, variant, checks, replay; the replay is injected), plus checks that only
 * make sense for a bundle: a receipt for an exercise outside the assignment, a receipt made with
 * another variant code than the student's, a bundle for another assignment than the one loaded,
 * and several receipts for one exercise. Receipts are verified one at a time, in order.
 */
import { verifyReceipt, type ReplayFunction } from '../exercises/receipts';
import type { Receipt } from '../exercises/receipt-schema';
import type { Exercise } from '../exercises/schema';
import type { Assignment } from './assignment';
import { bestReceipt, expectedVariantCode, type Submission } from './submission';

/**
 * One student × exercise: `verified` (passed, and the replay reproduced it), `failed` (the
 * receipt itself says the checks failed, and it replays), `flagged` (something does not hold:
 * see `reason`), `missing` (no receipt).
 */
export type CellStatus = 'verified' | 'failed' | 'flagged' | 'missing';

/** The verdict on one exercise of one submission. */
export interface ExerciseCell {
  exerciseId: string;
  status: CellStatus;
  /** Why it is flagged (or what failed), in plain words; null when verified or missing. */
  reason: string | null;
  /** Remarks that do not change the status (several receipts handed in). */
  notes: string[];
  /** The receipt checked, if any. */
  receipt: Receipt | null;
}

/** The verdict on one submission. */
export interface SubmissionReport {
  student: { name: string; code: string | null };
  /** The id of the assignment the bundle says it answers. */
  assignmentId: string;
  /** The cells, one per exercise of the assignment checked against, in its order. */
  cells: ExerciseCell[];
  /** Problems with the bundle as a whole, in plain words. */
  flags: string[];
  /** How many cells are `verified`. */
  solvedCount: number;
}

/** What {@link verifySubmission} needs. */
export interface VerifySubmissionOptions {
  submission: Submission;
  /** Every exercise of the course, by id. */
  exercises: Readonly<Record<string, Exercise>>;
  /** The assignment loaded on the dashboard and its id; without one, the bundle's own is used. */
  expected?: { assignment: Assignment; id: string } | null | undefined;
  /** The replay for a sandbox (the page's workers, or Node's replays in tests). */
  replayFor: (sandbox: string) => ReplayFunction;
  /** Called before each replay and once at the end: `done` of `total` receipts checked. */
  onProgress?: (done: number, total: number) => void;
}

function describeCode(code: string | null): string {
  return code === null ? 'no code (the default variant)' : `code “${code}”`;
}

/** Checks a submission; see the module comment. Never throws (a failing replay flags its cell). */
export async function verifySubmission(
  options: VerifySubmissionOptions,
): Promise<SubmissionReport> {
  const { submission, exercises, expected, replayFor, onProgress } = options;
  const assignment = expected?.assignment ?? submission.assignment.definition;
  const flags: string[] = [];
  const student = submission.student;

  const otherAssignment =
    expected !== undefined && expected !== null && submission.assignment.id !== expected.id;
  if (otherAssignment) {
    flags.push(
      `This submission answers assignment ${submission.assignment.id} (“${submission.assignment.definition.title}”), not the loaded assignment ${expected.id}.`,
    );
  }
  const wantedCode = expectedVariantCode(assignment, student.code);
  if (assignment.variants && wantedCode === null) {
    flags.push(
      'The student gave no code, although this assignment gives each student their own variant.',
    );
  }

  const byExercise = new Map<string, Receipt[]>();
  for (const receipt of submission.receipts) {
    const list = byExercise.get(receipt.exerciseId) ?? [];
    list.push(receipt);
    byExercise.set(receipt.exerciseId, list);
  }
  const inAssignment = new Set(assignment.exerciseIds);
  for (const [exerciseId, list] of byExercise) {
    if (!inAssignment.has(exerciseId)) {
      flags.push(
        `${list.length === 1 ? 'A receipt' : `${list.length} receipts`} for exercise “${exerciseId}”, which is not in this assignment, ${list.length === 1 ? 'was' : 'were'} left out.`,
      );
    }
  }

  const total = assignment.exerciseIds.filter((id) => byExercise.has(id)).length;
  let done = 0;
  const cells: ExerciseCell[] = [];
  for (const exerciseId of assignment.exerciseIds) {
    const list = byExercise.get(exerciseId) ?? [];
    const receipt = bestReceipt(list);
    if (receipt === null) {
      cells.push({ exerciseId, status: 'missing', reason: null, notes: [], receipt: null });
      continue;
    }
    const notes =
      list.length > 1
        ? [
            `${list.length} receipts were handed in for this exercise; the ${receipt.passed ? 'latest passing' : 'latest'} one was checked.`,
          ]
        : [];
    const flag = (reason: string): void => {
      cells.push({ exerciseId, status: 'flagged', reason, notes, receipt });
    };
    onProgress?.(done, total);
    done += 1;
    const exercise = exercises[exerciseId];
    if (otherAssignment) {
      flag('Handed in for another assignment (see the note on this student).');
      continue;
    }
    if (!exercise) {
      flag(`This version of the course has no exercise “${exerciseId}”.`);
      continue;
    }
    if (receipt.variant.code !== wantedCode) {
      flag(
        assignment.variants
          ? `Made with ${describeCode(receipt.variant.code)}, not the student’s ${describeCode(wantedCode)}.`
          : `Made with ${describeCode(receipt.variant.code)}, but this assignment gives everyone the same numbers (no code).`,
      );
      continue;
    }
    let verdict: Awaited<ReturnType<typeof verifyReceipt>>;
    try {
      verdict = await verifyReceipt(receipt, exercise, replayFor(exercise.sandbox));
    } catch (error) {
      verdict = {
        ok: false,
        reason: `The check could not run: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (!verdict.ok) {
      flag(verdict.reason);
    } else if (receipt.passed) {
      cells.push({ exerciseId, status: 'verified', reason: null, notes, receipt });
    } else {
      cells.push({
        exerciseId,
        status: 'failed',
        reason: 'The receipt says the checks failed (the replay agrees).',
        notes,
        receipt,
      });
    }
  }
  onProgress?.(done, total);
  return {
    student: { name: student.name, code: student.code },
    assignmentId: submission.assignment.id,
    cells,
    flags,
    solvedCount: cells.filter((cell) => cell.status === 'verified').length,
  };
}

/**
 * Codes handed in by more than one student (normalised), with their names: with variants on,
 * two students with one code had the same numbers, which an instructor may want to know.
 */
export function sharedCodes(reports: readonly SubmissionReport[]): Map<string, string[]> {
  const byCode = new Map<string, string[]>();
  for (const report of reports) {
    if (report.student.code === null) continue;
    const names = byCode.get(report.student.code) ?? [];
    names.push(report.student.name);
    byCode.set(report.student.code, names);
  }
  return new Map([...byCode].filter(([, names]) => names.length > 1));
}
