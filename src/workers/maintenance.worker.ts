/// <reference lib="webworker" />
/**
 * The maintenance worker (lesson 8): trains the pipeline-bisect sandbox's combinations off the
 * main thread. The first run of a seed draws both months of payments (about 30 ms) and trains
 * up to three logistic regressions (tens of ms each); later runs reuse the cached months.
 */
import * as Comlink from 'comlink';
import {
  pipelineBisectKind,
  pipelineBisectRun,
  type PipelineBisectRun,
} from '../lib/exercises/kinds/pipeline-bisect';

const api = {
  /**
   * Validates the inputs (a RangeError names a refused one) and trains the combination and both
   * references; the state equals `pipelineBisectKind.stateOf(inputs)`.
   */
  run(inputs: Record<string, unknown>): PipelineBisectRun {
    return pipelineBisectRun(pipelineBisectKind.parseInputs(inputs));
  },
};

/** The maintenance worker's API as seen through Comlink. */
export type MaintenanceWorkerApi = typeof api;

Comlink.expose(api);
