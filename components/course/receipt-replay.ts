/**
 * Replays a receipt's inputs in the browser: for the training sandbox, the same training job the
 * sandbox runs, in a training worker of its own, turned into the state exercises read; for a
 * simulation sandbox, its deterministic state function. With verifyReceipt from the engine this
 * checks a receipt here exactly as Vitest checks one in Node.
 */
import { startTrainingWorker, proxy, type WorkerHandle } from '../sandboxes/training/worker-client';
import { SAFE_ORDER } from '../../src/lib/compute/backend-names';
import { trainingExerciseState } from '../../src/lib/exercises/training-state';
import { trainingSettingsFromInputs } from '../../src/lib/ml/training-settings';
import type { ReplayFunction } from '../../src/lib/exercises/receipts';
import { createSimulationReplay } from '../../src/lib/exercises/replay-simulation';

/**
 * Replay functions by sandbox; training runs in one worker, started on first use. Call `close`
 * when done with it.
 */
export function createBrowserReplay(): {
  replayFor: (sandbox: string) => ReplayFunction;
  close: () => void;
} {
  let worker: WorkerHandle | null = null;
  const replayTraining: ReplayFunction = async (inputs) => {
    const settings = trainingSettingsFromInputs(inputs);
    worker ??= startTrainingWorker();
    const result = await worker.api.train(
      settings,
      [...SAFE_ORDER],
      proxy(() => {}),
    );
    return { state: trainingExerciseState(settings, result), backend: result.backend };
  };
  return {
    replayFor: (sandbox) =>
      sandbox === 'training' ? replayTraining : createSimulationReplay(sandbox),
    close: () => {
      worker?.terminate();
      worker = null;
    },
  };
}
