/**
 * Where a training job's rows come from: the synthetic fraud generator (the default) or a CSV
 * file the learner chose, read in the browser and handed to the training worker as text.
 *
 * For a file, this module parses it, builds its dataset for a {@link DatasetSpec}, and keeps the
 * last parse and the last dataset, so the preview, the spec check and the run that follows parse
 * the file once. The cache key is the text itself (compared exactly, not through a hash that could
 * collide), the spec (as JSON) and the seed of the split. Everything here is framework-free and
 * runs in Node under Vitest and in the training worker.
 */
import {
  parseCsvText,
  type CsvColumn,
  type CsvParseResult,
  type CsvProblem,
} from '../data/csv-import';
import {
  buildCsvDataset,
  defaultDatasetSpec,
  type CsvDataset,
  type CsvDatasetResult,
  type DatasetSpec,
  type MissingValueReport,
} from '../data/csv-dataset';
import type { ColumnType } from '../data/csv-schema';

/**
 * The data a training job learns from: the synthetic transactions of the settings, or an
 * uploaded CSV file's text with the learner's choice of target, features, types and
 * missing-value rule.
 */
export type TrainingData =
  { kind: 'generator' } | { kind: 'csv'; fileName: string; text: string; spec: DatasetSpec };

/** A parsed file as the upload form shows it: no rows beyond the preview. */
export interface CsvTableSummary {
  /** Header names in file order. */
  headers: string[];
  /** Each column with its inferred type, evidence and the reason in plain words. */
  columns: CsvColumn[];
  /** The first data rows with their spreadsheet row numbers (header = 1). */
  preview: { rowNumber: number; cells: string[] }[];
  /** Data rows in the file (blank lines not counted). */
  rowCount: number;
  /** Size of the text in UTF-8 bytes. */
  byteLength: number;
  /** The delimiter found (`,`, `;`, tab or `|`). */
  delimiter: string;
}

/** The outcome of {@link inspectCsvText}. */
export type CsvInspection =
  | {
      ok: true;
      table: CsvTableSummary;
      /** A starting choice ({@link defaultDatasetSpec}). */
      defaultSpec: DatasetSpec;
      /** Time spent parsing and profiling, in ms (0 when the parse came from the cache). */
      parseMs: number;
    }
  | { ok: false; problems: CsvProblem[]; parseMs: number };

/** A built dataset as the upload form shows it: counts, labels and what the missing-value rule did. */
export interface CsvDatasetSummary {
  /** The target column. */
  targetColumn: string;
  /** Target value learned as 1. */
  positiveLabel: string;
  /** Target value learned as 0. */
  negativeLabel: string;
  /** Rows kept after the missing-value rule. */
  rows: number;
  /** Rows in the training, validation and test splits (70/15/15, stratified). */
  trainRows: number;
  validationRows: number;
  testRows: number;
  /** Share of kept rows with the positive label, 0–1. */
  positiveRate: number;
  /** Model inputs after encoding (one per numeric or binary column, one per category). */
  featureCount: number;
  /** Names of the model inputs, e.g. `amount`, `plan=pro`. */
  encodedColumns: string[];
  /** The type each feature column was encoded as. */
  columnTypes: Record<string, Exclude<ColumnType, 'text'>>;
  /** What the missing-value rule did. */
  missing: MissingValueReport;
  /** Time spent building the dataset, in ms (0 when it came from the cache). */
  buildMs: number;
}

/** The outcome of {@link checkCsvSpecText}. */
export type CsvSpecCheck =
  { ok: true; summary: CsvDatasetSummary } | { ok: false; problems: CsvProblem[]; buildMs: number };

let lastParse: { text: string; result: CsvParseResult; parseMs: number } | null = null;
let lastBuild: { text: string; key: string; result: CsvDatasetResult; buildMs: number } | null =
  null;

/** Milliseconds since an arbitrary origin (performance.now in browsers, workers and Node). */
const nowMs = (): number => performance.now();

