/**
 * The run receipt: what a submission records so that anyone can later check it by replaying it.
 * The schema is zod/mini because receipts are read back in the browser (progress, imports).
 */
import * as z from 'zod/mini';

/** A value a check can read: numbers, strings, booleans, or null when a metric is undefined. */
export const stateValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** A sandbox state flattened to dotted paths (`validation.rocAuc` → 0.93), as checks read it. */
export const flatStateSchema = z.record(z.string(), stateValueSchema);

/** The receipt of one submission. */
export const receiptSchema = z.object({
  /** Marks the JSON as ours, so a foreign file is refused with a clear reason. */
  format: z.literal('mlsdl-receipt'),
  /** Receipt format version. */
  version: z.literal(1),
  exerciseId: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The sandbox the exercise runs in, e.g. `training`. */
  sandbox: z.string().check(z.minLength(1), z.maxLength(50)),
  /** The student's variant: the code they entered (null for the default) and the values it gave. */
  variant: z.object({
    code: z.nullable(z.string().check(z.maxLength(100))),
    params: z.record(z.string(), z.number()),
  }),
  /** The sandbox inputs of the run, e.g. the training settings. */
  inputs: z.record(z.string(), z.unknown()),
  /** The sandbox state the checks were evaluated on, flattened. */
  results: flatStateSchema,
  /** Whether the checks passed on `results`. */
  passed: z.boolean(),
  /** The compute backend that produced the results (training sandboxes). */
  backend: z.string(),
  /** The course version that produced it (package.json version). */
  appVersion: z.string(),
  /** ISO 8601 time of the submission. */
  createdAt: z.string(),
  /** SHA-256 (hex) over the canonical JSON of exerciseId, sandbox, variant and inputs. */
  inputsHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});

/** One submission's receipt. */
export type Receipt = z.infer<typeof receiptSchema>;

/** A sandbox state flattened to dotted paths. */
export type FlatState = z.infer<typeof flatStateSchema>;
