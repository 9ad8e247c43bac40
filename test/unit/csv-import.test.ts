import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CSV_MAX_BYTES,
  parseCsvText,
  utf8ByteLength,
  type CsvLimits,
  type CsvTable,
} from '@lib/data/csv-import';
import {
  buildCsvDataset,
  choosePositiveLabel,
  defaultDatasetSpec,
  importCsv,
  type DatasetSpec,
} from '@lib/data/csv-dataset';
import {
  inferColumnType,
  isMissingCell,
  medianOf,
  modeOf,
  parseNumberCell,
} from '@lib/data/csv-schema';

/** Joins lines with \n and a trailing newline. */
const lines = (...rows: string[]): string => rows.join('\n') + '\n';

/** A file with header `x,y` and `n` rows alternating y = 0/1, x = row index. */
const twoClass = (n: number, header = 'x,y'): string[] => [
  header,
  ...Array.from({ length: n }, (_, i) => `${i},${i % 2}`),
];

/** Target `y`, every other column a feature, drop-rows. */
const ySpec = (table: CsvTable): DatasetSpec => ({
  targetColumn: 'y',
  featureColumns: table.headers.filter((h) => h !== 'y'),
  missingValueRule: 'drop-rows',
});

function messagesOf(
  text: string,
  spec: DatasetSpec | ((t: CsvTable) => DatasetSpec) = ySpec,
  limits?: CsvLimits,
): string[] {
  const result = importCsv(text, spec, { seed: 1, ...(limits ? { limits } : {}) });
  return result.ok ? [] : result.problems.map((p) => p.message);
}

interface BadFile {
  name: string;
  text: string;
  spec?: DatasetSpec | ((t: CsvTable) => DatasetSpec);
  limits?: CsvLimits;
  expected: string[];
}

const tenNumbersThen = (word: string): string[] => [
  'age,y',
  ...Array.from({ length: 10 }, (_, i) => `${20 + i},${i % 2}`),
  `${word},1`,
];
const sixtyCities = ['city,x,y', ...Array.from({ length: 60 }, (_, i) => `town${i},${i},${i % 2}`)];

