/**
 * Reproducing a run from its record: the replay itself is injected ({@link RunReplayFunction}; the
 * page trains again in its worker, Node on the CPU backend), and this module judges the result.
 * Values must match exactly when the replay ran on the record's backend and that backend computes
 * bit-identically on every machine (cpu, js); otherwise numbers must agree within the stated
 * tolerance, |a − b| ≤ absolute + relative·max(|a|, |b|) (receipts' `toleranceFor` and
 * `valuesAgree`). Every verdict says why, in plain words.
 */
import type { FlatState } from '../exercises/receipt-schema';
import { toleranceFor, valuesAgree } from '../exercises/receipts';
import type { ExerciseTolerance } from '../exercises/schema';
import { dataVersionKey, type DataVersion, type RunRecord } from './record';
import { DETERMINISTIC_BACKENDS, GPU_BACKENDS, runToleranceFor } from './tolerance';

/** What a replay returns: its metrics, where it ran, and (when known) its data and app version. */
export interface RunReplayOutcome {
  metrics: FlatState;
  backend: string;
  /** The data the replay used; when given and different from the record's, the verdict says so. */
  dataVersion?: DataVersion;
}

/** Re-runs a recorded run from its record (settings, seed, data version). */
export type RunReplayFunction = (record: RunRecord) => Promise<RunReplayOutcome>;

/** Options of {@link reproduceRun}. */
export interface ReproduceOptions {
  /** The course version doing the replay (package.json version). */
  appVersion: string;
  /** The tolerance; defaults to {@link runToleranceFor} the record's sandbox. */
  tolerance?: ExerciseTolerance;
}

/** One metric, recorded against replayed. */
export interface MetricComparison {
  path: string;
  recorded: FlatState[string] | undefined;
  replayed: FlatState[string] | undefined;
  agree: boolean;
  /** Largest allowed |recorded − replayed| for two numbers (0 when exact); null otherwise. */
  allowedDifference: number | null;
}

/** The verdict on a reproduction. */
export interface ReproduceVerdict {
  /**
   * `exact`: every value identical; `within-tolerance`: numbers differ but within the tolerance;
   * `mismatch`: at least one value is off; `failed`: the replay could not run.
   */
  status: 'exact' | 'within-tolerance' | 'mismatch' | 'failed';
  /** What was required: bit-identical values, or agreement within the tolerance. */
  required: 'exact' | 'tolerance';
  recordedBackend: string;
  /** null when the replay failed. */
  replayBackend: string | null;
  /** Every compared metric, sorted by path (ignored paths left out). */
  comparisons: MetricComparison[];
  /** The comparisons that disagree. */
  mismatches: MetricComparison[];
  /** Why the replay was or was not expected to match exactly, and what differs, in plain words. */
  reasons: string[];
  /** One sentence for the learner. */
  summary: string;
}

function numberText(value: FlatState[string] | undefined): string {
  return value === undefined
    ? 'nothing'
    : typeof value === 'number'
      ? String(value)
      : JSON.stringify(value);
}

/** Describes one disagreeing metric in plain words. */
export function describeMismatch(comparison: MetricComparison): string {
  const { path, recorded, replayed, allowedDifference } = comparison;
  const allowance =
    allowedDifference === null
      ? 'it must match exactly'
      : allowedDifference === 0
        ? 'it must match exactly'
        : `allowed difference ${allowedDifference}`;
  return `${path}: the record says ${numberText(recorded)}, the replay gives ${numberText(replayed)} (${allowance}).`;
}

