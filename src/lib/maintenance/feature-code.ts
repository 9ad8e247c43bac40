/**
 * The two versions of the feature code of the pipeline-bisect sandbox, which turn payments into
 * the matrix a model trains on (the training path) or is scored on (the serving path).
 *
 * Version 1 (last month's), 14 columns ({@link FEATURE_COLUMNS}): ln(1 + amount in USD); sin
 * and cos of 2π·hour/24; ln(1 + distance from home in km); payments in the last 24 hours; card
 * present 0/1; ln(1 + account age in days); foreign country 0/1; one 0/1 column per merchant
 * category. Training and serving encode alike.
 *
 * Version 2 (this month's) is version 1 with the incident's {@link FeatureChange}:
 * - `none`: identical output;
 * - `serving-skips-log`: the serving path writes the amount in raw dollars in column 0, while
 *   the training path still writes ln(1 + amount);
 * - `reads-by-name`: columns are looked up by name; when the rows call the foreign flag
 *   `cross_border` (a renamed export), the lookup of `foreign_country` fails and column 7 is 0.
 */
import { MERCHANT_CATEGORIES } from '@lib/data/fraud';
import type { FeatureChange } from './incidents';
import type { LabelledRows } from './months';

/** Names of the encoded columns. */
export const FEATURE_COLUMNS: readonly string[] = [
  'ln(1 + amount)',
  'hour sin',
  'hour cos',
  'ln(1 + distance)',
  'payments in 24 h',
  'card present',
  'ln(1 + account age)',
  'foreign country',
  ...MERCHANT_CATEGORIES.map((category) => `merchant: ${category}`),
];
/** Number of encoded columns (14). */
export const FEATURE_COUNT = FEATURE_COLUMNS.length;

/** Which code path encodes: training rows or rows scored as in production. */
export type EncodingPath = 'training' | 'serving';

/**
 * Encodes labelled payments, row-major `rows × FEATURE_COUNT`, with feature code version 1 (`version`
 * 'old') or 2 ('new', with `change`), on the given path.
 */
export function encodePayments(
  rows: LabelledRows,
  version: 'old' | 'new',
  change: FeatureChange,
  path: EncodingPath,
): Float64Array {
  const active: FeatureChange = version === 'old' ? 'none' : change;
  const rawAmount = active === 'serving-skips-log' && path === 'serving';
  const foreignLost = active === 'reads-by-name' && rows.foreignRenamed;
  const d = FEATURE_COUNT;
  const x = new Float64Array(rows.transactions.length * d);
  rows.transactions.forEach((tx, i) => {
    const o = i * d;
    const angle = (2 * Math.PI * tx.hourOfDay) / 24;
    x[o] = rawAmount ? tx.amountUsd : Math.log1p(tx.amountUsd);
    x[o + 1] = Math.sin(angle);
    x[o + 2] = Math.cos(angle);
    x[o + 3] = Math.log1p(tx.distanceFromHomeKm);
    x[o + 4] = tx.transactionsLast24h;
    x[o + 5] = tx.cardPresent ? 1 : 0;
    x[o + 6] = Math.log1p(tx.accountAgeDays);
    x[o + 7] = tx.foreignCountry && !foreignLost ? 1 : 0;
    x[o + 8 + MERCHANT_CATEGORIES.indexOf(tx.merchantCategory)] = 1;
  });
  return x;
}