// The corpus: each bad file with the exact sentence(s) it must produce. Row numbers are those a
// spreadsheet shows (header = row 1), counted by hand from the text.
const BAD_FILES: BadFile[] = [
  { name: 'empty string', text: '', expected: ['The file is empty.'] },
  { name: 'only blank lines', text: '  \n\n \r\n', expected: ['The file is empty.'] },
  { name: 'only a byte order mark', text: '\ufeff', expected: ['The file is empty.'] },
  {
    name: 'no header (all numbers)',
    text: lines('1,2,3', '4,5,6'),
    expected: [
      'Row 1 holds only numbers (1, 2, 3), so the file seems to have no header row. Add a first row that names each column.',
    ],
  },
  {
    name: 'no header, four numeric columns',
    text: lines('5.1,3.5,1.4,0', '4.9,3,1.4,1'),
    expected: [
      'Row 1 holds only numbers (5.1, 3.5, 1.4, …), so the file seems to have no header row. Add a first row that names each column.',
    ],
  },
  {
    name: 'no header after blank lines',
    text: '\n\n7,8\n9,10\n',
    expected: [
      'Row 3 holds only numbers (7, 8), so the file seems to have no header row. Add a first row that names each column.',
    ],
  },
  {
    name: 'header only',
    text: lines('a,b,y'),
    expected: ['The file has a header (row 1) but no data rows.'],
  },
  {
    name: 'header then blank lines',
    text: 'a,b,y\n\n\n',
    expected: ['The file has a header (row 1) but no data rows.'],
  },
  {
    name: 'blank header name',
    text: lines('a,,y', '1,2,0'),
    expected: ['Row 1, column 2: the header name is blank. Give every column a name.'],
  },
  {
    name: 'trailing delimiter makes a blank header',
    text: lines('a,y,', '1,0,'),
    expected: ['Row 1, column 3: the header name is blank. Give every column a name.'],
  },
  {
    name: 'duplicate header',
    text: lines('a,b,a,y', '1,2,3,0'),
    expected: ['Row 1, columns 1 and 3: both are named "a". Column names must be unique.'],
  },
  {
    name: 'duplicate header after trimming',
    text: lines('a, a,y', '1,2,0'),
    expected: ['Row 1, columns 1 and 2: both are named "a". Column names must be unique.'],
  },
  {
    name: 'single column',
    text: lines('y', '0', '1'),
    expected: [
      'Row 1 names only one column ("y"). A model needs a target column and at least one feature; check that columns are separated by , ; | or a tab.',
    ],
  },
  {
    name: 'ragged row, too few fields',
    text: lines('a,b,y', '1,2,0', '3,1'),
    expected: ['Row 3 has 2 fields, expected 3 (as many as the header).'],
  },
  {
    name: 'ragged row, too many fields',
    text: lines('a,b,y', '1,2,0,9', '3,4,1'),
    expected: ['Row 2 has 4 fields, expected 3 (as many as the header).'],
  },
  {
    name: 'ragged row with one field',
    text: lines('a,b,y', '1,2,0', '3,4,1', 'oops'),
    expected: ['Row 4 has 1 field, expected 3 (as many as the header).'],
  },
  {
    name: 'ragged row after a quoted newline (still one spreadsheet row)',
    text: lines('a,b,y', '"two\nlines",2,0', '3,1'),
    expected: ['Row 3 has 2 fields, expected 3 (as many as the header).'],
  },
  {
    name: 'ragged row after a blank line keeps its number',
    text: lines('a,b,y', '1,2,0', '', '3,1'),
    expected: ['Row 4 has 2 fields, expected 3 (as many as the header).'],
  },
  {
    name: 'twelve ragged rows: ten listed, two counted',
    text: lines('a,b,y', ...Array.from({ length: 12 }, (_, i) => `${i},0`)),
    expected: [
      ...Array.from(
        { length: 10 },
        (_, i) => `Row ${i + 2} has 2 fields, expected 3 (as many as the header).`,
      ),
      '…and 2 more rows with the wrong number of fields.',
    ],
  },
  {
    name: 'unclosed quote',
    text: lines('a,b,y', '1,"2,0', '3,4,1'),
    expected: ['Row 2: a quoted field is never closed (a " is missing).'],
  },
  {
    name: 'too many columns',
    text: lines('a,b,c,y', '1,2,3,0'),
    limits: { maxColumns: 3 },
    expected: ['The header has 4 columns; the limit is 3.'],
  },
  {
    name: 'too many rows',
    text: lines(...twoClass(4)),
    limits: { maxRows: 3 },
    expected: ['The file has more than 3 data rows; the limit is 3. Use a sample of its rows.'],
  },
  {
    name: 'too many rows, limit reached only through blank lines',
    text: 'x,y\n0,0\n\n\n\n\n\n\n\n\n1,1\n2,0\n',
    limits: { maxRows: 2 },
    expected: ['The file has more than 2 data rows; the limit is 2. Use a sample of its rows.'],
  },
  {
    name: 'file larger than the stated limit (20 MB)',
    text: 'x,y\n' + '1,0\n'.repeat(CSV_MAX_BYTES / 4),
    expected: ['The file is larger than 20 MB, the limit. Use a sample of its rows.'],
  },
  {
    name: 'non-binary target (three values)',
    text: lines('x,y', '1,a', '2,b', '3,c'),
    expected: [
      'The target column "y" must hold exactly two values, but it holds 3: "a", "b", "c".',
    ],
  },
  {
    name: 'non-binary target (seven values, five listed)',
    text: lines('x,y', ...Array.from({ length: 7 }, (_, i) => `${i},${i * 10}`)),
    expected: [
      'The target column "y" must hold exactly two values, but it holds 7: "0", "10", "20", "30", "40" and 2 more.',
    ],
  },
  {
    name: 'one class only',
    text: lines('x,y', '1,1', '2,1', '3,1'),
    expected: [
      'The target column "y" holds one value only ("1"). A classifier needs rows of both classes.',
    ],
  },
  {
    name: 'one class only, written two ways (1 and 1.0)',
    text: lines('x,y', '1,1', '2,1.0', '3,1'),
    expected: [
      'The target column "y" holds one value only ("1"). A classifier needs rows of both classes.',
    ],
  },
  {
    name: 'target column empty',
    text: lines('x,y', '1,', '2,NA', '3,?'),
    expected: ['The target column "y" has no values.'],
  },
  {
    name: 'word in a numeric feature',
    text: lines(...tenNumbersThen('abc')),
    expected: ['Row 12, column "age": "abc" is not a number, but the column is numeric.'],
  },
  {
    name: 'number with a unit in a numeric feature',
    text: lines(...tenNumbersThen('30 kg')),
    expected: ['Row 12, column "age": "30 kg" is not a number, but the column is numeric.'],
  },
  {
    name: 'decimal comma in a numeric feature',
    text: lines(...tenNumbersThen('"3,5"')),
    expected: ['Row 12, column "age": "3,5" is not a number, but the column is numeric.'],
  },
  {
    name: 'number beyond float32',
    text: lines(...tenNumbersThen('1e39')),
    expected: [
      'Row 12, column "age": 1e39 is too large for a 32-bit float (at most about 3.4e38).',
    ],
  },
  {
    name: 'column forced to numeric holds words',
    text: lines('colour,y', 'red,0', 'blue,1', 'green,0'),
    spec: {
      targetColumn: 'y',
      featureColumns: ['colour'],
      typeOverrides: { colour: 'numeric' },
      missingValueRule: 'drop-rows',
    },
    expected: [
      'Row 2, column "colour": "red" is not a number, but the column is numeric.',
      'Row 3, column "colour": "blue" is not a number, but the column is numeric.',
      'Row 4, column "colour": "green" is not a number, but the column is numeric.',
    ],
  },
  {
    name: 'too many categories for one-hot',
    text: lines(...sixtyCities),
    spec: {
      targetColumn: 'y',
      featureColumns: ['city', 'x'],
      typeOverrides: { city: 'categorical' },
      missingValueRule: 'drop-rows',
    },
    expected: [
      'Column "city" has 60 distinct values; one-hot encoding takes at most 50. Exclude it or treat it as numeric.',
    ],
  },
  {
    name: 'free-text column chosen as a feature',
    text: lines(...sixtyCities),
    expected: [
      'Column "city" looks like free text or an ID (60 distinct values in 60 rows). Exclude it, or set its type if it is really a number or a category.',
    ],
  },
  {
    name: 'all features excluded',
    text: lines(...twoClass(12)),
    spec: { targetColumn: 'y', featureColumns: [], missingValueRule: 'drop-rows' },
    expected: ['Every feature is excluded. Choose at least one column besides the target.'],
  },
  {
    name: 'target column not in the file',
    text: lines(...twoClass(12)),
    spec: { targetColumn: 'label', featureColumns: ['x'], missingValueRule: 'drop-rows' },
    expected: ['There is no column named "label" in the file.'],
  },
  {
    name: 'target chosen as a feature too',
    text: lines(...twoClass(12)),
    spec: { targetColumn: 'y', featureColumns: ['x', 'y'], missingValueRule: 'drop-rows' },
    expected: ['Column "y" is the target, so it cannot also be a feature.'],
  },
  {
    name: 'same feature chosen twice',
    text: lines(...twoClass(12)),
    spec: { targetColumn: 'y', featureColumns: ['x', 'x'], missingValueRule: 'drop-rows' },
    expected: ['Column "x" is chosen twice as a feature.'],
  },
  {
    name: 'feature column with no values',
    text: lines('x,z,y', ...Array.from({ length: 12 }, (_, i) => `${i},NA,${i % 2}`)),
    expected: ['Column "z" has no values. Exclude it.'],
  },
  {
    name: 'column forced to binary holds three values',
    text: lines('colour,y', 'red,0', 'blue,1', 'green,0'),
    spec: {
      targetColumn: 'y',
      featureColumns: ['colour'],
      typeOverrides: { colour: 'binary' },
      missingValueRule: 'drop-rows',
    },
    expected: [
      'Column "colour" is set to binary but holds 3 distinct values ("red", "blue", "green"). Treat it as categorical.',
    ],
  },
  {
    name: 'too few rows with nothing missing',
    text: lines('x,y', '1,0', '2,1', '3,0', '4,1'),
    expected: ['The file has only 4 data rows; at least 10 are needed.'],
  },
  {
    name: 'too few rows after dropping missing values',
    text: lines('x,y', ...Array.from({ length: 12 }, (_, i) => `${i < 5 ? '' : i},${i % 2}`)),
    expected: [
      'Only 7 rows are left after removing rows with missing values; at least 10 are needed.',
    ],
  },
  {
    name: 'one class left after dropping missing values',
    text: lines(
      'x,y',
      ...Array.from({ length: 20 }, (_, i) => `${i % 2 === 1 ? 'NA' : i},${i % 2}`),
    ),
    expected: [
      'After removing rows with missing values, every row has target "0". A classifier needs rows of both classes.',
    ],
  },
  {
    name: 'positive label not among the target values',
    text: lines(...twoClass(12)),
    spec: {
      targetColumn: 'y',
      featureColumns: ['x'],
      missingValueRule: 'drop-rows',
      positiveLabel: 'fraud',
    },
    expected: ['The target column "y" never holds "fraud"; its values are "0" and "1".'],
  },
];

