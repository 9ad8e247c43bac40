/**
 * What a record says about each kind of run, built from what the sandboxes already have: a
 * training run from its settings, its `TrainingJobResult` and its final weights; a simulation
 * run from its `SandboxKind` and inputs. Metrics are the exercise state without the inputs, so
 * the paths (`validation.rocAuc`, `confusion.falsePositives`, …) are the ones the tolerances and
 * the exercise checks use.
 */
import type { TrainingJobResult } from '../compute/training-job';
import { trainingExerciseState } from '../exercises/training-state';
import type { SandboxKind } from '../exercises/sandbox-kind';
import type { TrainingSettings } from '../ml/training-settings';
import type { ModelWeights } from '../ml/weights';
import {
  createRunRecord,
  generatorDataVersion,
  metricsFromState,
  type RunRecord,
  type RunSettings,
} from './record';
import { describeWeightBytes, encodeWeights, modelSpecOf } from './weights-bytes';

/** The generator of the training sandbox's data (`data/fraud-features.ts`). */
export const TRAINING_DATA_GENERATOR = 'fraud-features';

/** When and by which course version a run was made. */
export interface RunStamp {
  createdAt: Date;
  appVersion: string;
  label?: string;
}

/** A record and the weight bytes to save with it. */
export interface NewRun {
  record: RunRecord;
  weightBytes: Uint8Array | null;
}

/**
 * The record of a training run. Data version: the fraud generator's rows and fraud rate with the
 * seed (the dataset is a pure function of these, see `datasetFor`). The backend is the one that
 * finished the run (`result.backend`), not the one asked for (`settings.backend`, kept among the
 * settings). `weights` are the final weights (null when no epoch finished).
 */
export async function trainingRun(
  settings: TrainingSettings,
  result: TrainingJobResult,
  weights: ModelWeights | null,
  stamp: RunStamp,
): Promise<NewRun> {
  const weightBytes = weights === null ? null : encodeWeights(weights);
  const record = await createRunRecord({
    ...stamp,
    sandbox: 'training',
    dataVersion: await generatorDataVersion({
      generator: TRAINING_DATA_GENERATOR,
      params: { rows: settings.rows, fraudRatePercent: settings.fraudRatePercent },
      seed: settings.seed,
    }),
    model: weights === null ? null : modelSpecOf(weights, settings.model),
    settings: { ...settings, hiddenSizes: [...settings.hiddenSizes] },
    seed: settings.seed,
    backend: result.backend,
    metrics: metricsFromState(trainingExerciseState(settings, result)),
    weights: weightBytes === null ? null : await describeWeightBytes(weightBytes),
  });
  return { record, weightBytes };
}

/**
 * The record of a simulation run: the inputs are validated with the kind, the state is
 * `kind.stateOf(inputs)`, the backend is `js` (plain JavaScript), and the data version is the
 * generator `sandbox:<id>` over the inputs other than the seed, with the seed. Throws a
 * RangeError for invalid inputs or a kind without `stateOf`.
 */
export async function simulationRun(
  kind: SandboxKind,
  inputs: Record<string, unknown>,
  stamp: RunStamp,
): Promise<NewRun> {
  if (kind.stateOf === undefined) {
    throw new RangeError(`the ${kind.id} sandbox computes no state from its inputs alone`);
  }
  const parsed = kind.parseInputs(inputs);
  const seed = parsed['seed'];
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new RangeError(`the ${kind.id} sandbox has no whole-number seed among its inputs`);
  }
  const settings = JSON.parse(JSON.stringify(parsed)) as RunSettings;
  const params: RunSettings = { ...settings };
  delete params['seed'];
  const record = await createRunRecord({
    ...stamp,
    sandbox: kind.id,
    dataVersion: await generatorDataVersion({ generator: `sandbox:${kind.id}`, params, seed }),
    model: null,
    settings,
    seed,
    backend: 'js',
    metrics: metricsFromState(kind.stateOf(parsed)),
    weights: null,
  });
  return { record, weightBytes: null };
}
