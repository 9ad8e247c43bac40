/**
 * Progress files: the JSON a learner exports to carry progress to another browser, and the checks
 * an imported file must pass. A file that is not ours, is damaged, or comes from a newer version
 * of the course is refused with a reason a learner can act on.
 */
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../assignments/json-text';
import { CURRENT_PROGRESS_VERSION, migrateToCurrent, progressVersionOf } from './schema';
import type { ProgressState } from './schema';

/** The `format` field that marks a progress export. */
export const PROGRESS_EXPORT_FORMAT = 'mlsdl-progress';

/** The largest file import reads, in characters (progress is a few KB; this is generous). */
export const MAX_IMPORT_CHARS = 5_000_000;

/** The JSON an export holds. */
export interface ProgressExport {
  format: typeof PROGRESS_EXPORT_FORMAT;
  /** The progress format of `progress`. */
  version: number;
  /** When the file was made (ISO). */
  exportedAt: string;
  progress: ProgressState;
}

/** An export of `state` made at `exportedAt` (ISO), as pretty-printed JSON text. */
export function buildProgressExport(state: ProgressState, exportedAt: string): string {
  const file: ProgressExport = {
    format: PROGRESS_EXPORT_FORMAT,
    version: CURRENT_PROGRESS_VERSION,
    exportedAt,
    progress: state,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The download name for an export made on `date` (local calendar date): `…-YYYY-MM-DD.json`. */
export function exportFileName(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  return `ml-systems-design-lab-progress-${day}.json`;
}

/** Why an import was refused. */
export type ImportRefusalKind =
  'empty' | 'too-large' | 'not-json' | 'foreign' | 'newer-version' | 'invalid';

/** The outcome of {@link parseProgressImport}. */
export type ImportParse =
  | {
      ok: true;
      state: ProgressState;
      /** The progress format the file was in (older ones are migrated). */
      fromVersion: number;
    }
  | { ok: false; kind: ImportRefusalKind; reason: string };

const NOTHING_CHANGED = 'Nothing was imported; your progress here is unchanged.';

function refuse(kind: ImportRefusalKind, why: string): ImportParse {
  return { ok: false, kind, reason: `${why} ${NOTHING_CHANGED}` };
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** A guess at what a JSON object that is not a progress export is, for the refusal message. */
function describeForeign(value: Record<string, unknown>): string {
  const format = value['format'];
  if (format === 'mlsdl-receipt') {
    return 'This is the receipt of one exercise submission, not a progress export.';
  }
  if (typeof format === 'string') {
    return `This file's format is ${quoted(format)}, not a progress export of this course.`;
  }
  if (typeof value['name'] === 'string' && typeof value['version'] === 'string') {
    return 'This looks like a package or project file, not a progress export of this course.';
  }
  return `This JSON file is not a progress export of this course (it has no "format": "${PROGRESS_EXPORT_FORMAT}").`;
}

/**
 * Checks the text of a file chosen for import and returns the progress in it, migrated to the
 * current format. Accepts an export (`{ format: "mlsdl-progress", version, progress }`, any
 * version up to the current one) and, because it is unambiguously ours, a bare progress value
 * as it sits in the browser's storage. Everything else is refused with a reason that says what
 * the file looks like and, for a damaged export, which field is wrong. `migratedAt` (ISO) is used
 * by migrations of old formats that kept no times.
 */
export function parseProgressImport(fileText: string, migratedAt: string): ImportParse {
  // Some editors save UTF-8 with a byte-order mark, which JSON.parse rejects.
  const text = fileText.replace(/^\uFEFF/, '');
  const choose = 'Choose the .json file that "Export progress" saved.';
  if (text.trim() === '') return refuse('empty', `The file is empty. ${choose}`);
  if (text.length > MAX_IMPORT_CHARS) {
    return refuse('too-large', `The file is too large to be a progress export. ${choose}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse('not-json', `This file is not JSON, so it is not a progress export. ${choose}`);
  }
  if (jsonDepthExceeds(parsed, MAX_JSON_DEPTH)) {
    return refuse(
      'invalid',
      `This file nests its data more than ${MAX_JSON_DEPTH} levels deep, which no progress export does. ${choose}`,
    );
  }
  if (Array.isArray(parsed)) {
    return refuse('foreign', `This file holds a JSON list, not a progress export. ${choose}`);
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return refuse(
      'foreign',
      `This file holds a single JSON value, not a progress export. ${choose}`,
    );
  }
  const file = parsed as Record<string, unknown>;

  let progress: unknown;
  let prefix: string;
  if (file['format'] === PROGRESS_EXPORT_FORMAT) {
    const fileVersion = file['version'];
    if (typeof fileVersion === 'number' && fileVersion > CURRENT_PROGRESS_VERSION) {
      return refuse(
        'newer-version',
        `This export comes from a newer version of the course (progress format ${fileVersion}; this page reads up to ${CURRENT_PROGRESS_VERSION}). Import it into the newer course, or reload this page to update it.`,
      );
    }
    if (!('progress' in file)) {
      return refuse('invalid', 'This export is damaged: it has no "progress" field.');
    }
    progress = file['progress'];
    prefix = 'progress';
  } else if (
    !('format' in file) &&
    progressVersionOf(file) !== null &&
    ('lessons' in file || 'seenLessons' in file)
  ) {
    progress = file;
    prefix = '';
  } else {
    return refuse('foreign', `${describeForeign(file)} ${choose}`);
  }

  const migrated = migrateToCurrent(progress, migratedAt, prefix);
  if (migrated.ok) return { ok: true, state: migrated.state, fromVersion: migrated.fromVersion };
  switch (migrated.kind) {
    case 'newer-version':
      return refuse(
        'newer-version',
        `This export comes from a newer version of the course (progress format ${migrated.version}; this page reads up to ${CURRENT_PROGRESS_VERSION}). Import it into the newer course, or reload this page to update it.`,
      );
    case 'not-progress':
      return refuse(
        'invalid',
        `This export is damaged: ${prefix || 'the progress'} has no version number.`,
      );
    case 'invalid':
      return refuse('invalid', `This export is damaged: ${migrated.detail}.`);
  }
}
