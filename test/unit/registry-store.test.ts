import { describe, expect, it } from 'vitest';
import {
  createMemoryBackend,
  quotaExceededError,
  type RegistryBackend,
  type StoredValue,
} from '../../src/lib/registry/backend';
import {
  formatBytes,
  isQuotaError,
  recordKeyOf,
  RegistryError,
  RunRegistry,
  sortRuns,
} from '../../src/lib/registry/store';
import { makeRun } from './registry-fixtures';

/** A backend that fails the chosen operations, over a working in-memory one. */
function failingBackend(
  fail: Partial<Record<'putRecord' | 'putWeights' | 'get' | 'delete' | 'keys', unknown>>,
): RegistryBackend & { inner: RegistryBackend } {
  const inner = createMemoryBackend();
  return {
    inner,
    async put(key: string, value: StoredValue) {
      const which = key.startsWith('run/') ? fail.putRecord : fail.putWeights;
      if (which !== undefined) throw which;
      return inner.put(key, value);
    },
    async get(key: string) {
      if (fail.get !== undefined) throw fail.get;
      return inner.get(key);
    },
    async delete(key: string) {
      if (fail.delete !== undefined) throw fail.delete;
      return inner.delete(key);
    },
    async keys(prefix: string) {
      if (fail.keys !== undefined) throw fail.keys;
      return inner.keys(prefix);
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<RegistryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    return error as RegistryError;
  }
  throw new Error('expected a rejection');
}

describe('RunRegistry', () => {
  it('saves, reads, lists, sorts and deletes runs', async () => {
    const registry = new RunRegistry({ backend: createMemoryBackend() });
    const a = await makeRun();
    const b = await makeRun({
      createdAt: new Date('2026-11-27T11:00:00.000Z'),
      metrics: { 'validation.rocAuc': 0.9 },
    });
    const c = await makeRun({
      createdAt: new Date('2026-11-27T09:00:00.000Z'),
      metrics: {},
      sandbox: 'returns',
    });
    for (const run of [a, b, c]) await registry.save(run.record, run.bytes);

    expect(await registry.get(a.record.id)).toEqual(a.record);
    expect(await registry.get('run-0000000000000000')).toBeNull();
    expect(await registry.weights(a.record)).toEqual(a.bytes);

    const newest = await registry.list();
    expect(newest.unreadable).toEqual([]);
    expect(newest.runs.map((r) => r.id)).toEqual([b.record.id, a.record.id, c.record.id]);
    const byAuc = await registry.list({
      order: { by: { metric: 'validation.rocAuc' }, direction: 'desc' },
    });
    // 0.93 before 0.9; the run without the metric goes last.
    expect(byAuc.runs.map((r) => r.id)).toEqual([a.record.id, b.record.id, c.record.id]);
    expect((await registry.list({ sandbox: 'returns' })).runs.map((r) => r.id)).toEqual([
      c.record.id,
    ]);

    expect(await registry.delete(a.record.id)).toBe(true);
    expect(await registry.delete(a.record.id)).toBe(false);
    expect(await registry.get(a.record.id)).toBeNull();
    expect((await registry.list()).runs).toHaveLength(2);
  });

  it('sorts ascending with missing metrics still last', async () => {
    const x = (await makeRun({ metrics: { m: 2 } })).record;
    const y = (await makeRun({ metrics: { m: 1 } })).record;
    const z = (await makeRun({ metrics: { m: 'n/a' } })).record;
    expect(sortRuns([z, x, y], { by: { metric: 'm' }, direction: 'asc' })).toEqual([y, x, z]);
  });

  it('surfaces a full quota as quota-exceeded and leaves nothing half-written', async () => {
    const { record, bytes } = await makeRun();
    // 44 weight bytes fit in 100; the record's JSON (well over 56 bytes) does not.
    const backend = createMemoryBackend({ quotaBytes: 100 });
    const registry = new RunRegistry({ backend });
    const error = await rejection(registry.save(record, bytes));
    expect(error.kind).toBe('quota-exceeded');
    expect(error.message).toMatch(/storage for this site is full/);
    expect(await backend.keys('')).toEqual([]);
  });

  it('surfaces a QuotaExceededError thrown by the backend, also wrapped as IndexedDB does', async () => {
    const { record, bytes } = await makeRun();
    const direct = new RunRegistry({
      backend: failingBackend({ putWeights: quotaExceededError('full') }),
    });
    expect((await rejection(direct.save(record, bytes))).kind).toBe('quota-exceeded');
    const wrapped = { name: 'AbortError', error: { name: 'QuotaExceededError' } };
    expect(isQuotaError(wrapped)).toBe(true);
    const backend = failingBackend({ putRecord: wrapped });
    const registry = new RunRegistry({ backend });
    expect((await rejection(registry.save(record, bytes))).kind).toBe('quota-exceeded');
    // The weights written before the record failed were removed again.
    expect(await backend.inner.keys('')).toEqual([]);
  });

  it('surfaces other write failures, and a failed clean-up too', async () => {
    const { record, bytes } = await makeRun();
    const plain = new RunRegistry({
      backend: failingBackend({ putRecord: new Error('disk gone') }),
    });
    const error = await rejection(plain.save(record, bytes));
    expect(error.kind).toBe('write-failed');
    expect(error.message).toMatch(/disk gone/);
    const both = new RunRegistry({
      backend: failingBackend({ putRecord: new Error('disk gone'), delete: new Error('locked') }),
    });
    expect((await rejection(both.save(record, bytes))).message).toMatch(
      /could not be removed again \(locked\)/,
    );
  });

  it('surfaces read, list and delete failures', async () => {
    const { record } = await makeRun();
    const broken = new RunRegistry({
      backend: failingBackend({ get: new Error('io'), keys: new Error('io') }),
    });
    expect((await rejection(broken.get(record.id))).kind).toBe('read-failed');
    expect((await rejection(broken.list())).kind).toBe('read-failed');
    const backend = failingBackend({ delete: new Error('locked') });
    await backend.inner.put(recordKeyOf(record.id), JSON.stringify(record));
    expect((await rejection(new RunRegistry({ backend }).delete(record.id))).kind).toBe(
      'write-failed',
    );
  });

  it('refuses a record whose weights do not match, or that is not valid', async () => {
    const { record, bytes } = await makeRun();
    const registry = new RunRegistry({ backend: createMemoryBackend() });
    const changed = bytes.slice();
    changed[0] = 1;
    expect((await rejection(registry.save(record, changed))).kind).toBe('invalid');
    expect((await rejection(registry.save(record, null))).kind).toBe('invalid');
    expect((await rejection(registry.save({ ...record, seed: 1 }, bytes))).message).toMatch(
      /changed after/,
    );
    const notJson = { ...record, metrics: { 'validation.rocAuc': Number.NaN } };
    expect((await rejection(registry.save(notJson, bytes))).message).toMatch(
      /NaN, which JSON cannot hold/,
    );
  });

  it('lists unreadable records apart, keeps them, and flags damaged weights', async () => {
    const backend = createMemoryBackend();
    const registry = new RunRegistry({ backend });
    const { record, bytes } = await makeRun();
    await registry.save(record, bytes);
    await backend.put('run/run-ffffffffffffffff', '{not json');
    const listed = await registry.list();
    expect(listed.runs).toEqual([record]);
    expect(listed.unreadable).toEqual([
      { key: 'run/run-ffffffffffffffff', reason: 'the stored text is not valid JSON' },
    ]);
    expect(await backend.get('run/run-ffffffffffffffff')).toBe('{not json');
    await expect(registry.get('run-ffffffffffffffff')).rejects.toMatchObject({ kind: 'damaged' });
    await backend.put(record.weights!.key, bytes.subarray(0, 40));
    await expect(registry.weights(record)).rejects.toMatchObject({ kind: 'damaged' });
  });

  it('reports the estimated usage, or that there is none', async () => {
    const withQuota = new RunRegistry({
      backend: createMemoryBackend(),
      estimate: async () => ({ usage: 12 * 1024 ** 2, quota: 1.5 * 1024 ** 3 }),
    });
    // 12 MiB of 1.5 GiB = 12 / 1536 = 0.78 %, shown as 1 %.
    expect(await withQuota.usage()).toEqual({
      available: true,
      usageBytes: 12 * 1024 ** 2,
      quotaBytes: 1.5 * 1024 ** 3,
      usedShare: 12 / 1536,
      message: 'About 12.0 MB of 1.50 GB used (1%).',
    });
    const memory = createMemoryBackend({ quotaBytes: 10_000 });
    const registry = new RunRegistry({ backend: memory, estimate: memory.estimate });
    const { record, bytes } = await makeRun();
    await registry.save(record, bytes);
    const usage = await registry.usage();
    // The memory backend counts 44 weight bytes plus the record's UTF-8 JSON.
    const text = (await memory.get(`run/${record.id}`)) as string;
    expect(usage.available && usage.usageBytes).toBe(
      44 + new TextEncoder().encode(text).byteLength,
    );
    expect(usage.available && usage.quotaBytes).toBe(10_000);
    expect(await new RunRegistry({ backend: memory }).usage()).toMatchObject({ available: false });
    const failing = new RunRegistry({
      backend: memory,
      estimate: async () => Promise.reject(new Error('denied')),
    });
    expect(await failing.usage()).toEqual({
      available: false,
      message: 'The storage estimate failed: denied.',
    });
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3482)).toBe('3.4 KB');
  });
});
