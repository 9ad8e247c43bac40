/**
 * Assignments: a title, a due date in free text, a list of exercises and whether students get
 * per-student variants. An instructor hands one out as a link (`#a=` + base64url of its canonical
 * JSON) or as a small JSON file; no server is involved. Its id is a short hash of the canonical
 * JSON, shown on both sides so an instructor can tell assignments apart.
 *
 * Reading a link or file never throws: every refusal comes back with a reason a person can act
 * on. zod/mini, because the page parses these.
 */
import * as z from 'zod/mini';
import { canonicalJson, sha256Hex } from '../exercises/receipts';
import { describeIssue } from '../progress/schema';
import { describeJsonValue, fromBase64Url, looksCutOff, toBase64Url } from './json-text';

/** The `format` that marks an assignment. */
export const ASSIGNMENT_FORMAT = 'mlsdl-assignment';
/** The assignment format version this code writes and reads. */
export const ASSIGNMENT_VERSION = 1;
/** Longest title, in characters. */
export const MAX_TITLE_LENGTH = 200;
/** Longest due text, in characters. */
export const MAX_DUE_LENGTH = 200;
/** Fewest and most exercises in one assignment. */
export const MIN_EXERCISES = 1;
/** Most exercises in one assignment. */
export const MAX_EXERCISES = 30;
/**
 * Longest link fragment or file read, in characters. A full assignment (30 ids of 100
 * characters, long title and due) is about 5,000 characters of base64url; 20,000 leaves room.
 */
export const MAX_ASSIGNMENT_CHARS = 20_000;
/** The fragment key of an assignment link: `…/instructors/assignment/#a=<base64url>`. */
export const ASSIGNMENT_FRAGMENT_KEY = 'a';

const exerciseIdSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(100), z.regex(/^[a-z0-9][a-z0-9-]*$/));

/** An assignment (format version 1). Unknown fields are refused, so its id is well defined. */
export const assignmentSchema = z.strictObject({
  format: z.literal(ASSIGNMENT_FORMAT),
  version: z.literal(ASSIGNMENT_VERSION),
  /** What students see as its name. */
  title: z.string().check(z.minLength(1), z.maxLength(MAX_TITLE_LENGTH)),
  /** When it is due, in the instructor's words ("Friday 12 June, 17:00"); may be empty. */
  due: z.string().check(z.maxLength(MAX_DUE_LENGTH)),
  /** The exercises, in the order students see them. */
  exerciseIds: z
    .array(exerciseIdSchema)
    .check(z.minLength(MIN_EXERCISES), z.maxLength(MAX_EXERCISES)),
  /** Whether each student enters a code that gives them their own variant of each exercise. */
  variants: z.boolean(),
});

/** One assignment. */
export type Assignment = z.infer<typeof assignmentSchema>;

/** What an instructor fills in to make an assignment. */
export interface AssignmentDraft {
  title: string;
  due: string;
  exerciseIds: readonly string[];
  variants: boolean;
}

/** The outcome of reading an assignment: the assignment and its id, or why it was refused. */
export type AssignmentRead =
  { ok: true; assignment: Assignment; id: string } | { ok: false; reason: string };

/**
 * Makes an assignment from a draft: trims title and due, keeps the first occurrence of each
 * exercise id, and checks the limits and (when `knownIds` is given) that every id is an exercise
 * of the course. Returns the assignment and its id, or the first problem in plain words.
 */
export async function createAssignment(
  draft: AssignmentDraft,
  knownIds?: ReadonlySet<string>,
): Promise<AssignmentRead> {
  const assignment = {
    format: ASSIGNMENT_FORMAT,
    version: ASSIGNMENT_VERSION,
    title: draft.title.trim().replace(/\s+/g, ' '),
    due: draft.due.trim().replace(/\s+/g, ' '),
    exerciseIds: [...new Set(draft.exerciseIds)],
    variants: draft.variants,
  };
  if (assignment.title === '') return { ok: false, reason: 'Give the assignment a title.' };
  if (assignment.exerciseIds.length < MIN_EXERCISES) {
    return { ok: false, reason: 'Choose at least one exercise.' };
  }
  return checkAssignment(assignment, knownIds);
}

/**
 * The assignment's id: the first 12 hex digits of SHA-256 over its canonical JSON, in groups of
 * four (`3f9a-c21b-7e04`). Two assignments that differ in anything (title, due, exercises, their
 * order, variants) get different ids, except with chance about 2⁻⁴⁸.
 */
