/**
 * Exercise checks: a goal is a tree of comparisons on a sandbox's flattened state, such as
 * `validation.rocAuc >= 0.92` or `confusion.falsePositiveRate <= $maxFpr`, combined with `all`
 * and `any`. This module parses them, evaluates them and describes them in plain words.
 *
 * It has no zod and no DOM: the page grades live with it, the build validates exercise files
 * with {@link tryParseCheck}, and receipt replay re-grades with {@link evaluateGoal}, so a check
 * means the same thing everywhere.
 *
 * Grammar of one check: `<path> <operator> <operand>`, where
 * - `<path>` is a dotted name of the state (`validation.recall`, `settings.model`);
 * - `<operator>` is one of `>=`, `<=`, `>`, `<`, `==`, `!=` (the first four compare numbers);
 * - `<operand>` is a number (`0.92`, `-1`, `1e-3`), a quoted string (`'logistic'` or
 *   `"logistic"`), `true` / `false`, a variant parameter (`$target`) or another path.
 */
import type { FlatState } from './receipt-schema';

/** The comparison operators a check may use, longest first so that parsing is greedy. */
export const CHECK_OPERATORS = ['>=', '<=', '==', '!=', '>', '<'] as const;
/** One comparison operator. */
export type CheckOperator = (typeof CHECK_OPERATORS)[number];

/** The operators in the order the learner-facing messages list them. */
const OPERATORS_FOR_MESSAGES = '>=, <=, >, <, ==, !=';

/** How an operator is written for a learner. */
const OPERATOR_SYMBOLS: Record<CheckOperator, string> = {
  '>=': '≥',
  '<=': '≤',
  '>': '>',
  '<': '<',
  '==': '=',
  '!=': '≠',
};

/** The right-hand side of a check. */
export type CheckOperand =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'param'; name: string }
  | { kind: 'path'; path: string };

/** A parsed check: `path operator operand`, plus the text it came from. */
export interface ParsedCheck {
  /** The check as written in the exercise file, trimmed. */
  source: string;
  /** The state path on the left. */
  path: string;
  /** The comparison. */
  operator: CheckOperator;
  /** The value, parameter or path on the right. */
  operand: CheckOperand;
}

/** One node of a goal: a check string, a labelled check, or a group that needs all / any. */
export type GoalNode =
  | string
  | { check: string; label?: string | undefined }
  | { all: GoalNode[]; label?: string | undefined }
  | { any: GoalNode[]; label?: string | undefined };

/** A value read from the state or written in a check. */
export type CheckValue = number | string | boolean | null;

/** The outcome of one check. */
export interface CheckResult {
  kind: 'check';
  /** The check as written. */
  check: string;
  /** Plain words for the learner: the node's label, or e.g. `ROC AUC (validation) ≥ 0.92`. */
  label: string;
  /** Whether the check holds. */
  passed: boolean;
  /** The state's value at the path; null when missing or undefined. */
  actual: CheckValue;
  /** The value compared against (parameters and paths resolved); null when unresolvable. */
  expected: CheckValue;
  /** One sentence on why it passed or failed, e.g. `0.871 is below 0.92`. */
  reason: string;
}

/** The outcome of an `all` or `any` group. */
export interface GroupResult {
  kind: 'all' | 'any';
  /** The node's label, or `All of these` / `At least one of these`. */
  label: string;
  /** all: every child passed; any: at least one did. */
  passed: boolean;
  /** The children's outcomes, in order. */
  children: GoalResult[];
  /** One sentence, e.g. `2 of 3 passed; all are needed`. */
  reason: string;
}

/** The outcome of one goal node. */
export type GoalResult = CheckResult | GroupResult;

/** The outcome of a whole goal: overall verdict, the tree, and its checks as a flat list. */
export interface GoalEvaluation {
  /** Whether the goal as a whole holds. */
  passed: boolean;
  /** 1 when the goal holds, else the share of its checks that pass (0–1), for progress. */
  score: number;
  /** The result tree, mirroring the goal's all / any structure. */
  root: GoalResult;
  /** Every check in the tree, depth first, for a simple checklist. */
  results: CheckResult[];
}

/** A check string that does not follow the grammar; the message names the check. */
export class CheckSyntaxError extends Error {
  /** The offending check text. */
  readonly check: string;
  /** The problem alone, without the check text (for messages that name the check elsewhere). */
  readonly problem: string;
  constructor(check: string, problem: string) {
    super(`${problem} in check "${check}"`);
    this.name = 'CheckSyntaxError';
    this.check = check;
    this.problem = problem;
  }
}

