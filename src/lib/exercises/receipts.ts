/**
 * Receipts: what a submission records, and how anyone can check one later by replaying it.
 *
 * A receipt holds the exercise id, the variant, the sandbox inputs, the results the checks saw,
 * whether they passed, the backend, the app version, the time, and a SHA-256 over the canonical
 * JSON of exercise, sandbox, variant and inputs. The hash is not a signature: anyone can
 * recompute it. It catches inputs edited after the fact; the replay catches invented results.
 *
 * The replay itself is injected ({@link ReplayFunction}): Node replays training on the CPU
 * backend (`replay-training.ts`), the page in its training worker, and both share this code.
 * No zod here beyond the receipt schema (zod/mini), and no tfjs.
 */
import { describeIssue } from '../progress/schema';
import { describePath, evaluateGoal, formatValue } from './checks';
import { receiptSchema, type FlatState, type Receipt } from './receipt-schema';
import type { Exercise, ExerciseTolerance } from './schema';
import { deriveVariant, variantInputs, type Variant } from './variants';

/** What a replay returns: the state its run produced and the backend it ran on. */
export interface ReplayOutcome {
  state: FlatState;
  backend: string;
}

/** Re-runs a sandbox from a receipt's inputs. */
export type ReplayFunction = (inputs: Record<string, unknown>) => Promise<ReplayOutcome>;

/** The verdict on a receipt. */
export type VerifyResult =
  | {
      ok: true;
      /** The backend the replay ran on. */
      replayBackend: string;
      /**
       * true when every value had to match exactly (replay on the receipt's backend, and that
       * backend is in the exercise's `tolerance.exactOn`); false when the tolerance applied.
       */
      exact: boolean;
    }
  | { ok: false; reason: string };

function canonicalise(value: unknown, at: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${at} is ${value}, which JSON cannot hold`);
      return JSON.stringify(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, index) => (item === undefined ? 'null' : canonicalise(item, `${at}[${index}]`))).join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalise(record[key], `${at}.${key}`)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${at} is a ${typeof value}, which JSON cannot hold`);
  }
}

/**
 * JSON with object keys sorted (by UTF-16 code units) at every depth and no white space, so equal
 * data always gives the same text whatever the key order. Properties that are undefined are left
 * out, as JSON.stringify does; NaN, ±Infinity, functions and other non-JSON values throw.
 */
export function canonicalJson(value: unknown): string {
  return canonicalise(value, '$');
}

/** SHA-256 of a string's UTF-8 bytes, as 64 lowercase hex digits (Web Crypto; Node and browsers). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What the receipt hash covers. */
export interface HashedInputs {
  exerciseId: string;
  sandbox: string;
  variant: Variant;
  inputs: Record<string, unknown>;
}

/** SHA-256 (hex) over `canonicalJson({ exerciseId, sandbox, variant, inputs })`. */
export function hashInputs({
  exerciseId,
  sandbox,
  variant,
  inputs,
}: HashedInputs): Promise<string> {
  return sha256Hex(canonicalJson({ exerciseId, sandbox, variant, inputs }));
}

/** What {@link createReceipt} needs. */
export interface CreateReceiptOptions {
  exercise: Exercise;
  variant: Variant;
  /** The sandbox inputs of the run (for training, its settings). */
  inputs: Record<string, unknown>;
  /** The flattened state the checks read. */
  state: FlatState;
  /**
   * Optional: the verdict the caller showed. The receipt always records the verdict of the
   * exercise's checks on `state`; a different value here is a bug and throws.
   */
  passed?: boolean;
  /** The backend that produced the results. */
  backend: string;
  /** The course version (package.json version). */
  appVersion: string;
  /** The submission time. */
  now: Date;
}

/**
 * Builds the receipt of a submission: grades `state` with the exercise's goal and the variant's
 * parameters, copies inputs and results (as plain JSON), and hashes the inputs.
 */
