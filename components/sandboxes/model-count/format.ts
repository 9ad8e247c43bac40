/** Number formats of the model-count sandbox (display only; the state rounds on its own). */

/** A whole number with thousands separators: 8,000. */
export function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
}

/** Dollars: cents below $100 ($19.20), whole dollars above ($9,144). */
export function usd(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value < 100 ? `$${value.toFixed(2)}` : `$${Math.round(value).toLocaleString('en-US')}`;
}

/** A share as a percentage with two decimals: 98.95%. */
export function percent(share: number): string {
  return Number.isFinite(share) ? `${(100 * share).toFixed(2)}%` : '—';
}

/** Gigabytes: two decimals below 100 GB, whole above. */
export function gb(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value < 100 ? `${value.toFixed(2)} GB` : `${count(value)} GB`;
}

/** Milliseconds, whole (one decimal below 10 ms). */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value < 10 && value !== 0 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}
