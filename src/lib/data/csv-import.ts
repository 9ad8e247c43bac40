/**
 * Parses an uploaded CSV (already read into a string in the browser; nothing is sent anywhere)
 * with Papa Parse, checks its shape and profiles its columns.
 *
 * Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is
 * row 2, and a quoted field that spans several lines still counts as one row. Blank lines are
 * skipped but keep their number, so the numbers in messages match what the learner sees.
 * Every problem is returned as data ({@link CsvProblem}); nothing here throws on bad input.
 */
import Papa from 'papaparse';
import { inferColumnType, parseNumberCell, type ColumnInference } from '@lib/data/csv-schema';

/** Largest file accepted, in bytes of UTF-8 (20 MB, 1 MB = 1,000,000 bytes). */
export const CSV_MAX_BYTES = 20_000_000;
/** Most data rows accepted (the header not counted). */
export const CSV_MAX_ROWS = 200_000;
/** Most columns accepted. */
export const CSV_MAX_COLUMNS = 200;
/** Data rows in the preview. */
export const CSV_PREVIEW_ROWS = 10;
/** Most problems of one kind listed one by one; the rest are counted in one extra message. */
export const MAX_PROBLEMS_PER_KIND = 10;
/** Delimiters Papa Parse chooses among. */
export const CSV_DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

/** What went wrong, as a stable code a test or a UI can switch on. */
export type CsvProblemCode =
  | 'empty-file'
  | 'file-too-large'
  | 'too-many-rows'
  | 'too-many-columns'
  | 'unclosed-quote'
  | 'no-header'
  | 'blank-header'
  | 'duplicate-header'
  | 'header-only'
  | 'single-column'
  | 'ragged-row'
  | 'more-problems'
  | 'unknown-column'
  | 'target-is-feature'
  | 'duplicate-feature'
  | 'no-features'
  | 'target-empty'
  | 'non-binary-target'
  | 'one-class'
  | 'not-a-number'
  | 'number-out-of-range'
  | 'too-many-categories'
  | 'not-binary'
  | 'text-feature'
  | 'empty-feature'
  | 'too-few-rows';

/** One problem with a file or with a choice of columns, in plain words. */
export interface CsvProblem {
  /** Stable code. */
  code: CsvProblemCode;
  /** The sentence shown to the learner, naming the row and column where there is one. */
  message: string;
  /** Spreadsheet row number (header = 1), when the problem sits in one row. */
  row?: number;
  /** Column name, when the problem sits in one column. */
  column?: string;
}

/** A column of the parsed file with its inferred type. */
export interface CsvColumn extends ColumnInference {
  /** Header name, trimmed. */
  name: string;
  /** 0-based position in the file. */
  index: number;
}

/** A parsed, well-shaped CSV file. */
export interface CsvTable {
  /** Header names, trimmed, in file order. */
  headers: string[];
  /** Data rows (blank lines removed), each with `headers.length` cells, untrimmed. */
  rows: string[][];
  /** Spreadsheet row number of each data row (header = 1). */
  rowNumbers: number[];
  /** Each column with its inferred type and evidence. */
  columns: CsvColumn[];
  /** The first {@link CSV_PREVIEW_ROWS} data rows. */
  preview: { rowNumber: number; cells: string[] }[];
  /** The delimiter Papa Parse detected. */
  delimiter: string;
  /** Size of the text in UTF-8 bytes. */
  byteLength: number;
}

/** Either a table or the problems that stopped it. */
export type CsvParseResult = { ok: true; table: CsvTable } | { ok: false; problems: CsvProblem[] };

/** Limits for {@link parseCsvText}; each defaults to the exported constant of the same name. */
export interface CsvLimits {
  /** Default {@link CSV_MAX_BYTES}. */
  maxBytes?: number;
  /** Default {@link CSV_MAX_ROWS}. */
  maxRows?: number;
  /** Default {@link CSV_MAX_COLUMNS}. */
  maxColumns?: number;
}

