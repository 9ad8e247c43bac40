/**
 * The run record: everything the run registry keeps about one training or simulation run, so
 * that it can be listed, compared, reproduced, exported and imported. Versioned and marked with a
 * format string (like receipts), validated with zod/mini because records are read back in the
 * page (IndexedDB, imported files), and sealed with a SHA-256 over its own canonical JSON so an
 * edited record is noticed. The weights themselves are kept apart (see `store.ts`); the record
 * holds their shape, byte length and SHA-256.
 */
import * as z from 'zod/mini';
import { canonicalJson, sha256Hex } from '../exercises/receipts';
import { flatStateSchema, type FlatState } from '../exercises/receipt-schema';

/** Marks JSON as a run record of this course, so a foreign file is refused with a clear reason. */
export const RUN_RECORD_FORMAT = 'mlsdl-run';
/** The record format version this code writes and reads. */
export const RUN_RECORD_VERSION = 1;

const hex64 = z.string().check(z.regex(/^[0-9a-f]{64}$/));
const count = z.int().check(z.gte(0));
const positiveCount = z.int().check(z.gte(1));

/** One setting of a run: a number, string, boolean, null, or a list of numbers (hiddenSizes). */
export const settingValueSchema = z.union([
  z.number(),
  z.string(),
  z.boolean(),
  z.null(),
  z.array(z.number()),
]);

/** A run's settings (its sandbox inputs), flat: name → value. */
export const runSettingsSchema = z.record(z.string(), settingValueSchema);

/** Data made by a seeded generator: its name, parameters and seed identify it completely. */
export const generatorDataSchema = z.object({
  kind: z.literal('generator'),
  /** Which generator, e.g. `fraud-features`. */
  generator: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The generator's parameters (rows, fraud rate, …). */
  params: runSettingsSchema,
  seed: z.int(),
  /** {@link dataVersionHash} of the above. */
  hash: hex64,
});

/** Data from a file the learner uploaded: identified by the SHA-256 of its bytes. */
export const uploadDataSchema = z.object({
  kind: z.literal('upload'),
  fileName: z.string().check(z.maxLength(300)),
  /** Size of the file in bytes. */
  bytes: count,
  /** SHA-256 (hex) of the file's bytes. */
  sha256: hex64,
});

/** The data version of a run: which data it trained or simulated on. */
export const dataVersionSchema = z.discriminatedUnion('kind', [
  generatorDataSchema,
  uploadDataSchema,
]);

/** One dense layer's shape: kernel inputSize × outputSize (row-major), bias outputSize. */
export const layerShapeSchema = z.object({ inputSize: positiveCount, outputSize: positiveCount });

/** The model a run trained: a stack of dense layers (ReLU between them, a logit out). */
export const modelSpecSchema = z.object({
  /** Model family, e.g. `mlp` or `logistic`. */
  family: z.string().check(z.minLength(1), z.maxLength(50)),
  /** Every layer from input to output. */
  layers: z.array(layerShapeSchema).check(z.minLength(1), z.maxLength(16)),
  /** Activation between layers, e.g. `relu`. */
  hiddenActivation: z.string(),
  /** Activation of the output, e.g. `sigmoid` (the stored weights produce the logit). */
  outputActivation: z.string(),
  /** Trainable parameters: Σ (inputSize × outputSize + outputSize). */
  parameters: count,
});

/** Where a run's weights are kept and what they must be. */
export const weightsRefSchema = z.object({
  /** The registry key of the weight bytes. */
  key: z.string().check(z.minLength(1)),
  /** Always float32, little-endian, layer by layer: kernel (row-major) then bias. */
  dtype: z.literal('float32'),
  /** Length of the weight bytes: 4 × parameters. */
  byteLength: count,
  /** SHA-256 (hex) of the weight bytes. */
  sha256: hex64,
});

/** The fields of a record that its hash covers (everything but `recordHash`). */
const recordBodyShape = {
  format: z.literal(RUN_RECORD_FORMAT),
  version: z.literal(RUN_RECORD_VERSION),
  /** `run-` and 16 hex digits of the SHA-256 of the record's content. */
  id: z.string().check(z.regex(/^run-[0-9a-f]{16}$/)),
  /** ISO 8601 time the run ended. */
  createdAt: z.iso.datetime(),
  /** The course version that ran it (package.json version). */
  appVersion: z.string().check(z.minLength(1), z.maxLength(50)),
  /** The sandbox id, e.g. `training`. */
  sandbox: z.string().check(z.minLength(1), z.maxLength(50)),
  /** Optional name the learner gave the run. */
  label: z.optional(z.string().check(z.maxLength(200))),
  dataVersion: dataVersionSchema,
  /** null for a simulation without a trained model. */
  model: z.nullable(modelSpecSchema),
  /** The run's settings (its sandbox inputs, hyperparameters included). */
  settings: runSettingsSchema,
  seed: z.int(),
  /** The compute backend that produced the results: cpu, wasm, webgl, webgpu, or js. */
  backend: z.string().check(z.minLength(1), z.maxLength(50)),
  /** The results, flat: dotted path → value. */
  metrics: flatStateSchema,
  /** null when the run has no weights. */
  weights: z.nullable(weightsRefSchema),
};

/** The schema of a run record. */
export const runRecordSchema = z.object({
  ...recordBodyShape,
  /** SHA-256 (hex) of the canonical JSON of every other field. */
  recordHash: hex64,
});

/** One run as the registry keeps it. */
export type RunRecord = z.infer<typeof runRecordSchema>;
/** A run's data version. */
export type DataVersion = z.infer<typeof dataVersionSchema>;
/** A run's model. */
export type ModelSpec = z.infer<typeof modelSpecSchema>;
/** A run's settings. */
export type RunSettings = z.infer<typeof runSettingsSchema>;
/** Where a run's weights are and what they must be. */
export type WeightsRef = z.infer<typeof weightsRefSchema>;

