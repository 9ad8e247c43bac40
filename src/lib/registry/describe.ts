/**
 * A run record in the words of the registry's table: what data it ran on, which model, and its
 * headline metrics. Pure functions of the record, so the table and its tests agree.
 */
import { formatBytes } from './store';
import type { RunRecord } from './record';

/** The metrics the registry's table shows, in order, with their labels. */
export const HEADLINE_METRICS: readonly { path: string; label: string }[] = [
  { path: 'validation.rocAuc', label: 'ROC AUC' },
  { path: 'validation.recall', label: 'Recall' },
  { path: 'validation.precision', label: 'Precision' },
  { path: 'validation.accuracy', label: 'Accuracy' },
];

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The data a run used: for generated data, the generator's parameters and seed (the training
 * sandbox's `20,000 rows, 1% fraud, seed 1`); for an upload, the file name, size and the first
 * 12 hex digits of its SHA-256, which is what identifies it.
 */
export function describeRunData(record: RunRecord): string {
  const data = record.dataVersion;
  if (data.kind === 'upload') {
    return `${data.fileName} (${formatBytes(data.bytes)}, SHA-256 ${data.sha256.slice(0, 12)}…)`;
  }
  const { rows, fraudRatePercent } = data.params;
  if (typeof rows === 'number' && typeof fraudRatePercent === 'number') {
    return `synthetic, ${count(rows)} rows, ${fraudRatePercent}% fraud, seed ${data.seed}`;
  }
  return `${data.generator}, seed ${data.seed}`;
}

/** The model of a run: `mlp 8→32→16→1 (833 weights)`, or `no model` for a simulation. */
export function describeRunModel(record: RunRecord): string {
  const model = record.model;
  if (model === null) return 'no model';
  const first = model.layers[0];
  const sizes = first ? [first.inputSize, ...model.layers.map((layer) => layer.outputSize)] : [];
  return `${model.family} ${sizes.join('→')} (${count(model.parameters)} weights)`;
}

/**
 * A metric as the table shows it: counts as whole numbers (`2,980`), other numbers with three
 * decimals, `—` when the run has no such number.
 */
export function formatMetric(value: RunRecord['metrics'][string] | undefined): string {
  if (typeof value === 'number') return Number.isInteger(value) ? count(value) : value.toFixed(3);
  if (value === undefined || value === null) return '—';
  return String(value);
}

/** The run's time as `2026-11-27 18:04` (UTC, so two machines show the same text). */
export function formatRunTime(record: RunRecord): string {
  return `${record.createdAt.slice(0, 10)} ${record.createdAt.slice(11, 16)} UTC`;
}
