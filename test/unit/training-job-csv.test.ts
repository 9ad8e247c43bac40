import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { runTrainingJob, type TrainingJobEvent } from '@lib/compute/training-job';
import {
  checkCsvSpecText,
  csvDatasetFor,
  inspectCsvText,
  type TrainingData,
} from '@lib/compute/training-data';
import type { BackendLoaders } from '@lib/compute/backends';
import type { DatasetSpec } from '@lib/data/csv-dataset';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from '@lib/ml/training-settings';

const cpuOnly: BackendLoaders = {
  cpu: async () => {},
  wasm: async () => {
    throw new Error('not in this test');
  },
  webgl: async () => {
    throw new Error('not in this test');
  },
  webgpu: async () => {
    throw new Error('not in this test');
  },
};

/**
 * The browser test's fixture: 1,500 customers, churned yes/no drawn from a logistic model of
 * support calls, tenure, plan, autopay and spend (see test/e2e/csv-upload.spec.ts); 58 blank
 * spends and 43 `NA` plans. Counts below were taken with awk over the file:
 * 101 rows have a gap, so drop-rows keeps 1,399, of which 479 churned.
 */
const CHURN_CSV = readFileSync(new URL('../e2e/fixtures/churn.csv', import.meta.url), 'utf8');

const churnSpec: DatasetSpec = {
  targetColumn: 'churned',
  featureColumns: ['tenure_months', 'monthly_spend_usd', 'support_calls', 'plan', 'autopay'],
  missingValueRule: 'drop-rows',
};

const csvData = (spec: DatasetSpec = churnSpec, text = CHURN_CSV): TrainingData => ({
  kind: 'csv',
  fileName: 'churn.csv',
  text,
  spec,
});

const settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, epochs: 15, batchSize: 64 };

describe('inspecting an uploaded file for the preview', () => {
  it('lists columns with inferred types, the first rows and a default spec', () => {
    const inspection = inspectCsvText(CHURN_CSV);
    if (!inspection.ok) throw new Error(inspection.problems[0]?.message);
    expect(inspection.table.rowCount).toBe(1500);
    expect(inspection.table.byteLength).toBe(Buffer.byteLength(CHURN_CSV));
    expect(inspection.table.columns.map((c) => [c.name, c.type])).toEqual([
      ['customer_id', 'text'], // 1,500 distinct words: an ID
      ['tenure_months', 'numeric'],
      ['monthly_spend_usd', 'numeric'],
      ['support_calls', 'numeric'],
      ['plan', 'categorical'],
      ['autopay', 'binary'],
      ['churned', 'binary'],
    ]);
    expect(inspection.table.columns[2]?.evidence.missingCount).toBe(58);
    expect(inspection.table.preview[0]).toEqual({
      rowNumber: 2,
      cells: ['C-0001', '20', '122.42', '4', 'pro', 'no', 'yes'],
    });
    // The last binary column is the target; the ID is left out.
    expect(inspection.defaultSpec).toEqual(churnSpec);
  });

  it('names the row of a ragged line and keeps going for the next file', () => {
    const ragged = 'a,b,y\n1,2,0\n3,4\n5,6,1\n';
    const bad = inspectCsvText(ragged);
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.problems[0]?.message).toBe(
        'Row 3 has 2 fields, expected 3 (as many as the header).',
      );
    expect(inspectCsvText(CHURN_CSV).ok).toBe(true);
  });
});

