/**
 * The pipeline-bisect sandbox (lesson 8) as exercises see it. Inputs are flat: the `seed` of
 * the payments, the `incident` (case 1–6, or 0 for the seed's mystery case), the version
 * (`old` = last month's, `new` = this month's) of each component (`data`, `features`,
 * `config`, `library`), and whether each component was versioned (`dataVersioned`, …: `yes` or
 * `no`). A component that was not versioned cannot be set back to `old`: its old version was
 * overwritten, so `parseInputs` refuses it.
 *
 * State (metrics on this month's held-out payments, see `maintenance/pipeline.ts`):
 * - `run.rocAuc` (3 decimals), `run.recallAtFpr` (recall at ≤ 1% false positives, 3 decimals):
 *   the chosen combination; `lastMonth.*` and `thisMonth.*`: every component old, every one new;
 * - `compare.aucVsLastMonth` (4 decimals) and `compare.recallVsLastMonth` (3 decimals): run
 *   minus last month, from unrounded values;
 * - `changes.kept` / `changes.reverted`: how many components run their new / old version;
 * - `setup.learningRate`, `setup.epochs`, `setup.singlePrecision`: what the training resolved to;
 * - every input under `input.<name>`.
 */
import * as z from 'zod/mini';
import {
  COMPONENTS,
  INCIDENT_COUNT,
  resolveIncident,
  type Component,
} from '../../maintenance/incidents';
import {
  LAST_MONTH,
  THIS_MONTH,
  runPipeline,
  type PipelineChoice,
  type PipelineRun,
} from '../../maintenance/pipeline';
import type { FlatState } from '../receipt-schema';
import { parseWithSchema, pathsOf, type SandboxKind } from '../sandbox-kind';

/** Whether a component's past versions were kept. */
export const VERSIONED_VALUES = ['yes', 'no'] as const;

/** The sandbox's flat inputs. */
export interface PipelineBisectInputs extends Record<string, unknown> {
  seed: number;
  incident: number;
  data: 'old' | 'new';
  features: 'old' | 'new';
  config: 'old' | 'new';
  library: 'old' | 'new';
  dataVersioned: 'yes' | 'no';
  featuresVersioned: 'yes' | 'no';
  configVersioned: 'yes' | 'no';
  libraryVersioned: 'yes' | 'no';
}

/** The input that says whether a component was versioned. */
export const versionedInput = (component: Component) => `${component}Versioned` as const;

const version = z.enum(['old', 'new']);
const versioned = z.enum(VERSIONED_VALUES);
const shape = {
  seed: z.number().check(z.int(), z.minimum(0), z.maximum(2 ** 31 - 1)),
  incident: z.number().check(z.int(), z.minimum(0), z.maximum(INCIDENT_COUNT)),
  data: version,
  features: version,
  config: version,
  library: version,
  dataVersioned: versioned,
  featuresVersioned: versioned,
  configVersioned: versioned,
  libraryVersioned: versioned,
};

/** Plain names of the components, as the sandbox labels them. */
export const COMPONENT_LABELS: Readonly<Record<Component, string>> = {
  data: 'Training data',
  features: 'Feature code',
  config: 'Training config',
  library: 'Numeric library',
};

const descriptions: Record<keyof typeof shape, string> = {
  seed: 'Seed of the payments of both months: a whole number from 0 to 2147483647.',
  incident: `The case: a whole number from 1 to ${INCIDENT_COUNT}, or 0 for a mystery case picked by the seed.`,
  data: 'Training data: old (last month’s export) or new (this month’s).',
  features: 'Feature code: old (last month’s version) or new (this month’s).',
  config: 'Training config: old (last month’s file) or new (this month’s).',
  library: 'Numeric library: old (numlib 1.9) or new (numlib 2.0).',
  dataVersioned: 'Was last month’s data export kept? yes, or no (overwritten in place).',
  featuresVersioned: 'Is the feature code in version control? yes or no.',
  configVersioned: 'Is the training config in version control? yes or no.',
  libraryVersioned: 'Was the library version pinned? yes, or no (the build takes the latest).',
};

/** The inputs the sandbox starts from: this month's pipeline, case 0 (the seed's mystery). */
export const PIPELINE_BISECT_DEFAULTS: Readonly<PipelineBisectInputs> = {
  seed: 1,
  incident: 0,
  data: 'new',
  features: 'new',
  config: 'new',
  library: 'new',
  dataVersioned: 'yes',
  featuresVersioned: 'yes',
  configVersioned: 'yes',
  libraryVersioned: 'yes',
};

/** The choice of versions in some inputs. */
export function choiceOf(inputs: PipelineBisectInputs): PipelineChoice {
  return {
    data: inputs.data,
    features: inputs.features,
    config: inputs.config,
    library: inputs.library,
  };
}