export async function assignmentId(assignment: Assignment): Promise<string> {
  const hex = (await sha256Hex(canonicalJson(assignment))).slice(0, 12);
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

/** A zod/mini issue as a sentence naming the field (`title is too long`). */
function issueText(issue: z.core.$ZodIssue, prefix: string): string {
  if (issue.code === 'unrecognized_keys') {
    const where = prefix ? `${prefix} has` : 'it has';
    return `${where} fields this version does not know: ${issue.keys.join(', ')}`;
  }
  return describeIssue(issue, prefix);
}

/**
 * Checks a parsed value as an assignment: ours (`format`), not from a newer version, each field
 * valid (the first bad one named), no exercise listed twice, and (when `knownIds` is given) every
 * exercise known to this version of the course.
 */
export async function checkAssignment(
  value: unknown,
  knownIds?: ReadonlySet<string>,
): Promise<AssignmentRead> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: `This is ${describeJsonValue(value)}, not an assignment.` };
  }
  const record = value as Record<string, unknown>;
  if (record['format'] !== ASSIGNMENT_FORMAT) {
    return { ok: false, reason: `This is ${describeJsonValue(value)}, not an assignment.` };
  }
  if (typeof record['version'] === 'number' && record['version'] > ASSIGNMENT_VERSION) {
    return {
      ok: false,
      reason: `This assignment was made by a newer version of the course (assignment format ${record['version']}; this page reads format ${ASSIGNMENT_VERSION}). Reload the page to get the newer version.`,
    };
  }
  const parsed = assignmentSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `The assignment is damaged: ${issue ? issueText(issue, '') : 'it is not valid'}.`,
    };
  }
  const assignment = parsed.data;
  const seen = new Set<string>();
  for (const id of assignment.exerciseIds) {
    if (seen.has(id)) {
      return { ok: false, reason: `The assignment is damaged: it lists exercise "${id}" twice.` };
    }
    seen.add(id);
  }
  if (knownIds) {
    const unknown = assignment.exerciseIds.filter((id) => !knownIds.has(id));
    if (unknown.length > 0) {
      return {
        ok: false,
        reason: `This assignment lists ${unknown.length === 1 ? 'an exercise' : 'exercises'} this version of the course does not have: ${unknown.map((id) => `"${id}"`).join(', ')}. It may come from a newer or older version of the course.`,
      };
    }
  }
  return { ok: true, assignment, id: await assignmentId(assignment) };
}

/** The link fragment for an assignment: `#a=` + base64url of its canonical JSON. */
export function assignmentFragment(assignment: Assignment): string {
  return `#${ASSIGNMENT_FRAGMENT_KEY}=${toBase64Url(canonicalJson(assignment))}`;
}

/**
 * Reads an assignment from a link's fragment (with or without the leading `#`; a whole URL is
 * accepted too). Never throws; refuses, with a reason, a fragment without `a=`, one that is too
 * long, not base64url, cut off, not JSON, or not a valid assignment (see {@link checkAssignment}).
 */
export async function readAssignmentFragment(
  fragmentOrUrl: string,
  knownIds?: ReadonlySet<string>,
): Promise<AssignmentRead> {
  const hashAt = fragmentOrUrl.indexOf('#');
  const fragment = (hashAt >= 0 ? fragmentOrUrl.slice(hashAt + 1) : fragmentOrUrl).trim();
  const copyAgain = 'Ask for the link again, or copy all of it.';
  if (fragment.length > MAX_ASSIGNMENT_CHARS) {
    return {
      ok: false,
      reason: `This link is too long to be an assignment (over ${MAX_ASSIGNMENT_CHARS.toLocaleString('en-US')} characters after #).`,
    };
  }
  const entry = fragment
    .split('&')
    .map((part) => part.split('='))
    .find(([key]) => key === ASSIGNMENT_FRAGMENT_KEY);
  if (!entry) {
    return {
      ok: false,
      reason: `This link holds no assignment (nothing after “#${ASSIGNMENT_FRAGMENT_KEY}=”). ${copyAgain}`,
    };
  }
  let encoded = entry.slice(1).join('=');
  try {
    encoded = decodeURIComponent(encoded);
  } catch {
    // Left as it is; the base64url check below names the problem.
  }
  if (encoded === '') {
    return { ok: false, reason: `This link’s assignment is empty. ${copyAgain}` };
  }
  const decoded = fromBase64Url(encoded);
  if (!decoded.ok) {
    const why = {
      'bad-characters': 'it has characters that cannot be part of an assignment link',
      'cut-off': 'it looks cut off',
      'not-utf8': 'it is damaged (its bytes are not text)',
    }[decoded.problem];
    return { ok: false, reason: `This assignment link cannot be read: ${why}. ${copyAgain}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(decoded.text);
  } catch {
    return {
      ok: false,
      reason: looksCutOff(decoded.text)
        ? `This assignment link looks cut off: part of it is missing. ${copyAgain}`
        : `This assignment link is damaged: it does not hold JSON. ${copyAgain}`,
    };
  }
  return checkAssignment(value, knownIds);
}

/** The assignment as the text of a small JSON file (pretty-printed canonical JSON). */
export function assignmentFileText(assignment: Assignment): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(assignment)), null, 2)}\n`;
}

/** A download name for an assignment: `assignment-<title words>-<id>.json`. */
export function assignmentFileName(assignment: Assignment, id: string): string {
  const words = assignment.title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `assignment-${words ? `${words}-` : ''}${id}.json`;
}

/**
 * Reads an assignment file's text. Never throws; refuses an empty or too-large file, text that is
 * not JSON (saying when it looks cut off), JSON that is something else (saying what it looks
 * like), and an invalid assignment (see {@link checkAssignment}).
 */
export async function readAssignmentFile(
  fileText: string,
  knownIds?: ReadonlySet<string>,
): Promise<AssignmentRead> {
  const text = fileText.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: false, reason: 'The file is empty.' };
  if (text.length > MAX_ASSIGNMENT_CHARS) {
    return {
      ok: false,
      reason: `The file is too large to be an assignment (limit ${MAX_ASSIGNMENT_CHARS.toLocaleString('en-US')} characters).`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      reason: looksCutOff(text)
        ? 'The file looks cut off: its JSON ends before it is complete. Download it again.'
        : 'This file is not JSON, so it is not an assignment.',
    };
  }
  return checkAssignment(value, knownIds);
}
