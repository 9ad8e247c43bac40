/**
 * Names, line styles and number formats shared by the batch-vs-online sandbox's parts.
 */
import type { ServingMode } from '../../../src/lib/business/batch-vs-online';

/** Column and legend names of the serving modes. */
export const MODE_LABELS: Readonly<Record<ServingMode, string>> = {
  batch: 'Batch (nightly)',
  online: 'Online',
  hybrid: 'Hybrid',
};

/** Line colour and dash of each mode in charts: told apart by dash as well as by colour. */
export const MODE_STYLES: Readonly<Record<ServingMode, { colour: string; dash: string }>> = {
  batch: { colour: '#d97706', dash: '6 4' },
  online: { colour: '#2563eb', dash: '' },
  hybrid: { colour: '#059669', dash: '2 3' },
};

/** A share as a percentage: 0.8153 → "81.5%". */
export function percent(value: number, digits = 1): string {
  return `${(100 * value).toFixed(digits)}%`;
}

/** Whole dollars with a minus sign when negative: −1234.5 → "−$1,235". */
export function usd(value: number): string {
  const rounded = Math.round(value);
  return `${rounded < 0 ? '−' : ''}$${Math.abs(rounded).toLocaleString('en-US')}`;
}

/** Dollars and cents: 40 → "$40.00". */
export function usdCents(value: number): string {
  return `${value < 0 ? '−' : ''}$${Math.abs(value).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
}

/** A signed difference in dollars: "+$1,234" or "−$56". */
export function signedUsd(value: number): string {
  const rounded = Math.round(value);
  return rounded > 0 ? `+${usd(rounded)}` : usd(rounded);
}

/** A whole count with thousands separators. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
