/**
 * The schema of an exercise file (`content/exercises/<id>.yaml`). It runs at build time and in
 * tests only, never on the page, so it uses zod's classic API for its richer messages; every
 * field carries a description, which the loader quotes when a file is wrong.
 *
 * An exercise is plain JSON-serialisable data (see {@link Exercise}): the Astro page passes it
 * to the Svelte island as a prop, and the island grades with `checks.ts` and `variants.ts`.
 */
import { z } from 'zod';
import {
  SETTING_DESCRIPTIONS,
  trainingSettingsSchema,
  type TrainingSettings,
} from '../ml/training-settings';
import { goalChecks, tryParseCheck, type GoalNode, type ParsedCheck } from './checks';
import { SANDBOX_KINDS, sandboxKind } from './kinds/index';
import { TRAINING_PARAM_INPUTS, trainingKind } from './kinds/training';
import type { SandboxKind } from './sandbox-kind';
import { DEFAULT_SIMULATION_TOLERANCE, DEFAULT_TRAINING_TOLERANCE } from './tolerances';

export { DEFAULT_SIMULATION_TOLERANCE, DEFAULT_TRAINING_TOLERANCE };

export { TRAINING_PARAM_INPUTS };
/** A sandbox input that a variant parameter may set (checked against the exercise's sandbox). */
export type ParamInput = string;

/**
 * Every path of the training sandbox's state, as `trainingExerciseState` writes it after a run
 * (derived from that function, so the list cannot fall behind it).
 */
export const TRAINING_STATE_PATHS: readonly string[] = trainingKind.statePaths;

/** How closely a replay on another backend must reproduce one numeric result. */
export const toleranceEntrySchema = z
  .object({
    absolute: z
      .number()
      .min(0)
      .describe('Largest allowed difference |receipt − replay| in the value’s own unit.'),
    relative: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe(
        'Extra allowance as a fraction of the larger magnitude: |a − b| ≤ absolute + relative·max(|a|, |b|).',
      ),
  })
  .strict()
  .describe('A tolerance: |a − b| ≤ absolute + relative·max(|a|, |b|).');

/** The tolerance block of an exercise file, with the given defaults. */
const toleranceSchemaWith = (defaults: {
  absolute: number;
  relative: number;
  paths: Record<string, { absolute: number; relative: number }>;
  ignore: string[];
  exactOn: string[];
}) =>
  z
    .object({
      absolute: z
        .number()
        .min(0)
        .default(defaults.absolute)
        .describe(
          'Largest allowed difference for any numeric result not listed in `paths` (metrics in 0–1).',
        ),
      relative: z
        .number()
        .min(0)
        .max(1)
        .default(defaults.relative)
        .describe(
          'Extra allowance as a fraction of the larger magnitude, for results not in `paths`.',
        ),
      paths: z
        .record(
          z
            .string()
            .regex(
              /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*(\.\*)?$/,
              'expected a state path, optionally ending in .*',
            ),
          toleranceEntrySchema,
        )
        .default(defaults.paths)
        .describe(
          'Per-path tolerances; a key ending in `.*` covers every path below it; the exact path wins.',
        ),
      ignore: z
        .array(z.string())
        .default(defaults.ignore)
        .describe(
          'State paths not compared on replay (e.g. run.backend, which names the machine).',
        ),
      exactOn: z
        .array(z.string())
        .default(defaults.exactOn)
        .describe(
          'Backends that give bit-identical results on every machine (the plain-JavaScript cpu backend): a receipt from one of them, replayed on the same one, must match exactly. GPU backends differ between devices and drivers, so they always get the tolerance.',
        ),
    })
    .strict()
    .describe(
      'How closely a replay must reproduce the numeric results when it cannot be bit-identical (another backend, or a GPU backend on another device).',
    );

const toleranceSchema = toleranceSchemaWith(DEFAULT_TRAINING_TOLERANCE);

const simulationToleranceSchema = toleranceSchemaWith(DEFAULT_SIMULATION_TOLERANCE);

const kebabId = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'expected kebab-case: lowercase letters, digits and single hyphens',
  )
  .max(100);

