/**
 * Training that survives its backend: when a backend fails to start or fails mid-run, the run
 * moves to the next backend in line and continues from the weights of its last finished epoch.
 */
import {
  BackendFaultError,
  trainOnActiveBackend,
  type LabelledMatrix,
  type TrainOptions,
  type TrainOutcome,
} from '../ml/train';
import type { BackendName } from './backend-names';
import { activateBackend, watchActiveDevice, type BackendLoaders } from './backends';

/** A backend that was tried and left, and why. */
export interface BackendFailure {
  backend: BackendName;
  stage: 'start' | 'mid-run';
  reason: string;
  /** Epochs finished when it failed (weights of that epoch were carried over). */
  epochsCompleted: number;
}

/** Events of a fallback run, for the learner's status line. */
export type FallbackEvent =
  | { type: 'backend-started'; backend: BackendName; resumedFromEpoch: number }
  | { type: 'backend-failed'; failure: BackendFailure };

/** The outcome of a run plus every backend it had to leave. */
export interface FallbackOutcome extends TrainOutcome {
  backend: BackendName;
  failures: BackendFailure[];
}

/**
 * Tries backends in `order`. Before the first epoch a backend that will not start is skipped;
 * a backend that throws mid-run hands its last good weights and epoch count to the next one.
 * The batch order depends only on the seed and epoch, so the resumed run sees the same batches.
 * Adam's moment estimates start afresh on the new backend (they are not carried over).
 */
export async function trainWithFallback(
  order: readonly BackendName[],
  loaders: BackendLoaders,
  train: LabelledMatrix,
  validation: LabelledMatrix,
  options: TrainOptions,
  onEvent: (event: FallbackEvent) => void = () => {},
  activationTimeoutMs?: number,
): Promise<FallbackOutcome> {
  const failures: BackendFailure[] = [];
  let weights = options.weights;
  let startEpoch = options.startEpoch ?? 0;
  const history: TrainOutcome['history'] = [];
  for (const backend of order) {
    if (options.signal?.aborted) break;
    const activation = await activateBackend(backend, loaders, activationTimeoutMs);
    if (!activation.ok) {
      const failure: BackendFailure = {
        backend,
        stage: 'start',
        reason: activation.reason,
        epochsCompleted: startEpoch,
      };
      failures.push(failure);
      onEvent({ type: 'backend-failed', failure });
      continue;
    }
    onEvent({ type: 'backend-started', backend, resumedFromEpoch: startEpoch });
    const watch = watchActiveDevice();
    try {
      const outcome = await trainOnActiveBackend(train, validation, {
        ...options,
        weights,
        startEpoch,
        ...(watch ? { deviceLost: watch.lost } : {}),
      });
      return { ...outcome, history: [...history, ...outcome.history], backend, failures };
    } catch (error) {
      if (!(error instanceof BackendFaultError)) throw error;
      history.push(...error.history);
      weights = error.lastGoodWeights;
      startEpoch = error.epochsCompleted;
      const reason = error.cause instanceof Error ? error.cause.message : String(error.cause);
      const failure: BackendFailure = {
        backend,
        stage: 'mid-run',
        reason,
        epochsCompleted: startEpoch,
      };
      failures.push(failure);
      onEvent({ type: 'backend-failed', failure });
    } finally {
      watch?.stop();
    }
  }
  if (options.signal?.aborted) {
    const backend = order[0] ?? 'cpu';
    return { status: 'stopped', epochsCompleted: startEpoch, weights, history, backend, failures };
  }
  const summary = failures.map((f) => `${f.backend}: ${f.reason}`).join('; ');
  throw new Error(
    `No compute backend could run this training (${summary || 'stopped before any started'}).`,
  );
}