/** Why values may differ between the record and a replay, as plain sentences. */
function conditions(
  record: RunRecord,
  replayBackend: string,
  replayData: DataVersion | undefined,
  appVersion: string,
  required: 'exact' | 'tolerance',
): string[] {
  const reasons: string[] = [];
  if (replayBackend !== record.backend) {
    reasons.push(
      `Different backend: the run was recorded on ${record.backend} and replayed on ${replayBackend}. Backends order and round floating-point arithmetic differently, so small differences are expected and the tolerance applies.`,
    );
  } else if (GPU_BACKENDS.includes(replayBackend)) {
    reasons.push(
      `GPU floating point: both ran on ${replayBackend}, a GPU backend, whose arithmetic differs between graphics cards and drivers, so even the same backend is only expected to agree within the tolerance.`,
    );
  } else if (required === 'tolerance') {
    reasons.push(
      `Both ran on ${replayBackend}, which is not guaranteed to compute bit-identically on every machine, so the tolerance applies.`,
    );
  } else {
    reasons.push(
      `Same backend (${replayBackend}), which computes bit-identically on every machine, so every value must match exactly.`,
    );
  }
  if (
    replayData !== undefined &&
    dataVersionKey(replayData) !== dataVersionKey(record.dataVersion)
  ) {
    reasons.push(
      `Different data version: the replay used data ${dataVersionKey(replayData).slice(0, 12)}…, the record data ${dataVersionKey(record.dataVersion).slice(0, 12)}…, so its results are not expected to match.`,
    );
  }
  if (appVersion !== record.appVersion) {
    reasons.push(
      `Different app version: the run was recorded by version ${record.appVersion} of the course and replayed by ${appVersion}; the code that trains or simulates may have changed in between.`,
    );
  }
  return reasons;
}

/**
 * Replays a record and judges the result (see the module comment). Paths in the tolerance's
 * `ignore` list (e.g. `run.backend`) are not compared; strings and booleans always match exactly.
 */
export async function reproduceRun(
  record: RunRecord,
  replay: RunReplayFunction,
  options: ReproduceOptions,
): Promise<ReproduceVerdict> {
  const tolerance = options.tolerance ?? runToleranceFor(record.sandbox);
  let outcome: RunReplayOutcome;
  try {
    outcome = await replay(record);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 'failed',
      required: 'tolerance',
      recordedBackend: record.backend,
      replayBackend: null,
      comparisons: [],
      mismatches: [],
      reasons: [`The replay could not run: ${message}`],
      summary: `The run could not be reproduced because the replay failed: ${message}`,
    };
  }
  const required =
    outcome.backend === record.backend && DETERMINISTIC_BACKENDS.includes(record.backend)
      ? 'exact'
      : 'tolerance';
  const exact = required === 'exact';
  const ignored = new Set(tolerance.ignore);
  const paths = [...new Set([...Object.keys(record.metrics), ...Object.keys(outcome.metrics)])]
    .filter((path) => !ignored.has(path))
    .sort();
  const comparisons = paths.map((path): MetricComparison => {
    const recorded = record.metrics[path];
    const replayed = outcome.metrics[path];
    const entry = toleranceFor(tolerance, path);
    const numeric = typeof recorded === 'number' && typeof replayed === 'number';
    return {
      path,
      recorded,
      replayed,
      agree:
        recorded !== undefined &&
        replayed !== undefined &&
        valuesAgree(recorded, replayed, exact, entry),
      allowedDifference: !numeric
        ? null
        : exact
          ? 0
          : entry.absolute + entry.relative * Math.max(Math.abs(recorded), Math.abs(replayed)),
    };
  });
  const mismatches = comparisons.filter((c) => !c.agree);
  const identical = comparisons.every((c) => c.recorded === c.replayed);
  const status = mismatches.length > 0 ? 'mismatch' : identical ? 'exact' : 'within-tolerance';
  const reasons = conditions(
    record,
    outcome.backend,
    outcome.dataVersion,
    options.appVersion,
    required,
  );
  const summary =
    status === 'exact'
      ? `Reproduced exactly: every value matches on ${outcome.backend}.`
      : status === 'within-tolerance'
        ? `Reproduced within the tolerance on ${outcome.backend}: ${comparisons.filter((c) => c.recorded !== c.replayed).length} value(s) differ slightly, none by more than allowed.`
        : `Not reproduced: ${mismatches.length} value(s) differ by more than allowed. First: ${describeMismatch(mismatches[0]!)}`;
  return {
    status,
    required,
    recordedBackend: record.backend,
    replayBackend: outcome.backend,
    comparisons,
    mismatches,
    reasons,
    summary,
  };
}
