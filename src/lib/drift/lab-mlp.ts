/**
 * The drift lab with an MLP deployed instead of the logistic regression (lesson 6 sandbox only):
 * the weights come from tfjs (`ml/drift-mlp.ts`, run in the drift worker), and scoring is a
 * plain-JS forward pass (`predictReference`), so the day loop is as fast and as deterministic as
 * the logistic one once the weights exist. No tfjs here.
 *
 * score(x) = σ(W₃ᵀ·relu(W₂ᵀ·relu(W₁ᵀ·z + b₁) + b₂) + b₃), z = (x − mean) / sd per column.
 * The threshold is chosen as for the logistic model: `bestGridThreshold` on the training rows.
 */
import { DEFAULT_FRAUD_COSTS, type FraudCostModel } from '@lib/business/fraud-money';
import type { Standardizer } from '@lib/data/fraud-features';
import { bestGridThreshold, type LabModel } from '@lib/drift/lab-model';
import {
  DRIFT_LAB_HISTORY_DAYS,
  createProductionStreamForLab,
  runDriftLab,
  type DriftLabDeployment,
  type DriftLabOptions,
  type DriftLabResult,
  type DriftLabSettings,
} from '@lib/drift/monitor-lab';
import { withStandardizer, type LabelledWindow, type Scorer } from '@lib/drift/stream';
import { predictReference, type ReferenceMlp } from '@lib/ml/reference-mlp';
import type { ModelWeights } from '@lib/ml/weights';

/** Trained MLP weights with the standardiser they expect (what the tfjs training returns). */
export interface MlpWeightsWithStandardizer {
  weights: ModelWeights;
  standardizer: Standardizer;
}

/** A reference MLP holding `weights` (Adam state zero: it is only used to predict). */
export function referenceMlpOf(weights: ModelWeights): ReferenceMlp {
  const zeros = (arrays: Float32Array[]) => arrays.map((a) => new Float32Array(a.length));
  const kernels = weights.map((l) => l.kernel);
  const biases = weights.map((l) => l.bias);
  const layerSizes = [weights[0]!.inputSize, ...weights.map((l) => l.outputSize)];
  return {
    inputSize: layerSizes[0]!,
    hiddenSizes: layerSizes.slice(1, -1),
    layerSizes,
    weights: kernels,
    biases,
    adamFirstMoments: { weights: zeros(kernels), biases: zeros(biases) },
    adamSecondMoments: { weights: zeros(kernels), biases: zeros(biases) },
    adamStep: 0,
  };
}

/**
 * The MLP as a lab model: standardise, forward pass, threshold from the training window's
 * profit curve on the grid (`bestGridThreshold`, as `trainLabModel` does).
 */
export function mlpLabModel(
  trainingWindow: LabelledWindow,
  trained: MlpWeightsWithStandardizer,
  costs: FraudCostModel = DEFAULT_FRAUD_COSTS,
): Pick<LabModel, 'scorer' | 'thresholdScore' | 'trainRows' | 'trainNetSavingsUsd'> {
  const mlp = referenceMlpOf(trained.weights);
  const scorer: Scorer = withStandardizer(
    (features, rows) => predictReference(mlp, features, rows),
    trained.standardizer,
  );
  const inSample = scorer(trainingWindow.features, trainingWindow.rows, trainingWindow.cols);
  const best = bestGridThreshold(trainingWindow.labels, inSample, trainingWindow.amountsUsd, costs);
  return {
    scorer,
    thresholdScore: best.thresholdScore,
    trainNetSavingsUsd: best.netSavingsUsd,
    trainRows: trainingWindow.rows,
  };
}

/**
 * The history stream and training window of a seed and daily volume: the same rows the lab's
 * logistic regression trains on (`driftLabModel`), without training it.
 */
export function driftLabTrainingHistory(
  seed: number,
  requestsPerDay: number,
): Omit<DriftLabDeployment, 'model'> {
  const history = createProductionStreamForLab(seed, requestsPerDay);
  return { history, trainWindow: history.labelledDays(0, DRIFT_LAB_HISTORY_DAYS - 1) };
}

/**
 * Runs the lab (`runDriftLab`) with the trained MLP deployed. `trained` must come from the
 * training window of `driftLabTrainingHistory(settings.seed, settings.requestsPerDay)`.
 */
export function runDriftLabWithMlp(
  settings: DriftLabSettings,
  trained: MlpWeightsWithStandardizer,
  options: Omit<DriftLabOptions, 'deployed'> = {},
): DriftLabResult {
  const lab = driftLabTrainingHistory(settings.seed, settings.requestsPerDay);
  return runDriftLab(settings, {
    ...options,
    deployed: { ...lab, model: mlpLabModel(lab.trainWindow, trained) },
  });
}