const PATH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;
const PARAM_PATTERN = /^\$([A-Za-z][A-Za-z0-9_]*)$/;
const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ORDERING: ReadonlySet<CheckOperator> = new Set(['>=', '<=', '>', '<']);

function parseOperand(source: string, text: string, operator: CheckOperator): CheckOperand {
  if (text.length === 0) {
    throw new CheckSyntaxError(
      source,
      `nothing after "${operator}" — expected a number, a quoted string, true/false, a $parameter or a path`,
    );
  }
  if (NUMBER_PATTERN.test(text)) return { kind: 'number', value: Number(text) };
  const quote = text[0];
  if (quote === "'" || quote === '"') {
    if (text.length < 2 || text[text.length - 1] !== quote || text.slice(1, -1).includes(quote)) {
      throw new CheckSyntaxError(source, `unterminated string ${text} — close it with ${quote}`);
    }
    return { kind: 'string', value: text.slice(1, -1) };
  }
  if (text === 'true' || text === 'false') return { kind: 'boolean', value: text === 'true' };
  const param = PARAM_PATTERN.exec(text);
  if (param?.[1] !== undefined) return { kind: 'param', name: param[1] };
  if (PATH_PATTERN.test(text)) return { kind: 'path', path: text };
  throw new CheckSyntaxError(
    source,
    `cannot read the value "${text}" — expected a number, a quoted string, true/false, a $parameter or a path`,
  );
}

/**
 * Parses one check string. Throws {@link CheckSyntaxError} with a plain message naming the
 * check, e.g. `unknown operator "=>" in check "validation.rocAuc => 0.9" — expected one of
 * >=, <=, >, <, ==, !=`.
 */
export function parseCheck(text: string): ParsedCheck {
  const source = text.trim();
  if (source.length === 0) {
    throw new CheckSyntaxError(source, 'empty check — expected "<path> <operator> <value>"');
  }
  const head = /^([^\s<>=!]+)\s*/.exec(source);
  const path = head?.[1] ?? '';
  if (!PATH_PATTERN.test(path)) {
    throw new CheckSyntaxError(
      source,
      `"${path}" is not a state path — expected dotted names such as validation.rocAuc on the left`,
    );
  }
  const rest = source.slice(head?.[0].length ?? 0);
  const operatorText = /^[<>=!]+/.exec(rest)?.[0] ?? '';
  if (operatorText.length === 0) {
    throw new CheckSyntaxError(
      source,
      `no operator after "${path}" — expected one of ${OPERATORS_FOR_MESSAGES}`,
    );
  }
  const operator = CHECK_OPERATORS.find((op) => op === operatorText);
  if (operator === undefined) {
    throw new CheckSyntaxError(
      source,
      `unknown operator "${operatorText}" — expected one of ${OPERATORS_FOR_MESSAGES}`,
    );
  }
  const operand = parseOperand(source, rest.slice(operatorText.length).trim(), operator);
  if (ORDERING.has(operator) && (operand.kind === 'string' || operand.kind === 'boolean')) {
    throw new CheckSyntaxError(
      source,
      `"${operator}" compares numbers, not ${operand.kind}s — use == or != for text and true/false`,
    );
  }
  return { source, path, operator, operand };
}