const plainText = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `expected ${what}, not an empty string`)
    .refine((text) => !/[`*_#[\]<>]/.test(text), {
      message: `expected plain words for ${what}, without Markdown or HTML (no \` * _ # [ ] < >)`,
    });

const settingsShape = trainingSettingsSchema.shape;
const optionalSettings = Object.fromEntries(
  (Object.keys(settingsShape) as (keyof TrainingSettings)[]).map((key) => [
    key,
    z.optional(settingsShape[key]).describe(SETTING_DESCRIPTIONS[key]),
  ]),
) as { [K in keyof TrainingSettings]: z.ZodOptional<(typeof settingsShape)[K]> };

const trainingScenarioSchema = z
  .object({
    ...optionalSettings,
    seed: settingsShape.seed.clone().register(z.globalRegistry, {
      description: `Required. ${SETTING_DESCRIPTIONS.seed} The default variant starts from this seed.`,
    }),
  })
  .strict()
  .describe(
    'The training settings the sandbox loads with the exercise; unlisted settings keep the sandbox defaults. Must include the seed.',
  );

const trainingSolutionSchema = z
  .object(optionalSettings)
  .strict()
  .describe(
    'The reference solution: training settings that, applied over the scenario and the variant, pass every check. The content test replays it in Node.',
  );

const paramSchema = z
  .object({
    default: z.number().describe('The value of the default variant (no code entered).'),
    min: z.number().describe('Smallest value a variant may draw.'),
    max: z.number().describe('Largest value a variant may draw.'),
    step: z
      .number()
      .positive()
      .optional()
      .describe(
        'Grid spacing of the draws: values are min, min + step, … ≤ max. Without it, the range is cut into 100 equal steps.',
      ),
    input: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The sandbox input this parameter sets (a numeric input of the exercise’s sandbox, e.g. seed or fraudRatePercent for training); without it the parameter is only a number for checks ($name).',
      ),
    label: z
      .string()
      .min(1)
      .optional()
      .describe('Plain words for the learner, e.g. "Target recall".'),
  })
  .strict()
  .describe('A variant parameter: drawn per student from [min, max] on the step grid.');

/** The name of a variant parameter, as checks write it after `$`. */
const paramNameSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]*$/,
    'expected a parameter name: a letter, then letters, digits or _',
  );

const goalNodeSchema = z
  .custom<GoalNode>(() => true)
  .superRefine((goal, ctx) =>
    validateGoalNode(goal, [], (path, message) => ctx.addIssue({ code: 'custom', path, message })),
  )
  .describe(
    'The goal: a check such as "validation.rocAuc >= 0.92", { check, label }, or { all: [...] } / { any: [...] } of goals.',
  );

function describeType(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Reports one problem of a goal tree at a path relative to the goal. */
type GoalProblemReporter = (path: (string | number)[], message: string) => void;

function validateGoalNode(
  node: unknown,
  path: (string | number)[],
  report: GoalProblemReporter,
): void {
  const expected =
    'expected a check string, { check: "...", label: "..." }, { all: [...] } or { any: [...] }';
  if (typeof node === 'string') {
    const parsed = tryParseCheck(node);
    if (!parsed.ok) report(path, `${parsed.problem} (check "${node.trim()}")`);
    return;
  }
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    report(path, `found ${describeType(node)} — ${expected}`);
    return;
  }
  const record = node as Record<string, unknown>;
  const kinds = ['check', 'all', 'any'].filter((key) => key in record);
  const unknown = Object.keys(record).filter(
    (key) => !['check', 'all', 'any', 'label'].includes(key),
  );
  if (unknown.length > 0) {
    report([...path, unknown[0] as string], `unknown key "${unknown[0]}" — ${expected}`);
  }
  if (kinds.length !== 1) {
    report(
      path,
      kinds.length === 0
        ? `found a map without check, all or any — ${expected}`
        : `found both ${kinds.join(' and ')} — use exactly one`,
    );
    return;
  }
  if ('label' in record && (typeof record['label'] !== 'string' || record['label'].trim() === '')) {
    report([...path, 'label'], 'expected the label as non-empty plain words');
  }
  const kind = kinds[0] as 'check' | 'all' | 'any';
  const value = record[kind];
  if (kind === 'check') {
    if (typeof value !== 'string') {
      report([...path, 'check'], `found ${describeType(value)} — expected a check string`);
      return;
    }
    validateGoalNode(value, [...path, 'check'], report);
    return;
  }
  if (!Array.isArray(value) || value.length === 0) {
    report(
      [...path, kind],
      `found ${Array.isArray(value) ? 'an empty list' : describeType(value)} — expected a non-empty list of goals`,
    );
    return;
  }
  value.forEach((child, index) => validateGoalNode(child, [...path, kind, index], report));
}

