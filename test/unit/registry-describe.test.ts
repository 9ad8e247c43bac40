import { describe, expect, it } from 'vitest';
import {
  describeRunData,
  describeRunModel,
  formatMetric,
  formatRunTime,
} from '../../src/lib/registry/describe';
import { uploadDataVersion } from '../../src/lib/registry/record';
import { createMemoryBackend } from '../../src/lib/registry/backend';
import { RegistryError, RunRegistry, uploadedDataKeyOf } from '../../src/lib/registry/store';
import { makeRun } from './registry-fixtures';

describe('run descriptions', () => {
  it('describes generated data, an upload, the model and the time', async () => {
    const { record } = await makeRun();
    expect(describeRunModel(record)).toBe('mlp 3→2→1 (11 weights)');
    expect(formatRunTime(record)).toBe(
      `${record.createdAt.slice(0, 10)} ${record.createdAt.slice(11, 16)} UTC`,
    );
    expect(describeRunData(record)).toMatch(/seed \d+/);

    const bytes = new Uint8Array(2048).fill(7);
    const upload = await makeRun({ dataVersion: await uploadDataVersion('loans.csv', bytes) });
    expect(describeRunData(upload.record)).toMatch(
      /^loans\.csv \(2\.0 KB, SHA-256 [0-9a-f]{12}…\)$/,
    );
    expect(describeRunModel({ ...record, model: null })).toBe('no model');
  });

  it('formats counts whole, other metrics with three decimals, a missing one as a dash', () => {
    expect(formatMetric(0.93456)).toBe('0.935');
    expect(formatMetric(2980)).toBe('2,980');
    expect(formatMetric(0)).toBe('0');
    expect(formatMetric(null)).toBe('—');
    expect(formatMetric(undefined)).toBe('—');
    expect(formatMetric('completed')).toBe('completed');
  });
});

describe('RunRegistry uploaded data', () => {
  it('keeps a file once under its SHA-256 and gives it back', async () => {
    const backend = createMemoryBackend();
    const registry = new RunRegistry({ backend });
    const bytes = new TextEncoder().encode('x,y\n1,0\n2,1\n');
    const version = await uploadDataVersion('tiny.csv', bytes);
    expect(await registry.uploadedData(version)).toBeNull();
    await registry.saveUploadedData(version, bytes);
    await registry.saveUploadedData(version, bytes);
    expect(await backend.keys('data/')).toEqual([uploadedDataKeyOf(version.sha256)]);
    expect(await registry.uploadedData(version)).toEqual(bytes);
  });

  it('refuses bytes that are not the file its version names, and flags a changed copy', async () => {
    const backend = createMemoryBackend();
    const registry = new RunRegistry({ backend });
    const bytes = new TextEncoder().encode('x,y\n1,0\n2,1\n');
    const version = await uploadDataVersion('tiny.csv', bytes);
    const other = new TextEncoder().encode('x,y\n1,1\n2,1\n');
    await expect(registry.saveUploadedData(version, other)).rejects.toThrow(RegistryError);
    await backend.put(uploadedDataKeyOf(version.sha256), other);
    await expect(registry.uploadedData(version)).rejects.toThrow(/does not match its SHA-256/);
  });

  it('reports a full quota when the file does not fit', async () => {
    const registry = new RunRegistry({ backend: createMemoryBackend({ quotaBytes: 10 }) });
    const bytes = new TextEncoder().encode('x,y\n1,0\n2,1\n');
    const version = await uploadDataVersion('tiny.csv', bytes);
    await expect(registry.saveUploadedData(version, bytes)).rejects.toMatchObject({
      kind: 'quota-exceeded',
    });
  });
});
