/**
 * Starts the rollout lab's worker (src/workers/rollout.worker.ts) and wraps it with Comlink.
 * The sandbox owns one, started on its first run; `stop` terminates it.
 */
import * as Comlink from 'comlink';
import type { RolloutWorkerApi } from '../../../src/workers/rollout.worker';

/** A started rollout worker. */
export interface RolloutWorkerHandle {
  api: Comlink.Remote<RolloutWorkerApi>;
  stop: () => void;
}

/** Starts a rollout worker. */
export function startRolloutWorker(): RolloutWorkerHandle {
  const worker = new Worker(new URL('../../../src/workers/rollout.worker.ts', import.meta.url), {
    type: 'module',
    name: 'rollout',
  });
  const api = Comlink.wrap<RolloutWorkerApi>(worker);
  return {
    api,
    stop: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
