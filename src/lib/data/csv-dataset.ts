/**
 * Turns a parsed CSV ({@link CsvTable}) and the learner's choices ({@link DatasetSpec}) into
 * the same shape as the fraud sandbox's data ({@link FraudDataset}): stratified 70/15/15
 * splits of a Float32Array feature matrix, standardised with a {@link Standardizer} fitted on
 * the training split only, so the training code can take an uploaded file as it is.
 *
 * Encoding of a row: a numeric column is copied as it is; a binary column becomes one 0/1
 * column (1 for the second of its two values in sorted order, `name=value`); a categorical
 * column becomes one 0/1 column per value (one-hot, values in sorted order). Missing values
 * are handled by a visible rule ({@link MissingValueRule}) whose effect is counted in a
 * {@link MissingValueReport}. Rows without a target value are always dropped.
 */
import { createRng, type Rng } from '@lib/random';
import {
  DEFAULT_SPLIT_FRACTIONS,
  applyStandardizer,
  fitStandardizer,
  type EncodedSplit,
  type FraudDataset,
  type SplitFractions,
} from '@lib/data/fraud-features';
import {
  formatCount,
  parseCsvText,
  pushCapped,
  type CsvLimits,
  type CsvProblem,
  type CsvTable,
} from '@lib/data/csv-import';
import {
  MAX_ONE_HOT_CATEGORIES,
  isMissingCell,
  medianOf,
  modeOf,
  parseNumberCell,
  sortValueKeys,
  valueKey,
  type ColumnType,
} from '@lib/data/csv-schema';

/**
 * How missing feature values are handled: `drop-rows` removes every row with a missing value
 * in a chosen feature; `fill` replaces it with the median (numeric) or the most frequent value
 * (binary, categorical) of the training split.
 */
export type MissingValueRule = 'drop-rows' | 'fill';

/** The learner's choice of what to learn from an uploaded file. */
export interface DatasetSpec {
  /** Column to predict; must hold exactly two distinct values. */
  targetColumn: string;
  /** Columns to learn from (the target excluded). */
  featureColumns: readonly string[];
  /** Types that replace the inferred ones, by column name. */
  typeOverrides?: Readonly<Record<string, ColumnType>>;
  /** The missing-value rule. */
  missingValueRule: MissingValueRule;
  /** Target value that counts as the positive class (label 1); see {@link choosePositiveLabel}. */
  positiveLabel?: string;
}

/** Options of {@link buildCsvDataset}. */
export interface CsvDatasetOptions {
  /** Seed of the split. */
  seed: number | string;
  /** Split shares; default 0.7 / 0.15 / 0.15. */
  splitFractions?: SplitFractions;
}

/** Fewest rows left after the missing-value rule for a dataset to be built. */
export const CSV_MIN_ROWS = 10;

/** One feature column whose missing values were filled. */
export interface FilledColumn {
  /** Column name. */
  column: string;
  /** `median` for numeric columns, `mode` for binary and categorical ones. */
  how: 'median' | 'mode';
  /** The value written into the gaps, as text. */
  value: string;
  /** Number of cells filled. */
  count: number;
}

/** What the missing-value rule did, in counts. */
export interface MissingValueReport {
  /** The rule applied. */
  rule: MissingValueRule;
  /** Data rows in the file. */
  rowsInFile: number;
  /** Rows dropped because the target was missing (under either rule). */
  rowsDroppedNoTarget: number;
  /** Rows dropped because a chosen feature was missing (`drop-rows` only, else 0). */
  rowsDroppedMissingFeature: number;
  /** Rows that make up the dataset. */
  rowsKept: number;
  /** Columns filled (`fill` only), in feature order; columns with no gap are left out. */
  filled: FilledColumn[];
  /** The report in one or two plain sentences. */
  summary: string;
}

/** Which file column (and value) an encoded column comes from. */
export interface EncodedColumnSource {
  /** Encoded column name: the column name, or `name=value` for binary and one-hot columns. */
  name: string;
  /** The file column. */
  column: string;
  /** The type it was encoded as. */
  type: Exclude<ColumnType, 'text'>;
  /** For binary and one-hot columns, the value that encodes as 1. */
  value?: string;
}