describe('bad files: each gets a plain message naming the row and the problem', () => {
  it('has a corpus of at least 30 bad files', () => {
    expect(BAD_FILES.length).toBeGreaterThanOrEqual(30);
  });
  it.each(BAD_FILES)('$name', ({ text, spec, limits, expected }) => {
    expect(messagesOf(text, spec ?? ySpec, limits)).toEqual(expected);
  });
  it('gives row and column on the problem object', () => {
    const result = parseCsvText(lines('a,b,y', '1,2,0', '3,1'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code: 'ragged-row', row: 3 });
    const built = importCsv(lines(...tenNumbersThen('abc')), ySpec, { seed: 1 });
    if (built.ok) throw new Error('expected a problem');
    expect(built.problems[0]).toMatchObject({ code: 'not-a-number', row: 12, column: 'age' });
  });
  it('keeps working after a bad file: the next good file imports', () => {
    expect(messagesOf(lines('a,,y'))).not.toEqual([]);
    expect(messagesOf(lines(...twoClass(20)))).toEqual([]);
  });
});

describe('good files', () => {
  const good = (text: string) => {
    const result = parseCsvText(text);
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    return result.table;
  };

  it('reads quoted fields holding commas, quotes and newlines', () => {
    const table = good('name,y\n"Smith, Jo",1\n"say ""hi""\nthere",0\n');
    expect(table.rows).toEqual([
      ['Smith, Jo', '1'],
      ['say "hi"\nthere', '0'],
    ]);
    expect(table.rowNumbers).toEqual([2, 3]);
  });
  it('reads CRLF line ends, a byte order mark and no trailing newline alike', () => {
    const expected = [
      ['1', '0'],
      ['2', '1'],
    ];
    expect(good('x,y\r\n1,0\r\n2,1\r\n').rows).toEqual(expected);
    expect(good('\ufeffx,y\n1,0\n2,1').rows).toEqual(expected);
    expect(good('\ufeffx,y\n1,0\n2,1').headers).toEqual(['x', 'y']);
    expect(good('x,y\n1,0\n2,1\n\n\n').rows).toEqual(expected);
  });
  it('detects semicolon, tab and pipe delimiters', () => {
    expect(good('x;y\n1,5;0\n2;1\n').delimiter).toBe(';');
    expect(good('x;y\n1,5;0\n2;1\n').rows[0]).toEqual(['1,5', '0']);
    expect(good('x\ty\n1\t0\n2\t1\n').delimiter).toBe('\t');
    expect(good('x|y\n1|0\n2|1\n').delimiter).toBe('|');
  });
  it('trims whitespace around names and values', () => {
    const result = importCsv(
      ' x , y \n' + Array.from({ length: 12 }, (_, i) => `  ${i} , ${i % 2} `).join('\n'),
      ySpec,
      { seed: 3 },
    );
    if (!result.ok) throw new Error(result.problems[0]?.message);
    expect(result.table.headers).toEqual(['x', 'y']);
    expect(result.dataset.columnTypes).toEqual({ x: 'numeric' });
    expect(result.dataset.matrix.rows).toBe(12);
  });
  it('shows a preview of the first 10 data rows with their row numbers', () => {
    const table = good(lines(...twoClass(30)));
    expect(table.preview).toHaveLength(10);
    expect(table.preview[0]).toEqual({ rowNumber: 2, cells: ['0', '0'] });
    expect(table.preview[9]).toEqual({ rowNumber: 11, cells: ['9', '1'] });
  });
  it('counts UTF-8 bytes: é is 2, € is 3, 😀 is 4', () => {
    expect(utf8ByteLength('aé€😀')).toBe(1 + 2 + 3 + 4);
    expect(good('ä,y\n1,0\n').byteLength).toBe(9);
  });
});