/** Parses `text` with {@link parseCsvText}, reusing the last parse of the same text. */
export function parsedCsv(text: string): {
  result: CsvParseResult;
  parseMs: number;
  cached: boolean;
} {
  if (lastParse?.text === text) return { ...lastParse, cached: true };
  const started = nowMs();
  const result = parseCsvText(text);
  lastParse = { text, result, parseMs: nowMs() - started };
  return { ...lastParse, cached: false };
}

/**
 * The dataset of a file for a spec and split seed ({@link buildCsvDataset} over
 * {@link parsedCsv}), reusing the last one built from the same text, spec and seed.
 * `buildMs` is the time the build took (parse excluded), 0 when cached.
 */
export function csvDatasetFor(
  text: string,
  spec: DatasetSpec,
  seed: number,
): { result: CsvDatasetResult; buildMs: number; cached: boolean } {
  const key = `${seed}\u0000${JSON.stringify(spec)}`;
  if (lastBuild?.text === text && lastBuild.key === key) {
    return { result: lastBuild.result, buildMs: lastBuild.buildMs, cached: true };
  }
  const parsed = parsedCsv(text).result;
  if (!parsed.ok) return { result: parsed, buildMs: 0, cached: false };
  const started = nowMs();
  const result = buildCsvDataset(parsed.table, spec, { seed });
  lastBuild = { text, key, result, buildMs: nowMs() - started };
  return { result, buildMs: lastBuild.buildMs, cached: false };
}

/**
 * Parses a file for the upload form: the table's columns (inferred types with their evidence),
 * its first rows and a default spec, or every problem that stops it (each naming the
 * spreadsheet row and column where there is one).
 */
export function inspectCsvText(text: string): CsvInspection {
  const { result, parseMs, cached } = parsedCsv(text);
  const ms = cached ? 0 : parseMs;
  if (!result.ok) return { ok: false, problems: result.problems, parseMs: ms };
  const { table } = result;
  return {
    ok: true,
    table: {
      headers: table.headers,
      columns: table.columns,
      preview: table.preview,
      rowCount: table.rows.length,
      byteLength: table.byteLength,
      delimiter: table.delimiter,
    },
    defaultSpec: defaultDatasetSpec(table),
    parseMs: ms,
  };
}

/** The counts of a built dataset that the upload form shows ({@link CsvDatasetSummary}). */
export function summarizeCsvDataset(dataset: CsvDataset, buildMs: number): CsvDatasetSummary {
  return {
    targetColumn: dataset.targetColumn,
    positiveLabel: dataset.positiveLabel,
    negativeLabel: dataset.negativeLabel,
    rows: dataset.matrix.rows,
    trainRows: dataset.train.rows,
    validationRows: dataset.validation.rows,
    testRows: dataset.test.rows,
    positiveRate: dataset.positiveRate,
    featureCount: dataset.matrix.featureCount,
    encodedColumns: [...dataset.featureNames],
    columnTypes: dataset.columnTypes,
    missing: dataset.missing,
    buildMs,
  };
}

/**
 * Checks a spec against a file by building its dataset (with the split of `seed`, the seed the
 * run will use, so the run then reuses it): the dataset's counts, or the problems, such as a
 * target with more than two values or one class only, words where numbers are needed, or too
 * few rows left after the missing-value rule.
 */
export function checkCsvSpecText(text: string, spec: DatasetSpec, seed: number): CsvSpecCheck {
  const { result, buildMs, cached } = csvDatasetFor(text, spec, seed);
  const ms = cached ? 0 : buildMs;
  if (!result.ok) return { ok: false, problems: result.problems, buildMs: ms };
  return { ok: true, summary: summarizeCsvDataset(result.dataset, ms) };
}

/**
 * The dataset a CSV training job learns from; throws an Error whose message lists the problems
 * when the file or the spec cannot make one (the page checks first, so this is a last guard).
 */
export function csvTrainingDataset(
  data: Extract<TrainingData, { kind: 'csv' }>,
  seed: number,
): CsvDataset {
  const { result } = csvDatasetFor(data.text, data.spec, seed);
  if (!result.ok) {
    throw new Error(
      `"${data.fileName}" cannot be trained on: ${result.problems.map((p) => p.message).join(' ')}`,
    );
  }
  return result.dataset;
}