/** An uploaded file, encoded: the fraud dataset's shape plus what the upload needs to show. */
export interface CsvDataset extends FraudDataset {
  /** The target column. */
  targetColumn: string;
  /** Target value encoded as 1. */
  positiveLabel: string;
  /** Target value encoded as 0. */
  negativeLabel: string;
  /** Share of kept rows whose label is 1 (also given as `fraudRate` for the training code). */
  positiveRate: number;
  /** Type each feature column was encoded as. */
  columnTypes: Record<string, Exclude<ColumnType, 'text'>>;
  /** Where each encoded column comes from, in encoded order. */
  encodedColumns: EncodedColumnSource[];
  /** All kept rows in file order, before standardisation. */
  matrix: {
    /** Row-major `rows × featureCount`. */
    features: Float32Array;
    /** 1 for the positive label, else 0. */
    labels: Uint8Array;
    /** Number of rows. */
    rows: number;
    /** Number of encoded columns. */
    featureCount: number;
    /** Spreadsheet row number of each kept row (header = 1). */
    rowNumbers: number[];
  };
  /** What the missing-value rule did. */
  missing: MissingValueReport;
}

/** Either a dataset or the problems that stopped it. */
export type CsvDatasetResult =
  { ok: true; dataset: CsvDataset } | { ok: false; problems: CsvProblem[] };

const POSITIVE_WORDS = new Set(['1', 'true', 'yes', 'y', 't', 'positive', 'pos']);
const NEGATIVE_WORDS = new Set(['0', 'false', 'no', 'n', 'f', 'negative', 'neg']);

/**
 * Picks the positive label among two target values: the one that reads as yes
 * (`1`, `true`, `yes`, `y`, `t`, `positive`, `pos`, any case) when the other reads as no;
 * otherwise the second in sorted order ({@link sortValueKeys}). Returns [negative, positive].
 */
export function choosePositiveLabel(values: readonly [string, string]): [string, string] {
  const [a, b] = values;
  const reads = (v: string, words: Set<string>): boolean => words.has(v.toLowerCase());
  if (reads(a, POSITIVE_WORDS) && reads(b, NEGATIVE_WORDS)) return [b, a];
  if (reads(b, POSITIVE_WORDS) && reads(a, NEGATIVE_WORDS)) return [a, b];
  const sorted = sortValueKeys(values);
  return [sorted[0] ?? a, sorted[1] ?? b];
}

/**
 * A starting choice for a parsed file: the last binary column as the target (else the last
 * column), every other column that is not text as a feature, and `drop-rows`.
 */
export function defaultDatasetSpec(table: CsvTable): DatasetSpec {
  const binaries = table.columns.filter((c) => c.type === 'binary');
  const target = (binaries[binaries.length - 1] ?? table.columns[table.columns.length - 1])?.name;
  return {
    targetColumn: target ?? '',
    featureColumns: table.columns
      .filter((c) => c.name !== target && c.type !== 'text')
      .map((c) => c.name),
    missingValueRule: 'drop-rows',
  };
}

const quoteList = (values: readonly string[], total: number): string =>
  values.map((v) => `"${v}"`).join(', ') +
  (total > values.length ? ` and ${formatCount(total - values.length)} more` : '');

interface FeaturePlan {
  column: string;
  index: number;
  type: Exclude<ColumnType, 'text'>;
}

function checkSpec(table: CsvTable, spec: DatasetSpec): CsvProblem[] {
  const problems: CsvProblem[] = [];
  const known = new Set(table.headers);
  for (const name of [spec.targetColumn, ...spec.featureColumns]) {
    if (!known.has(name)) {
      problems.push({
        code: 'unknown-column',
        column: name,
        message: `There is no column named "${name}" in the file.`,
      });
    }
  }
  if (spec.featureColumns.includes(spec.targetColumn)) {
    problems.push({
      code: 'target-is-feature',
      column: spec.targetColumn,
      message: `Column "${spec.targetColumn}" is the target, so it cannot also be a feature.`,
    });
  }
  const chosen = new Set<string>();
  for (const name of spec.featureColumns) {
    if (chosen.has(name)) {
      problems.push({
        code: 'duplicate-feature',
        column: name,
        message: `Column "${name}" is chosen twice as a feature.`,
      });
    }
    chosen.add(name);
  }
  if (spec.featureColumns.length === 0) {
    problems.push({
      code: 'no-features',
      message: 'Every feature is excluded. Choose at least one column besides the target.',
    });
  }
  return problems;
}