/** What identifies generated data: the generator, its parameters and the seed. */
export interface GeneratorData {
  generator: string;
  params: RunSettings;
  seed: number;
}

/** SHA-256 (hex) of bytes (Web Crypto; Node and browsers). */
export async function bytesSha256Hex(bytes: Uint8Array): Promise<string> {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const digest = await crypto.subtle.digest('SHA-256', copy);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The data version hash: for generated data, SHA-256 of `canonicalJson({ generator, params,
 * seed })` (so key order never matters); for an uploaded file, SHA-256 of its bytes.
 */
export function dataVersionHash(data: GeneratorData | Uint8Array): Promise<string> {
  if (data instanceof Uint8Array) return bytesSha256Hex(data);
  return sha256Hex(
    canonicalJson({ generator: data.generator, params: data.params, seed: data.seed }),
  );
}

/** The data version of generated data, hash included. */
export async function generatorDataVersion(data: GeneratorData): Promise<DataVersion> {
  const params = JSON.parse(canonicalJson(data.params)) as RunSettings;
  return {
    kind: 'generator',
    generator: data.generator,
    params,
    seed: data.seed,
    hash: await dataVersionHash({ ...data, params }),
  };
}

/** The data version of an uploaded file, SHA-256 of its bytes included. */
export async function uploadDataVersion(
  fileName: string,
  bytes: Uint8Array,
): Promise<Extract<DataVersion, { kind: 'upload' }>> {
  return { kind: 'upload', fileName, bytes: bytes.byteLength, sha256: await bytesSha256Hex(bytes) };
}

/** The hash that identifies a data version: the generator hash or the file's SHA-256. */
export function dataVersionKey(version: DataVersion): string {
  return version.kind === 'generator' ? version.hash : version.sha256;
}

/** What {@link createRunRecord} needs; the id, format and hash are computed. */
export interface CreateRunRecordOptions {
  createdAt: Date;
  appVersion: string;
  sandbox: string;
  label?: string;
  dataVersion: DataVersion;
  model: ModelSpec | null;
  settings: RunSettings;
  seed: number;
  backend: string;
  metrics: FlatState;
  /** The stored weights' reference, without `key` (the registry key is derived from the id). */
  weights: Omit<WeightsRef, 'key'> | null;
}

/** The registry key of a run's weight bytes. */
export function weightsKeyOf(id: string): string {
  return `weights/${id}`;
}

/** SHA-256 (hex) over the canonical JSON of every field of a record except `recordHash`. */
export function computeRecordHash(
  record: Omit<RunRecord, 'recordHash'> | RunRecord,
): Promise<string> {
  const body: Record<string, unknown> = { ...record };
  delete body['recordHash'];
  return sha256Hex(canonicalJson(body));
}

/**
 * Builds a validated, sealed record: the id is `run-` + the first 16 hex digits of the SHA-256 of
 * the record's content (so the same run gives the same id), and `recordHash` seals every field.
 * Throws a TypeError naming the first invalid field.
 */
export async function createRunRecord(options: CreateRunRecordOptions): Promise<RunRecord> {
  const content = JSON.parse(
    canonicalJson({ ...options, createdAt: options.createdAt.toISOString() }),
  ) as Record<string, unknown>;
  const id = `run-${(await sha256Hex(canonicalJson(content))).slice(0, 16)}`;
  const weights = options.weights ? { key: weightsKeyOf(id), ...options.weights } : null;
  const body = {
    format: RUN_RECORD_FORMAT,
    version: RUN_RECORD_VERSION,
    id,
    ...content,
    weights,
  };
  const record = { ...body, recordHash: await sha256Hex(canonicalJson(body)) };
  const parsed = runRecordSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(
      `The run record is not valid: ${issue?.path.map(String).join('.') || 'record'} — ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** The outcome of reading a record from untrusted JSON. */
export type ParsedRunRecord = { ok: true; record: RunRecord } | { ok: false; reason: string };

/**
 * Reads a record from a parsed JSON value, in order: it is ours (format), of a version this code
 * reads, well-formed, and its hash matches its content. Never throws; the reason is plain words.
 */
export async function parseRunRecord(value: unknown): Promise<ParsedRunRecord> {
  const object =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  if (object === null || object['format'] !== RUN_RECORD_FORMAT) {
    return {
      ok: false,
      reason: `This is not a run record of this course (it has no "format": "${RUN_RECORD_FORMAT}").`,
    };
  }
  if (object['version'] !== RUN_RECORD_VERSION) {
    return {
      ok: false,
      reason: `This run record has format version ${JSON.stringify(object['version'])}, which this version of the course cannot read (expected ${RUN_RECORD_VERSION}).`,
    };
  }
  const parsed = runRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    return {
      ok: false,
      reason: `The run record is damaged: ${field || 'its top level'} — ${issue?.message ?? 'invalid'}.`,
    };
  }
  const record = parsed.data;
  if ((await computeRecordHash(record)) !== record.recordHash) {
    return {
      ok: false,
      reason:
        'The run record was changed after it was saved: its content does not match its hash (recordHash).',
    };
  }
  return { ok: true, record };
}

/**
 * The metrics of a sandbox state: every path except the inputs (`settings.*`, `input.*`), which a
 * record keeps under `settings`.
 */
export function metricsFromState(state: FlatState): FlatState {
  const metrics: FlatState = {};
  for (const [path, value] of Object.entries(state)) {
    if (path.startsWith('settings.') || path.startsWith('input.')) continue;
    metrics[path] = value;
  }
  return metrics;
}