describe('type inference', () => {
  it('infers numeric, binary, categorical and text with evidence', () => {
    const numeric = inferColumnType(['1', '2.5', '-3', '1e3', '', 'NA']);
    expect(numeric.type).toBe('numeric');
    expect(numeric.evidence).toEqual({
      presentCount: 4,
      missingCount: 2,
      numericShare: 1,
      distinctCount: 4,
      exampleValues: ['1', '2.5', '-3', '1e3'],
    });
    expect(inferColumnType(['a', 'b', 'a', 'c', 'd', 'e', 'f']).evidence.exampleValues).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
    expect(inferColumnType(['yes', 'no', 'yes']).type).toBe('binary');
    expect(inferColumnType(['0', '1', '1.0']).type).toBe('binary');
    expect(inferColumnType(['red', 'green', 'blue', 'red']).type).toBe('categorical');
    const ids = Array.from({ length: 51 }, (_, i) => `id-${i}`);
    const text = inferColumnType(ids);
    expect(text.type).toBe('text');
    expect(text.evidence.distinctCount).toBe(51);
    expect(inferColumnType(['', 'NA']).type).toBe('text');
  });
  it('infers numeric at 90% numbers (so strays are reported), categorical below', () => {
    // 9 numbers of 10 present = 0.9 ≥ threshold; 8 of 10 = 0.8 below.
    expect(inferColumnType([...'123456789'.split(''), 'x']).type).toBe('numeric');
    expect(inferColumnType([...'12345678'.split(''), 'x', 'z']).type).toBe('categorical');
  });
  it('reads missing tokens and number literals by the stated rule', () => {
    expect(['', '  ', 'NA', 'n/a', 'NaN', 'null', '?'].every(isMissingCell)).toBe(true);
    expect(isMissingCell('none')).toBe(false);
    expect(parseNumberCell(' .5 ')).toEqual({ kind: 'number', value: 0.5 });
    expect(parseNumberCell('0x10').kind).toBe('not-a-number');
    expect(parseNumberCell('Infinity').kind).toBe('not-a-number');
    expect(parseNumberCell('1,000').kind).toBe('not-a-number');
  });
  it('lets an override change the encoding (numeric 0–3 as categorical → 4 one-hot columns)', () => {
    const text = lines('level,y', ...Array.from({ length: 16 }, (_, i) => `${i % 4},${i % 2}`));
    const result = importCsv(
      text,
      {
        targetColumn: 'y',
        featureColumns: ['level'],
        typeOverrides: { level: 'categorical' },
        missingValueRule: 'drop-rows',
      },
      { seed: 1 },
    );
    if (!result.ok) throw new Error(result.problems[0]?.message);
    expect(result.table.columns[0]?.type).toBe('numeric');
    expect(result.dataset.featureNames).toEqual(['level=0', 'level=1', 'level=2', 'level=3']);
  });
  it('picks the positive label that reads as yes, else the second in sorted order', () => {
    expect(choosePositiveLabel(['yes', 'no'])).toEqual(['no', 'yes']);
    expect(choosePositiveLabel(['1', '0'])).toEqual(['0', '1']);
    expect(choosePositiveLabel(['FALSE', 'TRUE'])).toEqual(['FALSE', 'TRUE']);
    expect(choosePositiveLabel(['spam', 'ham'])).toEqual(['ham', 'spam']);
    expect(choosePositiveLabel(['10', '9'])).toEqual(['9', '10']);
  });
  it('proposes a default spec: last binary column as target, non-text columns as features', () => {
    const table = parseCsvText(lines(...sixtyCities));
    if (!table.ok) throw new Error('parse');
    expect(defaultDatasetSpec(table.table)).toEqual({
      targetColumn: 'y',
      featureColumns: ['x'],
      missingValueRule: 'drop-rows',
    });
  });
});

