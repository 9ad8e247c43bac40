/**
 * Words and number formats shared by the drift-monitor sandbox's parts.
 */
import type { MonitorFamily } from '../../../src/lib/drift/faults';
import type { FamilyStatus } from '../../../src/lib/drift/monitor-lab';

/** Short names of the monitor families, for tables and the status strip. */
export const FAMILY_SHORT: Readonly<Record<MonitorFamily, string>> = {
  feature: 'Features',
  prediction: 'Predictions',
  'estimated-performance': 'Estimated perf.',
  label: 'Fraud rate',
  performance: 'Realised perf.',
};

/** What each family reads, in a few words. */
export const FAMILY_READS: Readonly<Record<MonitorFamily, string>> = {
  feature: 'input columns, today',
  prediction: 'model scores, today',
  'estimated-performance': 'scores only (no labels), today',
  label: 'labels, after the delay',
  performance: 'labels, pooled over days',
};

/** A status in words (tables and screen readers). */
export const STATUS_WORDS: Readonly<Record<FamilyStatus, string>> = {
  quiet: 'quiet',
  alert: 'ALERT',
  waiting: 'waiting',
};

/** Whole dollars with a thousands separator: $12,345 (−$12 for negatives). */
export function dollars(value: number): string {
  const rounded = Math.round(value);
  return `${rounded < 0 ? '−' : ''}$${Math.abs(rounded).toLocaleString('en-US')}`;
}

/** Dollars for an axis: $800, $1.2k, $35k. */
export function dollarsShort(value: number): string {
  if (Math.abs(value) >= 1000) {
    const k = value / 1000;
    return `$${k >= 10 ? Math.round(k) : k.toFixed(1)}k`;
  }
  return `$${Math.round(value)}`;
}

/** A whole count with separators. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A statistic or p-value for the drift table: 4 significant digits, tiny p-values as < 1e-6. */
export function stat(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—';
  if (value !== 0 && Math.abs(value) < 1e-6) return '< 0.000001';
  return Number(value.toPrecision(3)).toString();
}
