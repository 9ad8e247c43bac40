/**
 * Starts the drift lab's worker (src/workers/drift.worker.ts) and wraps it with Comlink. The
 * sandbox owns one, started on its first run; `stop` terminates it.
 */
import * as Comlink from 'comlink';
import type { DriftWorkerApi } from '../../../src/workers/drift.worker';

/** A started drift worker. */
export interface DriftWorkerHandle {
  api: Comlink.Remote<DriftWorkerApi>;
  stop: () => void;
}

/** Starts a drift worker. */
export function startDriftWorker(): DriftWorkerHandle {
  const worker = new Worker(new URL('../../../src/workers/drift.worker.ts', import.meta.url), {
    type: 'module',
    name: 'drift',
  });
  const api = Comlink.wrap<DriftWorkerApi>(worker);
  return {
    api,
    stop: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
