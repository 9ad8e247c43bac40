/**
 * Re-runs a recorded run in the browser for `reproduceRun`: a training run in a training worker
 * of its own, with the record's settings and seed, on the backend the learner picks (the one it
 * was recorded on, by default, so a same-backend replay can be judged exactly); a simulation run
 * in the replay worker. The engine judges the outcome; this only produces it.
 */
import * as Comlink from 'comlink';
import { startTrainingWorker, proxy, type WorkerHandle } from '../training/worker-client';
import { trainingExerciseState } from '../../../src/lib/exercises/training-state';
import { trainingSettingsFromInputs } from '../../../src/lib/ml/training-settings';
import { metricsFromState, type RunRecord } from '../../../src/lib/registry/record';
import type { RunReplayOutcome } from '../../../src/lib/registry/reproduce';
import { BACKEND_NAMES, type BackendName } from '../../../src/lib/compute/backend-names';
import { SIMULATION_BACKEND } from '../../../src/lib/exercises/replay-simulation';
import type { ReplayWorkerApi } from '../../../src/workers/replay.worker';
import type { RunRegistry } from '../../../src/lib/registry/store';
import type { TrainingData } from '../../../src/lib/compute/training-job';

/** Where to replay: the recorded backend, or a named one. */
export type ReplayBackendChoice = 'recorded' | BackendName;

/** true when `name` is a backend this page can train on. */
function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/** The data a training record trained on, rebuilt from the registry for an uploaded file. */
async function trainingDataOf(record: RunRecord, registry: RunRegistry): Promise<TrainingData> {
  const data = record.dataVersion;
  if (data.kind !== 'upload') return { kind: 'generator' };
  const bytes = await registry.uploadedData(data);
  if (bytes === null) {
    throw new Error(
      `it trained on the file ${data.fileName}, which this browser does not keep (the run was imported, or recorded elsewhere)`,
    );
  }
  const specJson = record.settings['csvSpec'];
  if (typeof specJson !== 'string') throw new Error('its record has no dataset spec (csvSpec)');
  return {
    kind: 'csv',
    fileName: data.fileName,
    text: new TextDecoder().decode(bytes),
    spec: JSON.parse(specJson) as Extract<TrainingData, { kind: 'csv' }>['spec'],
  };
}

/** Replays records; `close` frees the workers it started. */
export function createRunReplay(registry: RunRegistry): {
  replay: (record: RunRecord, backend: ReplayBackendChoice) => Promise<RunReplayOutcome>;
  close: () => void;
} {
  let training: WorkerHandle | null = null;
  let simulationWorker: Worker | null = null;
  let simulation: Comlink.Remote<ReplayWorkerApi> | null = null;

  async function replayTraining(
    record: RunRecord,
    choice: ReplayBackendChoice,
  ): Promise<RunReplayOutcome> {
    const backend = choice === 'recorded' ? record.backend : choice;
    if (!isBackendName(backend)) throw new Error(`this page cannot train on ${backend}`);
    const settings = trainingSettingsFromInputs(record.settings);
    const data = await trainingDataOf(record, registry);
    training ??= startTrainingWorker();
    // Only the chosen backend: a silent fallback would replay somewhere else than asked.
    const result = await training.api.train(
      settings,
      [backend],
      proxy(() => {}),
      undefined,
      data,
    );
    if (result.epochsCompleted === 0) {
      const failure = result.failures[0];
      throw new Error(
        failure ? `${failure.backend} could not run: ${failure.reason}` : 'no epoch finished',
      );
    }
    return {
      metrics: metricsFromState(trainingExerciseState(settings, result)),
      backend: result.backend,
    };
  }

  async function replaySimulation(record: RunRecord): Promise<RunReplayOutcome> {
    if (!simulation) {
      simulationWorker = new Worker(
        new URL('../../../src/workers/replay.worker.ts', import.meta.url),
        { type: 'module', name: 'replay' },
      );
      simulation = Comlink.wrap<ReplayWorkerApi>(simulationWorker);
    }
    const state = await simulation.simulationState(record.sandbox, record.settings);
    return { metrics: metricsFromState(state), backend: SIMULATION_BACKEND };
  }

  return {
    replay: (record, backend) =>
      record.sandbox === 'training' ? replayTraining(record, backend) : replaySimulation(record),
    close() {
      training?.terminate();
      training = null;
      simulation?.[Comlink.releaseProxy]();
      simulationWorker?.terminate();
      simulationWorker = null;
      simulation = null;
    },
  };
}
