/**
 * The default replay tolerances of exercises (and of the run registry, which reproduces runs the
 * same way). Plain data without zod, so the page can use them; the exercise schema fills them in
 * as defaults of an exercise file's `tolerance` block.
 */

/** One tolerance: |a − b| ≤ absolute + relative·max(|a|, |b|). */
export interface ToleranceEntry {
  absolute: number;
  relative: number;
}

/** A tolerance block with every field present (the shape of `ExerciseTolerance`). */
export interface ToleranceDefaults extends ToleranceEntry {
  paths: Record<string, ToleranceEntry>;
  ignore: string[];
  exactOn: string[];
}

/**
 * The tolerance a training exercise uses unless its file says otherwise. Metrics over thousands
 * of rows (accuracy, false-positive rate, the AUCs) get 0.03; recall, precision and F1 rest on a
 * few dozen frauds, where one borderline fraud that flips is worth 1/positives (≈ 0.016 at 60),
 * so they get 0.05. Counts get a few rows plus a share. Settings, split sizes and epochs, which
 * no backend changes, must match exactly. Measured in Node, CPU against WASM: metrics agree to
 * ~1e-8 except an occasional single flipped fraud.
 */
export const DEFAULT_TRAINING_TOLERANCE: ToleranceDefaults = {
  absolute: 0.03,
  relative: 0,
  paths: {
    'settings.*': { absolute: 0, relative: 0 },
    'run.epochs': { absolute: 0, relative: 0 },
    'validation.rows': { absolute: 0, relative: 0 },
    'validation.positives': { absolute: 0, relative: 0 },
    'test.rows': { absolute: 0, relative: 0 },
    'test.positives': { absolute: 0, relative: 0 },
    'confusion.truePositives': { absolute: 3, relative: 0.1 },
    'confusion.falseNegatives': { absolute: 3, relative: 0.1 },
    'confusion.falsePositives': { absolute: 10, relative: 0.2 },
    'confusion.trueNegatives': { absolute: 10, relative: 0.01 },
    'validation.logLoss': { absolute: 0.05, relative: 0.1 },
    'test.logLoss': { absolute: 0.05, relative: 0.1 },
    'validation.recall': { absolute: 0.05, relative: 0 },
    'validation.precision': { absolute: 0.05, relative: 0 },
    'validation.f1': { absolute: 0.05, relative: 0 },
    'test.recall': { absolute: 0.05, relative: 0 },
    'test.precision': { absolute: 0.05, relative: 0 },
    'test.f1': { absolute: 0.05, relative: 0 },
  },
  ignore: ['run.backend'],
  exactOn: ['cpu'],
};

/**
 * The tolerance of an exercise in a simulation sandbox: its state is a deterministic function of
 * its inputs in plain JavaScript, so a replay must agree to rounding error (1e-9), on any machine.
 */
export const DEFAULT_SIMULATION_TOLERANCE: ToleranceDefaults = {
  absolute: 1e-9,
  relative: 1e-9,
  paths: {},
  ignore: [],
  exactOn: [],
};
