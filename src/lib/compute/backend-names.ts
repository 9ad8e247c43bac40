/**
 * The names of the compute backends and the order in which a run tries them. No tfjs here: the
 * page's main thread imports this, and tfjs itself loads only inside the training worker.
 */

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

/** true when the string names a known backend. */
export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
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
