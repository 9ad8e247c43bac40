/**
 * Hostile link parameters, in bulk: every sandbox kind's `?<kind>.<input>=…` reader
 * (url-inputs.ts) and the training sandbox's own scheme (training-settings.ts).
 *
 * Generated cases (numRuns): 11 kinds × 60 junk links = 660, 11 kinds × 40 targeted mutations of
 * valid links = 440, 11 kinds × 25 round trips = 275, training settings 300 junk + 100 targeted =
 * 400. In all 1,775 cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SANDBOX_KINDS } from '@lib/exercises/kinds';
import type { SandboxKind } from '@lib/exercises/sandbox-kind';
import {
  MAX_URL_PARAMETERS,
  MAX_URL_VALUE_CHARS,
  describeUrlProblems,
  readUrlInputs,
  urlParameterName,
  writeUrlInputs,
} from '@lib/exercises/url-inputs';
import {
  DEFAULT_TRAINING_SETTINGS,
  settingsFromSearchParams,
  settingsToSearchParams,
  trainingSettingsSchema,
} from '@lib/ml/training-settings';
import {
  expectNoPollution,
  expectPlainMessage,
  junkText,
  NUMBERISH,
  POLLUTING_KEYS,
} from './hostile-helpers';

/** A query string's entries: parameter names from the kind, hostile names and random ones. */
function linkEntries(kind: SandboxKind): fc.Arbitrary<[string, string][]> {
  const inputs = Object.keys(kind.inputsSchema.shape);
  const name = fc.oneof(
    fc.constantFrom(...inputs).map((input) => urlParameterName(kind.id, input)),
    fc.constantFrom(...POLLUTING_KEYS).map((key) => urlParameterName(kind.id, key)),
    fc.constantFrom(...POLLUTING_KEYS),
    fc.constantFrom(...inputs),
    fc.string({ maxLength: 20 }).map((key) => urlParameterName(kind.id, key)),
    junkText,
  );
  return fc.array(fc.tuple(name, junkText), { maxLength: 30 });
}

/** A valid value of one input, written as a link writes it. */
function validText(kind: SandboxKind, input: string): string {
  const value = (kind.defaults as Record<string, unknown>)[input];
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** Targeted mutations of a valid value: out of range, wrong type, near misses. */
function mutatedValue(original: string): fc.Arbitrary<string> {
  const number = Number(original);
  const numeric = original !== '' && Number.isFinite(number);
  return fc.oneof(
    fc.constant(`${original} `),
    fc.constant(` ${original}`),
    fc.constant(`${original}x`),
    fc.constant(original.toUpperCase()),
    fc.constant(`${original}${original}`),
    fc.constant(
      original.repeat(Math.ceil((MAX_URL_VALUE_CHARS + 1) / Math.max(1, original.length))),
    ),
    fc.constantFrom(...NUMBERISH),
    numeric
      ? fc.constantFrom(
          String(-number - 1),
          String(number * 1e12 + 1),
          String(number + 0.5),
          `${number}e3`,
          `-${original}`,
        )
      : fc.constantFrom(`${original}-`, original.slice(1), 'on ', 'none2'),
    junkText,
  );
}

/** The checks every read of a link must pass, whatever the link held. */
function expectSoundRead(kind: SandboxKind, entries: [string, string][]): void {
  const params = new URLSearchParams(entries);
  let read!: ReturnType<typeof readUrlInputs>;
  expect(() => (read = readUrlInputs(kind, params))).not.toThrow();
  // What comes back always passes the kind's own validation, unchanged.
  expect(kind.parseInputs(read.inputs)).toEqual(read.inputs);
  expect(Object.keys(read.inputs).sort()).toEqual(Object.keys(kind.inputsSchema.shape).sort());
  for (const problem of read.problems) {
    expectPlainMessage(problem.message, [problem.value, problem.parameter]);
    expect(problem.message).toContain(problem.parameter.replace('.*', '.'));
    expect(problem.value.length).toBeLessThanOrEqual(40);
  }
  // Every parameter of a known input (first occurrence, within the limit) is either used or
  // reported by name.
  const inputs = new Set(Object.keys(kind.inputsSchema.shape));
  const firsts = new Set<string>();
  let counted = 0;
  for (const [name] of params) {
    if (!name.startsWith(`${kind.id}.`)) continue;
    counted += 1;
    if (counted > MAX_URL_PARAMETERS) break;
    if (inputs.has(name.slice(kind.id.length + 1))) firsts.add(name);
  }
  for (const name of firsts) {
    const used = read.applied.includes(name);
    const reported = read.problems.some((problem) => problem.parameter === name);
    expect(used || reported, `${name} neither used nor reported`).toBe(true);
  }
  const notice = describeUrlProblems(read.problems);
  if (read.problems.length === 0) expect(notice).toBeNull();
  else
    expectPlainMessage(
      notice,
      read.problems.flatMap((p) => [p.value, p.parameter]),
    );
  expectNoPollution();
}

describe('URL parameters of every sandbox kind, hostile', () => {
  for (const kind of SANDBOX_KINDS) {
    describe(kind.id, () => {
      it('never throws on junk links, reports each refused parameter plainly (60 cases)', () => {
        fc.assert(
          fc.property(linkEntries(kind), (entries) => expectSoundRead(kind, entries)),
          { numRuns: 60 },
        );
      });

      it('refuses targeted mutations of valid values by name (40 cases)', () => {
        const inputs = Object.keys(kind.inputsSchema.shape);
        const mutation = fc
          .constantFrom(...inputs)
          .chain((input) => fc.tuple(fc.constant(input), mutatedValue(validText(kind, input))));
        fc.assert(
          fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
            const entries = mutations.map(([input, value]): [string, string] => [
              urlParameterName(kind.id, input),
              value,
            ]);
            expectSoundRead(kind, entries);
          }),
          { numRuns: 40 },
        );
      });

      it('reads back what it writes, and other parameters survive (25 cases)', () => {
        fc.assert(
          fc.property(linkEntries(kind), fc.string({ maxLength: 10 }), (entries, other) => {
            const first = readUrlInputs(kind, new URLSearchParams(entries));
            const base = new URLSearchParams({ 'other.thing': other });
            const written = writeUrlInputs(kind, first.inputs, base);
            expect(written.get('other.thing')).toBe(other);
            const again = readUrlInputs(kind, written);
            expect(again.problems).toEqual([]);
            expect(again.inputs).toEqual(first.inputs);
            expectNoPollution();
          }),
          { numRuns: 25 },
        );
      });
    });
  }

  it('names the parameter and its allowed range (hand-made example)', () => {
    const ads = SANDBOX_KINDS.find((kind) => kind.id === 'ads')!;
    const read = readUrlInputs(
      ads,
      new URLSearchParams('ads.seed=-3&ads.reserveUsdPerThousand=2&ads.__proto__=1&seed=9'),
    );
    expect(read.inputs['reserveUsdPerThousand']).toBe(2);
    expect(read.inputs['seed']).toBe(ads.defaults['seed']);
    expect(read.problems.map((problem) => problem.parameter)).toEqual(['ads.seed']);
    expect(read.problems[0]!.message).toContain(ads.inputDescriptions['seed']);
  });

  it('refuses a combination by the kind’s cross-field rules, keeping the rest', () => {
    const returns = SANDBOX_KINDS.find((kind) => kind.id === 'returns')!;
    // low 50 > likely 25 (the default) breaks low ≤ likely ≤ high; seed is fine.
    const read = readUrlInputs(
      returns,
      new URLSearchParams('returns.valuePerUnitUsd.low=50&returns.seed=9'),
    );
    expect(read.inputs['seed']).toBe(9);
    expect(read.inputs['valuePerUnitUsd.low']).toBe(20);
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]!.parameter).toBe('returns.valuePerUnitUsd.low');
    expect(read.problems[0]!.message).toMatch(/low ≤ likely ≤ high/);
  });

  it('reads at most 100 parameters under one prefix and says so', () => {
    const ads = SANDBOX_KINDS.find((kind) => kind.id === 'ads')!;
    const entries: [string, string][] = Array.from({ length: 150 }, (_, i) => [`ads.x${i}`, '1']);
    entries.push(['ads.seed', '5']);
    const read = readUrlInputs(ads, new URLSearchParams(entries));
    expect(read.inputs['seed']).toBe(ads.defaults['seed']);
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]!.message).toContain('51 after the first 100 were ignored');
  });
});

