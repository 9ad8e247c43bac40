/**
 * Recording a sandbox's run without loading the run registry when the sandbox starts: the
 * registry client (IndexedDB, record hashing, its schemas) is imported on the first recording,
 * and any failure, the import's included, becomes the message the sandbox shows.
 */
import type { RecordOutcome } from './run-registry-client';

/** The registry client module, as `record` receives it. */
export type RegistryClient = typeof import('./run-registry-client');

/** The outcome shown when a run could not be recorded, with the reason. */
export function notRecorded(error: unknown): RecordOutcome {
  const reason = error instanceof Error ? error.message : String(error);
  return { ok: false, message: `This run was not recorded. ${reason}` };
}

/** Loads the registry client and records with it; never rejects. */
export function recordRun(
  record: (client: RegistryClient) => Promise<RecordOutcome>,
): Promise<RecordOutcome> {
  return import('./run-registry-client').then(record).catch(notRecorded);
}
