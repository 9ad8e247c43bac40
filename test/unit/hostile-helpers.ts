/**
 * Shared pieces of the hostile-input property tests: generators of junk and of targeted
 * mutations, and the checks every refusal must pass (a plain, non-empty message; no prototype
 * pollution).
 */
import fc from 'fast-check';
import { expect } from 'vitest';

/** Keys that pollute a prototype when code assigns through them carelessly. */
export const POLLUTING_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'constructor.prototype',
  '__proto__.polluted',
  'constructor.prototype.polluted',
  'toString',
  'valueOf',
  'hasOwnProperty',
] as const;

/** Text that looks like a number to a careless parser, or breaks a strict one. */
export const NUMBERISH = [
  'NaN',
  '-NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '-1e400',
  '1e-400',
  '0x10',
  '0b101',
  '1_000',
  '1,5',
  '٣',
  '１２',
  ' 7 ',
  '+',
  '-',
  '.',
  'e5',
  '9007199254740993',
  '99999999999999999999999',
  '-0',
  '0.1e1',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '',
] as const;

/** Strings a hostile page might carry: markup, escapes, control characters, huge runs. */
export const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '%00',
  '\u0000',
  '\u202e',
  '\ud800',
  '\r\n',
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
  '%E0%A4%A',
  '%',
  '🙂'.repeat(50),
  'x'.repeat(201),
  '9'.repeat(500),
  '[object Object]',
] as const;

/** Random junk: any code units, any graphemes, and the lists above. */
export const junkText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
  fc.constantFrom(...NUMBERISH, ...HOSTILE_STRINGS, ...POLLUTING_KEYS),
  fc.double().map(String),
  fc.integer().map(String),
  fc.bigInt().map(String),
);

/** A number outside every range, or not finite, as JSON or as text. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Infinity,
    -Infinity,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    -0,
    5e-324,
  ),
  fc.double(),
  fc.constantFrom('NaN', 'Infinity', '1e999', '-1', '0x1F'),
);

/** Nested arrays and objects `depth` levels deep (stresses recursive parsers). */
export function deeplyNested(depth: number, leaf: unknown = 1): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

/**
 * Random edits of a text: cut it short, drop or flip a character, insert junk, duplicate a
 * slice. The edits are applied in order; positions are fractions of the current length.
 */
export const textEdits = fc.array(
  fc.oneof(
    fc.record({
      op: fc.constant('truncate' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    fc.record({
      op: fc.constant('delete' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    fc.record({
      op: fc.constant('flip' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      code: fc.integer({ min: 0, max: 0xffff }),
    }),
    fc.record({
      op: fc.constant('insert' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      text: junkText,
    }),
  ),
  { minLength: 1, maxLength: 4 },
);

/** Applies {@link textEdits} to `text`. */
export function applyEdits(text: string, edits: EditList): string {
  let out = text;
  for (const edit of edits) {
    const at = Math.floor(edit.at * out.length);
    if (edit.op === 'truncate') out = out.slice(0, at);
    else if (edit.op === 'delete') out = out.slice(0, at) + out.slice(at + 1);
    else if (edit.op === 'flip')
      out = out.slice(0, at) + String.fromCharCode(edit.code) + out.slice(at + 1);
    else out = out.slice(0, at) + edit.text + out.slice(at);
  }
  return out;
}

/** One list of edits drawn from {@link textEdits}. */
export type EditList = typeof textEdits extends fc.Arbitrary<infer T> ? T : never;

/**
 * A JSON path inside a value (keys and indices), to aim a mutation at one field of a valid
 * document.
 */
export function jsonPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) {
    return here.concat(...value.map((item, index) => jsonPaths(item, [...prefix, index])));
  }
  if (value !== null && typeof value === 'object') {
    return here.concat(
      ...Object.entries(value).map(([key, item]) => jsonPaths(item, [...prefix, key])),
    );
  }
  return here;
}

/** The mark that makes {@link replaceAt} delete a field instead of replacing it. */
export const DELETE = Symbol('delete');

/** A copy of `value` with the field at `path` replaced by `replacement` (or deleted: {@link DELETE}). */
export function replaceAt(
  value: unknown,
  path: (string | number)[],
  replacement: unknown,
): unknown {
  if (path.length === 0) return replacement === DELETE ? undefined : replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...value];
    if (replacement === DELETE && rest.length === 0) copy.splice(Number(head), 1);
    else copy[Number(head)] = replaceAt(copy[Number(head)], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (replacement === DELETE && rest.length === 0) delete copy[head];
  else copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}

/** Replacement values for a targeted mutation of a JSON field: wrong types, huge, hostile. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1e308,
    -1e308,
    'NaN',
    'Infinity',
    '',
    '__proto__',
    [],
    {},
    { __proto__: { polluted: 'yes' } },
    JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown,
    JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}') as unknown,
    'x'.repeat(10_000),
    DELETE,
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 1, max: 2000 }).map((depth) => deeplyNested(depth)),
  junkText,
);

/**
 * A refusal message a learner can read: a non-empty string with no `[object Object]`, no
 * `undefined` or `NaN` from a missing value, and no stack trace or raw error name. Text quoted
 * from the input (`quoted`) is removed first, and a word the input itself contains is allowed,
 * since junk may spell those words itself.
 */
export function expectPlainMessage(message: unknown, quoted: readonly string[] = []): void {
  expect(typeof message).toBe('string');
  const text = message as string;
  expect(text.trim().length).toBeGreaterThan(0);
  // The checks' own wording for a metric with no value (null), e.g. a rate with no events.
  let rest = text.split('is undefined for this run').join('');
  for (const part of [...quoted].sort((a, b) => b.length - a.length)) {
    if (part) rest = rest.split(part).join('');
  }
  const forbidden: [RegExp, string][] = [
    [/\[object Object\]/, '[object Object]'],
    [/\bundefined\b/, 'undefined'],
    [/\bNaN\b/, 'NaN'],
    [/\n\s+at /, 'a stack trace'],
    [/\b(TypeError|ReferenceError|SyntaxError|RangeError):/, 'a raw error name'],
  ];
  for (const [pattern, what] of forbidden) {
    if (quoted.some((part) => pattern.test(part))) continue;
    expect(pattern.test(rest), `message shows ${what}: ${text.slice(0, 300)}`).toBe(false);
  }
}

/** No prototype was polluted by what a test fed in. */
export function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe['polluted']).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(typeof Object.prototype.toString).toBe('function');
  expect(typeof Object.prototype.hasOwnProperty).toBe('function');
}
