/**
 * The training sandbox's settings: their schema, defaults, and their round trip through a URL
 * query string, so that a shared link reproduces a run. Parsing never throws: a bad or hostile
 * value is replaced by its default and reported, so a mangled link still opens a working page.
 */
// zod/mini: the same validation as zod's classic API at a tenth of the bytes on the page.
import * as z from 'zod/mini';

/** The compute backends a learner can ask for; `auto` lets the measured probe decide. */
export const BACKEND_CHOICES = ['auto', 'wasm', 'cpu', 'webgl', 'webgpu'] as const;
/** A backend choice, as it appears in the URL and the settings form. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Model families the sandbox trains. */
export const MODEL_KINDS = ['logistic', 'mlp'] as const;
/** A model family: logistic regression (no hidden layer) or a multilayer perceptron. */
export type ModelKind = (typeof MODEL_KINDS)[number];

/** How the loss weighs the rare positive class. */
export const CLASS_WEIGHTINGS = ['none', 'balanced'] as const;
/** `none`: every row weighs 1; `balanced`: positives weigh (negatives ÷ positives) of the training split. */
export type ClassWeighting = (typeof CLASS_WEIGHTINGS)[number];

/** Batch sizes offered in the form (any integer in range is accepted from a URL). */
export const BATCH_SIZE_CHOICES = [32, 64, 128, 256, 512, 1024] as const;

const integer = (min: number, max: number) =>
  z.number().check(z.int(), z.minimum(min), z.maximum(max));

/** The schema of every setting, with its range; {@link SETTING_DESCRIPTIONS} says what each means. */
export const trainingSettingsSchema = z.object({
  model: z.enum(MODEL_KINDS),
  hiddenSizes: z.array(integer(1, 256)).check(z.minLength(1), z.maxLength(4)),
  learningRate: z.number().check(z.positive(), z.maximum(100)),
  epochs: integer(1, 200),
  batchSize: integer(8, 4096),
  classWeighting: z.enum(CLASS_WEIGHTINGS),
  seed: integer(0, 2 ** 31 - 1),
  rows: integer(1000, 200_000),
  fraudRatePercent: z.number().check(z.minimum(0.2), z.maximum(20)),
  backend: z.enum(BACKEND_CHOICES),
});

/** What each setting means and its range, in the words a learner reads when a value is refused. */
export const SETTING_DESCRIPTIONS: Record<keyof z.infer<typeof trainingSettingsSchema>, string> = {
  model: 'Model family: logistic or mlp.',
  hiddenSizes: 'Units in each hidden layer, input side first: 1–4 layers of 1–256 units.',
  learningRate: 'Adam step size, above 0 and at most 100 (values above ~1 usually diverge).',
  epochs: 'Passes over the training split: a whole number from 1 to 200.',
  batchSize: 'Rows per gradient step: a whole number from 8 to 4096.',
  classWeighting: 'Weighting of the rare fraud class: none or balanced.',
  seed: 'Seed of the data, split, initial weights and batch order: a whole number from 0 to 2147483647.',
  rows: 'Transactions generated, all splits together: a whole number from 1,000 to 200,000.',
  fraudRatePercent: 'Target share of fraud, in percent: from 0.2 to 20.',
  backend: 'Compute backend: auto, wasm, cpu, webgl or webgpu.',
};

/** All the settings of one training run, as validated by {@link trainingSettingsSchema}. */
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;

/** The defaults: the course's standard job (20,000 transactions, MLP 32→16, batch 256). */
export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = Object.freeze({
  model: 'mlp',
  hiddenSizes: [32, 16],
  learningRate: 0.01,
  epochs: 10,
  batchSize: 256,
  classWeighting: 'none',
  seed: 42,
  rows: 20_000,
  fraudRatePercent: 1,
  backend: 'auto',
}) as TrainingSettings;

/** Short URL parameter names, one per setting. */
const URL_KEYS: Record<keyof TrainingSettings, string> = {
  model: 'model',
  hiddenSizes: 'hidden',
  learningRate: 'lr',
  epochs: 'epochs',
  batchSize: 'batch',
  classWeighting: 'weighting',
  seed: 'seed',
  rows: 'rows',
  fraudRatePercent: 'fraud',
  backend: 'backend',
};

