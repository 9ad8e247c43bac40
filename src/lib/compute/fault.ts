/**
 * A simulated backend fault, named in a URL (`?simulateFault=webgpu@2.5`: the WebGPU backend
 * throws before batch 5 of epoch 2), so the fallback path can be shown and tested in a real
 * browser without real broken hardware.
 */
import { isBackendName, type BackendName } from './backend-names';

/** Where the simulated fault strikes. */
export interface SimulatedFault {
  backend: BackendName;
  /** 1-based epoch. */
  epoch: number;
  /** 0-based batch within the epoch. */
  batch: number;
}

/** Parses `backend@epoch.batch`; returns null for anything else, so a bad value is ignored. */
export function parseSimulatedFault(value: string | null): SimulatedFault | null {
  if (value === null) return null;
  const match = /^([a-z]+)@(\d{1,3})\.(\d{1,5})$/.exec(value.trim());
  if (!match) return null;
  const [, backend = '', epoch = '', batch = ''] = match;
  if (!isBackendName(backend) || Number(epoch) < 1) return null;
  return { backend, epoch: Number(epoch), batch: Number(batch) };
}
