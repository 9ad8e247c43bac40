/**
 * Column-by-column data drift with Evidently's default choice of test and threshold, and the
 * dataset-level verdict.
 *
 * Evidently's default (its `_get_default_stattest`, evidently/calculations/stattests/
 * registry.py, and the "Data drift algorithm" page of its documentation), where "distinct"
 * counts the distinct values of reference and current together and n_ref the reference rows:
 *
 * | column      | n_ref ≤ 1,000                                  | n_ref > 1,000                  |
 * | ----------- | ---------------------------------------------- | ------------------------------ |
 * | numeric     | distinct > 5: KS; 3–5: chi-square; ≤ 2: z-test | distinct > 5: Wasserstein (normed); ≤ 5: Jensen–Shannon |
 * | categorical | distinct > 2: chi-square; ≤ 2: z-test           | Jensen–Shannon                 |
 *
 * A 'binary' column is a categorical one (≤ 2 distinct values gives the z-test, as above).
 * Thresholds and drift rules, as in Evidently's stattest definitions: KS drifts when
 * p ≤ 0.05; chi-square and z-test when p < 0.05 (strictly); normed Wasserstein, Jensen–Shannon
 * (base 2) and PSI when the score is ≥ 0.1. The dataset drifts when the share of drifting
 * columns is ≥ 0.5 (Evidently's `drift_share`).
 *
 * One deliberate difference: Evidently's chi-square is a goodness-of-fit test of the current
 * counts against the reference shares; here it is the two-sample test of homogeneity, which
 * accounts for the reference's own noise (see chi-square.ts for why that matters).
 *
 * KS p-values are SciPy's ('auto': exact up to 10,000 rows), except that past a work budget
 * ({@link MONITOR_KS_MAX_EXACT_STEPS}) a p-value whose asymptotic value is below 1e-6 is
 * reported as that asymptotic value, to keep a pass over a strongly drifted window fast.
 *
 * Missing values (NaN, ±∞) are dropped per column first, as Evidently does. A reference is
 * prepared once ({@link prepareReference}: sorted copies and standard deviations), so checking
 * each new window costs one sort of the window per column plus a merge walk.
 */
import { binaryZTestSorted } from './z-test-binary';
import { chiSquareHomogeneity } from './chi-square';
import { JENSEN_SHANNON_EVIDENTLY_BASE, jensenShannonSorted } from './jensen-shannon';
import { ksTestSorted } from './ks';
import { psiBand, psiSorted, type PsiBand } from './psi';
import {
  alignedCountsSorted,
  distinctCountUnion,
  populationStd,
  sortedFinite,
  type NumberColumn,
} from './sample';
import { normedWassersteinSorted } from './wasserstein';

/** How a column is treated: numeric values, or category codes. */
export type ColumnKind = 'numeric' | 'categorical' | 'binary';

/** A drift detector. */
export type DriftMethod = 'ks' | 'chi-square' | 'z-test' | 'wasserstein' | 'jensen-shannon' | 'psi';

/** One column to monitor. */
export interface ColumnSpec {
  /** Column name (the key of the column in the reference and current records). */
  name: string;
  /** numeric, categorical (codes) or binary (two codes). */
  kind: ColumnKind;
  /** A detector to use instead of Evidently's default. */
  method?: DriftMethod;
  /** A threshold to use instead of the method's default. */
  threshold?: number;
}

/** Columns by name, each a typed or plain array of numbers (categories as numeric codes). */
export type DriftColumns = Readonly<Record<string, NumberColumn>>;

/** Evidently's boundary between a small and a large reference, in rows. */
export const SMALL_REFERENCE_MAX_ROWS = 1000;
/** Evidently's default share of drifting columns at which the dataset drifts. */
export const DATASET_DRIFT_SHARE = 0.5;

/** Evidently's default threshold of each detector: a p-value level or a distance. */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05,
  'chi-square': 0.05,
  'z-test': 0.05,
  wasserstein: 0.1,
  'jensen-shannon': 0.1,
  psi: 0.1,
};

/** Whether the method's score is a p-value (small means drift) rather than a distance. */
export function isPValueMethod(method: DriftMethod): boolean {
  return method === 'ks' || method === 'chi-square' || method === 'z-test';
}

/**
 * Evidently's drift rule for a score: KS p ≤ threshold; chi-square and z-test p < threshold;
 * distances (Wasserstein, Jensen–Shannon, PSI) ≥ threshold.
 */
export function isDrift(method: DriftMethod, score: number, threshold: number): boolean {
  if (method === 'ks') return score <= threshold;
  if (method === 'chi-square' || method === 'z-test') return score < threshold;
  return score >= threshold;
}

/**
 * Evidently's default detector for a column (see the module comment): by kind, the reference
 * row count and the number of distinct values in reference and current together.
 */
