/**
 * The page's run registry: one `RunRegistry` over IndexedDB (in memory, and said so, where a
 * browser has no IndexedDB), the recording of finished training runs, and a change signal so a
 * registry view refreshes when any sandbox (on this page or in another tab) records or deletes a
 * run. Recording never throws: it resolves with a message the sandbox shows, so a failed write
 * is reported, never silent.
 */
import { version as appVersion } from '../../package.json';
import { createMemoryBackend } from '../../src/lib/registry/backend';
import { createIndexedDbBackend, indexedDbAvailable } from '../../src/lib/registry/idb-backend';
import { RunRegistry } from '../../src/lib/registry/store';
import {
  simulationRunFromState,
  trainingRun,
  type NewRun,
  type UploadedTrainingData,
} from '../../src/lib/registry/sources';
import type { FlatState } from '../../src/lib/exercises/receipt-schema';
import { notRecorded } from './record-run';
import type { TrainingJobResult } from '../../src/lib/compute/training-job';
import type { TrainingSettings } from '../../src/lib/ml/training-settings';

/** The course version that records runs (package.json). */
export const APP_VERSION: string = appVersion;

/** The registry and whether it outlives the page. */
export interface PageRegistry {
  registry: RunRegistry;
  /** false when runs are kept in memory only (no IndexedDB in this browser). */
  persistent: boolean;
}

let shared: PageRegistry | null = null;

/** The page's registry, created on first use. */
export function getRunRegistry(): PageRegistry {
  if (shared) return shared;
  const estimate =
    typeof navigator !== 'undefined' && navigator.storage?.estimate
      ? () => navigator.storage.estimate()
      : undefined;
  if (indexedDbAvailable()) {
    shared = {
      registry: new RunRegistry({
        backend: createIndexedDbBackend(),
        ...(estimate ? { estimate } : {}),
      }),
      persistent: true,
    };
  } else {
    const backend = createMemoryBackend();
    shared = {
      registry: new RunRegistry({ backend, estimate: backend.estimate }),
      persistent: false,
    };
  }
  return shared;
}

const CHANNEL = 'mlsdl-runs';
const localTarget = new EventTarget();

/** Tells registry views on this page and in other tabs that the saved runs changed. */
export function announceRunsChanged(): void {
  localTarget.dispatchEvent(new Event('change'));
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage('change');
  channel.close();
}

/** Calls `listener` whenever the saved runs change; returns the function that stops it. */
export function onRunsChanged(listener: () => void): () => void {
  localTarget.addEventListener('change', listener);
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  channel?.addEventListener('message', listener);
  return () => {
    localTarget.removeEventListener('change', listener);
    channel?.close();
  };
}

/** An uploaded file a run trained on: its data version and spec, and the bytes to keep. */
export interface UploadedRunData extends UploadedTrainingData {
  bytes: Uint8Array;
}

/** What recording a run came to, in the words the sandbox shows. */
export type RecordOutcome =
  { ok: true; id: string; message: string } | { ok: false; message: string };

/**
 * Records a finished training run (completed, stopped or diverged, once at least one epoch
 * finished) with its final weights; for a run on an uploaded file, keeps the file's bytes too,
 * so the run can be reproduced from this browser.
 */
export async function recordTrainingRun(
  settings: TrainingSettings,
  result: TrainingJobResult,
  upload: UploadedRunData | null = null,
): Promise<RecordOutcome> {
  if (result.epochsCompleted === 0) {
    return { ok: false, message: 'No epoch finished, so there is no model to record.' };
  }
  return saveRun(async () => {
    const run = await trainingRun(
      settings,
      result,
      result.weights,
      { createdAt: new Date(), appVersion: APP_VERSION },
      upload && { dataVersion: upload.dataVersion, specJson: upload.specJson },
    );
    if (upload) await getRunRegistry().registry.saveUploadedData(upload.dataVersion, upload.bytes);
    return run;
  });
}

/**
 * Records several training runs of one sandbox action (a pair of models trained side by side),
 * one after another; resolves with the first failure, or one message naming every id.
 */
export async function recordTrainingRuns(
  runs: readonly { settings: TrainingSettings; result: TrainingJobResult }[],
): Promise<RecordOutcome> {
  const ids: string[] = [];
  for (const { settings, result } of runs) {
    const outcome = await recordTrainingRun(settings, result);
    if (!outcome.ok) return outcome;
    ids.push(outcome.id);
  }
  const last = ids[ids.length - 1];
  if (last === undefined) return { ok: false, message: 'No run to record.' };
  return { ok: true, id: last, message: `Recorded as ${ids.join(' and ')} in the run registry.` };
}

/**
 * Records a simulation sandbox's run from the state it already computed (`inputs` are the
 * kind's parsed inputs, `state` the state it showed and published).
 */
export function recordSimulationRun(
  kind: { id: string },
  inputs: Record<string, unknown>,
  state: FlatState,
): Promise<RecordOutcome> {
  return saveRun(() =>
    simulationRunFromState(kind, inputs, state, {
      createdAt: new Date(),
      appVersion: APP_VERSION,
    }),
  );
}

async function saveRun(build: () => Promise<NewRun>): Promise<RecordOutcome> {
  const { registry, persistent } = getRunRegistry();
  try {
    const run = await build();
    await registry.save(run.record, run.weightBytes);
    announceRunsChanged();
    const where = persistent
      ? 'in the run registry'
      : 'in the run registry for this page only (this browser offers no IndexedDB, so it is gone on reload)';
    return { ok: true, id: run.record.id, message: `Recorded as ${run.record.id} ${where}.` };
  } catch (error) {
    return notRecorded(error);
  }
}
