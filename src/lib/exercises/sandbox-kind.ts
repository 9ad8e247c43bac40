/**
 * What the exercise framework needs to know about one sandbox: its inputs (schema, defaults,
 * descriptions), which numeric inputs a per-student variant may set, and the state its checks
 * read. The exercise schema, variants, receipts and replays are generic over this description,
 * so adding a sandbox to exercises means writing one `SandboxKind` in `kinds/`.
 *
 * Page-safe: zod/mini only, no tfjs, no DOM.
 */
import type * as z from 'zod/mini';
import type { FlatState } from './receipt-schema';

/** A zod/mini object schema of a sandbox's inputs (each field a number, string or enum). */
export type InputsSchema = z.ZodMiniObject<Record<string, z.core.$ZodType>>;

/**
 * One sandbox as exercises see it.
 *
 * `stateOf` is the heart of it for simulations: a deterministic function of the inputs alone
 * (randomness comes from a seed among the inputs), so the state a check reads in the page, at
 * submission and at replay is the same number on every machine. The training sandbox has no
 * `stateOf`: its state comes from a tfjs run, replayed in a worker or in Node.
 */
export interface SandboxKind<Inputs extends Record<string, unknown> = Record<string, unknown>> {
  /** The sandbox id: `data-sandbox` on the page and `sandbox:` in exercise files. */
  readonly id: string;
  /** What the learner does to get results, as an imperative phrase: "Train a model". */
  readonly actionPhrase: string;
  /** The schema of the inputs; extra cross-field rules live in {@link SandboxKind.parseInputs}. */
  readonly inputsSchema: InputsSchema;
  /** What each input means and its range, in the words a learner or an author reads. */
  readonly inputDescriptions: Readonly<Record<string, string>>;
  /** The inputs the sandbox starts from. */
  readonly defaults: Readonly<Inputs>;
  /** Numeric inputs that a variant parameter may set (`input:` in an exercise file). */
  readonly paramInputs: readonly string[];
  /**
   * Validates inputs from anywhere (an exercise file merged over the defaults, a receipt):
   * fills missing fields from the defaults, then checks every field and the cross-field rules.
   * Throws a RangeError naming the field and what was expected.
   */
  parseInputs(inputs: Record<string, unknown>): Inputs;
  /** The state checks read, flattened to dotted paths; deterministic in the inputs. */
  // A method, not a function property, so a kind of specific inputs fits a list of kinds.
  stateOf?(inputs: Inputs): FlatState;
  /** Every path the state may hold, sorted (checks may read only these). */
  readonly statePaths: readonly string[];
}

/**
 * Completes inputs from defaults and validates them with a kind's schema, throwing a RangeError
 * that names the first bad field and quotes its description. Kinds call it in `parseInputs`
 * before their cross-field rules.
 */
export function parseWithSchema<Inputs extends Record<string, unknown>>(
  kind: Pick<SandboxKind<Inputs>, 'id' | 'inputsSchema' | 'inputDescriptions' | 'defaults'>,
  inputs: Record<string, unknown>,
): Inputs {
  const known = Object.keys(kind.inputsSchema.shape);
  const unknown = Object.keys(inputs).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new RangeError(
      `${kind.id} inputs: unknown input "${unknown[0]}" — expected one of ${known.join(', ')}`,
    );
  }
  const merged: Record<string, unknown> = { ...kind.defaults };
  for (const [key, value] of Object.entries(inputs)) if (value !== undefined) merged[key] = value;
  const parsed = kind.inputsSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const description = kind.inputDescriptions[field];
    throw new RangeError(
      `${kind.id} inputs: ${field || 'inputs'} = ${JSON.stringify(merged[field])} is refused — expected: ${description ?? issue?.message ?? 'a valid value'}`,
    );
  }
  return parsed.data as Inputs;
}

/** The sorted keys of a state, for {@link SandboxKind.statePaths}. */
export function pathsOf(state: FlatState): readonly string[] {
  return Object.freeze(Object.keys(state).sort());
}
