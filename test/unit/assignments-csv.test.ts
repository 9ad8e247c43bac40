import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { gradebookCsv, gradebookFileName } from '@lib/assignments/gradebook';
import type { CellStatus, SubmissionReport } from '@lib/assignments/verify';

const IDS = ['pilot-downside', 'smaller-shop'];

function report(
  name: string,
  code: string | null,
  statuses: CellStatus[],
  flags: string[] = [],
): SubmissionReport {
  const cells = statuses.map((status, index) => ({
    exerciseId: IDS[index] ?? `e${index}`,
    status,
    reason: status === 'flagged' ? 'The inputs do not match the receipt’s hash.' : null,
    notes: [],
    receipt: null,
  }));
  return {
    student: { name, code },
    assignmentId: 'abcd-ef01-2345',
    cells,
    flags,
    solvedCount: cells.filter((cell) => cell.status === 'verified').length,
  };
}

describe('gradebook CSV', () => {
  it('writes one row per student: name, code, a status per exercise, the solved count, notes', () => {
    const csv = gradebookCsv(IDS, [
      report('Ada Lovelace', 'group 7', ['verified', 'verified']),
      report('Bo', null, ['failed', 'missing']),
    ]);
    // Written out by hand from the column rules in gradebook.ts (RFC 4180, CRLF line ends).
    expect(csv).toBe(
      [
        'name,code,pilot-downside,smaller-shop,solved,notes',
        'Ada Lovelace,group 7,solved,solved,2,',
        'Bo,,failed,missing,0,',
      ].join('\r\n'),
    );
    expect(gradebookFileName('abcd-ef01-2345')).toBe('gradebook-abcd-ef01-2345.csv');
    expect(gradebookFileName(null)).toBe('gradebook.csv');
  });

  it('quotes commas, quotes and line breaks, and the text survives a round trip', () => {
    const names = ['Lovelace, Ada', 'Ada "the Countess" L.', 'Ada\nLovelace', ' Ada '];
    const csv = gradebookCsv(
      IDS,
      names.map((name) => report(name, 'a,b', ['verified', 'flagged'], ['Two, "quoted"'])),
    );
    expect(csv.split('\r\n')[1]).toBe(
      '"Lovelace, Ada","a,b",solved,flagged,1,"Two, ""quoted"" | smaller-shop: The inputs do not match the receipt’s hash."',
    );
    expect(csv).toContain('"Ada ""the Countess"" L."');
    expect(csv).toContain('"Ada\nLovelace"');
    const parsed = Papa.parse<string[]>(csv, { newline: '\r\n' }).data;
    expect(parsed.slice(1).map((row) => row[0])).toEqual(names);
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const hostile = ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\t=1', '=1\nx'];
    const csv = gradebookCsv(
      IDS,
      hostile.map((name) => report(name, '=cmd', ['missing', 'missing'])),
    );
    const parsed = Papa.parse<string[]>(csv, { newline: '\r\n' }).data.slice(1);
    expect(parsed.map((row) => row[0])).toEqual(hostile.map((name) => `'${name}`));
    expect(parsed.map((row) => row[1])).toEqual(hostile.map(() => "'=cmd"));
    // A number column is left as a number; an ordinary name is left alone.
    expect(parsed.map((row) => row[4])).toEqual(hostile.map(() => '0'));
    expect(gradebookCsv(IDS, [report('Zoë-Ann', null, ['missing'])]).split('\r\n')[1]).toBe(
      'Zoë-Ann,,missing,missing,0,',
    );
  });
});
