import { describe, expect, it } from 'vitest';
import {
  assignmentFileName,
  assignmentFileText,
  assignmentFragment,
  assignmentId,
  createAssignment,
  MAX_ASSIGNMENT_CHARS,
  readAssignmentFile,
  readAssignmentFragment,
  type Assignment,
} from '@lib/assignments/assignment';
import { fromBase64Url, looksCutOff, toBase64Url } from '@lib/assignments/json-text';
import { canonicalJson, sha256Hex } from '@lib/exercises/receipts';
import { knownIds } from './assignments-fixtures';

const draft = {
  title: '  Week 5:  realistic returns ',
  due: 'Friday, 17:00',
  exerciseIds: ['pilot-downside', 'smaller-shop'],
  variants: true,
};

async function made(): Promise<{ assignment: Assignment; id: string }> {
  const read = await createAssignment(draft, knownIds);
  if (!read.ok) throw new Error(read.reason);
  return read;
}

async function reasonOfFragment(fragment: string): Promise<string> {
  const read = await readAssignmentFragment(fragment, knownIds);
  if (read.ok) throw new Error('expected a refusal');
  return read.reason;
}

describe('base64url and cut-off detection', () => {
  it('round-trips any text, including non-ASCII, without + / or =', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'Größe ≤ 5 € 🙂', '{"a":"~~~???>>>"}']) {
      const encoded = toBase64Url(text);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromBase64Url(encoded)).toEqual({ ok: true, text });
    }
    // "???>>>" is "Pz8_Pj4-" in base64url (RFC 4648 §5 alphabet; "Pz8/Pj4+" in plain base64).
    expect(toBase64Url('???>>>')).toBe('Pz8_Pj4-');
  });

  it('names the problem of bad base64url', () => {
    expect(fromBase64Url('ab$c')).toEqual({ ok: false, problem: 'bad-characters' });
    expect(fromBase64Url('abcde')).toEqual({ ok: false, problem: 'cut-off' });
    // 0xff 0xfe is not UTF-8.
    expect(fromBase64Url('__4')).toEqual({ ok: false, problem: 'not-utf8' });
  });

  it('tells JSON that was cut off from JSON that is wrong', () => {
    expect(looksCutOff('{"a": [1, 2')).toBe(true);
    expect(looksCutOff('{"a": "text with } and ] inside')).toBe(true);
    expect(looksCutOff('{"a": 1}}')).toBe(false);
    expect(looksCutOff('{"a": 1]')).toBe(false);
    expect(looksCutOff('hello')).toBe(false);
  });
});