const baseFields = {
  id: kebabId.describe('Unique id in kebab-case; must equal the file name without .yaml.'),
  title: plainText('the title').describe('Short title shown above the exercise.'),
  lesson: z
    .string()
    .regex(
      /^lessons\/\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/,
      'expected a lesson slug such as lessons/02-ml-vs-business-metrics',
    )
    .describe(
      'The lesson the exercise belongs to, as its slug under content/docs (e.g. lessons/02-ml-vs-business-metrics).',
    ),
  summary: plainText('the summary').describe(
    'The goal in one or two plain sentences, without Markdown.',
  ),
  params: z
    .record(paramNameSchema, paramSchema)
    .optional()
    .describe('Per-student variant parameters by name; checks read them as $name.'),
  goal: goalNodeSchema,
  hints: z
    .array(plainText('a hint'))
    .min(1, 'expected at least 1 hint')
    .max(5, 'expected at most 5 hints')
    .describe('1–5 hints, revealed one at a time, from a nudge to nearly the answer.'),
  explanation: plainText('the explanation').describe(
    'What the learner should take away, in plain words (no Markdown), shown once the checks pass.',
  ),
};

const trainingExerciseObject = z
  .object({
    ...baseFields,
    sandbox: z.literal('training').describe('The sandbox the exercise runs in: training.'),
    scenario: trainingScenarioSchema,
    solution: trainingSolutionSchema,
    tolerance: toleranceSchema
      .default(() => toleranceSchema.parse({}))
      .describe(
        'Optional. How closely a replay on another compute backend must match; the defaults suit the training sandbox.',
      ),
  })
  .strict();

/** The exercise object of a simulation sandbox, built from its kind's inputs. */
function simulationExerciseObject(kind: SandboxKind) {
  const shape = kind.inputsSchema.shape;
  const optionalInputs = Object.fromEntries(
    Object.keys(shape).map((key) => [
      key,
      z.optional(shape[key] as z.ZodType).describe(kind.inputDescriptions[key] ?? key),
    ]),
  );
  const scenarioShape: Record<string, z.ZodType> = { ...optionalInputs };
  if ('seed' in shape) {
    scenarioShape['seed'] = (shape['seed'] as z.ZodType).clone().register(z.globalRegistry, {
      description: `Required. ${kind.inputDescriptions['seed'] ?? 'The seed.'} The default variant starts from this seed.`,
    });
  }
  return z
    .object({
      ...baseFields,
      sandbox: z.literal(kind.id).describe(`The sandbox the exercise runs in: ${kind.id}.`),
      scenario: z
        .object(scenarioShape)
        .strict()
        .describe(
          `The ${kind.id} sandbox's inputs loaded with the exercise; unlisted inputs keep the sandbox defaults.` +
            ('seed' in shape ? ' Must include the seed.' : ''),
        ),
      solution: z
        .object(optionalInputs)
        .strict()
        .describe(
          'The reference solution: inputs that, applied over the scenario and the variant, pass every check. The content test replays it in Node.',
        ),
      tolerance: simulationToleranceSchema
        .default(() => simulationToleranceSchema.parse({}))
        .describe(
          'Optional. How closely a replay must match; simulations are deterministic, so the default allows only rounding error.',
        ),
    })
    .strict();
}

const exerciseObjects = [
  trainingExerciseObject,
  ...SANDBOX_KINDS.filter((kind) => kind.id !== 'training').map((kind) =>
    simulationExerciseObject(kind),
  ),
] as const;

/** A numeric input's validity, by the sandbox's own schema (e.g. seed must be an integer). */
function inputAccepts(kind: SandboxKind, input: string, value: number): boolean {
  const field = kind.inputsSchema.shape[input];
  return field !== undefined && z.safeParse(field, value).success;
}

function gridDecimals(value: number): number {
  const text = String(value);
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent?.[1] !== undefined) return Number(exponent[1]);
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
}

/** true when `value` lies on the grid min, min + step, … (to 1e-9 of a step). */
function onGrid(value: number, min: number, step: number): boolean {
  const k = (value - min) / step;
  return Math.abs(k - Math.round(k)) < 1e-9;
}

