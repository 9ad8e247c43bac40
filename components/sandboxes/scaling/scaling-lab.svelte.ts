/**
 * The scalability lab's life on the page: its inputs, the analytic days recomputed in the worker
 * after every change (the exercises read them), request-level runs on Run with their progress,
 * Stop and Reset, and the inputs exercises load. The component keeps only controls and drawing.
 */
import * as Comlink from 'comlink';
import type { FlatState } from '../../../src/lib/exercises/receipt-schema';
import {
  scalingKind,
  type ScalingAnalyticView,
  type ScalingSandboxInputs,
} from '../../../src/lib/exercises/kinds/scaling';
import type { ScalingProgress, ScalingRequestLevelView } from '../../../src/workers/scaling.worker';
import { handleSandboxInputs, publishSandboxSnapshot } from '../../course/sandbox-bus';
import { startScalingWorker, type ScalingWorkerHandle } from './scaling-worker';

/** The contract's `data-status`. */
export type LabStatus = 'idle' | 'running' | 'done' | 'error';
/** Which engine the learner looks at. */
export type LabMode = 'analytic' | 'request-level';

/** A computed view with the inputs it was computed for and its time. */
export interface Shown<View> {
  inputs: ScalingSandboxInputs;
  view: View;
  ms: number;
}

/** A request-level run shown, with its queue limit. */
export interface ShownRequestLevel extends Shown<ScalingRequestLevelView> {
  /** Requests allowed to wait (0 = no limit). */
  queueLimit: number;
}

/** Reactive state and actions of the lab (Svelte 5 runes). */
export class ScalingLab {
  inputs: ScalingSandboxInputs = $state({ ...scalingKind.defaults });
  mode: LabMode = $state('analytic');
  /** Request-level mode only: most requests allowed to wait, 0 = no limit. */
  queueLimit: number = $state(0);
  status: LabStatus = $state('idle');
  analytic: Shown<ScalingAnalyticView> | null = $state.raw(null);
  requestLevel: ShownRequestLevel | null = $state.raw(null);
  progress: ScalingProgress | null = $state(null);
  /** A refused input or a failed run, in plain words. */
  message: string | null = $state(null);
  /** Whether a request-level run is in flight. */
  simulating: boolean = $state(false);

  /** true when the request-level result shown was computed for other settings. */
  readonly requestLevelStale: boolean = $derived(
    this.requestLevel !== null &&
      (JSON.stringify(this.requestLevel.inputs) !== JSON.stringify(this.#plainInputs()) ||
        this.requestLevel.queueLimit !== this.queueLimit),
  );

  /** The numbers shown now: the request-level run in that mode (if any), else the analytic. */
  readonly shownMode: LabMode = $derived(
    this.mode === 'request-level' && this.requestLevel !== null ? 'request-level' : 'analytic',
  );

  #worker: ScalingWorkerHandle | null = null;
  #sequence = 0;
  #runNumber = 0;

  /**
   * The contract's `data-result`: the state of the numbers shown and which mode they are; for a
   * request-level run also the requests drawn and the run's times (`run.*Ms`).
   */
  get result(): Record<string, unknown> {
    if (this.shownMode === 'request-level' && this.requestLevel) {
      const { view, ms } = this.requestLevel;
      return {
        mode: 'request-level',
        requests: view.requests,
        'run.totalMs': Math.round(ms),
        'run.arrivalsMs': Math.round(view.stageMs.arrivals),
        'run.aMs': Math.round(view.stageMs.a),
        'run.bMs': Math.round(view.stageMs.b),
        ...view.state,
      };
    }
    return this.analytic ? { mode: 'analytic', ...this.analytic.view.state } : {};
  }

  #plainInputs(): ScalingSandboxInputs {
    return $state.snapshot(this.inputs) as ScalingSandboxInputs;
  }

