/**
 * Replays a receipt's inputs in the browser: the same training job the sandbox runs, in a
 * training worker of its own, turned into the state exercises read. With verifyReceipt from the
 * engine this checks a receipt here exactly as Vitest checks one in Node.
 */
import { startTrainingWorker, proxy, type WorkerHandle } from '../sandboxes/training/worker-client';
import { SAFE_ORDER } from '../../src/lib/compute/backend-names';
import { trainingExerciseState } from '../../src/lib/exercises/training-state';
import { trainingSettingsFromInputs } from '../../src/lib/ml/training-settings';
import type { ReplayFunction } from '../../src/lib/exercises/receipts';

/** A replay function backed by one worker; call `close` when done with it. */
export function createBrowserReplay(): { replay: ReplayFunction; close: () => void } {
  let worker: WorkerHandle | null = null;
  return {
    replay: async (inputs) => {
      const settings = trainingSettingsFromInputs(inputs);
      worker ??= startTrainingWorker();
      const result = await worker.api.train(
        settings,
        [...SAFE_ORDER],
        proxy(() => {}),
      );
      return { state: trainingExerciseState(settings, result), backend: result.backend };
    },
    close: () => {
      worker?.terminate();
      worker = null;
    },
  };
}