function targetLabels(
  table: CsvTable,
  spec: DatasetSpec,
): { problem: CsvProblem } | { negative: string; positive: string } {
  const name = spec.targetColumn;
  const index = table.headers.indexOf(name);
  const seen: string[] = [];
  const distinct = new Set<string>();
  for (const row of table.rows) {
    const cell = row[index] ?? '';
    if (isMissingCell(cell)) continue;
    const key = valueKey(cell);
    if (!distinct.has(key)) {
      distinct.add(key);
      seen.push(key);
    }
  }
  if (seen.length === 0) {
    return {
      problem: {
        code: 'target-empty',
        column: name,
        message: `The target column "${name}" has no values.`,
      },
    };
  }
  if (seen.length === 1) {
    return {
      problem: {
        code: 'one-class',
        column: name,
        message:
          `The target column "${name}" holds one value only ("${seen[0] ?? ''}"). ` +
          'A classifier needs rows of both classes.',
      },
    };
  }
  if (seen.length > 2) {
    return {
      problem: {
        code: 'non-binary-target',
        column: name,
        message:
          `The target column "${name}" must hold exactly two values, but it holds ` +
          `${formatCount(seen.length)}: ${quoteList(seen.slice(0, 5), seen.length)}.`,
      },
    };
  }
  const pair: [string, string] = [seen[0] ?? '', seen[1] ?? ''];
  if (spec.positiveLabel !== undefined) {
    const wanted = valueKey(spec.positiveLabel);
    if (!distinct.has(wanted)) {
      return {
        problem: {
          code: 'unknown-column',
          column: name,
          message: `The target column "${name}" never holds "${spec.positiveLabel}"; its values are "${pair[0]}" and "${pair[1]}".`,
        },
      };
    }
    return { negative: pair[0] === wanted ? pair[1] : pair[0], positive: wanted };
  }
  const [negative, positive] = choosePositiveLabel(pair);
  return { negative, positive };
}

function checkFeatures(table: CsvTable, plans: readonly FeaturePlan[]): CsvProblem[] {
  const problems: CsvProblem[] = [];
  const badNumbers: CsvProblem[] = [];
  for (const plan of plans) {
    const { column, index, type } = plan;
    const inferred = table.columns[index];
    const distinct = new Set<string>();
    table.rows.forEach((row, r) => {
      const cell = row[index] ?? '';
      if (isMissingCell(cell)) return;
      if (type === 'numeric') {
        const parsed = parseNumberCell(cell);
        const rowNumber = table.rowNumbers[r] ?? 0;
        if (parsed.kind === 'not-a-number') {
          badNumbers.push({
            code: 'not-a-number',
            row: rowNumber,
            column,
            message: `Row ${rowNumber}, column "${column}": "${cell.trim()}" is not a number, but the column is numeric.`,
          });
        } else if (parsed.kind === 'out-of-range') {
          badNumbers.push({
            code: 'number-out-of-range',
            row: rowNumber,
            column,
            message: `Row ${rowNumber}, column "${column}": ${cell.trim()} is too large for a 32-bit float (at most about 3.4e38).`,
          });
        }
      } else if (distinct.size <= MAX_ONE_HOT_CATEGORIES) distinct.add(valueKey(cell));
    });
    if (type === 'categorical' && distinct.size > MAX_ONE_HOT_CATEGORIES) {
      problems.push({
        code: 'too-many-categories',
        column,
        message:
          `Column "${column}" has ${formatCount(inferred?.evidence.distinctCount ?? distinct.size)} distinct values; ` +
          `one-hot encoding takes at most ${MAX_ONE_HOT_CATEGORIES}. Exclude it or treat it as numeric.`,
      });
    } else if (type === 'binary' && distinct.size > 2) {
      problems.push({
        code: 'not-binary',
        column,
        message:
          `Column "${column}" is set to binary but holds ${formatCount(inferred?.evidence.distinctCount ?? distinct.size)} ` +
          `distinct values (${quoteList(inferred?.evidence.exampleValues.slice(0, 3) ?? [], inferred?.evidence.distinctCount ?? 0)}). Treat it as categorical.`,
      });
    }
  }
  pushCapped(problems, badNumbers, 'values that are not numbers');
  return problems;
}