  #ensureWorker(): ScalingWorkerHandle['api'] {
    this.#worker ??= startScalingWorker();
    return this.#worker.api;
  }

  /** Stops the worker (a run in flight is abandoned). */
  dispose(): void {
    this.#worker?.stop();
    this.#worker = null;
  }

  /**
   * Validates the inputs and recomputes the analytic days in the worker; only the latest request
   * is shown. Published to the exercises when it arrives.
   */
  update = async (): Promise<void> => {
    if (this.simulating) return;
    const sequence = ++this.#sequence;
    let parsed: ScalingSandboxInputs;
    try {
      parsed = scalingKind.parseInputs(this.#plainInputs());
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.status = 'running';
    this.publish();
    const started = performance.now();
    try {
      const view = await this.#ensureWorker().analytic(parsed);
      if (sequence !== this.#sequence) return;
      this.analytic = { inputs: parsed, view, ms: performance.now() - started };
      this.message = null;
      this.#runNumber += 1;
      this.status = 'done';
    } catch (error) {
      if (sequence !== this.#sequence) return;
      this.#fail(error);
      return;
    }
    this.publish();
  };

  /** Run: the request-level day in that mode, else a fresh analytic computation. */
  run = async (event?: SubmitEvent): Promise<void> => {
    event?.preventDefault();
    if (this.simulating) return;
    if (this.mode === 'analytic') {
      await this.update();
      return;
    }
    let parsed: ScalingSandboxInputs;
    try {
      parsed = scalingKind.parseInputs(this.#plainInputs());
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (!(Number.isInteger(this.queueLimit) && this.queueLimit >= 0)) {
      this.#fail(new RangeError('The queue limit must be a whole number of requests, 0 for none.'));
      return;
    }
    const queueLimit = this.queueLimit;
    const sequence = ++this.#sequence;
    this.simulating = true;
    this.status = 'running';
    this.message = null;
    this.progress = { fraction: 0, text: 'Starting the simulation…' };
    this.publish();
    const started = performance.now();
    try {
      const view = await this.#ensureWorker().requestLevel(
        parsed,
        queueLimit,
        Comlink.proxy((progress: ScalingProgress) => {
          if (sequence === this.#sequence) this.progress = progress;
        }),
      );
      if (sequence !== this.#sequence) return;
      this.requestLevel = { inputs: parsed, view, ms: performance.now() - started, queueLimit };
      this.status = 'done';
    } catch (error) {
      if (sequence !== this.#sequence) return;
      this.#fail(error);
    } finally {
      if (sequence === this.#sequence) {
        this.simulating = false;
        this.progress = null;
      }
    }
    this.publish();
  };

  /** Abandons a request-level run: the worker is stopped and started afresh on the next use. */
  stop = (): void => {
    if (!this.simulating) return;
    this.#sequence += 1;
    this.dispose();
    this.simulating = false;
    this.progress = null;
    this.status = this.analytic ? 'done' : 'idle';
    this.message = 'The simulation was stopped.';
    this.publish();
  };

  /** Back to the defaults and the analytic mode, with no request-level result. */
  reset = (): void => {
    if (this.simulating) return;
    this.inputs = { ...scalingKind.defaults };
    this.mode = 'analytic';
    this.queueLimit = 0;
    this.requestLevel = null;
    this.message = null;
    void this.update();
  };

  #fail(error: unknown): void {
    this.message = error instanceof Error ? error.message : String(error);
    this.status = 'error';
    this.publish();
  }

  /** Sends the analytic state (what exercises grade) to the exercises on the page. */
  publish(): void {
    const state: FlatState = this.analytic ? this.analytic.view.state : {};
    publishSandboxSnapshot(scalingKind.id, {
      status: this.status,
      state,
      inputs: this.analytic ? { ...this.analytic.inputs } : this.#plainInputs(),
      backend: 'js',
      runNumber: this.#runNumber,
    });
  }

  /** Lets exercises load their inputs (not during a run); returns the function that stops it. */
  acceptExerciseInputs(): () => void {
    return handleSandboxInputs(scalingKind.id, (next) => {
      if (this.simulating) return;
      try {
        this.inputs = scalingKind.parseInputs({ ...this.#plainInputs(), ...next });
        this.mode = 'analytic';
        this.message = null;
      } catch (error) {
        this.message = error instanceof Error ? error.message : String(error);
      }
    });
  }
}
