/// <reference lib="webworker" />
/**
 * The rollout worker (lesson 9): runs the retrain-and-rollout lab off the main thread. A run
 * draws every production day, scores it with one or two models, retrains logistic regressions
 * on labelled windows (tens to hundreds of ms each) and then runs the never-retrain baseline:
 * about a second for 60 days of 2,000 payments. Progress is reported after every simulated day
 * through a callback the page passes with `Comlink.proxy`.
 */
import * as Comlink from 'comlink';
import { rolloutLabView, runRolloutLabAsync } from '../lib/drift/rollout-lab';
import { rolloutKind, rolloutRunOf, type RolloutRun } from '../lib/exercises/kinds/rollout';

const api = {
  /**
   * Validates the inputs (a RangeError names a refused one), runs the lab with the policy and
   * without retraining, and returns the view and the exercise state: the state equals
   * `rolloutKind.stateOf(inputs)`, since the asynchronous driver gives the synchronous records.
   */
  async run(
    inputs: Record<string, unknown>,
    onProgress?: (doneDays: number, totalDays: number) => unknown,
  ): Promise<RolloutRun> {
    const parsed = rolloutKind.parseInputs(inputs);
    const runs = await runRolloutLabAsync(parsed, {
      onProgress: (done, total) => {
        // Fire and forget: the page's answer is not awaited, so progress never slows the run.
        void onProgress?.(done, total);
      },
    });
    return rolloutRunOf(parsed, rolloutLabView(parsed, runs));
  },
};

/** The rollout worker's API as seen through Comlink. */
export type RolloutWorkerApi = typeof api;

Comlink.expose(api);