function stratifiedSplit(
  labels: Uint8Array,
  fractions: SplitFractions,
  rng: Rng,
): [number[], number[], number[]] {
  const order = rng.shuffle(Array.from({ length: labels.length }, (_, i) => i));
  const splits: [number[], number[], number[]] = [[], [], []];
  for (const wanted of [1, 0]) {
    const group = order.filter((index) => labels[index] === wanted);
    const trainEnd = Math.max(1, Math.round(group.length * fractions.train));
    const validationEnd =
      fractions.test > 0
        ? Math.min(group.length, trainEnd + Math.round(group.length * fractions.validation))
        : group.length;
    group.forEach((index, position) => {
      splits[position < trainEnd ? 0 : position < validationEnd ? 1 : 2].push(index);
    });
  }
  for (const split of splits) rng.shuffle(split);
  return splits;
}

function summarise(report: Omit<MissingValueReport, 'summary'>): string {
  const parts: string[] = [];
  if (report.rowsDroppedNoTarget > 0) {
    parts.push(
      `Dropped ${formatCount(report.rowsDroppedNoTarget)} of ${formatCount(report.rowsInFile)} rows with no target value.`,
    );
  }
  if (report.rule === 'drop-rows') {
    parts.push(
      `Rule "drop rows": dropped ${formatCount(report.rowsDroppedMissingFeature)} rows with a missing feature value; ${formatCount(report.rowsKept)} rows kept.`,
    );
  } else {
    const filledCells = report.filled.reduce((sum, f) => sum + f.count, 0);
    const detail = report.filled
      .map((f) => `${f.column}: ${formatCount(f.count)} with ${f.how} ${f.value}`)
      .join('; ');
    parts.push(
      `Rule "fill": filled ${formatCount(filledCells)} missing values with the training split's median (numbers) or most frequent value (others)` +
        (detail ? ` (${detail}).` : '.') +
        ` ${formatCount(report.rowsKept)} rows kept.`,
    );
  }
  return parts.join(' ');
}

/**
 * Builds the dataset of an uploaded file: checks the choice of columns, the target (exactly
 * two values), the features (numbers where numbers are needed, at most
 * {@link MAX_ONE_HOT_CATEGORIES} categories, no text columns), applies the missing-value rule,
 * splits the kept rows stratified by label (seeded, fork `csv-split`), fills gaps from the
 * training split, encodes, and standardises with statistics of the training split.
 * Never throws on a parsed table; problems come back as data.
 */
