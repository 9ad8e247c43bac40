/// <reference lib="webworker" />
/**
 * The replay worker: recomputes a simulation sandbox's state from a receipt's inputs (the
 * drift and rollout kinds take up to about a second), off the main thread of the progress page.
 */
import * as Comlink from 'comlink';
import type { FlatState } from '../lib/exercises/receipt-schema';
import { simulationState } from '../lib/exercises/replay-simulation';

const api = {
  /** The state of a simulation sandbox for these inputs (see replay-simulation.ts). */
  simulationState(sandbox: string, inputs: Record<string, unknown>): FlatState {
    return simulationState(sandbox, inputs);
  },
};

/** What the page can call on the replay worker. */
export type ReplayWorkerApi = typeof api;

Comlink.expose(api);