/** Closest known path by case-insensitive spelling, for "did you mean". */
function suggestPath(path: string, known: readonly string[]): string | undefined {
  const lower = path.toLowerCase();
  return (
    known.find((candidate) => candidate.toLowerCase() === lower) ??
    known.find((candidate) => candidate.toLowerCase().endsWith(`.${lower.split('.').pop() ?? ''}`))
  );
}

function checkPathProblem(path: string, kind: SandboxKind): string | null {
  const known = kind.statePaths;
  if (known.includes(path)) return null;
  const suggestion = suggestPath(path, known);
  return (
    `unknown path "${path}" — expected a path of the ${kind.id} sandbox's state` +
    (suggestion
      ? ` (did you mean ${suggestion}?)`
      : ` such as ${known[0] ?? 'none'}; known: ${known.join(', ')}`)
  );
}

function definedEntries(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function parsedAt(check: string): ParsedCheck | null {
  const parsed = tryParseCheck(check);
  return parsed.ok ? parsed.check : null;
}

/** Turns a goal location such as `all[1].check` into zod path segments. */
function locationToPath(at: string): (string | number)[] {
  const path: (string | number)[] = ['goal'];
  for (const part of at.split('.').filter((p) => p.length > 0)) {
    const match = /^([a-z]+)(?:\[(\d+)\])?$/.exec(part);
    if (match?.[1] !== undefined) path.push(match[1]);
    if (match?.[2] !== undefined) path.push(Number(match[2]));
  }
  return path;
}

/**
 * The exercise schema: one object per sandbox kind, told apart by `sandbox`, with cross-field
 * rules: each variant parameter lies on its grid and within the sandbox input it sets; the
 * scenario agrees with the default variant; the solution leaves variant inputs alone; every
 * check reads known state paths and declared parameters.
 */
export const exerciseSchema = z
  .discriminatedUnion('sandbox', exerciseObjects)
  .superRefine((exercise, ctx) => {
    const kind = sandboxKind(exercise.sandbox);
    const scenario = exercise.scenario as Record<string, unknown>;
    const solution = exercise.solution as Record<string, unknown>;
    const params = exercise.params ?? {};
    for (const [name, param] of Object.entries(params)) {
      const at = ['params', name];
      if (param.min > param.max) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'max'],
          message: `max ${param.max} is below min ${param.min} — expected min ≤ max`,
        });
        continue;
      }
      if (param.default < param.min || param.default > param.max) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'default'],
          message: `${param.default} lies outside [${param.min}, ${param.max}] — expected min ≤ default ≤ max`,
        });
      }
      const step = param.step ?? (param.max - param.min) / 100;
      if (param.step !== undefined && !onGrid(param.max, param.min, step)) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'max'],
          message: `${param.max} is not on the grid ${param.min} + k × ${step} — expected max = min + a whole number of steps`,
        });
      }
      if (param.step !== undefined && !onGrid(param.default, param.min, step)) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'default'],
          message: `${param.default} is not on the grid ${param.min} + k × ${step} — expected a value the variants can draw`,
        });
      }
      if (param.input !== undefined && !kind.paramInputs.includes(param.input)) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'input'],
          message: `"${param.input}" is not a numeric input of the ${kind.id} sandbox — expected one of ${kind.paramInputs.join(', ')}`,
        });
      } else if (param.input !== undefined) {
        const input = param.input;
        const samples = [param.min, param.max, param.default];
        if (param.min + step <= param.max) {
          samples.push(
            Number(
              (param.min + step).toFixed(Math.max(gridDecimals(param.min), gridDecimals(step))),
            ),
          );
        }
        const refused = samples.find((value) => !inputAccepts(kind, input, value));
        if (refused !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: at,
            message: `can draw ${refused}, which ${input} does not accept — expected: ${kind.inputDescriptions[input] ?? 'a valid value'}`,
          });
        }
        const scenarioValue = scenario[input];
        if (scenarioValue !== undefined && scenarioValue !== param.default) {
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'default'],
            message: `${param.default} differs from scenario.${input} = ${scenarioValue} — expected the default variant to start from the scenario`,
          });
        }
        if (solution[input] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['solution', input],
            message: `is set by the variant parameter "${name}" — leave it out of the solution so each variant keeps its own ${input}`,
          });
        }
        const other = Object.entries(params).find(([n, p]) => n < name && p.input === input);
        if (other) {
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'input'],
            message: `parameter "${other[0]}" already sets ${input} — expected one parameter per input`,
          });
        }
      }
    }

    // Cross-field rules of the sandbox (e.g. low ≤ likely ≤ high) only show on whole inputs.
    const defaultInputs: Record<string, unknown> = {};
    for (const param of Object.values(params)) {
      if (param.input !== undefined) defaultInputs[param.input] = param.default;
    }
    for (const [field, inputs] of [
      ['scenario', { ...scenario, ...defaultInputs }],
      ['solution', { ...scenario, ...solution, ...defaultInputs }],
    ] as const) {
      try {
        kind.parseInputs(definedEntries(inputs));
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `the ${kind.id} sandbox refuses these inputs: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }

    // The goal's own schema reports a malformed tree without stopping the parse, so this
    // refinement may see one: walk it only when it is well-formed.
    const goalProblems: unknown[] = [];
    validateGoalNode(exercise.goal, [], (_path, message) => goalProblems.push(message));
    if (goalProblems.length > 0) return;
    for (const { check, at } of goalChecks(exercise.goal)) {
      const parsed = parsedAt(check);
      if (parsed === null) continue; // already reported by the goal's own schema
      const path = locationToPath(at);
      const paths = [parsed.path, ...(parsed.operand.kind === 'path' ? [parsed.operand.path] : [])];
      for (const statePath of paths) {
        const problem = checkPathProblem(statePath, kind);
        if (problem)
          ctx.addIssue({ code: 'custom', path, message: `${problem} (check "${parsed.source}")` });
      }
      if (parsed.operand.kind === 'param' && !(parsed.operand.name in params)) {
        const declared = Object.keys(params);
        ctx.addIssue({
          code: 'custom',
          path,
          message:
            `unknown parameter $${parsed.operand.name} (check "${parsed.source}") — expected ` +
            (declared.length > 0
              ? `one of ${declared.map((n) => `$${n}`).join(', ')}`
              : 'a parameter declared under params'),
        });
      }
    }
  })
  .describe(
    'One exercise: its lesson and sandbox, scenario, variants, goal, hints, explanation and reference solution.',
  );

/** A validated exercise: plain, JSON-serialisable data (safe to pass to an island as a prop). */
export type Exercise = z.output<typeof exerciseSchema>;

/** A variant parameter as declared in an exercise file. */
export type ExerciseParam = z.output<typeof paramSchema>;

/** How closely a cross-backend replay must match, with defaults filled in. */
export type ExerciseTolerance = z.output<typeof toleranceSchema>;

/** What the schema says about the field at a path of an exercise file, for error messages. */
export interface ExerciseFieldInfo {
  /** The field's description, or its nearest described parent's. */
  description?: string;
  /** When the field is a map with fixed keys: those keys. */
  keys?: string[];
}

/**
 * Looks up the field at a path of an exercise file (`['scenario', 'epochs']`,
 * `['params', 'seed', 'min']`) of an exercise in the given sandbox (default training): its
 * description and, for a fixed map, its keys.
 */
export function exerciseFieldAt(
  path: readonly PropertyKey[],
  sandbox: string = 'training',
): ExerciseFieldInfo {
  let schema: z.core.$ZodType | undefined =
    exerciseObjects.find((object) => object.shape.sandbox.value === sandbox) ??
    trainingExerciseObject;
  let description: string | undefined = z.globalRegistry.get(exerciseSchema)?.description;
  for (const key of path) {
    const container: z.core.$ZodType | undefined = schema ? unwrap(schema) : undefined;
    if (container instanceof z.ZodObject) {
      schema = (container.shape as Record<string, z.core.$ZodType>)[String(key)];
    } else if (container instanceof z.ZodRecord) {
      schema = container.valueType as z.core.$ZodType;
    } else if (container instanceof z.ZodArray) {
      schema = container.element as z.core.$ZodType;
    } else {
      schema = undefined;
    }
    if (schema === undefined) return description === undefined ? {} : { description };
    description =
      z.globalRegistry.get(schema)?.description ??
      z.globalRegistry.get(unwrap(schema))?.description ??
      description;
  }
  const inner = schema ? unwrap(schema) : undefined;
  const info: ExerciseFieldInfo = description === undefined ? {} : { description };
  if (inner instanceof z.ZodObject) info.keys = Object.keys(inner.shape);
  return info;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (let i = 0; i < 5; i++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.core.$ZodType;
    } else break;
  }
  return current;
}