/** Formats a count with thousands separators (en-US), as messages show it. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Formats a byte count in MB (1 MB = 1,000,000 bytes) with at most one decimal: `20 MB`, `2.5 MB`. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`;
}

/**
 * Counts the UTF-8 bytes of a string without allocating (1 byte below U+0080, 2 below U+0800,
 * 4 for a surrogate pair, 3 otherwise), stopping once `stopAbove` is passed.
 */
export function utf8ByteLength(text: string, stopAbove = Infinity): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= stopAbove; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Adds at most {@link MAX_PROBLEMS_PER_KIND} problems of one kind to `out`, then one
 * `more-problems` message counting the rest (`…and 7 more rows like these.`).
 */
export function pushCapped(out: CsvProblem[], found: readonly CsvProblem[], what: string): void {
  out.push(...found.slice(0, MAX_PROBLEMS_PER_KIND));
  const rest = found.length - MAX_PROBLEMS_PER_KIND;
  if (rest > 0) {
    out.push({ code: 'more-problems', message: `…and ${formatCount(rest)} more ${what}.` });
  }
}

const isBlankRecord = (record: readonly string[]): boolean =>
  record.length === 0 || (record.length === 1 && (record[0] ?? '').trim() === '');

function guessDelimiter(text: string): string {
  // Papa Parse guesses from the first rows; blank lines there would confuse it, so the guess
  // runs on a sample with them skipped, and the real parse keeps them (for row numbers).
  const guess = Papa.parse<string[]>(text.slice(0, 65_536), {
    preview: 20,
    skipEmptyLines: 'greedy',
    delimitersToGuess: [...CSV_DELIMITERS],
  });
  return guess.meta.delimiter || ',';
}

/**
 * Parses CSV text: strips a byte order mark, detects the delimiter, requires a header row,
 * and checks size, row and column limits, quoting, header names and that every row has as
 * many fields as the header. Then infers each column's type ({@link inferColumnType}).
 *
 * Problems, with their messages (row numbers as a spreadsheet shows them):
 * - `file-too-large`: `The file is larger than 20 MB, the limit. Use a sample of its rows.`
 * - `empty-file`: `The file is empty.`
 * - `too-many-rows`: `The file has more than 200,000 data rows; the limit is 200,000.`
 * - `unclosed-quote`: `Row 4: a quoted field is never closed (a " is missing).`
 * - `no-header`: `Row 1 holds only numbers (5.1, 3.5, 1.4), so the file seems to have no header row. Add a first row that names each column.`
 * - `too-many-columns`, `blank-header`, `duplicate-header`, `single-column`, `header-only`,
 *   `ragged-row`: `Row 7 has 3 fields, expected 4 (as many as the header).`
 */