/** The metrics and setup of one run, as the sandbox shows them. */
export interface RunSummary {
  choice: PipelineChoice;
  rocAuc: number;
  recallAtFpr: number;
  learningRate: number;
  epochs: number;
  singlePrecision: boolean;
}

/** What one press of Run shows: the run, both reference runs, and the exercise state. */
export interface PipelineBisectRun {
  current: RunSummary;
  lastMonth: RunSummary;
  thisMonth: RunSummary;
  /** The case that ran (the mystery resolved). */
  incidentNumber: number;
  /** Equal to `pipelineBisectKind.stateOf(inputs)`. */
  state: FlatState;
}

function summary(run: PipelineRun): RunSummary {
  return {
    choice: run.choice,
    rocAuc: run.metrics.rocAuc,
    recallAtFpr: run.metrics.recallAtFpr,
    learningRate: run.setup.learningRate,
    epochs: run.setup.epochs,
    singlePrecision: run.setup.singlePrecision,
  };
}

const round = (value: number, decimals: number): number => Number(value.toFixed(decimals));

/** Trains the chosen combination and both references; the state of the module header. */
export function pipelineBisectRun(inputs: PipelineBisectInputs): PipelineBisectRun {
  const current = summary(runPipeline(inputs.seed, inputs.incident, choiceOf(inputs)));
  const lastMonth = summary(runPipeline(inputs.seed, inputs.incident, LAST_MONTH));
  const thisMonth = summary(runPipeline(inputs.seed, inputs.incident, THIS_MONTH));
  const kept = COMPONENTS.filter((c) => inputs[c] === 'new').length;
  const state: FlatState = {
    'run.rocAuc': round(current.rocAuc, 3),
    'run.recallAtFpr': round(current.recallAtFpr, 3),
    'lastMonth.rocAuc': round(lastMonth.rocAuc, 3),
    'lastMonth.recallAtFpr': round(lastMonth.recallAtFpr, 3),
    'thisMonth.rocAuc': round(thisMonth.rocAuc, 3),
    'thisMonth.recallAtFpr': round(thisMonth.recallAtFpr, 3),
    'compare.aucVsLastMonth': round(current.rocAuc - lastMonth.rocAuc, 4),
    'compare.recallVsLastMonth': round(current.recallAtFpr - lastMonth.recallAtFpr, 3),
    'changes.kept': kept,
    'changes.reverted': COMPONENTS.length - kept,
    'setup.learningRate': current.learningRate,
    'setup.epochs': current.epochs,
    'setup.singlePrecision': current.singlePrecision,
  };
  for (const [key, value] of Object.entries(inputs))
    state[`input.${key}`] = value as string | number;
  return {
    current,
    lastMonth,
    thisMonth,
    incidentNumber: resolveIncident(inputs.incident, inputs.seed).number,
    state,
  };
}

/** The exercise state for some inputs (see the module header). */
export function pipelineBisectState(inputs: PipelineBisectInputs): FlatState {
  return pipelineBisectRun(inputs).state;
}

/** Every path of the state, sorted (listed, so importing the kind trains nothing). */
export const PIPELINE_BISECT_STATE_PATHS: readonly string[] = pathsOf(
  Object.fromEntries(
    [
      'run.rocAuc',
      'run.recallAtFpr',
      'lastMonth.rocAuc',
      'lastMonth.recallAtFpr',
      'thisMonth.rocAuc',
      'thisMonth.recallAtFpr',
      'compare.aucVsLastMonth',
      'compare.recallVsLastMonth',
      'changes.kept',
      'changes.reverted',
      'setup.learningRate',
      'setup.epochs',
      'setup.singlePrecision',
      ...Object.keys(shape).map((key) => `input.${key}`),
    ].map((path) => [path, null]),
  ),
);

/** The pipeline-bisect sandbox (lesson 8) for the exercise framework. */
export const pipelineBisectKind: SandboxKind<PipelineBisectInputs> = {
  id: 'pipeline-bisect',
  actionPhrase: 'Train the combination in the sandbox',
  inputsSchema: z.object(shape),
  inputDescriptions: descriptions,
  defaults: PIPELINE_BISECT_DEFAULTS,
  paramInputs: ['seed', 'incident'],
  parseInputs(inputs) {
    const parsed = parseWithSchema<PipelineBisectInputs>(pipelineBisectKind, inputs);
    for (const component of COMPONENTS) {
      if (parsed[component] === 'old' && parsed[versionedInput(component)] === 'no') {
        throw new RangeError(
          `pipeline-bisect inputs: ${component} = old is refused — last month’s ${COMPONENT_LABELS[component].toLowerCase()} was not versioned, so it no longer exists and cannot be restored`,
        );
      }
    }
    return parsed;
  },
  stateOf: pipelineBisectState,
  statePaths: PIPELINE_BISECT_STATE_PATHS,
};
