/** How the A/B sandbox writes its numbers. */

/** A rate (0–1) as a percentage with `digits` decimals: 0.1023 → "10.23%". */
export function percent(rate: number, digits = 2): string {
  return `${(100 * rate).toFixed(digits)}%`;
}

/** A rate difference as signed percentage points: 0.0102 → "+1.02 points". */
export function points(difference: number, digits = 2): string {
  const value = 100 * difference;
  const text = Math.abs(value).toFixed(digits);
  const sign = Number(text) === 0 ? '±' : value > 0 ? '+' : '−';
  return `${sign}${text} points`;
}

/** A signed number with a real minus sign: −1.23, +0.45. */
export function signed(value: number, digits = 2): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** A p-value with its relation: "= 0.0123", or "< 0.0001" below that. */
export function pValue(p: number): string {
  return p < 0.0001 ? '< 0.0001' : `= ${p.toFixed(4)}`;
}

/** A whole number with thousands separators. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
