import { describe, expect, it } from 'vitest';
import { CSV_MAX_BYTES } from '@lib/data/csv-import';
import type { DatasetSpec } from '@lib/data/csv-dataset';
import {
  CSV_UPLOAD_MAX_BYTES,
  describeEvidence,
  fileSizeProblem,
  formatFileSize,
  targetChoices,
  withFeature,
  withMissingRule,
  withTarget,
  withType,
  type FormColumn,
} from '@lib/data/csv-spec-edit';

const column = (
  name: string,
  type: FormColumn['type'],
  missingCount = 0,
  presentCount = 10,
): FormColumn => ({
  name,
  type,
  reason: `${name} reason.`,
  evidence: { presentCount, missingCount, numericShare: 1, distinctCount: 2, exampleValues: [] },
});

const columns: FormColumn[] = [
  column('id', 'text'),
  column('age', 'numeric', 3),
  column('plan', 'categorical'),
  column('vip', 'binary'),
  column('churned', 'binary'),
];

const spec: DatasetSpec = {
  targetColumn: 'churned',
  featureColumns: ['age', 'plan', 'vip'],
  missingValueRule: 'drop-rows',
};

describe('the upload form’s limit and words', () => {
  it('uses the same size limit as the parser', () => {
    expect(CSV_UPLOAD_MAX_BYTES).toBe(CSV_MAX_BYTES);
  });

  it('formats sizes and refuses a file over the limit before reading it', () => {
    expect(formatFileSize(1)).toBe('1 byte');
    expect(formatFileSize(812)).toBe('812 bytes');
    expect(formatFileSize(45_153)).toBe('45.2 kB');
    expect(formatFileSize(25_300_000)).toBe('25.3 MB');
    expect(formatFileSize(20_000_000)).toBe('20 MB');
    expect(fileSizeProblem(20_000_000)).toBeNull();
    expect(fileSizeProblem(25_300_000)).toBe(
      'The file is 25.3 MB, larger than the 20 MB limit, so it was not read. Use a sample of its rows.',
    );
  });

  it('adds the count of missing cells to the inference’s reason', () => {
    expect(describeEvidence(columns[1]!)).toBe('age reason. 3 cells missing.');
    expect(describeEvidence(columns[2]!)).toBe('plan reason.');
    expect(describeEvidence(column('one', 'numeric', 1))).toBe('one reason. 1 cell missing.');
  });
});

describe('editing the dataset spec', () => {
  it('offers binary columns and the current target as targets', () => {
    expect(targetChoices(spec, columns)).toEqual(['vip', 'churned']);
    const planTarget = { ...spec, targetColumn: 'plan' };
    expect(targetChoices(planTarget, columns)).toEqual(['plan', 'vip', 'churned']);
    expect(targetChoices({ ...spec, typeOverrides: { age: 'binary' } }, columns)).toEqual([
      'age',
      'vip',
      'churned',
    ]);
  });

  it('swaps the target: the new one leaves the features, the old one joins them', () => {
    const next = withTarget({ ...spec, positiveLabel: 'yes' }, columns, 'vip');
    expect(next).toEqual({
      targetColumn: 'vip',
      featureColumns: ['age', 'plan', 'churned'],
      missingValueRule: 'drop-rows',
    });
  });

  it('switches features on and off in file order, never the target', () => {
    expect(withFeature(spec, columns, 'age', false).featureColumns).toEqual(['plan', 'vip']);
    expect(withFeature(spec, columns, 'id', true).featureColumns).toEqual([
      'id',
      'age',
      'plan',
      'vip',
    ]);
    expect(withFeature(spec, columns, 'churned', true)).toBe(spec);
  });

  it('keeps an override only when it differs from the inferred type; text means ignored', () => {
    const asCategory = withType(spec, columns, 'age', 'categorical');
    expect(asCategory.typeOverrides).toEqual({ age: 'categorical' });
    expect(withType(asCategory, columns, 'age', 'numeric')).toEqual(spec);
    const ignored = withType(spec, columns, 'plan', 'text');
    expect(ignored.featureColumns).toEqual(['age', 'vip']);
    expect(ignored.typeOverrides).toEqual({ plan: 'text' });
    const idAsCategory = withType(spec, columns, 'id', 'categorical');
    expect(idAsCategory.featureColumns).toEqual(['id', 'age', 'plan', 'vip']);
    expect(withMissingRule(spec, 'fill').missingValueRule).toBe('fill');
  });
});
