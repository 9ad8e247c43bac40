/// <reference lib="webworker" />
/**
 * The training worker: a thin shell that exposes the engine's training job and backend probe
 * over Comlink, so the page's main thread never runs a gradient step.
 */
import * as Comlink from 'comlink';
import { backend as tfBackend } from '@tensorflow/tfjs-core';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { createBackendLoaders } from '../lib/compute/loaders';
import { probeBackends, type ProbeResult } from '../lib/compute/probe';
import {
  datasetFor,
  runTrainingJob,
  type TrainingJobEvent,
  type TrainingJobResult,
} from '../lib/compute/training-job';
import {
  checkCsvSpecText,
  inspectCsvText,
  type CsvInspection,
  type CsvSpecCheck,
  type TrainingData,
} from '../lib/compute/training-data';
import type { DatasetSpec } from '../lib/data/csv-dataset';
import type { BackendName } from '../lib/compute/backend-names';
import { activateBackend, type ActivationResult } from '../lib/compute/backends';
import type { SimulatedFault } from '../lib/compute/fault';
import type { TrainingSettings } from '../lib/ml/training-settings';

const loaders = createBackendLoaders({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

let running: AbortController | null = null;

/**
 * Really loses the active GPU backend's device, as a crashed driver or a reset GPU would: the
 * next operations fail inside tfjs, and the fallback must notice on its own.
 */
function loseDevice(name: BackendName): void {
  const active = tfBackend() as unknown as {
    device?: GPUDevice;
    gpgpu?: { gl?: WebGLRenderingContext | WebGL2RenderingContext };
  };
  if (name === 'webgpu' && active.device) active.device.destroy();
  else if (name === 'webgl' && active.gpgpu?.gl) {
    active.gpgpu.gl.getExtension('WEBGL_lose_context')?.loseContext();
  } else throw new Error(`the ${name} device cannot be lost here`);
}

const api = {
  /**
   * Runs one training job; events stream through the proxied callback. `data` picks the rows:
   * the synthetic transactions (default) or an uploaded CSV file's text with its spec.
   */
  async train(
    settings: TrainingSettings,
    backendOrder: BackendName[],
    onEvent: (event: TrainingJobEvent) => void,
    fault?: SimulatedFault,
    data?: TrainingData,
  ): Promise<TrainingJobResult> {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    let activeBackend: BackendName | null = null;
    const relay = (event: TrainingJobEvent): void => {
      if (event.type === 'backend-started') activeBackend = event.backend;
      onEvent(event);
    };
    let struck = false;
    const beforeBatch = fault
      ? (epoch: number, batch: number) => {
          if (struck || activeBackend !== fault.backend) return;
          if (epoch !== fault.epoch || batch !== fault.batch) return;
          struck = true;
          if (fault.kind === 'device-lost') loseDevice(fault.backend);
          else throw new Error(`simulated loss of the ${fault.backend} device`);
        }
      : undefined;
    try {
      return await runTrainingJob(
        settings,
        backendOrder,
        loaders,
        relay,
        controller.signal,
        beforeBatch,
        data,
      );
    } finally {
      if (running === controller) running = null;
    }
  },
  /**
   * Gets ready before the learner presses Train: loads and starts the first backend and builds
   * the dataset, so the first epoch is not delayed by WASM compilation or data generation.
   */
  async prepare(settings: TrainingSettings, backend: BackendName): Promise<ActivationResult> {
    const activation = await activateBackend(backend, loaders);
    datasetFor(settings);
    return activation;
  },
  /** Parses an uploaded file for the preview: columns with inferred types, first rows, problems. */
  inspectCsv(text: string): CsvInspection {
    return inspectCsvText(text);
  },
  /**
   * Builds the dataset of a file for a spec (kept for the run that follows): its counts and
   * what the missing-value rule did, or the problems that stop it.
   */
  checkCsvSpec(text: string, spec: DatasetSpec, seed: number): CsvSpecCheck {
    return checkCsvSpecText(text, spec, seed);
  },
  /** Stops the running job after its current batch; its result reports status `stopped`. */
  stop(): void {
    running?.abort();
  },
  /** Times each backend (run this in a worker of its own; see compute/probe). */
  probe(backends: BackendName[], timeBoxMsPerBackend: number): Promise<ProbeResult> {
    return probeBackends(backends, loaders, { timeBoxMsPerBackend });
  },
};

/** The worker's API as seen through Comlink. */
export type TrainingWorkerApi = typeof api;

Comlink.expose(api);
