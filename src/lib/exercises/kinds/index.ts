/**
 * Every sandbox that exercises can run in, by id. The exercise schema, variants, receipts and
 * replays look kinds up here; adding a sandbox to exercises means adding its kind to this list.
 */
import type { SandboxKind } from '../sandbox-kind';
import { abTestKind } from './ab-test';
import { adsKind } from './ads';
import { batchOnlineKind } from './batch-online';
import { driftMonitorKind } from './drift-monitor';
import { modelCountKind } from './model-count';
import { pipelineBisectKind } from './pipeline-bisect';
import { returnsKind } from './returns';
import { rolloutKind } from './rollout';
import { scalingKind } from './scaling';
import { takeRateKind } from './take-rate';
import { trainingKind } from './training';

/** The kinds, in the order the schema lists them. */
export const SANDBOX_KINDS: readonly SandboxKind[] = [
  trainingKind,
  adsKind,
  returnsKind,
  takeRateKind,
  batchOnlineKind,
  abTestKind,
  scalingKind,
  modelCountKind,
  driftMonitorKind,
  rolloutKind,
  pipelineBisectKind,
];

/** The ids of every sandbox kind (`training`, `returns`, …). */
export const SANDBOX_KIND_IDS: readonly string[] = SANDBOX_KINDS.map((kind) => kind.id);

/** The kind with this id, or undefined. */
export function findSandboxKind(id: string): SandboxKind | undefined {
  return SANDBOX_KINDS.find((kind) => kind.id === id);
}

/** The kind with this id; throws when there is none (the schema guarantees it for exercises). */
export function sandboxKind(id: string): SandboxKind {
  const kind = findSandboxKind(id);
  if (!kind)
    throw new RangeError(
      `unknown sandbox "${id}" — expected one of ${SANDBOX_KIND_IDS.join(', ')}`,
    );
  return kind;
}
