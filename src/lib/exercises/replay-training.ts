/**
 * Replays a training exercise's inputs: validates them as training settings, runs the job on the
 * given backends, and flattens the outcome the way the sandbox does, so that a receipt made in
 * the page can be re-checked here. Node (Vitest) passes CPU-only loaders; the page's worker has
 * its own loaders. This module imports tfjs through the training job, so the page must not
 * import it outside the worker.
 */
import type { BackendName } from '../compute/backend-names';
import type { BackendLoaders } from '../compute/backends';
import { runTrainingJob, type TrainingJobResult } from '../compute/training-job';
import { trainingSettingsFromInputs, type TrainingSettings } from '../ml/training-settings';
import type { FlatState } from './receipt-schema';
import type { ReplayFunction } from './receipts';
import { trainingExerciseState } from './training-state';

/** The outcome of a training replay: the flattened state, the backend, and the full result. */
export interface TrainingReplay {
  state: FlatState;
  backend: string;
  result: TrainingJobResult;
  settings: TrainingSettings;
}

/**
 * Runs one training job from inputs on the first backend of `backendOrder` that loads
 * (default: the CPU backend only) and returns its state as exercises see it.
 */
export async function replayTraining(
  inputs: Record<string, unknown>,
  loaders: BackendLoaders,
  backendOrder: readonly BackendName[] = ['cpu'],
): Promise<TrainingReplay> {
  const settings = trainingSettingsFromInputs(inputs);
  const result = await runTrainingJob(settings, backendOrder, loaders, () => {});
  return {
    state: trainingExerciseState(settings, result),
    backend: result.backend,
    result,
    settings,
  };
}

/** A {@link ReplayFunction} for `verifyReceipt` that replays training with these loaders. */
export function createTrainingReplay(
  loaders: BackendLoaders,
  backendOrder: readonly BackendName[] = ['cpu'],
): ReplayFunction {
  return async (inputs) => {
    const { state, backend } = await replayTraining(inputs, loaders, backendOrder);
    return { state, backend };
  };
}
