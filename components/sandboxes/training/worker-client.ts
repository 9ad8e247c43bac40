/**
 * Main-thread handles on the training worker: one long-lived worker for training and, on a
 * first visit, a throwaway one for the backend probe (it can be terminated the moment the
 * learner presses Train, so it never competes with a run for the CPU).
 */
import * as Comlink from 'comlink';
import type { TrainingWorkerApi } from '../../../src/workers/training.worker';

/** A started worker and its Comlink proxy. */
export interface WorkerHandle {
  api: Comlink.Remote<TrainingWorkerApi>;
  terminate(): void;
}

/** Starts a training worker (this is when tfjs and its backends begin to load). */
export function startTrainingWorker(): WorkerHandle {
  const worker = new Worker(new URL('../../../src/workers/training.worker.ts', import.meta.url), {
    type: 'module',
    name: 'training',
  });
  const api = Comlink.wrap<TrainingWorkerApi>(worker);
  return {
    api,
    terminate() {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

export { proxy } from 'comlink';
