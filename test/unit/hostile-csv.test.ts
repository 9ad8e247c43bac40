/**
 * Hostile CSV files, in bulk: `parseCsvText` and `importCsv` (the training sandbox's upload, run
 * in its worker) never throw; they return a well-shaped table and dataset, or problems in plain
 * words; and header names like `__proto__` pollute nothing.
 *
 * Generated cases (numRuns): random text and bytes 150, structured junk (quotes, delimiters,
 * BOMs, huge cells, ragged rows, hostile headers) 200, text edits of a valid file 100, a valid
 * file with a hostile choice of columns and types 100. In all 550 cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvText, type CsvProblem, type CsvTable } from '@lib/data/csv-import';
import { defaultDatasetSpec, importCsv, type DatasetSpec } from '@lib/data/csv-dataset';
import {
  applyEdits,
  expectNoPollution,
  expectPlainMessage,
  junkText,
  NUMBERISH,
  POLLUTING_KEYS,
  textEdits,
} from './hostile-helpers';

/** Small limits keep each case fast; the limits themselves are part of what is tried. */
const LIMITS = { maxBytes: 200_000, maxRows: 2_000, maxColumns: 40 };

/** A valid two-class file: x numeric, colour categorical, y binary. */
const VALID = [
  'x,colour,y',
  ...Array.from({ length: 40 }, (_, i) => `${i},${['red', 'green', 'blue'][i % 3]},${i % 2}`),
].join('\n');

/** Every problem is plain words naming what it can; quoted cells and headers are allowed. */
function expectPlainProblems(
  problems: readonly CsvProblem[],
  text: string,
  quoted: readonly string[] = [],
): void {
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) {
    expect(typeof problem.code).toBe('string');
    expectPlainMessage(problem.message, [text, ...text.split(/[\n\r,;\t|"]+/), ...quoted]);
    if (problem.row !== undefined)
      expect(Number.isInteger(problem.row) && problem.row >= 1).toBe(true);
  }
}

function expectSoundTable(table: CsvTable): void {
  expect(table.headers.length).toBeGreaterThanOrEqual(2);
  expect(table.rows.length).toBe(table.rowNumbers.length);
  for (const row of table.rows) expect(row.length).toBe(table.headers.length);
  expect(table.columns.map((column) => column.name)).toEqual(table.headers);
}

function expectSoundImport(text: string, spec?: DatasetSpec): void {
  // The names a learner chose may be quoted back in a refusal.
  const quoted = spec
    ? [spec.targetColumn, ...spec.featureColumns, String(spec.positiveLabel ?? '')]
    : [];
  let parsed!: ReturnType<typeof parseCsvText>;
  expect(() => (parsed = parseCsvText(text, LIMITS))).not.toThrow();
  if (!parsed.ok) {
    expectPlainProblems(parsed.problems, text);
  } else {
    expectSoundTable(parsed.table);
    let imported!: ReturnType<typeof importCsv>;
    expect(
      () => (imported = importCsv(text, spec ?? defaultDatasetSpec, { seed: 1, limits: LIMITS })),
    ).not.toThrow();
    if (!imported.ok) {
      expectPlainProblems(imported.problems, text, quoted);
    } else {
      const { dataset } = imported;
      expect(dataset.positiveLabel).not.toBe(dataset.negativeLabel);
      for (const split of [dataset.train, dataset.validation, dataset.test]) {
        for (const value of split.features) expect(Number.isFinite(value)).toBe(true);
        for (const label of split.labels) expect([0, 1]).toContain(label);
      }
    }
  }
  expectNoPollution();
}

const cell = fc.oneof(
  fc.constantFrom('', ' ', '1', '0', 'yes', 'no', '-3.5', '1e308', '"', '""', '"a,b"', '"x\ny"'),
  fc.constantFrom(...NUMBERISH, ...POLLUTING_KEYS),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'z'.repeat(n)),
);
const delimiter = fc.constantFrom(',', ';', '\t', '|', ' ', ',,');
const lineEnd = fc.constantFrom('\n', '\r\n', '\r', '\n\n');
const header = fc.oneof(
  fc.constantFrom(...POLLUTING_KEYS, '', ' ', 'x', 'x', 'y'),
  fc.string({ maxLength: 8 }),
);

/** A file built from hostile parts: a header, ragged rows, BOMs, odd delimiters and endings. */
const structuredJunk = fc
  .record({
    bom: fc.constantFrom('', '\uFEFF', '\uFEFF\uFEFF'),
    headers: fc.array(header, { minLength: 1, maxLength: 8 }),
    rows: fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 30 }),
    delimiter,
    lineEnd,
    trailer: fc.constantFrom('', '\n', '"', '\u0000'),
  })
  .map(
    ({ bom, headers, rows, delimiter: d, lineEnd: end, trailer }) =>
      bom + [headers.join(d), ...rows.map((row) => row.join(d))].join(end) + trailer,
  );

describe('CSV files, hostile', () => {
  it('never throws on random text and bytes (150 cases)', () => {
    const random = fc.oneof(
      junkText,
      fc.string({ unit: 'binary', maxLength: 2_000 }),
      fc.uint8Array({ maxLength: 2_000 }).map((bytes) => new TextDecoder().decode(bytes)),
      fc.uint8Array({ maxLength: 2_000 }).map((bytes) => String.fromCharCode(...bytes)),
    );
    fc.assert(
      fc.property(random, (text) => expectSoundImport(text)),
      { numRuns: 150 },
    );
  });

  it('names the problems of structured junk (200 cases)', () => {
    fc.assert(
      fc.property(structuredJunk, (text) => expectSoundImport(text)),
      { numRuns: 200 },
    );
  });

  it('refuses or imports text edits of a valid file (100 cases)', () => {
    fc.assert(
      fc.property(textEdits, (edits) => expectSoundImport(applyEdits(VALID, edits))),
      { numRuns: 100 },
    );
  });

  it('refuses a hostile choice of columns and types by name (100 cases)', () => {
    const name = fc.oneof(fc.constantFrom('x', 'colour', 'y', ...POLLUTING_KEYS), junkText);
    const overrides = fc.oneof(
      fc.dictionary(name, fc.constantFrom('numeric', 'binary', 'categorical', 'text', 'nope', '')),
      fc.constant(
        JSON.parse('{"__proto__":"numeric","constructor":"binary"}') as Record<string, string>,
      ),
    );
    const spec = fc.record({
      targetColumn: name,
      featureColumns: fc.array(name, { maxLength: 5 }),
      typeOverrides: overrides,
      missingValueRule: fc.constantFrom('drop-rows', 'fill', 'nope'),
      positiveLabel: fc.option(fc.oneof(fc.constantFrom('0', '1'), junkText), { nil: undefined }),
    });
    const file = fc.oneof(
      fc.constant(VALID),
      fc.constant(VALID.replace('colour', '__proto__')),
      fc.constant(VALID.replace('colour', 'constructor')),
    );
    fc.assert(
      fc.property(file, spec, (text, chosen) =>
        expectSoundImport(text, chosen as unknown as DatasetSpec),
      ),
      { numRuns: 100 },
    );
  });

  it('imports the valid file (what the mutations above break)', () => {
    const imported = importCsv(VALID, defaultDatasetSpec, { seed: 1, limits: LIMITS });
    expect(imported.ok).toBe(true);
  });
});
