/// <reference lib="webworker" />
/**
 * The drift worker (lesson 6): runs the drift-monitoring lab off the main thread. A run trains
 * the deployed logistic regression on a week of history (~50–100 ms), then serves, scores and
 * monitors every production day (a few ms a day at 2,000 payments: ~0.2 s for 30 days, ~0.6 s
 * for 90). Progress is reported after every simulated day through a callback the page passes
 * with `Comlink.proxy`; the run itself is synchronous, and the progress messages go out while
 * it works.
 */
import * as Comlink from 'comlink';
import {
  driftMonitorKind,
  driftMonitorRun,
  type DriftMonitorRun,
} from '../lib/exercises/kinds/drift-monitor';

const api = {
  /**
   * Validates the inputs (a RangeError names a refused one), runs the lab and returns its result
   * with the exercise state, equal to `driftMonitorKind.stateOf(inputs)`.
   */
  run(
    inputs: Record<string, unknown>,
    onProgress?: (doneDays: number, totalDays: number) => unknown,
  ): DriftMonitorRun {
    const parsed = driftMonitorKind.parseInputs(inputs);
    return driftMonitorRun(parsed, (done, total) => {
      // Fire and forget: the page's answer is not awaited, so progress never slows the run.
      void onProgress?.(done, total);
    });
  },
};

/** The drift worker's API as seen through Comlink. */
export type DriftWorkerApi = typeof api;

Comlink.expose(api);