export async function createReceipt(options: CreateReceiptOptions): Promise<Receipt> {
  const { exercise, state, backend, appVersion, now } = options;
  const variant: Variant = { code: options.variant.code, params: { ...options.variant.params } };
  const inputs = JSON.parse(canonicalJson(options.inputs)) as Record<string, unknown>;
  const results = JSON.parse(canonicalJson(state)) as FlatState;
  const passed = evaluateGoal(exercise.goal, results, variant.params).passed;
  if (options.passed !== undefined && options.passed !== passed) {
    throw new Error(
      `createReceipt: passed = ${options.passed} but the checks of ${exercise.id} give ${passed} on this state`,
    );
  }
  const receipt: Receipt = {
    format: 'mlsdl-receipt',
    version: 1,
    exerciseId: exercise.id,
    sandbox: exercise.sandbox,
    variant,
    inputs,
    results,
    passed,
    backend,
    appVersion,
    createdAt: now.toISOString(),
    inputsHash: await hashInputs({
      exerciseId: exercise.id,
      sandbox: exercise.sandbox,
      variant,
      inputs,
    }),
  };
  return receiptSchema.parse(receipt);
}

/** The tolerance for one path: the exact path's entry, else the longest matching `prefix.*`. */
export function toleranceFor(
  tolerance: ExerciseTolerance,
  path: string,
): { absolute: number; relative: number } {
  const exact = tolerance.paths[path];
  if (exact) return exact;
  let best: { absolute: number; relative: number } | undefined;
  let bestLength = -1;
  for (const [pattern, entry] of Object.entries(tolerance.paths)) {
    if (!pattern.endsWith('.*')) continue;
    const prefix = pattern.slice(0, -1);
    if (path.startsWith(prefix) && prefix.length > bestLength) {
      best = entry;
      bestLength = prefix.length;
    }
  }
  return best ?? { absolute: tolerance.absolute, relative: tolerance.relative };
}

/**
 * Whether two results agree: strings, booleans and nulls exactly; numbers exactly when `exact`,
 * else within |a − b| ≤ absolute + relative·max(|a|, |b|).
 */
export function valuesAgree(
  a: FlatState[string] | undefined,
  b: FlatState[string] | undefined,
  exact: boolean,
  tolerance: { absolute: number; relative: number },
): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (exact) return a === b;
    return (
      Math.abs(a - b) <=
      tolerance.absolute + tolerance.relative * Math.max(Math.abs(a), Math.abs(b))
    );
  }
  return a === b;
}

/** A value in full precision, so that two close numbers never read the same. */
function exactText(value: FlatState[string]): string {
  return typeof value === 'number' ? String(value) : formatValue(value);
}

function describeSchemaProblem(value: unknown): string {
  const record =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  if (record === null || record['format'] !== 'mlsdl-receipt') {
    return 'This is not an exercise receipt of this course (it has no "format": "mlsdl-receipt").';
  }
  if (record['version'] === undefined) {
    return 'This receipt has no format version, so this version of the course cannot read it (expected version 1).';
  }
  if (record['version'] !== 1) {
    return `This receipt has format version ${JSON.stringify(record['version'])}, which this version of the course cannot read (expected 1).`;
  }
  const parsed = receiptSchema.safeParse(value);
  const issue = parsed.success ? undefined : parsed.error.issues[0];
  return `The receipt is damaged: ${issue ? describeIssue(issue) : 'it is not valid'}.`;
}

/**
 * Verifies a receipt against its exercise, in order:
 * 1. it is one of ours and well-formed (the receipt schema);
 * 2. it is for this exercise and sandbox;
 * 3. the hash matches its exercise, variant and inputs (nothing edited after submission);
 * 4. the variant is what its code gives, and the inputs use the variant's values;
 * 5. `passed` agrees with the exercise's checks on the receipt's own results;
 * 6. a replay of the inputs reproduces every result: exactly when it ran on the receipt's backend
 *    and that backend is deterministic across machines (`tolerance.exactOn`, by default cpu),
 *    else within the exercise's tolerance; strings and booleans always exactly.
 * Returns `{ ok: true }` or the first problem found, in plain words.
 */