export function parseCsvText(rawText: string, limits: CsvLimits = {}): CsvParseResult {
  const maxBytes = limits.maxBytes ?? CSV_MAX_BYTES;
  const maxRows = limits.maxRows ?? CSV_MAX_ROWS;
  const maxColumns = limits.maxColumns ?? CSV_MAX_COLUMNS;
  const byteLength = utf8ByteLength(rawText, maxBytes);
  if (byteLength > maxBytes) {
    return fail({
      code: 'file-too-large',
      message: `The file is larger than ${formatMegabytes(maxBytes)}, the limit. Use a sample of its rows.`,
    });
  }
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  if (text.trim() === '') return fail({ code: 'empty-file', message: 'The file is empty.' });

  const delimiter = guessDelimiter(text);
  // preview: the header, up to maxRows data rows and room for blank lines and one more row,
  // so that a file over the limit is noticed without parsing all of it.
  const parsed = Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    preview: maxRows * 2 + 2,
  });
  const records = parsed.data;
  const quoteError = parsed.errors.find((e) => e.code === 'MissingQuotes');
  if (quoteError) {
    const row = (quoteError.row ?? 0) + 1;
    return fail({
      code: 'unclosed-quote',
      row,
      message: `Row ${row}: a quoted field is never closed (a " is missing).`,
    });
  }

  const headerIndex = records.findIndex((record) => !isBlankRecord(record));
  if (headerIndex < 0) return fail({ code: 'empty-file', message: 'The file is empty.' });
  const headerRecord = records[headerIndex] ?? [];
  const headerRow = headerIndex + 1;
  const headers = headerRecord.map((name) => name.trim());

  const problems: CsvProblem[] = [];
  const nonBlankHeaders = headers.filter((name) => name !== '');
  if (
    nonBlankHeaders.length > 0 &&
    nonBlankHeaders.every((name) => parseNumberCell(name).kind === 'number')
  ) {
    const shown =
      nonBlankHeaders.slice(0, 3).join(', ') + (nonBlankHeaders.length > 3 ? ', …' : '');
    return fail({
      code: 'no-header',
      row: headerRow,
      message:
        `Row ${headerRow} holds only numbers (${shown}), so the file seems to have no header row. ` +
        'Add a first row that names each column.',
    });
  }
  if (headers.length > maxColumns) {
    return fail({
      code: 'too-many-columns',
      row: headerRow,
      message: `The header has ${formatCount(headers.length)} columns; the limit is ${formatCount(maxColumns)}.`,
    });
  }
  if (headers.length < 2) {
    return fail({
      code: 'single-column',
      row: headerRow,
      message:
        `Row ${headerRow} names only one column ("${headers[0] ?? ''}"). A model needs a target ` +
        `column and at least one feature; check that columns are separated by , ; | or a tab.`,
    });
  }
  const firstSeen = new Map<string, number>();
  headers.forEach((name, index) => {
    if (name === '') {
      problems.push({
        code: 'blank-header',
        row: headerRow,
        message: `Row ${headerRow}, column ${index + 1}: the header name is blank. Give every column a name.`,
      });
      return;
    }
    const earlier = firstSeen.get(name);
    if (earlier === undefined) firstSeen.set(name, index);
    else {
      problems.push({
        code: 'duplicate-header',
        row: headerRow,
        column: name,
        message:
          `Row ${headerRow}, columns ${earlier + 1} and ${index + 1}: both are named "${name}". ` +
          'Column names must be unique.',
      });
    }
  });
  if (problems.length > 0) return { ok: false, problems };

  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  const ragged: CsvProblem[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const record = records[i] ?? [];
    if (isBlankRecord(record)) continue;
    if (rows.length === maxRows) {
      return fail({
        code: 'too-many-rows',
        message: `The file has more than ${formatCount(maxRows)} data rows; the limit is ${formatCount(maxRows)}. Use a sample of its rows.`,
      });
    }
    if (record.length !== headers.length) {
      ragged.push({
        code: 'ragged-row',
        row: i + 1,
        message: `Row ${i + 1} has ${formatCount(record.length)} field${record.length === 1 ? '' : 's'}, expected ${formatCount(headers.length)} (as many as the header).`,
      });
    }
    rows.push(record);
    rowNumbers.push(i + 1);
  }
  if (parsed.meta.truncated) {
    return fail({
      code: 'too-many-rows',
      message: `The file has more than ${formatCount(maxRows)} data rows; the limit is ${formatCount(maxRows)}. Use a sample of its rows.`,
    });
  }
  if (ragged.length > 0) {
    pushCapped(problems, ragged, 'rows with the wrong number of fields');
    return { ok: false, problems };
  }
  if (rows.length === 0) {
    return fail({
      code: 'header-only',
      row: headerRow,
      message: `The file has a header (row ${headerRow}) but no data rows.`,
    });
  }

  const columns: CsvColumn[] = headers.map((name, index) => ({
    name,
    index,
    ...inferColumnType(rows.map((row) => row[index] ?? '')),
  }));
  return {
    ok: true,
    table: {
      headers,
      rows,
      rowNumbers,
      columns,
      preview: rows
        .slice(0, CSV_PREVIEW_ROWS)
        .map((cells, i) => ({ rowNumber: rowNumbers[i] ?? 0, cells })),
      delimiter,
      byteLength,
    },
  };
}

function fail(problem: CsvProblem): CsvParseResult {
  return { ok: false, problems: [problem] };
}