// 20 rows: x = 7 except i = 1 (8) and i = 4 (9), colour red except i = 3 and 7 (blue),
// y alternates 0/1.
// Gaps by hand: x missing in rows i = 2, 5 (file rows 4, 7); colour missing at i = 9
// (file row 11); y missing at i = 0 (file row 2).
const GAPPY = lines(
  'x,colour,y',
  ...Array.from({ length: 20 }, (_, i) => {
    const x = i === 2 || i === 5 ? 'NA' : i === 1 ? '8' : i === 4 ? '9' : '7';
    const colour = i === 9 ? '' : i === 3 || i === 7 ? 'blue' : 'red';
    const y = i === 0 ? '' : String(i % 2);
    return `${x},${colour},${y}`;
  }),
);

describe('missing-value rule', () => {
  const spec = (rule: 'drop-rows' | 'fill'): DatasetSpec => ({
    targetColumn: 'y',
    featureColumns: ['x', 'colour'],
    missingValueRule: rule,
  });
  it('drop-rows: counts rows without target and rows with a missing feature', () => {
    const result = importCsv(GAPPY, spec('drop-rows'), { seed: 5 });
    if (!result.ok) throw new Error(result.problems[0]?.message);
    const report = result.dataset.missing;
    // 20 rows − 1 without target − 3 with a gap (i = 2, 5, 9) = 16.
    expect(report).toMatchObject({
      rule: 'drop-rows',
      rowsInFile: 20,
      rowsDroppedNoTarget: 1,
      rowsDroppedMissingFeature: 3,
      rowsKept: 16,
      filled: [],
    });
    expect(report.summary).toBe(
      'Dropped 1 of 20 rows with no target value. Rule "drop rows": dropped 3 rows with a missing feature value; 16 rows kept.',
    );
    expect(result.dataset.matrix.rowNumbers).not.toContain(4);
    expect(result.dataset.matrix.rowNumbers).toHaveLength(16);
  });
  it('fill: median for numbers, mode for categories, with counts', () => {
    const result = importCsv(GAPPY, spec('fill'), { seed: 5 });
    if (!result.ok) throw new Error(result.problems[0]?.message);
    // 15 of the 17 present x are 7 → the median of any 70% training split (≥ 10 of them) is 7;
    // colour is red in 16 of 18 kept present cells, so red is the mode of any training split.
    expect(result.dataset.missing).toMatchObject({
      rule: 'fill',
      rowsDroppedNoTarget: 1,
      rowsDroppedMissingFeature: 0,
      rowsKept: 19,
      filled: [
        { column: 'x', how: 'median', value: '7', count: 2 },
        { column: 'colour', how: 'mode', value: 'red', count: 1 },
      ],
    });
    expect(result.dataset.missing.summary).toBe(
      'Dropped 1 of 20 rows with no target value. Rule "fill": filled 3 missing values with the ' +
        "training split's median (numbers) or most frequent value (others) " +
        '(x: 2 with median 7; colour: 1 with mode red). 19 rows kept.',
    );
    // colour is binary (red/blue) → one column colour=red (sorted: blue, red; red is 1).
    expect(result.dataset.featureNames).toEqual(['x', 'colour=red']);
    const { features, rowNumbers } = result.dataset.matrix;
    const at = (fileRow: number) => rowNumbers.indexOf(fileRow) * 2;
    expect([features[at(4)], features[at(4) + 1]]).toEqual([7, 1]); // x filled with 7
    expect([features[at(11)], features[at(11) + 1]]).toEqual([7, 1]); // colour filled with red
    expect([features[at(5)], features[at(5) + 1]]).toEqual([7, 0]); // i = 3: blue
    expect([features[at(3)], features[at(3) + 1]]).toEqual([8, 1]); // i = 1: x = 8
  });
});

