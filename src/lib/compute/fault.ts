/**
 * A simulated backend fault, named in a URL, so the fallback path can be shown and tested in a
 * real browser without broken hardware: `?simulateFault=wasm@2.5` makes the backend throw before
 * batch 5 of epoch 2; `?simulateFault=webgpu@2.5:lost` really loses the device there (WebGPU's
 * `GPUDevice.destroy()`, WebGL's `WEBGL_lose_context`), so the failure surfaces the way a
 * crashed driver's would, from the backend itself.
 */
import { isBackendName, type BackendName } from './backend-names';

/** Where the simulated fault strikes. */
export interface SimulatedFault {
  backend: BackendName;
  /** 1-based epoch. */
  epoch: number;
  /** 0-based batch within the epoch. */
  batch: number;
  /** `error`: the step throws; `device-lost`: the GPU device or context is really lost. */
  kind: 'error' | 'device-lost';
}

/** The backends whose device can really be lost (the others can only throw). */
export const LOSABLE_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];

/**
 * Parses `backend@epoch.batch`, optionally followed by `:lost` for a GPU backend; returns null
 * for anything else, so a bad value is ignored.
 */
export function parseSimulatedFault(value: string | null): SimulatedFault | null {
  if (value === null) return null;
  const match = /^([a-z]+)@(\d{1,3})\.(\d{1,5})(:lost)?$/.exec(value.trim());
  if (!match) return null;
  const [, backend = '', epoch = '', batch = '', lost] = match;
  if (!isBackendName(backend) || Number(epoch) < 1) return null;
  if (lost !== undefined && !LOSABLE_BACKENDS.includes(backend)) return null;
  return {
    backend,
    epoch: Number(epoch),
    batch: Number(batch),
    kind: lost === undefined ? 'error' : 'device-lost',
  };
}
