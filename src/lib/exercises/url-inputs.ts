/**
 * Sandbox inputs in a shareable link: `?ads.seed=7&ads.reserveUsdPerThousand=2`. Each sandbox
 * reads and writes only the parameters under its own prefix (its kind id by default), so two
 * sandboxes on one page never collide, and parameters of other features are left alone.
 *
 * Reading never throws and never trusts the link: a value that is too long, not a number, out of
 * range or refused by the kind's cross-field rules is replaced by its default and reported in
 * plain words that name the parameter and quote the input's description (its allowed range).
 * Unknown parameters are ignored; only the first {@link MAX_URL_PARAMETERS} parameters under the
 * prefix are read. Input names are looked up as own properties only, so `__proto__` and
 * `constructor` in a link reach nothing. No DOM: the page passes `location.search` in.
 */
import type { SandboxKind } from './sandbox-kind';

/** Longest parameter value read, in characters; a longer one is refused unread. */
export const MAX_URL_VALUE_CHARS = 200;
/** Most parameters under one prefix that are read; the rest are ignored (and reported once). */
export const MAX_URL_PARAMETERS = 100;
/** Characters of a refused value quoted back in a problem. */
const QUOTED_VALUE_CHARS = 40;

/** A link parameter that was present but unusable, and why its input kept the default. */
export interface UrlInputProblem {
  /** The parameter as written in the link (`ads.seed`). */
  parameter: string;
  /** The value found, shortened to 40 characters, control characters shown as `?`. */
  value: string;
  /** Why it was refused and what is allowed, in plain words. */
  message: string;
}

/** What a link gives a sandbox: inputs that pass the kind's `parseInputs`, and the refusals. */
export interface UrlInputsRead<Inputs> {
  inputs: Inputs;
  /** One entry per refused parameter, in the order they appear in the link. */
  problems: UrlInputProblem[];
  /** The parameters whose values were used (the rest of the inputs are defaults). */
  applied: string[];
}

/** The parameter that carries `input` of a sandbox under `prefix`: `ads.seed`. */
export function urlParameterName(prefix: string, input: string): string {
  return `${prefix}.${input}`;
}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A value safe to quote in a message: at most 40 characters, control characters as `?`. */
function shown(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > QUOTED_VALUE_CHARS ? `${clean.slice(0, QUOTED_VALUE_CHARS - 1)}…` : clean;
}

/** The raw text as the type of the input's default: a number, a list of numbers, or text. */
function typedValue(fallback: unknown, raw: string): { ok: true; value: unknown } | { ok: false } {
  const text = raw.trim();
  if (typeof fallback === 'number') {
    if (!NUMBER_PATTERN.test(text)) return { ok: false };
    // + 0 turns -0 into 0, the number a link writes back.
    const value = Number(text) + 0;
    return Number.isFinite(value) ? { ok: true, value } : { ok: false };
  }
  if (Array.isArray(fallback)) {
    const parts = text.split(',').map((part) => part.trim());
    if (parts.some((part) => !NUMBER_PATTERN.test(part))) return { ok: false };
    const values = parts.map((part) => Number(part) + 0);
    return values.every(Number.isFinite) ? { ok: true, value: values } : { ok: false };
  }
  if (typeof fallback === 'boolean') {
    if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
    return { ok: false };
  }
  return { ok: true, value: text };
}

/** The message of an error (a kind's RangeError), or a fixed sentence for anything else. */
function errorText(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'the combination is refused';
}

/**
 * Reads a sandbox's inputs from a link's query parameters (`new URLSearchParams(location.search)`)
 * under `prefix` (default: the kind's id). Each parameter `<prefix>.<input>` of a known input is
 * typed like the input's default and checked by the input's own schema; the values that pass are
 * then checked together by `kind.parseInputs`, and when the combination is refused (e.g. low >
 * likely) they are applied one at a time in link order, each that breaks the rules refused.
 * Every refused parameter keeps its default and gets a problem naming it and its allowed values
 * (`kind.inputDescriptions`). Never throws; the inputs returned always pass `kind.parseInputs`.
 */
