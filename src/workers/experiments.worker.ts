/// <reference lib="webworker" />
/**
 * The experiments worker: the peeking panel's Monte Carlo (lesson 4). One point is tens of
 * milliseconds; a whole curve (three methods × 20 looks × 20,000 simulated tests, plus the
 * boundaries) is about a second, so both stay off the main thread. Curves are kept per
 * (alpha, seed): asking again is instant.
 */
import * as Comlink from 'comlink';
import {
  peekingCurve,
  peekingPoint,
  type PeekingCurve,
  type PeekingPoint,
  type PeekingPointOptions,
} from '../lib/experiments/peeking-study';

const curves = new Map<string, PeekingCurve>();

const api = {
  /** The false-positive rate of one setting (see experiments/peeking-study). */
  point(options: PeekingPointOptions): PeekingPoint {
    return peekingPoint(options);
  },
  /** The false-positive rate of every method at 1 … 20 looks (see experiments/peeking-study). */
  curve(alpha: number, seed: number): PeekingCurve {
    const key = `${alpha}|${seed}`;
    let curve = curves.get(key);
    if (!curve) {
      curve = peekingCurve({ alpha, seed });
      curves.set(key, curve);
    }
    return curve;
  },
};

/** The experiments worker's API as seen through Comlink. */
export type ExperimentsWorkerApi = typeof api;

Comlink.expose(api);
