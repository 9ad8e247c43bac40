/**
 * Brings up a tfjs backend for the drift lab's MLP and trains it there: WASM first, the CPU
 * backend if WASM cannot start or fails mid-run (the run restarts from the seed's initial
 * weights, so the result is the same model a CPU-only run gives).
 */
import type { DriftMlpTraining } from '../ml/drift-mlp';
import { trainDriftMlp } from '../ml/drift-mlp';
import type { LabelledWindow } from '../drift/stream';
import type { BackendName } from './backend-names';
import { activateBackend, type BackendLoaders } from './backends';

/** The order backends are tried in. */
export const DRIFT_MLP_BACKEND_ORDER: readonly BackendName[] = ['wasm', 'cpu'];

/** A trained MLP and the backends that failed before it, each with its reason. */
export interface DriftMlpJobResult {
  training: DriftMlpTraining;
  failures: { backend: BackendName; reason: string }[];
}

/**
 * Tries each backend of `order` in turn: activate (`activateBackend`), then train
 * (`trainDriftMlp`). Returns the first success.
 *
 * @throws Error naming every failure when no backend could train the model.
 */
export async function trainDriftMlpWithFallback(
  labelled: LabelledWindow,
  seed: number,
  loaders: BackendLoaders,
  order: readonly BackendName[] = DRIFT_MLP_BACKEND_ORDER,
): Promise<DriftMlpJobResult> {
  const failures: DriftMlpJobResult['failures'] = [];
  for (const backend of order) {
    const activation = await activateBackend(backend, loaders);
    if (!activation.ok) {
      failures.push({ backend, reason: activation.reason });
      continue;
    }
    try {
      return { training: await trainDriftMlp(labelled, seed), failures };
    } catch (error) {
      failures.push({ backend, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new Error(
    `No backend could train the MLP: ${failures.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`,
  );
}
