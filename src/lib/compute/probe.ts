/**
 * The backend probe: times a few training steps of the standard model on each available backend
 * and ranks them, fastest first. It is time-boxed per backend, so a slow software GPU adapter
 * costs seconds, not minutes, and runs apart from training so it never delays a first epoch.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../random';
import { createAdamTrainer } from '../ml/adam-trainer';
import { createTfMlp } from '../ml/tf-mlp';
import { initialWeights } from '../ml/weights';
import type { BackendName } from './backend-names';
import { activateBackend, type BackendLoaders } from './backends';

/** The shape of the probe's training step (defaults: the course's standard job). */
export interface ProbeShape {
  inputSize: number;
  hiddenSizes: readonly number[];
  batchSize: number;
  /** Timed steps after one untimed warm-up step. */
  timedSteps: number;
}

/** The course's standard job: MLP 14→32→16→1, batch 256. */
export const STANDARD_PROBE_SHAPE: ProbeShape = {
  inputSize: 14,
  hiddenSizes: [32, 16],
  batchSize: 256,
  timedSteps: 8,
};

/** One backend's probe result; msPerStep is null when it failed or ran past its time box. */
export interface BackendProbe {
  backend: BackendName;
  msPerStep: number | null;
  /** Time from asking for the backend to the end of its warm-up step, in ms. */
  startupMs: number | null;
  note?: string;
}

/** All backends' results and the ranking of those that ran, fastest first. */
export interface ProbeResult {
  probes: BackendProbe[];
  ranking: BackendName[];
  /** When it was measured (ms since epoch). */
  measuredAt: number;
}

class TimeBoxExceeded extends Error {}

async function timeOneBackend(
  backend: BackendName,
  loaders: BackendLoaders,
  shape: ProbeShape,
  timeBoxMs: number,
): Promise<BackendProbe> {
  const askedAt = performance.now();
  const deadline = askedAt + timeBoxMs;
  const activation = await activateBackend(backend, loaders, timeBoxMs);
  if (!activation.ok) return { backend, msPerStep: null, startupMs: null, note: activation.reason };
  const rng = createRng('backend-probe');
  const x = tf.tensor2d(
    Float32Array.from({ length: shape.batchSize * shape.inputSize }, () => rng.normal()),
    [shape.batchSize, shape.inputSize],
  );
  const y = tf.tensor2d(
    Float32Array.from({ length: shape.batchSize }, () => (rng.bernoulli(0.5) ? 1 : 0)),
    [shape.batchSize, 1],
  );
  const model = createTfMlp(initialWeights(shape.inputSize, shape.hiddenSizes, 1));
  const trainer = createAdamTrainer(model, { learningRate: 0.01 });
  const step = async (): Promise<void> => {
    const cost = trainer.step(x, y, 1);
    // Reading the cost waits for the device, so GPU backends are timed to completion.
    await cost.data();
    cost.dispose();
    if (performance.now() > deadline) throw new TimeBoxExceeded();
  };
  try {
    await step();
    const startupMs = performance.now() - askedAt;
    const timedFrom = performance.now();
    for (let i = 0; i < shape.timedSteps; i++) await step();
    return { backend, msPerStep: (performance.now() - timedFrom) / shape.timedSteps, startupMs };
  } catch (error) {
    const note =
      error instanceof TimeBoxExceeded
        ? `slower than the ${timeBoxMs} ms time box`
        : error instanceof Error
          ? error.message
          : String(error);
    return { backend, msPerStep: null, startupMs: null, note };
  } finally {
    model.dispose();
    trainer.dispose();
    x.dispose();
    y.dispose();
  }
}

/**
 * Probes each backend in turn and ranks those that finished inside their time box by ms per step.
 * Meant to run in its own worker, since a slow backend blocks the thread it runs on.
 */
export async function probeBackends(
  backends: readonly BackendName[],
  loaders: BackendLoaders,
  options: { shape?: ProbeShape; timeBoxMsPerBackend?: number } = {},
): Promise<ProbeResult> {
  const shape = options.shape ?? STANDARD_PROBE_SHAPE;
  const timeBoxMs = options.timeBoxMsPerBackend ?? 3_000;
  const probes: BackendProbe[] = [];
  for (const backend of backends)
    probes.push(await timeOneBackend(backend, loaders, shape, timeBoxMs));
  const ranking = probes
    .filter((probe): probe is BackendProbe & { msPerStep: number } => probe.msPerStep !== null)
    .sort((a, b) => a.msPerStep - b.msPerStep)
    .map((probe) => probe.backend);
  return { probes, ranking, measuredAt: Date.now() };
}
