/**
 * Reading single cells of an uploaded CSV and inferring a column's type from its values.
 *
 * The rules are deliberately simple and visible, so a sandbox can show them to the learner:
 * a cell is missing when, trimmed, it is empty or one of {@link MISSING_VALUE_TOKENS}; a cell is a
 * number when, trimmed, it matches a plain decimal or scientific literal (`-1`, `3.5`, `.5`,
 * `1e-3`) whose value fits a 32-bit float.
 */

/** The type a column is treated as when it becomes a feature (or the target). */
export type ColumnType = 'numeric' | 'binary' | 'categorical' | 'text';

/** Every {@link ColumnType}, in the order a type picker lists them. */
export const COLUMN_TYPES: readonly ColumnType[] = ['numeric', 'binary', 'categorical', 'text'];

/** Cell texts (compared lower-case, after trimming) that count as a missing value, besides ''. */
export const MISSING_VALUE_TOKENS: readonly string[] = ['na', 'n/a', 'nan', 'null', '?'];

/**
 * Most distinct values a column may have to be one-hot encoded as categorical; a column with
 * more is inferred as text/ID, and a column forced to categorical with more is refused.
 */
export const MAX_ONE_HOT_CATEGORIES = 50;

/**
 * Share of non-missing cells that must parse as numbers for a column to be inferred numeric.
 * Below 1, a numeric column with a few stray words is still inferred numeric, and the stray
 * words are then reported by row, which tells the learner more than a silent switch to text.
 */
export const NUMERIC_SHARE_THRESHOLD = 0.9;

/** Largest magnitude a Float32Array holds without becoming Infinity (≈ 3.4028235e38). */
export const FLOAT32_MAX = 3.4028234663852886e38;

const MISSING = new Set(MISSING_VALUE_TOKENS);
const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** true when a cell counts as missing: empty after trimming, or one of {@link MISSING_VALUE_TOKENS}. */
export function isMissingCell(cell: string): boolean {
  const trimmed = cell.trim();
  return trimmed === '' || (trimmed.length <= 4 && MISSING.has(trimmed.toLowerCase()));
}

/** The outcome of reading a cell as a number. */
export type NumberCell =
  | { kind: 'number'; value: number }
  | { kind: 'not-a-number' }
  | { kind: 'out-of-range'; value: number };

/**
 * Reads a trimmed cell as a decimal or scientific literal. Values whose magnitude exceeds
 * {@link FLOAT32_MAX} are `out-of-range` (they would become Infinity in a Float32Array).
 */
export function parseNumberCell(cell: string): NumberCell {
  const trimmed = cell.trim();
  if (!NUMBER_PATTERN.test(trimmed)) return { kind: 'not-a-number' };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || Math.abs(value) > FLOAT32_MAX) {
    return { kind: 'out-of-range', value };
  }
  return { kind: 'number', value };
}

/**
 * The key under which a cell's value is counted as a distinct value or category: the trimmed
 * text, except that numbers are normalised (`1.0` and `1` are the same value).
 */
export function valueKey(cell: string): string {
  const parsed = parseNumberCell(cell);
  return parsed.kind === 'number' ? String(parsed.value) : cell.trim();
}

/**
 * Sorts distinct value keys: numerically when all are numbers, otherwise by code unit order.
 * Used for the order of one-hot columns and to decide which of two binary values is 1.
 */
