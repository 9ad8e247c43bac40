/// <reference lib="webworker" />
/**
 * The scalability lab's worker (lesson 7): both modes of the lab run here, off the main thread.
 *
 * - `analytic`: both configurations' analytic days (Erlang C per 15-second tick) and the exercise
 *   state — about 10–20 ms warm, more on the first call while the JIT warms up.
 * - `requestLevel`: the day request by request — arrivals drawn one hour at a time, then A and B
 *   simulated over the same arrivals (about a second each for 10 million requests). The
 *   simulation of one configuration is one pure run of the engine (request-sim.ts) that cannot
 *   report from inside, so progress is reported honestly by stage: after each hour of arrivals,
 *   and when each configuration's simulation starts and ends. The weights of the stages are
 *   fixed shares of a typical run (arrivals 15%, A 42.5%, B 42.5%).
 */
import * as Comlink from 'comlink';
import {
  configOf,
  scalingAnalyticView,
  scalingKind,
  scalingStateOfDays,
  sideLabel,
  workloadOf,
  type ScalingAnalyticView,
} from '../lib/exercises/kinds/scaling';
import type { FlatState } from '../lib/exercises/receipt-schema';
import {
  labArrivals,
  labRatesPerMinute,
  labRequestLevelDay,
  type LabDayResult,
} from '../lib/scaling/lab';
import { compareReports, type ComparisonRow } from '../lib/scaling/report';

/** One progress report of a request-level run. */
export interface ScalingProgress {
  /** Share of the run done, 0–1 (by stage weights, see the module comment). */
  fraction: number;
  /** What is happening, in plain words. */
  text: string;
}

/** What a request-level run returns. */
export interface ScalingRequestLevelView {
  /** Requests drawn for the day. */
  requests: number;
  /** Configuration A's day. */
  a: LabDayResult;
  /** Configuration B's day. */
  b: LabDayResult;
  /** compareReports(A, B). */
  comparison: ComparisonRow[];
  /** The same paths as the analytic state, from the request-level days (never graded). */
  state: FlatState;
  /** Wall time of each stage in the worker, ms. */
  stageMs: { arrivals: number; a: number; b: number };
}

const ARRIVALS_SHARE = 0.15;
const SIMULATION_SHARE = (1 - ARRIVALS_SHARE) / 2;

const api = {
  /** Both analytic days and the exercise state (inputs validated by the kind). */
  analytic(inputs: Record<string, unknown>): ScalingAnalyticView {
    return scalingAnalyticView(scalingKind.parseInputs(inputs));
  },

  /**
   * The request-level day of both configurations over the same arrivals; `queueLimit` requests
   * may wait (Infinity or 0 = no limit). Progress goes to `onProgress` (a Comlink proxy).
   */
  async requestLevel(
    raw: Record<string, unknown>,
    queueLimit: number,
    onProgress: (progress: ScalingProgress) => void,
  ): Promise<ScalingRequestLevelView> {
    const inputs = scalingKind.parseInputs(raw);
    const workload = workloadOf(inputs);
    const limit = queueLimit > 0 ? queueLimit : Infinity;
    // Each await lets the progress message leave before the next blocking stage.
    const report = async (fraction: number, text: string): Promise<void> => {
      await onProgress({ fraction, text });
    };
    await report(0, 'Drawing the day’s arrivals…');
    let started = performance.now();
    const pending: Promise<void>[] = [];
    const arrivals = labArrivals(workload, (hours) => {
      pending.push(
        Promise.resolve(
          onProgress({
            fraction: (ARRIVALS_SHARE * hours) / 24,
            text: `Drawing the day’s arrivals: ${hours} of 24 hours…`,
          }),
        ),
      );
    });
    await Promise.all(pending);
    const arrivalsMs = performance.now() - started;
    const count = arrivals.count.toLocaleString('en-US');

    await report(ARRIVALS_SHARE, `Simulating ${count} requests through configuration A…`);
    started = performance.now();
    const a = labRequestLevelDay(configOf(inputs, 'a'), workload, arrivals, limit, sideLabel('a'));
    const aMs = performance.now() - started;

    await report(
      ARRIVALS_SHARE + SIMULATION_SHARE,
      `Simulating ${count} requests through configuration B…`,
    );
    started = performance.now();
    const b = labRequestLevelDay(configOf(inputs, 'b'), workload, arrivals, limit, sideLabel('b'));
    const bMs = performance.now() - started;
    await report(1, 'Summarising…');

    return {
      requests: arrivals.count,
      a,
      b,
      comparison: compareReports(a.report, b.report),
      state: scalingStateOfDays(inputs, a, b, labRatesPerMinute(workload)),
      stageMs: { arrivals: arrivalsMs, a: aMs, b: bMs },
    };
  },
};

/** The scaling worker's API as seen through Comlink. */
export type ScalingWorkerApi = typeof api;

Comlink.expose(api);
