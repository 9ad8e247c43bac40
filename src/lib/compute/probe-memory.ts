/**
 * Remembers the probe's ranking per device, so the probe runs once and later visits start on the
 * measured-fastest backend at once. Stored under a versioned key; anything unreadable is ignored
 * (the probe simply runs again), and results older than {@link PROBE_MAX_AGE_MS} expire because
 * browsers and drivers change.
 */
import * as z from 'zod/mini';
import { BACKEND_NAMES } from './backend-names';
import type { ProbeResult } from './probe';

/** The storage key, versioned so a change of format never misreads an old entry. */
export const PROBE_STORAGE_KEY = 'mlsdl.backend-probe.v1';
/** Thirty days, in ms. */
export const PROBE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** The subset of the Web Storage API this module needs (localStorage fits). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const backendName = z.enum(BACKEND_NAMES);
const storedSchema = z.object({
  deviceKey: z.string(),
  result: z.object({
    probes: z.array(
      z.object({
        backend: backendName,
        msPerStep: z.nullable(z.number()),
        startupMs: z.nullable(z.number()),
        note: z.optional(z.string()),
      }),
    ),
    ranking: z.array(backendName),
    measuredAt: z.number(),
  }),
});

/**
 * A key for "this browser on this machine": the user agent, the number of logical cores and
 * the GPU adapter's vendor and architecture when known. A different device gets a new probe.
 */
export function deviceKey(device: {
  userAgent: string;
  hardwareConcurrency?: number;
  gpu?: string;
}): string {
  return [device.userAgent, device.hardwareConcurrency ?? '?', device.gpu ?? 'no-gpu-info'].join(
    ' | ',
  );
}

/** The remembered probe for this device, or null when there is none, it is stale or unreadable. */
export function loadProbe(
  storage: KeyValueStorage,
  key: string,
  now = Date.now(),
): ProbeResult | null {
  let raw: string | null;
  try {
    raw = storage.getItem(PROBE_STORAGE_KEY);
  } catch {
    return null;
  }
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  const stored = storedSchema.safeParse(parsed);
  if (!stored.success || stored.data.deviceKey !== key) return null;
  if (now - stored.data.result.measuredAt > PROBE_MAX_AGE_MS) return null;
  const { probes, ranking, measuredAt } = stored.data.result;
  return {
    probes: probes.map((p) => ({
      backend: p.backend,
      msPerStep: p.msPerStep,
      startupMs: p.startupMs,
      ...(p.note === undefined ? {} : { note: p.note }),
    })),
    ranking,
    measuredAt,
  };
}

/** Stores a probe result for this device; returns false when storage refused it (quota, privacy mode). */
export function saveProbe(storage: KeyValueStorage, key: string, result: ProbeResult): boolean {
  try {
    storage.setItem(PROBE_STORAGE_KEY, JSON.stringify({ deviceKey: key, result }));
    return true;
  } catch {
    return false;
  }
}