export function sortValueKeys(keys: Iterable<string>): string[] {
  const list = [...keys];
  const allNumeric = list.every((key) => parseNumberCell(key).kind === 'number');
  return allNumeric
    ? list.sort((a, b) => Number(a) - Number(b))
    : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** What the inferred type of a column rests on. */
export interface ColumnEvidence {
  /** Cells that hold a value. */
  presentCount: number;
  /** Cells that are missing ({@link isMissingCell}). */
  missingCount: number;
  /** Share of present cells that parse as numbers, 0–1 (0 when no cell is present). */
  numericShare: number;
  /** Number of distinct present values ({@link valueKey}). */
  distinctCount: number;
  /** Up to five distinct values, in order of first appearance. */
  exampleValues: string[];
}

/** A column's inferred type and its evidence. */
export interface ColumnInference {
  /** The inferred type. */
  type: ColumnType;
  /** The counts the inference used. */
  evidence: ColumnEvidence;
  /** One plain sentence saying why, e.g. `98% of 1,000 values are numbers; 412 distinct.` */
  reason: string;
}

const formatCount = (n: number): string => n.toLocaleString('en-US');

/**
 * Infers a column's type from its cells:
 * - no present value, or more than {@link MAX_ONE_HOT_CATEGORIES} distinct values that are
 *   mostly not numbers → `text` (free text or an ID: not usable as a feature as it stands);
 * - exactly 2 distinct values → `binary`;
 * - share of numbers ≥ {@link NUMERIC_SHARE_THRESHOLD} → `numeric`;
 * - otherwise → `categorical` (≤ {@link MAX_ONE_HOT_CATEGORIES} distinct values).
 * A column with a single distinct value is categorical (or numeric when it is a number).
 */
export function inferColumnType(cells: readonly string[]): ColumnInference {
  let presentCount = 0;
  let numericCount = 0;
  // Numbers and words are counted in separate sets, so `1` and `1.0` are one value without
  // turning every number back into text.
  const distinctNumbers = new Set<number>();
  const distinctWords = new Set<string>();
  const exampleValues: string[] = [];
  for (const cell of cells) {
    if (isMissingCell(cell)) continue;
    presentCount++;
    const trimmed = cell.trim();
    const parsed = parseNumberCell(trimmed);
    const before = distinctNumbers.size + distinctWords.size;
    if (parsed.kind === 'number') {
      numericCount++;
      distinctNumbers.add(parsed.value); // a Set holds -0 and 0 as one value
    } else distinctWords.add(trimmed);
    if (exampleValues.length < 5 && distinctNumbers.size + distinctWords.size > before) {
      exampleValues.push(trimmed);
    }
  }
  const missingCount = cells.length - presentCount;
  const numericShare = presentCount === 0 ? 0 : numericCount / presentCount;
  const distinctCount = distinctNumbers.size + distinctWords.size;
  const evidence: ColumnEvidence = {
    presentCount,
    missingCount,
    numericShare,
    distinctCount,
    exampleValues,
  };
  const counts =
    `${Math.round(numericShare * 100)}% of ${formatCount(presentCount)} values are numbers; ` +
    `${formatCount(distinctCount)} distinct.`;
  if (presentCount === 0) {
    return { type: 'text', evidence, reason: 'Every value is missing.' };
  }
  if (distinctCount === 2) {
    return { type: 'binary', evidence, reason: `${counts} Two values: binary.` };
  }
  if (numericShare >= NUMERIC_SHARE_THRESHOLD) {
    return { type: 'numeric', evidence, reason: `${counts} Mostly numbers: numeric.` };
  }
  if (distinctCount <= MAX_ONE_HOT_CATEGORIES) {
    return {
      type: 'categorical',
      evidence,
      reason: `${counts} At most ${MAX_ONE_HOT_CATEGORIES} distinct: categorical.`,
    };
  }
  return {
    type: 'text',
    evidence,
    reason: `${counts} More than ${MAX_ONE_HOT_CATEGORIES} distinct words: text or an ID.`,
  };
}

/**
 * The median of a list of numbers: the middle value after sorting, or the mean of the two
 * middle values when the count is even. Sorts `values` in place; 0 for an empty list.
 */
export function medianOf(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1
    ? (values[mid] ?? 0)
    : ((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2;
}

/**
 * The most frequent value key (the mode); a tie goes to the first in {@link sortValueKeys}
 * order, so the result does not depend on row order. '' for an empty list.
 */
export function modeOf(keys: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const key of sortValueKeys(counts.keys())) {
    const count = counts.get(key) ?? 0;
    if (count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}