export function buildCsvDataset(
  table: CsvTable,
  spec: DatasetSpec,
  options: CsvDatasetOptions,
): CsvDatasetResult {
  const specProblems = checkSpec(table, spec);
  if (specProblems.length > 0) return { ok: false, problems: specProblems };

  const plans: FeaturePlan[] = [];
  const problems: CsvProblem[] = [];
  const targetIndex = table.headers.indexOf(spec.targetColumn);
  const target = targetLabels(table, spec);
  if ('problem' in target) problems.push(target.problem);
  for (const column of spec.featureColumns) {
    const index = table.headers.indexOf(column);
    const type = spec.typeOverrides?.[column] ?? table.columns[index]?.type ?? 'text';
    const evidence = table.columns[index]?.evidence;
    if (evidence?.presentCount === 0) {
      problems.push({
        code: 'empty-feature',
        column,
        message: `Column "${column}" has no values. Exclude it.`,
      });
    } else if (type === 'text') {
      problems.push({
        code: 'text-feature',
        column,
        message:
          `Column "${column}" looks like free text or an ID ` +
          `(${formatCount(evidence?.distinctCount ?? 0)} distinct values in ${formatCount(table.rows.length)} rows). ` +
          'Exclude it, or set its type if it is really a number or a category.',
      });
    } else plans.push({ column, index, type });
  }
  problems.push(...checkFeatures(table, plans));
  if (problems.length > 0 || 'problem' in target) return { ok: false, problems };

  // Rows kept: a target value always; every chosen feature present under drop-rows.
  let rowsDroppedNoTarget = 0;
  let rowsDroppedMissingFeature = 0;
  const kept: number[] = [];
  table.rows.forEach((row, r) => {
    if (isMissingCell(row[targetIndex] ?? '')) {
      rowsDroppedNoTarget++;
      return;
    }
    if (
      spec.missingValueRule === 'drop-rows' &&
      plans.some((plan) => isMissingCell(row[plan.index] ?? ''))
    ) {
      rowsDroppedMissingFeature++;
      return;
    }
    kept.push(r);
  });
  const labels = new Uint8Array(kept.length);
  kept.forEach((r, i) => {
    labels[i] = valueKey(table.rows[r]?.[targetIndex] ?? '') === target.positive ? 1 : 0;
  });
  let positives = 0;
  for (const label of labels) positives += label;
  if (kept.length < CSV_MIN_ROWS) {
    return {
      ok: false,
      problems: [
        {
          code: 'too-few-rows',
          message:
            rowsDroppedNoTarget + rowsDroppedMissingFeature > 0
              ? `Only ${formatCount(kept.length)} rows are left after removing rows with missing values; at least ${CSV_MIN_ROWS} are needed.`
              : `The file has only ${formatCount(kept.length)} data rows; at least ${CSV_MIN_ROWS} are needed.`,
        },
      ],
    };
  }
  if (positives === 0 || positives === kept.length) {
    const only = positives === 0 ? target.negative : target.positive;
    return {
      ok: false,
      problems: [
        {
          code: 'one-class',
          column: spec.targetColumn,
          message: `After removing rows with missing values, every row has target "${only}". A classifier needs rows of both classes.`,
        },
      ],
    };
  }

  const fractions = options.splitFractions ?? DEFAULT_SPLIT_FRACTIONS;
  const [trainIdx, validationIdx, testIdx] = stratifiedSplit(
    labels,
    fractions,
    createRng(options.seed).fork('csv-split'),
  );

  // Fill values (fill rule only) from the training split; levels from all kept rows.
  const filled: FilledColumn[] = [];
  const encodedColumns: EncodedColumnSource[] = [];
  const columnWriters: ((cell: string, out: Float32Array, offset: number) => void)[] = [];
  const fillValue = new Map<number, string>();
  for (const plan of plans) {
    const cellsOf = (rows: readonly number[]): string[] =>
      rows
        .map((r) => table.rows[kept[r] ?? 0]?.[plan.index] ?? '')
        .filter((cell) => !isMissingCell(cell));
    if (spec.missingValueRule === 'fill') {
      let gaps = 0;
      for (const r of kept) if (isMissingCell(table.rows[r]?.[plan.index] ?? '')) gaps++;
      if (gaps > 0) {
        let source = cellsOf(trainIdx);
        if (source.length === 0) source = cellsOf(kept.map((_, i) => i));
        const value =
          plan.type === 'numeric'
            ? String(medianOf(source.map((cell) => Number(cell.trim()))))
            : modeOf(source.map(valueKey));
        fillValue.set(plan.index, value);
        filled.push({
          column: plan.column,
          how: plan.type === 'numeric' ? 'median' : 'mode',
          value,
          count: gaps,
        });
      }
    }
    if (plan.type === 'numeric') {
      encodedColumns.push({ name: plan.column, column: plan.column, type: 'numeric' });
      // Every kept cell of a numeric feature was checked above (or is a fill value), so
      // Number() reads it; the guard only keeps a NaN out of the matrix should that change.
      columnWriters.push((cell, out, offset) => {
        const value = Number(cell);
        out[offset] = Number.isFinite(value) ? value : 0;
      });
      continue;
    }
    const levels = sortValueKeys(new Set(cellsOf(kept.map((_, i) => i)).map(valueKey)));
    const onLevels = plan.type === 'binary' ? levels.slice(-1) : levels;
    const position = new Map(onLevels.map((level, i) => [level, i]));
    const width = onLevels.length;
    for (const level of onLevels) {
      encodedColumns.push({
        name: `${plan.column}=${level}`,
        column: plan.column,
        type: plan.type,
        value: level,
      });
    }
    columnWriters.push((cell, out, offset) => {
      for (let i = 0; i < width; i++) out[offset + i] = 0;
      const at = position.get(valueKey(cell));
      if (at !== undefined) out[offset + at] = 1;
    });
  }

  const featureCount = encodedColumns.length;
  const features = new Float32Array(kept.length * featureCount);
  const widths = plans.map((plan) =>
    plan.type === 'numeric' ? 1 : encodedColumns.filter((c) => c.column === plan.column).length,
  );
  kept.forEach((r, i) => {
    const row = table.rows[r] ?? [];
    let offset = i * featureCount;
    plans.forEach((plan, p) => {
      const raw = row[plan.index] ?? '';
      const cell = isMissingCell(raw) ? (fillValue.get(plan.index) ?? '') : raw;
      columnWriters[p]?.(cell, features, offset);
      offset += widths[p] ?? 0;
    });
  });

  const gather = (indices: readonly number[]): { raw: Float32Array; labels: Float32Array } => {
    const raw = new Float32Array(indices.length * featureCount);
    const splitLabels = new Float32Array(indices.length);
    indices.forEach((index, row) => {
      raw.set(
        features.subarray(index * featureCount, (index + 1) * featureCount),
        row * featureCount,
      );
      splitLabels[row] = labels[index] ?? 0;
    });
    return { raw, labels: splitLabels };
  };
  const train = gather(trainIdx);
  const standardizer = fitStandardizer(train.raw, trainIdx.length, featureCount);
  const finish = (
    split: { raw: Float32Array; labels: Float32Array },
    rows: number,
  ): EncodedSplit => ({
    features: applyStandardizer(split.raw, standardizer),
    labels: split.labels,
    amountsUsd: new Float32Array(rows),
    rows,
    featureCount,
  });

  const reportCounts = {
    rule: spec.missingValueRule,
    rowsInFile: table.rows.length,
    rowsDroppedNoTarget,
    rowsDroppedMissingFeature,
    rowsKept: kept.length,
    filled,
  };
  const positiveRate = positives / kept.length;
  return {
    ok: true,
    dataset: {
      train: finish(train, trainIdx.length),
      validation: finish(gather(validationIdx), validationIdx.length),
      test: finish(gather(testIdx), testIdx.length),
      featureNames: encodedColumns.map((c) => c.name),
      standardizer,
      fraudRate: positiveRate,
      targetColumn: spec.targetColumn,
      positiveLabel: target.positive,
      negativeLabel: target.negative,
      positiveRate,
      columnTypes: Object.fromEntries(plans.map((plan) => [plan.column, plan.type])),
      encodedColumns,
      matrix: {
        features,
        labels,
        rows: kept.length,
        featureCount,
        rowNumbers: kept.map((r) => table.rowNumbers[r] ?? 0),
      },
      missing: { ...reportCounts, summary: summarise(reportCounts) },
    },
  };
}

/** The result of {@link importCsv}: the dataset and its table, or the problems. */
export type CsvImportResult =
  { ok: true; table: CsvTable; dataset: CsvDataset } | { ok: false; problems: CsvProblem[] };

/**
 * Parses CSV text ({@link parseCsvText}) and builds its dataset ({@link buildCsvDataset}).
 * `spec` may be a function of the parsed table (e.g. {@link defaultDatasetSpec}).
 */
export function importCsv(
  text: string,
  spec: DatasetSpec | ((table: CsvTable) => DatasetSpec),
  options: CsvDatasetOptions & { limits?: CsvLimits },
): CsvImportResult {
  const parsed = parseCsvText(text, options.limits);
  if (!parsed.ok) return parsed;
  const chosen = typeof spec === 'function' ? spec(parsed.table) : spec;
  const built = buildCsvDataset(parsed.table, chosen, options);
  return built.ok ? { ok: true, table: parsed.table, dataset: built.dataset } : built;
}
