/**
 * The gradebook CSV an instructor exports from the dashboard: one row per student.
 */
import Papa from 'papaparse';
import type { CellStatus, SubmissionReport } from './verify';

/**
 * Cells a spreadsheet would read as a formula (or as a command, for tab and carriage return):
 * those starting with = + - @, tab or CR (OWASP, "CSV injection"). papaparse's own default
 * pattern ends in `.*$` without the `s` flag, so it misses a name like "=1\nx"; this one tests
 * the first character only.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The word a cell's status is written as in the CSV. */
export const CSV_STATUS_WORDS: Readonly<Record<CellStatus, string>> = {
  verified: 'solved',
  failed: 'failed',
  flagged: 'flagged',
  missing: 'missing',
};

/**
 * CSV text (RFC 4180, CRLF line ends) with the columns `name`, `code`, one per exercise (headed
 * by its id: solved, failed, flagged or missing), `solved` (how many were verified as solved) and
 * `notes` (every flag reason and bundle-level note, `exercise: reason`, joined by " | ").
 * Quoting is papaparse's `unparse` (commas, quotes and line breaks in names survive a round
 * trip); any text cell that starts with = + - @, tab or CR gets a leading apostrophe so a
 * spreadsheet shows it as text instead of running it.
 */
export function gradebookCsv(
  exerciseIds: readonly string[],
  reports: readonly SubmissionReport[],
): string {
  const rows = reports.map((report) => {
    const byId = new Map(report.cells.map((cell) => [cell.exerciseId, cell]));
    const notes = [
      ...report.flags,
      ...report.cells
        .filter((cell) => cell.status === 'flagged' && cell.reason)
        .map((cell) => `${cell.exerciseId}: ${cell.reason}`),
    ];
    return [
      report.student.name,
      report.student.code ?? '',
      ...exerciseIds.map((id) => CSV_STATUS_WORDS[byId.get(id)?.status ?? 'missing']),
      report.solvedCount,
      notes.join(' | '),
    ];
  });
  return Papa.unparse(
    { fields: ['name', 'code', ...exerciseIds, 'solved', 'notes'], data: rows },
    { escapeFormulae: FORMULA_START, newline: '\r\n', quotes: false },
  );
}

/** A download name for the gradebook of an assignment: `gradebook-<assignment id>.csv`. */
export function gradebookFileName(assignmentId: string | null): string {
  return assignmentId ? `gradebook-${assignmentId}.csv` : 'gradebook.csv';
}