export function defaultDriftMethod(
  kind: ColumnKind,
  referenceRows: number,
  distinctValues: number,
): DriftMethod {
  const small = referenceRows <= SMALL_REFERENCE_MAX_ROWS;
  if (kind === 'numeric') {
    if (small) return distinctValues > 5 ? 'ks' : distinctValues > 2 ? 'chi-square' : 'z-test';
    return distinctValues > 5 ? 'wasserstein' : 'jensen-shannon';
  }
  if (small) return distinctValues > 2 ? 'chi-square' : 'z-test';
  return 'jensen-shannon';
}

/** A reference column ready for repeated checks. */
export interface PreparedColumn {
  /** Its spec. */
  spec: ColumnSpec;
  /** Finite values, ascending. */
  sorted: Float64Array;
  /** Population standard deviation of the finite values (for the normed Wasserstein). */
  std: number;
}

/** A prepared reference: one entry per monitored column, in spec order. */
export interface DriftReference {
  /** Prepared columns. */
  columns: readonly PreparedColumn[];
}

/**
 * Prepares a reference for monitoring: for each spec, the column's finite values sorted and
 * their standard deviation.
 *
 * @throws RangeError when a column is missing, names repeat, or a column has no finite value.
 */
export function prepareReference(
  specs: readonly ColumnSpec[],
  columns: DriftColumns,
): DriftReference {
  const seen = new Set<string>();
  const prepared = specs.map((spec) => {
    if (seen.has(spec.name)) throw new RangeError(`Column "${spec.name}" is listed twice.`);
    seen.add(spec.name);
    const values = columns[spec.name];
    if (!values) throw new RangeError(`The reference has no column "${spec.name}".`);
    const sorted = sortedFinite(values);
    if (sorted.length === 0)
      throw new RangeError(`Reference column "${spec.name}" has no finite values.`);
    return { spec, sorted, std: populationStd(sorted) };
  });
  return { columns: prepared };
}

/** A detector's raw output. */
export interface DriftScore {
  /** KS D, chi-square χ², z, normed Wasserstein, Jensen–Shannon distance or PSI. */
  statistic: number;
  /** The p-value for KS, chi-square and z-test; null for distances. */
  pValue: number | null;
}

/**
 * The monitor's work budget for exact KS p-values (`maxExactSteps` of ks.ts's `KsOptions`): about
 * 2–3 ms. Beyond it, a p-value whose asymptotic value is below 1e-6 is reported as that
 * asymptotic value; without the budget, one strongly drifted column of 10,000 rows against a
 * 1,000-row reference costs ~20 ms for the exact digits of a p-value like 1e-200.
 */
export const MONITOR_KS_MAX_EXACT_STEPS = 2_000_000;

/**
 * Runs one detector on two sorted, non-empty samples (ascending, finite). `numeric` matters
 * for Jensen–Shannon binning and PSI bins; `referenceStd` for the normed Wasserstein;
 * `ksMaxExactSteps` for KS (default {@link MONITOR_KS_MAX_EXACT_STEPS}; Infinity for SciPy's
 * exact digits).
 */
