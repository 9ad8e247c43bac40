/**
 * The training sandbox's headline numbers for its `data-result` attribute (the contract that
 * lets tests, benchmarks and instructors' scripts read any sandbox the same way).
 */
import type { TrainingJobResult } from '../../../src/lib/compute/training-job';
import type { EpochReport } from '../../../src/lib/ml/train';

/** The inputs the summary is drawn from: the sandbox's current state. */
export interface TrainingSummaryInput {
  status: string;
  history: readonly EpochReport[];
  result: TrainingJobResult | null;
  activeBackend: string | null;
}

const round = (value: number, digits = 4): number | null =>
  Number.isFinite(value) ? Number(value.toFixed(digits)) : null;

/** Headline numbers as they stand now: live during a run, final after it. */
export function trainingResultSummary({
  history,
  result,
  activeBackend,
}: TrainingSummaryInput): Record<string, unknown> {
  const latest = history[history.length - 1];
  const validation = result?.validation ?? latest?.validation ?? null;
  const summary: Record<string, unknown> = {
    backend: result?.backend ?? activeBackend,
    epochs: result?.epochsCompleted ?? history.length,
  };
  if (validation) {
    Object.assign(summary, {
      auc: round(validation.rocAuc),
      accuracy: round(validation.accuracy),
      precision: round(validation.precision),
      recall: round(validation.recall),
      f1: round(validation.f1),
      prAuc: round(validation.prAuc),
      logLoss: round(validation.logLoss),
      confusion: validation.confusion,
      validationRows: validation.rows,
    });
  }
  if (latest) summary['trainLoss'] = round(latest.trainLoss, 6);
  const first = history[0];
  if (first) summary['firstEpochMs'] = Math.round(first.trainingMs);
  const msPerEpoch = result?.msPerEpoch ?? latest?.trainingMs;
  if (msPerEpoch !== undefined && msPerEpoch !== null)
    summary['msPerEpoch'] = Math.round(msPerEpoch);
  if (result?.test) summary['testAuc'] = round(result.test.rocAuc);
  if (result) {
    summary['outcome'] = result.status;
    summary['backendFailures'] = result.failures.map((f) => `${f.backend}/${f.stage}`);
  }
  if (result?.divergence) summary['diverged'] = true;
  return summary;
}
