/**
 * The day axis and the y scale shared by the rollout sandbox's charts, so their days line up
 * one above the other: the same margins, one band per day, ticks every 5, 10 or 20 days.
 */

/** Margins of every chart of the sandbox, in px. */
export const MARGIN = { left: 56, right: 10, top: 10, bottom: 24 } as const;

/** A rounded-up "nice" number ≥ value: 1, 2, 2.5 or 5 times a power of ten. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10])
    if (step * magnitude >= value - 1e-9) return step * magnitude;
  return 10 * magnitude;
}

/** Ticks 0, step, 2·step, … up to `top`, with step = niceCeil(top / 4). */
export function yTicks(top: number): number[] {
  const step = niceCeil(top / 4);
  const out: number[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) out.push(v);
  return out;
}

/** Day ticks: every 5 days up to 30 days, every 10 up to 80, else every 20 (fewer when narrow). */
export function dayTicks(dayCount: number, plotWidth: number): number[] {
  let step = dayCount <= 30 ? 5 : dayCount <= 80 ? 10 : 20;
  if (plotWidth < 320) step *= 2;
  const out: number[] = [];
  for (let d = 0; d < dayCount; d += step) out.push(d);
  return out;
}

/** Left edge of day `day`'s band in a plot of `plotWidth` px for `dayCount` days. */
export function dayX(day: number, dayCount: number, plotWidth: number): number {
  return MARGIN.left + (day / Math.max(1, dayCount)) * plotWidth;
}
