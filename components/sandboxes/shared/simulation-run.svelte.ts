/**
 * The life of a simulation sandbox that computes when the learner presses Run: its inputs, the
 * validation by its exercise kind, the computation (usually in a worker), the state published to
 * the exercises on the page, and the inputs they load into it. The sandbox's component keeps
 * only its controls and its drawing.
 */
import type { FlatState } from '../../../src/lib/exercises/receipt-schema';
import type { SandboxKind } from '../../../src/lib/exercises/sandbox-kind';
import { handleSandboxInputs, publishSandboxSnapshot } from '../../course/sandbox-bus';
import type { RecordOutcome } from '../../course/run-registry-client';
import { recordRun } from '../../course/record-run';
import { inputsFromLink, saveInputsToLink } from './url-link';

/** The contract's `data-status`. */
export type RunStatus = 'idle' | 'running' | 'done' | 'error';

/** What the last finished run shows: the inputs it ran on, its result and its time. */
export interface ShownRun<Inputs, Result> {
  inputs: Inputs;
  result: Result;
  ms: number;
}

/** How a sandbox computes and what its exercises read from the result. */
export interface SimulationRunOptions<Inputs extends Record<string, unknown>, Result> {
  kind: SandboxKind<Inputs>;
  /** Computes a result from validated inputs (in a worker when it may take more than ~30 ms). */
  compute: (inputs: Inputs) => Promise<Result>;
  /** The exercise state within a result (the kind's `stateOf` of the same inputs). */
  stateOf: (result: Result) => FlatState;
  /** Frees what `compute` started (its worker) when the sandbox leaves the page. */
  dispose?: () => void;
  /**
   * Records each finished run in the run registry (sandboxes that train a model), or the runs
   * for which the function says so (those whose state `kind.stateOf` reproduces). The registry
   * code loads only then, so sandboxes that do not record never download it.
   */
  recordRuns?: boolean | ((result: Result) => boolean);
}

/** Reactive state and actions of one simulation sandbox (Svelte 5 runes). */
export class SimulationRun<Inputs extends Record<string, unknown>, Result> {
  inputs: Inputs = $state() as Inputs;
  status: RunStatus = $state('idle');
  shown: ShownRun<Inputs, Result> | null = $state.raw(null);
  /** A refused input or a failed run, in plain words (shown with role="alert"). */
  message: string | null = $state(null);
  /** Whether the last run was recorded (with `recordRuns`), in the words the sandbox shows. */
  recording: RecordOutcome | null = $state.raw(null);
  /** true when the inputs changed since the results shown were computed. */
  readonly stale: boolean = $derived(
    this.shown !== null &&
      JSON.stringify(this.shown.inputs) !== JSON.stringify(this.#plainInputs()),
  );
  #runNumber = 0;

  constructor(readonly options: SimulationRunOptions<Inputs, Result>) {
    this.inputs = { ...options.kind.defaults };
  }

  /** The state exercises read, as the contract's `data-result` (reactive: it reads `shown`). */
  get result(): FlatState {
    return this.shown ? this.options.stateOf(this.shown.result) : {};
  }

  /** The inputs now, as plain data (not Svelte's proxy). */
  #plainInputs(): Inputs {
    return $state.snapshot(this.inputs) as Inputs;
  }

  /** Validates the inputs, computes, shows the result and publishes it. */
  run = async (event?: SubmitEvent): Promise<void> => {
    event?.preventDefault();
    if (this.status === 'running') return;
    let parsed: Inputs;
    try {
      parsed = this.options.kind.parseInputs(this.#plainInputs());
    } catch (error) {
      this.message = error instanceof Error ? error.message : String(error);
      this.status = 'error';
      this.publish();
      return;
    }
    this.status = 'running';
    this.message = null;
    this.recording = null;
    this.publish();
    saveInputsToLink(this.options.kind, parsed);
    const started = performance.now();
    try {
      const result = await this.options.compute(parsed);
      this.shown = { inputs: parsed, result, ms: performance.now() - started };
      this.#runNumber += 1;
      this.status = 'done';
      const { recordRuns } = this.options;
      if (recordRuns === true || (typeof recordRuns === 'function' && recordRuns(result))) {
        this.#record(parsed, this.options.stateOf(result));
      }
    } catch (error) {
      this.message = error instanceof Error ? error.message : String(error);
      this.status = 'error';
    }
    this.publish();
  };

  #record(inputs: Inputs, state: FlatState): void {
    void recordRun((client) => client.recordSimulationRun(this.options.kind, inputs, state)).then(
      (outcome) => {
        // A newer run may have started meanwhile; its own recording will be shown.
        if (this.shown?.inputs === inputs) this.recording = outcome;
      },
    );
  }

  /** Back to the defaults, with no result shown. */
  reset = (): void => {
    if (this.status === 'running') return;
    this.inputs = { ...this.options.kind.defaults };
    this.shown = null;
    this.message = null;
    this.status = 'idle';
    this.publish();
  };

  /** Sends the current state to the exercises on the page. */
  publish(): void {
    publishSandboxSnapshot(this.options.kind.id, {
      status: this.status,
      state: this.result,
      inputs: this.shown ? { ...this.shown.inputs } : this.#plainInputs(),
      backend: 'js',
      runNumber: this.#runNumber,
    });
  }

  /**
   * For the component's onMount: takes the inputs of the page's link (`?<kind id>.<input>=…`;
   * refused parameters are reported in `message`), then accepts exercises' inputs until the
   * returned function runs, which also disposes of what `compute` started.
   */
  mount(): () => void {
    const link = inputsFromLink(this.options.kind);
    if (link.inputs) this.inputs = link.inputs;
    if (link.notice) this.message = link.notice;
    const stopAccepting = this.acceptExerciseInputs();
    return () => {
      stopAccepting();
      this.options.dispose?.();
    };
  }

  /**
   * Lets exercises load their inputs into this sandbox (not while it runs); a refused input is
   * reported in `message`. Returns the function that stops it.
   */
  acceptExerciseInputs(): () => void {
    return handleSandboxInputs(this.options.kind.id, (next) => {
      if (this.status === 'running') return;
      try {
        this.inputs = this.options.kind.parseInputs({ ...this.#plainInputs(), ...next });
        this.message = null;
      } catch (error) {
        this.message = error instanceof Error ? error.message : String(error);
      }
    });
  }
}