/** A URL parameter that was present but unusable, and why it was replaced by the default. */
export interface SettingsProblem {
  /** The URL parameter name. */
  parameter: string;
  /** The raw value as found (truncated to 40 characters). */
  value: string;
  /** A plain-language reason. */
  message: string;
}

/** The result of reading settings from a URL: usable settings plus any rejected parameters. */
export interface ParsedSettings {
  settings: TrainingSettings;
  problems: SettingsProblem[];
}

function parseRawValue(key: keyof TrainingSettings, raw: string): unknown {
  if (key === 'hiddenSizes') {
    const parts = raw.split(/[,\s-]+/).filter((part) => part.length > 0);
    return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
  }
  if (key === 'model' || key === 'classWeighting' || key === 'backend') return raw;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim())) return Number.NaN;
  // + 0 turns -0 into 0, so `seed=-0` reads as the seed a link writes back ("0").
  return Number(raw) + 0;
}

/**
 * Reads settings from a query string (`?model=mlp&hidden=32,16&lr=0.01…`). Missing parameters take
 * their defaults; each invalid one takes its default and is listed in `problems`.
 */
export function settingsFromSearchParams(params: URLSearchParams): ParsedSettings {
  const settings: Record<string, unknown> = { ...DEFAULT_TRAINING_SETTINGS };
  const problems: SettingsProblem[] = [];
  for (const key of Object.keys(URL_KEYS) as (keyof TrainingSettings)[]) {
    const parameter = URL_KEYS[key];
    const raw = params.get(parameter);
    if (raw === null) continue;
    const fieldSchema = trainingSettingsSchema.shape[key];
    const parsed = fieldSchema.safeParse(parseRawValue(key, raw));
    if (parsed.success) {
      settings[key] = parsed.data;
    } else {
      problems.push({ parameter, value: raw.slice(0, 40), message: SETTING_DESCRIPTIONS[key] });
    }
  }
  return { settings: trainingSettingsSchema.parse(settings), problems };
}

/**
 * Writes settings to query parameters, leaving out those equal to their defaults so links stay
 * short. Parameters of other features already in `base` are kept.
 */
export function settingsToSearchParams(
  settings: TrainingSettings,
  base: URLSearchParams = new URLSearchParams(),
): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of Object.keys(URL_KEYS) as (keyof TrainingSettings)[]) {
    const parameter = URL_KEYS[key];
    const value = settings[key];
    const fallback = DEFAULT_TRAINING_SETTINGS[key];
    const text = Array.isArray(value) ? value.join(',') : String(value);
    const defaultText = Array.isArray(fallback) ? fallback.join(',') : String(fallback);
    if (text === defaultText) params.delete(parameter);
    else params.set(parameter, text);
  }
  return params;
}

/** The hidden layer sizes a setting implies: none for logistic regression. */
export function effectiveHiddenSizes(
  settings: Pick<TrainingSettings, 'model' | 'hiddenSizes'>,
): number[] {
  return settings.model === 'logistic' ? [] : [...settings.hiddenSizes];
}

/** Describes a model's shape, e.g. `14→32→16→1`. */
export function describeArchitecture(inputSize: number, hiddenSizes: readonly number[]): string {
  return [inputSize, ...hiddenSizes, 1].join('→');
}
/**
 * Reads inputs as training settings; throws an Error naming each refused setting and its
 * range (a receipt's inputs are untrusted JSON).
 */
export function trainingSettingsFromInputs(inputs: Record<string, unknown>): TrainingSettings {
  const parsed = trainingSettingsSchema.safeParse(inputs);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const description = SETTING_DESCRIPTIONS[key as keyof TrainingSettings];
    return description ? `${key}: ${description}` : `${key || 'settings'}: ${issue.message}`;
  });
  throw new Error(`invalid training settings — ${problems.join('; ')}`);
}
