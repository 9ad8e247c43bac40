/**
 * Starts the scalability lab's worker (src/workers/scaling.worker.ts) and wraps it with Comlink.
 * Each lab owns one; `stop` terminates it (a run in flight is abandoned).
 */
import * as Comlink from 'comlink';
import type { ScalingWorkerApi } from '../../../src/workers/scaling.worker';

/** A started scaling worker. */
export interface ScalingWorkerHandle {
  api: Comlink.Remote<ScalingWorkerApi>;
  stop: () => void;
}

/** Starts a scaling worker. */
export function startScalingWorker(): ScalingWorkerHandle {
  const worker = new Worker(new URL('../../../src/workers/scaling.worker.ts', import.meta.url), {
    type: 'module',
    name: 'scaling',
  });
  const api = Comlink.wrap<ScalingWorkerApi>(worker);
  return {
    api,
    stop: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