describe('training settings in the URL, hostile', () => {
  const keys = [
    'model',
    'hidden',
    'lr',
    'epochs',
    'batch',
    'weighting',
    'seed',
    'rows',
    'fraud',
    'backend',
  ];

  function expectSoundSettings(entries: [string, string][]): void {
    let parsed!: ReturnType<typeof settingsFromSearchParams>;
    expect(() => (parsed = settingsFromSearchParams(new URLSearchParams(entries)))).not.toThrow();
    expect(trainingSettingsSchema.safeParse(parsed.settings).success).toBe(true);
    for (const problem of parsed.problems) {
      expect(keys).toContain(problem.parameter);
      expectPlainMessage(problem.message, [problem.value]);
      expect(problem.value.length).toBeLessThanOrEqual(40);
    }
    // Parameters are unique, so the notice's keyed list never repeats a key.
    const names = parsed.problems.map((problem) => problem.parameter);
    expect(new Set(names).size).toBe(names.length);
    const again = settingsFromSearchParams(settingsToSearchParams(parsed.settings));
    expect(again.problems).toEqual([]);
    expect(again.settings).toEqual(parsed.settings);
    expectNoPollution();
  }

  it('never throws on junk (300 cases)', () => {
    const name = fc.oneof(fc.constantFrom(...keys), fc.constantFrom(...POLLUTING_KEYS), junkText);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, junkText), { maxLength: 20 }), expectSoundSettings),
      { numRuns: 300 },
    );
  });

  it('refuses targeted mutations of valid values (100 cases)', () => {
    const valid = settingsToSearchParams({
      ...DEFAULT_TRAINING_SETTINGS,
      model: 'logistic',
      seed: 7,
      hiddenSizes: [8, 4],
    });
    const pairs: [string, string][] = [
      ...valid.entries(),
      ['lr', '0.01'],
      ['epochs', '10'],
      ['batch', '256'],
      ['rows', '20000'],
      ['fraud', '1'],
      ['backend', 'wasm'],
      ['weighting', 'balanced'],
    ];
    const mutation = fc
      .constantFrom(...pairs)
      .chain(([key, value]) => fc.tuple(fc.constant(key), mutatedValue(value)));
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), expectSoundSettings),
      { numRuns: 100 },
    );
  });
});