export function readUrlInputs<Inputs extends Record<string, unknown>>(
  kind: SandboxKind<Inputs>,
  params: URLSearchParams,
  prefix: string = kind.id,
): UrlInputsRead<Inputs> {
  const defaults = kind.defaults as Record<string, unknown>;
  const shape = kind.inputsSchema.shape as Record<string, unknown>;
  const problems: UrlInputProblem[] = [];
  const describe = (input: string): string =>
    Object.hasOwn(kind.inputDescriptions, input)
      ? String(kind.inputDescriptions[input])
      : 'a valid value';
  const start = `${prefix}.`;
  const seen = new Set<string>();
  const accepted: [string, string, unknown][] = [];
  let read = 0;
  let ignored = 0;
  for (const [name, raw] of params) {
    if (!name.startsWith(start)) continue;
    if (read >= MAX_URL_PARAMETERS) {
      ignored += 1;
      continue;
    }
    read += 1;
    const input = name.slice(start.length);
    if (!Object.hasOwn(shape, input) || !Object.hasOwn(defaults, input)) continue;
    if (seen.has(input)) {
      problems.push({
        parameter: name,
        value: shown(raw),
        message: `${name} appears more than once in the link; only its first value was read.`,
      });
      continue;
    }
    seen.add(input);
    if (raw.length > MAX_URL_VALUE_CHARS) {
      problems.push({
        parameter: name,
        value: shown(raw),
        message: `The value of ${name} is longer than ${MAX_URL_VALUE_CHARS} characters, so the default was kept. Expected: ${describe(input)}`,
      });
      continue;
    }
    const typed = typedValue(defaults[input], raw);
    const schema = shape[input] as { safeParse(value: unknown): { success: boolean } };
    if (!typed.ok || !schema.safeParse(typed.value).success) {
      problems.push({
        parameter: name,
        value: shown(raw),
        message: `${name} = "${shown(raw)}" is not allowed, so the default was kept. Expected: ${describe(input)}`,
      });
      continue;
    }
    accepted.push([name, input, typed.value]);
  }
  if (ignored > 0) {
    problems.push({
      parameter: `${prefix}.*`,
      value: '',
      message: `The link has more than ${MAX_URL_PARAMETERS} parameters starting with "${start}"; the ${ignored} after the first ${MAX_URL_PARAMETERS} were ignored.`,
    });
  }

  const parse = (values: Record<string, unknown>): Inputs => kind.parseInputs(values);
  const together: Record<string, unknown> = { ...defaults };
  for (const [, input, value] of accepted) together[input] = value;
  try {
    return { inputs: parse(together), problems, applied: accepted.map(([name]) => name) };
  } catch {
    // Some values are fine alone but not together: add them one at a time.
  }
  const current: Record<string, unknown> = { ...defaults };
  const applied: string[] = [];
  for (const [name, input, value] of accepted) {
    const trial = { ...current, [input]: value };
    try {
      parse(trial);
      current[input] = value;
      applied.push(name);
    } catch (error) {
      problems.push({
        parameter: name,
        value: shown(String(value)),
        message: `${name} = "${shown(String(value))}" does not fit the other settings, so the default was kept: ${errorText(error)}`,
      });
    }
  }
  let inputs: Inputs;
  try {
    inputs = parse(current);
  } catch {
    // Unreachable for a kind whose defaults pass its own rules; kept so reading never throws.
    inputs = { ...kind.defaults };
  }
  return { inputs, problems, applied };
}

/** The text of an input value in a link: numbers and text as they are, lists comma-separated. */
function urlText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

/**
 * The query parameters of `base` with a sandbox's inputs written under `prefix`: each input that
 * differs from its default is set (`ads.seed=7`), each equal to its default removed, so links stay
 * short. Parameters of other prefixes and features are kept as they were.
 */
export function writeUrlInputs<Inputs extends Record<string, unknown>>(
  kind: SandboxKind<Inputs>,
  inputs: Inputs,
  base: URLSearchParams = new URLSearchParams(),
  prefix: string = kind.id,
): URLSearchParams {
  const params = new URLSearchParams(base);
  const defaults = kind.defaults as Record<string, unknown>;
  for (const input of Object.keys(kind.inputsSchema.shape)) {
    const name = urlParameterName(prefix, input);
    const text = urlText(inputs[input]);
    if (!Object.hasOwn(inputs, input) || text === urlText(defaults[input])) params.delete(name);
    else params.set(name, text);
  }
  return params;
}

/**
 * The problems of a link as one paragraph a learner reads, or null when there are none:
 * "Some settings in the link were not usable …: <message> <message>".
 */
export function describeUrlProblems(problems: readonly UrlInputProblem[]): string | null {
  if (problems.length === 0) return null;
  return `Some settings in the link were not usable: ${problems
    .map((problem) => problem.message)
    .join(' ')}`;
}
