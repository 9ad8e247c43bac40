/**
 * The edits the upload form makes to a {@link DatasetSpec} (choose the target, switch a feature
 * on or off, change a column's type, pick the missing-value rule) and the words it shows, kept
 * here so they run under Vitest. Nothing here parses a file: this module has no dependency on
 * Papa Parse, so the page can import it without shipping the parser to the main thread.
 */
import type { DatasetSpec, MissingValueRule } from './csv-dataset';
import type { ColumnInference, ColumnType } from './csv-schema';

/**
 * Largest file the form reads, in bytes (20 MB, 1 MB = 1,000,000 bytes): the same limit as
 * `CSV_MAX_BYTES` of csv-import (a unit test pins them equal), checked on the file's size before
 * it is read, so a huge file is refused without loading it.
 */
export const CSV_UPLOAD_MAX_BYTES = 20_000_000;

/** A column as the form knows it: its name with the inferred type and evidence. */
export type FormColumn = Pick<ColumnInference, 'type' | 'evidence' | 'reason'> & { name: string };

/** Words for each type in the type picker. */
export const COLUMN_TYPE_LABELS: Readonly<Record<ColumnType, string>> = {
  numeric: 'numeric',
  binary: 'binary (two values)',
  categorical: 'categorical',
  text: 'text (ignored)',
};

/** Formats a byte count: `812 bytes`, `45.2 kB`, `20 MB` (1 kB = 1,000 bytes, at most one decimal). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const oneDecimal = (value: number): string => value.toFixed(1).replace(/\.0$/, '');
  if (bytes < 1_000_000) return `${oneDecimal(bytes / 1000)} kB`;
  return `${oneDecimal(bytes / 1_000_000)} MB`;
}

/** The message for a file over {@link CSV_UPLOAD_MAX_BYTES}, or null when it fits. */
export function fileSizeProblem(bytes: number): string | null {
  if (bytes <= CSV_UPLOAD_MAX_BYTES) return null;
  return (
    `The file is ${formatFileSize(bytes)}, larger than the ${formatFileSize(CSV_UPLOAD_MAX_BYTES)} limit, ` +
    'so it was not read. Use a sample of its rows.'
  );
}

/** The type a column is used as: the learner's override, else the inferred type. */
export function effectiveType(spec: DatasetSpec, column: FormColumn): ColumnType {
  return spec.typeOverrides?.[column.name] ?? column.type;
}

/**
 * The columns offered as the target: those used as binary (exactly two values), plus the current
 * target so the picker always shows the choice in force, in file order.
 */
export function targetChoices(spec: DatasetSpec, columns: readonly FormColumn[]): string[] {
  return columns
    .filter((c) => c.name === spec.targetColumn || effectiveType(spec, c) === 'binary')
    .map((c) => c.name);
}

const inFileOrder = (columns: readonly FormColumn[], names: ReadonlySet<string>): string[] =>
  columns.filter((c) => names.has(c.name)).map((c) => c.name);

/**
 * Makes `name` the target: it stops being a feature, and the previous target becomes a feature
 * again unless it is used as text. Features stay in file order.
 */
export function withTarget(
  spec: DatasetSpec,
  columns: readonly FormColumn[],
  name: string,
): DatasetSpec {
  const features = new Set(spec.featureColumns);
  features.delete(name);
  const previous = columns.find((c) => c.name === spec.targetColumn);
  if (previous && previous.name !== name && effectiveType(spec, previous) !== 'text') {
    features.add(previous.name);
  }
  const { positiveLabel: _dropped, ...rest } = spec;
  return { ...rest, targetColumn: name, featureColumns: inFileOrder(columns, features) };
}

/** Switches `name` on or off as a feature (never the target). */
export function withFeature(
  spec: DatasetSpec,
  columns: readonly FormColumn[],
  name: string,
  on: boolean,
): DatasetSpec {
  if (name === spec.targetColumn) return spec;
  const features = new Set(spec.featureColumns);
  if (on) features.add(name);
  else features.delete(name);
  return { ...spec, featureColumns: inFileOrder(columns, features) };
}

/**
 * Sets the type of `name`: an override when it differs from the inferred type, none when it is
 * the inferred type again. Text means ignored, so a column set to text stops being a feature,
 * and a column moved from text to another type becomes one.
 */
export function withType(
  spec: DatasetSpec,
  columns: readonly FormColumn[],
  name: string,
  type: ColumnType,
): DatasetSpec {
  const column = columns.find((c) => c.name === name);
  if (!column) return spec;
  const before = effectiveType(spec, column);
  const { [name]: _old, ...others } = spec.typeOverrides ?? {};
  const overrides = type === column.type ? others : { ...others, [name]: type };
  let next: DatasetSpec = { ...spec, typeOverrides: overrides };
  if (Object.keys(overrides).length === 0) {
    const { typeOverrides: _none, ...rest } = next;
    next = rest;
  }
  if (type === 'text') return withFeature(next, columns, name, false);
  if (before === 'text') return withFeature(next, columns, name, true);
  return next;
}

/** Sets the missing-value rule. */
export function withMissingRule(spec: DatasetSpec, rule: MissingValueRule): DatasetSpec {
  return { ...spec, missingValueRule: rule };
}

/**
 * The evidence behind a column's inferred type in plain words: the inference's reason, plus how
 * many cells are missing, e.g. `98% of 1,442 values are numbers; 1,203 distinct. Mostly numbers:
 * numeric. 58 cells missing.`
 */
export function describeEvidence(column: FormColumn): string {
  const missing = column.evidence.missingCount;
  if (missing === 0 || column.evidence.presentCount === 0) return column.reason;
  return `${column.reason} ${missing.toLocaleString('en-US')} cell${missing === 1 ? '' : 's'} missing.`;
}
