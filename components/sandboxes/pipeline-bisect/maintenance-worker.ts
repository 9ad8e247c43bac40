/**
 * Starts the maintenance worker (src/workers/maintenance.worker.ts) and wraps it with Comlink.
 * The sandbox owns one, started on its first run; `stop` terminates it.
 */
import * as Comlink from 'comlink';
import type { MaintenanceWorkerApi } from '../../../src/workers/maintenance.worker';

/** A started maintenance worker. */
export interface MaintenanceWorkerHandle {
  api: Comlink.Remote<MaintenanceWorkerApi>;
  stop: () => void;
}

/** Starts a maintenance worker. */
export function startMaintenanceWorker(): MaintenanceWorkerHandle {
  const worker = new Worker(
    new URL('../../../src/workers/maintenance.worker.ts', import.meta.url),
    {
      type: 'module',
      name: 'maintenance',
    },
  );
  const api = Comlink.wrap<MaintenanceWorkerApi>(worker);
  return {
    api,
    stop: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
