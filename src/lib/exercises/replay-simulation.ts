/**
 * Replays an exercise in a simulation sandbox: the sandbox's state is a deterministic function
 * of its inputs (`SandboxKind.stateOf`), so a replay is that function on the receipt's inputs,
 * validated first. The same code runs in Node and in the page; no tfjs.
 */
import { sandboxKind } from './kinds/index';
import type { FlatState } from './receipt-schema';
import type { ReplayFunction } from './receipts';

/** What a simulation replay reports as its backend: plain JavaScript, the same everywhere. */
export const SIMULATION_BACKEND = 'js';

/**
 * The state of a simulation sandbox for these inputs (validated and completed from the
 * sandbox's defaults). Throws a RangeError on refused inputs, or when the sandbox has no
 * `stateOf` (training: replay it with `replay-training.ts`).
 */
export function simulationState(sandbox: string, inputs: Record<string, unknown>): FlatState {
  const kind = sandboxKind(sandbox);
  if (!kind.stateOf) {
    throw new RangeError(`the ${sandbox} sandbox is not a simulation: replay it by training`);
  }
  return kind.stateOf(kind.parseInputs(inputs));
}

/** A {@link ReplayFunction} for `verifyReceipt` that recomputes a simulation sandbox's state. */
export function createSimulationReplay(sandbox: string): ReplayFunction {
  return async (inputs) => ({
    state: simulationState(sandbox, inputs),
    backend: SIMULATION_BACKEND,
  });
}