describe('checking a spec against a file', () => {
  it('reports rows kept, splits and what drop-rows did', () => {
    const check = checkCsvSpecText(CHURN_CSV, churnSpec, 42);
    if (!check.ok) throw new Error(check.problems[0]?.message);
    const { summary } = check;
    expect(summary.rows).toBe(1399);
    // Stratified 70/15/15: churned 479 → 335/72/72, stayed 920 → 644/138/138.
    expect([summary.trainRows, summary.validationRows, summary.testRows]).toEqual([979, 210, 210]);
    expect(summary.positiveLabel).toBe('yes');
    expect(summary.positiveRate).toBeCloseTo(479 / 1399, 12);
    // 3 numeric + autopay=yes + plan=basic/plus/pro.
    expect(summary.featureCount).toBe(7);
    expect(summary.missing.rowsDroppedMissingFeature).toBe(101);
  });

  it('fills instead of dropping under the fill rule', () => {
    const check = checkCsvSpecText(CHURN_CSV, { ...churnSpec, missingValueRule: 'fill' }, 42);
    if (!check.ok) throw new Error(check.problems[0]?.message);
    expect(check.summary.rows).toBe(1500);
    expect(check.summary.missing.filled.map((f) => [f.column, f.how, f.count])).toEqual([
      ['monthly_spend_usd', 'median', 58],
      ['plan', 'mode', 43],
    ]);
  });

  it('refuses a target with one class and words in a numeric column, naming them', () => {
    const oneClass = checkCsvSpecText(
      'x,y\n1,0\n2,0\n3,0\n',
      { targetColumn: 'y', featureColumns: ['x'], missingValueRule: 'drop-rows' },
      1,
    );
    expect(oneClass.ok).toBe(false);
    if (!oneClass.ok) expect(oneClass.problems[0]?.code).toBe('one-class');
    const words = checkCsvSpecText(
      'x,y\n1,0\n2,1\nmany,0\n',
      {
        targetColumn: 'y',
        featureColumns: ['x'],
        typeOverrides: { x: 'numeric' },
        missingValueRule: 'drop-rows',
      },
      1,
    );
    expect(words.ok).toBe(false);
    if (!words.ok) {
      expect(words.problems[0]?.message).toBe(
        'Row 4, column "x": "many" is not a number, but the column is numeric.',
      );
    }
  });

  it('reuses the dataset for the same text, spec and seed, and rebuilds when one changes', () => {
    const first = csvDatasetFor(CHURN_CSV, churnSpec, 7);
    const again = csvDatasetFor(CHURN_CSV, { ...churnSpec }, 7);
    expect(again.cached).toBe(true);
    expect(again.result).toBe(first.result);
    expect(csvDatasetFor(CHURN_CSV, churnSpec, 8).cached).toBe(false);
    expect(csvDatasetFor(CHURN_CSV, { ...churnSpec, missingValueRule: 'fill' }, 8).cached).toBe(
      false,
    );
  });
});

describe('runTrainingJob on an uploaded CSV (CPU backend)', () => {
  it('learns the churn target well above chance and reports the file in its dataset event', async () => {
    const events: TrainingJobEvent[] = [];
    const result = await runTrainingJob(
      settings,
      ['cpu'],
      cpuOnly,
      (e) => events.push(e),
      undefined,
      undefined,
      csvData(),
    );
    expect(result.status).toBe('completed');
    expect(result.epochsCompleted).toBe(15);
    // The labels were drawn from a logistic model of these features, so a model that learns
    // ranks churners well above chance (0.5).
    expect(result.validation?.rocAuc).toBeGreaterThan(0.75);
    expect(result.test?.rocAuc).toBeGreaterThan(0.75);
    expect(result.validation?.rows).toBe(210);
    expect(events[0]).toEqual({
      type: 'dataset',
      rows: 1399,
      trainRows: 979,
      fraudRate: 479 / 1399,
      featureCount: 7,
      architecture: '7→32→16→1',
      parameters: 7 * 32 + 32 + 32 * 16 + 16 + 16 + 1,
      csv: { fileName: 'churn.csv', targetColumn: 'churned', positiveLabel: 'yes' },
    });
    console.info(
      `csv: val AUC ${result.validation?.rocAuc.toFixed(4)}, test AUC ${result.test?.rocAuc.toFixed(4)}`,
    );
  });

  it('is deterministic for a seed and differs for another seed', async () => {
    const short = { ...settings, epochs: 3 };
    const run = (s: TrainingSettings) =>
      runTrainingJob(s, ['cpu'], cpuOnly, () => {}, undefined, undefined, csvData());
    const first = await run(short);
    const second = await run(short);
    expect(second.history.map((r) => r.trainLoss)).toEqual(first.history.map((r) => r.trainLoss));
    expect(second.test).toEqual(first.test);
    const other = await run({ ...short, seed: 43 });
    expect(other.history[0]?.trainLoss).not.toBe(first.history[0]?.trainLoss);
  });

  it('trains on the synthetic data when told so explicitly, as without a data argument', async () => {
    const small = { ...DEFAULT_TRAINING_SETTINGS, rows: 2_000, epochs: 1 };
    const events: TrainingJobEvent[] = [];
    const a = await runTrainingJob(small, ['cpu'], cpuOnly, (e) => events.push(e));
    const b = await runTrainingJob(small, ['cpu'], cpuOnly, () => {}, undefined, undefined, {
      kind: 'generator',
    });
    expect(b.history[0]?.trainLoss).toBe(a.history[0]?.trainLoss);
    expect(events[0]).not.toHaveProperty('csv');
  });

  it('throws with the problems when the spec cannot make a dataset', async () => {
    const bad = csvData({ ...churnSpec, targetColumn: 'plan', featureColumns: ['tenure_months'] });
    await expect(
      runTrainingJob(settings, ['cpu'], cpuOnly, () => {}, undefined, undefined, bad),
    ).rejects.toThrow(
      /"churn\.csv" cannot be trained on: The target column "plan" must hold exactly two values/,
    );
  });
});