describe('assignments', () => {
  it('normalises a draft and gives it a short id, the hash of its canonical JSON', async () => {
    const { assignment, id } = await made();
    expect(assignment).toEqual({
      format: 'mlsdl-assignment',
      version: 1,
      title: 'Week 5: realistic returns',
      due: 'Friday, 17:00',
      exerciseIds: ['pilot-downside', 'smaller-shop'],
      variants: true,
    });
    // The id is the first 12 hex digits of SHA-256 over the canonical JSON, grouped by four.
    const hex = await sha256Hex(canonicalJson(assignment));
    expect(id).toBe(`${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`);
    expect(id).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
    // Anything that differs gives another id: the order of exercises, variants, the title.
    const reordered = { ...assignment, exerciseIds: ['smaller-shop', 'pilot-downside'] };
    expect(await assignmentId(reordered)).not.toBe(id);
    expect(await assignmentId({ ...assignment, variants: false })).not.toBe(id);
    expect(await assignmentId({ ...assignment, title: 'Week 6' })).not.toBe(id);
  });

  it('refuses drafts outside the limits', async () => {
    const reason = async (changes: Partial<typeof draft>): Promise<string> => {
      const read = await createAssignment({ ...draft, ...changes }, knownIds);
      return read.ok ? 'accepted' : read.reason;
    };
    expect(await reason({ title: '   ' })).toMatch(/Give the assignment a title/);
    expect(await reason({ title: 'x'.repeat(201) })).toMatch(/title is too long/);
    expect(await reason({ title: 'x'.repeat(200) })).toBe('accepted');
    expect(await reason({ exerciseIds: [] })).toMatch(/at least one exercise/);
    // 30 exercises at most (the course has fewer, so the limit is checked without known ids).
    const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `exercise-${i}`);
    const unchecked = async (n: number): Promise<string> => {
      const read = await createAssignment({ ...draft, exerciseIds: ids(n) });
      return read.ok ? 'accepted' : read.reason;
    };
    expect(await unchecked(30)).toBe('accepted');
    expect(await unchecked(31)).toMatch(/exerciseIds is too long/);
    expect(await reason({ exerciseIds: ['pilot-downside', 'no-such-exercise'] })).toMatch(
      /does not have: "no-such-exercise"/,
    );
  });

  it('round-trips through a link fragment and a file', async () => {
    const { assignment, id } = await made();
    const fragment = assignmentFragment(assignment);
    expect(fragment).toMatch(/^#a=[A-Za-z0-9_-]+$/);
    expect(await readAssignmentFragment(fragment, knownIds)).toEqual({ ok: true, assignment, id });
    // A whole URL works too, and so does a fragment without '#'.
    const url = `http://127.0.0.1:4321/instructors/assignment/${fragment}`;
    expect(await readAssignmentFragment(url, knownIds)).toEqual({ ok: true, assignment, id });
    expect(await readAssignmentFragment(fragment.slice(1), knownIds)).toEqual({
      ok: true,
      assignment,
      id,
    });
    const file = assignmentFileText(assignment);
    expect(JSON.parse(file)).toEqual(assignment);
    expect(await readAssignmentFile(file, knownIds)).toEqual({ ok: true, assignment, id });
    expect(assignmentFileName(assignment, id)).toBe(
      `assignment-week-5-realistic-returns-${id}.json`,
    );
  });

  it('refuses bad, hostile and truncated links with a reason', async () => {
    const { assignment } = await made();
    const fragment = assignmentFragment(assignment);
    expect(await reasonOfFragment('')).toMatch(/holds no assignment/);
    expect(await reasonOfFragment('#b=abc')).toMatch(/holds no assignment/);
    expect(await reasonOfFragment('#a=')).toMatch(/empty/);
    expect(await reasonOfFragment('#a=<script>')).toMatch(/characters that cannot be/);
    expect(await reasonOfFragment(`#a=${'A'.repeat(MAX_ASSIGNMENT_CHARS)}`)).toMatch(
      /too long to be an assignment/,
    );
    // Cut anywhere, the link is refused; cut well inside the JSON, it says so.
    for (const keep of [10, 40, fragment.length - 20, fragment.length - 3]) {
      const reason = await reasonOfFragment(fragment.slice(0, keep));
      expect(reason, `cut at ${keep}`).toMatch(/cut off|damaged/);
    }
    expect(await reasonOfFragment(fragment.slice(0, 40))).toMatch(/cut off/);
    // Valid base64url of something that is not an assignment.
    expect(await reasonOfFragment(`#a=${toBase64Url('not json')}`)).toMatch(/does not hold JSON/);
    expect(await reasonOfFragment(`#a=${toBase64Url('[1,2]')}`)).toMatch(
      /a JSON list, not an assignment/,
    );
    const receiptLike = toBase64Url('{"format":"mlsdl-receipt","version":1}');
    expect(await reasonOfFragment(`#a=${receiptLike}`)).toMatch(
      /receipt of one exercise submission, not an assignment/,
    );
    // Hostile contents: an extra field, a prototype key, a huge number of exercises, HTML in ids.
    const encode = (value: unknown): string => `#a=${toBase64Url(JSON.stringify(value))}`;
    expect(await reasonOfFragment(encode({ ...assignment, __proto__x: 1 }))).toMatch(
      /fields this version does not know: __proto__x/,
    );
    expect(
      await reasonOfFragment(
        `#a=${toBase64Url(JSON.stringify(assignment).replace('{', '{"__proto__":{"x":1},'))}`,
      ),
    ).toMatch(/does not know: __proto__/);
    expect(
      await reasonOfFragment(
        encode({ ...assignment, exerciseIds: Array.from({ length: 31 }, (_, i) => `e${i}`) }),
      ),
    ).toMatch(/exerciseIds is too long/);
    expect(
      await reasonOfFragment(encode({ ...assignment, exerciseIds: ['<img src=x onerror=1>'] })),
    ).toMatch(/exerciseIds\.0 is not in the expected format/);
    expect(
      await reasonOfFragment(
        encode({ ...assignment, exerciseIds: ['smaller-shop', 'smaller-shop'] }),
      ),
    ).toMatch(/lists exercise "smaller-shop" twice/);
    expect(await reasonOfFragment(encode({ ...assignment, variants: 'yes' }))).toMatch(
      /variants should be a boolean/,
    );
    expect(await reasonOfFragment(encode({ ...assignment, version: 2 }))).toMatch(
      /newer version of the course/,
    );
    expect(
      await reasonOfFragment(encode({ ...assignment, exerciseIds: ['pilot-downside', 'gone'] })),
    ).toMatch(/does not have: "gone"/);
  });

  it('refuses bad files with a reason', async () => {
    const { assignment } = await made();
    const reason = async (text: string): Promise<string> => {
      const read = await readAssignmentFile(text, knownIds);
      return read.ok ? 'accepted' : read.reason;
    };
    const text = assignmentFileText(assignment);
    expect(await reason('')).toMatch(/empty/);
    expect(await reason(text.slice(0, 50))).toMatch(/looks cut off/);
    expect(await reason('hello')).toMatch(/not JSON/);
    expect(await reason(`\uFEFF${text}`)).toBe('accepted');
    expect(await reason(' '.repeat(MAX_ASSIGNMENT_CHARS + 1))).toMatch(/empty|too large/);
    expect(await reason(`${text}${' '.repeat(MAX_ASSIGNMENT_CHARS)}`)).toMatch(/too large/);
    expect(await reason('{"format":"mlsdl-progress","version":2}')).toMatch(/progress export/);
  });
});
