/**
 * One business worker per page, shared by the simulation sandboxes on it: each acquires it when
 * it first runs and releases it when it goes away; the last release terminates it. Runs from two
 * sandboxes queue in the worker instead of fighting for the page's few cores.
 */
import * as Comlink from 'comlink';
import type { BusinessWorkerApi } from '../../../src/workers/business.worker';

let worker: Worker | null = null;
let api: Comlink.Remote<BusinessWorkerApi> | null = null;
let holders = 0;

/** A handle on the shared worker; call `release` once when done with it. */
export interface BusinessWorkerHandle {
  api: Comlink.Remote<BusinessWorkerApi>;
  release: () => void;
}

/** Starts the shared business worker if needed and returns a handle on it. */
export function acquireBusinessWorker(): BusinessWorkerHandle {
  if (!worker || !api) {
    worker = new Worker(new URL('../../../src/workers/business.worker.ts', import.meta.url), {
      type: 'module',
      name: 'business',
    });
    api = Comlink.wrap<BusinessWorkerApi>(worker);
  }
  holders += 1;
  let released = false;
  return {
    api,
    release: () => {
      if (released) return;
      released = true;
      holders -= 1;
      if (holders === 0) {
        api?.[Comlink.releaseProxy]();
        worker?.terminate();
        worker = null;
        api = null;
      }
    },
  };
}
