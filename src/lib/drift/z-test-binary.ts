/**
 * The two-proportion z-test for a binary column, as Evidently's `z` stattest (its default for
 * columns with at most two distinct values and a reference of ≤ 1,000 rows).
 *
 * Evidently sorts the distinct values of both samples, maps the first to 0 and any other to 1,
 * and tests the share of 1s with the pooled standard error:
 * z = (p̂_cur − p̂_ref)/√(p̂(1 − p̂)(1/n_ref + 1/n_cur)), p = 2(1 − Φ(|z|)); when both samples
 * hold one and the same value, p = 1. This reuses the A/B-test engine's
 * {@link twoProportionZTest} with the reference as arm A and the current window as arm B
 * (so z > 0 means the share of the second value grew); its zero-standard-error rule (z = 0,
 * p = 1) covers Evidently's single-value case. Evidently's sign is the opposite
 * (reference − current); the p-value is the same. Drift when p < 0.05 (strictly, as
 * Evidently).
 */
import { twoProportionZTest } from '@lib/experiments/ab-test';
import { assertNonEmpty, sortedFinite, type NumberColumn } from './sample';

/** The result of the binary z-test. */
export interface BinaryZTestResult {
  /** (p̂_cur − p̂_ref) / pooled SE; 0 when the SE is 0. */
  z: number;
  /** Two-sided p-value 2(1 − Φ(|z|)). */
  pValue: number;
  /** Share of the second value in the reference. */
  referenceShare: number;
  /** Share of the second value in the current sample. */
  currentShare: number;
  /** The value counted as 0 (the smaller of the two). */
  firstValue: number;
  /** The value counted as 1, or null when only one value occurs. */
  secondValue: number | null;
  /** Finite values in the reference sample. */
  referenceRows: number;
  /** Finite values in the current sample. */
  currentRows: number;
}

/**
 * The two-proportion z-test from counts: `positives` of `rows` in each sample.
 *
 * @throws RangeError when a sample is empty or a count lies outside 0…rows.
 */
export function binaryZTestFromCounts(
  referenceRows: number,
  referencePositives: number,
  currentRows: number,
  currentPositives: number,
): { z: number; pValue: number; referenceShare: number; currentShare: number } {
  const test = twoProportionZTest({
    usersA: referenceRows,
    conversionsA: referencePositives,
    usersB: currentRows,
    conversionsB: currentPositives,
  });
  return { z: test.z, pValue: test.pValue, referenceShare: test.rateA, currentShare: test.rateB };
}

/**
 * The two-proportion z-test on two sorted samples (ascending, finite, non-empty) of a column
 * with at most two distinct values over both samples.
 *
 * @throws RangeError when a sample is empty or the samples hold more than two distinct values.
 */
export function binaryZTestSorted(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): BinaryZTestResult {
  assertNonEmpty(reference, 'reference');
  assertNonEmpty(current, 'current');
  const first = Math.min(reference[0] as number, current[0] as number);
  const refMax = reference[reference.length - 1] as number;
  const curMax = current[current.length - 1] as number;
  const second = Math.max(refMax, curMax);
  const countAbove = (sorted: ArrayLike<number>): number => {
    let k = 0;
    for (let i = sorted.length - 1; i >= 0 && (sorted[i] as number) > first; i--) {
      if (sorted[i] !== second) {
        throw new RangeError('The z-test needs a binary column: more than two distinct values.');
      }
      k++;
    }
    return k;
  };
  const refPositives = countAbove(reference);
  const curPositives = countAbove(current);
  const test = binaryZTestFromCounts(reference.length, refPositives, current.length, curPositives);
  return {
    ...test,
    firstValue: first,
    secondValue: second > first ? second : null,
    referenceRows: reference.length,
    currentRows: current.length,
  };
}

/**
 * The two-proportion z-test on two columns (NaN and ±∞ dropped), Evidently's `z` stattest.
 *
 * @throws RangeError when a sample has no finite value or there are more than two distinct
 *   values.
 */
export function binaryZTest(reference: NumberColumn, current: NumberColumn): BinaryZTestResult {
  return binaryZTestSorted(sortedFinite(reference), sortedFinite(current));
}
