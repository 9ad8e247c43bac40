/**
 * A side-by-side comparison of two run records: which settings changed, were added or removed;
 * how each metric moved (delta = after − before, its direction, and whether that is better when
 * the metric has a known good direction); and whether the two runs share data, backend, app
 * version and model. Pure and synchronous.
 */
import type { FlatState } from '../exercises/receipt-schema';
import { canonicalJson } from '../exercises/receipts';
import { dataVersionKey, type RunRecord, type RunSettings } from './record';

/** How one setting differs between two runs. */
export interface SettingDiff {
  name: string;
  status: 'same' | 'changed' | 'added' | 'removed';
  /** The value in the first run (undefined when added). */
  before: RunSettings[string] | undefined;
  /** The value in the second run (undefined when removed). */
  after: RunSettings[string] | undefined;
}

/** How one metric moved between two runs. */
export interface MetricDiff {
  path: string;
  before: FlatState[string] | undefined;
  after: FlatState[string] | undefined;
  /** after − before, when both are numbers; else null. */
  delta: number | null;
  /** up / down / same for two numbers; `changed` or `same` for other values; `missing` when one lacks it. */
  direction: 'up' | 'down' | 'same' | 'changed' | 'missing';
  /** Whether the move is an improvement, for metrics with a known good direction; else null. */
  better: boolean | null;
}

/** The comparison of two runs. */
export interface RunDiff {
  beforeId: string;
  afterId: string;
  /** Every setting of either run (plus `seed` and `model.layers`), sorted by name. */
  settings: SettingDiff[];
  /** Only the settings that differ. */
  changedSettings: SettingDiff[];
  /** Every metric of either run, sorted by path. */
  metrics: MetricDiff[];
  sameDataVersion: boolean;
  sameBackend: boolean;
  sameAppVersion: boolean;
  sameModel: boolean;
}

/** Metric names (the last part of a path) where lower is better; every other rate/score is higher-better. */
const LOWER_IS_BETTER = new Set([
  'logLoss',
  'falsePositiveRate',
  'falsePositives',
  'falseNegatives',
  'loss',
]);
/** Metric names where higher is better. */
const HIGHER_IS_BETTER = new Set([
  'accuracy',
  'precision',
  'recall',
  'f1',
  'rocAuc',
  'prAuc',
  'truePositives',
  'trueNegatives',
]);

/**
 * The good direction of a metric, judged by the last part of its path: `lower` for losses and
 * error counts/rates, `higher` for accuracy, precision, recall, F1 and the AUCs, else null.
 */
export function goodDirection(path: string): 'higher' | 'lower' | null {
  const name = path.slice(path.lastIndexOf('.') + 1);
  if (LOWER_IS_BETTER.has(name)) return 'lower';
  if (HIGHER_IS_BETTER.has(name)) return 'higher';
  return null;
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

function settingsOf(record: RunRecord): RunSettings {
  const settings: RunSettings = { ...record.settings };
  if (!('seed' in settings)) settings['seed'] = record.seed;
  settings['model.layers'] =
    record.model === null
      ? null
      : [record.model.layers[0]?.inputSize ?? 0, ...record.model.layers.map((l) => l.outputSize)];
  return settings;
}

/** Compares two records, `before` on the left and `after` on the right. */
export function diffRuns(before: RunRecord, after: RunRecord): RunDiff {
  const a = settingsOf(before);
  const b = settingsOf(after);
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const settings: SettingDiff[] = names.map((name) => {
    const inA = Object.hasOwn(a, name);
    const inB = Object.hasOwn(b, name);
    const status = !inA
      ? 'added'
      : !inB
        ? 'removed'
        : sameValue(a[name], b[name])
          ? 'same'
          : 'changed';
    return { name, status, before: a[name], after: b[name] };
  });

  const paths = [
    ...new Set([...Object.keys(before.metrics), ...Object.keys(after.metrics)]),
  ].sort();
  const metrics: MetricDiff[] = paths.map((path) => {
    const x = before.metrics[path];
    const y = after.metrics[path];
    if (x === undefined || y === undefined) {
      return { path, before: x, after: y, delta: null, direction: 'missing', better: null };
    }
    if (typeof x === 'number' && typeof y === 'number') {
      const delta = y - x;
      const direction = delta > 0 ? 'up' : delta < 0 ? 'down' : 'same';
      const good = goodDirection(path);
      const better =
        good === null || direction === 'same' ? null : (direction === 'up') === (good === 'higher');
      return { path, before: x, after: y, delta, direction, better };
    }
    return {
      path,
      before: x,
      after: y,
      delta: null,
      direction: x === y ? 'same' : 'changed',
      better: null,
    };
  });

  return {
    beforeId: before.id,
    afterId: after.id,
    settings,
    changedSettings: settings.filter((s) => s.status !== 'same'),
    metrics,
    sameDataVersion: dataVersionKey(before.dataVersion) === dataVersionKey(after.dataVersion),
    sameBackend: before.backend === after.backend,
    sameAppVersion: before.appVersion === after.appVersion,
    sameModel: sameValue(before.model, after.model),
  };
}
