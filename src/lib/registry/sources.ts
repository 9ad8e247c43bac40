/**
 * What a record says about each kind of run, built from what the sandboxes already have: a
 * training run from its settings, its `TrainingJobResult` and its final weights; a simulation
 * run from its `SandboxKind` and inputs. Metrics are the exercise state without the inputs, so
 * the paths (`validation.rocAuc`, `confusion.falsePositives`, …) are the ones the tolerances and
 * the exercise checks use.
 */
import type { TrainingJobResult } from '../compute/training-job';
import { trainingExerciseState } from '../exercises/training-state';
import type { FlatState } from '../exercises/receipt-schema';
import type { SandboxKind } from '../exercises/sandbox-kind';
import type { TrainingSettings } from '../ml/training-settings';
import type { ModelWeights } from '../ml/weights';
import {
  createRunRecord,
  generatorDataVersion,
  type DataVersion,
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
 * A training run on a file the learner uploaded: the file's data version and how its columns
 * became features (the dataset spec as JSON), which a replay needs to rebuild the same dataset.
 */
export interface UploadedTrainingData {
  dataVersion: Extract<DataVersion, { kind: 'upload' }>;
  /** The dataset spec (target, features, types, missing-value rule) as JSON text. */
  specJson: string;
}

/**
 * The record of a training run. Data version: the fraud generator's rows and fraud rate with the
 * seed (the dataset is a pure function of these, see `datasetFor`), or, for a run on an uploaded
 * file, the file's SHA-256, with the dataset spec kept among the settings as `csvSpec` (rows and
 * fraud rate then do not apply but stay in the settings, as the form held them). The backend is
 * the one that finished the run (`result.backend`), not the one asked for (`settings.backend`,
 * kept among the settings). `weights` are the final weights (null when no epoch finished).
 */
export async function trainingRun(
  settings: TrainingSettings,
  result: TrainingJobResult,
  weights: ModelWeights | null,
  stamp: RunStamp,
  upload: UploadedTrainingData | null = null,
): Promise<NewRun> {
  const weightBytes = weights === null ? null : encodeWeights(weights);
  const runSettings: RunSettings = { ...settings, hiddenSizes: [...settings.hiddenSizes] };
  if (upload !== null) runSettings['csvSpec'] = upload.specJson;
  const record = await createRunRecord({
    ...stamp,
    sandbox: 'training',
    dataVersion:
      upload?.dataVersion ??
      (await generatorDataVersion({
        generator: TRAINING_DATA_GENERATOR,
        params: { rows: settings.rows, fraudRatePercent: settings.fraudRatePercent },
        seed: settings.seed,
      })),
    model: weights === null ? null : modelSpecOf(weights, settings.model),
    settings: runSettings,
    seed: settings.seed,
    backend: result.backend,
    metrics: metricsFromState(trainingExerciseState(settings, result)),
    weights: weightBytes === null ? null : await describeWeightBytes(weightBytes),
  });
  return { record, weightBytes };
}

/**
 * The record of a simulation run whose state was already computed (by the sandbox, often in a
 * worker), so recording does not compute it again: `inputs` must be the kind's parsed inputs and
 * `state` its `stateOf(inputs)`. The backend is `js` (plain JavaScript), and the data version is
 * the generator `sandbox:<id>` over the inputs other than the seed, with the seed. Throws a
 * RangeError when the inputs have no whole-number seed.
 */
export async function simulationRunFromState(
  kind: Pick<SandboxKind, 'id'>,
  inputs: Record<string, unknown>,
  state: FlatState,
  stamp: RunStamp,
): Promise<NewRun> {
  const seed = inputs['seed'];
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new RangeError(`the ${kind.id} sandbox has no whole-number seed among its inputs`);
  }
  const settings = JSON.parse(JSON.stringify(inputs)) as RunSettings;
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
    metrics: metricsFromState(state),
    weights: null,
  });
  return { record, weightBytes: null };
}

/**
 * The record of a simulation run: the inputs are validated with the kind and the state is
 * `kind.stateOf(inputs)` (see {@link simulationRunFromState}). Throws a RangeError for invalid
 * inputs or a kind without `stateOf`.
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
  return simulationRunFromState(kind, parsed, kind.stateOf(parsed), stamp);
}