describe('fill values', () => {
  it('median: middle value, or mean of the two middles', () => {
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([-1e3, 7])).toBe(-496.5);
  });
  it('mode: most frequent; a tie goes to the first in sorted order', () => {
    expect(modeOf(['c', 'b', 'c', 'a'])).toBe('c');
    expect(modeOf(['b', 'a', 'b', 'a'])).toBe('a');
    expect(modeOf(['10', '9', '10', '9'])).toBe('9'); // numeric order: 9 before 10
  });
  it('fills from the whole file when the training split is all of it', () => {
    const text = lines(
      'x,colour,y',
      '1,a,0',
      '2,b,1',
      ',b,0',
      '4,,1',
      '10,a,0',
      '20,b,1',
      'NA,?,0',
      '1,a,1',
      '2,b,0',
      '4,b,1',
    );
    const result = importCsv(
      text,
      { targetColumn: 'y', featureColumns: ['x', 'colour'], missingValueRule: 'fill' },
      { seed: 9, splitFractions: { train: 1, validation: 0, test: 0 } },
    );
    if (!result.ok) throw new Error(result.problems[0]?.message);
    // Present x: 1, 2, 4, 10, 20, 1, 2, 4 → sorted 1 1 2 2 4 4 10 20 → (2 + 4) / 2 = 3.
    // Present colour: a b b a b a b b → b ×5, a ×3 → b.
    expect(result.dataset.missing.filled).toEqual([
      { column: 'x', how: 'median', value: '3', count: 2 },
      { column: 'colour', how: 'mode', value: 'b', count: 2 },
    ]);
    expect(result.dataset.train.rows).toBe(10);
    expect(result.dataset.validation.rows).toBe(0);
  });
});

