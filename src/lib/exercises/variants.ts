/**
 * Per-student variants. An exercise may declare parameters (a seed, a target, a fraud rate) with
 * a range and a step; a student who enters a name or class code gets values drawn from those
 * grids by the seeded PRNG, so the same code always gives the same variant and neighbours with
 * different codes get different numbers. No code gives the defaults.
 *
 * No zod here: this runs on the page. `Exercise` is imported as a type only.
 */
import { createRng } from '../random';
import type { Exercise, ExerciseParam, ParamInput } from './schema';

/** Longest code kept, in characters after normalising (a receipt stores at most 100). */
export const MAX_CODE_LENGTH = 100;

/** A student's variant: the normalised code (null for the default) and each parameter's value. */
export interface Variant {
  code: string | null;
  params: Record<string, number>;
}

/** The inputs a sandbox loads (for the training sandbox, its full settings), by input name. */
export type SandboxInputs = Record<string, unknown>;

/**
 * Normalises a code so that trivial differences do not change the variant: trims, lowercases,
 * collapses runs of white space to one space and keeps the first {@link MAX_CODE_LENGTH}
 * characters. An empty or missing code gives null (the default variant).
 */
export function normaliseCode(code: string | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  const normalised = code
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .slice(0, MAX_CODE_LENGTH)
    .trim();
  return normalised.length === 0 ? null : normalised;
}

/** Decimal places of a number as written (`0.05` → 2, `1e-7` → 7), to round grid values. */
function decimalsOf(value: number): number {
  const text = String(value);
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent?.[1] !== undefined) {
    const mantissa = text.slice(0, text.indexOf('e'));
    const mantissaDecimals = mantissa.includes('.')
      ? mantissa.length - mantissa.indexOf('.') - 1
      : 0;
    return Number(exponent[1]) + mantissaDecimals;
  }
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
}

/**
 * The values a parameter can take: min, min + step, …, up to max (step defaults to
 * (max − min) / 100), each rounded to the decimals of min and step so that 0.1 + 0.2 reads 0.3.
 */
export function parameterGrid(param: Pick<ExerciseParam, 'min' | 'max' | 'step'>): number[] {
  if (param.max <= param.min) return [param.min];
  const step = param.step ?? (param.max - param.min) / 100;
  const count = Math.floor((param.max - param.min) / step + 1e-9) + 1;
  const decimals = Math.min(15, Math.max(decimalsOf(param.min), decimalsOf(step)));
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(Number((param.min + i * step).toFixed(decimals)));
  return values;
}

/**
 * The variant for a code. Without a code (null, empty or only spaces) every parameter takes its
 * default. Otherwise parameter `name` is drawn uniformly from its {@link parameterGrid} by
 * `createRng(`${exercise.id}/${code}`).fork(name)`, so each parameter's draw depends only on
 * the exercise, the normalised code and its own name (adding a parameter leaves the others).
 */
export function deriveVariant(
  exercise: Pick<Exercise, 'id' | 'params'>,
  code: string | null,
): Variant {
  const normalised = normaliseCode(code);
  const params: Record<string, number> = {};
  const declared = exercise.params ?? {};
  const rng = normalised === null ? null : createRng(`${exercise.id}/${normalised}`);
  for (const name of Object.keys(declared).sort()) {
    const param = declared[name] as ExerciseParam;
    if (rng === null) {
      params[name] = param.default;
    } else {
      const grid = parameterGrid(param);
      params[name] = grid[rng.fork(name).int(0, grid.length)] as number;
    }
  }
  return { code: normalised, params };
}

/** The sandbox inputs that the variant's parameters set, e.g. `{ seed: 123 }`. */
export function variantInputs(
  exercise: Pick<Exercise, 'params'>,
  variant: Variant,
): Partial<Record<ParamInput, number>> {
  const inputs: Partial<Record<ParamInput, number>> = {};
  for (const [name, param] of Object.entries(exercise.params ?? {})) {
    const value = variant.params[name];
    if (param.input !== undefined && value !== undefined) inputs[param.input] = value;
  }
  return inputs;
}

/**
 * A deep copy of JSON data. Not structuredClone: in the page an island's props may be proxies,
 * which it refuses.
 */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The entries of a partial whose value is not undefined (zod's optional fields may hold it). */
function definedOnly<T extends object>(partial: { [K in keyof T]?: T[K] | undefined }): Partial<T> {
  return Object.fromEntries(
    Object.entries(partial).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * The inputs the sandbox loads for a variant: the sandbox's `defaults`, then the exercise's
 * scenario, then the values of parameters that set inputs. Takes the defaults rather than looking
 * the sandbox up, so the page's exercise panel does not bundle every sandbox's engine
 * (`exercise-inputs.ts` looks them up, for Node and tools).
 */
export function scenarioOver(
  defaults: Readonly<SandboxInputs>,
  exercise: Pick<Exercise, 'scenario' | 'params'>,
  variant: Variant,
): SandboxInputs {
  return {
    ...jsonCopy(defaults),
    ...definedOnly<SandboxInputs>(jsonCopy(exercise.scenario)),
    ...variantInputs(exercise, variant),
  };
}

/**
 * The inputs of the reference solution for a variant: {@link scenarioOver} with the exercise's
 * solution applied over it (the schema keeps the solution off inputs that parameters set).
 */
export function solutionOver(
  defaults: Readonly<SandboxInputs>,
  exercise: Pick<Exercise, 'scenario' | 'params' | 'solution'>,
  variant: Variant,
): SandboxInputs {
  return {
    ...scenarioOver(defaults, exercise, variant),
    ...definedOnly<SandboxInputs>(jsonCopy(exercise.solution)),
    ...variantInputs(exercise, variant),
  };
}
