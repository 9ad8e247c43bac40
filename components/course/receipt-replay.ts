/**
 * Replays a receipt's inputs in the browser: for the training sandbox, the same training job the
 * sandbox runs, in a training worker of its own, turned into the state exercises read; for a
 * simulation sandbox, its deterministic state function, in a replay worker (a drift run takes up
 * to a second, too long for the main thread). With verifyReceipt from the engine this
 * checks a receipt here exactly as Vitest checks one in Node.
 */
import { startTrainingWorker, proxy, type WorkerHandle } from '../sandboxes/training/worker-client';
import { SAFE_ORDER } from '../../src/lib/compute/backend-names';
import { trainingExerciseState } from '../../src/lib/exercises/training-state';
import { trainingSettingsFromInputs } from '../../src/lib/ml/training-settings';
import type { ReplayFunction } from '../../src/lib/exercises/receipts';
import * as Comlink from 'comlink';
import { SIMULATION_BACKEND } from '../../src/lib/exercises/replay-simulation';
import type { ReplayWorkerApi } from '../../src/workers/replay.worker';

/**
 * Replay functions by sandbox; training runs in one worker, started on first use. Call `close`
 * when done with it.
 */
export function createBrowserReplay(): {
  replayFor: (sandbox: string) => ReplayFunction;
  close: () => void;
} {
  let worker: WorkerHandle | null = null;
  let simulationWorker: Worker | null = null;
  let simulationApi: Comlink.Remote<ReplayWorkerApi> | null = null;
  const replaySimulation =
    (sandbox: string): ReplayFunction =>
    async (inputs) => {
      if (!simulationApi) {
        simulationWorker = new Worker(
          new URL('../../src/workers/replay.worker.ts', import.meta.url),
          { type: 'module', name: 'replay' },
        );
        simulationApi = Comlink.wrap<ReplayWorkerApi>(simulationWorker);
      }
      const state = await simulationApi.simulationState(sandbox, inputs);
      return { state, backend: SIMULATION_BACKEND };
    };
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
    replayFor: (sandbox) => (sandbox === 'training' ? replayTraining : replaySimulation(sandbox)),
    close: () => {
      worker?.terminate();
      worker = null;
      simulationApi?.[Comlink.releaseProxy]();
      simulationWorker?.terminate();
      simulationWorker = null;
      simulationApi = null;
    },
  };
}
