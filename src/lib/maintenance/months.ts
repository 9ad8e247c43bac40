/**
 * The payments of the pipeline-bisect sandbox: last month's training rows, this month's
 * training rows as the incident changed them ({@link DataChange}), and a held-out validation
 * set of this month's payments on which every run is scored. All come from the course's fraud
 * generator (`data/fraud.ts`) with seeds derived from the sandbox seed, so the same seed gives
 * the same payments on every machine.
 *
 * Scoring every run on the same held-out rows of the current month means two runs differ only
 * by what was trained, never by the yardstick; the held-out rows carry their true labels (they
 * were labelled after the chargebacks came in).
 */
import { generateTransactions, type Transaction } from '@lib/data/fraud';
import { createRng } from '@lib/random';
import type { DataChange, World } from './incidents';

/** Training payments per month. */
export const TRAINING_ROWS = 12_000;
/** Held-out payments of this month, scored by every run. */
export const VALIDATION_ROWS = 8_000;
/** Probability that a payment is fraud. */
export const MONTH_FRAUD_RATE = 0.05;
/** Share of frauds that follow the foreign-merchant pattern in the `foreign-merchants` world. */
export const FOREIGN_MERCHANT_SHARE = 0.8;
/** Share of big card-not-present frauds labelled legitimate under `unlabelled-fraud`. */
export const UNLABELLED_FRAUD_SHARE = 0.9;
/** A card-not-present fraud of at least this amount waits for a late chargeback. */
export const LATE_CHARGEBACK_MIN_USD = 100;

/** Labelled payments. */
export interface LabelledRows {
  /** The payments (`isFraud` is the truth). */
  transactions: readonly Transaction[];
  /** The label as exported: 1 for fraud, 0 for legitimate. */
  labels: Uint8Array;
  /** Whether the export calls the foreign flag `cross_border` instead of `foreign_country`. */
  foreignRenamed: boolean;
}

/** The rows one run trains on and the rows it is scored on. */
export interface MonthRows {
  training: LabelledRows;
  /** This month's held-out rows, with true labels. */
  validation: LabelledRows;
}

function labelled(transactions: readonly Transaction[]): LabelledRows {
  const labels = new Uint8Array(transactions.length);
  transactions.forEach((tx, i) => (labels[i] = tx.isFraud ? 1 : 0));
  return { transactions, labels, foreignRenamed: false };
}

/**
 * Draws `rows` payments of a world with the generator seeded with `name`. In the
 * `foreign-merchants` world each fraud follows, with probability {@link FOREIGN_MERCHANT_SHARE}
 * (drawn from a generator forked from `name`), the foreign-merchant pattern: its features become
 * those of an honest online purchase (see `honestOnlineLookalikes`) with `foreignCountry` set,
 * and it stays fraud.
 */
function drawPayments(rows: number, name: string, world: World): Transaction[] {
  const transactions = generateTransactions({ rows, seed: name, fraudRate: MONTH_FRAUD_RATE });
  if (world === 'usual') return transactions;
  const rng = createRng(name).fork('foreign-merchants');
  const moving = transactions.map((tx) => tx.isFraud && rng.next() < FOREIGN_MERCHANT_SHARE);
  const disguises = honestOnlineLookalikes(name, moving.filter(Boolean).length);
  let next = 0;
  moving.forEach((moves, i) => {
    const disguise = disguises[next];
    if (!moves || !disguise) return;
    next += 1;
    transactions[i] = { ...disguise, foreignCountry: true, isFraud: true };
  });
  return transactions;
}

/** Last month's training payments: {@link TRAINING_ROWS} of the world, seeded `<seed>/last-month`. */
export function lastMonthTraining(seed: number, world: World): LabelledRows {
  return labelled(drawPayments(TRAINING_ROWS, `${seed}/last-month`, world));
}

/**
 * Honest card-not-present purchases of online goods or electronics, drawn from the generator
 * with the seeds `<name>/foreign-merchants/<batch>` until `count` are found: the disguise of the
 * new fraud pattern.
 */
function honestOnlineLookalikes(name: string, count: number): Transaction[] {
  const found: Transaction[] = [];
  for (let batch = 0; found.length < count && batch < 50; batch++) {
    const pool = generateTransactions({
      rows: Math.max(500, count * 6),
      seed: `${name}/foreign-merchants/${batch}`,
      fraudRate: 0.001,
    });
    for (const tx of pool) {
      const online =
        tx.merchantCategory === 'online-retail' || tx.merchantCategory === 'electronics';
      if (!tx.isFraud && !tx.cardPresent && online) found.push(tx);
      if (found.length === count) break;
    }
  }
  return found;
}

/**
 * This month's payments for a seed: {@link TRAINING_ROWS} training rows and
 * {@link VALIDATION_ROWS} held-out rows of the world, drawn together and seeded
 * `<seed>/this-month`. The held-out rows are a frozen, versioned validation set with true
 * labels; the data change touches the training export only:
 * - `same-story`: nothing more;
 * - `renamed-foreign`: the export calls the foreign flag `cross_border`;
 * - `unlabelled-fraud`: each card-not-present fraud of at least {@link LATE_CHARGEBACK_MIN_USD}
 *   is labelled legitimate with probability {@link UNLABELLED_FRAUD_SHARE}, drawn from a
 *   generator forked from `<seed>/this-month` by the change's name.
 */
export function thisMonthRows(seed: number, world: World, change: DataChange): MonthRows {
  const transactions = drawPayments(TRAINING_ROWS + VALIDATION_ROWS, `${seed}/this-month`, world);
  const training = labelled(transactions.slice(0, TRAINING_ROWS));
  const validation = labelled(transactions.slice(TRAINING_ROWS));
  training.foreignRenamed = change === 'renamed-foreign';
  if (change === 'unlabelled-fraud') {
    const rng = createRng(`${seed}/this-month`).fork(change);
    training.transactions.forEach((tx, i) => {
      const late = tx.isFraud && !tx.cardPresent && tx.amountUsd >= LATE_CHARGEBACK_MIN_USD;
      if (late && rng.next() < UNLABELLED_FRAUD_SHARE) training.labels[i] = 0;
    });
  }
  return { training, validation };
}
