/**
 * The training sandbox's state as exercises see it: the settings and the run's results, flattened
 * to dotted paths (`settings.model`, `validation.rocAuc`, `confusion.falsePositiveRate`), so a
 * check is a plain comparison on a path. The same function runs in the page and in Node, so a
 * check means the same thing live, at submission and at replay.
 */
import type { TrainingJobResult } from '../compute/training-job';
import { falsePositiveRate, type ClassificationReport } from '../ml/metrics';
import type { TrainingSettings } from '../ml/training-settings';
import type { FlatState } from './receipt-schema';

function flattenReport(prefix: string, report: ClassificationReport, into: FlatState): void {
  const metric = (value: number): number | null => (Number.isFinite(value) ? value : null);
  into[`${prefix}.accuracy`] = metric(report.accuracy);
  into[`${prefix}.precision`] = metric(report.precision);
  into[`${prefix}.recall`] = metric(report.recall);
  into[`${prefix}.f1`] = metric(report.f1);
  into[`${prefix}.rocAuc`] = metric(report.rocAuc);
  into[`${prefix}.prAuc`] = metric(report.prAuc);
  into[`${prefix}.logLoss`] = metric(report.logLoss);
  into[`${prefix}.falsePositiveRate`] = metric(falsePositiveRate(report.confusion));
  into[`${prefix}.positives`] = report.positives;
  into[`${prefix}.rows`] = report.rows;
}

/**
 * Flattens settings and (when a run has ended) its results. Paths:
 * `settings.<name>` (hiddenSizes as `32,16`), `run.status` (`none` before any run, then
 * completed/stopped/diverged), `run.epochs`, `run.backend`, `validation.<metric>`, `test.<metric>`,
 * and `confusion.<cell>` / `confusion.falsePositiveRate` for the validation split at 0.5.
 */
export function trainingExerciseState(
  settings: TrainingSettings,
  result: TrainingJobResult | null,
): FlatState {
  const state: FlatState = {};
  for (const [key, value] of Object.entries(settings)) {
    state[`settings.${key}`] = Array.isArray(value) ? value.join(',') : (value as string | number);
  }
  state['run.status'] = result?.status ?? 'none';
  state['run.epochs'] = result?.epochsCompleted ?? 0;
  state['run.backend'] = result?.backend ?? null;
  if (result?.validation) {
    flattenReport('validation', result.validation, state);
    const { confusion } = result.validation;
    state['confusion.truePositives'] = confusion.truePositives;
    state['confusion.falsePositives'] = confusion.falsePositives;
    state['confusion.trueNegatives'] = confusion.trueNegatives;
    state['confusion.falseNegatives'] = confusion.falseNegatives;
    state['confusion.falsePositiveRate'] = state['validation.falsePositiveRate'] ?? null;
  }
  if (result?.test) flattenReport('test', result.test, state);
  return state;
}
