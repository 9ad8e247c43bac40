// fake-indexeddb: an implementation of the IndexedDB spec in plain JavaScript, so the backend's
// real code (transactions, key ranges, structured clone) runs here as it does in a browser.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createIndexedDbBackend, indexedDbAvailable } from '../../src/lib/registry/idb-backend';
import { RunRegistry } from '../../src/lib/registry/store';
import { makeRun } from './registry-fixtures';

let dbCounter = 0;
const freshName = (): string => `test-registry-${++dbCounter}`;

describe('createIndexedDbBackend', () => {
  it('reports IndexedDB as available where the global exists', () => {
    expect(indexedDbAvailable()).toBe(true);
  });

  it('stores text and bytes, replaces, deletes, and lists keys by prefix only', async () => {
    const backend = createIndexedDbBackend(freshName());
    await backend.put('run/a', '{"x":1}');
    await backend.put('run/b', '{"x":2}');
    await backend.put('weights/a', new Uint8Array([1, 2, 3, 250]));
    await backend.put('runner', 'not a run key');
    await backend.put('run/a', '{"x":3}');

    expect(await backend.get('run/a')).toBe('{"x":3}');
    const bytes = await backend.get('weights/a');
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...(bytes as Uint8Array)]).toEqual([1, 2, 3, 250]);
    expect((await backend.keys('run/')).sort()).toEqual(['run/a', 'run/b']);
    expect(await backend.keys('weights/')).toEqual(['weights/a']);

    await backend.delete('run/b');
    await backend.delete('run/never-there');
    expect(await backend.get('run/b')).toBeUndefined();
    expect(await backend.keys('run/')).toEqual(['run/a']);
  });

  it('keeps what it stored for a second backend over the same database (a reload)', async () => {
    const name = freshName();
    await createIndexedDbBackend(name).put('run/kept', 'text');
    expect(await createIndexedDbBackend(name).get('run/kept')).toBe('text');
    expect(await createIndexedDbBackend(freshName()).get('run/kept')).toBeUndefined();
  });

  it('carries a run registry: save, list, read weights back bit for bit, delete', async () => {
    const registry = new RunRegistry({ backend: createIndexedDbBackend(freshName()) });
    const { record, bytes: weightBytes } = await makeRun();
    await registry.save(record, weightBytes);
    const listed = await registry.list();
    expect(listed.unreadable).toEqual([]);
    expect(listed.runs.map((run) => run.id)).toEqual([record.id]);
    expect(await registry.get(record.id)).toEqual(record);
    expect(await registry.weights(record)).toEqual(weightBytes);
    expect(await registry.delete(record.id)).toBe(true);
    expect((await registry.list()).runs).toEqual([]);
  });
});
