/**
 * An uploaded file ready to train on, as the training sandbox holds it: the bytes (kept for the
 * run registry), the text the worker parses, the learner's spec and the worker's summary of the
 * dataset it built. Plus the two conversions the sandbox needs: to the job's `TrainingData`, and
 * to the upload record a run on the file is saved with.
 */
import { uploadDataVersion } from '../../../src/lib/registry/record';
import type { UploadedRunData } from '../../course/run-registry-client';
import type { CsvDatasetSummary, TrainingData } from '../../../src/lib/compute/training-data';
import type { DatasetSpec } from '../../../src/lib/data/csv-dataset';

/** Where the rows come from: the synthetic transactions, or the learner's CSV file. */
export type DataSource = 'generator' | 'csv';

/** A file whose spec the worker has checked and built. */
export interface CsvSelection {
  fileName: string;
  /** The file as read (UTF-8), for the run registry. */
  bytes: Uint8Array;
  /** The file decoded as UTF-8, for the worker. */
  text: string;
  spec: DatasetSpec;
  summary: CsvDatasetSummary;
}

/** The training job's data argument for a selection. */
export function trainingDataOf(selection: CsvSelection): TrainingData {
  return { kind: 'csv', fileName: selection.fileName, text: selection.text, spec: selection.spec };
}

/** What a run on the file is recorded with (data version = the bytes' SHA-256); null without a file. */
export async function uploadedRunData(
  selection: CsvSelection | null,
): Promise<UploadedRunData | null> {
  if (!selection) return null;
  const dataVersion = await uploadDataVersion(selection.fileName, selection.bytes);
  return { dataVersion, specJson: JSON.stringify(selection.spec), bytes: selection.bytes };
}
