/**
 * How the scalability lab writes its numbers (the same rounding as the exercise state:
 * cents, 4 decimals per 1,000 predictions, 1 decimal of ms).
 */

/** A whole number with thousands separators; "—" when not finite. */
export function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
}

/** Dollars with cents: $1,234.56. */
export function usd(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return `${value < 0 ? '−' : ''}$${Math.abs(value).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
}

/** Dollars with four decimals (cost per 1,000 predictions): $0.0420. */
export function usd4(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return `$${value.toFixed(4)}`;
}

/** A duration in ms, one decimal below 10 s, else seconds or minutes; "never" when infinite. */
export function ms(value: number): string {
  if (value === Infinity) return 'never';
  if (!Number.isFinite(value)) return '—';
  if (value < 10_000) return `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })} ms`;
  if (value < 600_000) return `${(value / 1000).toFixed(1)} s`;
  return `${(value / 60_000).toLocaleString('en-US', { maximumFractionDigits: 0 })} min`;
}

/** A share as a percentage with one decimal. */
export function percent(value: number): string {
  return Number.isFinite(value) ? `${(100 * value).toFixed(1)}%` : '—';
}

/** A rate in requests per second, one decimal. */
export function perSecond(value: number): string {
  return Number.isFinite(value)
    ? `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })}/s`
    : '—';
}

/** Requests per day from a log₁₀ slider position, rounded to two significant digits. */
export function requestsFromLog(position: number): number {
  const raw = 10 ** position;
  const magnitude = 10 ** (Math.floor(Math.log10(raw)) - 1);
  return Math.min(10_000_000, Math.max(10_000, Math.round(raw / magnitude) * magnitude));
}

/** A big count in words: 6.5 million, 250 thousand. */
export function bigCount(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 1e6)
    return `${(value / 1e6).toLocaleString('en-US', { maximumFractionDigits: 2 })} million`;
  if (value >= 1e4)
    return `${(value / 1e3).toLocaleString('en-US', { maximumFractionDigits: 1 })} thousand`;
  return count(value);
}
