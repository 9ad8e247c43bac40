/**
 * Reads exercise files. {@link parseExerciseFile} turns one file's YAML text into an
 * {@link Exercise} or throws an Error whose message names the file, the field and what was
 * expected, e.g. `content/exercises/foo.yaml: goal.all[1]: unknown operator "=>" — expected one
 * of >=, <=, >, <, ==, !=`. It reads no files itself, so Astro can feed it the texts of
 * `import.meta.glob('/content/exercises/*.yaml', { query: '?raw', … })`; {@link loadAllExercises}
 * reads a folder with node:fs, for tests and scripts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { exerciseFieldAt, exerciseSchema, type Exercise } from './schema';

/** The exercise id a file name implies: its base name without `.yaml` / `.yml`. */
export function exerciseIdFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.ya?ml$/i, '');
}

/** A zod issue path as a reader writes it: `goal.all[1].check`, `params.seed.min`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text.length === 0 ? String(key) : `.${String(key)}`;
  }
  return text.length === 0 ? '(top level)' : text;
}

function found(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
}

function closest(key: string, candidates: readonly string[]): string | undefined {
  const lower = key.toLowerCase().replace(/[-_\s]/g, '');
  return candidates.find((candidate) => candidate.toLowerCase() === lower);
}

/** One zod issue as `<field>: <problem> — expected <what>` lines (unknown keys give one each). */
function issueLines(issue: z.core.$ZodIssue, sandbox: string): string[] {
  const input = (issue as { input?: unknown }).input;
  const field = exerciseFieldAt(issue.path, sandbox);
  const expectation = field.description ? ` — expected: ${field.description}` : '';
  const at = formatIssuePath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = field.keys ?? [];
      return issue.keys.map((key) => {
        const suggestion = closest(key, known);
        const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
        return `${formatIssuePath([...issue.path, key])}: unknown field "${key}"${hint} — expected one of ${known.join(', ')}`;
      });
    }
    case 'invalid_type':
      if (input === undefined)
        return [`${at}: missing${expectation || ` — expected ${issue.expected}`}`];
      return [`${at}: found ${found(input)}${expectation || ` — expected ${issue.expected}`}`];
    case 'invalid_value':
      return [
        `${at}: found ${found(input)} — expected one of ${issue.values.map((v) => String(v)).join(', ')}`,
      ];
    case 'invalid_union': {
      const { options, discriminator } = issue as { options?: unknown[]; discriminator?: string };
      if (Array.isArray(options)) {
        // A discriminated union reports the whole object as input; show the discriminator's value.
        const value =
          discriminator !== undefined && input !== null && typeof input === 'object'
            ? (input as Record<string, unknown>)[discriminator]
            : input;
        return [`${at}: found ${found(value)} — expected one of ${options.map(String).join(', ')}`];
      }
      return [`${at}: ${issue.message}${expectation}`];
    }
    case 'custom':
      return [`${at}: ${issue.message}`];
    default:
      return [`${at}: found ${found(input)}, ${lowerFirst(issue.message)}${expectation}`];
  }
}

function lowerFirst(text: string): string {
  return text.length > 0 ? `${text[0]?.toLowerCase()}${text.slice(1)}` : text;
}

/**
 * Parses and validates one exercise file. `fileName` is how messages name it (e.g.
 * `content/exercises/logistic-auc.yaml`); the id inside must equal its base name. Throws an
 * Error listing every problem, one per line, as `<file>: <field>: <problem> — expected <what>`.
 */
export function parseExerciseFile(fileName: string, yamlText: string): Exercise {
  const file = fileName.replace(/^\/+/, '');
  const yamlDocument = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true });
  const yamlError = yamlDocument.errors[0];
  if (yamlError) {
    const where = yamlError.linePos?.[0];
    const position = where ? `line ${where.line}, column ${where.col}` : 'unknown position';
    const firstLine = yamlError.message.split('\n')[0] ?? yamlError.message;
    throw new Error(
      `${file}: invalid YAML at ${position}: ${firstLine} — expected a YAML map of exercise fields`,
    );
  }
  const data: unknown = yamlDocument.toJS();
  if (data === null || data === undefined) {
    throw new Error(
      `${file}: the file is empty — expected a YAML map of exercise fields (id, title, lesson, …)`,
    );
  }
  const parsed = exerciseSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const record = data as Record<string, unknown>;
    const sandbox = typeof record['sandbox'] === 'string' ? record['sandbox'] : 'training';
    const lines = parsed.error.issues
      .flatMap((issue) => issueLines(issue, sandbox))
      .map((line) => `${file}: ${line}`);
    throw new Error(lines.join('\n'));
  }
  const expectedId = exerciseIdFromFileName(file);
  if (parsed.data.id !== expectedId) {
    throw new Error(
      `${file}: id: found "${parsed.data.id}" — expected "${expectedId}", the file name without .yaml`,
    );
  }
  return parsed.data;
}

/**
 * Parses many files at once (path → YAML text, as `import.meta.glob` returns them) and returns
 * the exercises sorted by id; throws one Error listing the problems of every broken file.
 */
export function parseExerciseFiles(files: Readonly<Record<string, string>>): Exercise[] {
  const exercises: Exercise[] = [];
  const problems: string[] = [];
  for (const [fileName, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    try {
      exercises.push(parseExerciseFile(fileName, text));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return exercises.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Reads every `*.yaml` / `*.yml` file of a folder with node:fs and parses them with
 * {@link parseExerciseFiles}; files are named relative to the working directory when inside it.
 */
export function loadAllExercises(dir: string): Exercise[] {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n))) {
    const full = join(dir, name);
    const shown = relative(process.cwd(), full);
    const display = shown.startsWith('..') ? full : shown;
    files[display.split(sep).join('/')] = readFileSync(full, 'utf8');
  }
  return parseExerciseFiles(files);
}
