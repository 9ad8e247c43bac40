/**
 * A tiny in-page bus between a sandbox and the exercises beside it. Astro hydrates each island
 * separately, but they share this module, so a sandbox publishes its state here and an exercise
 * subscribes to it; an exercise can also ask the sandbox to load its starting scenario.
 */
import type { FlatState } from '../../src/lib/exercises/receipt-schema';
import type { ScoredRows } from '../../src/lib/compute/training-job';

/** What a sandbox publishes after every change. */
export interface SandboxSnapshot {
  /** data-status of the sandbox. */
  status: 'idle' | 'running' | 'done' | 'error';
  /** The state checks read, flattened to dotted paths. */
  state: FlatState;
  /** The sandbox's inputs now (for the training sandbox, its settings). */
  inputs: Record<string, unknown>;
  /** The backend of the last finished run, if any. */
  backend: string | null;
  /** Counts finished runs, so a listener can tell a new result from a re-published one. */
  runNumber: number;
  /** The last finished model's validation scores, labels and amounts (training sandbox). */
  scored?: ScoredRows | null;
  /** A short description of the model that produced `scored`, e.g. `MLP 14→32→16→1, seed 42`. */
  scoredBy?: string;
}

type SnapshotListener = (snapshot: SandboxSnapshot) => void;
type InputsHandler = (inputs: Record<string, unknown>) => void;

const latest = new Map<string, SandboxSnapshot>();
const listeners = new Map<string, Set<SnapshotListener>>();
const inputHandlers = new Map<string, InputsHandler>();

/** Publishes a sandbox's current snapshot to every subscriber. */
export function publishSandboxSnapshot(sandboxId: string, snapshot: SandboxSnapshot): void {
  latest.set(sandboxId, snapshot);
  for (const listener of listeners.get(sandboxId) ?? []) listener(snapshot);
}

/** Subscribes to a sandbox; the listener is called at once with the latest snapshot, if any. */
export function subscribeSandbox(sandboxId: string, listener: SnapshotListener): () => void {
  const set = listeners.get(sandboxId) ?? new Set<SnapshotListener>();
  set.add(listener);
  listeners.set(sandboxId, set);
  const current = latest.get(sandboxId);
  if (current) listener(current);
  return () => set.delete(listener);
}

/** Lets a sandbox accept input changes from exercises (one handler per sandbox id). */
export function handleSandboxInputs(sandboxId: string, handler: InputsHandler): () => void {
  inputHandlers.set(sandboxId, handler);
  return () => {
    if (inputHandlers.get(sandboxId) === handler) inputHandlers.delete(sandboxId);
  };
}

/** Asks a sandbox to take these inputs; false when no such sandbox is on the page yet. */
export function requestSandboxInputs(sandboxId: string, inputs: Record<string, unknown>): boolean {
  const handler = inputHandlers.get(sandboxId);
  if (!handler) return false;
  handler(inputs);
  return true;
}
