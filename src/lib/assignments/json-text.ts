/**
 * Helpers for reading JSON that a person pasted or chose as a file: base64url (for links), a
 * check for JSON that was cut off, and a guess at what a foreign JSON file is. No DOM, no zod.
 */

/**
 * The bytes of `text` (UTF-8) as base64url (RFC 4648 §5: `-` and `_` instead of `+` and `/`,
 * no `=` padding), so the result can sit in a URL fragment without escaping.
 */
export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Why {@link fromBase64Url} could not decode. */
export type Base64Problem = 'bad-characters' | 'cut-off' | 'not-utf8';

/**
 * Decodes base64url (padding optional) to UTF-8 text. Never throws: a character outside the
 * alphabet gives `bad-characters`, a length of 4k + 1 (impossible for base64, so a cut-off link)
 * gives `cut-off`, and bytes that are not UTF-8 give `not-utf8`.
 */
export function fromBase64Url(
  encoded: string,
): { ok: true; text: string } | { ok: false; problem: Base64Problem } {
  const body = encoded.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(body)) return { ok: false, problem: 'bad-characters' };
  if (body.length % 4 === 1) return { ok: false, problem: 'cut-off' };
  const padded =
    body.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (body.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    return { ok: false, problem: 'bad-characters' };
  }
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: 'not-utf8' };
  }
}

/**
 * Whether text that JSON.parse refused looks like JSON that was cut off: it opens with `{` or
 * `[`, and scanning it (strings and escapes honoured) ends inside a string or with brackets still
 * open, with no closing bracket that does not match. Engine-independent, unlike error messages.
 */
export function looksCutOff(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return false;
  const open: string[] = [];
  let inString = false;
  let escaped = false;
  for (const char of trimmed) {
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') open.push(char === '{' ? '}' : ']');
    else if (char === '}' || char === ']') {
      if (open.pop() !== char) return false;
      if (open.length === 0) return false;
    }
  }
  return inString || open.length > 0;
}

/**
 * Most levels of nesting accepted in a file a person chooses (a progress export or a submission
 * holds about 7: file → receipts → receipt → inputs → list → value). Deeper JSON is refused
 * before anything walks it recursively (hashing, merging, saving), where it would overflow the
 * call stack.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a parsed JSON value nests objects and lists more than `limit` levels deep (a scalar is
 * 0 levels, `[1]` one, `{"a":[1]}` two). Walks with an explicit stack, so any depth is safe.
 */
export function jsonDepthExceeds(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) pending.push([child, depth + 1]);
  }
  return false;
}

/** Shortens a value for a message: at most 60 characters, quoted as JSON. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/**
 * A plain-words guess at what a parsed JSON value is, for refusing a file that is not what was
 * asked for: one of this course's own files (by its `format`), a list, a single value, a
 * package file, or some other JSON.
 */
export function describeJsonValue(value: unknown): string {
  if (Array.isArray(value)) return 'a JSON list';
  if (value === null || typeof value !== 'object') return 'a single JSON value';
  const record = value as Record<string, unknown>;
  switch (record['format']) {
    case 'mlsdl-receipt':
      return 'the receipt of one exercise submission';
    case 'mlsdl-progress':
      return 'a progress export (from the progress page)';
    case 'mlsdl-assignment':
      return 'an assignment file';
    case 'mlsdl-submission':
      return 'a submission file';
    default:
      break;
  }
  if (typeof record['format'] === 'string') return `a file of format ${quoted(record['format'])}`;
  if (typeof record['version'] === 'number' && ('lessons' in record || 'seenLessons' in record)) {
    return 'the progress a browser keeps for this course';
  }
  if (typeof record['name'] === 'string' && typeof record['version'] === 'string') {
    return 'a package or project file';
  }
  return 'a JSON object that is not from this course';
}