export async function verifyReceipt(
  receipt: unknown,
  exercise: Exercise,
  replay: ReplayFunction,
): Promise<VerifyResult> {
  const parsed = receiptSchema.safeParse(receipt);
  if (!parsed.success) return { ok: false, reason: describeSchemaProblem(receipt) };
  const r = parsed.data;

  if (r.exerciseId !== exercise.id) {
    return {
      ok: false,
      reason: `This receipt is for exercise "${r.exerciseId}", not "${exercise.id}".`,
    };
  }
  if (r.sandbox !== exercise.sandbox) {
    return {
      ok: false,
      reason: `This receipt comes from the ${r.sandbox} sandbox, but ${exercise.id} runs in the ${exercise.sandbox} sandbox.`,
    };
  }

  const hash = await hashInputs({
    exerciseId: r.exerciseId,
    sandbox: r.sandbox,
    variant: r.variant,
    inputs: r.inputs,
  });
  if (hash !== r.inputsHash) {
    return {
      ok: false,
      reason:
        'The inputs do not match the receipt’s hash: its exercise, variant or settings were changed after it was submitted.',
    };
  }

  const expected = deriveVariant(exercise, r.variant.code);
  const who = r.variant.code === null ? 'the default variant' : `code "${r.variant.code}"`;
  if (expected.code !== r.variant.code) {
    return {
      ok: false,
      reason: `The variant code "${r.variant.code}" is not in normal form (expected "${expected.code}").`,
    };
  }
  const names = new Set([...Object.keys(expected.params), ...Object.keys(r.variant.params)]);
  for (const name of [...names].sort()) {
    if (expected.params[name] !== r.variant.params[name]) {
      return {
        ok: false,
        reason: `The variant does not match its code: ${who} gives ${name} = ${formatValue(expected.params[name])}, but the receipt says ${formatValue(r.variant.params[name])}.`,
      };
    }
  }
  for (const [input, value] of Object.entries(variantInputs(exercise, expected))) {
    if (r.inputs[input] !== value) {
      return {
        ok: false,
        reason: `The run did not use the variant’s ${input}: ${who} sets ${input} = ${formatValue(value)}, but the run used ${formatValue(r.inputs[input] as FlatState[string] | undefined)}.`,
      };
    }
  }

  const grade = evaluateGoal(exercise.goal, r.results, r.variant.params);
  if (grade.passed !== r.passed) {
    const failing = grade.results.find((result) => !result.passed);
    return {
      ok: false,
      reason: r.passed
        ? `The receipt claims the checks passed, but its own results fail them: ${failing?.reason ?? 'the goal is not met.'}`
        : 'The receipt says the checks failed, but its own results pass them.',
    };
  }

  let replayed: ReplayOutcome;
  try {
    replayed = await replay(r.inputs);
  } catch (error) {
    return {
      ok: false,
      reason: `The replay could not run these inputs: ${error instanceof Error ? error.message : String(error)}`,
    };
  }

  // Bit-identical replays are only expected where the backend computes identically on every
  // machine (the plain-JavaScript cpu backend); GPU backends differ between devices and drivers.
  const exact = replayed.backend === r.backend && exercise.tolerance.exactOn.includes(r.backend);
  const ignored = new Set(exercise.tolerance.ignore);
  const paths = [...new Set([...Object.keys(r.results), ...Object.keys(replayed.state)])]
    .filter((path) => !ignored.has(path))
    .sort();
  for (const path of paths) {
    const claimed = r.results[path];
    const reproduced = replayed.state[path];
    const tolerance = toleranceFor(exercise.tolerance, path);
    if (valuesAgree(claimed, reproduced, exact, tolerance)) continue;
    const name = describePath(path);
    const where =
      replayed.backend === r.backend
        ? `the replay on the same backend (${replayed.backend})`
        : `the replay on ${replayed.backend} (the receipt ran on ${r.backend})`;
    if (claimed === undefined)
      return {
        ok: false,
        reason: `The receipt has no value for ${name} (${path}), but ${where} does.`,
      };
    if (reproduced === undefined)
      return {
        ok: false,
        reason: `${where[0]?.toUpperCase()}${where.slice(1)} has no value for ${name} (${path}), but the receipt does.`,
      };
    const allowance =
      exact || typeof claimed !== 'number' || typeof reproduced !== 'number'
        ? 'they must match exactly'
        : `allowed difference across backends: ${formatValue(tolerance.absolute + tolerance.relative * Math.max(Math.abs(claimed), Math.abs(reproduced)))}`;
    return {
      ok: false,
      reason: `${name} (${path}) does not reproduce: the receipt says ${exactText(claimed)}, ${where} gives ${exactText(reproduced)} (${allowance}).`,
    };
  }
  return { ok: true, replayBackend: replayed.backend, exact };
}
