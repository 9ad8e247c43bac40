/**
 * The compute backends the course can train on, and how to bring one up. tfjs backends register
 * themselves when their package is imported, so each is loaded on demand: a learner who never
 * asks for WebGPU never downloads it.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Backends in the order a GPU machine usually ranks them; the probe measures the real order. */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** One tfjs backend. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * The order tried before anything is measured, and for falling back: WASM first (fastest for
 * small models on a CPU, measured here at about half of CPU's time per epoch), then the pure-JS
 * CPU backend that cannot fail to start, then the GPU ones.
 */
export const SAFE_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

/** Loads (imports and configures) a backend's package so that tfjs can set it. */
export type BackendLoader = () => Promise<unknown>;

/** One loader per backend. */
export type BackendLoaders = Record<BackendName, BackendLoader>;

/** Whether a backend came up, and if not, why in plain words. */
export type ActivationResult =
  { ok: true; backend: BackendName } | { ok: false; backend: BackendName; reason: string };

/** true when the string names a known backend. */
export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Loads and switches to a backend, within a time limit. Success is read from tf.getBackend()
 * afterwards, because setBackend can report failure quietly (WebGPU without an adapter).
 */
export async function activateBackend(
  name: BackendName,
  loaders: BackendLoaders,
  timeoutMs = 15_000,
): Promise<ActivationResult> {
  try {
    await withTimeout(loaders[name](), timeoutMs, `Loading ${name}`);
    const switched = await withTimeout(tf.setBackend(name), timeoutMs, `Starting ${name}`);
    if (!switched || tf.getBackend() !== name) {
      return { ok: false, backend: name, reason: `${name} is not available in this browser` };
    }
    await tf.ready();
    return { ok: true, backend: name };
  } catch (error) {
    return {
      ok: false,
      backend: name,
      reason: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * The order in which to try backends for a run: the requested one first (or, for `auto`, the
 * measured ranking, else {@link SAFE_ORDER}), then the rest of the safe order as fallbacks.
 */
export function backendAttemptOrder(
  requested: BackendName | 'auto',
  measuredRanking: readonly BackendName[] | null,
): BackendName[] {
  const head: BackendName[] =
    requested === 'auto' ? [...(measuredRanking ?? SAFE_ORDER)] : [requested];
  const order: BackendName[] = [];
  for (const name of [...head, ...SAFE_ORDER]) if (!order.includes(name)) order.push(name);
  return order;
}