describe('encoding and split', () => {
  it('rounds each class to its share: 14 positives → 10/2/2, 36 negatives → 25/5/6', () => {
    // 14 × 0.7 = 9.8 → 10, 14 × 0.15 = 2.1 → 2, rest 2; 36 × 0.7 = 25.2 → 25,
    // 36 × 0.15 = 5.4 → 5, rest 6 (by hand).
    const text = lines('x,y', ...Array.from({ length: 50 }, (_, i) => `${i},${i < 14 ? 1 : 0}`));
    const result = importCsv(text, ySpec, { seed: 4 });
    if (!result.ok) throw new Error(result.problems[0]?.message);
    const sum = (labels: Float32Array) => labels.reduce((s, v) => s + v, 0);
    const { train, validation, test } = result.dataset;
    expect([train.rows, validation.rows, test.rows]).toEqual([35, 7, 8]);
    expect([sum(train.labels), sum(validation.labels), sum(test.labels)]).toEqual([10, 2, 2]);
  });

  // 100 rows, 20 positive: stratified 70/15/15 gives 14/3/3 positives and 56/12/12 negatives.
  const HUNDRED = lines(
    'amount,channel,member,label',
    ...Array.from({ length: 100 }, (_, i) => {
      const channel = ['web', 'app', 'shop'][i % 3] ?? 'web';
      return `${i * 1.5},${channel},${i % 2 === 0 ? 'yes' : 'no'},${i % 5 === 0 ? 'fraud' : 'ok'}`;
    }),
  );
  const spec: DatasetSpec = {
    targetColumn: 'label',
    featureColumns: ['amount', 'channel', 'member'],
    missingValueRule: 'drop-rows',
    positiveLabel: 'fraud',
  };
  const build = (seed: number) => {
    const result = importCsv(HUNDRED, spec, { seed });
    if (!result.ok) throw new Error(result.problems[0]?.message);
    return result.dataset;
  };

  it('one-hot encodes categories in sorted order, binary as one column', () => {
    const dataset = build(1);
    expect(dataset.featureNames).toEqual([
      'amount',
      'channel=app',
      'channel=shop',
      'channel=web',
      'member=yes',
    ]);
    expect(dataset.columnTypes).toEqual({
      amount: 'numeric',
      channel: 'categorical',
      member: 'binary',
    });
    // File row 3 is i = 1: amount 1.5, channel app, member no.
    const row = dataset.matrix.rowNumbers.indexOf(3);
    expect([...dataset.matrix.features.subarray(row * 5, row * 5 + 5)]).toEqual([1.5, 1, 0, 0, 0]);
    expect(dataset.matrix.labels).toBeInstanceOf(Uint8Array);
    expect(dataset.matrix.labels[0]).toBe(1); // i = 0 is fraud
    expect(dataset.positiveLabel).toBe('fraud');
    expect(dataset.negativeLabel).toBe('ok');
  });
  it('has the fraud dataset shape with a stratified 70/15/15 split', () => {
    const dataset = build(1);
    expect(dataset.train.rows).toBe(70);
    expect(dataset.validation.rows).toBe(15);
    expect(dataset.test.rows).toBe(15);
    const positives = (labels: Float32Array) => labels.reduce((s, v) => s + v, 0);
    expect(positives(dataset.train.labels)).toBe(14);
    expect(positives(dataset.validation.labels)).toBe(3);
    expect(positives(dataset.test.labels)).toBe(3);
    expect(dataset.train.features).toHaveLength(70 * 5);
    expect(dataset.train.featureCount).toBe(5);
    expect(dataset.train.amountsUsd).toHaveLength(70);
    expect(dataset.fraudRate).toBeCloseTo(0.2, 12);
    // Standardised on the training split: each training column has mean 0.
    for (let c = 0; c < 5; c++) {
      let sum = 0;
      for (let r = 0; r < 70; r++) sum += dataset.train.features[r * 5 + c] ?? 0;
      expect(Math.abs(sum / 70)).toBeLessThan(1e-5);
    }
  });
  it('is deterministic by seed and changes with it', () => {
    const a = build(42);
    const b = build(42);
    const c = build(43);
    expect(a.train.features).toEqual(b.train.features);
    expect(a.test.labels).toEqual(b.test.labels);
    expect(a.train.features).not.toEqual(c.train.features);
  });
  it('works on the parsed table directly (buildCsvDataset)', () => {
    const parsed = parseCsvText(HUNDRED);
    if (!parsed.ok) throw new Error('parse');
    const built = buildCsvDataset(parsed.table, spec, { seed: 42 });
    expect(built.ok && built.dataset.train.features).toEqual(build(42).train.features);
  });
});