export function runDriftMethod(
  method: DriftMethod,
  reference: Float64Array,
  current: Float64Array,
  numeric: boolean,
  referenceStd?: number,
  ksMaxExactSteps: number = MONITOR_KS_MAX_EXACT_STEPS,
): DriftScore {
  switch (method) {
    case 'ks': {
      const r = ksTestSorted(reference, current, { maxExactSteps: ksMaxExactSteps });
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'chi-square': {
      const counts = alignedCountsSorted(reference, current);
      const r = chiSquareHomogeneity(counts.reference, counts.current);
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'z-test': {
      const r = binaryZTestSorted(reference, current);
      return { statistic: r.z, pValue: r.pValue };
    }
    case 'wasserstein':
      return {
        statistic: normedWassersteinSorted(reference, current, referenceStd).statistic,
        pValue: null,
      };
    case 'jensen-shannon':
      return {
        statistic: jensenShannonSorted(reference, current, numeric, JENSEN_SHANNON_EVIDENTLY_BASE)
          .statistic,
        pValue: null,
      };
    case 'psi':
      return { statistic: psiSorted(reference, current, { numeric }).statistic, pValue: null };
  }
}

/** The drift verdict of one column. */
export interface ColumnDrift extends DriftScore {
  /** Column name. */
  name: string;
  /** Column kind. */
  kind: ColumnKind;
  /** The detector used. */
  method: DriftMethod;
  /** The score compared with the threshold: the p-value for tests, the statistic otherwise. */
  driftScore: number;
  /** The threshold used. */
  threshold: number;
  /** Whether the column drifted by Evidently's rule for the method. */
  drifted: boolean;
  /** Finite reference values. */
  referenceRows: number;
  /** Finite current values. */
  currentRows: number;
  /** Distinct values in reference and current together, counted up to 6 (6 means "> 5"). */
  distinctValues: number;
  /** For PSI only: its band. */
  psiBand?: PsiBand;
}

/** Options of {@link checkColumn} and {@link checkDrift}. */
export interface DriftCheckOptions {
  /** A detector for every column, instead of Evidently's default (a spec's own method wins). */
  method?: DriftMethod;
  /** Share of drifting columns at which the dataset drifts; default 0.5. */
  driftShare?: number;
  /** KS work budget (default {@link MONITOR_KS_MAX_EXACT_STEPS}; Infinity = SciPy exactly). */
  ksMaxExactSteps?: number;
}

/**
 * Checks one current column against a prepared reference column: picks the method (the
 * spec's, the options', or Evidently's default), runs it and applies its threshold.
 *
 * @throws RangeError when the current column has no finite value, or a z-test meets more than
 *   two distinct values.
 */
export function checkColumn(
  reference: PreparedColumn,
  current: NumberColumn,
  options: DriftCheckOptions = {},
): ColumnDrift {
  return checkColumnSorted(reference, sortedFinite(current), options);
}

/**
 * {@link checkColumn} on a current column already sorted and cleaned ({@link sortedFinite}),
 * so several methods can be run on one window without sorting it again.
 *
 * @throws RangeError as {@link checkColumn} does.
 */
export function checkColumnSorted(
  reference: PreparedColumn,
  sortedCurrent: Float64Array,
  options: DriftCheckOptions = {},
): ColumnDrift {
  const { spec } = reference;
  if (sortedCurrent.length === 0) {
    throw new RangeError(`Current column "${spec.name}" has no finite values.`);
  }
  const distinctValues = distinctCountUnion(reference.sorted, sortedCurrent, 6);
  const method =
    spec.method ??
    options.method ??
    defaultDriftMethod(spec.kind, reference.sorted.length, distinctValues);
  const threshold = spec.threshold ?? DEFAULT_THRESHOLDS[method];
  const score = runDriftMethod(
    method,
    reference.sorted,
    sortedCurrent,
    spec.kind === 'numeric',
    reference.std,
    options.ksMaxExactSteps,
  );
  const driftScore = score.pValue ?? score.statistic;
  const result: ColumnDrift = {
    name: spec.name,
    kind: spec.kind,
    method,
    statistic: score.statistic,
    pValue: score.pValue,
    driftScore,
    threshold,
    drifted: isDrift(method, driftScore, threshold),
    referenceRows: reference.sorted.length,
    currentRows: sortedCurrent.length,
    distinctValues,
  };
  if (method === 'psi') result.psiBand = psiBand(score.statistic);
  return result;
}

/** The drift verdict of a dataset. */
export interface DatasetDrift {
  /** Per-column verdicts, in spec order. */
  columns: ColumnDrift[];
  /** Number of drifting columns. */
  driftedColumns: number;
  /** Number of monitored columns. */
  columnCount: number;
  /** driftedColumns / columnCount. */
  driftedShare: number;
  /** The share at which the dataset drifts. */
  driftShareThreshold: number;
  /** driftedShare ≥ driftShareThreshold. */
  datasetDrifted: boolean;
}

/**
 * Checks a window of current data against a prepared reference, column by column, and gives
 * the dataset verdict: drift when the share of drifting columns is ≥ `driftShare` (0.5).
 *
 * @throws RangeError when a column is missing from `current` or has no finite value.
 */
export function checkDrift(
  reference: DriftReference,
  current: DriftColumns,
  options: DriftCheckOptions = {},
): DatasetDrift {
  const columns = reference.columns.map((prepared) => {
    const values = current[prepared.spec.name];
    if (!values) throw new RangeError(`The current data has no column "${prepared.spec.name}".`);
    return checkColumn(prepared, values, options);
  });
  const driftedColumns = columns.filter((c) => c.drifted).length;
  const columnCount = columns.length;
  const driftedShare = columnCount > 0 ? driftedColumns / columnCount : 0;
  const driftShareThreshold = options.driftShare ?? DATASET_DRIFT_SHARE;
  return {
    columns,
    driftedColumns,
    columnCount,
    driftedShare,
    driftShareThreshold,
    datasetDrifted: columnCount > 0 && driftedShare >= driftShareThreshold,
  };
}

/**
 * One-shot drift check: {@link prepareReference} then {@link checkDrift}.
 *
 * @throws RangeError as those do.
 */
export function detectDrift(
  specs: readonly ColumnSpec[],
  reference: DriftColumns,
  current: DriftColumns,
  options: DriftCheckOptions = {},
): DatasetDrift {
  return checkDrift(prepareReference(specs, reference), current, options);
}

/**
 * Drift of the model's output: the predicted scores (or predicted classes as 0/1) of a
 * window against those of the reference, as a numeric column named 'prediction' with
 * Evidently's default method (KS, Wasserstein, or a categorical test when there are few
 * distinct values, e.g. predicted labels).
 */
export function predictionDrift(
  referenceScores: NumberColumn,
  currentScores: NumberColumn,
  options: DriftCheckOptions = {},
): ColumnDrift {
  const spec: ColumnSpec = { name: 'prediction', kind: 'numeric' };
  const [prepared] = prepareReference([spec], { prediction: referenceScores }).columns;
  return checkColumn(prepared as PreparedColumn, currentScores, options);
}
