/// <reference lib="webworker" />
/**
 * The drift worker (lesson 6): runs the drift-monitoring lab off the main thread. A run trains
 * the deployed logistic regression on a week of history (~50–100 ms), then serves, scores and
 * monitors every production day (a few ms a day at 2,000 payments: ~0.2 s for 30 days, ~0.6 s
 * for 90). Progress is reported after every simulated day through a callback the page passes
 * with `Comlink.proxy`; the run itself is synchronous, and the progress messages go out while
 * it works.
 *
 * `runMlp` deploys an MLP instead: trained with tfjs in this worker (WASM, CPU fallback; tfjs is
 * loaded by dynamic import on the first such run, so logistic runs never fetch it), then scored
 * in plain JS. The training worker is not reused: its job builds its own dataset from
 * TrainingSettings, while this model must learn from this stream's history rows, which live here.
 */
import * as Comlink from 'comlink';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { DriftMlpJobResult } from '../lib/compute/drift-mlp-job';
import { driftLabTrainingHistory, runDriftLabWithMlp } from '../lib/drift/lab-mlp';
import {
  driftLabSettingsOf,
  driftMonitorKind,
  driftMonitorRun,
  driftMonitorStateOf,
  type DriftMonitorRun,
} from '../lib/exercises/kinds/drift-monitor';
import type { FlatState } from '../lib/exercises/receipt-schema';

/** How the MLP of a run was trained, and the state of the run with it deployed. */
export interface DriftMlpInfo {
  /** The tfjs backend that trained it. */
  backend: string;
  /** Backends that failed first, with their reasons. */
  failures: { backend: string; reason: string }[];
  /** Training wall time, ms (of the run that trained it; reused weights keep it). */
  trainingMs: number;
  /** Epochs trained. */
  epochs: number;
  /** true when the weights were trained by an earlier run (same seed and daily volume). */
  reused: boolean;
  /** `driftMonitorStateOf(inputs, result)` of the MLP run (the sandbox's data-result). */
  state: FlatState;
}

/**
 * A run with the MLP deployed: `result` and `mlp.state` are the MLP's; `state` stays the
 * logistic run's exercise state (`driftMonitorKind.stateOf(inputs)`), which exercises read.
 */
export interface DriftMonitorMlpRun extends DriftMonitorRun {
  mlp: DriftMlpInfo;
}

let mlpCache: { key: string; job: DriftMlpJobResult } | null = null;

/**
 * Trains the MLP with tfjs (WASM, else CPU) on the run's history window, or reuses the weights
 * of the same seed and daily volume. tfjs is imported only here, on the first MLP run.
 */
async function mlpFor(seed: number, requestsPerDay: number): Promise<[DriftMlpJobResult, boolean]> {
  const key = `${seed}/${requestsPerDay}`;
  if (mlpCache?.key === key) return [mlpCache.job, true];
  const [{ createBackendLoaders }, { trainDriftMlpWithFallback }] = await Promise.all([
    import('../lib/compute/loaders'),
    import('../lib/compute/drift-mlp-job'),
  ]);
  const loaders = createBackendLoaders({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
  const { trainWindow } = driftLabTrainingHistory(seed, requestsPerDay);
  const job = await trainDriftMlpWithFallback(trainWindow, seed, loaders);
  mlpCache = { key, job };
  return [job, false];
}

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
  /**
   * The same run with the tfjs-trained MLP deployed instead of the logistic regression (the
   * sandbox's model choice; exercises keep the logistic state, returned as `state`).
   */
  async runMlp(
    inputs: Record<string, unknown>,
    onProgress?: (doneDays: number, totalDays: number) => unknown,
  ): Promise<DriftMonitorMlpRun> {
    const parsed = driftMonitorKind.parseInputs(inputs);
    const [job, reused] = await mlpFor(parsed.seed, parsed.requestsPerDay);
    const result = runDriftLabWithMlp(driftLabSettingsOf(parsed), job.training, {
      onDay: (done, total) => void onProgress?.(done, total),
    });
    return {
      result,
      state: driftMonitorRun(parsed).state,
      mlp: {
        backend: job.training.backend,
        failures: job.failures,
        trainingMs: job.training.trainingMs,
        epochs: job.training.epochs,
        reused,
        state: driftMonitorStateOf(parsed, result),
      },
    };
  },
};

/** The drift worker's API as seen through Comlink. */
export type DriftWorkerApi = typeof api;

Comlink.expose(api);