describe('properties', () => {
  const hasNoNonFinite = (values: Float32Array) => values.every((v) => Number.isFinite(v));

  it('never throws on arbitrary text: a dataset or at least one problem', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })),
        (text) => {
          const result = importCsv(text, defaultDatasetSpec, { seed: 1 });
          if (result.ok) return hasNoNonFinite(result.dataset.matrix.features);
          return result.problems.length > 0 && result.problems.every((p) => p.message.length > 0);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never throws and never yields NaN on CSV-like text, under either rule', () => {
    let built = 0;
    const numberCell = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
    );
    const cell = fc.oneof(
      { weight: 12, arbitrary: numberCell },
      {
        weight: 2,
        arbitrary: fc.constantFrom('NA', '', ' 7 ', 'a', 'b', '"x,y"', '3.4e38', '-3.4e38'),
      },
    );
    const rareCell = fc.constantFrom('"', 'c', '1e39', '1,2', '');
    const label = fc.constantFrom('0', '1', '0', '1', 'NA');
    const wellShaped = fc.tuple(cell, cell, label).map((cells) => cells.join(','));
    const anyShape = fc
      .array(fc.oneof(cell, rareCell), { minLength: 1, maxLength: 4 })
      .map((c) => c.join(','));
    const row = fc.oneof({ weight: 60, arbitrary: wellShaped }, { weight: 1, arbitrary: anyShape });
    const file = fc.tuple(
      fc.oneof(
        { weight: 10, arbitrary: fc.constant('a,b,y') },
        { weight: 1, arbitrary: fc.constantFrom('a;b;y', 'p,q', 'a,a,y', '1,2,3') },
      ),
      fc.array(row, { minLength: 5, maxLength: 60 }),
      fc.constantFrom('\n', '\r\n'),
      fc.constantFrom<'drop-rows' | 'fill'>('drop-rows', 'fill'),
    );
    fc.assert(
      fc.property(file, ([header, rows, eol, rule]) => {
        const text = [header, ...rows].join(eol);
        const result = importCsv(
          text,
          (table) => ({ ...defaultDatasetSpec(table), missingValueRule: rule }),
          { seed: 2 },
        );
        if (!result.ok) return result.problems.length > 0;
        built++;
        const d = result.dataset;
        return (
          hasNoNonFinite(d.matrix.features) &&
          hasNoNonFinite(d.train.features) &&
          hasNoNonFinite(d.validation.features) &&
          hasNoNonFinite(d.test.features) &&
          d.train.rows + d.validation.rows + d.test.rows === d.matrix.rows
        );
      }),
      { numRuns: 600 },
    );
    // The generator must reach the encoder often enough for the NaN check to mean something.
    expect(built).toBeGreaterThan(20);
  });
});

describe('speed', () => {
  it('parses and encodes 50,000 rows × 15 columns', () => {
    // Deterministic content: 12 numeric, 2 categorical (5 values), 1 binary target.
    const header = [...Array.from({ length: 12 }, (_, c) => `n${c}`), 'cat1', 'cat2', 'y'];
    const body = Array.from({ length: 50_000 }, (_, r) => {
      const nums = Array.from({ length: 12 }, (_, c) => ((r * 31 + c * 17) % 1000) / 10);
      return [...nums, `k${r % 5}`, `m${(r * 7) % 5}`, r % 10 === 0 ? 1 : 0].join(',');
    });
    const text = [header.join(','), ...body].join('\n');
    const started = performance.now();
    const result = importCsv(text, defaultDatasetSpec, { seed: 1 });
    const elapsedMs = performance.now() - started;
    if (!result.ok) throw new Error(result.problems[0]?.message);
    expect(result.dataset.matrix.rows).toBe(50_000);
    expect(result.dataset.featureNames).toHaveLength(12 + 5 + 5);
    console.log(
      `csv-import: 50,000 × 15 parsed and encoded in ${elapsedMs.toFixed(0)} ms (${(text.length / 1e6).toFixed(1)} MB)`,
    );
    expect(elapsedMs).toBeLessThan(20_000);
  });
});
