/**
 * A sandbox's inputs in the page's address, for links that reproduce a setting: read once when
 * the sandbox mounts, written (with history.replaceState, so no new history entry) when the
 * learner runs. The reading and its refusals live in `src/lib/exercises/url-inputs.ts`.
 */
import type { SandboxKind } from '../../../src/lib/exercises/sandbox-kind';
import {
  describeUrlProblems,
  readUrlInputs,
  writeUrlInputs,
} from '../../../src/lib/exercises/url-inputs';

/** What the address gives a sandbox: inputs to use (null: keep the defaults) and a notice. */
export interface LinkInputs<Inputs> {
  inputs: Inputs | null;
  /** The refused parameters in plain words, or null when every one was usable. */
  notice: string | null;
}

/** Reads the sandbox's inputs from `location.search` (never throws; nothing outside a browser). */
export function inputsFromLink<Inputs extends Record<string, unknown>>(
  kind: SandboxKind<Inputs>,
): LinkInputs<Inputs> {
  if (typeof location === 'undefined') return { inputs: null, notice: null };
  const read = readUrlInputs(kind, new URLSearchParams(location.search));
  return {
    inputs: read.applied.length > 0 ? read.inputs : null,
    notice: describeUrlProblems(read.problems),
  };
}

/** Writes the inputs into the address in place; a browser that refuses leaves it unchanged. */
export function saveInputsToLink<Inputs extends Record<string, unknown>>(
  kind: SandboxKind<Inputs>,
  inputs: Inputs,
): void {
  try {
    const query = writeUrlInputs(kind, inputs, new URLSearchParams(location.search)).toString();
    const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) {
      history.replaceState(history.state, '', url);
    }
  } catch {
    // The address is a convenience; a refused update changes nothing about the run.
  }
}
