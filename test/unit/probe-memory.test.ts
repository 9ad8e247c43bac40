import { describe, expect, it } from 'vitest';
import {
  deviceKey,
  loadProbe,
  PROBE_MAX_AGE_MS,
  PROBE_STORAGE_KEY,
  saveProbe,
  type KeyValueStorage,
} from '@lib/compute/probe-memory';
import type { ProbeResult } from '@lib/compute/probe';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const result: ProbeResult = {
  probes: [
    { backend: 'wasm', msPerStep: 1.5, startupMs: 80 },
    { backend: 'webgpu', msPerStep: null, startupMs: null, note: 'no adapter' },
  ],
  ranking: ['wasm'],
  measuredAt: 1_000_000,
};

describe('probe memory', () => {
  const key = deviceKey({ userAgent: 'UA', hardwareConcurrency: 2 });

  it('remembers a probe for the same device', () => {
    const storage = memoryStorage();
    expect(saveProbe(storage, key, result)).toBe(true);
    expect(loadProbe(storage, key, result.measuredAt + 1000)).toEqual(result);
  });

  it('forgets it for another device, after it expires, or when the entry is unreadable', () => {
    const storage = memoryStorage();
    saveProbe(storage, key, result);
    expect(
      loadProbe(storage, deviceKey({ userAgent: 'UA', hardwareConcurrency: 8 }), result.measuredAt),
    ).toBeNull();
    expect(loadProbe(storage, key, result.measuredAt + PROBE_MAX_AGE_MS + 1)).toBeNull();
    storage.data.set(PROBE_STORAGE_KEY, '{not json');
    expect(loadProbe(storage, key)).toBeNull();
    storage.data.set(
      PROBE_STORAGE_KEY,
      JSON.stringify({ deviceKey: key, result: { ranking: ['tpu'] } }),
    );
    expect(loadProbe(storage, key)).toBeNull();
  });

  it('reports a storage that refuses writes instead of throwing', () => {
    const full: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(saveProbe(full, key, result)).toBe(false);
    expect(loadProbe(full, key)).toBeNull();
  });
});
