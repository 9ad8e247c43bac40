/**
 * Number formats of the rollout sandbox, so the charts, tables and score card agree.
 */
import type { RolloutPhase } from '../../../src/lib/drift/rollout';

/** Whole US dollars with a thousands separator: "$12,345" (minus sign for a loss). */
export function dollars(value: number): string {
  const rounded = Math.round(value);
  return `${rounded < 0 ? '−' : ''}$${Math.abs(rounded).toLocaleString('en-US')}`;
}

/** Compact dollars for axis ticks: "$0", "$5k", "$12.5k". */
export function dollarsShort(value: number): string {
  if (Math.abs(value) < 1000) return `$${Math.round(value)}`;
  const k = value / 1000;
  return `$${Number.isInteger(k) ? k : k.toFixed(1)}k`;
}

/** A whole count with a thousands separator. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A day count in words: "1 day", "3 days". */
export function days(value: number): string {
  return `${value} day${value === 1 ? '' : 's'}`;
}

/** Plain names of the rollout phases, as a learner reads them. */
export const PHASE_LABELS: Readonly<Record<RolloutPhase, string>> = {
  none: 'current model only',
  shadow: 'shadow',
  canary: 'canary',
  full: 'full rollout',
};