/** {@link parseCheck} without throwing: the parsed check, or the problem in plain words. */
export function tryParseCheck(
  text: string,
): { ok: true; check: ParsedCheck } | { ok: false; problem: string } {
  try {
    return { ok: true, check: parseCheck(text) };
  } catch (error) {
    if (error instanceof CheckSyntaxError) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** Every check string in a goal tree, depth first, with its location (`all[1]`, `any[0].check`). */
export function goalChecks(goal: GoalNode, at = ''): { check: string; at: string }[] {
  if (typeof goal === 'string') return [{ check: goal, at }];
  if ('check' in goal) return [{ check: goal.check, at: `${at}.check`.replace(/^\./, '') }];
  const key = 'all' in goal ? 'all' : 'any';
  const children = 'all' in goal ? goal.all : goal.any;
  return children.flatMap((child, index) =>
    goalChecks(child, `${at}.${key}[${index}]`.replace(/^\./, '')),
  );
}

const SPLIT_WORDS: Record<string, string> = {
  validation: 'validation',
  test: 'test',
  confusion: 'validation, threshold 0.5',
};

const METRIC_WORDS: Record<string, string> = {
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1 score',
  rocAuc: 'ROC AUC',
  prAuc: 'PR AUC',
  logLoss: 'Log loss',
  falsePositiveRate: 'False-positive rate',
  positives: 'Fraud cases',
  rows: 'Rows',
  truePositives: 'Frauds caught',
  falsePositives: 'False alarms',
  trueNegatives: 'Legitimate payments passed',
  falseNegatives: 'Frauds missed',
};

const OTHER_PATH_WORDS: Record<string, string> = {
  'settings.model': 'Model',
  'settings.hiddenSizes': 'Hidden layers',
  'settings.learningRate': 'Learning rate',
  'settings.epochs': 'Epochs',
  'settings.batchSize': 'Batch size',
  'settings.classWeighting': 'Class weighting',
  'settings.seed': 'Seed',
  'settings.rows': 'Transactions',
  'settings.fraudRatePercent': 'Fraud rate (%)',
  'settings.backend': 'Backend setting',
  'run.status': 'Run status',
  'run.epochs': 'Epochs completed',
  'run.backend': 'Backend used',
};

/**
 * A state path in plain words: `validation.rocAuc` → `ROC AUC (validation)`,
 * `confusion.falsePositives` → `False alarms (validation, threshold 0.5)`, `settings.model` →
 * `Model`. Unknown paths are returned as written.
 */
export function describePath(path: string): string {
  const known = OTHER_PATH_WORDS[path];
  if (known !== undefined) return known;
  const dot = path.indexOf('.');
  const split = SPLIT_WORDS[path.slice(0, dot)];
  const metric = METRIC_WORDS[path.slice(dot + 1)];
  if (dot > 0 && split !== undefined && metric !== undefined) return `${metric} (${split})`;
  return path;
}

/** A value as a learner reads it: numbers as written, strings bare, null as `no value`. */
export function formatValue(value: CheckValue | undefined): string {
  if (value === null || value === undefined) return 'no value';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : fourDigits(value);
  return String(value);
}

function fourDigits(value: number): string {
  return String(Number(value.toPrecision(4)));
}

function describeOperand(
  operand: CheckOperand,
  params: Readonly<Record<string, number>> | undefined,
): string {
  switch (operand.kind) {
    case 'number':
      return String(operand.value);
    case 'string':
      return operand.value;
    case 'boolean':
      return String(operand.value);
    case 'param': {
      const value = params?.[operand.name];
      return value === undefined ? `$${operand.name}` : String(value);
    }
    case 'path':
      return describePath(operand.path);
  }
}

/**
 * A check in plain words: `validation.rocAuc >= $target` with target 0.92 →
 * `ROC AUC (validation) ≥ 0.92`. Without params, a parameter stays `$target`.
 */
export function describeCheck(
  check: ParsedCheck | string,
  params?: Readonly<Record<string, number>>,
): string {
  const parsed = typeof check === 'string' ? parseCheck(check) : check;
  return `${describePath(parsed.path)} ${OPERATOR_SYMBOLS[parsed.operator]} ${describeOperand(parsed.operand, params)}`;
}

function compare(
  actual: number | string | boolean,
  operator: CheckOperator,
  expected: number | string | boolean,
): boolean {
  switch (operator) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>=':
      return (actual as number) >= (expected as number);
    case '<=':
      return (actual as number) <= (expected as number);
    case '>':
      return (actual as number) > (expected as number);
    case '<':
      return (actual as number) < (expected as number);
  }
}

const FAILURE_WORDS: Record<CheckOperator, string> = {
  '>=': 'is below',
  '>': 'is not above',
  '<=': 'is above',
  '<': 'is not below',
  '==': 'is not',
  '!=': 'is',
};

const SUCCESS_WORDS: Record<CheckOperator, string> = {
  '>=': 'meets',
  '>': 'is above',
  '<=': 'is within',
  '<': 'is below',
  '==': 'is',
  '!=': 'is not',
};

/**
 * Evaluates one check on a state. A missing path, a null value (an undefined metric), an
 * unknown parameter or a type mismatch (a number compared with text) makes it fail, with the
 * reason in plain words; it never throws on a well-formed check.
 */
export function evaluateCheck(
  check: ParsedCheck | string,
  state: Readonly<FlatState>,
  params: Readonly<Record<string, number>> = {},
  label?: string,
): CheckResult {
  const parsed = typeof check === 'string' ? parseCheck(check) : check;
  const name = describePath(parsed.path);
  const result = (
    passed: boolean,
    actual: CheckValue,
    expected: CheckValue,
    reason: string,
  ): CheckResult => ({
    kind: 'check',
    check: parsed.source,
    label: label ?? describeCheck(parsed, params),
    passed,
    actual,
    expected,
    reason,
  });

  let expected: CheckValue;
  const { operand } = parsed;
  if (operand.kind === 'param') {
    const value = params[operand.name];
    if (value === undefined) {
      return result(
        false,
        state[parsed.path] ?? null,
        null,
        `Unknown variant parameter $${operand.name}.`,
      );
    }
    expected = value;
  } else if (operand.kind === 'path') {
    const value = state[operand.path];
    if (value === undefined || value === null) {
      return result(
        false,
        state[parsed.path] ?? null,
        null,
        `${describePath(operand.path)} has no value yet — run the sandbox first.`,
      );
    }
    expected = value;
  } else {
    expected = operand.value;
  }

  const actual = state[parsed.path];
  if (actual === undefined) {
    return result(false, null, expected, `${name} has no value yet — run the sandbox first.`);
  }
  if (actual === null) {
    return result(false, null, expected, `${name} is undefined for this run.`);
  }
  if (
    ORDERING.has(parsed.operator) &&
    (typeof actual !== 'number' || typeof expected !== 'number')
  ) {
    return result(
      false,
      actual,
      expected,
      `${name} is ${formatValue(actual)}, which cannot be compared as a number with ${formatValue(expected)}.`,
    );
  }
  const passed = compare(actual, parsed.operator, expected);
  const words = passed ? SUCCESS_WORDS[parsed.operator] : FAILURE_WORDS[parsed.operator];
  const reason =
    parsed.operator === '==' || parsed.operator === '!='
      ? `${name} ${words} ${formatValue(expected)}${!passed && parsed.operator === '==' ? ` (it is ${formatValue(actual)})` : ''}.`
      : `${name} is ${formatValue(actual)}, which ${words} ${passed ? 'the target of ' : ''}${formatValue(expected)}.`;
  return result(passed, actual, expected, reason);
}

function evaluateNode(
  node: GoalNode,
  state: Readonly<FlatState>,
  params: Readonly<Record<string, number>>,
  checks: CheckResult[],
): GoalResult {
  if (typeof node === 'string') {
    const outcome = evaluateCheck(node, state, params);
    checks.push(outcome);
    return outcome;
  }
  if ('check' in node) {
    const outcome = evaluateCheck(node.check, state, params, node.label);
    checks.push(outcome);
    return outcome;
  }
  const kind = 'all' in node ? 'all' : 'any';
  const nodes = 'all' in node ? node.all : node.any;
  const children = nodes.map((child) => evaluateNode(child, state, params, checks));
  const passedCount = children.filter((child) => child.passed).length;
  const passed = kind === 'all' ? passedCount === children.length : passedCount > 0;
  const need = kind === 'all' ? 'all are needed' : 'one is enough';
  return {
    kind,
    label: node.label ?? (kind === 'all' ? 'All of these' : 'At least one of these'),
    passed,
    children,
    reason: `${passedCount} of ${children.length} passed; ${need}.`,
  };
}

/**
 * Evaluates a goal tree on a state with the variant's parameters: `all` passes when every child
 * passes, `any` when at least one does. Returns the verdict, a score (1 when passed, else the
 * share of checks passing), the result tree and its checks as a flat list.
 */
export function evaluateGoal(
  goal: GoalNode,
  state: Readonly<FlatState>,
  params: Readonly<Record<string, number>> = {},
): GoalEvaluation {
  const results: CheckResult[] = [];
  const root = evaluateNode(goal, state, params, results);
  const passedCount = results.filter((result) => result.passed).length;
  const score = root.passed ? 1 : results.length === 0 ? 0 : passedCount / results.length;
  return { passed: root.passed, score, root, results };
}

/** One line of an exercise's checklist: a check, or a group shown as one item. */
export interface ChecklistLine {
  /** Plain words for the learner. */
  label: string;
  /** Whether this line holds (a group: by its all / any rule). */
  passed: boolean;
  /** A check: the state's value now; a group: how many of its parts pass, e.g. `1 of 3`. */
  actual: CheckValue;
  /** Why it passes or fails, in one sentence. */
  reason: string;
}

/**
 * The checklist a learner reads: the top-level parts of the goal, one line each. A group inside
 * the top level (for example "any of these three") is one line with its label and its own
 * verdict, so alternatives that are not taken do not show as failures.
 */
export function goalChecklist(evaluation: GoalEvaluation): ChecklistLine[] {
  const line = (result: GoalResult): ChecklistLine =>
    result.kind === 'check'
      ? { label: result.label, passed: result.passed, actual: result.actual, reason: result.reason }
      : {
          label: result.label,
          passed: result.passed,
          actual: `${result.children.filter((child) => child.passed).length} of ${result.children.length}`,
          reason: result.reason,
        };
  const { root } = evaluation;
  return root.kind === 'all' ? root.children.map(line) : [line(root)];
}
