/**
 * The training sandbox as exercises see it. Its state comes from a tfjs run, so it has no
 * `stateOf`: a replay trains again (`replay-training.ts` in Node, the training worker in the
 * page). Its state paths are derived from `trainingExerciseState` on an empty result.
 */
import type { TrainingJobResult } from '../../compute/training-job';
import type { ClassificationReport } from '../../ml/metrics';
import {
  DEFAULT_TRAINING_SETTINGS,
  SETTING_DESCRIPTIONS,
  trainingSettingsFromInputs,
  trainingSettingsSchema,
  type TrainingSettings,
} from '../../ml/training-settings';
import { pathsOf, type SandboxKind } from '../sandbox-kind';
import { trainingExerciseState } from '../training-state';

/** Training settings a variant parameter may set: the numeric ones. */
export const TRAINING_PARAM_INPUTS = [
  'seed',
  'rows',
  'fraudRatePercent',
  'epochs',
  'learningRate',
  'batchSize',
] as const satisfies readonly (keyof TrainingSettings)[];

const ZERO_REPORT: ClassificationReport = {
  accuracy: 0,
  precision: 0,
  recall: 0,
  f1: 0,
  rocAuc: 0,
  prAuc: 0,
  logLoss: 0,
  confusion: { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 },
  threshold: 0.5,
  positives: 0,
  rows: 0,
};

const ZERO_RESULT: TrainingJobResult = {
  status: 'completed',
  backend: 'cpu',
  epochsCompleted: 0,
  history: [],
  validation: ZERO_REPORT,
  validationScored: null,
  test: ZERO_REPORT,
  msPerEpoch: null,
  failures: [],
  divergence: null,
  architecture: '',
  weights: [],
};

/** The training sandbox (lesson 2) for the exercise framework. */
export const trainingKind: SandboxKind<TrainingSettings> = {
  id: 'training',
  actionPhrase: 'Train a model in the sandbox',
  inputsSchema: trainingSettingsSchema,
  inputDescriptions: SETTING_DESCRIPTIONS,
  defaults: DEFAULT_TRAINING_SETTINGS,
  paramInputs: TRAINING_PARAM_INPUTS,
  parseInputs: (inputs) => {
    const known = Object.keys(trainingSettingsSchema.shape);
    const unknown = Object.keys(inputs).find((key) => !known.includes(key));
    if (unknown !== undefined) {
      throw new RangeError(
        `training inputs: unknown setting "${unknown}" — expected one of ${known.join(', ')}`,
      );
    }
    return trainingSettingsFromInputs({
      ...DEFAULT_TRAINING_SETTINGS,
      hiddenSizes: [...DEFAULT_TRAINING_SETTINGS.hiddenSizes],
      ...inputs,
    });
  },
  statePaths: pathsOf(trainingExerciseState(DEFAULT_TRAINING_SETTINGS, ZERO_RESULT)),
};
